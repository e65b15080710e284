//! The dunning decider: what follows a command on an account's receivables.

use super::DunningError;
use super::due::{
    anything_due, case_start, derive, in_dunning, ladder_name, next_date, overdue_date, step_date,
};
use super::event::{Applied, Escalation, Event, SkipReason};
use super::policy::{Action, AfterLastRetry, Policy, Restriction, Standing};
use super::state::{Command, Invoice, Receivables};
use crate::calendar::NaiveDate;
use crate::money::Money;
use smallvec::SmallVec;

/// Decides what follows `command`, made on `at`, for an account in `state`
/// under `policy`: the events to apply, or why the command is refused.
///
/// [`Command::Advance`] takes every step due by `at`, day by day. Other
/// commands act on the state as it is and take only what they make due
/// themselves (a failed payment's day-0 steps); steps already due on other
/// invoices wait for the next advance, and a payment never sets off a retry
/// of what it paid. Account events (standing, restrictions, ladder state)
/// follow the invoice events of each day.
///
/// # Errors
/// A [`DunningError`] naming what is wrong: an unknown, voided or settled
/// invoice, a currency or amount that does not fit, a date before the
/// account's latest event.
pub fn decide(
    state: &Receivables,
    policy: &Policy,
    command: &Command,
    at: NaiveDate,
) -> Result<Vec<Event>, DunningError> {
    let mut next = Receivables::default();
    let mut events = Vec::new();
    run(state, policy, command, at, &mut next, &mut events)?;
    Ok(events)
}

/// Decides into `events` (empty when called), making `next` the state they
/// lead to; `false`, with `next` and `events` untouched, for an advance with
/// nothing due. On an error `next` and `events` hold a partial run.
pub(super) fn run(
    state: &Receivables,
    policy: &Policy,
    command: &Command,
    at: NaiveDate,
    next: &mut Receivables,
    events: &mut Vec<Event>,
) -> Result<bool, DunningError> {
    if let Some(last) = state.updated_on
        && at < last
    {
        return Err(DunningError::OutOfOrder { at, last });
    }
    if matches!(command, Command::Advance) && !anything_due(state, policy, at)? {
        return Ok(false);
    }
    // Made into `next`'s storage: a batch passes the same one for every account.
    next.clone_from(state);
    events.reserve(8);
    let mut run = Run {
        policy,
        floor: state.updated_on,
        cursor: state.updated_on,
        state: next,
        events,
    };
    match command {
        Command::Advance => run.advance(at, None)?,
        Command::PaymentFailed { invoice, .. } => {
            run.command(command, at)?;
            run.advance(at, Some(invoice))?;
        }
        _ => {
            run.command(command, at)?;
            run.settle(at);
        }
    }
    Ok(true)
}

struct Run<'a> {
    policy: &'a Policy,
    floor: Option<NaiveDate>,
    cursor: Option<NaiveDate>,
    state: &'a mut Receivables,
    events: &'a mut Vec<Event>,
}

impl Run<'_> {
    fn push(&mut self, event: Event) {
        self.state.apply_mut(&event);
        self.events.push(event);
    }

    /// Takes every day with something due (for `only` one invoice), in
    /// order, then settles on `at`.
    fn advance(&mut self, at: NaiveDate, only: Option<&str>) -> Result<(), DunningError> {
        while let Some(day) =
            next_date(self.state, self.policy, at, (self.floor, self.cursor), only)?
        {
            self.take_day(day, only)?;
        }
        self.settle(at);
        Ok(())
    }

    fn take_day(&mut self, day: NaiveDate, only: Option<&str>) -> Result<(), DunningError> {
        let due = |date: NaiveDate| self.floor.map_or(date, |f| date.max(f)) <= day;
        let mut fired = Vec::new();
        for invoice in
            (self.state.invoices.iter()).filter(|i| i.is_open() && only.is_none_or(|id| i.id == id))
        {
            let Some(start) = case_start(invoice, self.policy) else {
                continue;
            };
            if !invoice.overdue && due(overdue_date(self.policy, start)?) {
                fired.push((invoice.id.clone(), None));
            }
            for k in 0..self.policy.steps.len() {
                if invoice.fired & (1 << k) == 0
                    && in_dunning(invoice)
                    && due(step_date(self.policy, start, k)?)
                {
                    fired.push((invoice.id.clone(), Some(k)));
                }
            }
        }
        for (id, step) in fired {
            let Some(invoice) = self.state.invoice(&id) else {
                continue;
            };
            // An earlier step of the day (a write-off) may have settled it.
            let event = match step {
                None if invoice.is_open() => Event::Overdue {
                    on: day,
                    invoice: id,
                },
                Some(k) if in_dunning(invoice) => self.step_event(invoice, k, day),
                _ => continue,
            };
            self.push(event);
        }
        self.settle(day);
        self.cursor = Some(self.cursor.map_or(day, |c| c.max(day)));
        Ok(())
    }

    fn step_event(&self, invoice: &Invoice, k: usize, on: NaiveDate) -> Event {
        let step = k as u8;
        let id = invoice.id.clone();
        match &self.policy.steps[k].action {
            Action::Retry => {
                let reason = if self.state.method_update_requested.is_some() {
                    Some(SkipReason::HardDecline)
                } else if invoice.retries >= self.policy.max_retries {
                    Some(SkipReason::MaxRetries)
                } else {
                    None
                };
                match reason {
                    Some(reason) => Event::RetrySkipped {
                        on,
                        invoice: id,
                        step,
                        reason,
                    },
                    None => Event::RetryDue {
                        on,
                        invoice: id,
                        step: Some(step),
                        attempt: invoice.retries + 1,
                        amount: self.debit_amount(invoice),
                    },
                }
            }
            Action::Remind { channel, template } => Event::ReminderDue {
                on,
                invoice: id,
                step,
                channel: *channel,
                template: template.clone(),
                amount: self.debit_amount(invoice),
            },
            Action::Restrict { restriction } => Event::Escalated {
                on,
                invoice: id,
                step: Some(step),
                escalation: Escalation::Restrict(restriction.clone()),
            },
            Action::Suspend => Event::Escalated {
                on,
                invoice: id,
                step: Some(step),
                escalation: Escalation::Suspend,
            },
            Action::Cancel => Event::Escalated {
                on,
                invoice: id,
                step: Some(step),
                escalation: Escalation::Cancel,
            },
            Action::SendToCollection => Event::SentToCollection {
                on,
                invoice: id,
                step,
                amount: invoice.balance(),
            },
            Action::WriteOff => Event::WrittenOff {
                on,
                invoice: id,
                step: Some(step),
                amount: invoice.balance(),
            },
        }
    }

    /// What the invoice's collection takes: its balance and the balances
    /// carried into it.
    fn debit_amount(&self, invoice: &Invoice) -> Money {
        self.state
            .invoices
            .iter()
            .filter(|i| i.is_open() && i.carried_into.as_ref() == Some(&invoice.id))
            .fold(invoice.balance(), |sum, i| {
                // Amounts are at most MAX_AMOUNT each (decide refuses larger), so
                // no account's sum overflows.
                sum.checked_add(i.balance()).unwrap_or(sum)
            })
    }

    /// Emits the account events that bring its standing, restrictions and
    /// ladder state to what they are on `day`.
    fn settle(&mut self, day: NaiveDate) {
        if self.state.invoices.is_empty() {
            return;
        }
        let (standing, to, added, lifted) = {
            let now = derive(self.state, self.policy, day);
            let to: Option<compact_str::CompactString> =
                ladder_name(self.policy, now.ladder).map(Into::into);
            let held = &self.state.restrictions;
            let added: Vec<Restriction> = (now.restrictions.iter())
                .filter(|r| !held.iter().any(|h| h == **r))
                .map(|r| Restriction::from(*r))
                .collect();
            let lifted: Vec<Restriction> = (held.iter())
                .filter(|h| !now.restrictions.contains(&h.as_str()))
                .cloned()
                .collect();
            (now.standing, to, added, lifted)
        };
        if to != self.state.ladder_state {
            let from = self.state.ladder_state.clone();
            self.push(Event::LadderStateChanged { on: day, from, to });
        }
        let before = self.state.standing;
        if standing > before {
            self.push(match standing {
                Standing::Cancelled => Event::Cancelled { on: day },
                Standing::Suspended => Event::Suspended { on: day },
                _ => Event::MarkedPastDue { on: day },
            });
        }
        for restriction in added {
            self.push(Event::Restricted {
                on: day,
                restriction,
            });
        }
        if standing < before {
            self.push(Event::Recovered {
                on: day,
                from: before,
                to: standing,
                lifted,
            });
        } else {
            for restriction in lifted {
                self.push(Event::RestrictionLifted {
                    on: day,
                    restriction,
                });
            }
        }
    }

    fn open_invoice(&self, id: &str) -> Result<&Invoice, DunningError> {
        let invoice = self
            .state
            .invoice(id)
            .ok_or_else(|| DunningError::UnknownInvoice { invoice: id.into() })?;
        if invoice.voided {
            return Err(DunningError::VoidedInvoice { invoice: id.into() });
        }
        Ok(invoice)
    }

    fn check_amount(&self, what: &'static str, amount: Money) -> Result<(), DunningError> {
        if amount.currency() != self.policy.currency {
            return Err(DunningError::CurrencyMismatch {
                expected: self.policy.currency,
                got: amount.currency(),
            });
        }
        if amount.is_zero() || amount.is_negative() {
            return Err(DunningError::NotPositive { what, amount });
        }
        if amount.amount() > rust_decimal::Decimal::from(super::MAX_AMOUNT) {
            return Err(DunningError::TooLarge { what, amount });
        }
        Ok(())
    }

    fn command(&mut self, command: &Command, at: NaiveDate) -> Result<(), DunningError> {
        let settled = |invoice: &Invoice| DunningError::SettledInvoice {
            invoice: invoice.id.clone(),
        };
        match command {
            Command::InvoiceIssued {
                invoice,
                amount,
                due,
            } => {
                self.check_amount("an invoice's amount", *amount)?;
                if self.state.invoice(invoice).is_some() {
                    return Err(DunningError::DuplicateInvoice {
                        invoice: invoice.clone(),
                    });
                }
                if self.state.standing >= Standing::Suspended
                    && !self.policy.invoice_while_suspended
                {
                    return Err(DunningError::InvoicingSuspended {
                        invoice: invoice.clone(),
                        standing: self.state.standing,
                    });
                }
                self.push(Event::InvoiceOpened {
                    on: at,
                    invoice: invoice.clone(),
                    amount: *amount,
                    due: *due,
                });
                if self.policy.collect_with_next_debit {
                    self.carry_into(invoice, at);
                }
            }
            Command::PaymentFailed {
                invoice,
                amount,
                decline,
                code,
            } => {
                self.check_amount("a failed payment's amount", *amount)?;
                let found = self.open_invoice(invoice)?;
                if !found.is_open() {
                    return Err(settled(found));
                }
                let answers_last_retry = found.retries >= self.policy.max_retries
                    && found.failures >= found.retries
                    && !self.policy.collect_with_next_debit;
                self.push(Event::PaymentFailed {
                    on: at,
                    invoice: invoice.clone(),
                    amount: *amount,
                    decline: *decline,
                    code: code.clone(),
                });
                if *decline == super::Decline::Hard && self.state.method_update_requested.is_none()
                {
                    self.push(Event::PaymentMethodUpdateRequested {
                        on: at,
                        invoice: invoice.clone(),
                    });
                }
                if answers_last_retry {
                    self.after_last_retry(invoice, at);
                }
            }
            Command::PaymentSucceeded {
                payment,
                invoice,
                amount,
            } => {
                if self.state.payments.binary_search(payment).is_ok() {
                    self.push(Event::DuplicatePaymentIgnored {
                        on: at,
                        payment: payment.clone(),
                        amount: *amount,
                    });
                    return Ok(());
                }
                self.check_amount("a payment's amount", *amount)?;
                self.open_invoice(invoice)?;
                self.receive(payment, invoice, *amount, at)?;
            }
            Command::PaymentMethodUpdated => {
                self.push(Event::PaymentMethodUpdated { on: at });
                if !self.policy.collect_with_next_debit {
                    let retries: Vec<Event> = self
                        .state
                        .invoices
                        .iter()
                        .filter(|i| {
                            in_dunning(i)
                                && i.first_failed_on.is_some()
                                && !i.in_collection
                                && i.retries < self.policy.max_retries
                        })
                        .map(|i| Event::RetryDue {
                            on: at,
                            invoice: i.id.clone(),
                            step: None,
                            attempt: i.retries + 1,
                            amount: self.debit_amount(i),
                        })
                        .collect();
                    for event in retries {
                        self.push(event);
                    }
                }
            }
            Command::InvoiceVoided { invoice } => {
                let found = self.open_invoice(invoice)?;
                if !found.paid.is_zero() {
                    return Err(DunningError::InvoiceHasPayments {
                        invoice: invoice.clone(),
                        paid: found.paid,
                    });
                }
                if !found.is_open() {
                    return Err(settled(found));
                }
                self.push(Event::InvoiceVoided {
                    on: at,
                    invoice: invoice.clone(),
                });
            }
            Command::InvoiceWrittenOff { invoice } => {
                let found = self.open_invoice(invoice)?;
                if !found.is_open() {
                    return Err(settled(found));
                }
                let amount = found.balance();
                self.push(Event::WrittenOff {
                    on: at,
                    invoice: invoice.clone(),
                    step: None,
                    amount,
                });
            }
            Command::Advance => {}
        }
        Ok(())
    }

    /// With collect-with-next-debit: every unpaid balance whose own debit
    /// failed joins the new invoice's debit.
    fn carry_into(&mut self, into: &super::InvoiceId, at: NaiveDate) {
        let carrier_done = |state: &Receivables, carrier: &super::InvoiceId| {
            state
                .invoice(carrier)
                .is_none_or(|c| !c.is_open() || case_start(c, self.policy).is_some_and(|s| s <= at))
        };
        let carried: Vec<Event> = self
            .state
            .invoices
            .iter()
            .filter(|i| {
                i.id != *into
                    && in_dunning(i)
                    && !i.in_collection
                    && case_start(i, self.policy).is_some_and(|s| s <= at)
                    && i.carried_into
                        .as_ref()
                        .is_none_or(|c| c != into && carrier_done(self.state, c))
            })
            .map(|i| Event::CarriedToNextDebit {
                on: at,
                invoice: i.id.clone(),
                into: into.clone(),
                amount: i.balance(),
            })
            .collect();
        for event in carried {
            self.push(event);
        }
    }

    fn after_last_retry(&mut self, invoice: &super::InvoiceId, at: NaiveDate) {
        let Some(found) = self.state.invoice(invoice) else {
            return;
        };
        match self.policy.after_last_retry {
            AfterLastRetry::StayPastDue => {}
            AfterLastRetry::MarkUnpaid if !found.marked_unpaid => self.push(Event::MarkedUnpaid {
                on: at,
                invoice: invoice.clone(),
            }),
            AfterLastRetry::Cancel if found.level < Standing::Cancelled => {
                self.push(Event::Escalated {
                    on: at,
                    invoice: invoice.clone(),
                    step: None,
                    escalation: Escalation::Cancel,
                });
            }
            _ => {}
        }
    }

    /// Applies a payment: the invoices carried into `invoice`'s debit first,
    /// oldest first, then `invoice`; the rest is kept as credit.
    fn receive(
        &mut self,
        payment: &super::PaymentId,
        invoice: &super::InvoiceId,
        amount: Money,
        at: NaiveDate,
    ) -> Result<(), DunningError> {
        let mut left = amount;
        let mut applied: SmallVec<[Applied; 1]> = SmallVec::new();
        let targets = self
            .state
            .invoices
            .iter()
            .filter(|i| i.is_open() && i.carried_into.as_ref() == Some(invoice))
            .chain(self.state.invoice(invoice));
        for target in targets {
            if left.is_zero() {
                break;
            }
            let payable = target.payable();
            if payable.is_zero() {
                continue;
            }
            let part = if left.checked_cmp(&payable)?.is_le() {
                left
            } else {
                payable
            };
            left = left.checked_sub(part)?;
            applied.push(Applied {
                invoice: target.id.clone(),
                amount: part,
            });
        }
        self.push(Event::PaymentReceived {
            on: at,
            payment: payment.clone(),
            amount,
            applied,
        });
        if !left.is_zero() {
            self.push(Event::CreditKept {
                on: at,
                payment: payment.clone(),
                amount: left,
            });
        }
        Ok(())
    }
}
