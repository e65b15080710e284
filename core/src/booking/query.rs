//! Questions a host asks of a book: a session's seats and waitlist, a
//! member's bookings and wallet, and when time next brings something about.

use super::check::Times;
use super::policy::Rules;
use super::state::{Attendance, Book, Instant, MemberId, Pack, SessionId};
use serde::{Deserialize, Serialize};

/// A seat as shown to staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatView {
    /// Who.
    pub member: MemberId,
    /// Seats.
    pub party: u32,
    /// Checked in.
    pub checked_in: bool,
    /// Marked as a no-show.
    pub no_show: bool,
}

/// A waitlist entry as shown to staff or the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingView {
    /// Who.
    pub member: MemberId,
    /// Their 1-based position.
    pub position: u32,
    /// Seats asked.
    pub party: u32,
    /// An open offer's expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_expires: Option<Instant>,
}

/// A session's seats and waitlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// The session.
    pub session: SessionId,
    /// Seats.
    pub capacity: u32,
    /// Seats taken, offers held included.
    pub taken: u32,
    /// Seats free.
    pub free: u32,
    /// Seats in the order taken.
    pub seats: Vec<SeatView>,
    /// The waitlist in its order.
    pub waitlist: Vec<WaitingView>,
    /// Cancelled.
    pub cancelled: bool,
}

/// A member's bookings, waitlist places and wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    /// Sessions booked that have not started at the instant asked, by start.
    pub upcoming: Vec<SessionId>,
    /// Waitlist places: the session and the 1-based position.
    pub waiting: Vec<(SessionId, u32)>,
    /// Packs, in the order added.
    pub packs: Vec<Pack>,
    /// Credits free to book with in packs not expired at the instant asked.
    pub credits_available: u32,
    /// Booking is locked until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<Instant>,
    /// Strikes since the last lock.
    pub strikes: u32,
}

impl Book {
    /// A session's seats and waitlist, or `None` for an unknown id.
    pub fn session_view(&self, session: &str) -> Option<SessionView> {
        let s = self.sessions.get(session)?;
        Some(SessionView {
            session: s.spec.id.clone(),
            capacity: s.spec.capacity,
            taken: s.taken(),
            free: s.free(),
            seats: s
                .seats
                .iter()
                .map(|seat| SeatView {
                    member: seat.member.clone(),
                    party: seat.party,
                    checked_in: seat.checked_in,
                    no_show: seat.no_show,
                })
                .collect(),
            waitlist: s
                .waitlist
                .iter()
                .zip(1..)
                .map(|(entry, position)| WaitingView {
                    member: entry.member.clone(),
                    position,
                    party: entry.party,
                    offer_expires: entry.offer,
                })
                .collect(),
            cancelled: s.cancelled,
        })
    }

    /// A member's view at `at`, or `None` for an unknown id.
    pub fn member_view(&self, member: &str, at: Instant) -> Option<MemberView> {
        let m = self.members.get(member)?;
        let mut upcoming: Vec<_> = m
            .holdings
            .iter()
            .filter(|h| h.attendance == Attendance::Booked && h.start > at)
            .collect();
        upcoming.sort_by_key(|h| h.start);
        Some(MemberView {
            upcoming: upcoming.into_iter().map(|h| h.session.clone()).collect(),
            waiting: m
                .waiting
                .iter()
                .filter_map(|id| {
                    let (position, _) = self.sessions.get(id)?.entry(member)?;
                    Some((id.clone(), position as u32))
                })
                .collect(),
            packs: m.packs.clone(),
            credits_available: m
                .packs
                .iter()
                .filter(|p| p.spec.expires > at)
                .map(Pack::available)
                .sum(),
            locked_until: m.locked_until.filter(|until| *until > at),
            strikes: m.strikes.len() as u32,
        })
    }

    /// The earliest instant at which [`Command::Advance`](super::Command::Advance)
    /// has something to do: an offer expiring, the cutoff of a waitlist with
    /// entries, a no-show mark, a pack expiring with credits left. `None` when nothing is pending.
    /// (Free seats a waiting member may now take are given at any advance.)
    pub fn next_due(&self, rules: &Rules) -> Option<Instant> {
        let sessions = self
            .sessions
            .values()
            .filter(|s| !s.cancelled && !s.attendance_closed)
            .flat_map(|s| {
                let times = rules
                    .policy(&s.spec.policy)
                    .ok()
                    .and_then(|p| Times::of(&s.spec, p).ok());
                let offers = s.waitlist.iter().filter_map(|e| e.offer);
                let cutoff = times
                    .filter(|_| !s.waitlist_closed && !s.waitlist.is_empty())
                    .map(|t| t.cutoff);
                offers.chain(cutoff).chain(times.map(|t| t.no_show_at))
            });
        let packs = self
            .members
            .values()
            .flat_map(|m| &m.packs)
            .filter(|p| p.available() > 0)
            .map(|p| p.spec.expires);
        sessions.chain(packs).min()
    }
}
