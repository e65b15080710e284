//! The billing benchmarks' input, shared by `benches/billing.rs` and
//! `examples/billing_run.rs`: accounts that each joined one of five monthly
//! plans on their start date (Apr 2 – May 1), billed through May 1.

use memberkit::billing::{BillingAccount, BillingConfig, bill};
use memberkit::calendar::{NaiveDate, date};
use memberkit::membership::{Catalog, Command, Event, Membership, decide};

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

/// An account's ledger and its membership's events.
pub type Input = (BillingAccount, Vec<Event>);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    date(y, m, d).expect("a valid date")
}

pub fn catalog() -> Catalog {
    Catalog::from_json(PLANS).expect("the benchmark catalog parses")
}

/// The billing date every run bills through.
pub fn billing_date() -> NaiveDate {
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

/// `count` new accounts and their events, numbered from `first`. Joins
/// between billing days pay a prorated first period (日割り) on their start
/// date, so most get two invoices through the billing date: the first
/// period's and the next one's.
pub fn new_accounts_from(catalog: &Catalog, first: usize, count: usize) -> Vec<Input> {
    (first..first + count)
        .map(|i| {
            let account = BillingAccount::new(format!("m-{i:07}"));
            (account, join_events(catalog, i))
        })
        .collect()
}

/// The accounts of [`new_accounts_from`] due on the billing date, billed through
/// the day before: each gets the billing date's invoice only, as in the
/// monthly run of a steady membership base.
///
/// The accounts are copied once more, in order, after the runs that made
/// them, as a host loads its ledgers from its store: the two runs per
/// account that make them leave each ledger where the heap had a hole, and
/// a run over them was timed on that scatter (a renewal of 1,000,000
/// accounts ran at 1.6 µs instead of 0.8 µs, at the same instruction count).
pub fn renewals(catalog: &Catalog, config: &BillingConfig, accounts: &[Input]) -> Vec<Input> {
    let eve = billing_date().pred_opt().expect("a day before");
    let due: Vec<Input> = accounts
        .iter()
        .filter_map(|(account, events)| {
            let billed = bill(account, events, catalog, config, eve).expect("the accounts bill");
            let due = bill(&billed.account, events, catalog, config, billing_date())
                .expect("the accounts bill");
            (!due.documents.is_empty()).then(|| (billed.account, events.clone()))
        })
        .collect();
    due.clone()
}
