//! Billing benchmarks (design §8): one proration, and a billing run for many
//! subscriptions through one billing date.
//!
//! `cargo bench -p memberkit --bench billing`. The run benchmarks report
//! throughput in invoices (documents issued), so criterion's `elem/s` is
//! invoices per second on one core; each also prints its invoice and account
//! counts once.
//!
//! - `bill_all/new_accounts`: every account is new (an empty
//!   [`BillingAccount`]) and its events are one join made on its start date,
//!   between the 2nd of the month before and the billing date. Joins between
//!   billing days pay a prorated first period (日割り) on their start date, so
//!   most accounts get two invoices: the first period's and the next one's.
//! - `bill_all/renewals`: those of the same accounts that are due on the
//!   billing date, already billed through the day before, so each gets the
//!   billing date's invoice only — the monthly run of a steady membership base.
//! - `bill_each/*`: the same runs with [`bill`] one account at a time, each
//!   result dropped before the next account is billed, as a host that stores
//!   each run as it comes would. `bill_all` keeps every result until the end,
//!   which costs the allocator and the caches more (see `benches/README.md`).

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use memberkit::billing::{BillingAccount, BillingConfig, bill, bill_all, prorate};
use memberkit::calendar::{NaiveDate, date};
use memberkit::membership::{Catalog, Command, Event, Membership, decide};
use memberkit::money::{Currency, Money, RoundingMode};
use std::hint::black_box;

/// Accounts per billing run.
const ACCOUNTS: usize = 10_000;

/// Monthly plans: three billed on the 1st (one with an admission fee), one
/// on the 15th, and one on each member's anniversary at the reduced tax rate.
const PLANS: &str = r#"[
    {"id": "regular", "name": "Regular", "price": {"amount": "8800", "currency": "JPY"},
     "price_includes_tax": true, "interval": {"unit": "month", "count": 1},
     "admission_fee": {"amount": "5500", "currency": "JPY"}},
    {"id": "premium", "name": "Premium", "price": {"amount": "13200", "currency": "JPY"},
     "price_includes_tax": true, "interval": {"unit": "month", "count": 1}},
    {"id": "light", "name": "Light", "price": {"amount": "5500", "currency": "JPY"},
     "price_includes_tax": true, "interval": {"unit": "month", "count": 1}},
    {"id": "day15", "name": "Billed on the 15th", "price": {"amount": "6200", "currency": "JPY"},
     "price_includes_tax": true, "interval": {"unit": "month", "count": 1},
     "alignment": {"day_of_month": 15}},
    {"id": "lunch", "name": "Lunch box", "price": {"amount": "1000", "currency": "JPY"},
     "tax_rate": "reduced", "interval": {"unit": "month", "count": 1}, "alignment": "anniversary"}
]"#;

const PLAN_IDS: [&str; 5] = ["regular", "premium", "light", "day15", "lunch"];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    date(y, m, d).expect("a valid date")
}

fn catalog() -> Catalog {
    Catalog::from_json(PLANS).expect("the benchmark catalog parses")
}

/// The billing date every run bills through.
fn billing_date() -> NaiveDate {
    day(2026, 5, 1)
}

/// The events of account `i`: a join made on its start date. Start dates
/// cycle through Apr 2 – May 1 and plans through [`PLAN_IDS`], with coprime
/// periods so every plan meets every start date.
fn join_events(catalog: &Catalog, i: usize) -> Vec<Event> {
    let start = day(2026, 4, 2) + chrono::Days::new((i % 30) as u64);
    let join = Command::Join {
        plan: PLAN_IDS[i % PLAN_IDS.len()].into(),
        start,
        trial: false,
    };
    decide(&Membership::default(), catalog, &join, start).expect("the join is accepted")
}

/// `ACCOUNTS` new accounts and their events.
fn new_accounts(catalog: &Catalog) -> Vec<(BillingAccount, Vec<Event>)> {
    (0..ACCOUNTS)
        .map(|i| {
            let account = BillingAccount::new(format!("m-{i:07}"));
            (account, join_events(catalog, i))
        })
        .collect()
}

/// The accounts of [`new_accounts`] due on the billing date, billed through
/// the day before.
fn renewals(
    catalog: &Catalog,
    config: &BillingConfig,
    accounts: &[(BillingAccount, Vec<Event>)],
) -> Vec<(BillingAccount, Vec<Event>)> {
    let eve = billing_date().pred_opt().expect("a day before");
    accounts
        .iter()
        .filter_map(|(account, events)| {
            let billed = bill(account, events, catalog, config, eve).expect("the accounts bill");
            let due = bill(&billed.account, events, catalog, config, billing_date())
                .expect("the accounts bill");
            (!due.documents.is_empty()).then(|| (billed.account, events.clone()))
        })
        .collect()
}

/// Bills every account through the billing date with [`bill_all`], in
/// place; the invoices issued.
fn run_all(
    catalog: &Catalog,
    config: &BillingConfig,
    accounts: &mut [(BillingAccount, Vec<Event>)],
) -> usize {
    bill_all(
        accounts.iter_mut().map(|(a, e)| (a, e.as_slice())),
        catalog,
        config,
        billing_date(),
    )
    .iter()
    .map(|r| r.as_ref().map_or(0, Vec::len))
    .sum()
}

/// Bills every account through the billing date with [`bill`], one at a
/// time, dropping each result; the invoices issued.
fn run_each(
    catalog: &Catalog,
    config: &BillingConfig,
    accounts: &mut [(BillingAccount, Vec<Event>)],
) -> usize {
    accounts
        .iter()
        .map(|(account, events)| {
            bill(account, events, catalog, config, billing_date())
                .map_or(0, |run| run.documents.len())
        })
        .sum()
}

fn proration(c: &mut Criterion) {
    let price = Money::from_minor(8_800, Currency::JPY);
    c.bench_function("prorate", |b| {
        b.iter(|| {
            prorate(
                black_box(price),
                black_box(17),
                black_box(30),
                RoundingMode::Floor,
            )
        })
    });
}

type Run = fn(&Catalog, &BillingConfig, &mut [(BillingAccount, Vec<Event>)]) -> usize;

fn billing_runs(c: &mut Criterion) {
    let catalog = catalog();
    let config = BillingConfig::default();
    let fresh = new_accounts(&catalog);
    let renewals = renewals(&catalog, &config, &fresh);
    let inputs = [("new_accounts", &fresh), ("renewals", &renewals)];
    let runs: [(&str, Run); 2] = [("bill_all", run_all), ("bill_each", run_each)];
    for (group_name, run) in runs {
        let mut group = c.benchmark_group(group_name);
        group.sample_size(10);
        for (name, accounts) in inputs {
            let invoices = run(&catalog, &config, &mut accounts.clone());
            println!(
                "{group_name}/{name}: {} accounts, {invoices} invoices per run",
                accounts.len()
            );
            group.throughput(Throughput::Elements(invoices as u64));
            group.bench_with_input(
                BenchmarkId::from_parameter(name),
                accounts,
                |b, accounts| {
                    b.iter_batched_ref(
                        || accounts.clone(),
                        |accounts| run(&catalog, &config, black_box(accounts)),
                        BatchSize::PerIteration,
                    )
                },
            );
        }
        group.finish();
    }
}

criterion_group!(benches, proration, billing_runs);
criterion_main!(benches);
