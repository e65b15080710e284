//! Billing benchmarks (design §8): one proration, and a billing run for many
//! subscriptions through one billing date.
//!
//! `cargo bench -p memberkit --bench billing`. The run benchmarks report
//! throughput in invoices (documents issued), so criterion's `elem/s` is
//! invoices per second on one core; each also prints its invoice and account
//! counts once. `MK_BENCH_ACCOUNTS` sets the accounts per run (default
//! 1,000,000, the size design §8 names).
//!
//! - `*/new_accounts`: every account is new (an empty
//!   [`BillingAccount`](memberkit::billing::BillingAccount)) and its events
//!   are one join made on its start date, between the 2nd of the month
//!   before and the billing date (see `support/mod.rs`).
//! - `*/renewals`: those of the same accounts that are due on the billing
//!   date, already billed through the day before.
//! - `bill_all_streamed/*`: one [`bill_all`] run whose results are taken one
//!   account at a time and dropped, as a host that stores each account's
//!   documents as they come does.
//! - `bill_all_kept/*`: the same run collected into one `Vec` that holds
//!   every account's documents until the run ends.
//!
//! Every run bills a fresh copy of its accounts, made outside the timing.

mod support;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use memberkit::billing::{BillingConfig, bill_all, prorate};
use memberkit::membership::Catalog;
use memberkit::money::{Currency, Money, RoundingMode};
use std::hint::black_box;
use support::{Input, billing_date, catalog, new_accounts_from, renewals};

/// Accounts per billing run: `MK_BENCH_ACCOUNTS`, or 1,000,000.
fn accounts_per_run() -> usize {
    std::env::var("MK_BENCH_ACCOUNTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

/// Bills every account through the billing date with [`bill_all`], taking
/// each account's documents as they come; the invoices issued.
fn run_streamed(catalog: &Catalog, config: &BillingConfig, accounts: &mut [Input]) -> usize {
    bill_all(
        accounts.iter_mut().map(|(a, e)| (a, e.as_slice())),
        catalog,
        config,
        billing_date(),
    )
    .map(|r| r.map_or(0, |documents| documents.len()))
    .sum()
}

/// [`run_streamed`] with every result kept until the run ends.
fn run_kept(catalog: &Catalog, config: &BillingConfig, accounts: &mut [Input]) -> usize {
    let results: Vec<_> = bill_all(
        accounts.iter_mut().map(|(a, e)| (a, e.as_slice())),
        catalog,
        config,
        billing_date(),
    )
    .collect();
    results.iter().map(|r| r.as_ref().map_or(0, Vec::len)).sum()
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
    let fresh = new_accounts_from(&catalog, 0, accounts_per_run());
    let renewals = renewals(&catalog, &config, &fresh);
    let inputs = [("new_accounts", &fresh), ("renewals", &renewals)];
    let runs: [(&str, Run); 2] = [
        ("bill_all_streamed", run_streamed),
        ("bill_all_kept", run_kept),
    ];
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
