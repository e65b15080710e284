//! Folding events into an account's receivables.

use super::event::{Escalation, Event};
use super::policy::{Restriction, Standing};
use super::state::{Invoice, Receivables};
use crate::money::Money;

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
        // Saturating: a stored state at the largest version must not wrap
        // to 0 (a stale writer would then win the version check) or panic.
        self.version = self.version.saturating_add(1);
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
