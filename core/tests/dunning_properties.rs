//! Property tests of the dunning decider over random policies and command
//! sequences: money is conserved, each step fires once, nothing fires after an
//! invoice is settled, escalation only goes back on a payment (or a void or
//! write-off), advancing is idempotent and splits freely, replay rebuilds the state,
//! and the batch advance is one advance per account.

use chrono::Days;
use memberkit::calendar::{NaiveDate, date};
use memberkit::dunning::{Command, Event, Policy, Receivables, advance_all, decide};
use memberkit::strategies;
use proptest::prelude::*;
use std::collections::HashSet;

fn start() -> NaiveDate {
    date(2026, 4, 1).unwrap()
}

/// Commands with the days between them.
fn script() -> impl Strategy<Value = Vec<(u64, Command)>> {
    proptest::collection::vec((0_u64..12, strategies::dunning_command(start())), 1..40)
}

/// Runs the script, keeping each accepted command's events.
fn run(policy: &Policy, script: &[(u64, Command)]) -> (Receivables, Vec<(Command, Vec<Event>)>) {
    let (mut state, mut log) = (Receivables::default(), Vec::new());
    let mut at = start();
    for (gap, command) in script {
        at = at + Days::new(*gap);
        if let Ok(events) = decide(&state, policy, command, at) {
            for event in &events {
                state.apply_mut(event);
            }
            log.push((command.clone(), events));
        }
    }
    (state, log)
}

fn step_of(event: &Event) -> Option<(&str, u8)> {
    match event {
        Event::RetryDue {
            invoice,
            step: Some(step),
            ..
        }
        | Event::RetrySkipped { invoice, step, .. }
        | Event::ReminderDue { invoice, step, .. }
        | Event::Escalated {
            invoice,
            step: Some(step),
            ..
        }
        | Event::SentToCollection { invoice, step, .. }
        | Event::WrittenOff {
            invoice,
            step: Some(step),
            ..
        } => Some((invoice, *step)),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_yen_is_lost_or_counted_twice(policy in strategies::dunning_policy(), script in script()) {
        let (state, log) = run(&policy, &script);
        if let Some(t) = state.totals() {
            let sum = |a: memberkit::money::Money, b| a.checked_add(b).unwrap();
            prop_assert_eq!(t.invoiced, sum(sum(t.applied, t.written_off), t.open));
            prop_assert_eq!(t.collected, sum(t.applied, t.credit));
            prop_assert!(!t.open.is_negative() && !t.written_off.is_negative());
        }
        // Each payment id is received once, whatever the host sends.
        let mut seen = HashSet::new();
        for (_, events) in &log {
            for event in events {
                if let Event::PaymentReceived { payment, .. } = event {
                    prop_assert!(seen.insert(payment.clone()), "{payment} received twice");
                }
            }
        }
    }

    #[test]
    fn each_step_fires_once_and_never_after_settling(policy in strategies::dunning_policy(), script in script()) {
        let (_, log) = run(&policy, &script);
        let mut fired = HashSet::new();
        let mut settled: HashSet<String> = HashSet::new();
        let mut state = Receivables::default();
        for (_, events) in &log {
            for event in events {
                if let Some((invoice, step)) = step_of(event) {
                    prop_assert!(fired.insert((invoice.to_string(), step)), "step {step} of {invoice} fired twice");
                    prop_assert!(!settled.contains(invoice), "step {step} of {invoice} fired after it was settled");
                }
                if let Event::Overdue { invoice, .. } = event {
                    prop_assert!(!settled.contains(invoice.as_str()), "{invoice} overdue after it was settled");
                }
                state.apply_mut(event);
                // Paid, voided or written off: settled for good (a payment on
                // a written-off balance recovers it without reopening it).
                for invoice in state.invoices.iter().filter(|i| !i.is_open()) {
                    settled.insert(invoice.id.to_string());
                }
            }
        }
    }

    #[test]
    fn escalation_goes_back_only_on_a_payment(policy in strategies::dunning_policy(), script in script()) {
        let (_, log) = run(&policy, &script);
        for (command, events) in &log {
            let lowered = events.iter().any(|e| matches!(e, Event::Recovered { .. }));
            let settling = matches!(command,
                Command::PaymentSucceeded { .. } | Command::InvoiceVoided { .. } | Command::InvoiceWrittenOff { .. })
                || events.iter().any(|e| matches!(e, Event::WrittenOff { .. }));
            prop_assert!(!lowered || settling, "{command:?} lowered the standing: {events:?}");
        }
    }

    #[test]
    fn replaying_the_events_gives_the_same_state(policy in strategies::dunning_policy(), script in script()) {
        let (state, log) = run(&policy, &script);
        let events: Vec<&Event> = log.iter().flat_map(|(_, e)| e).collect();
        let rebuilt = events.iter().fold(Receivables::default(), |s, e| s.apply(e));
        prop_assert_eq!(rebuilt.version, events.len() as u64);
        let json = memberkit::dunning::events_to_json(&events.into_iter().cloned().collect::<Vec<_>>());
        let from_json = memberkit::dunning::events_from_json(&json).unwrap()
            .iter().fold(Receivables::default(), |s, e| s.apply(e));
        prop_assert_eq!(&rebuilt, &state);
        prop_assert_eq!(&from_json, &state);
        prop_assert_eq!(Receivables::from_json(&state.to_json()).unwrap(), state);
    }

    #[test]
    fn advancing_is_idempotent_and_splits_freely(
        policy in strategies::dunning_policy(),
        script in script(),
        cuts in proptest::collection::vec(0_u64..200, 0..6),
        length in 0_u64..200,
    ) {
        let (state, _) = run(&policy, &script);
        let from = state.updated_on.unwrap_or(start());
        let end = from + Days::new(length);
        let whole = decide(&state, &policy, &Command::Advance, end).unwrap();
        let mut split_state = state.clone();
        let mut split = Vec::new();
        let mut cuts: Vec<NaiveDate> = cuts.into_iter().filter(|c| *c <= length).map(|c| from + Days::new(c)).collect();
        cuts.sort();
        cuts.push(end);
        for at in cuts {
            let events = decide(&split_state, &policy, &Command::Advance, at).unwrap();
            for event in &events {
                split_state.apply_mut(event);
            }
            split.extend(events);
        }
        prop_assert_eq!(&split, &whole);
        prop_assert_eq!(decide(&split_state, &policy, &Command::Advance, end).unwrap(), vec![]);
    }

    /// The batch runs every account in one spare state, a copy made into
    /// the storage of the account last changed: accounts of every shape in
    /// turn (more invoices, fewer, payments, restrictions) must not leak
    /// into each other.
    #[test]
    fn the_batch_advance_is_one_advance_per_account(
        policy in strategies::dunning_policy(),
        scripts in proptest::collection::vec(script(), 1..8),
        length in 0_u64..120,
    ) {
        let accounts: Vec<Receivables> = scripts.iter().map(|script| run(&policy, script).0).collect();
        let at = accounts.iter().filter_map(|a| a.updated_on).max().unwrap_or(start()) + Days::new(length);
        let mut batch = accounts.clone();
        let changed = advance_all(&mut batch, &policy, at);
        let mut expected = Vec::new();
        for (i, account) in accounts.iter().enumerate() {
            let events = decide(account, &policy, &Command::Advance, at).unwrap();
            prop_assert_eq!(&batch[i], &events.iter().fold(account.clone(), |a, e| a.apply(e)));
            if !events.is_empty() {
                expected.push((i, Ok(events)));
            }
        }
        prop_assert_eq!(changed, expected);
    }
}
