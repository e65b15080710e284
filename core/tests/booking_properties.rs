//! Property tests of the booking decider over random rules and command
//! sequences: capacity is never exceeded, a member holds at most one place in
//! a session, the waitlist keeps its order and promotion follows it, credits
//! are conserved, a refused command changes nothing, replay rebuilds the book.

use memberkit::booking::{
    Attendance, Book, Command, Eligibility, Event, MembershipTerms, PackSpec, Priority, Rules,
    SessionSpec, decide,
};
use memberkit::calendar::date;
use memberkit::strategies;
use proptest::prelude::*;
use std::collections::HashSet;

const SESSIONS: [&str; 3] = ["s0", "s1", "s2"];
const MEMBERS: [&str; 7] = ["m0", "m1", "m2", "m3", "m4", "m5", "m6"];

fn at(s: &str) -> memberkit::booking::Instant {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

/// Three sessions (s1 may overlap s0; with `credits`, s1 and s2 cost
/// credits), six members and a visitor, each with two packs, one expiring
/// between the sessions.
fn setup(overlapping: bool, credits: bool) -> Vec<Command> {
    let session = |id: &str, start: &str, end: &str, capacity, cost| SessionSpec {
        id: id.into(),
        start: at(start),
        end: at(end),
        capacity,
        waitlist_limit: Some(3),
        policy: "default".into(),
        credits: if credits { cost } else { 0 },
        tags: vec![],
    };
    let s1 = if overlapping {
        ("2026-06-05T10:30:00+09:00", "2026-06-05T11:30:00+09:00")
    } else {
        ("2026-06-05T14:00:00+09:00", "2026-06-05T15:00:00+09:00")
    };
    let mut commands = vec![
        session(
            "s0",
            "2026-06-05T10:00:00+09:00",
            "2026-06-05T11:00:00+09:00",
            2,
            0,
        ),
        session("s1", s1.0, s1.1, 1, 1),
        session(
            "s2",
            "2026-06-05T18:00:00+09:00",
            "2026-06-05T19:00:00+09:00",
            3,
            2,
        ),
    ]
    .into_iter()
    .map(|session| Command::ScheduleSession { session })
    .collect::<Vec<_>>();
    for (i, member) in MEMBERS.iter().enumerate() {
        let membership = (i != 4).then(|| MembershipTerms::from(date(2026, 4, 1).unwrap()));
        commands.push(Command::SetMember {
            member: (*member).into(),
            eligibility: Eligibility {
                membership,
                restrictions: vec![],
                tier: (i == 3) as u8 * 2,
            },
        });
        for (pack, credits, expires) in [
            ("short", 3, "2026-06-05T12:00:00+09:00"),
            ("long", 6, "2026-07-01T00:00:00+09:00"),
        ] {
            commands.push(Command::AddPack {
                member: (*member).into(),
                pack: PackSpec {
                    id: pack.into(),
                    credits,
                    expires: at(expires),
                    valid_for: vec![],
                },
            });
        }
    }
    commands
}

/// Commands with the minutes before each.
fn script() -> impl Strategy<Value = Vec<(i64, Command)>> {
    proptest::collection::vec(
        (0_i64..60, strategies::booking_command(&SESSIONS, &MEMBERS)),
        1..60,
    )
}

struct Run {
    book: Book,
    log: Vec<Event>,
    /// Each accepted command with the book before it and its events.
    steps: Vec<(Book, Command, Vec<Event>)>,
}

fn run(
    rules: &Rules,
    setup: Vec<Command>,
    script: &[(i64, Command)],
) -> Result<Run, TestCaseError> {
    let mut now = at("2026-06-04T09:00:00+09:00");
    let mut book = Book::default();
    let mut log = Vec::new();
    for command in setup {
        let events = decide(&book, rules, &command, now).unwrap();
        events.iter().for_each(|e| book.apply_mut(e));
        log.extend(events);
    }
    let mut steps = Vec::new();
    for (minutes, command) in script {
        now += chrono::Duration::minutes(*minutes);
        let command = &retarget(&book, command);
        let before = book.clone();
        match decide(&book, rules, command, now) {
            Ok(events) => {
                events.iter().for_each(|e| book.apply_mut(e));
                check(&book)?;
                log.extend(events.iter().cloned());
                steps.push((before, command.clone(), events));
            }
            Err(_) => {
                let mut tried = book.clone();
                prop_assert!(tried.execute(rules, command, now).is_err());
                prop_assert_eq!(&tried, &book, "a refused command changed the book");
            }
        }
    }
    Ok(Run { book, log, steps })
}

/// Points a command about a seat or waitlist place at a member who holds
/// one in that session, when someone does (random members rarely do).
fn retarget(book: &Book, command: &Command) -> Command {
    let pick = |session: &str, member: &str, waiting: bool| -> memberkit::booking::MemberId {
        let index = MEMBERS.iter().position(|m| *m == member).unwrap_or(0);
        let Some(s) = book.sessions.get(session) else {
            return member.into();
        };
        let present: Vec<_> = if waiting {
            s.waitlist.iter().map(|e| &e.member).collect()
        } else {
            s.seats.iter().map(|x| &x.member).collect()
        };
        if present.is_empty() {
            member.into()
        } else {
            present[index % present.len()].clone()
        }
    };
    match command.clone() {
        Command::Cancel {
            session,
            member,
            by,
        } => Command::Cancel {
            member: pick(&session, &member, false),
            session,
            by,
        },
        Command::CheckIn { session, member } => Command::CheckIn {
            member: pick(&session, &member, false),
            session,
        },
        Command::MarkNoShow { session, member } => Command::MarkNoShow {
            member: pick(&session, &member, false),
            session,
        },
        Command::AcceptOffer { session, member } => Command::AcceptOffer {
            member: pick(&session, &member, true),
            session,
        },
        Command::DeclineOffer { session, member } => Command::DeclineOffer {
            member: pick(&session, &member, true),
            session,
        },
        Command::LeaveWaitlist { session, member } => Command::LeaveWaitlist {
            member: pick(&session, &member, true),
            session,
        },
        other => other,
    }
}

/// The invariants every book keeps.
fn check(book: &Book) -> Result<(), TestCaseError> {
    for (id, session) in &book.sessions {
        prop_assert!(
            session.taken() <= session.spec.capacity,
            "{id}: {} taken of {}",
            session.taken(),
            session.spec.capacity
        );
        let seated: HashSet<_> = session.seats.iter().map(|s| &s.member).collect();
        let waiting: HashSet<_> = session.waitlist.iter().map(|e| &e.member).collect();
        prop_assert_eq!(
            seated.len(),
            session.seats.len(),
            "{}: a member holds two seats",
            id
        );
        prop_assert_eq!(
            waiting.len(),
            session.waitlist.len(),
            "{}: a member waits twice",
            id
        );
        prop_assert!(
            seated.is_disjoint(&waiting),
            "{id}: a member is seated and waiting"
        );
        if let Some(limit) = session.spec.waitlist_limit {
            // A forced lowering may move seats past the limit; joining never does.
            prop_assert!(
                session.waitlist.len() <= limit as usize + session.spec.capacity as usize + 3
            );
        }
    }
    for (member_id, member) in &book.members {
        for (id, session) in &book.sessions {
            let seat = session.seat(member_id).is_some();
            let holding = member
                .holdings
                .iter()
                .filter(|h| h.session == *id && h.attendance != Attendance::Forfeited)
                .count();
            prop_assert_eq!(
                holding,
                usize::from(seat),
                "{} in {}: holdings out of step with seats",
                member_id,
                id
            );
            prop_assert_eq!(
                member.waiting.contains(id),
                session.entry(member_id).is_some()
            );
        }
        for pack in &member.packs {
            let out = pack.reserved + pack.used + pack.forfeited + pack.expired;
            prop_assert!(
                out <= pack.spec.credits,
                "{member_id}/{}: {out} of {} credits accounted",
                pack.spec.id,
                pack.spec.credits
            );
            let holds = book.sessions.values().flat_map(|s| {
                let seats = s
                    .seats
                    .iter()
                    .filter(|x| x.member == *member_id)
                    .filter_map(|x| x.hold.as_ref());
                let entries = s
                    .waitlist
                    .iter()
                    .filter(|x| x.member == *member_id)
                    .filter_map(|x| x.hold.as_ref());
                seats
                    .chain(entries)
                    .filter(|h| h.pack == pack.spec.id)
                    .collect::<Vec<_>>()
            });
            let (mut reserved, mut used) = (0, 0);
            for hold in holds {
                if hold.consumed {
                    used += hold.credits
                } else {
                    reserved += hold.credits
                }
            }
            prop_assert_eq!(
                pack.reserved,
                reserved,
                "{}/{}: reserved credits",
                member_id,
                pack.spec.id
            );
            prop_assert_eq!(
                pack.used,
                used,
                "{}/{}: used credits",
                member_id,
                pack.spec.id
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Capacity, one place per member, credits conserved, refusals change
    /// nothing, and replaying the events rebuilds the book.
    #[test]
    fn invariants_hold(rules in strategies::booking_rules(), script in script(), overlapping: bool, credits: bool) {
        let run = run(&rules, setup(overlapping, credits), &script)?;
        let replayed = run.log.iter().fold(Book::default(), |b, e| b.apply(e));
        prop_assert_eq!(&replayed, &run.book);
        prop_assert_eq!(run.book.version, run.log.len() as u64);
        prop_assert_eq!(Book::from_json(&run.book.to_json()).unwrap(), run.book);
    }

    /// Where nothing can make promotion skip a member (no limits, no
    /// overlaps, no credits, parties of one, no capacity changes), seats go
    /// to the waitlist strictly in its order, and the waitlist stays in
    /// arrival order (tier, then arrival, under tier priority).
    #[test]
    fn promotion_follows_the_waitlist(mut rules in strategies::booking_rules(), script in script()) {
        let policy = rules.policies.get_mut("default").unwrap();
        policy.max_party = 1;
        rules.limits = Default::default();
        rules.strikes = None;
        let script: Vec<_> = script
            .into_iter()
            .filter(|(_, c)| !matches!(c, Command::ChangeCapacity { .. }))
            .map(|(m, c)| match c {
                Command::Book { session, member, .. } => (m, Command::Book { session, member, party: 1 }),
                Command::JoinWaitlist { session, member, .. } => (m, Command::JoinWaitlist { session, member, party: 1 }),
                other => (m, other),
            })
            .collect();
        let priority = rules.policies["default"].priority;
        let run = run(&rules, setup(false, false), &script)?;
        for (before, command, events) in &run.steps {
            for (id, session) in &before.sessions {
                let gone: HashSet<&str> = events.iter().filter_map(|e| match e {
                    Event::OfferExpired { session: s, member, .. }
                    | Event::OfferDeclined { session: s, member, .. }
                    | Event::LeftWaitlist { session: s, member, .. }
                    | Event::Released { session: s, member, .. } if s == id => Some(member.as_str()),
                    _ => None,
                }).collect();
                let served: Vec<&str> = events.iter().filter_map(|e| match e {
                    Event::Promoted { session: s, member, .. } if s == id && !matches!(command, Command::AcceptOffer { .. }) => Some(member.as_str()),
                    Event::OfferMade { session: s, member, .. } if s == id => Some(member.as_str()),
                    _ => None,
                }).collect();
                let eligible = session.waitlist.iter()
                    .filter(|e| e.offer.is_none() && !gone.contains(e.member.as_str()))
                    .filter(|e| before.members[&e.member].locked_until.is_none())
                    .map(|e| e.member.as_str());
                let expected: Vec<&str> = eligible.take(served.len()).collect();
                prop_assert_eq!(&served, &expected, "{} after {:?}", id, command);
            }
        }
        for session in run.book.sessions.values() {
            let keys: Vec<_> = session.waitlist.iter().map(|e| match priority {
                Priority::Arrival => (0, e.at),
                Priority::Tier => (u8::MAX - e.tier, e.at),
            }).collect();
            prop_assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{}: waitlist out of order", session.spec.id);
        }
    }
}
