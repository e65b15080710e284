//! When things come due for an account: each case's start, grace period
//! and steps, the ladder's thresholds, and the standing they add up to.

use super::DunningError;
use super::policy::{Action, CountFrom, Policy, Restriction, Standing};
use super::state::{Invoice, Receivables};
use crate::calendar::{CalendarError, NaiveDate};
use chrono::Days;
use smallvec::SmallVec;

/// Where an invoice's case counts its days from, if it has begun by then.
pub(super) fn case_start(invoice: &Invoice, policy: &Policy) -> Option<NaiveDate> {
    match policy.count_from {
        CountFrom::FirstFailure => invoice.first_failed_on,
        CountFrom::DueDate => Some(invoice.due),
    }
}

pub(super) fn plus_days(date: NaiveDate, days: u32) -> Result<NaiveDate, DunningError> {
    date.checked_add_days(Days::new(u64::from(days)))
        .ok_or(DunningError::Calendar(CalendarError::OutOfRange {
            operation: "dunning steps",
        }))
}

/// The date step `k` of the policy comes due for a case that began on `start`.
pub(super) fn step_date(
    policy: &Policy,
    start: NaiveDate,
    k: usize,
) -> Result<NaiveDate, DunningError> {
    let step = &policy.steps[k];
    let date = plus_days(start, step.day)?;
    match step.action {
        Action::Retry => policy.retry_timing.adjust(date),
        _ => Ok(date),
    }
}

/// The day an invoice's grace period ends.
pub(super) fn overdue_date(policy: &Policy, start: NaiveDate) -> Result<NaiveDate, DunningError> {
    plus_days(start, policy.grace_days)
}

/// Whether steps still fire for the invoice (its grace period ends
/// whenever it is open).
pub(super) fn in_dunning(invoice: &Invoice) -> bool {
    invoice.is_open() && !invoice.marked_unpaid
}

/// The earliest date, no later than `at`, on which something is due: a
/// grace period's end, a step, or (after `cursor`) a ladder threshold; for
/// `only` one invoice, its grace period and steps. A date before `floor`,
/// the account's latest event (the host advanced late), is taken on `floor`,
/// so an account's events stay in date order.
pub(super) fn next_date(
    state: &Receivables,
    policy: &Policy,
    at: NaiveDate,
    (floor, cursor): (Option<NaiveDate>, Option<NaiveDate>),
    only: Option<&str>,
) -> Result<Option<NaiveDate>, DunningError> {
    let mut next: Option<NaiveDate> = None;
    let mut consider = |date: NaiveDate| {
        let date = floor.map_or(date, |f| date.max(f));
        if date <= at && next.is_none_or(|n| date < n) {
            next = Some(date);
        }
    };
    let mut oldest: Option<NaiveDate> = None;
    let invoices = state.invoices.iter().filter(|i| i.is_open());
    for invoice in invoices.filter(|i| only.is_none_or(|id| i.id == id)) {
        let Some(start) = case_start(invoice, policy) else {
            continue;
        };
        if start <= at {
            oldest = Some(oldest.map_or(start, |o| o.min(start)));
        }
        // A case that begins counts towards the ladder from its first day.
        if !policy.ladder.is_empty() && only.is_none() && cursor.is_none_or(|c| start > c) {
            consider(start);
        }
        // Retry timing only moves a date later: a step more days after the
        // start than `at` is cannot be due, and needs no date.
        let offset = (at - start).num_days();
        let reachable = |days: u32| i64::from(days) <= offset;
        if !invoice.overdue && reachable(policy.grace_days) {
            consider(overdue_date(policy, start)?);
        }
        if in_dunning(invoice) {
            for (k, step) in policy.steps.iter().enumerate() {
                if invoice.fired & (1 << k) == 0 && reachable(step.day) {
                    consider(step_date(policy, start, k)?);
                }
            }
        }
    }
    if let Some(oldest) = oldest.filter(|_| only.is_none()) {
        let offset = (at - oldest).num_days();
        for rung in &policy.ladder {
            if let Some(days) = rung
                .days_since_oldest_unpaid
                .filter(|d| i64::from(*d) <= offset)
            {
                let date = plus_days(oldest, days)?;
                if cursor.is_none_or(|c| date > c) {
                    consider(date);
                }
            }
        }
    }
    Ok(next)
}

/// What the account's standing, restrictions and ladder state are on `day`.
pub(super) struct Derived<'a> {
    pub(super) standing: Standing,
    pub(super) restrictions: SmallVec<[&'a str; 4]>,
    pub(super) ladder: Option<usize>,
}

pub(super) fn derive<'a>(
    state: &'a Receivables,
    policy: &'a Policy,
    day: NaiveDate,
) -> Derived<'a> {
    let mut standing = Standing::Good;
    let mut restrictions: SmallVec<[&str; 4]> = SmallVec::new();
    let mut unpaid = 0u32;
    let mut balance = rust_decimal::Decimal::ZERO;
    let mut oldest: Option<NaiveDate> = None;
    for invoice in state.invoices.iter().filter(|i| i.is_open()) {
        standing = standing.max(invoice.level);
        restrictions.extend(invoice.restrictions.iter().map(Restriction::as_str));
        if let Some(start) = case_start(invoice, policy)
            && start <= day
        {
            unpaid += 1;
            balance += invoice.balance().amount();
            oldest = Some(oldest.map_or(start, |o| o.min(start)));
        }
    }
    let ladder = oldest.and_then(|oldest| {
        let days = (day - oldest).num_days();
        policy.ladder.iter().position(|rung| {
            rung.unpaid_invoices.is_none_or(|n| unpaid >= n)
                && rung.unpaid_balance.is_none_or(|b| balance >= b.amount())
                && rung
                    .days_since_oldest_unpaid
                    .is_none_or(|d| days >= i64::from(d))
        })
    });
    if let Some(rung) = ladder.map(|i| &policy.ladder[i]) {
        standing = standing.max(rung.standing);
        restrictions.extend(rung.restrict.iter().map(Restriction::as_str));
    }
    if restrictions.len() > 1 {
        restrictions.sort_unstable();
        restrictions.dedup();
    }
    Derived {
        standing,
        restrictions,
        ladder,
    }
}

pub(super) fn ladder_name(policy: &Policy, index: Option<usize>) -> Option<&str> {
    index.map(|i| policy.ladder[i].name.as_str())
}

/// Whether an advance to `at` would emit anything (without cloning the state).
pub(super) fn anything_due(
    state: &Receivables,
    policy: &Policy,
    at: NaiveDate,
) -> Result<bool, DunningError> {
    if next_date(
        state,
        policy,
        at,
        (state.updated_on, state.updated_on),
        None,
    )?
    .is_some()
    {
        return Ok(true);
    }
    // Every decision ends settled on its date, and without a ladder the
    // account's standing and restrictions follow from its events alone, so
    // only a ladder (in the policy, or left in the state by an earlier
    // policy) can have moved them since.
    if state.invoices.is_empty() || (policy.ladder.is_empty() && state.ladder_state.is_none()) {
        return Ok(false);
    }
    let now = derive(state, policy, at);
    Ok(now.standing != state.standing
        || !now.restrictions.iter().eq(state.restrictions.iter())
        || ladder_name(policy, now.ladder) != state.ladder_state.as_deref())
}
