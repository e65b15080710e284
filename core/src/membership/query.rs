//! Questions asked of a membership: status on a date, booking allowance,
//! next renewal, and the changes already decided.

use super::decide::{after_days, decide};
use super::{
    BookingEntitlement, Catalog, Command, Membership, MembershipError, Plan, PlanId, Status,
};
use crate::calendar::{NaiveDate, Period, Schedule};
use serde::{Deserialize, Serialize};

/// What a member may still book in a billing period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingAllowance {
    /// Whether the member may book on the date asked.
    pub may_book: bool,
    /// Bookings left in the period; `None` when the plan is unlimited.
    pub remaining: Option<u32>,
    /// The billing period the allowance counts in.
    pub period: Period,
}

/// A membership as shown to a member or operator on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipView {
    /// The status on the date.
    pub status: Status,
    /// The state's version.
    pub version: u64,
    /// The current plan.
    pub plan: Option<PlanId>,
    /// The next renewal after the date, while the membership runs.
    pub next_renewal: Option<NaiveDate>,
    /// The changes already decided, in date order.
    pub scheduled_changes: Vec<ScheduledChange>,
}

/// A change already decided, for showing to the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ScheduledChange {
    /// Membership starts.
    Start {
        /// The day.
        on: NaiveDate,
    },
    /// The trial ends and paid membership starts.
    TrialEnd {
        /// The first paid day.
        on: NaiveDate,
    },
    /// A pause.
    Pause {
        /// The first paused day.
        on: NaiveDate,
        /// The day membership resumes.
        until: NaiveDate,
    },
    /// The end of the pause under way.
    Resume {
        /// The day membership resumes.
        on: NaiveDate,
    },
    /// A plan change.
    PlanChange {
        /// The day the new plan applies.
        on: NaiveDate,
        /// The new plan.
        plan: PlanId,
    },
    /// The cancellation.
    Cancellation {
        /// The first day no longer a member.
        on: NaiveDate,
    },
}

impl Membership {
    /// The billing schedule: periods on the billing day of the plan it
    /// follows (the 1st for calendar alignment, its first day's for
    /// anniversary), anchored on the first such day on or after the first
    /// paid day. A change to a plan of another interval starts the new
    /// plan's schedule on the change day; between plans of one interval the
    /// schedule stays.
    ///
    /// ```
    /// use memberkit::calendar::date;
    /// use memberkit::membership::{Catalog, ChangeTiming, Command, Membership, decide};
    ///
    /// let catalog = Catalog::from_json(r#"[
    ///     {"id": "monthly", "name": "Monthly", "price": {"amount": "8800", "currency": "JPY"},
    ///      "interval": {"unit": "month", "count": 1}},
    ///     {"id": "yearly", "name": "Yearly", "price": {"amount": "88000", "currency": "JPY"},
    ///      "interval": {"unit": "year", "count": 1}, "alignment": "anniversary"}]"#)?;
    /// let mut member = Membership::default();
    /// let commands = [
    ///     (Command::Join { plan: "monthly".into(), start: date(2026, 4, 1)?, trial: false }, date(2026, 4, 1)?),
    ///     (Command::ChangePlan { plan: "yearly".into(), when: ChangeTiming::Now }, date(2026, 6, 10)?),
    /// ];
    /// for (command, at) in commands {
    ///     member = decide(&member, &catalog, &command, at)?.iter().fold(member, |m, e| m.apply(e));
    /// }
    /// let period = member.billing_schedule(&catalog)?.period_containing(date(2026, 6, 10)?)?;
    /// assert_eq!(period.to_string(), "[2026-06-10, 2027-06-10)");
    /// # Ok::<(), memberkit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`MembershipError::InvalidTransition`] before the member has joined;
    /// [`MembershipError::UnknownPlan`] when the catalog lacks the plan.
    pub fn billing_schedule(&self, catalog: &Catalog) -> Result<Schedule, MembershipError> {
        let from = self.schedule_start()?;
        let plan = catalog.get(
            self.schedule_plan
                .as_deref()
                .or(self.plan.as_deref())
                .unwrap_or_default(),
        )?;
        Ok(plan.schedule_from(from)?)
    }

    /// The day the billing schedule starts from, which a fixed term counts from.
    fn schedule_start(&self) -> Result<NaiveDate, MembershipError> {
        let paid_from = self.paid_from.ok_or(MembershipError::InvalidTransition {
            command: "bill",
            status: self.status,
        })?;
        Ok(self.schedule_from.unwrap_or(paid_from))
    }

    /// The first day after the minimum term of `periods` billing periods,
    /// pushed out by the days paused when the plan says so.
    ///
    /// # Errors
    /// [`MembershipError::InvalidTransition`] before joining; calendar errors at its edges.
    pub fn minimum_term_end(
        &self,
        plan: &Plan,
        periods: u32,
    ) -> Result<NaiveDate, MembershipError> {
        let paid_from = self.paid_from.ok_or(MembershipError::InvalidTransition {
            command: "bill",
            status: self.status,
        })?;
        let end = plan.interval.shift(paid_from, i64::from(periods))?;
        let extends = plan.pause.as_ref().is_some_and(|p| p.extends_minimum_term);
        if !extends {
            return Ok(end);
        }
        let paused: u32 = self
            .pauses
            .iter()
            .chain(&self.planned_pause)
            .map(|p| Period::new(p.from, p.until).map_or(0, |p| p.days()))
            .sum();
        after_days(end, paused)
    }

    /// The status on `on`, with everything already decided applied up to it.
    ///
    /// # Errors
    /// Calendar errors at the edges of the supported range.
    pub fn status_on(&self, catalog: &Catalog, on: NaiveDate) -> Result<Status, MembershipError> {
        let events = decide(self, catalog, &Command::Advance, on)?;
        Ok(events.iter().fold(self.clone(), |m, e| m.apply(e)).status)
    }

    /// Whether the member may book on `on` and how many bookings the plan
    /// still allows in that billing period, given `used` bookings already
    /// made in it.
    ///
    /// # Errors
    /// [`MembershipError::InvalidTransition`] before joining; [`MembershipError::UnknownPlan`].
    pub fn booking_allowance(
        &self,
        catalog: &Catalog,
        on: NaiveDate,
        used: u32,
    ) -> Result<BookingAllowance, MembershipError> {
        let plan = catalog.get(self.plan.as_deref().unwrap_or_default())?;
        let period = self.billing_schedule(catalog)?.period_containing(on)?;
        let status = self.status_on(catalog, on)?;
        let in_good_standing = matches!(
            status,
            Status::Trialing | Status::Active | Status::PendingCancellation
        );
        let remaining = match plan.booking {
            BookingEntitlement::Unlimited => None,
            BookingEntitlement::PerPeriod { bookings } => Some(bookings.saturating_sub(used)),
        };
        Ok(BookingAllowance {
            may_book: in_good_standing && remaining != Some(0),
            remaining,
            period,
        })
    }

    /// The next renewal after `at`: the next billing period start while the
    /// membership runs, or `None` when it ends before then.
    ///
    /// # Errors
    /// As [`Membership::billing_schedule`].
    pub fn next_renewal(
        &self,
        catalog: &Catalog,
        at: NaiveDate,
    ) -> Result<Option<NaiveDate>, MembershipError> {
        if matches!(
            self.status,
            Status::New | Status::Cancelled | Status::Expired
        ) {
            return Ok(None);
        }
        let plan = catalog.get(self.plan.as_deref().unwrap_or_default())?;
        let schedule = self.billing_schedule(catalog)?;
        let from = at.max(self.paid_from.unwrap_or(at));
        let next = if from > at {
            schedule.period_containing(from)?.start().max(from)
        } else {
            schedule.next_after(at)?
        };
        let ends = self
            .ends_on
            .into_iter()
            .chain(self.fixed_term_end(plan)?)
            .min();
        Ok(next_before(next, ends))
    }

    /// The end of the current plan's fixed term, counted from the start of
    /// its billing schedule.
    pub(super) fn fixed_term_end(&self, plan: &Plan) -> Result<Option<NaiveDate>, MembershipError> {
        match (plan.fixed_term_periods, self.paid_from) {
            (Some(periods), Some(_)) => Ok(Some(
                plan.interval
                    .shift(self.schedule_start()?, i64::from(periods))?,
            )),
            _ => Ok(None),
        }
    }

    /// The membership as shown on `on`: its status then, its next renewal and
    /// the changes already decided.
    ///
    /// # Errors
    /// As [`Membership::next_renewal`].
    pub fn view(
        &self,
        catalog: &Catalog,
        on: NaiveDate,
    ) -> Result<MembershipView, MembershipError> {
        Ok(MembershipView {
            status: self.status_on(catalog, on)?,
            version: self.version,
            plan: self.plan.clone(),
            next_renewal: self.next_renewal(catalog, on)?,
            scheduled_changes: self.scheduled_changes(),
        })
    }

    /// The changes already decided, in date order.
    pub fn scheduled_changes(&self) -> Vec<ScheduledChange> {
        let mut changes = Vec::new();
        match (self.status, self.start, self.paid_from) {
            (Status::Pending, Some(on), _) => changes.push(ScheduledChange::Start { on }),
            (Status::Trialing, _, Some(on)) => changes.push(ScheduledChange::TrialEnd { on }),
            _ => {}
        }
        if let (Status::Paused, Some(p)) = (self.status, self.pauses.last()) {
            changes.push(ScheduledChange::Resume { on: p.until });
        }
        if let Some(p) = self.planned_pause {
            changes.push(ScheduledChange::Pause {
                on: p.from,
                until: p.until,
            });
        }
        if let Some((plan, on)) = &self.plan_change {
            changes.push(ScheduledChange::PlanChange {
                on: *on,
                plan: plan.clone(),
            });
        }
        if let Some(on) = self.ends_on {
            changes.push(ScheduledChange::Cancellation { on });
        }
        changes.sort_by_key(change_date);
        changes
    }
}

fn change_date(change: &ScheduledChange) -> NaiveDate {
    match change {
        ScheduledChange::Start { on }
        | ScheduledChange::TrialEnd { on }
        | ScheduledChange::Pause { on, .. }
        | ScheduledChange::Resume { on }
        | ScheduledChange::PlanChange { on, .. }
        | ScheduledChange::Cancellation { on } => *on,
    }
}

fn next_before(next: NaiveDate, ends: Option<NaiveDate>) -> Option<NaiveDate> {
    match ends {
        Some(end) if end <= next => None,
        _ => Some(next),
    }
}
