//! An account's receivables: its invoices and their dunning cases, and the
//! commands dunning accepts.

use super::policy::{Restriction, Standing};
use crate::calendar::NaiveDate;
use crate::money::{Currency, Money};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// An invoice's id, as billing issued it (e.g. `m-1-20260501-1`).
pub type InvoiceId = CompactString;
/// The host's id of a payment (its payment provider's transaction id).
pub type PaymentId = CompactString;

/// Whether a declined payment may succeed if tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decline {
    /// Insufficient funds, a timeout, a limit: worth retrying.
    Soft,
    /// An expired, stolen or closed card, a closed bank account: retrying
    /// cannot succeed until the member gives a new payment method.
    Hard,
}

/// One invoice and its dunning case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invoice {
    /// Billing's id.
    pub id: InvoiceId,
    /// The amount to collect.
    pub amount: Money,
    /// The due (collection) date.
    pub due: NaiveDate,
    /// Paid so far.
    pub paid: Money,
    /// Written off so far.
    pub written_off: Money,
    /// Voided: no longer owed.
    #[serde(default)]
    pub voided: bool,
    /// The day its first payment failed.
    #[serde(default)]
    pub first_failed_on: Option<NaiveDate>,
    /// Failed payments reported.
    #[serde(default)]
    pub failures: u32,
    /// Retries asked for.
    #[serde(default)]
    pub retries: u32,
    /// The policy's steps that have fired (bit `i` for step `i`).
    #[serde(default)]
    pub fired: u64,
    /// Past its grace period.
    #[serde(default)]
    pub overdue: bool,
    /// The strongest standing its case reached.
    #[serde(default)]
    pub level: Standing,
    /// The restrictions its case put in force, sorted.
    #[serde(default)]
    pub restrictions: Vec<Restriction>,
    /// Marked unpaid after its last retry: owed, but no step fires any more.
    #[serde(default)]
    pub marked_unpaid: bool,
    /// Handed over to a collection agency.
    #[serde(default)]
    pub in_collection: bool,
    /// The later invoice whose debit collects this one's balance too.
    #[serde(default)]
    pub carried_into: Option<InvoiceId>,
    /// Nothing is owed any more (paid, voided or written off); a settled
    /// invoice never opens again, so an account's history costs nothing to skip.
    #[serde(default)]
    pub settled: bool,
}

impl Invoice {
    /// What is still owed: the amount less payments and write-offs (zero once voided).
    pub fn balance(&self) -> Money {
        if self.voided {
            return Money::zero(self.amount.currency());
        }
        if self.paid.is_zero() && self.written_off.is_zero() {
            return self.amount;
        }
        // The three share a currency and payments never exceed the amount.
        self.amount
            .checked_sub(self.paid)
            .and_then(|m| m.checked_sub(self.written_off))
            .unwrap_or(Money::zero(self.amount.currency()))
    }

    /// Whether something is still owed.
    pub fn is_open(&self) -> bool {
        if self.settled {
            return false;
        }
        let balance = self.balance();
        !balance.is_zero() && !balance.is_negative()
    }

    /// What a payment may still take: the balance, then what was written off.
    pub(super) fn payable(&self) -> Money {
        if self.voided {
            return self.balance();
        }
        self.balance()
            .checked_add(self.written_off)
            .unwrap_or(self.balance())
    }

    /// Takes `part` (at most [`Invoice::payable`]): first the balance, the
    /// rest recovers what was written off.
    pub(super) fn receive(&mut self, part: Money) {
        let balance = self.balance();
        let to_balance = if part.checked_cmp(&balance).is_ok_and(|o| o.is_le()) {
            part
        } else {
            balance
        };
        let recovered = part.checked_sub(to_balance).unwrap_or(part);
        self.paid = self.paid.checked_add(part).unwrap_or(self.paid);
        self.written_off = self
            .written_off
            .checked_sub(recovered)
            .unwrap_or(self.written_off);
        self.settle();
    }

    pub(super) fn settle(&mut self) {
        self.settled = self.settled || self.voided || self.balance().is_zero();
    }
}

/// An account's receivables and where dunning stands on them; built by
/// folding [`Event`](super::Event)s into [`Receivables::default`].
///
/// `version` counts the events applied: a host storing events or snapshots
/// checks it on write (optimistic concurrency).
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Receivables {
    /// Events applied.
    #[serde(default)]
    pub version: u64,
    /// The currency of every invoice, from the first.
    #[serde(default)]
    pub currency: Option<Currency>,
    /// Every invoice, in the order issued (paid and voided ones included).
    #[serde(default)]
    pub invoices: Vec<Invoice>,
    /// The payment ids seen, sorted.
    #[serde(default)]
    pub payments: Vec<PaymentId>,
    /// All payments received.
    #[serde(default)]
    pub collected: Option<Money>,
    /// Payments beyond what was owed, kept as the account's credit.
    #[serde(default)]
    pub credit_kept: Option<Money>,
    /// The account's standing.
    #[serde(default)]
    pub standing: Standing,
    /// The restrictions in force, sorted.
    #[serde(default)]
    pub restrictions: Vec<Restriction>,
    /// The ladder state the account is in.
    #[serde(default)]
    pub ladder_state: Option<CompactString>,
    /// Since when a new payment method is awaited after a hard decline.
    #[serde(default)]
    pub method_update_requested: Option<NaiveDate>,
    /// The date of the latest event.
    #[serde(default)]
    pub updated_on: Option<NaiveDate>,
}

// `clone_from` keeps the target's lists and their storage (a batch advance
// copies every account it changes into one spare state); every field is
// named, so a new one cannot be left out.
impl Clone for Receivables {
    fn clone(&self) -> Self {
        Self {
            invoices: self.invoices.clone(),
            payments: self.payments.clone(),
            restrictions: self.restrictions.clone(),
            ladder_state: self.ladder_state.clone(),
            ..*self
        }
    }

    fn clone_from(&mut self, source: &Self) {
        let Self {
            version,
            currency,
            invoices,
            payments,
            collected,
            credit_kept,
            standing,
            restrictions,
            ladder_state,
            method_update_requested,
            updated_on,
        } = source;
        self.version = *version;
        self.currency = *currency;
        self.invoices.clone_from(invoices);
        self.payments.clone_from(payments);
        self.collected = *collected;
        self.credit_kept = *credit_kept;
        self.standing = *standing;
        self.restrictions.clone_from(restrictions);
        self.ladder_state.clone_from(ladder_state);
        self.method_update_requested = *method_update_requested;
        self.updated_on = *updated_on;
    }
}

/// What a host tells dunning. Serialized with a `"type"` tag:
/// `{"type": "payment_failed", "invoice": "m-1-20260501-1", "amount": {...}, "decline": "soft"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Billing issued an invoice to collect on `due`.
    InvoiceIssued {
        /// Billing's id.
        invoice: InvoiceId,
        /// The amount due.
        amount: Money,
        /// The collection date.
        due: NaiveDate,
    },
    /// A payment attempt failed.
    PaymentFailed {
        /// The invoice.
        invoice: InvoiceId,
        /// The amount attempted.
        amount: Money,
        /// Soft or hard.
        decline: Decline,
        /// The provider's decline code, kept for the host.
        #[serde(default)]
        code: Option<CompactString>,
    },
    /// A payment succeeded.
    PaymentSucceeded {
        /// The host's payment id; a payment id seen before is ignored.
        payment: PaymentId,
        /// The invoice it pays (with any invoices carried into its debit).
        invoice: InvoiceId,
        /// The amount received.
        amount: Money,
    },
    /// The member gave a new payment method.
    PaymentMethodUpdated,
    /// Billing voided the invoice.
    InvoiceVoided {
        /// The invoice.
        invoice: InvoiceId,
    },
    /// Staff wrote the invoice's balance off.
    InvoiceWrittenOff {
        /// The invoice.
        invoice: InvoiceId,
    },
    /// Take every step due by the date of the request.
    Advance,
}

impl Command {
    /// The command's name, as in its `"type"` tag.
    pub fn name(&self) -> &'static str {
        match self {
            Self::InvoiceIssued { .. } => "invoice_issued",
            Self::PaymentFailed { .. } => "payment_failed",
            Self::PaymentSucceeded { .. } => "payment_succeeded",
            Self::PaymentMethodUpdated => "payment_method_updated",
            Self::InvoiceVoided { .. } => "invoice_voided",
            Self::InvoiceWrittenOff { .. } => "invoice_written_off",
            Self::Advance => "advance",
        }
    }

    /// The command that hands an issued billing document to dunning: its id,
    /// amount due and collection date; `None` when it leaves nothing to
    /// collect (a credit note, an invoice paid by credit).
    pub fn from_document(document: &crate::billing::Document) -> Option<Self> {
        (document.amount_due.amount().is_sign_positive() && !document.amount_due.is_zero()).then(
            || Self::InvoiceIssued {
                invoice: document.id.clone(),
                amount: document.amount_due,
                due: document.collection_date,
            },
        )
    }
}
