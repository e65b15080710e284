//! Procedures: the details a member gives, the command they make, and a dry
//! run of the membership decider on the member's state — with the nearest
//! command the rules allow when they refuse, and what the member may do
//! instead of cancelling.

use super::config::Procedure;
use super::facts::{Billing, Fact};
use super::member::{Club, Member};
use super::reply::{Detail, Offer};
use super::state::Details;
use crate::intent::normalize;
use crate::intent::slots::{Slot, SlotValue};
use crate::membership::{
    CancelTiming, ChangeTiming, Command, Event, Membership, MembershipError, PauseStart, Plan,
    decide,
};
use chrono::{Datelike, Months, NaiveDate};

/// Words that ask for a change today (normalized).
const NOW_WORDS: &[&str] = &[
    "今すぐ",
    "すぐに",
    "即日",
    "本日から",
    "今日から",
    "now",
    "immediately",
    "right away",
    "today",
];
/// Words that ask for a change at the next renewal (normalized).
const NEXT_PERIOD_WORDS: &[&str] = &[
    "次回",
    "次の更新",
    "更新日から",
    "next period",
    "next billing",
    "next renewal",
    "next cycle",
];

/// Takes the details of `procedure` from a message's slots into `details`;
/// whether any changed. A later detail replaces an earlier one
/// (「やっぱり7月から」).
pub(super) fn absorb(
    procedure: Procedure,
    details: &mut Details,
    slots: &[&Slot],
    message: &str,
    today: NaiveDate,
) -> bool {
    let before = details.clone();
    let normalized = normalize(message);
    let says = |words: &[&str]| words.iter().any(|w| normalized.contains(w));
    for slot in slots {
        match (procedure, &slot.value) {
            (Procedure::Pause, SlotValue::Month(first) | SlotValue::Date(first)) => {
                details.from = Some(*first);
            }
            (Procedure::Pause, SlotValue::MonthRange { from, until }) => {
                details.from = Some(*from);
                details.until = Some(*until);
                details.months = None;
            }
            (Procedure::Pause, SlotValue::Months(n)) => {
                details.months = Some(*n);
                details.until = None;
            }
            (Procedure::Resume, SlotValue::Month(first) | SlotValue::Date(first)) => {
                details.from = Some(*first);
            }
            (Procedure::Cancel, SlotValue::MonthEnd(last) | SlotValue::Date(last)) => {
                details.cancel = last.succ_opt().map(CancelTiming::On);
            }
            (Procedure::Cancel, SlotValue::Month(first)) => {
                details.cancel = first
                    .checked_add_months(Months::new(1))
                    .map(CancelTiming::On);
            }
            (Procedure::Cancel, SlotValue::PeriodEnd) => {
                details.cancel = Some(CancelTiming::PeriodEnd)
            }
            (Procedure::ChangePlan, SlotValue::Named { list, id }) if list == "plan" => {
                details.plan = Some(id.clone());
            }
            (Procedure::ChangePlan, SlotValue::Month(first)) if *first > today => {
                details.change = Some(ChangeTiming::NextPeriod);
            }
            (Procedure::ChangePlan, SlotValue::Date(day)) if *day == today => {
                details.change = Some(ChangeTiming::Now);
            }
            _ => {}
        }
    }
    match procedure {
        Procedure::ChangePlan if says(NEXT_PERIOD_WORDS) => {
            details.change = Some(ChangeTiming::NextPeriod)
        }
        Procedure::ChangePlan if says(NOW_WORDS) => details.change = Some(ChangeTiming::Now),
        Procedure::Cancel if says(NOW_WORDS) && details.cancel.is_none() => {
            details.cancel = Some(CancelTiming::Now);
        }
        _ => {}
    }
    *details != before
}

/// The command `details` make, or the detail still missing.
pub(super) fn command(
    procedure: Procedure,
    details: &Details,
    club: &Club,
    state: &Membership,
    today: NaiveDate,
) -> Result<Command, Detail> {
    let plan = state
        .plan
        .as_deref()
        .and_then(|id| club.catalog.get(id).ok());
    match procedure {
        Procedure::Pause => {
            let from = details.from.ok_or(Detail::PauseStart)?;
            let from = pause_start(club, state, plan, from);
            let until = match (details.until, details.months) {
                (Some(until), _) => until,
                (None, Some(months)) => add_months(from, months).ok_or(Detail::PauseStart)?,
                (None, None) => {
                    let (min, max) = plan
                        .and_then(|p| p.pause.as_ref())
                        .map_or((1, 1), |p| (p.min_months, p.max_months));
                    if min != max {
                        return Err(Detail::PauseMonths { min, max });
                    }
                    add_months(from, min).ok_or(Detail::PauseStart)?
                }
            };
            Ok(Command::Pause { from, until })
        }
        Procedure::Resume => Ok(Command::Resume {
            on: details.from.ok_or(Detail::ResumeDate)?,
        }),
        Procedure::Cancel => Ok(Command::Cancel {
            when: details.cancel.unwrap_or(CancelTiming::ByNoticeRule),
        }),
        // Made from the book by `chat::booking`.
        Procedure::Book | Procedure::CancelBooking => Err(Detail::Session {
            procedure,
            choices: Vec::new(),
        }),
        Procedure::ChangePlan => {
            let Some(target) = details.plan.clone() else {
                return Err(Detail::Plan {
                    plans: plan_choices(club, plan),
                });
            };
            // A change to the plan held is refused whenever it applies: ask nothing more.
            let same = plan.is_some_and(|p| p.id.as_str() == target);
            let when = details
                .change
                .or(same.then_some(ChangeTiming::NextPeriod))
                .ok_or_else(|| Detail::ChangeTiming {
                    next_renewal: state.next_renewal(&club.catalog, today).ok().flatten(),
                })?;
            Ok(Command::ChangePlan {
                plan: target.into(),
                when,
            })
        }
    }
}

/// The plans a member may change to: the others in the current plan's currency.
fn plan_choices(club: &Club, current: Option<&Plan>) -> Vec<String> {
    club.catalog
        .plans()
        .filter(|p| {
            current.is_none_or(|c| c.id != p.id && c.price.currency() == p.price.currency())
        })
        .map(|p| p.id.to_string())
        .collect()
}

/// A pause's first day: the month's first day, moved to the billing period
/// start on or after it when the plan's pauses start at one.
fn pause_start(club: &Club, state: &Membership, plan: Option<&Plan>, from: NaiveDate) -> NaiveDate {
    let at_period_start = plan
        .and_then(|p| p.pause.as_ref())
        .is_some_and(|p| p.starts == PauseStart::NextPeriod);
    if !at_period_start {
        return from;
    }
    let Ok(schedule) = state.billing_schedule(&club.catalog) else {
        return from;
    };
    match schedule.period_containing(from) {
        Ok(period) if period.start() == from => from,
        _ => schedule.next_after(from).unwrap_or(from),
    }
}

fn add_months(from: NaiveDate, months: u32) -> Option<NaiveDate> {
    from.checked_add_months(Months::new(months))
}

/// The membership after `events`.
pub(super) fn after(state: &Membership, events: &[Event]) -> Membership {
    events.iter().fold(state.clone(), |m, e| m.apply(e))
}

/// The facts a confirmation shows for `command`, accepted with `events`.
pub(super) fn confirmation_facts(
    club: &Club,
    member: &Member,
    state: &Membership,
    command: &Command,
    events: &[Event],
    today: NaiveDate,
) -> Vec<Fact> {
    let mut facts = Vec::new();
    let next = after(state, events);
    let plan = next
        .plan
        .as_deref()
        .and_then(|id| club.catalog.get(id).ok());
    match command {
        Command::Pause { .. } => {
            if let Some(fee) = plan.and_then(|p| p.pause.as_ref()).map(|p| p.monthly_fee)
                && !fee.is_zero()
            {
                facts.push(Fact::PauseFee { monthly: fee });
            }
        }
        Command::Cancel { .. } => {
            let fee = events.iter().find_map(|e| match e {
                Event::Cancelled {
                    early_termination_fee,
                    ..
                }
                | Event::CancellationScheduled {
                    early_termination_fee,
                    ..
                } => *early_termination_fee,
                _ => None,
            });
            if let Some(amount) = fee {
                let term = plan.and_then(|p| Some((p, p.minimum_term.as_ref()?)));
                if let Some(Ok(ends_on)) = term.map(|(p, t)| state.minimum_term_end(p, t.periods)) {
                    facts.push(Fact::MinimumTerm { ends_on });
                }
                facts.push(Fact::EarlyTerminationFee { amount });
            }
        }
        _ => {}
    }
    facts.extend(Billing::new(club, member, today).invoices(&next, events));
    facts
}

/// The nearest command the rules allow instead of `refused`, with its
/// events: for a pause, the same length (within the plan's limits) from the
/// earliest month that may still be requested, within a year; for a cancel,
/// the first day after the minimum term, or the notice rule's date.
pub(super) fn alternative(
    club: &Club,
    state: &Membership,
    refused: &Command,
    error: &MembershipError,
    today: NaiveDate,
) -> Option<(Command, Vec<Event>)> {
    let catalog = &club.catalog;
    let plan = state.plan.as_deref().and_then(|id| catalog.get(id).ok());
    let accepted = |command: Command| {
        let events = decide(state, catalog, &command, today).ok()?;
        Some((command, events))
    };
    match (refused, error) {
        (Command::Pause { from, until }, _) => {
            let policy = plan?.pause.as_ref()?;
            let months = months_between(*from, *until).clamp(policy.min_months, policy.max_months);
            earliest_pause(club, state, *from, months, today, 13, Some(refused))
        }
        (Command::Cancel { .. }, MembershipError::InsideMinimumTerm { ends_on }) => {
            accepted(Command::Cancel {
                when: CancelTiming::On(*ends_on),
            })
        }
        (Command::Cancel { when }, _) if *when != CancelTiming::ByNoticeRule => {
            accepted(Command::Cancel {
                when: CancelTiming::ByNoticeRule,
            })
        }
        _ => None,
    }
}

/// The earliest pause of `months` the rules accept, starting in the month of
/// `from` (or next month, when that is not later than today) or one of the
/// `within - 1` after it; `skip` is a command already refused.
fn earliest_pause(
    club: &Club,
    state: &Membership,
    from: NaiveDate,
    months: u32,
    today: NaiveDate,
    within: u32,
    skip: Option<&Command>,
) -> Option<(Command, Vec<Event>)> {
    let plan = state
        .plan
        .as_deref()
        .and_then(|id| club.catalog.get(id).ok());
    let month = from.with_day(1)?;
    let base = if month > today {
        month
    } else {
        today.with_day(1)?.checked_add_months(Months::new(1))?
    };
    (0..within).find_map(|k| {
        let start = pause_start(club, state, plan, base.checked_add_months(Months::new(k))?);
        let command = Command::Pause {
            from: start,
            until: add_months(start, months)?,
        };
        if skip == Some(&command) {
            return None;
        }
        let events = decide(state, &club.catalog, &command, today).ok()?;
        Some((command, events))
    })
}

/// Whole months from `from` to `until` (at least 1).
fn months_between(from: NaiveDate, until: NaiveDate) -> u32 {
    (1..=1200)
        .find(|&m| add_months(from, m).is_none_or(|d| d >= until))
        .unwrap_or(1)
}

/// A retention offer's pause must be able to start within this many months
/// (from next month): pauses used up for the year are no offer.
const RETENTION_PAUSE_WITHIN_MONTHS: u32 = 3;

/// What the member may do instead of cancelling, as the rules allow them
/// today: a pause that can start within three months, and each cheaper
/// plan in the same currency that a change to is accepted.
pub(super) fn retention_offers(club: &Club, state: &Membership, today: NaiveDate) -> Vec<Offer> {
    let catalog = &club.catalog;
    let Some(plan) = state.plan.as_deref().and_then(|id| catalog.get(id).ok()) else {
        return Vec::new();
    };
    let mut offers = Vec::new();
    if let Some(policy) = &plan.pause {
        let soon = earliest_pause(
            club,
            state,
            today,
            policy.min_months,
            today,
            RETENTION_PAUSE_WITHIN_MONTHS,
            None,
        );
        if soon.is_some() {
            offers.push(Offer {
                procedure: Procedure::Pause,
                plan: None,
                monthly: policy.monthly_fee,
            });
        }
    }
    for cheaper in catalog.plans().filter(|p| {
        p.id != plan.id
            && p.price.currency() == plan.price.currency()
            && p.price.amount() < plan.price.amount()
    }) {
        let change = Command::ChangePlan {
            plan: cheaper.id.clone(),
            when: ChangeTiming::NextPeriod,
        };
        if decide(state, catalog, &change, today).is_ok() {
            offers.push(Offer {
                procedure: Procedure::ChangePlan,
                plan: Some(cheaper.id.to_string()),
                monthly: cheaper.price,
            });
        }
    }
    offers
}
