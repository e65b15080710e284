//! An account's receivables: its invoices and their dunning cases, the
//! commands dunning accepts and the events it records.

use super::policy::{Channel, Restriction, Standing};
use crate::calendar::NaiveDate;
use crate::money::{Currency, Money};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

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
    fn receive(&mut self, part: Money) {
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

    fn settle(&mut self) {
        self.settled = self.settled || self.voided || self.balance().is_zero();
    }
}

/// An account's receivables and where dunning stands on them; built by
/// folding [`Event`]s into [`Receivables::default`].
///
/// `version` counts the events applied: a host storing events or snapshots
/// checks it on write (optimistic concurrency).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
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

/// Adds to a running total. Amounts are at most
/// [`MAX_AMOUNT`](super::MAX_AMOUNT) each (decide refuses larger), so no
/// account's total overflows.
fn add(total: &mut Option<Money>, amount: Money) {
    *total = Some(match total {
        Some(t) => t.checked_add(amount).unwrap_or(*t),
        None => amount,
    });
}

fn insert_sorted(list: &mut Vec<Restriction>, item: &Restriction) {
    if let Err(i) = list.binary_search(item) {
        list.insert(i, item.clone());
    }
}

impl Receivables {
    /// The invoice with this id.
    pub fn invoice(&self, id: &str) -> Option<&Invoice> {
        self.invoices.iter().find(|i| i.id == id)
    }

    fn invoice_mut(&mut self, id: &str) -> Option<&mut Invoice> {
        self.invoices.iter_mut().find(|i| i.id == id)
    }

    fn fire(&mut self, id: &str, step: Option<u8>, change: impl FnOnce(&mut Invoice)) {
        if let Some(invoice) = self.invoice_mut(id) {
            if let Some(step) = step {
                invoice.fired |= 1u64.checked_shl(u32::from(step)).unwrap_or(0);
            }
            change(invoice);
        }
    }

    /// The state after `event`; never fails (an event naming an unknown
    /// invoice changes nothing but the version).
    pub fn apply(mut self, event: &Event) -> Self {
        self.apply_mut(event);
        self
    }

    /// [`Receivables::apply`] in place.
    pub fn apply_mut(&mut self, event: &Event) {
        self.version += 1;
        let on = event.on();
        self.updated_on = Some(self.updated_on.map_or(on, |u| u.max(on)));
        match event {
            Event::InvoiceOpened {
                invoice,
                amount,
                due,
                ..
            } => {
                self.currency.get_or_insert(amount.currency());
                self.invoices.push(Invoice {
                    id: invoice.clone(),
                    amount: *amount,
                    due: *due,
                    paid: Money::zero(amount.currency()),
                    written_off: Money::zero(amount.currency()),
                    voided: false,
                    first_failed_on: None,
                    failures: 0,
                    retries: 0,
                    fired: 0,
                    overdue: false,
                    level: Standing::Good,
                    restrictions: Vec::new(),
                    marked_unpaid: false,
                    in_collection: false,
                    carried_into: None,
                    settled: false,
                });
            }
            Event::PaymentFailed { invoice, .. } => self.fire(invoice, None, |i| {
                i.failures = i.failures.saturating_add(1);
                i.first_failed_on.get_or_insert(on);
            }),
            Event::PaymentMethodUpdateRequested { .. } => {
                self.method_update_requested.get_or_insert(on);
            }
            Event::PaymentMethodUpdated { .. } => self.method_update_requested = None,
            Event::PaymentReceived {
                payment,
                amount,
                applied,
                ..
            } => {
                if let Err(i) = self.payments.binary_search(payment) {
                    self.payments.insert(i, payment.clone());
                }
                add(&mut self.collected, *amount);
                for part in applied {
                    self.fire(&part.invoice, None, |i| i.receive(part.amount));
                }
            }
            Event::CreditKept { amount, .. } => add(&mut self.credit_kept, *amount),
            Event::DuplicatePaymentIgnored { .. } => {}
            Event::InvoiceVoided { invoice, .. } => {
                for other in &mut self.invoices {
                    if other.carried_into.as_ref() == Some(invoice) {
                        other.carried_into = None;
                    }
                }
                self.fire(invoice, None, |i| {
                    i.voided = true;
                    i.settle();
                });
            }
            Event::CarriedToNextDebit { invoice, into, .. } => {
                let into = into.clone();
                self.fire(invoice, None, |i| i.carried_into = Some(into));
            }
            Event::RetryDue { invoice, step, .. } => {
                self.fire(invoice, *step, |i| i.retries = i.retries.saturating_add(1));
            }
            Event::RetrySkipped { invoice, step, .. } => self.fire(invoice, Some(*step), |_| {}),
            Event::ReminderDue { invoice, step, .. } => self.fire(invoice, Some(*step), |_| {}),
            Event::Overdue { invoice, .. } => self.fire(invoice, None, |i| {
                i.overdue = true;
                i.level = i.level.max(Standing::PastDue);
            }),
            Event::Escalated {
                invoice,
                step,
                escalation,
                ..
            } => self.fire(invoice, *step, |i| match escalation {
                Escalation::Restrict(restriction) => {
                    insert_sorted(&mut i.restrictions, restriction)
                }
                Escalation::Suspend => i.level = i.level.max(Standing::Suspended),
                Escalation::Cancel => i.level = Standing::Cancelled,
            }),
            Event::SentToCollection { invoice, step, .. } => {
                self.fire(invoice, Some(*step), |i| i.in_collection = true);
            }
            Event::WrittenOff {
                invoice,
                step,
                amount,
                ..
            } => self.fire(invoice, *step, |i| {
                i.written_off = i.written_off.checked_add(*amount).unwrap_or(i.written_off);
                i.settle();
            }),
            Event::MarkedUnpaid { invoice, .. } => {
                self.fire(invoice, None, |i| i.marked_unpaid = true)
            }
            Event::MarkedPastDue { .. } => self.standing = Standing::PastDue,
            Event::Suspended { .. } => self.standing = Standing::Suspended,
            Event::Cancelled { .. } => self.standing = Standing::Cancelled,
            Event::Restricted { restriction, .. } => {
                insert_sorted(&mut self.restrictions, restriction)
            }
            Event::RestrictionLifted { restriction, .. } => {
                self.restrictions.retain(|r| r != restriction);
            }
            Event::Recovered { to, lifted, .. } => {
                self.standing = *to;
                self.restrictions.retain(|r| !lifted.contains(r));
            }
            Event::LadderStateChanged { to, .. } => self.ladder_state = to.clone(),
        }
    }
}
