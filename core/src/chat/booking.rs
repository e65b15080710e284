//! The booking procedures: which session the member means (a class name, a
//! day, a time), the command that books or cancels it, the dry run's
//! nearest alternative (a full class: the waitlist), and what a
//! confirmation shows.

use super::config::Procedure;
use super::facts::Fact;
use super::reply::{Detail, SessionChoice};
use super::state::Details;
use crate::booking::{Book, BookingError, CancelledBy, Command, Event, Instant, Tag};
use crate::intent::slots::{Slot, SlotValue};

/// Most sessions a member is asked to choose among.
const CHOICES: usize = 5;

/// Takes the booking details from a message's slots; whether any changed.
pub(super) fn absorb(procedure: Procedure, details: &mut Details, slots: &[&Slot]) -> bool {
    let before = details.clone();
    for slot in slots {
        match &slot.value {
            SlotValue::Date(day) => {
                details.day = Some(*day);
                details.session = None;
            }
            SlotValue::Time(time) => {
                details.time = Some(*time);
                details.session = None;
            }
            SlotValue::Named { list, id } if list == "class" => {
                details.class = Some(id.clone());
                details.session = None;
            }
            SlotValue::Named { list, id } if list == "session" => {
                details.session = Some(id.clone());
            }
            SlotValue::Count(n) if procedure == Procedure::Book => details.party = Some(*n),
            _ => {}
        }
    }
    *details != before
}

/// Why no command can be made yet.
pub(super) enum Missing {
    /// Ask the member which of these they mean.
    Ask(Detail),
    /// No session fits what the member said.
    NoSession,
}

/// The booking command `details` make for `member` in `book` at `now`.
pub(super) fn command(
    procedure: Procedure,
    details: &Details,
    book: &Book,
    member: &str,
    now: Instant,
) -> Result<Command, Missing> {
    let fits = |id: &str, start: Instant, tags: &[Tag]| {
        let local = start.naive_local();
        details.session.as_deref().is_none_or(|s| s == id)
            && details.day.is_none_or(|d| local.date() == d)
            && details.time.is_none_or(|t| local.time() == t)
            && details.class.as_deref().is_none_or(|class| {
                id == class
                    || id
                        .strip_prefix(class)
                        .is_some_and(|rest| rest.starts_with('-'))
                    || tags.iter().any(|t| t.as_str() == class)
            })
    };
    let mut candidates: Vec<(String, Instant, bool)> = match procedure {
        Procedure::Book => book
            .sessions
            .values()
            .filter(|s| !s.cancelled && s.spec.start > now)
            .filter(|s| fits(&s.spec.id, s.spec.start, &s.spec.tags))
            .map(|s| (s.spec.id.to_string(), s.spec.start, false))
            .collect(),
        _ => {
            let Some(m) = book.members.get(member) else {
                return Err(Missing::NoSession);
            };
            let booked = m
                .holdings
                .iter()
                .filter(|h| h.attendance == crate::booking::Attendance::Booked && h.start > now);
            let mut found: Vec<(String, Instant, bool)> = booked
                .filter_map(|h| {
                    let tags = &book.sessions.get(&h.session)?.spec.tags;
                    fits(&h.session, h.start, tags).then(|| (h.session.to_string(), h.start, false))
                })
                .collect();
            found.extend(m.waiting.iter().filter_map(|id| {
                let s = book.sessions.get(id)?;
                (s.spec.start > now && fits(id, s.spec.start, &s.spec.tags))
                    .then(|| (id.to_string(), s.spec.start, true))
            }));
            found
        }
    };
    candidates.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    match candidates.as_slice() {
        [] => Err(Missing::NoSession),
        [(session, _, waiting)] => Ok(make(procedure, session, member, *waiting, details)),
        many => Err(Missing::Ask(Detail::Session {
            procedure,
            choices: many
                .iter()
                .take(CHOICES)
                .map(|(session, start, _)| SessionChoice {
                    session: session.clone(),
                    start: *start,
                })
                .collect(),
        })),
    }
}

fn make(
    procedure: Procedure,
    session: &str,
    member: &str,
    waiting: bool,
    details: &Details,
) -> Command {
    let (session, member) = (session.into(), member.into());
    match (procedure, waiting) {
        (Procedure::Book, _) => Command::Book {
            session,
            member,
            party: details.party.unwrap_or(1),
        },
        (_, true) => Command::LeaveWaitlist { session, member },
        (_, false) => Command::Cancel {
            session,
            member,
            by: CancelledBy::Member,
        },
    }
}

/// The nearest command the rules may accept instead: a full class's waitlist.
pub(super) fn alternative(refused: &Command, error: &BookingError) -> Option<Command> {
    match (refused, error) {
        (
            Command::Book {
                session,
                member,
                party,
            },
            BookingError::Full { .. },
        ) => Some(Command::JoinWaitlist {
            session: session.clone(),
            member: member.clone(),
            party: *party,
        }),
        _ => None,
    }
}

/// What a confirmation of `command` (accepted with `events`) shows.
pub(super) fn facts(book: &Book, command: &Command, events: &[Event]) -> Vec<Fact> {
    let session = match command {
        Command::Book { session, .. }
        | Command::Cancel { session, .. }
        | Command::JoinWaitlist { session, .. }
        | Command::LeaveWaitlist { session, .. } => session,
        _ => return Vec::new(),
    };
    let mut facts = Vec::new();
    if let Some(s) = book.sessions.get(session) {
        facts.push(Fact::Session {
            session: session.to_string(),
            start: s.spec.start,
        });
    }
    for event in events {
        facts.extend(match event {
            Event::Waitlisted { position, .. } => Some(Fact::WaitlistPosition {
                position: *position,
            }),
            Event::CreditReserved { credits, .. } => Some(Fact::CreditsUsed { credits: *credits }),
            Event::CreditForfeited { credits, .. } => {
                Some(Fact::CreditsForfeited { credits: *credits })
            }
            Event::FeeCharged { amount, .. } => Some(Fact::LateCancelFee { amount: *amount }),
            _ => None,
        });
    }
    facts
}
