//! Folding events into the book. Never fails: an event that names what the
//! book does not hold changes nothing but the version.

use super::event::Event;
use super::state::{Attendance, Book, Entry, Hold, Holding, Member, Pack, Seat, Session};

impl Book {
    /// The book after `event`.
    pub fn apply(mut self, event: &Event) -> Self {
        self.apply_mut(event);
        self
    }

    /// Folds `event` into the book in place.
    pub fn apply_mut(&mut self, event: &Event) {
        // Saturating: a stored state at the largest version must not wrap
        // to 0 (a stale writer would then win the version check) or panic.
        self.version = self.version.saturating_add(1);
        let at = event.at();
        if self.as_of.is_none_or(|last| at > last) {
            self.as_of = Some(at);
        }
        match event {
            Event::SessionScheduled { session, .. } => {
                self.sessions.insert(
                    session.id.clone(),
                    Session {
                        spec: session.clone(),
                        seats: Vec::new(),
                        waitlist: Vec::new(),
                        passed: Vec::new(),
                        cancelled: false,
                        waitlist_closed: false,
                        attendance_closed: false,
                    },
                );
            }
            Event::MemberSet {
                member,
                eligibility,
                ..
            } => self.members.entry(member.clone()).or_default().eligibility = eligibility.clone(),
            Event::PackAdded { member, pack, .. } => {
                if let Some(member) = self.members.get_mut(member) {
                    member.packs.push(Pack {
                        spec: pack.clone(),
                        reserved: 0,
                        used: 0,
                        forfeited: 0,
                        expired: 0,
                    });
                }
            }
            Event::Booked {
                session,
                member,
                party,
                pack,
                at,
            } => {
                let Some(s) = self.sessions.get_mut(session) else {
                    return;
                };
                s.seats.push(Seat {
                    member: member.clone(),
                    party: *party,
                    at: *at,
                    grace_until: None,
                    hold: pack.clone().map(|pack| Hold {
                        pack,
                        credits: s.spec.credits.saturating_mul(*party),
                        consumed: false,
                    }),
                    checked_in: false,
                    no_show: false,
                });
                let holding = holding(s);
                if let Some(m) = self.members.get_mut(member) {
                    m.holdings.push(holding);
                }
            }
            Event::Waitlisted {
                session,
                member,
                party,
                pack,
                position,
                tier,
                at,
            } => {
                let Some(s) = self.sessions.get_mut(session) else {
                    return;
                };
                let index = (*position as usize).saturating_sub(1).min(s.waitlist.len());
                s.waitlist.insert(
                    index,
                    Entry {
                        member: member.clone(),
                        party: *party,
                        tier: *tier,
                        at: *at,
                        hold: pack.clone().map(|pack| Hold {
                            pack,
                            credits: s.spec.credits.saturating_mul(*party),
                            consumed: false,
                        }),
                        offer: None,
                    },
                );
                if let Some(m) = self.members.get_mut(member) {
                    m.waiting.push(session.clone());
                }
            }
            Event::OfferMade {
                session,
                member,
                expires,
                ..
            } => {
                if let Some(entry) = self.entry_mut(session, member) {
                    entry.offer = Some(*expires);
                }
            }
            Event::OfferWithdrawn {
                session, member, ..
            } => {
                if let Some(entry) = self.entry_mut(session, member) {
                    entry.offer = None;
                }
            }
            Event::OfferExpired {
                session, member, ..
            }
            | Event::OfferDeclined {
                session, member, ..
            } => {
                self.take_entry(session, member);
                if let Some(s) = self.sessions.get_mut(session) {
                    s.passed.push(member.clone());
                }
            }
            Event::LeftWaitlist {
                session, member, ..
            } => {
                self.take_entry(session, member);
            }
            Event::Promoted {
                session,
                member,
                grace_until,
                at,
                ..
            } => {
                // One lookup of the session and one of the member (this is
                // the hot path of a cancel with a promotion).
                let Some(s) = self.sessions.get_mut(session) else {
                    return;
                };
                let Some(index) = s.waitlist.iter().position(|e| e.member == *member) else {
                    return;
                };
                let entry = s.waitlist.remove(index);
                s.seats.push(Seat {
                    member: entry.member,
                    party: entry.party,
                    at: *at,
                    grace_until: *grace_until,
                    hold: entry.hold,
                    checked_in: false,
                    no_show: false,
                });
                let holding = holding(s);
                if let Some(m) = self.members.get_mut(member) {
                    m.waiting.retain(|w| w != session);
                    m.holdings.push(holding);
                }
            }
            Event::Cancelled {
                session,
                member,
                late,
                ..
            } => {
                self.take_seat(session, member);
                if let Some(m) = self.members.get_mut(member) {
                    if *late {
                        set_attendance(m, session, Attendance::Forfeited);
                    } else {
                        drop_booked(m, session);
                    }
                }
            }
            Event::Released {
                session, member, ..
            } => {
                if self.take_seat(session, member).is_none() {
                    self.take_entry(session, member);
                }
                if let Some(m) = self.members.get_mut(member) {
                    drop_booked(m, session);
                }
            }
            Event::MovedToWaitlist {
                session, member, ..
            } => {
                let Some(seat) = self.take_seat(session, member) else {
                    return;
                };
                let tier = self.members.get_mut(member).map_or(0, |m| {
                    drop_booked(m, session);
                    m.waiting.push(session.clone());
                    m.eligibility.tier
                });
                if let Some(s) = self.sessions.get_mut(session) {
                    s.waitlist.insert(
                        0,
                        Entry {
                            member: seat.member,
                            party: seat.party,
                            tier,
                            at: seat.at,
                            hold: seat.hold,
                            offer: None,
                        },
                    );
                }
            }
            Event::CapacityChanged {
                session, capacity, ..
            } => {
                if let Some(s) = self.sessions.get_mut(session) {
                    s.spec.capacity = *capacity;
                }
            }
            Event::SessionCancelled { session, .. } => {
                if let Some(s) = self.sessions.get_mut(session) {
                    s.cancelled = true;
                }
            }
            Event::WaitlistClosed { session, .. } => {
                if let Some(s) = self.sessions.get_mut(session) {
                    s.waitlist_closed = true;
                }
            }
            Event::AttendanceClosed { session, .. } => {
                if let Some(s) = self.sessions.get_mut(session) {
                    s.attendance_closed = true;
                }
            }
            Event::CheckedIn {
                session, member, ..
            } => self.record(session, member, Attendance::Attended),
            Event::NoShow {
                session, member, ..
            } => self.record(session, member, Attendance::NoShow),
            Event::CreditReserved {
                member,
                pack,
                credits,
                ..
            } => {
                if let Some(p) = self.pack_mut(member, pack) {
                    p.reserved = p.reserved.saturating_add(*credits);
                }
            }
            Event::CreditConsumed {
                member,
                pack,
                session,
                credits,
                ..
            } => {
                if let Some(p) = self.pack_mut(member, pack) {
                    p.reserved = p.reserved.saturating_sub(*credits);
                    p.used = p.used.saturating_add(*credits);
                }
                if let Some(hold) = self.seat_mut(session, member).and_then(|s| s.hold.as_mut()) {
                    hold.consumed = true;
                }
            }
            Event::CreditReturned {
                member,
                pack,
                session,
                credits,
                consumed,
                ..
            }
            | Event::CreditForfeited {
                member,
                pack,
                session,
                credits,
                consumed,
                ..
            } => {
                let forfeited = matches!(event, Event::CreditForfeited { .. });
                if let Some(p) = self.pack_mut(member, pack) {
                    let from = if *consumed {
                        &mut p.used
                    } else {
                        &mut p.reserved
                    };
                    *from = from.saturating_sub(*credits);
                    if forfeited {
                        p.forfeited = p.forfeited.saturating_add(*credits);
                    }
                }
                if let Some(seat) = self.seat_mut(session, member) {
                    seat.hold = None;
                }
                if let Some(entry) = self.entry_mut(session, member) {
                    entry.hold = None;
                }
            }
            Event::CreditsExpired {
                member,
                pack,
                credits,
                ..
            } => {
                if let Some(p) = self.pack_mut(member, pack) {
                    p.expired = p.expired.saturating_add(*credits);
                }
            }
            Event::FeeCharged { .. } => {}
            Event::StrikeRecorded { member, at, .. } => {
                if let Some(m) = self.members.get_mut(member) {
                    m.strikes.push(*at);
                }
            }
            Event::BookingLocked { member, until, .. } => {
                if let Some(m) = self.members.get_mut(member) {
                    m.locked_until = Some(*until);
                    m.strikes.clear();
                }
            }
        }
    }

    fn seat_mut(&mut self, session: &str, member: &str) -> Option<&mut Seat> {
        self.sessions
            .get_mut(session)?
            .seats
            .iter_mut()
            .find(|s| s.member == member)
    }

    fn entry_mut(&mut self, session: &str, member: &str) -> Option<&mut Entry> {
        self.sessions
            .get_mut(session)?
            .waitlist
            .iter_mut()
            .find(|e| e.member == member)
    }

    fn pack_mut(&mut self, member: &str, pack: &str) -> Option<&mut Pack> {
        self.members
            .get_mut(member)?
            .packs
            .iter_mut()
            .find(|p| p.spec.id == pack)
    }

    fn take_seat(&mut self, session: &str, member: &str) -> Option<Seat> {
        let seats = &mut self.sessions.get_mut(session)?.seats;
        let index = seats.iter().position(|s| s.member == member)?;
        Some(seats.remove(index))
    }

    fn take_entry(&mut self, session: &str, member: &str) -> Option<Entry> {
        let waitlist = &mut self.sessions.get_mut(session)?.waitlist;
        let index = waitlist.iter().position(|e| e.member == member)?;
        let entry = waitlist.remove(index);
        if let Some(m) = self.members.get_mut(member) {
            m.waiting.retain(|w| w != session);
        }
        Some(entry)
    }

    fn record(&mut self, session: &str, member: &str, attendance: Attendance) {
        if let Some(seat) = self.seat_mut(session, member) {
            match attendance {
                Attendance::Attended => seat.checked_in = true,
                _ => seat.no_show = true,
            }
        }
        if let Some(m) = self.members.get_mut(member) {
            set_attendance(m, session, attendance);
        }
    }
}

fn holding(session: &Session) -> Holding {
    Holding {
        session: session.spec.id.clone(),
        start: session.spec.start,
        end: session.spec.end,
        included: session.spec.credits == 0,
        attendance: Attendance::Booked,
    }
}

/// The member's booked (not yet attended) holding of `session` takes `attendance`.
fn set_attendance(member: &mut Member, session: &str, attendance: Attendance) {
    if let Some(h) = member
        .holdings
        .iter_mut()
        .find(|h| h.session == session && h.attendance == Attendance::Booked)
    {
        h.attendance = attendance;
    }
}

/// The member no longer holds `session` (earlier forfeited holdings stay).
fn drop_booked(member: &mut Member, session: &str) {
    member
        .holdings
        .retain(|h| !(h.session == session && h.attendance == Attendance::Booked));
}
