//! Billing: invoices and credit notes from a membership's events.
//!
//! # Semantics
//! - Periods are half-open, `[start, end)`, on the plan's billing day (the
//!   1st for calendar alignment, the first paid day's for anniversary, or any
//!   day 1–31), clamped to short months and returning to the day when the
//!   month allows. Billing is in advance by default (a period's fee is
//!   invoiced on its start date), or in arrears (on its end date).
//! - A paid membership that starts between billing days first pays the part
//!   up to the next billing day: `price × days_left / days_in_period` (日割り),
//!   days counted from the start (included) to the period end (excluded).
//!   [`FirstPeriod`] offers the other rules clubs use: the full fee, free,
//!   or a table of day ranges to fractions. Days are actual days by default,
//!   or [`DayCount::Thirty`].
//! - A plan change mid-period credits the old plan's unused days and charges
//!   the new plan's remaining days, each `price × days / days_in_period`.
//!   A change at the next period is not prorated. In arrears, the old plan's
//!   days are billed on the day of the change. A change undone the same day
//!   nets to zero: billed after both, nothing changes; billed between them,
//!   the credit and charge cancel exactly in advance, and in arrears the
//!   period is charged in two prorated pieces (equal within one minor unit
//!   per line).
//! - Between plans of one interval the membership keeps its billing
//!   schedule (the joined plan's billing day), whatever the new plan's
//!   alignment. A change to a plan of another interval (monthly to yearly,
//!   weekly to monthly, ...) starts the new plan's schedule on the change
//!   day, on its own billing day ([`Plan::schedule_from`](crate::membership::Plan::schedule_from)):
//!   the old plan's period is billed for its days before the change, its
//!   unused rest credited at once as replaced (carried forward, whatever the
//!   refund policy), and the new plan's first period is prorated when its
//!   billing day is not the change day. The membership's
//!   [`billing_schedule`](crate::membership::Membership::billing_schedule),
//!   its renewals and its period-end dates follow the same schedule. A change
//!   to a plan priced in another currency is refused
//!   ([`MembershipError::CurrencyMismatch`]).
//! - Days no longer owed after a change the term outlived are credited as
//!   replaced, even when a cancel follows; other days no longer owed are
//!   replaced while the membership runs, and after its end follow the refund
//!   policy of the plan it ended on.
//! - While paused, no plan fee: the pause fee is charged per paused period
//!   instead, and a pause or resume mid-period prorates both.
//! - Cancel before the period end: a credit for the unused days as the plan's
//!   [`RefundPolicy`](crate::membership::RefundPolicy) says (none, a prorated
//!   credit carried forward, or a prorated refund). With none, billed in
//!   advance, the period a cancel ends in (at once or on a scheduled date)
//!   stays paid in full, whether it was billed before the cancel was known or
//!   after; billed in arrears, it is charged for the days used. A fixed term
//!   ends on its day. A cooling-off cancel refunds everything the term was
//!   charged.
//! - Each prorated amount is exact until it is rounded once to the currency's
//!   minor unit with the configured mode (default: down, 切り捨て). A credit
//!   for some days is always exactly the charge for the same days.
//! - A plan's price includes the consumption tax (内税) or not (外税). The tax
//!   is computed once per document per rate and inclusion, over that rate's
//!   lines, and rounded once (the qualified-invoice rule; default: down);
//!   each document shows, per rate, the taxable total and the tax
//!   ([`TaxSummary`]). Early-termination fees are not taxed.
//! - A cancel on a chosen date ([`CancelTiming::On`](crate::membership::CancelTiming::On))
//!   ends the term then like any other: the last partial period follows
//!   the refund policy. A period collected ahead (a plan's
//!   `collect_next_period_at_join`: the first invoice, on the first paid
//!   day, also bills the whole next period, billing in advance only) that
//!   the membership ends before is given back whatever the policy, as is any
//!   period billed that begins on or after the end.
//! - A member migrated in from another system starts from
//!   [`BillingAccount::migrated`]: days and one-off fees before the date it
//!   names were billed there, and are neither charged nor credited.
//! - A plan's admission fee (入会金) is charged once, on the join date of each
//!   term (waived on a rejoin within the plan's window). A host adds one-off
//!   charges ([`Charge`], billed once on their date) and discounts
//!   ([`Discount`]: an amount or a percentage off each of the first N
//!   plan-fee charges from a date) to the account.
//! - The lines of one date make one document: an invoice, or a credit note
//!   when its total is negative or it refunds; a credit note names the
//!   invoice it corrects ([`Document::corrects`]). Credit that is not
//!   refunded is carried forward ([`BillingAccount::credit`]) and applied to
//!   the next invoices (`credit_applied`, `amount_due`).
//! - An invoice is collected on its date, or with [`Collection::DebitDay`] on
//!   the next debit day (e.g. the 27th) on or after it, moved to the next
//!   business day past weekends and the host's holidays
//!   ([`next_business_day`]).
//! - A document's id is `{account}-{YYYYMMDD}-{n}`: the account, the issue
//!   date (a period's start when billing in advance, its end in arrears) and
//!   its number among the account's documents of that date. Billing again
//!   from the same ledger issues the same ids, so a host detects a duplicate
//!   by its id.
//! - Periods not yet reached are billed as the membership will run by itself:
//!   a pause ends, planned pauses and plan changes take effect, a scheduled
//!   cancel ends the term; planned changes of a past-due or suspended
//!   membership, and planned plan changes of one pending cancellation (unless
//!   paused by then), wait, as the membership's own do. An early-termination
//!   fee is charged when its cancel takes effect, not when a fixed term ends
//!   first.
//! - Billing is a pure function of the events and the [`BillingAccount`]
//!   (what was billed before): billing through a date already billed adds
//!   nothing; no day of a term is billed twice, and no billable day up to the
//!   date is left unbilled. (A member who rejoins within a period a
//!   no-refund cancel left paid pays the new term from its start too.)
//!
//! ```
//! use memberkit::billing::{BillingAccount, BillingConfig, bill};
//! use memberkit::calendar::date;
//! use memberkit::membership::{Catalog, Command, Membership, decide};
//!
//! let catalog = Catalog::from_json(r#"[{"id": "regular", "name": "Regular",
//!     "price": {"amount": "8800", "currency": "JPY"}, "price_includes_tax": true,
//!     "interval": {"unit": "month", "count": 1}}]"#)?;
//! let join = Command::Join { plan: "regular".into(), start: date(2026, 4, 15)?, trial: false };
//! let events = decide(&Membership::default(), &catalog, &join, date(2026, 4, 15)?)?;
//!
//! let run = bill(&BillingAccount::new("m-001"), &events, &catalog, &BillingConfig::default(), date(2026, 5, 1)?)?;
//! let amounts: Vec<String> = run.documents.iter().map(|d| d.total.to_string()).collect();
//! assert_eq!(amounts, ["4693 JPY", "8800 JPY"]); // Apr 15–30 is 16/30 of ¥8,800, rounded down
//! // Billing the same dates again adds nothing.
//! let again = bill(&run.account, &events, &catalog, &BillingConfig::default(), date(2026, 5, 1)?)?;
//! assert!(again.documents.is_empty());
//! # Ok::<(), memberkit::Error>(())
//! ```

mod adjustments;
mod assemble;
mod batch;
mod config;
mod document;
mod host_items;
mod intervals;
mod json_out;
mod ledger;
mod lines;
mod one_offs;
mod pending;
mod pricing;
mod proration;
mod run;
mod term;
mod text;
mod timeline;

pub use crate::calendar::next_business_day;
pub use batch::{AccountHistory, bill_batch_json};
pub use config::{BillingConfig, Collection, FirstPeriod, FirstPeriodRow, Fraction, Timing};
pub use document::{Document, DocumentKind, Line, LineKind, Proration, TaxCategory, TaxSummary};
pub use host_items::{Charge, Discount, DiscountOff};
pub use ledger::BillingAccount;
pub use proration::{DayCount, prorate};
pub use run::{BillingRun, bill, bill_all, bill_in_place};

use crate::calendar::CalendarError;
use crate::error_kind::ErrorKind;
use crate::membership::MembershipError;
use crate::money::MoneyError;

/// What can go wrong while billing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BillingError {
    /// A proration of more days than the period has, or of an empty period.
    #[error("cannot prorate {part} of {whole} days")]
    InvalidProration {
        /// The days asked for.
        part: u32,
        /// The days of the period.
        whole: u32,
    },
    /// A billing config that is not valid; `path` names the bad field.
    #[error(
        "invalid billing config{}: {message}",
        crate::error_kind::at_path(path)
    )]
    InvalidConfig {
        /// Where in the config.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// An account, history or events given as JSON that does not parse.
    #[error("invalid {what} JSON{}: {message}", crate::error_kind::at_path(path))]
    InvalidJson {
        /// What was being read.
        what: &'static str,
        /// Where in the JSON.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A document without lines was about to be issued (a bug).
    #[error("a document must have at least one line")]
    EmptyDocument,
    /// A plan the events name is not in the catalog.
    #[error(transparent)]
    Membership(#[from] MembershipError),
    /// Amounts in different currencies, or too large.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// A date computation failed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A run that would bill more than [`MAX_PERIODS_PER_RUN`] periods of one
    /// membership term (a `paid_from` centuries back, a daily plan billed
    /// through a date far ahead): refused before the work is done.
    #[error(
        "billing through {through} would bill more than {limit} periods of one membership in one run; \
         bill it through earlier dates first, in steps"
    )]
    TooManyPeriods {
        /// The run's date.
        through: crate::calendar::NaiveDate,
        /// [`MAX_PERIODS_PER_RUN`].
        limit: usize,
    },
}

/// The most billing periods of one membership term that one run bills: a
/// monthly plan's 416 years, a daily plan's 13. Past it the run is refused
/// with [`BillingError::TooManyPeriods`] (kind `limit_exceeded`), in bounded
/// time and memory; a host catching up on years of a daily plan bills
/// through earlier dates first.
pub const MAX_PERIODS_PER_RUN: usize = 5_000;

impl BillingError {
    /// The error's [`ErrorKind`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidProration { .. } => ErrorKind::InvalidArgument,
            Self::InvalidConfig { .. } => ErrorKind::InvalidConfig,
            Self::InvalidJson { .. } => ErrorKind::InvalidJson,
            Self::EmptyDocument => ErrorKind::InvalidArgument,
            Self::Membership(e) => e.kind(),
            Self::Money(e) => e.kind(),
            Self::Calendar(e) => e.kind(),
            Self::TooManyPeriods { .. } => ErrorKind::LimitExceeded,
        }
    }
}
