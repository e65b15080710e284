//! Imports run one way: the crate's top-level modules (`money`, `calendar`,
//! `billing`, ..., `error`) form no circle, and the list of error kinds
//! imports no capability. Read from the sources, so a new `use crate::...`
//! that closes a circle fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Each top-level module and the other top-level modules its code (tests
/// and comments left out) names as `crate::module`, or through a name the
/// crate's root re-exports (`crate::ErrorKind` is `error_kind`'s).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules: BTreeSet<String> = fs::read_dir(&src)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "lib.rs")
        .map(|name| name.trim_end_matches(".rs").to_owned())
        .collect();
    let reexports = reexports(&fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut graph = BTreeMap::new();
    for module in &modules {
        let mut uses = BTreeSet::new();
        for file in files(&src, module) {
            let text = fs::read_to_string(&file).unwrap();
            // Unit tests sit at the end of a file, behind #[cfg(test)].
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for (at, _) in line.match_indices("crate::") {
                    let rest = &line[at + "crate::".len()..];
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let target = reexports.get(&name).cloned().unwrap_or(name);
                    if modules.contains(&target) && &target != module {
                        uses.insert(target);
                    }
                }
            }
        }
        graph.insert(module.clone(), uses);
    }
    graph
}

/// The names `lib.rs` re-exports (`pub use module::{A, b};`), each with its
/// module.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = rest.trim_end_matches(';').split_once("::") else {
            continue;
        };
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            out.insert(name.trim().to_owned(), module.to_owned());
        }
    }
    out
}

/// The `.rs` files of top-level module `module` (a file or a directory).
fn files(src: &Path, module: &str) -> Vec<std::path::PathBuf> {
    let file = src.join(format!("{module}.rs"));
    if file.exists() {
        return vec![file];
    }
    let mut out = Vec::new();
    let mut dirs = vec![src.join(module)];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// A circle through `graph`, if there is one, as the modules along it.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        graph: &BTreeMap<String, BTreeSet<String>>,
        module: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| m == module) {
            let mut found = path[at..].to_vec();
            found.push(module.to_owned());
            return Some(found);
        }
        if !done.insert(module.to_owned()) {
            return None;
        }
        path.push(module.to_owned());
        for next in &graph[module] {
            if let Some(found) = visit(graph, next, path, done) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(graph, module, &mut Vec::new(), &mut done))
}

#[test]
fn top_level_modules_import_one_way() {
    let graph = graph();
    assert!(
        graph["billing"].contains("membership"),
        "the scan finds imports: {graph:?}"
    );
    assert!(
        graph["error"].contains("error_kind"),
        "and re-exported names: {graph:?}"
    );
    assert_eq!(
        circle(&graph),
        None,
        "an import circle; the modules' imports: {graph:?}"
    );
}

#[test]
fn the_error_kinds_import_no_capability() {
    assert_eq!(graph()["error_kind"], BTreeSet::new());
}

#[test]
fn a_circle_is_found() {
    let mut graph = graph();
    graph.get_mut("money").unwrap().insert("billing".to_owned());
    let found = circle(&graph).expect("money -> billing -> money");
    assert_eq!(found.first(), found.last());
    assert!(found.contains(&"money".to_owned()) && found.contains(&"billing".to_owned()));
}
