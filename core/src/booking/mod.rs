//! Booking: sessions with capacity, a waitlist with promotion (繰り上げ),
//! offers that expire, cutoffs, late-cancel and no-show rules, check-in,
//! strikes and punch cards (回数券).
//!
//! A [`Book`] holds many sessions and their members and follows the decider
//! pattern: [`decide`] looks at the book, its [`Rules`], a [`Command`] and
//! the instant it is made, and either refuses with a [`BookingError`] or
//! returns the [`Event`]s that follow; [`Book::apply`] folds an event into
//! the book and never fails. Replaying the events from [`Book::default`]
//! gives the same book, and `version` counts them for optimistic
//! concurrency. [`SharedBook`] is the same book behind a lock, for hosts
//! that keep it in process and call it from many threads.
//!
//! - Time is an argument. Every command checks the instants it depends on
//!   (an offer past its expiry cannot be accepted, a check-in after the
//!   no-show mark is refused); [`Command::Advance`] does what time brings
//!   about: offers expire, waitlist cutoffs pass, no-shows are marked, packs
//!   expire, free seats go to the waitlist. Call it regularly, or at
//!   [`Book::next_due`].
//! - Promotion never hurts the member: it skips a member who may not take
//!   the seat then (a limit, an overlapping booking, a lock, a restriction),
//!   who stays waiting; a member promoted inside the late-cancel window may
//!   cancel without penalty for the policy's grace time; a promoted member
//!   leaves the waitlists of overlapping sessions; an offer let go is never
//!   made to the same member again.
//! - Parties: an entry for N seats that do not fit the free seats is passed
//!   by smaller entries behind it that fit, and keeps its place: it is the
//!   first served once N seats are free.
//! - Credits are conserved: each pack's `credits = available + reserved +
//!   used + forfeited + expired`.
//!
//! ```
//! use memberkit::booking::{Book, BookingError, Command, Event, Rules, SessionSpec, decide};
//! use memberkit::booking::{Eligibility, MembershipTerms};
//! use memberkit::calendar::date;
//!
//! let rules = Rules::from_json(r#"{"policies": {"default": {"late_cancel_minutes_before": 720}}}"#)?;
//! let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
//! let mut book = Book::default();
//! let mut run = |book: &mut Book, command: Command, when: &str| -> Result<Vec<Event>, BookingError> {
//!     let events = decide(book, &rules, &command, at(when))?;
//!     events.iter().for_each(|e| book.apply_mut(e));
//!     Ok(events)
//! };
//! let session = SessionSpec::from_json(r#"{"id": "yoga-0601", "capacity": 1,
//!     "start": "2026-06-01T10:00:00+09:00", "end": "2026-06-01T11:00:00+09:00"}"#)?;
//! run(&mut book, Command::ScheduleSession { session }, "2026-05-20T09:00:00+09:00")?;
//! let member = Eligibility { membership: Some(MembershipTerms::from(date(2026, 4, 1)?)), ..Default::default() };
//! for who in ["aiko", "ben"] {
//!     run(&mut book, Command::SetMember { member: who.into(), eligibility: member.clone() }, "2026-05-20T09:00:00+09:00")?;
//! }
//! let book_seat = |who: &str| Command::Book { session: "yoga-0601".into(), member: who.into(), party: 1 };
//! run(&mut book, book_seat("aiko"), "2026-05-25T12:00:00+09:00")?;
//! let full = run(&mut book, book_seat("ben"), "2026-05-25T12:05:00+09:00").unwrap_err();
//! assert_eq!(full.to_string(), "session \"yoga-0601\" has 0 seats free, 1 asked");
//! run(&mut book, Command::JoinWaitlist { session: "yoga-0601".into(), member: "ben".into(), party: 1 },
//!     "2026-05-25T12:05:00+09:00")?;
//!
//! // Aiko cancels in time; Ben is promoted at once.
//! let events = run(&mut book, Command::Cancel { session: "yoga-0601".into(), member: "aiko".into(),
//!     by: Default::default() }, "2026-05-31T09:00:00+09:00")?;
//! assert!(matches!(&events[0], Event::Cancelled { late: false, .. }));
//! assert!(matches!(&events[1], Event::Promoted { member, .. } if member == "ben"));
//! # Ok::<(), memberkit::Error>(())
//! ```

mod apply;
mod check;
mod decide;
mod event;
mod json;
mod policy;
mod promote;
mod query;
mod records;
mod shared;
mod state;

pub use decide::decide;
pub use event::{Event, PenaltyReason, ReleaseReason};
pub use json::{events_from_json, events_to_json};
pub use policy::{
    ConsumeAt, Limits, MAX_MINUTES, MAX_PARTY, Penalty, Policy, Priority, Promotion, Rules, Strikes,
};
pub use query::{MemberView, SeatView, SessionView, WaitingView};
pub use shared::SharedBook;
pub use state::{
    Attendance, Book, CancelledBy, Command, Eligibility, Entry, Hold, Holding, Instant, Member,
    MemberId, MembershipTerms, Pack, PackId, PackSpec, PeriodAllowance, Seat, Session, SessionId,
    SessionSpec, Tag,
};

use crate::calendar::{CalendarError, NaiveDate};
use crate::dunning::Restriction;
use crate::error_kind::ErrorKind;

/// The most seats a session may have.
pub const MAX_CAPACITY: u32 = 100_000;
/// The most credits a pack may have.
pub const MAX_CREDITS: u32 = 100_000;

/// A per-member limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Bookings not yet started held at once.
    FutureBookings,
    /// Bookings on one day.
    PerDay,
    /// Bookings in one week.
    PerWeek,
    /// The plan's bookings per billing period.
    PlanPeriod,
}

impl Limit {
    /// The limit's snake_case name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::FutureBookings => "future_bookings",
            Self::PerDay => "per_day",
            Self::PerWeek => "per_week",
            Self::PlanPeriod => "plan_period",
        }
    }
}

/// Why rules, a session or a pack are invalid, or a booking command was refused.
///
/// Each refusal has a stable snake_case [`code`](BookingError::code), the
/// reason the C and Python layers report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BookingError {
    /// Rules are invalid; `path` names the bad field, e.g. `policies.default.max_party`.
    #[error("invalid booking rules{}: {message}", crate::error_kind::at_path(path))]
    InvalidRules {
        /// Where in the rules.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A command, event or state given as JSON does not parse.
    #[error(transparent)]
    Json(#[from] crate::json::JsonError),
    /// A session or pack given is not valid.
    #[error("invalid {what} {id:?}: {message}")]
    Invalid {
        /// `"session"` or `"pack"`.
        what: &'static str,
        /// Its id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A session names a policy the rules do not have.
    #[error("unknown booking policy {policy:?}")]
    UnknownPolicy {
        /// The name.
        policy: String,
    },
    /// No session has this id.
    #[error("unknown session {session:?}")]
    UnknownSession {
        /// The id given.
        session: SessionId,
    },
    /// No member has this id (add them with `set_member` first).
    #[error("unknown member {member:?}")]
    UnknownMember {
        /// The id given.
        member: MemberId,
    },
    /// A session or pack id used twice.
    #[error("{what} {id:?} already exists")]
    Duplicate {
        /// `"session"` or `"pack"`.
        what: &'static str,
        /// The id.
        id: String,
    },
    /// A command dated before the book's latest event.
    #[error("a command at {at} comes before the book's latest event at {last}")]
    OutOfOrder {
        /// The command's instant.
        at: Instant,
        /// The latest event's instant.
        last: Instant,
    },
    /// An instant computed from the policy leaves chrono's range.
    #[error("an instant computed from {at} is out of range")]
    OutOfRange {
        /// The instant it was computed from.
        at: Instant,
    },
    /// A party of a size the policy does not allow.
    #[error("a party of {party} is not allowed: between 1 and {max}")]
    InvalidParty {
        /// The size asked.
        party: u32,
        /// The policy's largest.
        max: u32,
    },
    /// The member already holds a seat.
    #[error("member {member:?} already booked session {session:?}")]
    AlreadyBooked {
        /// The session.
        session: SessionId,
        /// The member.
        member: MemberId,
    },
    /// The member is already on the waitlist.
    #[error("member {member:?} is already on the waitlist of session {session:?}")]
    AlreadyWaitlisted {
        /// The session.
        session: SessionId,
        /// The member.
        member: MemberId,
    },
    /// The member let an offer for this session go: it is not made again.
    #[error("member {member:?} was already offered a seat in session {session:?}")]
    AlreadyOffered {
        /// The session.
        session: SessionId,
        /// The member.
        member: MemberId,
    },
    /// The member holds no seat.
    #[error("member {member:?} has no booking in session {session:?}")]
    NotBooked {
        /// The session.
        session: SessionId,
        /// The member.
        member: MemberId,
    },
    /// The member is not on the waitlist.
    #[error("member {member:?} is not on the waitlist of session {session:?}")]
    NotWaitlisted {
        /// The session.
        session: SessionId,
        /// The member.
        member: MemberId,
    },
    /// The member has no open offer.
    #[error("member {member:?} has no open offer in session {session:?}")]
    NoOffer {
        /// The session.
        session: SessionId,
        /// The member.
        member: MemberId,
    },
    /// The offer expired.
    #[error("the offer to member {member:?} in session {session:?} expired at {expired}")]
    OfferExpired {
        /// The session.
        session: SessionId,
        /// The member.
        member: MemberId,
        /// When it expired.
        expired: Instant,
    },
    /// Booking has not opened yet.
    #[error("booking for session {session:?} opens at {opens}")]
    NotOpenYet {
        /// The session.
        session: SessionId,
        /// When booking opens.
        opens: Instant,
    },
    /// Booking has closed.
    #[error("booking for session {session:?} closed at {closed}")]
    BookingClosed {
        /// The session.
        session: SessionId,
        /// When it closed.
        closed: Instant,
    },
    /// The waitlist cutoff passed.
    #[error("the waitlist of session {session:?} closed at {closed}")]
    WaitlistClosed {
        /// The session.
        session: SessionId,
        /// When it closed.
        closed: Instant,
    },
    /// The session was cancelled.
    #[error("session {session:?} was cancelled")]
    SessionCancelled {
        /// The session.
        session: SessionId,
    },
    /// A member's cancel after the session started.
    #[error("session {session:?} started at {start}")]
    SessionStarted {
        /// The session.
        session: SessionId,
        /// Its start.
        start: Instant,
    },
    /// A session included in membership, for a member without one.
    #[error("member {member:?} has no membership, which session needs")]
    NotAMember {
        /// The member.
        member: MemberId,
    },
    /// The membership is not in force on the session's day.
    #[error("the membership of member {member:?} is not in force on {date}")]
    MembershipNotInForce {
        /// The member.
        member: MemberId,
        /// The session's day.
        date: NaiveDate,
    },
    /// The membership is paused on the session's day.
    #[error("the membership of member {member:?} is paused on {date}")]
    Paused {
        /// The member.
        member: MemberId,
        /// The session's day.
        date: NaiveDate,
    },
    /// The membership is suspended for non-payment.
    #[error("the membership of member {member:?} is suspended")]
    Suspended {
        /// The member.
        member: MemberId,
    },
    /// A dunning restriction refuses new bookings.
    #[error("member {member:?} is restricted: {restriction}")]
    Restricted {
        /// The member.
        member: MemberId,
        /// The restriction in force.
        restriction: Restriction,
    },
    /// Strikes locked the member out of booking.
    #[error("member {member:?} may not book until {until}")]
    Locked {
        /// The member.
        member: MemberId,
        /// Until when.
        until: Instant,
    },
    /// A per-member limit is reached.
    #[error("member {member:?} reached the limit of {max} ({})", limit.name())]
    LimitReached {
        /// The member.
        member: MemberId,
        /// Which limit.
        limit: Limit,
        /// Its value.
        max: u32,
    },
    /// The member holds an overlapping session.
    #[error("member {member:?} holds the overlapping session {session:?}")]
    Overlaps {
        /// The member.
        member: MemberId,
        /// The session they hold.
        session: SessionId,
    },
    /// Not enough seats free.
    #[error("session {session:?} has {free} seats free, {party} asked")]
    Full {
        /// The session.
        session: SessionId,
        /// Seats free.
        free: u32,
        /// Seats asked.
        party: u32,
    },
    /// Joining the waitlist while the seats asked are free: book instead.
    #[error("session {session:?} has {free} seats free: book instead of waiting")]
    SeatsAvailable {
        /// The session.
        session: SessionId,
        /// Seats free.
        free: u32,
    },
    /// The waitlist is full.
    #[error("the waitlist of session {session:?} is full ({limit} entries)")]
    WaitlistFull {
        /// The session.
        session: SessionId,
        /// Its limit.
        limit: u32,
    },
    /// No pack of the member is valid for the session with the credits needed.
    #[error("member {member:?} has no pack with {credits} credits valid for session {session:?}")]
    NoCredit {
        /// The member.
        member: MemberId,
        /// The session.
        session: SessionId,
        /// Credits needed.
        credits: u32,
    },
    /// Check-in is not open yet.
    #[error("check-in for session {session:?} opens at {opens}")]
    CheckInNotOpen {
        /// The session.
        session: SessionId,
        /// When it opens.
        opens: Instant,
    },
    /// Check-in closed (attendance was taken).
    #[error("check-in for session {session:?} closed at {closed}")]
    CheckInClosed {
        /// The session.
        session: SessionId,
        /// When it closed.
        closed: Instant,
    },
    /// The member already checked in or was marked a no-show.
    #[error("attendance of member {member:?} in session {session:?} is already recorded")]
    AttendanceRecorded {
        /// The session.
        session: SessionId,
        /// The member.
        member: MemberId,
    },
    /// A no-show marked before the session started.
    #[error("session {session:?} has not started (it starts at {start})")]
    NotStarted {
        /// The session.
        session: SessionId,
        /// Its start.
        start: Instant,
    },
    /// Lowering the capacity below the seats taken without `force`, or
    /// below the seats checked in even with it.
    #[error(
        "session {session:?} has {taken} seats taken; lowering its capacity to {capacity} needs force"
    )]
    CapacityBelowTaken {
        /// The session.
        session: SessionId,
        /// Seats taken (offers included).
        taken: u32,
        /// The capacity asked.
        capacity: u32,
    },
    /// A date computation failed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl BookingError {
    /// The error's [`ErrorKind`]: refusals are [`ErrorKind::BookingRefused`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidRules { .. } | Self::UnknownPolicy { .. } => ErrorKind::InvalidConfig,
            Self::Json(_) => ErrorKind::InvalidJson,
            Self::Invalid { .. } | Self::InvalidParty { .. } => ErrorKind::InvalidArgument,
            Self::UnknownSession { .. } => ErrorKind::UnknownSession,
            Self::UnknownMember { .. } => ErrorKind::UnknownMember,
            Self::Duplicate { .. } | Self::OutOfOrder { .. } => ErrorKind::CommandRefused,
            Self::OutOfRange { .. } => ErrorKind::DateOutOfRange,
            Self::Calendar(e) => e.kind(),
            _ => ErrorKind::BookingRefused,
        }
    }

    /// The error's stable snake_case name, e.g. `"already_booked"`: the
    /// reason of a refusal.
    ///
    /// ```
    /// use memberkit::booking::BookingError;
    /// let err = BookingError::WaitlistFull { session: "yoga".into(), limit: 10 };
    /// assert_eq!(err.code(), "waitlist_full");
    /// ```
    pub const fn code(&self) -> &'static str {
        match self {
            Self::InvalidRules { .. } => "invalid_rules",
            Self::Json(_) => "invalid_json",
            Self::Invalid { .. } => "invalid",
            Self::UnknownPolicy { .. } => "unknown_policy",
            Self::UnknownSession { .. } => "unknown_session",
            Self::UnknownMember { .. } => "unknown_member",
            Self::Duplicate { .. } => "duplicate",
            Self::OutOfOrder { .. } => "out_of_order",
            Self::OutOfRange { .. } => "out_of_range",
            Self::InvalidParty { .. } => "invalid_party",
            Self::AlreadyBooked { .. } => "already_booked",
            Self::AlreadyWaitlisted { .. } => "already_waitlisted",
            Self::AlreadyOffered { .. } => "already_offered",
            Self::NotBooked { .. } => "not_booked",
            Self::NotWaitlisted { .. } => "not_waitlisted",
            Self::NoOffer { .. } => "no_offer",
            Self::OfferExpired { .. } => "offer_expired",
            Self::NotOpenYet { .. } => "not_open_yet",
            Self::BookingClosed { .. } => "booking_closed",
            Self::WaitlistClosed { .. } => "waitlist_closed",
            Self::SessionCancelled { .. } => "session_cancelled",
            Self::SessionStarted { .. } => "session_started",
            Self::NotAMember { .. } => "not_a_member",
            Self::MembershipNotInForce { .. } => "membership_not_in_force",
            Self::Paused { .. } => "paused",
            Self::Suspended { .. } => "suspended",
            Self::Restricted { .. } => "restricted",
            Self::Locked { .. } => "locked",
            Self::LimitReached { .. } => "limit_reached",
            Self::Overlaps { .. } => "overlaps",
            Self::Full { .. } => "full",
            Self::SeatsAvailable { .. } => "seats_available",
            Self::WaitlistFull { .. } => "waitlist_full",
            Self::NoCredit { .. } => "no_credit",
            Self::CheckInNotOpen { .. } => "check_in_not_open",
            Self::CheckInClosed { .. } => "check_in_closed",
            Self::AttendanceRecorded { .. } => "attendance_recorded",
            Self::NotStarted { .. } => "not_started",
            Self::CapacityBelowTaken { .. } => "capacity_below_taken",
            Self::Calendar(_) => "calendar",
        }
    }
}
