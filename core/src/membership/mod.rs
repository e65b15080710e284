//! The membership lifecycle: plans, and a decider over each membership.
//!
//! A membership follows the decider pattern: [`decide`] looks at the current
//! [`Membership`], a [`Command`] and the date it is made, and either refuses
//! with a [`MembershipError`] or returns the [`Event`]s that follow;
//! [`Membership::apply`] folds an event into the state and never fails.
//! Replaying a membership's events from [`Membership::default`] gives the
//! same state. Each event carries the date it takes effect.
//!
//! The state's `version` counts the events applied: a host that stores events
//! or snapshots checks it on write (optimistic concurrency), so two servers
//! deciding on the same membership can never both succeed.
//!
//! ```
//! use memberkit::calendar::date;
//! use memberkit::membership::{Catalog, CancelTiming, Command, Membership, Status, decide};
//!
//! let catalog = Catalog::from_json(r#"[{"id": "regular", "name": "Regular",
//!     "price": {"amount": "8800", "currency": "JPY"}, "interval": {"unit": "month", "count": 1},
//!     "notice": {"kind": "day_of_month", "day": 10}}]"#)?;
//! let mut member = Membership::default();
//! let join = Command::Join { plan: "regular".into(), start: date(2026, 4, 1)?, trial: false };
//! for event in decide(&member, &catalog, &join, date(2026, 3, 20)?)? {
//!     member = member.apply(&event);
//! }
//! assert_eq!(member.status, Status::Pending);
//!
//! // Asked on June 12, after the 10th: the membership ends at the end of July.
//! let cancel = Command::Cancel { when: CancelTiming::ByNoticeRule };
//! let events = decide(&member, &catalog, &cancel, date(2026, 6, 12)?)?;
//! let member = events.iter().fold(member, |m, e| m.apply(e));
//! assert_eq!(member.status, Status::PendingCancellation);
//! assert_eq!(member.ends_on, Some(date(2026, 8, 1)?));
//! # Ok::<(), memberkit::Error>(())
//! ```

mod catalog;
mod decide;
mod json;
mod plan;
mod query;
mod state;

pub use catalog::Catalog;
pub use decide::decide;
pub use json::{events_from_json, events_to_json, to_json};
pub use plan::{
    Alignment, BookingEntitlement, EarlyCancel, MAX_PAUSE_MONTHS, MinimumTerm, NoticeRule,
    PausePolicy, PauseStart, Plan, PlanId, RefundPolicy, TaxRate, Trial,
};
pub use query::{BookingAllowance, MembershipView, ScheduledChange};
pub use state::{CancelTiming, ChangeTiming, Command, Event, Membership, Pause, Status};

use crate::calendar::{CalendarError, NaiveDate};
use crate::error_kind::ErrorKind;

/// Why a plan is invalid or a command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MembershipError {
    /// A plan (or catalog) is invalid; `path` names the bad field, e.g. `[2].pause.max_months`.
    #[error("invalid plan{}: {message}", crate::error_kind::at_path(path))]
    InvalidPlan {
        /// Where in the plan or catalog.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A command, event or state given as JSON does not parse.
    #[error(transparent)]
    Json(#[from] crate::json::JsonError),
    /// No plan has this id.
    #[error("unknown plan {plan:?}")]
    UnknownPlan {
        /// The id given.
        plan: String,
    },
    /// The command does not apply to a membership in this status.
    #[error("cannot {command} a membership that is {status}")]
    InvalidTransition {
        /// The command refused.
        command: &'static str,
        /// The membership's status.
        status: Status,
    },
    /// A date lies before the membership started.
    #[error("{date} is before the membership started on {start}")]
    DateBeforeStart {
        /// The date given.
        date: NaiveDate,
        /// The membership's start.
        start: NaiveDate,
    },
    /// A rejoin starting before the previous membership ended, or on the
    /// day it started: the two would overlap (each membership's billing is
    /// kept under its start date).
    #[error(
        "a rejoin must start after the previous membership, which ran from {previous_start} until {ended}; got {start}"
    )]
    RejoinOverlaps {
        /// The rejoin's start.
        start: NaiveDate,
        /// When the previous membership started.
        previous_start: NaiveDate,
        /// When it ended.
        ended: NaiveDate,
    },
    /// A date that must not be in the past is.
    #[error("{date} is in the past (the request is made on {today})")]
    DateInPast {
        /// The date given.
        date: NaiveDate,
        /// The date of the request.
        today: NaiveDate,
    },
    /// A join with a trial on a plan without one.
    #[error("plan {plan:?} has no trial")]
    NoTrial {
        /// The plan.
        plan: String,
    },
    /// The plan does not allow pausing.
    #[error("plan {plan:?} does not allow pausing")]
    PauseNotAllowed {
        /// The plan.
        plan: String,
    },
    /// A pause's end is not after its start.
    #[error("a pause must end after it starts: {from} to {until}")]
    EmptyPause {
        /// The first paused day.
        from: NaiveDate,
        /// The day membership resumes.
        until: NaiveDate,
    },
    /// A pause shorter than the plan allows.
    #[error("a pause of {months} month(s) is shorter than the plan's minimum of {min}")]
    PauseTooShort {
        /// The pause's length in months, rounded up.
        months: u32,
        /// The plan's minimum.
        min: u32,
    },
    /// A pause longer than the plan allows.
    #[error("a pause of {months} month(s) is longer than the plan's maximum of {max}")]
    PauseTooLong {
        /// The pause's length in months, rounded up.
        months: u32,
        /// The plan's maximum.
        max: u32,
    },
    /// More pauses starting in one year than the plan allows.
    #[error(
        "the plan allows {max} pause(s) starting in {year}, and that many are taken or planned"
    )]
    TooManyPauses {
        /// The calendar year.
        year: i32,
        /// The plan's maximum.
        max: u32,
    },
    /// A pause requested after the plan's deadline.
    #[error("a pause starting {from} had to be requested by {deadline}")]
    PauseRequestTooLate {
        /// The pause's first day.
        from: NaiveDate,
        /// The last day it could be requested.
        deadline: NaiveDate,
    },
    /// A pause that must start at a period start does not.
    #[error("pauses start at a billing period start; {from} is not one (the next is {next})")]
    PauseNotAtPeriodStart {
        /// The date given.
        from: NaiveDate,
        /// The next period start.
        next: NaiveDate,
    },
    /// Another pause is already planned.
    #[error("a pause from {from} is already planned")]
    PauseAlreadyPlanned {
        /// Its first day.
        from: NaiveDate,
    },
    /// A date at or after the membership's planned end.
    #[error("{date} is not before the membership ends on {ends_on}")]
    AfterEnd {
        /// The date given.
        date: NaiveDate,
        /// The planned end.
        ends_on: NaiveDate,
    },
    /// A resume date outside the current pause.
    #[error("a resume date must fall within the pause {from} to {until}, got {on}")]
    ResumeOutsidePause {
        /// The date given.
        on: NaiveDate,
        /// The pause's first day.
        from: NaiveDate,
        /// The pause's planned end.
        until: NaiveDate,
    },
    /// A plan change to a plan priced in another currency.
    #[error(
        "plan {to:?} is priced in {to_currency}, not in {from_currency} like the current plan; cancel and rejoin instead"
    )]
    CurrencyMismatch {
        /// The new plan.
        to: String,
        /// The new plan's currency.
        to_currency: crate::money::Currency,
        /// The current plan's currency.
        from_currency: crate::money::Currency,
    },
    /// A plan change to the plan already held.
    #[error("the membership is already on plan {plan:?}")]
    SamePlan {
        /// The plan.
        plan: String,
    },
    /// A cancel inside the minimum term on a plan that refuses it.
    #[error(
        "the minimum term runs until {ends_on}; the plan does not allow cancelling before then"
    )]
    InsideMinimumTerm {
        /// The first day after the minimum term.
        ends_on: NaiveDate,
    },
    /// A revoke with no cancellation planned.
    #[error("no cancellation is planned")]
    NoPlannedCancellation,
    /// A date computation failed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl MembershipError {
    /// The error's [`ErrorKind`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidPlan { .. } => ErrorKind::InvalidPlan,
            Self::Json(_) => ErrorKind::InvalidJson,
            Self::UnknownPlan { .. } => ErrorKind::UnknownPlan,
            Self::InvalidTransition { .. } | Self::NoPlannedCancellation => {
                ErrorKind::InvalidTransition
            }
            Self::Calendar(e) => e.kind(),
            _ => ErrorKind::CommandRefused,
        }
    }
}
