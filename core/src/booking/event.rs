//! What happened in a book: the events a host stores and notifies members of.

use super::state::{
    CancelledBy, Eligibility, Instant, MemberId, PackId, PackSpec, SessionId, SessionSpec,
};
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// Why a waitlist entry or seat was let go without the member asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReleaseReason {
    /// The waitlist cutoff passed.
    WaitlistCutoff,
    /// The session was cancelled.
    SessionCancelled,
    /// The member was promoted into an overlapping session.
    PromotedElsewhere {
        /// The session they were promoted into.
        session: SessionId,
    },
}

/// Why a penalty or strike applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyReason {
    /// A cancel inside the late-cancel window.
    LateCancel,
    /// Not checked in.
    NoShow,
}

/// Something that happened in a book, at the instant `at`.
///
/// Events about seats come with the credit events that go with them, in this
/// order: `credit_reserved`, then the seat event, then `credit_consumed`; a
/// release or cancel is followed by `credit_returned` or `credit_forfeited`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A session was added.
    SessionScheduled {
        /// The session.
        session: SessionSpec,
        /// When.
        at: Instant,
    },
    /// A member was added or their eligibility changed.
    MemberSet {
        /// Who.
        member: MemberId,
        /// Their eligibility.
        eligibility: Eligibility,
        /// When.
        at: Instant,
    },
    /// A pack was added to a member's wallet.
    PackAdded {
        /// Whose.
        member: MemberId,
        /// The pack.
        pack: PackSpec,
        /// When.
        at: Instant,
    },
    /// Seats were booked.
    Booked {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
        /// How many seats.
        party: u32,
        /// The pack its credits come from (none when the membership includes the session).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pack: Option<PackId>,
        /// When.
        at: Instant,
    },
    /// A member joined the waitlist.
    Waitlisted {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
        /// How many seats.
        party: u32,
        /// The pack its credits come from (none when the membership includes the session).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pack: Option<PackId>,
        /// Their 1-based position.
        position: u32,
        /// Their tier.
        tier: u8,
        /// When.
        at: Instant,
    },
    /// A waitlisted member was offered seats, held until `expires`.
    OfferMade {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
        /// Until when the offer holds.
        expires: Instant,
        /// When.
        at: Instant,
    },
    /// An offer was not accepted in time; the member left the waitlist.
    OfferExpired {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
        /// When (the offer's expiry).
        at: Instant,
    },
    /// An offer was declined; the member left the waitlist.
    OfferDeclined {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
        /// When.
        at: Instant,
    },
    /// An offer was withdrawn because the capacity was lowered; the member
    /// keeps their place.
    OfferWithdrawn {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
        /// When.
        at: Instant,
    },
    /// A waitlisted member took seats (automatically or by accepting an offer).
    Promoted {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
        /// How many seats.
        party: u32,
        /// Inside the late-cancel window: cancelling is not late until then.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        grace_until: Option<Instant>,
        /// When.
        at: Instant,
    },
    /// A member left the waitlist.
    LeftWaitlist {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
        /// When.
        at: Instant,
    },
    /// A booking was cancelled.
    Cancelled {
        /// Where.
        session: SessionId,
        /// Whose.
        member: MemberId,
        /// Inside the late-cancel window.
        late: bool,
        /// Who cancelled.
        by: CancelledBy,
        /// When.
        at: Instant,
    },
    /// A seat or waitlist entry was let go without the member asking.
    Released {
        /// Where.
        session: SessionId,
        /// Whose.
        member: MemberId,
        /// Why.
        reason: ReleaseReason,
        /// When.
        at: Instant,
    },
    /// A lowered capacity moved a booking to the head of the waitlist.
    MovedToWaitlist {
        /// Where.
        session: SessionId,
        /// Whose.
        member: MemberId,
        /// When.
        at: Instant,
    },
    /// The capacity changed.
    CapacityChanged {
        /// Which session.
        session: SessionId,
        /// The new capacity.
        capacity: u32,
        /// When.
        at: Instant,
    },
    /// The session was cancelled (after its members were released).
    SessionCancelled {
        /// Which.
        session: SessionId,
        /// When.
        at: Instant,
    },
    /// The waitlist cutoff passed (after the remaining waitlist was released).
    WaitlistClosed {
        /// Which session.
        session: SessionId,
        /// When (the cutoff).
        at: Instant,
    },
    /// A member checked in.
    CheckedIn {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
        /// When.
        at: Instant,
    },
    /// A member did not come.
    NoShow {
        /// Where.
        session: SessionId,
        /// Who.
        member: MemberId,
        /// When.
        at: Instant,
    },
    /// Check-in closed (after the no-shows were marked).
    AttendanceClosed {
        /// Which session.
        session: SessionId,
        /// When.
        at: Instant,
    },
    /// Credits were set aside for a seat or waitlist entry.
    CreditReserved {
        /// Whose.
        member: MemberId,
        /// From which pack.
        pack: PackId,
        /// For which session.
        session: SessionId,
        /// How many.
        credits: u32,
        /// When.
        at: Instant,
    },
    /// Reserved credits were consumed.
    CreditConsumed {
        /// Whose.
        member: MemberId,
        /// From which pack.
        pack: PackId,
        /// For which session.
        session: SessionId,
        /// How many.
        credits: u32,
        /// When.
        at: Instant,
    },
    /// Credits went back to the pack.
    CreditReturned {
        /// Whose.
        member: MemberId,
        /// To which pack.
        pack: PackId,
        /// From which session.
        session: SessionId,
        /// How many.
        credits: u32,
        /// Whether they had been consumed (otherwise reserved).
        consumed: bool,
        /// When.
        at: Instant,
    },
    /// Credits were forfeited by a late cancel or a no-show.
    CreditForfeited {
        /// Whose.
        member: MemberId,
        /// From which pack.
        pack: PackId,
        /// For which session.
        session: SessionId,
        /// How many.
        credits: u32,
        /// Whether they had been consumed (otherwise reserved).
        consumed: bool,
        /// When.
        at: Instant,
    },
    /// A pack expired with credits left.
    CreditsExpired {
        /// Whose.
        member: MemberId,
        /// Which pack.
        pack: PackId,
        /// How many credits were left.
        credits: u32,
        /// When (the pack's expiry).
        at: Instant,
    },
    /// A fee for a late cancel or a no-show, for billing to invoice as a
    /// host charge.
    FeeCharged {
        /// Who pays.
        member: MemberId,
        /// For which session.
        session: SessionId,
        /// How much.
        amount: Money,
        /// Why.
        reason: PenaltyReason,
        /// When.
        at: Instant,
    },
    /// A no-show or late cancel counted as a strike.
    StrikeRecorded {
        /// Whose.
        member: MemberId,
        /// In which session.
        session: SessionId,
        /// Why.
        reason: PenaltyReason,
        /// When.
        at: Instant,
    },
    /// Strikes locked the member out of booking (their strikes are cleared).
    BookingLocked {
        /// Who.
        member: MemberId,
        /// Until when.
        until: Instant,
        /// When.
        at: Instant,
    },
}

impl Event {
    /// The event's snake_case name, as in its JSON `"type"` field.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::SessionScheduled { .. } => "session_scheduled",
            Self::MemberSet { .. } => "member_set",
            Self::PackAdded { .. } => "pack_added",
            Self::Booked { .. } => "booked",
            Self::Waitlisted { .. } => "waitlisted",
            Self::OfferMade { .. } => "offer_made",
            Self::OfferExpired { .. } => "offer_expired",
            Self::OfferDeclined { .. } => "offer_declined",
            Self::OfferWithdrawn { .. } => "offer_withdrawn",
            Self::Promoted { .. } => "promoted",
            Self::LeftWaitlist { .. } => "left_waitlist",
            Self::Cancelled { .. } => "cancelled",
            Self::Released { .. } => "released",
            Self::MovedToWaitlist { .. } => "moved_to_waitlist",
            Self::CapacityChanged { .. } => "capacity_changed",
            Self::SessionCancelled { .. } => "session_cancelled",
            Self::WaitlistClosed { .. } => "waitlist_closed",
            Self::CheckedIn { .. } => "checked_in",
            Self::NoShow { .. } => "no_show",
            Self::AttendanceClosed { .. } => "attendance_closed",
            Self::CreditReserved { .. } => "credit_reserved",
            Self::CreditConsumed { .. } => "credit_consumed",
            Self::CreditReturned { .. } => "credit_returned",
            Self::CreditForfeited { .. } => "credit_forfeited",
            Self::CreditsExpired { .. } => "credits_expired",
            Self::FeeCharged { .. } => "fee_charged",
            Self::StrikeRecorded { .. } => "strike_recorded",
            Self::BookingLocked { .. } => "booking_locked",
        }
    }

    /// The instant the event happened.
    pub fn at(&self) -> Instant {
        match self {
            Self::SessionScheduled { at, .. }
            | Self::MemberSet { at, .. }
            | Self::PackAdded { at, .. }
            | Self::Booked { at, .. }
            | Self::Waitlisted { at, .. }
            | Self::OfferMade { at, .. }
            | Self::OfferExpired { at, .. }
            | Self::OfferDeclined { at, .. }
            | Self::OfferWithdrawn { at, .. }
            | Self::Promoted { at, .. }
            | Self::LeftWaitlist { at, .. }
            | Self::Cancelled { at, .. }
            | Self::Released { at, .. }
            | Self::MovedToWaitlist { at, .. }
            | Self::CapacityChanged { at, .. }
            | Self::SessionCancelled { at, .. }
            | Self::WaitlistClosed { at, .. }
            | Self::CheckedIn { at, .. }
            | Self::NoShow { at, .. }
            | Self::AttendanceClosed { at, .. }
            | Self::CreditReserved { at, .. }
            | Self::CreditConsumed { at, .. }
            | Self::CreditReturned { at, .. }
            | Self::CreditForfeited { at, .. }
            | Self::CreditsExpired { at, .. }
            | Self::FeeCharged { at, .. }
            | Self::StrikeRecorded { at, .. }
            | Self::BookingLocked { at, .. } => *at,
        }
    }
}
