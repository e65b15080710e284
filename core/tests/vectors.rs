//! Replays the membership conformance vectors in `tests/vectors/membership.json`,
//! which the C and Python suites replay too. Run with `MK_BLESS_VECTORS=1` to
//! fill in the `events` of steps that have none yet (then review the diff).

use memberkit::calendar::parse_date;
use memberkit::membership::{Catalog, Command, Membership, decide};
use serde_json::Value;
use std::path::PathBuf;

fn vectors_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/membership.json")
}

#[test]
fn membership_vectors() {
    let path = vectors_path();
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let bless = std::env::var_os("MK_BLESS_VECTORS").is_some();
    let catalog = Catalog::from_json(&doc["plans"].to_string()).unwrap();
    let cases = doc["cases"].as_array_mut().unwrap();
    assert!(cases.len() >= 25, "at least 25 cases");
    let mut failures = Vec::new();
    for case in cases.iter_mut() {
        let name = case["name"].as_str().unwrap().to_owned();
        let mut state = Membership::default();
        for (i, step) in case["steps"].as_array_mut().unwrap().iter_mut().enumerate() {
            let at = parse_date(step["at"].as_str().unwrap()).unwrap();
            let command = Command::from_json(&step["command"].to_string()).unwrap();
            match (
                decide(&state, &catalog, &command, at),
                step.get("error").and_then(Value::as_str),
            ) {
                (Ok(events), None) => {
                    let got = serde_json::to_value(&events).unwrap();
                    if bless && step["events"].is_null() {
                        step["events"] = got.clone();
                    }
                    if step["events"] != got {
                        failures.push(format!(
                            "{name} step {i}: events {got} != expected {}",
                            step["events"]
                        ));
                    }
                    state = events.iter().fold(state, |m, e| m.apply(e));
                }
                (Err(err), Some(kind)) if err.kind().name() == kind => {}
                (outcome, expected) => failures.push(format!(
                    "{name} step {i}: got {outcome:?}, expected error {expected:?}"
                )),
            }
        }
        let status = serde_json::to_value(state.status).unwrap();
        if case["status"] != status {
            failures.push(format!(
                "{name}: final status {status} != expected {}",
                case["status"]
            ));
        }
    }
    if bless {
        std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
