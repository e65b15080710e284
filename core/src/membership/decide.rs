//! The decider: which events follow from a command, or why it is refused.

use super::{
    CancelTiming, Catalog, ChangeTiming, Command, EarlyCancel, Event, Membership, MembershipError,
    NoticeRule, PauseStart, Plan, Status,
};
use crate::calendar::{self, NaiveDate, days_in_month};
use chrono::{Datelike, Days};

/// The events that follow from `command`, made on `at`, or why it is refused.
///
/// The command sees the membership as of `at`: whatever was already decided
/// and falls due by then (a start, a trial end, a planned pause, ...) comes
/// first in the returned events, as [`Command::Advance`] would give it.
/// Pure: the same inputs always give the same answer, and a refused command
/// changes nothing.
///
/// # Errors
/// A [`MembershipError`] naming why the command is refused: a transition the
/// status does not allow, a rule of the plan, a date out of place, an unknown plan.
///
/// # Example
/// ```
/// use memberkit::calendar::date;
/// use memberkit::membership::{Catalog, Command, Membership, MembershipError, Status, decide};
///
/// let catalog = Catalog::from_json(r#"[{"id": "basic", "name": "Basic",
///     "price": {"amount": "5500", "currency": "JPY"}, "interval": {"unit": "month", "count": 1}}]"#)?;
/// let member = Membership::default();
/// let err = decide(&member, &catalog, &Command::Resume { on: date(2026, 5, 1)? }, date(2026, 5, 1)?).unwrap_err();
/// assert_eq!(err, MembershipError::InvalidTransition { command: "resume", status: Status::New });
/// # Ok::<(), memberkit::Error>(())
/// ```
pub fn decide(
    state: &Membership,
    catalog: &Catalog,
    command: &Command,
    at: NaiveDate,
) -> Result<Vec<Event>, MembershipError> {
    let mut events = advance(state, catalog, at)?;
    if *command != Command::Advance {
        let current = events.iter().fold(state.clone(), |m, e| m.apply(e));
        events.extend(decide_now(&current, catalog, command, at)?);
    }
    Ok(events)
}

fn decide_now(
    state: &Membership,
    catalog: &Catalog,
    command: &Command,
    at: NaiveDate,
) -> Result<Vec<Event>, MembershipError> {
    let refuse = || MembershipError::InvalidTransition {
        command: command.name(),
        status: state.status,
    };
    match command {
        Command::Join { plan, start, trial } => {
            if state.status != Status::New {
                return Err(refuse());
            }
            join(state, catalog, plan, *start, *trial, at, false)
        }
        Command::Rejoin { plan, start, trial } => {
            if !matches!(state.status, Status::Cancelled | Status::Expired) {
                return Err(refuse());
            }
            if let (Some(previous_start), Some(ended)) = (state.start, state.ended_on)
                && (*start < ended || *start <= previous_start)
            {
                return Err(MembershipError::RejoinOverlaps {
                    start: *start,
                    previous_start,
                    ended,
                });
            }
            join(state, catalog, plan, *start, *trial, at, true)
        }
        _ => {
            let plan = current_plan(state, catalog).ok_or_else(refuse)?;
            let ctx = Context {
                state,
                catalog,
                plan,
                at,
            };
            match command {
                Command::Pause { from, until } => ctx.pause(*from, *until, refuse),
                Command::Resume { on } => ctx.resume(*on, refuse),
                Command::ChangePlan { plan: to, when } => ctx.change_plan(to, *when, refuse),
                Command::Cancel { when } => ctx.cancel(*when, refuse),
                Command::RevokeCancellation => match state.ends_on {
                    Some(ends_on) if ends_on > at => Ok(release_held_change(
                        state,
                        at,
                        Event::CancellationRevoked { on: at },
                    )),
                    _ => Err(MembershipError::NoPlannedCancellation),
                },
                Command::MarkPastDue => ctx.dunning(
                    &[Status::Active, Status::PendingCancellation],
                    refuse,
                    |on| Event::MarkedPastDue { on },
                ),
                Command::Suspend => ctx.dunning(
                    &[Status::Active, Status::PendingCancellation, Status::PastDue],
                    refuse,
                    |on| Event::Suspended { on },
                ),
                Command::Reinstate => ctx
                    .dunning(&[Status::PastDue, Status::Suspended], refuse, |on| {
                        Event::Reinstated { on }
                    })
                    .map(|mut events| {
                        let reinstated = events.remove(0);
                        release_held_change(state, at, reinstated)
                    }),
                Command::Join { .. } | Command::Rejoin { .. } | Command::Advance => Err(refuse()),
            }
        }
    }
}

/// `event` (a revoke or a reinstatement, on `at`), and when it releases a
/// plan change that its status held past the planned day, that change
/// planned again for `at`: it takes effect when it is released, not before.
fn release_held_change(state: &Membership, at: NaiveDate, event: Event) -> Vec<Event> {
    let mut events = vec![event];
    if let Some((plan, on)) = &state.plan_change
        && *on < at
    {
        events.push(Event::PlanChangeScheduled {
            on: at,
            plan: plan.clone(),
        });
    }
    events
}

fn current_plan<'a>(state: &Membership, catalog: &'a Catalog) -> Option<&'a Plan> {
    let live = !matches!(
        state.status,
        Status::New | Status::Cancelled | Status::Expired
    );
    state
        .plan
        .as_deref()
        .filter(|_| live)
        .and_then(|id| catalog.get(id).ok())
}

fn join(
    state: &Membership,
    catalog: &Catalog,
    plan_id: &str,
    start: NaiveDate,
    trial: bool,
    at: NaiveDate,
    rejoin: bool,
) -> Result<Vec<Event>, MembershipError> {
    let plan = catalog.get(plan_id)?;
    let paid_from = match (&plan.trial, trial) {
        (Some(t), true) => after_days(start, t.days)?,
        (None, true) => {
            return Err(MembershipError::NoTrial {
                plan: plan.id.to_string(),
            });
        }
        (_, false) => start,
    };
    let waived = rejoin
        && match (plan.rejoin_waives_admission_within_months, state.ended_on) {
            (Some(months), Some(ended)) => start < calendar::add_months(ended, i64::from(months))?,
            _ => false,
        };
    let joined = Event::Joined {
        on: start,
        plan: plan.id.clone(),
        applied_on: at,
        paid_from,
        admission_fee: if waived { None } else { plan.admission_fee },
        rejoin,
    };
    let mut events = vec![joined];
    if start <= at {
        events.push(Event::Started { on: start });
    }
    Ok(events)
}

struct Context<'a> {
    state: &'a Membership,
    catalog: &'a Catalog,
    plan: &'a Plan,
    at: NaiveDate,
}

impl Context<'_> {
    fn start(&self) -> NaiveDate {
        self.state.start.unwrap_or(self.at)
    }

    fn paid_from(&self) -> NaiveDate {
        self.state.paid_from.unwrap_or(self.at)
    }

    fn not_before_start(&self, date: NaiveDate) -> Result<(), MembershipError> {
        if date < self.start() {
            return Err(MembershipError::DateBeforeStart {
                date,
                start: self.start(),
            });
        }
        Ok(())
    }

    fn not_in_past(&self, date: NaiveDate) -> Result<(), MembershipError> {
        if date < self.at {
            return Err(MembershipError::DateInPast {
                date,
                today: self.at,
            });
        }
        Ok(())
    }

    fn pause(
        &self,
        from: NaiveDate,
        until: NaiveDate,
        refuse: impl Fn() -> MembershipError,
    ) -> Result<Vec<Event>, MembershipError> {
        if !matches!(
            self.state.status,
            Status::Active | Status::PendingCancellation
        ) {
            return Err(refuse());
        }
        let policy = self
            .plan
            .pause
            .as_ref()
            .ok_or_else(|| MembershipError::PauseNotAllowed {
                plan: self.plan.id.to_string(),
            })?;
        self.not_before_start(from)?;
        self.not_in_past(from)?;
        if until <= from {
            return Err(MembershipError::EmptyPause { from, until });
        }
        if let Some(planned) = self.state.planned_pause {
            return Err(MembershipError::PauseAlreadyPlanned { from: planned.from });
        }
        if let Some(ends_on) = self.state.ends_on
            && from >= ends_on
        {
            return Err(MembershipError::AfterEnd {
                date: from,
                ends_on,
            });
        }
        if policy.starts == PauseStart::NextPeriod {
            let schedule = self.state.billing_schedule(self.catalog)?;
            if schedule.period_containing(from)?.start() != from {
                return Err(MembershipError::PauseNotAtPeriodStart {
                    from,
                    next: schedule.next_after(from)?,
                });
            }
        }
        if let Some(day) = policy.request_by_day_of_previous_month {
            let previous_month = calendar::add_months(from, -1)?;
            let last = days_in_month(previous_month.year(), previous_month.month()).unwrap_or(28);
            let deadline =
                calendar::date(previous_month.year(), previous_month.month(), day.min(last))?;
            if self.at > deadline {
                return Err(MembershipError::PauseRequestTooLate { from, deadline });
            }
        }
        let months = months_spanned(from, until)?;
        if months < policy.min_months {
            return Err(MembershipError::PauseTooShort {
                months,
                min: policy.min_months,
            });
        }
        if months > policy.max_months {
            return Err(MembershipError::PauseTooLong {
                months,
                max: policy.max_months,
            });
        }
        let same_year = self
            .state
            .pauses
            .iter()
            .filter(|p| p.from.year() == from.year())
            .count();
        if same_year as u64 >= u64::from(policy.max_per_year) {
            return Err(MembershipError::TooManyPauses {
                year: from.year(),
                max: policy.max_per_year,
            });
        }
        let mut events = vec![Event::PauseScheduled { on: from, until }];
        if from == self.at {
            events.push(Event::PauseStarted { on: from });
        }
        Ok(events)
    }

    fn resume(
        &self,
        on: NaiveDate,
        refuse: impl Fn() -> MembershipError,
    ) -> Result<Vec<Event>, MembershipError> {
        let pause = match (self.state.status, self.state.pauses.last()) {
            (Status::Paused, Some(pause)) => *pause,
            _ => return Err(refuse()),
        };
        self.not_in_past(on)?;
        if on < pause.from || on > pause.until {
            return Err(MembershipError::ResumeOutsidePause {
                on,
                from: pause.from,
                until: pause.until,
            });
        }
        let mut events = Vec::new();
        if on != pause.until {
            events.push(Event::ResumeScheduled { on });
        }
        if on <= self.at {
            events.push(Event::PauseEnded { on });
        }
        Ok(events)
    }

    fn change_plan(
        &self,
        to: &str,
        when: ChangeTiming,
        refuse: impl Fn() -> MembershipError,
    ) -> Result<Vec<Event>, MembershipError> {
        if !matches!(
            self.state.status,
            Status::Pending | Status::Trialing | Status::Active
        ) {
            return Err(refuse());
        }
        let target = self.catalog.get(to)?;
        if target.id == self.plan.id {
            return Err(MembershipError::SamePlan {
                plan: target.id.to_string(),
            });
        }
        let (from_currency, to_currency) = (self.plan.price.currency(), target.price.currency());
        if from_currency != to_currency {
            return Err(MembershipError::CurrencyMismatch {
                to: target.id.to_string(),
                to_currency,
                from_currency,
            });
        }
        let on = match (when, self.state.status) {
            (ChangeTiming::Now, _) => self.at,
            (ChangeTiming::NextPeriod, Status::Pending) => self.start(),
            (ChangeTiming::NextPeriod, Status::Trialing) => self.paid_from(),
            (ChangeTiming::NextPeriod, _) => self
                .state
                .billing_schedule(self.catalog)?
                .next_after(self.at)?,
        };
        if on <= self.at {
            return Ok(vec![Event::PlanChanged {
                on: self.at,
                from: self.plan.id.clone(),
                to: target.id.clone(),
                new_schedule: target.starts_own_schedule(self.plan),
            }]);
        }
        Ok(vec![Event::PlanChangeScheduled {
            on,
            plan: target.id.clone(),
        }])
    }

    fn cancel(
        &self,
        when: CancelTiming,
        refuse: impl Fn() -> MembershipError,
    ) -> Result<Vec<Event>, MembershipError> {
        let status = self.state.status;
        if matches!(status, Status::PendingCancellation) && when != CancelTiming::Now {
            return Err(refuse());
        }
        if let CancelTiming::On(on) = when {
            self.not_in_past(on)?;
        }
        let cooling_off = match (self.plan.cooling_off_days, self.state.applied_on) {
            (Some(days), Some(applied)) => self.at < after_days(applied, days)?,
            _ => false,
        };
        if cooling_off || status == Status::Pending {
            return Ok(vec![Event::Cancelled {
                on: self.at,
                early_termination_fee: None,
                cooling_off,
            }]);
        }
        let on = match (when, status) {
            (CancelTiming::Now, _) => self.at,
            (CancelTiming::On(on), _) => on,
            (_, Status::Trialing) => self.paid_from(),
            (CancelTiming::PeriodEnd, _) => self
                .state
                .billing_schedule(self.catalog)?
                .next_after(self.at)?,
            (CancelTiming::ByNoticeRule, _) => self.notice_end()?,
        };
        let early_termination_fee = match (&self.plan.minimum_term, status) {
            (_, Status::Trialing) | (None, _) => None,
            (Some(term), _) => {
                let ends = self.state.minimum_term_end(self.plan, term.periods)?;
                match (&term.early_cancel, on < ends) {
                    (_, false) => None,
                    (EarlyCancel::Refused, true) => {
                        return Err(MembershipError::InsideMinimumTerm { ends_on: ends });
                    }
                    (EarlyCancel::Fee { amount }, true) => Some(*amount),
                }
            }
        };
        if on <= self.at {
            return Ok(vec![Event::Cancelled {
                on,
                early_termination_fee,
                cooling_off: false,
            }]);
        }
        Ok(vec![Event::CancellationScheduled {
            on,
            early_termination_fee,
        }])
    }

    /// The end date a cancel requested today gets under the plan's notice rule.
    fn notice_end(&self) -> Result<NaiveDate, MembershipError> {
        let at = self.at;
        match self.plan.notice {
            Some(NoticeRule::DayOfMonth { day }) => {
                let next_month_start = calendar::add_months(first_of_month(at), 1)?;
                let deadline_day = day.min(days_in_month(at.year(), at.month()).unwrap_or(28));
                let months = if at.day() <= deadline_day { 0 } else { 1 };
                Ok(calendar::add_months(next_month_start, months)?)
            }
            Some(NoticeRule::DaysBeforePeriodEnd { days }) => {
                let schedule = self.state.billing_schedule(self.catalog)?;
                let mut k = schedule.index_of(at)? + 1;
                loop {
                    let end = schedule.boundary(k)?;
                    if after_days(at, days)? <= end {
                        return Ok(end);
                    }
                    k += 1;
                }
            }
            None => Ok(self.state.billing_schedule(self.catalog)?.next_after(at)?),
        }
    }

    fn dunning(
        &self,
        from: &[Status],
        refuse: impl Fn() -> MembershipError,
        event: impl Fn(NaiveDate) -> Event,
    ) -> Result<Vec<Event>, MembershipError> {
        if !from.contains(&self.state.status) {
            return Err(refuse());
        }
        Ok(vec![event(self.at)])
    }
}

/// Everything due by `at`, in date order.
fn advance(
    state: &Membership,
    catalog: &Catalog,
    at: NaiveDate,
) -> Result<Vec<Event>, MembershipError> {
    let mut events = Vec::new();
    let mut current = state.clone();
    // Each step moves the membership forward by one event; a membership has a
    // handful of dated things pending at most, so this ends quickly.
    while let Some(event) = next_due(&current, catalog, at)? {
        current = current.apply(&event);
        events.push(event);
    }
    Ok(events)
}

fn next_due(
    state: &Membership,
    catalog: &Catalog,
    at: NaiveDate,
) -> Result<Option<Event>, MembershipError> {
    let Some(plan) = current_plan(state, catalog) else {
        return Ok(None);
    };
    let mut due: Vec<(NaiveDate, u8, Event)> = Vec::new();
    let mut add = |on: NaiveDate, rank: u8, event: Event| {
        if on <= at {
            due.push((on, rank, event));
        }
    };
    match (state.status, state.start, state.paid_from) {
        (Status::Pending, Some(start), _) => add(start, 0, Event::Started { on: start }),
        (Status::Trialing, _, Some(paid)) => add(paid, 1, Event::TrialEnded { on: paid }),
        _ => {}
    }
    if let Some(ends_on) = state.ends_on {
        add(
            ends_on,
            2,
            Event::Cancelled {
                on: ends_on,
                early_termination_fee: None,
                cooling_off: false,
            },
        );
    }
    if let Some(end) = state.fixed_term_end(plan)?
        && state.status != Status::Pending
    {
        add(end, 3, Event::Expired { on: end });
    }
    if let (Status::Paused, Some(pause)) = (state.status, state.pauses.last()) {
        add(pause.until, 4, Event::PauseEnded { on: pause.until });
    }
    if let Some((to, on)) = &state.plan_change
        && matches!(
            state.status,
            Status::Active | Status::Trialing | Status::Pending | Status::Paused
        )
    {
        add(
            *on,
            5,
            Event::PlanChanged {
                on: *on,
                from: plan.id.clone(),
                to: to.clone(),
                new_schedule: catalog.get(to).is_ok_and(|to| to.starts_own_schedule(plan)),
            },
        );
    }
    if let Some(pause) = state.planned_pause
        && matches!(state.status, Status::Active | Status::PendingCancellation)
    {
        add(pause.from, 6, Event::PauseStarted { on: pause.from });
    }
    Ok(due
        .into_iter()
        .min_by_key(|(on, rank, _)| (*on, *rank))
        .map(|(_, _, event)| event))
}

/// The number of whole months from `from` that reach `until`, rounded up
/// (`until` is after `from`).
fn months_spanned(from: NaiveDate, until: NaiveDate) -> Result<u32, MembershipError> {
    let month_index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    // The estimate is exact or one short (a later day of the month in `until`).
    let mut months = (month_index(until) - month_index(from)).max(1);
    if calendar::add_months(from, months)? < until {
        months += 1;
    }
    if months > 1 && calendar::add_months(from, months - 1)? >= until {
        months -= 1;
    }
    Ok(u32::try_from(months).unwrap_or(u32::MAX))
}

pub(super) fn after_days(date: NaiveDate, days: u32) -> Result<NaiveDate, MembershipError> {
    date.checked_add_days(Days::new(u64::from(days)))
        .ok_or(MembershipError::Calendar(
            calendar::CalendarError::OutOfRange {
                operation: "adding days",
            },
        ))
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}
