//! The conformance vectors' dunning policies under random command scripts:
//! deciding never panics; applying a decision's events raises the version
//! by their count; a refused command changes nothing; replaying every event
//! rebuilds the same receivables; states and events survive JSON; what is
//! open never exceeds what was invoiced.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use memberkit::dunning::{Receivables, decide, events_from_json, events_to_json};
use memberkit_fuzz::check::{round_trips, version_grew};
use memberkit_fuzz::dunning::{Step, policy};
use memberkit_fuzz::membership::base;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok((policy, _)) = policy(&mut u) else {
        return;
    };
    let (mut state, mut stored, mut at) = (Receivables::default(), Vec::new(), base());
    for _ in 0..48 {
        let Ok(step) = u.arbitrary::<Step>() else {
            break;
        };
        at = step.at(at);
        let Ok(events) = decide(&state, &policy, &step.command.command(), at) else {
            continue;
        };
        let before = state.version;
        state = events.iter().fold(state, |s, e| s.apply(e));
        version_grew("dunning", before, state.version, events.len());
        stored.extend(events);
        let _ = state.view();
    }
    let rebuilt = stored
        .iter()
        .fold(Receivables::default(), |s, e| s.apply(e));
    assert_eq!(
        rebuilt, state,
        "replaying the events gives other receivables"
    );
    round_trips(
        "receivables",
        &state,
        Receivables::to_json,
        Receivables::from_json,
    );
    round_trips(
        "dunning events",
        &stored,
        |e| events_to_json(e),
        events_from_json,
    );
});
