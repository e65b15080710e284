//! Seats going to the waitlist, penalties and credits, and what time brings
//! about ([`Command::Advance`](super::Command::Advance)).

use super::BookingError;
use super::check::{Times, eligible, fits, minutes};
use super::event::{Event, PenaltyReason, ReleaseReason};
use super::policy::{ConsumeAt, Penalty, Policy, Promotion, Rules};
use super::state::{Book, Entry, Hold, Instant, Pack, Session};

/// Credits back to their pack.
pub(super) fn give_back(
    out: &mut Vec<Event>,
    member: &str,
    session: &str,
    hold: Option<&Hold>,
    at: Instant,
) {
    if let Some(hold) = hold {
        out.push(Event::CreditReturned {
            member: member.into(),
            pack: hold.pack.clone(),
            session: session.into(),
            credits: hold.credits,
            consumed: hold.consumed,
            at,
        });
    }
}

/// A reserved credit consumed, when the policy consumes at booking.
pub(super) fn consume_on_booking(
    out: &mut Vec<Event>,
    policy: &Policy,
    member: &str,
    session: &str,
    hold: Option<&Hold>,
    at: Instant,
) {
    if policy.consume_credit == ConsumeAt::Booking
        && let Some(hold) = hold
        && !hold.consumed
    {
        out.push(Event::CreditConsumed {
            member: member.into(),
            pack: hold.pack.clone(),
            session: session.into(),
            credits: hold.credits,
            at,
        });
    }
}

/// What a late cancel or no-show costs: the penalty, then a strike.
pub(super) fn penalize(
    rules: &Rules,
    (penalty, reason): (&Penalty, PenaltyReason),
    (member_id, strikes_so_far): (&str, &[Instant]),
    session: &str,
    hold: Option<&Hold>,
    at: Instant,
    out: &mut Vec<Event>,
) -> Result<(), BookingError> {
    match penalty {
        Penalty::ForfeitCredit => {
            if let Some(hold) = hold {
                out.push(Event::CreditForfeited {
                    member: member_id.into(),
                    pack: hold.pack.clone(),
                    session: session.into(),
                    credits: hold.credits,
                    consumed: hold.consumed,
                    at,
                });
            }
        }
        Penalty::Fee { amount } => {
            out.push(Event::FeeCharged {
                member: member_id.into(),
                session: session.into(),
                amount: *amount,
                reason,
                at,
            });
            give_back(out, member_id, session, hold, at);
        }
        Penalty::None => give_back(out, member_id, session, hold, at),
    }
    let Some(strikes) = rules.strikes else {
        return Ok(());
    };
    if reason == PenaltyReason::LateCancel && !strikes.late_cancels {
        return Ok(());
    }
    out.push(Event::StrikeRecorded {
        member: member_id.into(),
        session: session.into(),
        reason,
        at,
    });
    let since = minutes(at, -i64::from(strikes.within_days) * 1440)?;
    let count = strikes_so_far.iter().filter(|t| **t > since).count() + 1;
    if count >= strikes.count as usize {
        out.push(Event::BookingLocked {
            member: member_id.into(),
            until: minutes(at, i64::from(strikes.lock_days) * 1440)?,
            at,
        });
    }
    Ok(())
}

/// The events of a waitlisted member taking their seats: the promotion, the
/// credit consumed, and their release from overlapping sessions' waitlists.
pub(super) fn promote(
    book: &Book,
    policy: &Policy,
    times: &Times,
    session: &Session,
    entry: &Entry,
    at: Instant,
    out: &mut Vec<Event>,
) -> Result<(), BookingError> {
    let id = &session.spec.id;
    let grace_until = match times.late_from {
        Some(late) if at >= late && policy.promoted_grace_minutes > 0 => {
            Some(minutes(at, i64::from(policy.promoted_grace_minutes))?)
        }
        _ => None,
    };
    out.push(Event::Promoted {
        session: id.clone(),
        member: entry.member.clone(),
        party: entry.party,
        grace_until,
        at,
    });
    consume_on_booking(out, policy, &entry.member, id, entry.hold.as_ref(), at);
    let Some(member) = book.members.get(&entry.member) else {
        return Ok(());
    };
    for other in member.waiting.iter().filter(|w| *w != id) {
        let Some(other) = book.sessions.get(other) else {
            continue;
        };
        if other.overlaps(session.spec.start, session.spec.end)
            && let Some((_, waiting)) = other.entry(&entry.member)
        {
            out.push(Event::Released {
                session: other.spec.id.clone(),
                member: entry.member.clone(),
                reason: ReleaseReason::PromotedElsewhere {
                    session: id.clone(),
                },
                at,
            });
            give_back(
                out,
                &entry.member,
                &other.spec.id,
                waiting.hold.as_ref(),
                at,
            );
        }
    }
    Ok(())
}

/// Gives `free` seats of `session` to its waitlist, in order, skipping
/// `skip`, entries already offered, parties that do not fit, and members who
/// may not take a seat now (they keep their place).
pub(super) fn fill(
    book: &Book,
    rules: &Rules,
    (session, policy, times): (&Session, &Policy, &Times),
    mut free: u32,
    skip: Option<&str>,
    at: Instant,
    out: &mut Vec<Event>,
) -> Result<(), BookingError> {
    if !times.promotes(session, at) {
        return Ok(());
    }
    for entry in &session.waitlist {
        if free == 0 {
            break;
        }
        if entry.offer.is_some() || entry.party > free || skip == Some(entry.member.as_str()) {
            continue;
        }
        let Some(member) = book.members.get(&entry.member) else {
            continue;
        };
        let may = eligible(rules, &entry.member, member, &session.spec, at)
            .and_then(|()| fits(rules, &entry.member, member, session, at));
        if may.is_err() {
            continue;
        }
        match policy.promotion {
            Promotion::Automatic => promote(book, policy, times, session, entry, at, out)?,
            Promotion::Offer { hold_minutes } => out.push(Event::OfferMade {
                session: session.spec.id.clone(),
                member: entry.member.clone(),
                expires: minutes(at, i64::from(hold_minutes))?.min(times.cutoff),
                at,
            }),
        }
        free -= entry.party;
    }
    Ok(())
}

/// The events time brings about in one session by `at`, without changing
/// the book: offers expired, the waitlist released at its cutoff or free
/// seats given to it, no-shows marked.
fn session_due(
    book: &Book,
    rules: &Rules,
    session: &Session,
    at: Instant,
    out: &mut Vec<Event>,
) -> Result<(), BookingError> {
    if session.cancelled || session.attendance_closed {
        return Ok(());
    }
    let policy = rules.policy(&session.spec.policy)?;
    let times = Times::of(&session.spec, policy)?;
    let id = &session.spec.id;
    let mut freed = 0;
    for entry in &session.waitlist {
        if let Some(expires) = entry.offer.filter(|e| *e <= at) {
            out.push(Event::OfferExpired {
                session: id.clone(),
                member: entry.member.clone(),
                at: expires,
            });
            give_back(out, &entry.member, id, entry.hold.as_ref(), expires);
            freed += entry.party;
        }
    }
    if !session.waitlist_closed && at >= times.cutoff && !session.waitlist.is_empty() {
        for entry in session
            .waitlist
            .iter()
            .filter(|e| e.offer.is_none_or(|x| x > at))
        {
            out.push(Event::Released {
                session: id.clone(),
                member: entry.member.clone(),
                reason: ReleaseReason::WaitlistCutoff,
                at: times.cutoff,
            });
            give_back(out, &entry.member, id, entry.hold.as_ref(), times.cutoff);
        }
        out.push(Event::WaitlistClosed {
            session: id.clone(),
            at: times.cutoff,
        });
    } else if at < times.cutoff && (freed > 0 || session.free() > 0) {
        // Entries whose offers just expired still carry them, so `fill` skips them.
        fill(
            book,
            rules,
            (session, policy, &times),
            session.free() + freed,
            None,
            at,
            out,
        )?;
    }
    if at >= times.no_show_at {
        for seat in session.seats.iter().filter(|s| !s.checked_in && !s.no_show) {
            let strikes = book
                .members
                .get(&seat.member)
                .map_or(&[][..], |m| &m.strikes);
            out.push(Event::NoShow {
                session: id.clone(),
                member: seat.member.clone(),
                at: times.no_show_at,
            });
            penalize(
                rules,
                (&policy.no_show, PenaltyReason::NoShow),
                (&seat.member, strikes),
                id,
                seat.hold.as_ref(),
                times.no_show_at,
                out,
            )?;
        }
        out.push(Event::AttendanceClosed {
            session: id.clone(),
            at: times.no_show_at,
        });
    }
    Ok(())
}

/// The book advanced to `at` and the events that took it there, or `None`
/// when nothing is due (the book is copied only when something is).
pub(super) fn advanced(
    book: &Book,
    rules: &Rules,
    at: Instant,
) -> Result<Option<(Book, Vec<Event>)>, BookingError> {
    if !anything_due(book, rules, at)? {
        return Ok(None);
    }
    let mut work = book.clone();
    let mut events = Vec::new();
    advance(&mut work, rules, at, &mut events)?;
    Ok(Some((work, events)))
}

/// Whether advancing to `at` does anything.
fn anything_due(book: &Book, rules: &Rules, at: Instant) -> Result<bool, BookingError> {
    let mut scratch = Vec::new();
    for session in book.sessions.values() {
        // A session whose policy is missing counts as due: `advance`, which
        // goes in start order, then names the first such session.
        if session_due(book, rules, session, at, &mut scratch).is_err() || !scratch.is_empty() {
            return Ok(true);
        }
    }
    Ok(book
        .members
        .values()
        .flat_map(|m| &m.packs)
        .any(|p| expiring(p, at)))
}

/// Whether `pack` has credits left that expire by `at`.
fn expiring(pack: &Pack, at: Instant) -> bool {
    pack.spec.expires <= at && pack.available() > 0
}

/// Advances `book` to `at` in place, session by session in start order,
/// applying each event as it is made; the events are appended to `out`.
fn advance(
    book: &mut Book,
    rules: &Rules,
    at: Instant,
    out: &mut Vec<Event>,
) -> Result<(), BookingError> {
    let mut order: Vec<(Instant, super::SessionId)> = book
        .sessions
        .values()
        .filter(|s| !s.cancelled && !s.attendance_closed)
        .map(|s| (s.spec.start, s.spec.id.clone()))
        .collect();
    order.sort_unstable();
    let mut events = Vec::new();
    for (_, id) in order {
        let Some(session) = book.sessions.get(&id) else {
            continue;
        };
        session_due(book, rules, session, at, &mut events)?;
        for event in events.drain(..) {
            book.apply_mut(&event);
            out.push(event);
        }
    }
    let mut holders: Vec<_> = book
        .members
        .iter()
        .filter(|(_, m)| m.packs.iter().any(|p| expiring(p, at)))
        .collect();
    holders.sort_unstable_by_key(|(id, _)| *id);
    for (member_id, member) in holders {
        for pack in member.packs.iter().filter(|p| expiring(p, at)) {
            events.push(Event::CreditsExpired {
                member: member_id.clone(),
                pack: pack.spec.id.clone(),
                credits: pack.available(),
                at: pack.spec.expires,
            });
        }
    }
    for event in events {
        book.apply_mut(&event);
        out.push(event);
    }
    Ok(())
}
