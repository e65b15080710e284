//! Plans, catalogs, membership commands, events and states from any text:
//! each parser refuses bad input with an error, never a panic, and whatever
//! it accepts survives its JSON form unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memberkit::membership::{
    Catalog, Command, Membership, Plan, events_from_json, events_to_json, to_json,
};
use memberkit_fuzz::check::round_trips;

fuzz_target!(|data: &[u8]| {
    let Some(text) = memberkit_fuzz::text(data) else {
        return;
    };
    if let Ok(plan) = Plan::from_json(text) {
        round_trips("plan", &plan, Plan::to_json, Plan::from_json);
    }
    if let Ok(catalog) = Catalog::from_json(text) {
        let plans: Vec<Plan> = catalog.plans().cloned().collect();
        let again = Catalog::from_json(&to_json(&plans)).expect("a catalog's plans read back");
        assert_eq!(again, catalog);
    }
    if let Ok(command) = Command::from_json(text) {
        round_trips("command", &command, to_json, Command::from_json);
    }
    if let Ok(events) = events_from_json(text) {
        round_trips("events", &events, |e| events_to_json(e), events_from_json);
    }
    if let Ok(state) = Membership::from_json(text) {
        round_trips(
            "membership",
            &state,
            Membership::to_json,
            Membership::from_json,
        );
    }
});
