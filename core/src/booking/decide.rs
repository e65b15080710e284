//! The decider: each command's checks, and the events that follow.

use super::check::{Times, eligible, fits, pick_pack};
use super::event::{Event, PenaltyReason, ReleaseReason};
use super::policy::{Policy, Priority, Rules};
use super::promote::{self, consume_on_booking, fill, give_back, penalize, promote};
use super::state::{Book, CancelledBy, Command, Instant, Member, PackSpec, Session, SessionSpec};
use super::{BookingError, MAX_CAPACITY, MAX_CREDITS};

/// Decides `command` on `book` at the instant `at`: the events that follow,
/// or why it is refused. Pure: the book is not changed; apply the events.
///
/// Commands dated before the book's latest event are refused
/// ([`BookingError::OutOfOrder`]). [`Command::Advance`] gives the events of
/// every session in start order; the events of one session are in time order.
///
/// # Errors
/// The [`BookingError`] naming why the command is refused.
///
/// # Example
/// ```
/// use memberkit::booking::{Book, BookingError, Command, Rules, decide};
/// let at = chrono::DateTime::parse_from_rfc3339("2026-06-01T09:00:00+09:00").unwrap();
/// let err = decide(&Book::default(), &Rules::default(),
///     &Command::CancelSession { session: "yoga".into() }, at).unwrap_err();
/// assert_eq!(err, BookingError::UnknownSession { session: "yoga".into() });
/// ```
pub fn decide(
    book: &Book,
    rules: &Rules,
    command: &Command,
    at: Instant,
) -> Result<Vec<Event>, BookingError> {
    if let Some(last) = book.as_of
        && at < last
    {
        return Err(BookingError::OutOfOrder { at, last });
    }
    let ctx = Ctx { book, rules, at };
    let mut out = Vec::with_capacity(4);
    match command {
        Command::ScheduleSession { session } => ctx.schedule(session, &mut out)?,
        Command::SetMember {
            member,
            eligibility,
        } => out.push(Event::MemberSet {
            member: member.clone(),
            eligibility: eligibility.clone(),
            at,
        }),
        Command::AddPack { member, pack } => ctx.add_pack(member, pack, &mut out)?,
        Command::Book {
            session,
            member,
            party,
        } => ctx.book_seats(session, member, *party, &mut out)?,
        Command::Cancel {
            session,
            member,
            by,
        } => ctx.cancel(session, member, *by, &mut out)?,
        Command::JoinWaitlist {
            session,
            member,
            party,
        } => ctx.join(session, member, *party, &mut out)?,
        Command::LeaveWaitlist { session, member } => {
            ctx.leave(session, member, false, &mut out)?
        }
        Command::DeclineOffer { session, member } => ctx.leave(session, member, true, &mut out)?,
        Command::AcceptOffer { session, member } => ctx.accept(session, member, &mut out)?,
        Command::ChangeCapacity {
            session,
            capacity,
            force,
        } => ctx.change_capacity(session, *capacity, *force, &mut out)?,
        Command::CancelSession { session } => ctx.cancel_session(session, &mut out)?,
        Command::CheckIn { session, member } => ctx.check_in(session, member, &mut out)?,
        Command::MarkNoShow { session, member } => ctx.mark_no_show(session, member, &mut out)?,
        Command::Advance => {
            if let Some((_, events)) = promote::advanced(book, rules, at)? {
                out = events;
            }
        }
    }
    Ok(out)
}

struct Ctx<'a> {
    book: &'a Book,
    rules: &'a Rules,
    at: Instant,
}

type Found<'a> = (&'a Session, &'a Policy, Times);

impl<'a> Ctx<'a> {
    fn session(&self, id: &str) -> Result<Found<'a>, BookingError> {
        let session = self
            .book
            .sessions
            .get(id)
            .ok_or_else(|| BookingError::UnknownSession { session: id.into() })?;
        let policy = self.rules.policy(&session.spec.policy)?;
        Ok((session, policy, Times::of(&session.spec, policy)?))
    }

    fn member(&self, id: &str) -> Result<&'a Member, BookingError> {
        self.book
            .members
            .get(id)
            .ok_or_else(|| BookingError::UnknownMember { member: id.into() })
    }

    fn schedule(&self, spec: &SessionSpec, out: &mut Vec<Event>) -> Result<(), BookingError> {
        let invalid = |message: String| BookingError::Invalid {
            what: "session",
            id: spec.id.to_string(),
            message,
        };
        if spec.id.is_empty() {
            return Err(invalid("the id is empty".into()));
        }
        if self.book.sessions.contains_key(&spec.id) {
            return Err(BookingError::Duplicate {
                what: "session",
                id: spec.id.to_string(),
            });
        }
        if spec.end <= spec.start {
            return Err(invalid(format!(
                "it ends at {} but starts at {}",
                spec.end, spec.start
            )));
        }
        if !(1..=MAX_CAPACITY).contains(&spec.capacity) {
            return Err(invalid(format!(
                "capacity must be between 1 and {MAX_CAPACITY}, got {}",
                spec.capacity
            )));
        }
        if spec.waitlist_limit.is_some_and(|l| l > MAX_CAPACITY) {
            return Err(invalid(format!(
                "waitlist_limit must be at most {MAX_CAPACITY}"
            )));
        }
        if spec.credits > MAX_CREDITS {
            return Err(invalid(format!(
                "credits must be at most {MAX_CREDITS}, got {}",
                spec.credits
            )));
        }
        Times::of(spec, self.rules.policy(&spec.policy)?)?;
        out.push(Event::SessionScheduled {
            session: spec.clone(),
            at: self.at,
        });
        Ok(())
    }

    fn add_pack(
        &self,
        member: &str,
        pack: &PackSpec,
        out: &mut Vec<Event>,
    ) -> Result<(), BookingError> {
        let wallet = self.member(member)?;
        let invalid = |message: String| BookingError::Invalid {
            what: "pack",
            id: pack.id.to_string(),
            message,
        };
        if pack.id.is_empty() {
            return Err(invalid("the id is empty".into()));
        }
        if !(1..=MAX_CREDITS).contains(&pack.credits) {
            return Err(invalid(format!(
                "credits must be between 1 and {MAX_CREDITS}, got {}",
                pack.credits
            )));
        }
        if wallet.packs.iter().any(|p| p.spec.id == pack.id) {
            return Err(BookingError::Duplicate {
                what: "pack",
                id: pack.id.to_string(),
            });
        }
        out.push(Event::PackAdded {
            member: member.into(),
            pack: pack.clone(),
            at: self.at,
        });
        Ok(())
    }

    /// The checks booking and joining the waitlist share.
    fn may_ask(
        &self,
        (session, policy, times): &Found<'a>,
        member_id: &str,
        member: &Member,
        party: u32,
    ) -> Result<(), BookingError> {
        let id = &session.spec.id;
        if !(1..=policy.max_party).contains(&party) {
            return Err(BookingError::InvalidParty {
                party,
                max: policy.max_party,
            });
        }
        if session.seat(member_id).is_some() {
            return Err(BookingError::AlreadyBooked {
                session: id.clone(),
                member: member_id.into(),
            });
        }
        if session.entry(member_id).is_some() {
            return Err(BookingError::AlreadyWaitlisted {
                session: id.clone(),
                member: member_id.into(),
            });
        }
        times.check_window(session, self.at)?;
        eligible(self.rules, member_id, member, &session.spec, self.at)
    }

    /// The pack a seat's credits come from, and the reservation.
    fn reserve(
        &self,
        session: &Session,
        member_id: &str,
        member: &Member,
        party: u32,
        out: &mut Vec<Event>,
    ) -> Result<Option<super::PackId>, BookingError> {
        let credits = session.spec.credits * party;
        if credits == 0 {
            return Ok(None);
        }
        let pack =
            pick_pack(member, &session.spec, credits).ok_or_else(|| BookingError::NoCredit {
                member: member_id.into(),
                session: session.spec.id.clone(),
                credits,
            })?;
        out.push(Event::CreditReserved {
            member: member_id.into(),
            pack: pack.spec.id.clone(),
            session: session.spec.id.clone(),
            credits,
            at: self.at,
        });
        Ok(Some(pack.spec.id.clone()))
    }

    fn book_seats(
        &self,
        id: &str,
        member_id: &str,
        party: u32,
        out: &mut Vec<Event>,
    ) -> Result<(), BookingError> {
        let found = self.session(id)?;
        let member = self.member(member_id)?;
        self.may_ask(&found, member_id, member, party)?;
        let (session, policy, _) = found;
        fits(self.rules, member_id, member, session, self.at)?;
        let free = session.free();
        if free < party {
            return Err(BookingError::Full {
                session: session.spec.id.clone(),
                free,
                party,
            });
        }
        let pack = self.reserve(session, member_id, member, party, out)?;
        out.push(Event::Booked {
            session: session.spec.id.clone(),
            member: member_id.into(),
            party,
            pack: pack.clone(),
            at: self.at,
        });
        if let Some(pack) = pack {
            let hold = super::Hold {
                pack,
                credits: session.spec.credits * party,
                consumed: false,
            };
            consume_on_booking(
                out,
                policy,
                member_id,
                &session.spec.id,
                Some(&hold),
                self.at,
            );
        }
        Ok(())
    }

    fn cancel(
        &self,
        id: &str,
        member_id: &str,
        by: CancelledBy,
        out: &mut Vec<Event>,
    ) -> Result<(), BookingError> {
        let (session, policy, times) = self.session(id)?;
        let seat = session
            .seat(member_id)
            .ok_or_else(|| BookingError::NotBooked {
                session: session.spec.id.clone(),
                member: member_id.into(),
            })?;
        if seat.checked_in || seat.no_show {
            return Err(BookingError::AttendanceRecorded {
                session: session.spec.id.clone(),
                member: member_id.into(),
            });
        }
        if by == CancelledBy::Member && self.at >= session.spec.start {
            return Err(BookingError::SessionStarted {
                session: session.spec.id.clone(),
                start: session.spec.start,
            });
        }
        let late = by == CancelledBy::Member
            && times.late_from.is_some_and(|late| self.at >= late)
            && seat.grace_until.is_none_or(|grace| self.at >= grace);
        out.push(Event::Cancelled {
            session: session.spec.id.clone(),
            member: member_id.into(),
            late,
            by,
            at: self.at,
        });
        if late {
            let strikes = self.member(member_id).map_or(&[][..], |m| &m.strikes);
            penalize(
                self.rules,
                (&policy.late_cancel, PenaltyReason::LateCancel),
                (member_id, strikes),
                &session.spec.id,
                seat.hold.as_ref(),
                self.at,
                out,
            )?;
        } else {
            give_back(
                out,
                member_id,
                &session.spec.id,
                seat.hold.as_ref(),
                self.at,
            );
        }
        fill(
            self.book,
            self.rules,
            (session, policy, &times),
            session.free() + seat.party,
            None,
            self.at,
            out,
        )
    }

    fn join(
        &self,
        id: &str,
        member_id: &str,
        party: u32,
        out: &mut Vec<Event>,
    ) -> Result<(), BookingError> {
        let found = self.session(id)?;
        let member = self.member(member_id)?;
        let (session, policy, times) = &found;
        if session.passed.iter().any(|m| m == member_id) {
            return Err(BookingError::AlreadyOffered {
                session: session.spec.id.clone(),
                member: member_id.into(),
            });
        }
        self.may_ask(&found, member_id, member, party)?;
        if session.waitlist_closed || self.at >= times.cutoff {
            return Err(BookingError::WaitlistClosed {
                session: session.spec.id.clone(),
                closed: times.cutoff,
            });
        }
        let free = session.free();
        if free >= party {
            return Err(BookingError::SeatsAvailable {
                session: session.spec.id.clone(),
                free,
            });
        }
        if let Some(limit) = session.spec.waitlist_limit
            && session.waitlist.len() >= limit as usize
        {
            return Err(BookingError::WaitlistFull {
                session: session.spec.id.clone(),
                limit,
            });
        }
        let tier = member.eligibility.tier;
        let position = match policy.priority {
            Priority::Arrival => session.waitlist.len(),
            Priority::Tier => session
                .waitlist
                .iter()
                .take_while(|e| e.tier >= tier)
                .count(),
        } + 1;
        let pack = self.reserve(session, member_id, member, party, out)?;
        out.push(Event::Waitlisted {
            session: session.spec.id.clone(),
            member: member_id.into(),
            party,
            pack,
            position: position as u32,
            tier,
            at: self.at,
        });
        Ok(())
    }

    fn leave(
        &self,
        id: &str,
        member_id: &str,
        declining: bool,
        out: &mut Vec<Event>,
    ) -> Result<(), BookingError> {
        let (session, policy, times) = self.session(id)?;
        let (_, entry) = session
            .entry(member_id)
            .ok_or_else(|| BookingError::NotWaitlisted {
                session: session.spec.id.clone(),
                member: member_id.into(),
            })?;
        let (session_id, member) = (session.spec.id.clone(), member_id.into());
        if declining {
            self.open_offer(session, member_id)?;
        }
        // Leaving with an offer declines it: it is not made to them again.
        if declining || entry.offer.is_some() {
            out.push(Event::OfferDeclined {
                session: session_id,
                member,
                at: self.at,
            });
        } else {
            out.push(Event::LeftWaitlist {
                session: session_id,
                member,
                at: self.at,
            });
        }
        give_back(
            out,
            member_id,
            &session.spec.id,
            entry.hold.as_ref(),
            self.at,
        );
        if entry.offer.is_some() {
            fill(
                self.book,
                self.rules,
                (session, policy, &times),
                session.free() + entry.party,
                Some(member_id),
                self.at,
                out,
            )?;
        }
        Ok(())
    }

    /// The member's entry with an offer still open.
    fn open_offer(
        &self,
        session: &'a Session,
        member_id: &str,
    ) -> Result<&'a super::Entry, BookingError> {
        let (_, entry) = session
            .entry(member_id)
            .ok_or_else(|| BookingError::NotWaitlisted {
                session: session.spec.id.clone(),
                member: member_id.into(),
            })?;
        match entry.offer {
            None => Err(BookingError::NoOffer {
                session: session.spec.id.clone(),
                member: member_id.into(),
            }),
            Some(expired) if expired <= self.at => Err(BookingError::OfferExpired {
                session: session.spec.id.clone(),
                member: member_id.into(),
                expired,
            }),
            Some(_) => Ok(entry),
        }
    }

    fn accept(&self, id: &str, member_id: &str, out: &mut Vec<Event>) -> Result<(), BookingError> {
        let (session, policy, times) = self.session(id)?;
        let entry = self.open_offer(session, member_id)?;
        let member = self.member(member_id)?;
        eligible(self.rules, member_id, member, &session.spec, self.at)?;
        fits(self.rules, member_id, member, session, self.at)?;
        promote(self.book, policy, &times, session, entry, self.at, out)
    }

    fn change_capacity(
        &self,
        id: &str,
        capacity: u32,
        force: bool,
        out: &mut Vec<Event>,
    ) -> Result<(), BookingError> {
        let (session, policy, times) = self.session(id)?;
        let session_id = &session.spec.id;
        if session.cancelled {
            return Err(BookingError::SessionCancelled {
                session: session_id.clone(),
            });
        }
        if capacity > MAX_CAPACITY {
            return Err(BookingError::Invalid {
                what: "session",
                id: session_id.to_string(),
                message: format!("capacity must be at most {MAX_CAPACITY}, got {capacity}"),
            });
        }
        if self.at >= session.spec.start {
            return Err(BookingError::SessionStarted {
                session: session_id.clone(),
                start: session.spec.start,
            });
        }
        let taken = session.taken();
        let checked_in: u32 = session
            .seats
            .iter()
            .filter(|s| s.checked_in)
            .map(|s| s.party)
            .sum();
        if capacity < taken && (!force || capacity < checked_in) {
            return Err(BookingError::CapacityBelowTaken {
                session: session_id.clone(),
                taken,
                capacity,
            });
        }
        out.push(Event::CapacityChanged {
            session: session_id.clone(),
            capacity,
            at: self.at,
        });
        if capacity >= taken {
            return fill(
                self.book,
                self.rules,
                (session, policy, &times),
                capacity - taken,
                None,
                self.at,
                out,
            );
        }
        let mut over = taken - capacity;
        for entry in session.waitlist.iter().rev().filter(|e| e.offer.is_some()) {
            if over == 0 {
                break;
            }
            out.push(Event::OfferWithdrawn {
                session: session_id.clone(),
                member: entry.member.clone(),
                at: self.at,
            });
            over = over.saturating_sub(entry.party);
        }
        for seat in session.seats.iter().rev().filter(|s| !s.checked_in) {
            if over == 0 {
                break;
            }
            out.push(Event::MovedToWaitlist {
                session: session_id.clone(),
                member: seat.member.clone(),
                at: self.at,
            });
            over = over.saturating_sub(seat.party);
        }
        Ok(())
    }

    fn cancel_session(&self, id: &str, out: &mut Vec<Event>) -> Result<(), BookingError> {
        let (session, _, _) = self.session(id)?;
        let session_id = &session.spec.id;
        if session.cancelled {
            return Err(BookingError::SessionCancelled {
                session: session_id.clone(),
            });
        }
        let held = session
            .seats
            .iter()
            .map(|s| (&s.member, s.hold.as_ref()))
            .chain(
                session
                    .waitlist
                    .iter()
                    .map(|e| (&e.member, e.hold.as_ref())),
            );
        for (member, hold) in held {
            out.push(Event::Released {
                session: session_id.clone(),
                member: member.clone(),
                reason: ReleaseReason::SessionCancelled,
                at: self.at,
            });
            give_back(out, member, session_id, hold, self.at);
        }
        out.push(Event::SessionCancelled {
            session: session_id.clone(),
            at: self.at,
        });
        Ok(())
    }

    /// The member's seat whose attendance can still be recorded.
    fn unrecorded<'s>(
        &self,
        (session, _, times): &Found<'s>,
        member_id: &str,
    ) -> Result<&'s super::Seat, BookingError> {
        let id = &session.spec.id;
        if session.cancelled {
            return Err(BookingError::SessionCancelled {
                session: id.clone(),
            });
        }
        let seat = session
            .seat(member_id)
            .ok_or_else(|| BookingError::NotBooked {
                session: id.clone(),
                member: member_id.into(),
            })?;
        if seat.checked_in || seat.no_show {
            return Err(BookingError::AttendanceRecorded {
                session: id.clone(),
                member: member_id.into(),
            });
        }
        if session.attendance_closed || self.at >= times.no_show_at {
            return Err(BookingError::CheckInClosed {
                session: id.clone(),
                closed: times.no_show_at,
            });
        }
        Ok(seat)
    }

    fn check_in(
        &self,
        id: &str,
        member_id: &str,
        out: &mut Vec<Event>,
    ) -> Result<(), BookingError> {
        let found = self.session(id)?;
        let seat = self.unrecorded(&found, member_id)?;
        let (session, _, times) = found;
        if self.at < times.check_in_opens {
            return Err(BookingError::CheckInNotOpen {
                session: session.spec.id.clone(),
                opens: times.check_in_opens,
            });
        }
        out.push(Event::CheckedIn {
            session: session.spec.id.clone(),
            member: member_id.into(),
            at: self.at,
        });
        if let Some(hold) = seat.hold.as_ref().filter(|h| !h.consumed) {
            out.push(Event::CreditConsumed {
                member: member_id.into(),
                pack: hold.pack.clone(),
                session: session.spec.id.clone(),
                credits: hold.credits,
                at: self.at,
            });
        }
        Ok(())
    }

    fn mark_no_show(
        &self,
        id: &str,
        member_id: &str,
        out: &mut Vec<Event>,
    ) -> Result<(), BookingError> {
        let found = self.session(id)?;
        let seat = self.unrecorded(&found, member_id)?;
        let (session, policy, _) = found;
        if self.at < session.spec.start {
            return Err(BookingError::NotStarted {
                session: session.spec.id.clone(),
                start: session.spec.start,
            });
        }
        out.push(Event::NoShow {
            session: session.spec.id.clone(),
            member: member_id.into(),
            at: self.at,
        });
        let strikes = self.member(member_id).map_or(&[][..], |m| &m.strikes);
        penalize(
            self.rules,
            (&policy.no_show, PenaltyReason::NoShow),
            (member_id, strikes),
            &session.spec.id,
            seat.hold.as_ref(),
            self.at,
            out,
        )
    }
}
