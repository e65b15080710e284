//! State-machine properties of the membership decider over random plans and
//! random command sequences.

use memberkit::calendar::{NaiveDate, date};
use memberkit::membership::{Catalog, Command, Event, Membership, Status, decide};
use memberkit::strategies;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeSet;

fn base() -> NaiveDate {
    date(2026, 1, 1).unwrap()
}

/// Commands paired with the number of days since the previous one.
fn steps() -> impl Strategy<Value = Vec<(u64, Command)>> {
    proptest::collection::vec((0_u64..60, strategies::membership_command(base())), 1..40)
}

/// Runs the steps, checking the per-step invariants; returns the statuses seen.
fn run(catalog: &Catalog, steps: &[(u64, Command)]) -> Result<BTreeSet<Status>, TestCaseError> {
    let mut state = Membership::default();
    let mut log: Vec<Event> = Vec::new();
    let mut at = base();
    let mut seen = BTreeSet::from([state.status]);
    for (days, command) in steps {
        at = at + chrono::Days::new(*days);
        let before = state.clone();
        match decide(&state, catalog, command, at) {
            Ok(events) => {
                for event in &events {
                    state = state.apply(event);
                    seen.insert(state.status);
                }
                log.extend(events);
            }
            Err(_) => {
                // A refused command changes nothing, and deciding is pure.
                prop_assert_eq!(&state, &before);
                prop_assert!(decide(&state, catalog, command, at).is_err());
            }
        }
        check_invariants(catalog, &state, &log)?;
        // Once ended, only a rejoin (or a no-op advance) is accepted.
        if matches!(state.status, Status::Cancelled | Status::Expired) {
            for probe in [
                Command::MarkPastDue,
                Command::Suspend,
                Command::Reinstate,
                Command::RevokeCancellation,
            ] {
                prop_assert!(decide(&state, catalog, &probe, at).is_err());
            }
            prop_assert_eq!(
                decide(&state, catalog, &Command::Advance, at).map(|e| e.len()),
                Ok(0)
            );
        }
    }
    Ok(seen)
}

fn check_invariants(
    catalog: &Catalog,
    state: &Membership,
    log: &[Event],
) -> Result<(), TestCaseError> {
    // Replaying the events from the start gives the same state.
    let replayed = log.iter().fold(Membership::default(), |m, e| m.apply(e));
    prop_assert_eq!(&replayed, state);
    prop_assert_eq!(state.version, log.len() as u64);
    // The state and its events survive JSON.
    let json = serde_json::to_string(state).unwrap();
    prop_assert_eq!(&serde_json::from_str::<Membership>(&json).unwrap(), state);
    // Pauses stay within the plan that accepted them: their count per year
    // and their length.
    if let Some(plan) = state.plan.as_deref().and_then(|id| catalog.get(id).ok())
        && let Some(policy) = &plan.pause
    {
        let this_membership: Vec<_> = state.pauses.iter().chain(&state.planned_pause).collect();
        for pause in &this_membership {
            let longest =
                memberkit::calendar::add_months(pause.from, i64::from(policy.max_months)).unwrap();
            let accepted_by_another_plan =
                log.iter().any(|e| matches!(e, Event::PlanChanged { .. }));
            prop_assert!(
                pause.until <= longest || accepted_by_another_plan,
                "{:?} longer than {}",
                pause,
                policy.max_months
            );
            prop_assert!(pause.from < pause.until);
        }
    }
    // A planned cancellation exists exactly while the status can carry one.
    if state.status == Status::PendingCancellation {
        prop_assert!(state.ends_on.is_some());
    }
    if matches!(
        state.status,
        Status::Active | Status::Trialing | Status::New | Status::Pending
    ) {
        prop_assert!(
            state.ends_on.is_none(),
            "{:?} with ends_on {:?}",
            state.status,
            state.ends_on
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(Config::with_cases(256))]
    #[test]
    fn random_command_sequences_keep_every_invariant(catalog in strategies::catalog(), steps in steps()) {
        run(&catalog, &steps)?;
    }
}

/// Every status is reached by some sequence of accepted commands.
#[test]
fn every_status_is_reachable() {
    let mut runner = TestRunner::deterministic();
    let mut seen = BTreeSet::new();
    let strategy = (strategies::catalog(), steps());
    for _ in 0..3_000 {
        let (catalog, steps) = strategy.new_tree(&mut runner).unwrap().current();
        seen.extend(run(&catalog, &steps).unwrap());
    }
    let all = [
        Status::New,
        Status::Pending,
        Status::Trialing,
        Status::Active,
        Status::Paused,
        Status::PastDue,
        Status::Suspended,
        Status::PendingCancellation,
        Status::Cancelled,
        Status::Expired,
    ];
    let missing: Vec<_> = all.iter().filter(|s| !seen.contains(s)).collect();
    assert!(missing.is_empty(), "never reached: {missing:?}");
}
