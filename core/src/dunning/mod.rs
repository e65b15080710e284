//! Dunning (督促): what follows an unpaid invoice — retries, reminders,
//! restrictions, suspension, cancellation, collection and write-off — driven
//! by payment outcomes and the date.
//!
//! An account's [`Receivables`] follow the decider pattern: [`decide`] looks
//! at the state, a [`Policy`], a [`Command`] and the date it is made, and
//! either refuses with a [`DunningError`] or returns the [`Event`]s that
//! follow; [`Receivables::apply`] folds an event into the state and never
//! fails. Replaying the events from [`Receivables::default`] gives the same
//! state, and `version` counts them for optimistic concurrency.
//!
//! - Each invoice has a case: the policy's steps fire at day offsets from its
//!   first failed payment (or its due date, [`CountFrom`]), each at most
//!   once, none after it is paid, voided or written off.
//! - [`Command::Advance`] is idempotent, and advancing in many small steps
//!   gives the same events as one step to the end. Every other command first
//!   takes what is due by its date, so results never depend on when the host
//!   last advanced.
//! - The account's standing is the strongest in force among its unpaid
//!   invoices and the policy's ladder; account events say when it changes,
//!   and [`membership_commands`] turns them into the membership's commands.
//! - Money is conserved: `invoiced = applied + written off + open` and
//!   `collected = applied + credit` ([`Totals`]).
//!
//! ```
//! use memberkit::calendar::date;
//! use memberkit::dunning::{Command, Decline, Event, Language, Policy, Receivables, Standing, decide};
//! use memberkit::money::{Currency, Money};
//!
//! let policy = Policy::from_json(r#"{"currency": "JPY", "grace_days": 3, "max_retries": 1,
//!     "steps": [{"day": 3, "action": "retry"},
//!               {"day": 7, "action": "remind", "channel": "email", "template": "unpaid"},
//!               {"day": 14, "action": "suspend"}]}"#)?;
//! let yen = Money::from_minor(8_800, Currency::JPY);
//! let mut account = Receivables::default();
//! let mut run = |account: &mut Receivables, command: Command, at| -> Result<Vec<Event>, memberkit::Error> {
//!     let events = decide(account, &policy, &command, at)?;
//!     events.iter().for_each(|e| account.apply_mut(e));
//!     Ok(events)
//! };
//! run(&mut account, Command::InvoiceIssued { invoice: "m-1".into(), amount: yen, due: date(2026, 5, 1)? }, date(2026, 4, 25)?)?;
//! run(&mut account, Command::PaymentFailed { invoice: "m-1".into(), amount: yen, decline: Decline::Soft, code: None }, date(2026, 5, 1)?)?;
//!
//! // What the member is told.
//! let plan = account.timeline(&policy)?;
//! assert_eq!(plan[2].message(Language::En),
//!     "Your membership will be suspended on 15 May 2026 unless ¥8,800 is paid.");
//!
//! // Advancing to May 15 retries, reminds and suspends.
//! let events = run(&mut account, Command::Advance, date(2026, 5, 15)?)?;
//! assert!(events.contains(&Event::Suspended { on: date(2026, 5, 15)? }));
//! assert_eq!(account.standing, Standing::Suspended);
//!
//! // Paying recovers, and the membership is reinstated.
//! let paid = Command::PaymentSucceeded { payment: "pay-1".into(), invoice: "m-1".into(), amount: yen };
//! let events = run(&mut account, paid, date(2026, 5, 16)?)?;
//! assert_eq!(memberkit::dunning::membership_commands(&events),
//!     [memberkit::membership::Command::Reinstate]);
//! assert_eq!(account.standing, Standing::Good);
//! # Ok::<(), memberkit::Error>(())
//! ```

mod apply;
mod batch;
mod decide;
mod due;
mod event;
mod json;
mod policy;
mod query;
mod state;
mod text;

pub use batch::advance_all;
pub use decide::decide;
pub use event::{Applied, Escalation, Event, SkipReason};
pub use json::{events_from_json, events_to_json};
pub use policy::{
    Action, AfterLastRetry, Channel, CountFrom, LadderState, MAX_DAY, MAX_STEPS, Policy,
    Restriction, RetryTiming, Standing, Step,
};
pub use query::{AccountView, OpenInvoice, Planned, Totals};
pub use state::{Command, Decline, Invoice, InvoiceId, PaymentId, Receivables};
pub use text::Language;

use crate::calendar::{CalendarError, NaiveDate};
use crate::error_kind::ErrorKind;

/// The largest amount (in currency units: yen, dollars) an invoice or payment
/// may have: one quadrillion. Amounts this size keep every sum an account
/// can make exact.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;
use crate::membership::{CancelTiming, Command as MembershipCommand};
use crate::money::{Currency, Money, MoneyError};

/// Why a policy is invalid or a dunning command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DunningError {
    /// A policy is invalid; `path` names the bad field, e.g. `steps[2].template`.
    #[error(
        "invalid dunning policy{}: {message}",
        crate::error_kind::at_path(path)
    )]
    InvalidPolicy {
        /// Where in the policy.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A command, event or state given as JSON does not parse.
    #[error(transparent)]
    Json(#[from] crate::json::JsonError),
    /// No invoice has this id.
    #[error("unknown invoice {invoice:?}")]
    UnknownInvoice {
        /// The id given.
        invoice: InvoiceId,
    },
    /// An invoice issued twice.
    #[error("invoice {invoice:?} was already issued")]
    DuplicateInvoice {
        /// The id.
        invoice: InvoiceId,
    },
    /// The invoice was voided.
    #[error("invoice {invoice:?} was voided")]
    VoidedInvoice {
        /// The id.
        invoice: InvoiceId,
    },
    /// Nothing is owed on the invoice any more.
    #[error("invoice {invoice:?} is settled: nothing is owed on it")]
    SettledInvoice {
        /// The id.
        invoice: InvoiceId,
    },
    /// A void of an invoice that has payments: billing corrects it with a credit note.
    #[error(
        "invoice {invoice:?} has {paid} paid on it; correct it with a credit note instead of voiding it"
    )]
    InvoiceHasPayments {
        /// The id.
        invoice: InvoiceId,
        /// What was paid.
        paid: Money,
    },
    /// An amount that must be positive is not.
    #[error("{what} must be positive, got {amount}")]
    NotPositive {
        /// What the amount is.
        what: &'static str,
        /// The amount given.
        amount: Money,
    },
    /// An amount larger than dunning accepts ([`MAX_AMOUNT`]).
    #[error("{what} must be at most {MAX_AMOUNT}, got {amount}")]
    TooLarge {
        /// What the amount is.
        what: &'static str,
        /// The amount given.
        amount: Money,
    },
    /// A language code memberkit has no messages in.
    #[error("unknown language {code:?}: expected \"ja\" or \"en\"")]
    UnknownLanguage {
        /// The code given.
        code: String,
    },
    /// An amount in another currency than the policy's.
    #[error("the dunning policy is in {expected}, not {got}")]
    CurrencyMismatch {
        /// The policy's currency.
        expected: Currency,
        /// The amount's currency.
        got: Currency,
    },
    /// An invoice issued to a suspended account under a policy that stops invoicing then.
    #[error(
        "invoice {invoice:?} cannot be issued: the account is {standing} and the policy stops invoicing while suspended"
    )]
    InvoicingSuspended {
        /// The invoice.
        invoice: InvoiceId,
        /// The account's standing.
        standing: Standing,
    },
    /// A command dated before the account's latest event.
    #[error("a command on {at} comes before the account's latest event on {last}")]
    OutOfOrder {
        /// The command's date.
        at: NaiveDate,
        /// The latest event's date.
        last: NaiveDate,
    },
    /// An amount too large to add up.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// A date computation failed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl DunningError {
    /// The error's [`ErrorKind`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidPolicy { .. } => ErrorKind::InvalidConfig,
            Self::Json(_) => ErrorKind::InvalidJson,
            Self::UnknownInvoice { .. } => ErrorKind::UnknownInvoice,
            Self::NotPositive { .. } | Self::UnknownLanguage { .. } => ErrorKind::InvalidArgument,
            Self::TooLarge { .. } => ErrorKind::AmountOutOfRange,
            Self::CurrencyMismatch { .. } => ErrorKind::CurrencyMismatch,
            Self::DuplicateInvoice { .. }
            | Self::VoidedInvoice { .. }
            | Self::SettledInvoice { .. }
            | Self::InvoiceHasPayments { .. }
            | Self::InvoicingSuspended { .. }
            | Self::OutOfOrder { .. } => ErrorKind::CommandRefused,
            Self::Money(e) => e.kind(),
            Self::Calendar(e) => e.kind(),
        }
    }
}

/// The membership commands that dunning events call for, in order: a host
/// decides each on the member's [`Membership`](crate::membership::Membership)
/// so it never translates by hand.
///
/// | dunning event | membership command |
/// |---|---|
/// | `marked_past_due` | `mark_past_due` |
/// | `suspended` | `suspend` |
/// | `cancelled` | `cancel` now |
/// | `recovered` from past due or suspended to good | `reinstate` |
/// | `recovered` from suspended to past due | `reinstate`, then `mark_past_due` |
///
/// A recovery after cancellation calls for nothing: a cancelled member
/// rejoins by choice. Other events concern invoices only.
///
/// ```
/// use memberkit::calendar::date;
/// use memberkit::dunning::{Event, Standing, membership_commands};
/// use memberkit::membership::Command;
/// let on = date(2026, 5, 15)?;
/// let events = [Event::Suspended { on },
///     Event::Recovered { on, from: Standing::Suspended, to: Standing::Good, lifted: vec![] }];
/// assert_eq!(membership_commands(&events), [Command::Suspend, Command::Reinstate]);
/// # Ok::<(), memberkit::Error>(())
/// ```
pub fn membership_commands(events: &[Event]) -> Vec<MembershipCommand> {
    let mut commands = Vec::new();
    for event in events {
        match event {
            Event::MarkedPastDue { .. } => commands.push(MembershipCommand::MarkPastDue),
            Event::Suspended { .. } => commands.push(MembershipCommand::Suspend),
            Event::Cancelled { .. } => commands.push(MembershipCommand::Cancel {
                when: CancelTiming::Now,
            }),
            Event::Recovered { from, to, .. } => match (from, to) {
                (Standing::PastDue | Standing::Suspended, Standing::Good) => {
                    commands.push(MembershipCommand::Reinstate);
                }
                (Standing::Suspended, Standing::PastDue) => {
                    commands.push(MembershipCommand::Reinstate);
                    commands.push(MembershipCommand::MarkPastDue);
                }
                _ => {}
            },
            _ => {}
        }
    }
    commands
}
