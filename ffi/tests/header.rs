//! `include/memberkit.h` must be exactly what cbindgen generates from `ffi/`:
//! change a signature without regenerating the header and this test fails.
//! Regenerate with `scripts/gen-header.sh` (or `MK_BLESS_HEADER=1 cargo test -p memberkit-ffi --test header`).

use std::path::Path;

#[test]
fn committed_header_matches_cbindgen_output() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml parses");
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("header is UTF-8");

    let header_path = crate_dir.join("../include/memberkit.h");
    if std::env::var_os("MK_BLESS_HEADER").is_some() {
        std::fs::write(&header_path, &generated).expect("header written");
        return;
    }
    let committed = std::fs::read_to_string(&header_path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/memberkit.h is out of date with ffi/: run scripts/gen-header.sh and commit the result"
    );
}
