//! One timed billing run over many subscriptions, outside criterion: the
//! accounts of `benches/support` (new, then renewals), billed through one
//! date with `bill_all`, every result kept until the run ends.
//!
//! `cargo run --release -p memberkit --example billing_run -- [accounts]`
//! (default 1,000,000).

#[path = "../benches/support/mod.rs"]
mod support;

use memberkit::billing::{BillingConfig, bill_all};
use std::time::Instant;
use support::{billing_date, catalog, new_accounts, renewals};

fn main() {
    let count = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let (catalog, config) = (catalog(), BillingConfig::default());
    let fresh = new_accounts(&catalog, count);
    let due = renewals(&catalog, &config, &fresh);
    for (name, mut accounts) in [("new accounts", fresh), ("renewals", due)] {
        let start = Instant::now();
        let results: Vec<_> = bill_all(
            accounts.iter_mut().map(|(a, e)| (a, e.as_slice())),
            &catalog,
            &config,
            billing_date(),
        )
        .collect();
        let seconds = start.elapsed().as_secs_f64();
        let invoices: usize = results.iter().map(|r| r.as_ref().map_or(0, Vec::len)).sum();
        let failed = results.iter().filter(|r| r.is_err()).count();
        println!(
            "{name}: {} accounts, {invoices} invoices ({failed} accounts failed) in {seconds:.3} s: {:.0} invoices/s",
            accounts.len(),
            invoices as f64 / seconds
        );
    }
}
