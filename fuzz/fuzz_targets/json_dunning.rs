//! Dunning policies, commands, events and receivables (a case's state)
//! from any text: errors, never panics; accepted values survive their JSON
//! form; a command decided against a parsed state and policy never panics,
//! and its events applied raise the version by their count.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memberkit::dunning::{Command, Policy, Receivables, decide, events_from_json, events_to_json};
use memberkit::json::to_json;
use memberkit_fuzz::check::{round_trips, version_grew};

fuzz_target!(|data: &[u8]| {
    let Some(text) = memberkit_fuzz::text(data) else {
        return;
    };
    // Up to three documents separated by NUL: state, policy, command.
    let mut parts = text.splitn(3, '\0');
    let (first, second, third) = (parts.next().unwrap_or(""), parts.next(), parts.next());
    if let Ok(policy) = Policy::from_json(first) {
        round_trips(
            "dunning policy",
            &policy,
            Policy::to_json,
            Policy::from_json,
        );
    }
    if let Ok(command) = Command::from_json(first) {
        round_trips("dunning command", &command, to_json, Command::from_json);
    }
    if let Ok(events) = events_from_json(first) {
        round_trips(
            "dunning events",
            &events,
            |e| events_to_json(e),
            events_from_json,
        );
    }
    let state = Receivables::from_json(first).ok();
    if let Some(state) = &state {
        round_trips(
            "receivables",
            state,
            Receivables::to_json,
            Receivables::from_json,
        );
    }
    let (Some(state), Some(policy), Some(command)) = (
        state,
        second.and_then(|p| Policy::from_json(p).ok()),
        third.and_then(|c| Command::from_json(c).ok()),
    ) else {
        return;
    };
    let at = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("a valid date");
    if let Ok(events) = decide(&state, &policy, &command, at) {
        let before = state.version;
        let after = events.iter().fold(state, |s, e| s.apply(e));
        version_grew("dunning", before, after.version, events.len());
    }
});
