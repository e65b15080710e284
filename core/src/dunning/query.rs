//! What a host asks of an account's receivables: balances, open invoices,
//! the account's standing, and the planned timeline of its cases.

use super::DunningError;
use super::due::{case_start, step_date};
use super::policy::{Action, Policy, Restriction, Standing};
use super::state::{Invoice, InvoiceId, Receivables};
use crate::calendar::NaiveDate;
use crate::money::Money;
use compact_str::CompactString;
use serde::Serialize;

/// An invoice with something still owed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenInvoice {
    /// The invoice.
    pub invoice: InvoiceId,
    /// What is still owed.
    pub balance: Money,
    /// Its due date.
    pub due: NaiveDate,
    /// Days since its due date (0 until then).
    pub age_days: u32,
    /// The day its first payment failed.
    pub failed_on: Option<NaiveDate>,
    /// The later invoice whose debit collects it.
    pub carried_into: Option<InvoiceId>,
    /// Handed to a collection agency.
    pub in_collection: bool,
    /// The strongest standing its case reached.
    pub level: Standing,
}

/// Every yen the account was asked for, and where it went:
/// `invoiced = applied + written_off + open`, `collected = applied + credit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// The amounts of the invoices not voided.
    pub invoiced: Money,
    /// All payments received.
    pub collected: Money,
    /// Payments applied to invoices.
    pub applied: Money,
    /// Written off.
    pub written_off: Money,
    /// Still owed.
    pub open: Money,
    /// Kept as credit.
    pub credit: Money,
}

/// The account as dunning sees it: the strongest action in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountView {
    /// The standing.
    pub standing: Standing,
    /// The restrictions in force, sorted.
    pub restrictions: Vec<Restriction>,
    /// The ladder state.
    pub ladder_state: Option<CompactString>,
    /// Since when a new payment method is awaited.
    pub payment_method_update_requested: Option<NaiveDate>,
    /// Open invoices past their grace period.
    pub overdue_invoices: u32,
}

/// A step still to come for an unpaid invoice, unless it is paid first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Planned {
    /// The day it comes due.
    pub on: NaiveDate,
    /// The invoice.
    pub invoice: InvoiceId,
    /// The policy step.
    pub step: u8,
    /// What happens.
    #[serde(flatten)]
    pub action: Action,
    /// The amount owed for it.
    pub amount: Money,
}

impl Receivables {
    fn sum(&self, part: impl Fn(&Invoice) -> Money) -> Option<Money> {
        let currency = self.currency?;
        Some(
            self.invoices
                .iter()
                .fold(Money::zero(currency), |sum, invoice| {
                    // Amounts are at most MAX_AMOUNT each (decide refuses larger), so
                    // no account's sum overflows.
                    sum.checked_add(part(invoice)).unwrap_or(sum)
                }),
        )
    }

    /// What the account still owes; `None` before its first invoice.
    pub fn unpaid_balance(&self) -> Option<Money> {
        self.sum(Invoice::balance)
    }

    /// All payments received; `None` before its first invoice.
    pub fn total_collected(&self) -> Option<Money> {
        let currency = self.currency?;
        Some(self.collected.unwrap_or(Money::zero(currency)))
    }

    /// Invoiced, collected, applied, written off, open and credit; `None`
    /// before the first invoice.
    pub fn totals(&self) -> Option<Totals> {
        let currency = self.currency?;
        let zero = Money::zero(currency);
        let live = |f: fn(&Invoice) -> Money| move |i: &Invoice| if i.voided { zero } else { f(i) };
        Some(Totals {
            invoiced: self.sum(live(|i| i.amount))?,
            collected: self.collected.unwrap_or(zero),
            applied: self.sum(|i| i.paid)?,
            written_off: self.sum(live(|i| i.written_off))?,
            open: self.sum(Invoice::balance)?,
            credit: self.credit_kept.unwrap_or(zero),
        })
    }

    /// The invoices with something owed, oldest due first, with their age on `at`.
    pub fn open_invoices(&self, at: NaiveDate) -> Vec<OpenInvoice> {
        let mut open: Vec<OpenInvoice> = self
            .invoices
            .iter()
            .filter(|i| i.is_open())
            .map(|i| OpenInvoice {
                invoice: i.id.clone(),
                balance: i.balance(),
                due: i.due,
                age_days: u32::try_from((at - i.due).num_days().max(0)).unwrap_or(u32::MAX),
                failed_on: i.first_failed_on,
                carried_into: i.carried_into.clone(),
                in_collection: i.in_collection,
                level: i.level,
            })
            .collect();
        open.sort_by_key(|i| i.due);
        open
    }

    /// The open invoice due first.
    pub fn oldest_unpaid(&self) -> Option<&Invoice> {
        self.invoices
            .iter()
            .filter(|i| i.is_open())
            .min_by_key(|i| i.due)
    }

    /// Whether `restriction` (e.g. `no_new_bookings`) is in force.
    pub fn is_restricted(&self, restriction: &str) -> bool {
        self.restrictions.iter().any(|r| r == restriction)
    }

    /// The account's standing, restrictions and ladder state.
    pub fn view(&self) -> AccountView {
        AccountView {
            standing: self.standing,
            restrictions: self.restrictions.clone(),
            ladder_state: self.ladder_state.clone(),
            payment_method_update_requested: self.method_update_requested,
            overdue_invoices: self
                .invoices
                .iter()
                .filter(|i| i.is_open() && i.overdue)
                .count() as u32,
        }
    }

    /// The steps still to come for the unpaid invoices, in date order, as
    /// they will happen if nothing is paid: retries that will be skipped (a
    /// hard decline awaiting a new payment method, the maximum reached) are
    /// left out. Each can be told to the member with [`Planned::message`].
    ///
    /// # Errors
    /// [`DunningError::Calendar`] when a step's date leaves the calendar.
    pub fn timeline(&self, policy: &Policy) -> Result<Vec<Planned>, DunningError> {
        let mut planned = Vec::new();
        for invoice in self
            .invoices
            .iter()
            .filter(|i| i.is_open() && !i.marked_unpaid)
        {
            let Some(start) = case_start(invoice, policy) else {
                continue;
            };
            let mut steps = Vec::new();
            for (k, step) in policy.steps.iter().enumerate() {
                if invoice.fired & (1 << k) == 0 {
                    steps.push((step_date(policy, start, k)?, k, step));
                }
            }
            steps.sort_by_key(|(on, k, _)| (*on, *k));
            let mut retries_left = if self.method_update_requested.is_some() {
                0
            } else {
                policy.max_retries.saturating_sub(invoice.retries)
            };
            let mut written_off = false;
            for (on, k, step) in steps {
                if written_off {
                    break;
                }
                if step.action == Action::Retry {
                    if retries_left == 0 {
                        continue;
                    }
                    retries_left -= 1;
                }
                written_off = step.action == Action::WriteOff;
                planned.push(Planned {
                    on,
                    invoice: invoice.id.clone(),
                    step: k as u8,
                    action: step.action.clone(),
                    amount: invoice.balance(),
                });
            }
        }
        planned.sort_by_key(|p| p.on);
        Ok(planned)
    }
}
