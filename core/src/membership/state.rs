//! The membership's state, the commands it accepts and the events it records.

use super::PlanId;
use crate::calendar::NaiveDate;
use crate::money::Money;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a membership stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Never joined.
    #[default]
    New,
    /// Applied; starts on a later date.
    Pending,
    /// In the trial.
    Trialing,
    /// A paying member.
    Active,
    /// Paused (休会).
    Paused,
    /// A payment failed (set by dunning).
    PastDue,
    /// Suspended (set by dunning).
    Suspended,
    /// Active, with a cancellation taking effect on a known date.
    PendingCancellation,
    /// Cancelled (退会).
    Cancelled,
    /// A fixed term ended.
    Expired,
}

impl Status {
    /// The status's snake_case name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Pending => "pending",
            Self::Trialing => "trialing",
            Self::Active => "active",
            Self::Paused => "paused",
            Self::PastDue => "past_due",
            Self::Suspended => "suspended",
            Self::PendingCancellation => "pending_cancellation",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A pause, taken or planned: paused from `from` (included) to `until` (excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// The first paused day.
    pub from: NaiveDate,
    /// The day membership resumes.
    pub until: NaiveDate,
}

/// When a cancel takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelTiming {
    /// On the day of the request.
    Now,
    /// At the end of the current billing period (or trial).
    PeriodEnd,
    /// As the plan's notice rule says (the period end when it has none).
    ByNoticeRule,
    /// On a date the member or staff chooses (the first day no longer a
    /// member), today or later; serialized as `{"on": "2026-05-20"}`. The
    /// last partial period follows the plan's
    /// [`RefundPolicy`](super::RefundPolicy): kept paid to its end, or its
    /// unused days credited or refunded.
    On(NaiveDate),
}

/// When a plan change takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeTiming {
    /// On the day of the request.
    Now,
    /// At the start of the next billing period.
    NextPeriod,
}

/// What a member, staff or dunning asks of a membership. Serialized with a
/// `"type"` tag: `{"type": "pause", "from": "2026-07-01", "until": "2026-09-01"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Join `plan` from `start`, with the plan's trial or without.
    Join {
        /// The plan.
        plan: PlanId,
        /// The first day of membership (of the trial, with one).
        start: NaiveDate,
        /// Whether to begin with the plan's trial.
        #[serde(default)]
        trial: bool,
    },
    /// Pause from `from` (included) to `until` (excluded).
    Pause {
        /// The first paused day.
        from: NaiveDate,
        /// The day membership resumes.
        until: NaiveDate,
    },
    /// End the current pause on `on` (early, or at the planned date).
    Resume {
        /// The day membership resumes.
        on: NaiveDate,
    },
    /// Move to another plan.
    ChangePlan {
        /// The new plan.
        plan: PlanId,
        /// When.
        when: ChangeTiming,
    },
    /// Cancel the membership (退会).
    Cancel {
        /// When it takes effect.
        when: CancelTiming,
    },
    /// Withdraw a planned cancellation.
    RevokeCancellation,
    /// A payment failed (from dunning).
    MarkPastDue,
    /// Suspend for non-payment (from dunning).
    Suspend,
    /// Payment recovered (from dunning).
    Reinstate,
    /// Join again after a cancellation or expiry.
    Rejoin {
        /// The plan.
        plan: PlanId,
        /// The first day of the new membership.
        start: NaiveDate,
        /// Whether to begin with the plan's trial.
        #[serde(default)]
        trial: bool,
    },
    /// Apply everything due by the request date: starts, trial ends, planned
    /// pauses and resumes, plan changes, cancellations and expiries.
    Advance,
}

impl Command {
    /// The command's name, as in its `"type"` tag.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Join { .. } => "join",
            Self::Pause { .. } => "pause",
            Self::Resume { .. } => "resume",
            Self::ChangePlan { .. } => "change_plan",
            Self::Cancel { .. } => "cancel",
            Self::RevokeCancellation => "revoke_cancellation",
            Self::MarkPastDue => "mark_past_due",
            Self::Suspend => "suspend",
            Self::Reinstate => "reinstate",
            Self::Rejoin { .. } => "rejoin",
            Self::Advance => "advance",
        }
    }
}

/// What happened to a membership; `on` is the date it takes effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// Joined (or rejoined) a plan; membership starts `on`.
    Joined {
        /// The first day of membership.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
        /// The plan.
        plan: PlanId,
        /// The day the member applied (the cooling-off clock starts here).
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        applied_on: NaiveDate,
        /// The first paid day: the trial's end, or `on` without a trial.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        paid_from: NaiveDate,
        /// The admission fee to charge, if any (waived on some rejoins).
        admission_fee: Option<Money>,
        /// Whether this is a rejoin.
        rejoin: bool,
    },
    /// Membership started.
    Started {
        /// The start date.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
    },
    /// The trial ended; paid membership starts.
    TrialEnded {
        /// The first paid day.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
    },
    /// A pause was planned.
    PauseScheduled {
        /// The first paused day.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
        /// The day membership resumes.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        until: NaiveDate,
    },
    /// A pause began.
    PauseStarted {
        /// The first paused day.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
    },
    /// The current pause will end on `on` instead of its planned date.
    ResumeScheduled {
        /// The day membership resumes.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
    },
    /// A pause ended.
    PauseEnded {
        /// The day membership resumed.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
    },
    /// A plan change was planned.
    PlanChangeScheduled {
        /// The day the new plan applies.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
        /// The new plan.
        plan: PlanId,
    },
    /// The plan changed.
    PlanChanged {
        /// The day the new plan applies.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
        /// The old plan.
        from: PlanId,
        /// The new plan.
        to: PlanId,
        /// Whether the new plan is billed on a schedule of its own from `on`
        /// (or the first paid day, when later), as
        /// [`Plan::starts_own_schedule`](super::Plan::starts_own_schedule)
        /// says: the old plan's period is prorated at the change. Serialized
        /// only when true.
        #[serde(default, skip_serializing_if = "is_false")]
        new_schedule: bool,
    },
    /// A cancellation was planned.
    CancellationScheduled {
        /// The first day no longer a member.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
        /// The early-termination fee to charge, if any.
        early_termination_fee: Option<Money>,
    },
    /// A planned cancellation was withdrawn.
    CancellationRevoked {
        /// The day of the revocation.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
    },
    /// The membership ended by cancellation.
    Cancelled {
        /// The first day no longer a member.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
        /// The early-termination fee to charge, if any.
        early_termination_fee: Option<Money>,
        /// Whether this is a cooling-off cancel, refunded in full.
        cooling_off: bool,
    },
    /// A payment failed.
    MarkedPastDue {
        /// The day.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
    },
    /// Suspended for non-payment.
    Suspended {
        /// The day.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
    },
    /// Reinstated after payment.
    Reinstated {
        /// The day.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
    },
    /// A fixed term ended.
    Expired {
        /// The first day no longer a member.
        #[serde(deserialize_with = "crate::digits::deserialize_date")]
        on: NaiveDate,
    },
}

impl Event {
    /// The date the event takes effect.
    pub fn on(&self) -> NaiveDate {
        match self {
            Self::Joined { on, .. }
            | Self::Started { on }
            | Self::TrialEnded { on }
            | Self::PauseScheduled { on, .. }
            | Self::PauseStarted { on }
            | Self::ResumeScheduled { on }
            | Self::PauseEnded { on }
            | Self::PlanChangeScheduled { on, .. }
            | Self::PlanChanged { on, .. }
            | Self::CancellationScheduled { on, .. }
            | Self::CancellationRevoked { on }
            | Self::Cancelled { on, .. }
            | Self::MarkedPastDue { on }
            | Self::Suspended { on }
            | Self::Reinstated { on }
            | Self::Expired { on } => *on,
        }
    }
}

/// The state of one membership, folded from its events.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Membership {
    /// The number of events applied; check it on write for optimistic concurrency.
    pub version: u64,
    /// Where the membership stands.
    pub status: Status,
    /// The current plan.
    pub plan: Option<PlanId>,
    /// The day the member applied.
    pub applied_on: Option<NaiveDate>,
    /// The first day of membership (of the trial, with one).
    pub start: Option<NaiveDate>,
    /// The first paid day.
    pub paid_from: Option<NaiveDate>,
    /// Pauses taken or under way, in order; while paused, the last one.
    pub pauses: Vec<Pause>,
    /// A planned pause that has not started.
    pub planned_pause: Option<Pause>,
    /// A planned plan change: the plan and the day it applies.
    pub plan_change: Option<(PlanId, NaiveDate)>,
    /// A planned cancellation: the first day no longer a member.
    pub ends_on: Option<NaiveDate>,
    /// The day the membership ended (cancelled or expired).
    pub ended_on: Option<NaiveDate>,
    /// The plan whose interval and billing day the billing schedule
    /// follows: the one joined, or the last one changed to with another
    /// interval (`None` in states saved before it was kept: the current plan).
    #[serde(default)]
    pub schedule_plan: Option<PlanId>,
    /// The day that schedule starts from: the first paid day, or the day of
    /// that change (`None` in states saved before it was kept: the first paid day).
    #[serde(default)]
    pub schedule_from: Option<NaiveDate>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Membership {
    /// The state after `event`. Never fails: events record decisions already made.
    pub fn apply(mut self, event: &Event) -> Membership {
        self.record(event);
        self
    }

    /// [`Self::apply`] in place, for replaying many events without moving
    /// the state at each.
    pub(crate) fn record(&mut self, event: &Event) {
        // Saturating: a stored state at the largest version must not wrap
        // to 0 (a stale writer would then win the version check) or panic.
        self.version = self.version.saturating_add(1);
        match event {
            Event::Joined {
                on,
                plan,
                applied_on,
                paid_from,
                ..
            } => {
                let version = self.version;
                *self = Membership {
                    version,
                    status: Status::Pending,
                    plan: Some(plan.clone()),
                    applied_on: Some(*applied_on),
                    start: Some(*on),
                    paid_from: Some(*paid_from),
                    schedule_plan: Some(plan.clone()),
                    schedule_from: Some(*paid_from),
                    ..Membership::default()
                };
            }
            Event::Started { on } => {
                self.status = if self.paid_from > Some(*on) {
                    Status::Trialing
                } else {
                    Status::Active
                };
            }
            Event::TrialEnded { .. } => self.status = self.running_status(),
            Event::PauseScheduled { on, until } => {
                self.planned_pause = Some(Pause {
                    from: *on,
                    until: *until,
                })
            }
            Event::PauseStarted { .. } => {
                self.pauses.extend(self.planned_pause.take());
                self.status = Status::Paused;
            }
            Event::ResumeScheduled { on } => {
                if let Some(pause) = self.pauses.last_mut() {
                    pause.until = *on;
                }
            }
            Event::PauseEnded { .. } => self.status = self.running_status(),
            Event::PlanChangeScheduled { on, plan } => self.plan_change = Some((plan.clone(), *on)),
            Event::PlanChanged {
                on,
                to,
                new_schedule,
                ..
            } => {
                self.plan = Some(to.clone());
                self.plan_change = None;
                if *new_schedule {
                    self.schedule_plan = Some(to.clone());
                    self.schedule_from = Some(self.paid_from.map_or(*on, |paid| paid.max(*on)));
                }
            }
            Event::CancellationScheduled { on, .. } => {
                self.ends_on = Some(*on);
                if matches!(self.status, Status::Active | Status::Trialing) {
                    self.status = Status::PendingCancellation;
                }
            }
            Event::CancellationRevoked { on } => {
                self.ends_on = None;
                if self.status == Status::PendingCancellation {
                    self.status = if self.paid_from > Some(*on) {
                        Status::Trialing
                    } else {
                        Status::Active
                    };
                }
            }
            Event::Cancelled { on, .. } => self.end(Status::Cancelled, *on),
            Event::Expired { on } => self.end(Status::Expired, *on),
            Event::MarkedPastDue { .. } => self.status = Status::PastDue,
            Event::Suspended { .. } => self.status = Status::Suspended,
            Event::Reinstated { .. } => self.status = self.running_status(),
        }
    }

    /// Active, or pending cancellation when an end is planned.
    fn running_status(&self) -> Status {
        if self.ends_on.is_some() {
            Status::PendingCancellation
        } else {
            Status::Active
        }
    }

    fn end(&mut self, status: Status, on: NaiveDate) {
        self.status = status;
        self.ended_on = Some(on);
        self.ends_on = None;
        self.plan_change = None;
        self.planned_pause = None;
    }
}
