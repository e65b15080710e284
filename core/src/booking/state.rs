//! The book's state: sessions with their seats and waitlists, members with
//! their eligibility, wallet and strikes; and the commands a host sends.

use crate::calendar::{NaiveDate, Schedule};
use crate::dunning::Restriction;
use crate::membership::Pause;
use chrono::{DateTime, FixedOffset};
use compact_str::CompactString;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::HashMap;

/// An instant: a date and time with its UTC offset, compared as instants.
/// In JSON, RFC 3339: `"2026-06-01T10:00:00+09:00"`.
pub type Instant = DateTime<FixedOffset>;
/// A session's id, e.g. `yoga-20260601-1000`.
pub type SessionId = CompactString;
/// A member's id, as the host knows them.
pub type MemberId = CompactString;
/// A punch card's (pack's) id.
pub type PackId = CompactString;
/// A tag saying what a session is (`yoga`, `studio-a`), which packs match.
pub type Tag = CompactString;

/// A session as the host schedules it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSpec {
    /// The session's id.
    pub id: SessionId,
    /// When it starts.
    pub start: Instant,
    /// When it ends (after the start).
    pub end: Instant,
    /// Seats.
    pub capacity: u32,
    /// The most entries the waitlist takes (`None`: no limit, `Some(0)`: no waitlist).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waitlist_limit: Option<u32>,
    /// The name of its policy in the book's [`Rules`](super::Rules).
    #[serde(default = "default_policy")]
    pub policy: CompactString,
    /// Credits one seat costs: 0 when the membership includes the session,
    /// otherwise taken from the member's packs.
    #[serde(default)]
    pub credits: u32,
    /// What the session is, for packs valid for some sessions only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

fn default_policy() -> CompactString {
    "default".into()
}

/// A punch card (回数券): `credits` to spend on sessions starting before
/// `expires`, on sessions with one of `valid_for`'s tags (any session that
/// costs credits when empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackSpec {
    /// The pack's id.
    pub id: PackId,
    /// Credits issued.
    pub credits: u32,
    /// The pack is valid for sessions starting before this instant; credits
    /// left then are reported as expired.
    pub expires: Instant,
    /// The tags of the sessions it is valid for (empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub valid_for: Vec<Tag>,
}

/// A pack in a member's wallet, with where its credits are.
/// Always `credits = available + reserved + used + forfeited + expired`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pack {
    /// What was issued.
    #[serde(flatten)]
    pub spec: PackSpec,
    /// Held by bookings and waitlist entries, not yet consumed.
    pub reserved: u32,
    /// Consumed.
    pub used: u32,
    /// Forfeited by late cancels and no-shows.
    pub forfeited: u32,
    /// Left when the pack expired.
    pub expired: u32,
}

impl Pack {
    /// Credits free to book with.
    pub fn available(&self) -> u32 {
        self.spec
            .credits
            .saturating_sub(self.reserved + self.used + self.forfeited + self.expired)
    }
}

/// Credits a seat or waitlist entry holds from a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    /// The pack.
    pub pack: PackId,
    /// How many credits.
    pub credits: u32,
    /// Whether they were consumed (otherwise reserved).
    pub consumed: bool,
}

/// A membership's booking entitlement: `bookings` of included sessions per
/// billing period of `schedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodAllowance {
    /// Bookings per period.
    pub bookings: u32,
    /// The billing schedule whose periods they count in.
    pub schedule: Schedule,
}

/// What booking needs to know of a membership: when it is in force, its
/// pauses, whether dunning suspended it, and the plan's allowance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipTerms {
    /// The first day of membership.
    pub from: NaiveDate,
    /// The day membership ends, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// Pauses (休会): no booking for sessions on these days.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pauses: Vec<Pause>,
    /// Suspended for non-payment.
    #[serde(default)]
    pub suspended: bool,
    /// The plan's bookings per period, when limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowance: Option<PeriodAllowance>,
}

/// What decides whether a member may book: their membership (none for a
/// visitor with punch cards), dunning's restrictions, and their waitlist tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    /// The membership, if any: sessions included in it (`credits` 0) need one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<MembershipTerms>,
    /// Dunning restrictions in force, e.g. `no_new_bookings`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restrictions: Vec<Restriction>,
    /// Waitlist tier under [`Priority::Tier`](super::Priority::Tier): higher first.
    #[serde(default)]
    pub tier: u8,
}

/// How a member's booking of a session stands, for limits and allowances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// Booked, not yet attended.
    Booked,
    /// Checked in.
    Attended,
    /// Marked as a no-show.
    NoShow,
    /// Cancelled late with the credit forfeited: still counts against the plan.
    Forfeited,
}

/// A session a member holds or held a seat in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holding {
    /// The session.
    pub session: SessionId,
    /// Its start.
    pub start: Instant,
    /// Its end.
    pub end: Instant,
    /// Whether the membership includes it (it costs no credits).
    pub included: bool,
    /// How it stands.
    pub attendance: Attendance,
}

/// A member of the book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Member {
    /// What decides whether they may book.
    pub eligibility: Eligibility,
    /// Their packs, in the order added.
    #[serde(default)]
    pub packs: Vec<Pack>,
    /// Their seats, past and future (timely cancels removed).
    #[serde(default)]
    pub holdings: Vec<Holding>,
    /// The sessions whose waitlists they are on.
    #[serde(default)]
    pub waiting: Vec<SessionId>,
    /// When their strikes were recorded, since the last lock.
    #[serde(default)]
    pub strikes: Vec<Instant>,
    /// Booking is locked until this instant.
    #[serde(default)]
    pub locked_until: Option<Instant>,
}

/// A seat taken in a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    /// Who holds it.
    pub member: MemberId,
    /// How many seats (a party).
    pub party: u32,
    /// When it was taken.
    pub at: Instant,
    /// A promotion inside the late-cancel window may be cancelled without
    /// penalty until this instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace_until: Option<Instant>,
    /// The credit it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<Hold>,
    /// Checked in.
    #[serde(default)]
    pub checked_in: bool,
    /// Marked as a no-show.
    #[serde(default)]
    pub no_show: bool,
}

/// A waitlist entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Who waits.
    pub member: MemberId,
    /// For how many seats.
    pub party: u32,
    /// Their tier when they joined.
    pub tier: u8,
    /// When they joined.
    pub at: Instant,
    /// The credit it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<Hold>,
    /// An offer of a seat, open until this instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<Instant>,
}

/// A session: its spec, seats and waitlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// As scheduled (its capacity as changed since).
    pub spec: SessionSpec,
    /// Seats taken, in the order taken.
    #[serde(default)]
    pub seats: Vec<Seat>,
    /// The waitlist, in its order (priority, then arrival).
    #[serde(default)]
    pub waitlist: Vec<Entry>,
    /// Members who were offered a seat and let it go: never offered again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passed: Vec<MemberId>,
    /// The session was cancelled.
    #[serde(default)]
    pub cancelled: bool,
    /// The waitlist cutoff passed.
    #[serde(default)]
    pub waitlist_closed: bool,
    /// Check-in closed and no-shows were marked.
    #[serde(default)]
    pub attendance_closed: bool,
}

impl Session {
    /// Seats taken, offers held included.
    pub fn taken(&self) -> u32 {
        let seats: u32 = self.seats.iter().map(|s| s.party).sum();
        let offered: u32 = self
            .waitlist
            .iter()
            .filter(|e| e.offer.is_some())
            .map(|e| e.party)
            .sum();
        seats + offered
    }

    /// Seats free.
    pub fn free(&self) -> u32 {
        self.spec.capacity.saturating_sub(self.taken())
    }

    /// The member's seat.
    pub fn seat(&self, member: &str) -> Option<&Seat> {
        self.seats.iter().find(|s| s.member == member)
    }

    /// The member's waitlist entry and its 1-based position.
    pub fn entry(&self, member: &str) -> Option<(usize, &Entry)> {
        self.waitlist
            .iter()
            .enumerate()
            .find(|(_, e)| e.member == member)
            .map(|(i, e)| (i + 1, e))
    }

    /// Whether this session and `[start, end)` overlap.
    pub fn overlaps(&self, start: Instant, end: Instant) -> bool {
        self.spec.start < end && start < self.spec.end
    }
}

/// Many sessions and their members: the unit a host keeps consistent.
///
/// `version` counts the events applied: a host that stores events or
/// snapshots checks it on write (optimistic concurrency), so two servers
/// deciding on the same book can never both take the last seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Book {
    /// Events applied.
    pub version: u64,
    /// The latest instant an event was decided at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Instant>,
    /// Sessions by id (hashed: a command finds its session and members in
    /// constant time; JSON lists them in id order).
    #[serde(default, serialize_with = "in_id_order")]
    pub sessions: HashMap<SessionId, Session>,
    /// Members by id (as `sessions`).
    #[serde(default, serialize_with = "in_id_order")]
    pub members: HashMap<MemberId, Member>,
}

/// A table written as a JSON object in key order, so a book's JSON is the
/// same in every process.
fn in_id_order<V: Serialize, S: Serializer>(
    table: &HashMap<CompactString, V>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut rows: Vec<_> = table.iter().collect();
    rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
    serializer.collect_map(rows)
}

/// Who cancels a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CancelledBy {
    /// The member: late after the policy's cutoff.
    #[default]
    Member,
    /// Staff: never late, the credit returns.
    Staff,
}

/// What a host asks of the book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Add a session.
    ScheduleSession {
        /// The session.
        session: SessionSpec,
    },
    /// Add a member or change their eligibility (after a membership or
    /// dunning event).
    SetMember {
        /// Who.
        member: MemberId,
        /// What decides whether they may book.
        eligibility: Eligibility,
    },
    /// Add a punch card to a member's wallet.
    AddPack {
        /// Whose.
        member: MemberId,
        /// The pack.
        pack: PackSpec,
    },
    /// Take seats.
    Book {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
        /// How many seats (1 unless the policy allows parties).
        #[serde(default = "one")]
        party: u32,
    },
    /// Give up a seat.
    Cancel {
        /// Where.
        session: SessionId,
        /// Whose.
        member: MemberId,
        /// Who cancels.
        #[serde(default)]
        by: CancelledBy,
    },
    /// Wait for seats.
    JoinWaitlist {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
        /// How many seats.
        #[serde(default = "one")]
        party: u32,
    },
    /// Stop waiting (an open offer is declined).
    LeaveWaitlist {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
    },
    /// Take the seat offered.
    AcceptOffer {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
    },
    /// Let the seat offered go to the next in line.
    DeclineOffer {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
    },
    /// Change the number of seats before the start: raising it promotes;
    /// lowering it below the seats taken is refused unless `force`, which
    /// withdraws open offers and moves the latest bookings not checked in to
    /// the head of the waitlist.
    ChangeCapacity {
        /// Which session.
        session: SessionId,
        /// The new number of seats.
        capacity: u32,
        /// Lower below the seats taken.
        #[serde(default)]
        force: bool,
    },
    /// Cancel the session: everyone released, credits returned.
    CancelSession {
        /// Which.
        session: SessionId,
    },
    /// Check a member in.
    CheckIn {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
    },
    /// Mark a member as a no-show before the policy's automatic marking.
    MarkNoShow {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
    },
    /// Let time pass: offers expire, waitlist cutoffs pass, no-shows are
    /// marked, packs expire.
    Advance,
}

fn one() -> u32 {
    1
}
