//! The events dunning records: what happened to an invoice, and what the
//! account's standing became.

use super::policy::{Channel, Restriction, Standing};
use super::state::{Decline, InvoiceId, PaymentId};
use crate::calendar::NaiveDate;
use crate::money::Money;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

/// Why a scheduled retry did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A hard decline is waiting for a new payment method.
    HardDecline,
    /// The invoice has had the policy's maximum number of retries.
    MaxRetries,
}

/// What an invoice's case puts in force on the account: `"suspend"`,
/// `"cancel"` or `{"restrict": "no_new_bookings"}` in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    /// A named restriction.
    Restrict(Restriction),
    /// Suspension.
    Suspend,
    /// Cancellation.
    Cancel,
}

/// A payment's part applied to one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applied {
    /// The invoice.
    pub invoice: InvoiceId,
    /// The amount applied.
    pub amount: Money,
}

/// What happened; `on` is the date it takes effect.
///
/// Invoice events carry the `invoice` (and the policy `step` that fired, if
/// any). Account events (`marked_past_due`, `restricted`,
/// `restriction_lifted`, `suspended`, `cancelled`, `recovered`,
/// `ladder_state_changed`) say what the account's standing became; map them
/// to membership commands with [`membership_commands`](super::membership_commands).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// An invoice is owed.
    InvoiceOpened {
        /// The date.
        on: NaiveDate,
        /// The invoice.
        invoice: InvoiceId,
        /// The amount to collect.
        amount: Money,
        /// The collection date.
        due: NaiveDate,
    },
    /// A payment attempt failed.
    PaymentFailed {
        /// The date.
        on: NaiveDate,
        /// The invoice.
        invoice: InvoiceId,
        /// The amount attempted.
        amount: Money,
        /// Soft or hard.
        decline: Decline,
        /// The provider's decline code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<CompactString>,
    },
    /// After a hard decline: ask the member for a new payment method.
    PaymentMethodUpdateRequested {
        /// The date.
        on: NaiveDate,
        /// The invoice whose payment was declined.
        invoice: InvoiceId,
    },
    /// A new payment method was given; retries resume.
    PaymentMethodUpdated {
        /// The date.
        on: NaiveDate,
    },
    /// A payment was received and applied.
    PaymentReceived {
        /// The date.
        on: NaiveDate,
        /// The host's payment id.
        payment: PaymentId,
        /// The amount received.
        amount: Money,
        /// How it was applied, oldest invoice first.
        applied: SmallVec<[Applied; 1]>,
    },
    /// The part of a payment beyond what was owed, kept as credit for billing to use.
    CreditKept {
        /// The date.
        on: NaiveDate,
        /// The payment.
        payment: PaymentId,
        /// The credit.
        amount: Money,
    },
    /// A payment id seen before: nothing was counted.
    DuplicatePaymentIgnored {
        /// The date.
        on: NaiveDate,
        /// The payment id.
        payment: PaymentId,
        /// The amount reported.
        amount: Money,
    },
    /// An invoice was voided.
    InvoiceVoided {
        /// The date.
        on: NaiveDate,
        /// The invoice.
        invoice: InvoiceId,
    },
    /// An unpaid balance joins a later invoice's debit (口座振替).
    CarriedToNextDebit {
        /// The date.
        on: NaiveDate,
        /// The unpaid invoice.
        invoice: InvoiceId,
        /// The invoice whose debit collects it.
        into: InvoiceId,
        /// The amount carried.
        amount: Money,
    },
    /// Try the payment again.
    RetryDue {
        /// The date.
        on: NaiveDate,
        /// The invoice.
        invoice: InvoiceId,
        /// The policy step, or none for the retry after a new payment method.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<u8>,
        /// Which retry this is, from 1.
        attempt: u32,
        /// The amount to collect.
        amount: Money,
    },
    /// A scheduled retry that did not happen.
    RetrySkipped {
        /// The date.
        on: NaiveDate,
        /// The invoice.
        invoice: InvoiceId,
        /// The policy step.
        step: u8,
        /// Why.
        reason: SkipReason,
    },
    /// Send a reminder.
    ReminderDue {
        /// The date.
        on: NaiveDate,
        /// The invoice.
        invoice: InvoiceId,
        /// The policy step.
        step: u8,
        /// How.
        channel: Channel,
        /// The template key.
        template: CompactString,
        /// The balance to mention.
        amount: Money,
    },
    /// The invoice's grace period ended unpaid.
    Overdue {
        /// The date.
        on: NaiveDate,
        /// The invoice.
        invoice: InvoiceId,
    },
    /// The invoice's case put a restriction, suspension or cancellation in force.
    Escalated {
        /// The date.
        on: NaiveDate,
        /// The invoice.
        invoice: InvoiceId,
        /// The policy step, or none after the last retry.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<u8>,
        /// What.
        escalation: Escalation,
    },
    /// Hand the invoice to a collection agency.
    SentToCollection {
        /// The date.
        on: NaiveDate,
        /// The invoice.
        invoice: InvoiceId,
        /// The policy step.
        step: u8,
        /// The balance handed over.
        amount: Money,
    },
    /// The invoice's balance was written off.
    WrittenOff {
        /// The date.
        on: NaiveDate,
        /// The invoice.
        invoice: InvoiceId,
        /// The policy step, or none when staff wrote it off.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<u8>,
        /// The amount written off.
        amount: Money,
    },
    /// After its last retry failed, the invoice is marked unpaid.
    MarkedUnpaid {
        /// The date.
        on: NaiveDate,
        /// The invoice.
        invoice: InvoiceId,
    },
    /// The account became past due.
    MarkedPastDue {
        /// The date.
        on: NaiveDate,
    },
    /// A restriction came into force.
    Restricted {
        /// The date.
        on: NaiveDate,
        /// The restriction.
        restriction: Restriction,
    },
    /// A restriction was lifted while the account stays in dunning.
    RestrictionLifted {
        /// The date.
        on: NaiveDate,
        /// The restriction.
        restriction: Restriction,
    },
    /// The account was suspended.
    Suspended {
        /// The date.
        on: NaiveDate,
    },
    /// The account's membership was cancelled.
    Cancelled {
        /// The date.
        on: NaiveDate,
    },
    /// Payment (or a void or write-off) lowered the account's standing.
    Recovered {
        /// The date.
        on: NaiveDate,
        /// The standing before.
        from: Standing,
        /// The standing now (`good` once nothing is overdue).
        to: Standing,
        /// The restrictions lifted.
        lifted: Vec<Restriction>,
    },
    /// The account entered another state of the policy's ladder (or left it).
    LadderStateChanged {
        /// The date.
        on: NaiveDate,
        /// The state before.
        from: Option<CompactString>,
        /// The state now.
        to: Option<CompactString>,
    },
}

impl Event {
    /// The event's snake_case name, as in its JSON `"type"` field.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::InvoiceOpened { .. } => "invoice_opened",
            Self::PaymentFailed { .. } => "payment_failed",
            Self::PaymentMethodUpdateRequested { .. } => "payment_method_update_requested",
            Self::PaymentMethodUpdated { .. } => "payment_method_updated",
            Self::PaymentReceived { .. } => "payment_received",
            Self::CreditKept { .. } => "credit_kept",
            Self::DuplicatePaymentIgnored { .. } => "duplicate_payment_ignored",
            Self::InvoiceVoided { .. } => "invoice_voided",
            Self::CarriedToNextDebit { .. } => "carried_to_next_debit",
            Self::RetryDue { .. } => "retry_due",
            Self::RetrySkipped { .. } => "retry_skipped",
            Self::ReminderDue { .. } => "reminder_due",
            Self::Overdue { .. } => "overdue",
            Self::Escalated { .. } => "escalated",
            Self::SentToCollection { .. } => "sent_to_collection",
            Self::WrittenOff { .. } => "written_off",
            Self::MarkedUnpaid { .. } => "marked_unpaid",
            Self::MarkedPastDue { .. } => "marked_past_due",
            Self::Restricted { .. } => "restricted",
            Self::RestrictionLifted { .. } => "restriction_lifted",
            Self::Suspended { .. } => "suspended",
            Self::Cancelled { .. } => "cancelled",
            Self::Recovered { .. } => "recovered",
            Self::LadderStateChanged { .. } => "ladder_state_changed",
        }
    }

    /// The date the event takes effect.
    pub fn on(&self) -> NaiveDate {
        match self {
            Self::InvoiceOpened { on, .. }
            | Self::PaymentFailed { on, .. }
            | Self::PaymentMethodUpdateRequested { on, .. }
            | Self::PaymentMethodUpdated { on }
            | Self::PaymentReceived { on, .. }
            | Self::CreditKept { on, .. }
            | Self::DuplicatePaymentIgnored { on, .. }
            | Self::InvoiceVoided { on, .. }
            | Self::CarriedToNextDebit { on, .. }
            | Self::RetryDue { on, .. }
            | Self::RetrySkipped { on, .. }
            | Self::ReminderDue { on, .. }
            | Self::Overdue { on, .. }
            | Self::Escalated { on, .. }
            | Self::SentToCollection { on, .. }
            | Self::WrittenOff { on, .. }
            | Self::MarkedUnpaid { on, .. }
            | Self::MarkedPastDue { on }
            | Self::Restricted { on, .. }
            | Self::RestrictionLifted { on, .. }
            | Self::Suspended { on }
            | Self::Cancelled { on }
            | Self::Recovered { on, .. }
            | Self::LadderStateChanged { on, .. } => *on,
        }
    }
}
