//! Dunning benchmarks (design §8): `advance` over many open cases for one date.
//!
//! `cargo bench -p memberkit --bench dunning`. Throughput is in cases (one
//! account with one unpaid invoice each), so criterion's `elem/s` is cases per
//! second on one core. `MK_BENCH_CASES` sets the cases per run (default
//! 1,000,000, the size design §8 names).
//!
//! Every account's invoice failed on one of the 28 days before the run's
//! date, under a card policy of eight steps (reminders, three retries on
//! business days, a restriction, a suspension, a cancellation) with a grace
//! period, Golden Week holidays and a ladder, and every step due before the
//! day before the run's date has been taken. So on the run's date some cases
//! take a step, some end their grace period, and most have nothing due.
//!
//! - `advance/decide`: [`decide`] with `Command::Advance` for every case, the
//!   events returned and dropped (the state is not changed, so every
//!   iteration measures the same work).
//! - `advance/advance_all`: [`advance_all`] over a fresh copy of the cases
//!   (made outside the timing), the events applied in place.

use chrono::Days;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use memberkit::calendar::{NaiveDate, date};
use memberkit::dunning::{Command, Decline, Policy, Receivables, advance_all, decide};
use memberkit::money::{Currency, Money};
use std::hint::black_box;

fn cases_per_run() -> usize {
    std::env::var("MK_BENCH_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

fn policy() -> Policy {
    Policy::from_json(
        r#"{"currency": "JPY", "grace_days": 3, "max_retries": 3,
        "retry_timing": {"skip_weekends": true, "holidays": ["2026-05-04", "2026-05-05", "2026-05-06"]},
        "steps": [
            {"day": 0, "action": "remind", "channel": "email", "template": "payment_failed"},
            {"day": 3, "action": "retry"},
            {"day": 7, "action": "retry"},
            {"day": 7, "action": "restrict", "restriction": "no_new_bookings"},
            {"day": 10, "action": "remind", "channel": "sms", "template": "final_notice"},
            {"day": 14, "action": "suspend"},
            {"day": 14, "action": "retry"},
            {"day": 30, "action": "cancel"}],
        "ladder": [{"name": "many_unpaid", "unpaid_invoices": 3, "standing": "suspended"}]}"#,
    )
    .expect("the benchmark policy is valid")
}

fn run_date() -> NaiveDate {
    date(2026, 5, 29).expect("a valid date")
}

fn apply(state: &mut Receivables, policy: &Policy, command: &Command, at: NaiveDate) {
    for event in decide(state, policy, command, at).expect("the set-up commands are valid") {
        state.apply_mut(&event);
    }
}

/// `n` accounts, each with one invoice that failed on one of the 28 days
/// before the run's date, advanced to the day before.
fn open_cases(policy: &Policy, n: usize) -> Vec<Receivables> {
    let yen = Money::from_minor(8_800, Currency::JPY);
    let day_before = run_date() - Days::new(1);
    (0..n)
        .map(|i| {
            let failed_on = run_date() - Days::new(1 + (i % 28) as u64);
            let invoice = compact_str::format_compact!("m-{i}-20260501-1");
            let mut state = Receivables::default();
            let issue = Command::InvoiceIssued {
                invoice: invoice.clone(),
                amount: yen,
                due: failed_on,
            };
            apply(&mut state, policy, &issue, failed_on);
            let fail = Command::PaymentFailed {
                invoice,
                amount: yen,
                decline: Decline::Soft,
                code: None,
            };
            apply(&mut state, policy, &fail, failed_on);
            apply(&mut state, policy, &Command::Advance, day_before);
            state
        })
        .collect()
}

fn advance(c: &mut Criterion) {
    let policy = policy();
    let n = cases_per_run();
    let cases = open_cases(&policy, n);
    let due = cases
        .iter()
        .filter(|s| {
            !decide(s, &policy, &Command::Advance, run_date())
                .unwrap()
                .is_empty()
        })
        .count();
    println!(
        "dunning: {n} open cases, {due} with something due on {}",
        run_date()
    );
    let mut group = c.benchmark_group("advance");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("decide", |b| {
        b.iter(|| {
            let mut events = 0;
            for state in &cases {
                events +=
                    decide(state, &policy, &Command::Advance, run_date()).map_or(0, |e| e.len());
            }
            black_box(events)
        })
    });
    group.bench_function("advance_all", |b| {
        b.iter_batched(
            || cases.clone(),
            |mut accounts| black_box(advance_all(&mut accounts, &policy, run_date()).len()),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, advance);
criterion_main!(benches);
