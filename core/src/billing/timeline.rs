//! A membership's billable timeline, read from its events: which plan it was
//! on and whether it was active or paused, day by day, plus the one-off fees.

use crate::calendar::NaiveDate;
use crate::membership::{Catalog, Event, Membership, Plan, Status};
use crate::money::Money;
use smallvec::{SmallVec, smallvec};
use std::borrow::Cow;

/// A membership's terms, most often one, kept inline.
pub(super) type Terms<'a> = SmallVec<[Term<'a>; 1]>;

/// A plan's id, borrowed from the events or the catalog: billing many
/// accounts copies no plan ids to read their timelines.
pub(super) type PlanRef<'a> = Cow<'a, str>;

/// Whether a stretch of membership pays the plan fee or the pause fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Mode {
    Active,
    Paused,
}

/// A stretch `[from, until)` on one plan in one mode; `until` is `None` while
/// nothing ends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Segment<'a> {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub plan: PlanRef<'a>,
    pub mode: Mode,
}

/// A one-off fee of a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OneOff<'a> {
    pub kind: OneOffKind,
    pub on: NaiveDate,
    pub plan: PlanRef<'a>,
    pub amount: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum OneOffKind {
    Admission,
    Trial,
    EarlyTermination,
}

impl OneOffKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Admission => "admission_fee",
            Self::Trial => "trial_fee",
            Self::EarlyTermination => "early_termination_fee",
        }
    }
}

/// A stretch of a term billed on one schedule: from `from` (the first paid
/// day, or a change to a plan of another interval) to the next one's `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Epoch<'a> {
    pub from: NaiveDate,
    /// The plan whose interval and billing day the schedule follows.
    pub plan: PlanRef<'a>,
}

/// One term of membership: from a join (or rejoin) to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Term<'a> {
    pub start: NaiveDate,
    pub paid_from: NaiveDate,
    /// The plan the term's billing schedule follows: the one joined.
    pub plan: PlanRef<'a>,
    /// That plan in the catalog, when the catalog has it.
    pub catalog_plan: Option<&'a Plan>,
    pub segments: SmallVec<[Segment<'a>; 2]>,
    /// The schedules the term is billed on, in order; the first is the
    /// joined plan's from `paid_from`. One may hold no days (a change of
    /// interval on the first paid day).
    pub epochs: SmallVec<[Epoch<'a>; 1]>,
    pub one_offs: SmallVec<[OneOff<'a>; 2]>,
    /// A cooling-off cancel: everything the term cost is refunded.
    pub cooled_off: bool,
    /// The day the term ended (cancelled or expired), once it has.
    pub ended: Option<NaiveDate>,
    /// The day a cancel ends the term, taken effect or scheduled (not an
    /// expiry, nor a cancel since revoked).
    pub cancelled_on: Option<NaiveDate>,
}

/// A change of the timeline on a date.
enum Change<'a> {
    Mode(Mode),
    Plan(PlanRef<'a>),
    End,
}

/// Builds the terms of a membership from its events, in order; what is
/// already planned (a pause, a plan change, an end) is included, as billing
/// in advance needs it.
pub(super) fn terms<'a>(events: &'a [Event], catalog: &'a Catalog) -> Terms<'a> {
    let mut terms: Terms<'a> = SmallVec::new();
    let mut state = Membership::default();
    let mut pending_fee: Option<(NaiveDate, Money)> = None;
    for event in events {
        state.record(event);
        match event {
            Event::Joined {
                on,
                plan,
                paid_from,
                admission_fee,
                ..
            } => {
                finish(&mut terms, &mut pending_fee);
                let catalog_plan = catalog.get(plan).ok();
                let plan = PlanRef::Borrowed(plan.as_str());
                let mut term = Term {
                    start: *on,
                    paid_from: *paid_from,
                    plan: plan.clone(),
                    catalog_plan,
                    segments: smallvec![Segment {
                        from: *paid_from,
                        until: None,
                        plan: plan.clone(),
                        mode: Mode::Active,
                    }],
                    epochs: smallvec![Epoch {
                        from: *paid_from,
                        plan: plan.clone(),
                    }],
                    one_offs: SmallVec::new(),
                    cooled_off: false,
                    ended: None,
                    cancelled_on: None,
                };
                if let Some(amount) = admission_fee {
                    term.one_offs.push(OneOff {
                        kind: OneOffKind::Admission,
                        on: *on,
                        plan: plan.clone(),
                        amount: *amount,
                    });
                }
                let trial_price = catalog_plan.and_then(|p| p.trial.as_ref()).map(|t| t.price);
                if let Some(amount) =
                    trial_price.filter(|price| *paid_from > *on && !price.is_zero())
                {
                    term.one_offs.push(OneOff {
                        kind: OneOffKind::Trial,
                        on: *on,
                        plan: plan.clone(),
                        amount,
                    });
                }
                terms.push(term);
            }
            Event::PauseStarted { on } => {
                change(&mut terms, *on, Change::Mode(Mode::Paused), catalog);
            }
            Event::PauseEnded { on } => {
                change(&mut terms, *on, Change::Mode(Mode::Active), catalog);
            }
            Event::PlanChanged { on, to, .. } => {
                change(
                    &mut terms,
                    *on,
                    Change::Plan(PlanRef::Borrowed(to)),
                    catalog,
                );
            }
            Event::CancellationScheduled {
                on,
                early_termination_fee,
            } => {
                pending_fee = early_termination_fee.map(|fee| (*on, fee));
            }
            Event::CancellationRevoked { .. } => pending_fee = None,
            Event::Cancelled {
                on,
                early_termination_fee,
                cooling_off,
            } => {
                if let Some(fee) = early_termination_fee {
                    pending_fee = Some((*on, *fee));
                }
                change(&mut terms, *on, Change::End, catalog);
                if let Some(term) = terms.last_mut() {
                    term.cooled_off |= *cooling_off;
                    term.ended = Some(*on);
                    term.cancelled_on = Some(*on);
                }
                finish(&mut terms, &mut pending_fee);
            }
            Event::Expired { on } => {
                change(&mut terms, *on, Change::End, catalog);
                if let Some(term) = terms.last_mut() {
                    term.ended = Some(*on);
                }
                // A cancel scheduled past the expiry never happens: no fee.
                pending_fee = None;
            }
            _ => {}
        }
    }
    if plan_ahead(&mut terms, &state, catalog) == Ahead::ExpiresFirst {
        // The fixed term ends before the scheduled cancel, which never happens.
        pending_fee = None;
    }
    finish(&mut terms, &mut pending_fee);
    terms
}

/// Whether a fixed term ends before a scheduled cancel.
#[derive(Debug, PartialEq, Eq)]
enum Ahead {
    ExpiresFirst,
    AsScheduled,
}

/// Applies what the final state has planned to the open term.
fn plan_ahead<'a>(terms: &mut [Term<'a>], state: &Membership, catalog: &'a Catalog) -> Ahead {
    if matches!(state.status, Status::Cancelled | Status::Expired) {
        return Ahead::AsScheduled;
    }
    // As the state machine does: a past-due or suspended membership (which
    // stays so until a command changes it) starts no planned pause and
    // changes no plan, and one pending cancellation changes its plan only
    // while paused (a paused one with a cancel scheduled is pending
    // cancellation once the pause ends; a pause planned then may start).
    let held = matches!(state.status, Status::PastDue | Status::Suspended);
    let in_planned_pause = |on: NaiveDate| {
        state
            .planned_pause
            .is_some_and(|pause| pause.from <= on && on < pause.until)
    };
    let changes_plan_on = |on: NaiveDate| match state.status {
        _ if held => false,
        Status::PendingCancellation => in_planned_pause(on),
        Status::Paused if state.ends_on.is_some() => {
            state.pauses.last().is_some_and(|pause| on < pause.until) || in_planned_pause(on)
        }
        _ => true,
    };
    let mut planned: Vec<(NaiveDate, u8, Change)> = Vec::new();
    if state.status == Status::Paused
        && let Some(pause) = state.pauses.last()
    {
        planned.push((pause.until, 1, Change::Mode(Mode::Active)));
    }
    if let Some(pause) = state.planned_pause.filter(|_| !held) {
        planned.push((pause.from, 2, Change::Mode(Mode::Paused)));
        planned.push((pause.until, 1, Change::Mode(Mode::Active)));
    }
    if let Some(on) = state.ends_on {
        planned.push((on, 0, Change::End));
        if let Some(term) = terms.last_mut() {
            term.cancelled_on = Some(on);
        }
    }
    // The current plan: most often the one joined, already looked up.
    let joined = terms.last().and_then(|term| term.catalog_plan);
    let current = match (state.plan.as_deref(), joined) {
        (Some(id), Some(plan)) if plan.id == id => Some(plan),
        (id, _) => id.and_then(|id| catalog.get(id).ok()),
    };
    // The end of a fixed term of `plan`, counted from the start of its schedule.
    let fixed_end = |plan: Option<&Plan>, from: Option<NaiveDate>| {
        plan.and_then(|plan| Some((plan.fixed_term_periods?, plan.interval)))
            .zip(from)
            .and_then(|((periods, interval), from)| interval.shift(from, i64::from(periods)).ok())
    };
    let schedule_from = state.schedule_from.or(state.paid_from);
    let current_end = fixed_end(current, schedule_from);
    let expiry = match &state.plan_change {
        Some((plan, on)) if changes_plan_on(*on) => {
            let next = catalog.get(plan).ok();
            // The state is this function's, so the id is borrowed from the catalog.
            let id = next.map_or_else(
                || PlanRef::Owned(plan.to_string()),
                |p| PlanRef::Borrowed(p.id.as_str()),
            );
            planned.push((*on, 3, Change::Plan(id)));
            let own_schedule = next
                .zip(current)
                .is_some_and(|(next, current)| next.starts_own_schedule(current));
            let next_from = match (own_schedule, state.paid_from) {
                (true, Some(paid)) => Some(paid.max(*on)),
                _ => schedule_from,
            };
            // The current plan's term if it ends by the change; after it, the
            // new plan's (on the change day if already past).
            current_end
                .filter(|end| end <= on)
                .or_else(|| fixed_end(next, next_from).map(|end| end.max(*on)))
        }
        _ => current_end,
    };
    if let Some(end) = expiry {
        planned.push((end, 0, Change::End));
    }
    planned.sort_by_key(|(on, rank, _)| (*on, *rank));
    for (on, _, what) in planned {
        change(terms, on, what, catalog);
    }
    match (expiry, state.ends_on) {
        (Some(expiry), Some(cancel)) if expiry < cancel => Ahead::ExpiresFirst,
        _ => Ahead::AsScheduled,
    }
}

/// Closes the open segment of the last term on `on` and opens the next one;
/// a change to a plan of another interval starts a schedule there.
fn change<'a>(terms: &mut [Term<'a>], on: NaiveDate, what: Change<'a>, catalog: &Catalog) {
    let Some(term) = terms.last_mut() else { return };
    let Some(open) = term.segments.last().filter(|s| s.until.is_none()).cloned() else {
        return;
    };
    let at = on.max(term.paid_from);
    if let Change::Plan(to) = &what
        && let (Ok(from), Ok(to_plan)) = (catalog.get(&open.plan), catalog.get(to))
        && to_plan.starts_own_schedule(from)
    {
        // A schedule that held no days gives way to the next.
        term.epochs.retain(|epoch| epoch.from < at);
        term.epochs.push(Epoch {
            from: at,
            plan: to.clone(),
        });
    }
    let ends = matches!(what, Change::End);
    let (plan, mode) = match what {
        Change::Mode(mode) => (open.plan.clone(), mode),
        Change::Plan(plan) => (plan, open.mode),
        Change::End => (open.plan.clone(), open.mode),
    };
    if let Some(last) = term.segments.last_mut() {
        last.until = Some(at);
    }
    // A segment that ends where it starts held no days.
    term.segments
        .retain(|s| s.until.is_none_or(|until| until > s.from));
    if ends {
        // A schedule starting on the end holds no days.
        term.epochs.retain(|epoch| epoch.from < at);
        return;
    }
    match term.segments.last_mut() {
        // A change back to what the segment before was, on the day it
        // ended (a change undone the same day), continues that segment.
        Some(last) if last.until == Some(at) && last.plan == plan && last.mode == mode => {
            last.until = None;
        }
        _ => term.segments.push(Segment {
            from: at,
            until: None,
            plan,
            mode,
        }),
    }
}

/// Records the early-termination fee on the term it ends.
fn finish(terms: &mut [Term<'_>], pending_fee: &mut Option<(NaiveDate, Money)>) {
    if let (Some(term), Some((on, amount))) = (terms.last_mut(), pending_fee.take()) {
        let plan = term.plan.clone();
        term.one_offs.push(OneOff {
            kind: OneOffKind::EarlyTermination,
            on,
            plan,
            amount,
        });
    }
}
