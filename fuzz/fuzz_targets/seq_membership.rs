//! Random catalogs and command scripts through the membership decider:
//! deciding never panics; applying a decision's events raises the version
//! by their count (never lowers it); replaying every stored event from the
//! initial state rebuilds the same state; states and events survive JSON;
//! a view of every state can be asked for.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use memberkit::membership::{Membership, decide, events_from_json, events_to_json};
use memberkit_fuzz::check::{round_trips, version_grew};
use memberkit_fuzz::membership::{base, catalog, steps};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(Some((catalog, _))) = catalog(&mut u) else {
        return;
    };
    let Ok(steps) = steps(&mut u, 40) else { return };
    let (mut state, mut stored, mut at) = (Membership::default(), Vec::new(), base());
    for step in &steps {
        at = step.at(at);
        let command = step.command.command();
        let Ok(events) = decide(&state, &catalog, &command, at) else {
            continue;
        };
        let before = state.version;
        state = events.iter().fold(state, |m, e| m.apply(e));
        version_grew("membership", before, state.version, events.len());
        stored.extend(events);
        let _ = state.view(&catalog, at);
    }
    let rebuilt = stored.iter().fold(Membership::default(), |m, e| m.apply(e));
    assert_eq!(rebuilt, state, "replaying the events gives another state");
    round_trips(
        "membership",
        &state,
        Membership::to_json,
        Membership::from_json,
    );
    round_trips("events", &stored, |e| events_to_json(e), events_from_json);
});
