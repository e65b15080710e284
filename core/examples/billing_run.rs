//! One timed billing run over many subscriptions, outside criterion: the
//! accounts of `benches/support` (new, then renewals), billed through one
//! date with `bill_all`.
//!
//! `cargo run --release -p memberkit --example billing_run -- [accounts] [options]`
//! (default 1,000,000 accounts):
//! - (default) kept: every result held until the run ends;
//! - `--stream`: the accounts made and billed in chunks (`--chunk N`,
//!   100,000 by default), each chunk's results dropped before the next, so
//!   the resident memory does not grow with the run;
//! - `--json`: the JSON-text path too (`bill_batch_json`: parse, bill,
//!   write), on the same accounts as JSON;
//! - `--only new|renewals|none`: bill one input only (`none`: make the
//!   input and bill nothing), for `benches/billing_callgrind.sh`.
//!
//! For each run it prints invoices per second, nanoseconds per invoice,
//! allocations and bytes allocated per invoice, the bytes still held per
//! kept invoice (documents and the ledgers' growth), and the process's
//! resident memory (`VmRSS`) and its peak (`VmHWM`).

#[path = "../benches/support/mod.rs"]
mod support;

use memberkit::billing::{
    AccountHistory, BillingConfig, BillingError, Document, bill_all, bill_batch_json,
};
use memberkit::membership::Catalog;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;
use support::{Input, billing_date, catalog, new_accounts_from, renewals};

/// The system allocator, counting allocations and the bytes held.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static HELD: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to `System` unchanged; the counters only
// count.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        ALLOCATED.fetch_add(layout.size(), Relaxed);
        HELD.fetch_add(layout.size(), Relaxed);
        // SAFETY: the caller's layout, as `GlobalAlloc::alloc` requires.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Relaxed);
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        ALLOCATED.fetch_add(new_size, Relaxed);
        HELD.fetch_add(new_size, Relaxed);
        HELD.fetch_sub(layout.size(), Relaxed);
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// What the counters say at one moment.
#[derive(Clone, Copy)]
struct Counts {
    allocations: usize,
    allocated: usize,
    held: usize,
}

fn counts() -> Counts {
    Counts {
        allocations: ALLOCATIONS.load(Relaxed),
        allocated: ALLOCATED.load(Relaxed),
        held: HELD.load(Relaxed),
    }
}

/// One input's totals over a run (or over a streamed run's chunks).
#[derive(Default)]
struct Totals {
    accounts: usize,
    invoices: usize,
    failed: usize,
    seconds: f64,
    allocations: usize,
    allocated: usize,
    /// Bytes still held per invoice when the run's results were complete
    /// (the most of any chunk of a streamed run).
    held: f64,
}

impl Totals {
    fn add(&mut self, other: &Totals) {
        self.accounts += other.accounts;
        self.invoices += other.invoices;
        self.failed += other.failed;
        self.seconds += other.seconds;
        self.allocations += other.allocations;
        self.allocated += other.allocated;
        self.held = self.held.max(other.held);
    }

    fn print(&self, name: &str, held_label: &str) {
        let invoices = self.invoices.max(1) as f64;
        println!(
            "{name}: {} accounts, {} invoices ({} accounts failed) in {:.3} s: {:.0} invoices/s, \
             {:.0} ns/invoice, {:.2} allocations and {:.0} B allocated per invoice, \
             {held_label} {:.0} B per invoice; {}",
            self.accounts,
            self.invoices,
            self.failed,
            self.seconds,
            self.invoices as f64 / self.seconds,
            self.seconds * 1e9 / invoices,
            self.allocations as f64 / invoices,
            self.allocated as f64 / invoices,
            self.held,
            memory()
        );
    }
}

/// The process's resident memory and its peak, from `/proc/self/status`.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map_or("?".into(), |v| v.trim().to_owned())
    };
    format!("VmRSS {}, VmHWM {}", field("VmRSS:"), field("VmHWM:"))
}

type Results = Vec<Result<Vec<Document>, BillingError>>;

/// The timed part: bills every account, every result kept. Never inlined,
/// so that callgrind can count it alone (`--toggle-collect`).
#[inline(never)]
fn bill_kept(accounts: &mut [Input], catalog: &Catalog, config: &BillingConfig) -> Results {
    bill_all(
        accounts.iter_mut().map(|(a, e)| (a, e.as_slice())),
        catalog,
        config,
        billing_date(),
    )
    .collect()
}

/// The timed part of the JSON-text path, never inlined as [`bill_kept`].
#[inline(never)]
fn bill_json(histories: &str, catalog: &Catalog, config: &BillingConfig) -> String {
    bill_batch_json(histories, catalog, config, billing_date()).expect("the histories parse")
}

/// Bills `accounts` with [`bill_kept`]; the totals, with the results.
fn run(accounts: &mut [Input], catalog: &Catalog, config: &BillingConfig) -> (Totals, Results) {
    let before = counts();
    let start = Instant::now();
    let results = bill_kept(accounts, catalog, config);
    let seconds = start.elapsed().as_secs_f64();
    let after = counts();
    let totals = Totals {
        accounts: accounts.len(),
        invoices: results.iter().map(|r| r.as_ref().map_or(0, Vec::len)).sum(),
        failed: results.iter().filter(|r| r.is_err()).count(),
        seconds,
        allocations: after.allocations - before.allocations,
        allocated: after.allocated - before.allocated,
        held: 0.0,
    };
    let invoices = totals.invoices.max(1) as f64;
    let held = (after.held as f64 - before.held as f64) / invoices;
    (Totals { held, ..totals }, results)
}

/// Bills `accounts` as JSON text with [`bill_json`]; the totals, with
/// `invoices` counted by the typed run.
fn run_json(accounts: &[Input], invoices: usize, catalog: &Catalog, config: &BillingConfig) {
    let histories: Vec<AccountHistory> = accounts
        .iter()
        .map(|(account, events)| AccountHistory {
            account: account.clone(),
            events: events.clone(),
        })
        .collect();
    let text = serde_json::to_string(&histories).expect("histories serialize");
    drop(histories);
    let before = counts();
    let start = Instant::now();
    let output = bill_json(&text, catalog, config);
    let seconds = start.elapsed().as_secs_f64();
    let after = counts();
    let totals = Totals {
        accounts: accounts.len(),
        invoices,
        failed: 0,
        seconds,
        allocations: after.allocations - before.allocations,
        allocated: after.allocated - before.allocated,
        held: output.len() as f64 / invoices.max(1) as f64,
    };
    totals.print("  as JSON text", "JSON out");
    println!(
        "  ({} B of JSON in per account)",
        text.len() / accounts.len().max(1)
    );
}

/// Which inputs to bill.
#[derive(Clone, Copy, PartialEq)]
enum Only {
    Both,
    New,
    Renewals,
    Neither,
}

struct Options {
    accounts: usize,
    stream: bool,
    chunk: usize,
    json: bool,
    only: Only,
}

fn options() -> Options {
    let mut options = Options {
        accounts: 1_000_000,
        stream: false,
        chunk: 100_000,
        json: false,
        only: Only::Both,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--stream" => options.stream = true,
            "--json" => options.json = true,
            "--chunk" => options.chunk = args.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            "--only" => {
                options.only = match args.next().as_deref() {
                    Some("new") => Only::New,
                    Some("renewals") => Only::Renewals,
                    Some("none") => Only::Neither,
                    other => panic!("--only new|renewals|none, not {other:?}"),
                }
            }
            n => options.accounts = n.parse().expect("a number of accounts"),
        }
    }
    assert!(options.chunk > 0, "--chunk takes a positive number");
    options
}

fn main() {
    let options = options();
    let (catalog, config) = (catalog(), BillingConfig::default());
    let type_sizes = (size_of::<Document>(), size_of::<memberkit::billing::Line>());
    println!(
        "{} accounts, {}; a Document is {} B, a Line {} B",
        options.accounts,
        if options.stream {
            format!("streamed in chunks of {}", options.chunk)
        } else {
            "results kept".to_owned()
        },
        type_sizes.0,
        type_sizes.1
    );
    let chunk = if options.stream {
        options.chunk
    } else {
        options.accounts
    };
    let (mut new_totals, mut renewal_totals) = (Totals::default(), Totals::default());
    let mut first = 0;
    while first < options.accounts {
        let size = chunk.min(options.accounts - first);
        let mut fresh = new_accounts_from(&catalog, first, size);
        let mut due = renewals(&catalog, &config, &fresh);
        first += size;
        let inputs = [
            (Only::New, &mut fresh, &mut new_totals),
            (Only::Renewals, &mut due, &mut renewal_totals),
        ];
        for (which, accounts, totals) in inputs {
            if options.only != Only::Both && options.only != which {
                continue;
            }
            let input = options.json.then(|| accounts.clone());
            let (chunk_totals, results) = run(accounts, &catalog, &config);
            totals.add(&chunk_totals);
            if !options.stream {
                let name = if which == Only::New {
                    "new accounts"
                } else {
                    "renewals"
                };
                totals.print(name, "held");
            }
            drop(results);
            if let Some(input) = input {
                run_json(&input, chunk_totals.invoices, &catalog, &config);
            }
        }
    }
    if options.stream {
        new_totals.print("new accounts (streamed)", "held by a chunk at most");
        renewal_totals.print("renewals (streamed)", "held by a chunk at most");
    }
}
