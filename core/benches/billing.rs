//! Billing benchmarks (design §8): one proration, and a billing run for many
//! subscriptions through one billing date.
//!
//! `cargo bench -p memberkit --bench billing`. The run benchmarks report
//! throughput in invoices (documents issued), so criterion's `elem/s` is
//! invoices per second on one core; each also prints its invoice and account
//! counts once. `MK_BENCH_ACCOUNTS` sets the accounts per run (default
//! 1,000,000, the size design §8 names).
//!
//! - `bill_all/new_accounts`: every account is new (an empty
//!   [`BillingAccount`](memberkit::billing::BillingAccount)) and its events
//!   are one join made on its start date, between the 2nd of the month
//!   before and the billing date (see `support/mod.rs`).
//! - `bill_all/renewals`: those of the same accounts that are due on the
//!   billing date, already billed through the day before.
//! - `bill_each/*`: the same runs with [`bill_in_place`] one account at a
//!   time, each result dropped before the next account is billed, as a host
//!   that stores each run as it comes would. `bill_all` keeps every result
//!   until the end, which costs the allocator and the caches more.
//!
//! Every run bills a fresh copy of its accounts, made outside the timing.

mod support;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use memberkit::billing::{BillingConfig, bill_all, bill_in_place, prorate};
use memberkit::membership::Catalog;
use memberkit::money::{Currency, Money, RoundingMode};
use std::hint::black_box;
use support::{Input, billing_date, catalog, new_accounts, renewals};

/// Accounts per billing run: `MK_BENCH_ACCOUNTS`, or 1,000,000.
fn accounts_per_run() -> usize {
    std::env::var("MK_BENCH_ACCOUNTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

/// Bills every account through the billing date with [`bill_all`], in
/// place; the invoices issued.
fn run_all(catalog: &Catalog, config: &BillingConfig, accounts: &mut [Input]) -> usize {
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

/// Bills every account through the billing date with [`bill_in_place`], one
/// at a time, dropping each result; the invoices issued.
fn run_each(catalog: &Catalog, config: &BillingConfig, accounts: &mut [Input]) -> usize {
    accounts
        .iter_mut()
        .map(|(account, events)| {
            bill_in_place(account, events, catalog, config, billing_date()).map_or(0, |d| d.len())
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

type Run = fn(&Catalog, &BillingConfig, &mut [Input]) -> usize;

fn billing_runs(c: &mut Criterion) {
    let catalog = catalog();
    let config = BillingConfig::default();
    let fresh = new_accounts(&catalog, accounts_per_run());
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
