//! Booking across capabilities and threads: a member refused while dunning
//! restricts them and accepted once they pay; a shared book driven from 8
//! threads never oversells; when the next thing is due.

use memberkit::booking::{
    Book, BookingError, CancelledBy, Command, Eligibility, Event, Rules, SessionSpec, SharedBook,
    decide,
};
use memberkit::calendar::date;
use memberkit::dunning::{self, Decline, Policy};
use memberkit::membership::{Catalog, Command as MembershipCommand, Membership};
use memberkit::money::{Currency, Money};
use std::collections::HashSet;

fn at(s: &str) -> memberkit::booking::Instant {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

fn session(id: &str, start: &str, capacity: u32) -> SessionSpec {
    SessionSpec {
        id: id.into(),
        start: at(start),
        end: at(start) + chrono::Duration::hours(1),
        capacity,
        waitlist_limit: None,
        policy: "default".into(),
        credits: 0,
        tags: vec![],
    }
}

#[test]
fn dunning_restriction_refuses_then_payment_lifts_it() {
    let catalog = Catalog::from_json(
        r#"[{"id": "regular", "name": "Regular", "price": {"amount": "8800", "currency": "JPY"},
            "interval": {"unit": "month", "count": 1}}]"#,
    )
    .unwrap();
    let join = MembershipCommand::Join {
        plan: "regular".into(),
        start: date(2026, 4, 1).unwrap(),
        trial: false,
    };
    let member = memberkit::membership::decide(
        &Membership::default(),
        &catalog,
        &join,
        date(2026, 4, 1).unwrap(),
    )
    .unwrap()
    .iter()
    .fold(Membership::default(), |m, e| m.apply(e));
    let policy = Policy::from_json(
        r#"{"currency": "JPY", "steps": [{"day": 0, "action": "restrict", "restriction": "no_new_bookings"}]}"#,
    )
    .unwrap();
    let yen = Money::from_minor(8_800, Currency::JPY);
    let mut account = dunning::Receivables::default();
    for (command, on) in [
        (
            dunning::Command::InvoiceIssued {
                invoice: "m-1".into(),
                amount: yen,
                due: date(2026, 6, 1).unwrap(),
            },
            1,
        ),
        (
            dunning::Command::PaymentFailed {
                invoice: "m-1".into(),
                amount: yen,
                decline: Decline::Soft,
                code: None,
            },
            1,
        ),
    ] {
        for event in
            dunning::decide(&account, &policy, &command, date(2026, 6, on).unwrap()).unwrap()
        {
            account.apply_mut(&event);
        }
    }
    assert!(account.is_restricted("no_new_bookings"));

    let rules = Rules::default();
    let mut book = Book::default();
    let now = at("2026-06-02T09:00:00+09:00");
    book.execute(
        &rules,
        &Command::ScheduleSession {
            session: session("yoga", "2026-06-05T10:00:00+09:00", 10),
        },
        now,
    )
    .unwrap();
    let eligibility = Eligibility::from_records(&member, &catalog, Some(&account)).unwrap();
    book.execute(
        &rules,
        &Command::SetMember {
            member: "aiko".into(),
            eligibility,
        },
        now,
    )
    .unwrap();
    let book_seat = Command::Book {
        session: "yoga".into(),
        member: "aiko".into(),
        party: 1,
    };
    assert_eq!(
        book.execute(&rules, &book_seat, now),
        Err(BookingError::Restricted {
            member: "aiko".into(),
            restriction: "no_new_bookings".into()
        })
    );

    let paid = dunning::Command::PaymentSucceeded {
        payment: "pay-1".into(),
        invoice: "m-1".into(),
        amount: yen,
    };
    for event in dunning::decide(&account, &policy, &paid, date(2026, 6, 2).unwrap()).unwrap() {
        account.apply_mut(&event);
    }
    let eligibility = Eligibility::from_records(&member, &catalog, Some(&account)).unwrap();
    book.execute(
        &rules,
        &Command::SetMember {
            member: "aiko".into(),
            eligibility,
        },
        now,
    )
    .unwrap();
    let events = book.execute(&rules, &book_seat, now).unwrap();
    assert!(matches!(&events[..], [Event::Booked { member, .. }] if member == "aiko"));
}

#[test]
fn shared_book_from_eight_threads_never_oversells() {
    let rules =
        Rules::from_json(r#"{"policies": {"default": {"opens_days_before": null}}}"#).unwrap();
    let shared = SharedBook::new(rules, Book::default());
    let now = at("2026-06-01T09:00:00+09:00");
    let sessions = ["s0", "s1", "s2"];
    for (i, id) in sessions.iter().enumerate() {
        let start = format!("2026-06-10T{:02}:00:00+09:00", 10 + 2 * i);
        shared
            .execute(
                &Command::ScheduleSession {
                    session: session(id, &start, 3),
                },
                now,
            )
            .unwrap();
    }
    let members: Vec<String> = (0..24).map(|m| format!("m{m}")).collect();
    for m in &members {
        let eligibility = Eligibility {
            membership: Some(date(2026, 4, 1).unwrap().into()),
            ..Eligibility::default()
        };
        shared
            .execute(
                &Command::SetMember {
                    member: m.as_str().into(),
                    eligibility,
                },
                now,
            )
            .unwrap();
    }
    let accepted = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for t in 0..8_u64 {
            let (shared, members, accepted) = (&shared, &members, &accepted);
            scope.spawn(move || {
                // A small xorshift per thread: random commands, reproducible.
                let mut x = 0x9E37_79B9_7F4A_7C15_u64 ^ (t + 1);
                let mut next = |n: usize| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x % n as u64) as usize
                };
                for _ in 0..2_000 {
                    let session = sessions[next(3)].into();
                    let member = members[next(24)].as_str().into();
                    let command = match next(4) {
                        0 | 1 => Command::Book {
                            session,
                            member,
                            party: 1,
                        },
                        2 => Command::JoinWaitlist {
                            session,
                            member,
                            party: 1,
                        },
                        _ => Command::Cancel {
                            session,
                            member,
                            by: CancelledBy::Member,
                        },
                    };
                    if let Ok(events) = shared.execute(&command, now) {
                        accepted.lock().unwrap().extend(events);
                    }
                }
            });
        }
    });
    let book = shared.snapshot();
    for s in book.sessions.values() {
        assert!(s.taken() <= s.spec.capacity);
        let seated: HashSet<_> = s.seats.iter().map(|x| &x.member).collect();
        assert_eq!(seated.len(), s.seats.len(), "a member holds two seats");
        assert!(
            s.waitlist.windows(2).all(|w| w[0].at <= w[1].at),
            "waitlist out of arrival order"
        );
    }
    // Each event a thread was given was applied once: none lost, none twice.
    assert_eq!(
        book.version as usize,
        accepted.lock().unwrap().len() + 3 + 24
    );
}

#[test]
fn next_due_names_the_earliest_pending_instant() {
    let rules = Rules::default();
    let mut book = Book::default();
    let now = at("2026-06-01T09:00:00+09:00");
    assert_eq!(book.next_due(&rules), None);
    book.execute(
        &rules,
        &Command::ScheduleSession {
            session: session("yoga", "2026-06-05T10:00:00+09:00", 1),
        },
        now,
    )
    .unwrap();
    // Nobody waits, so the cutoff (60 minutes before) is nothing to do: the
    // no-show mark 15 minutes after the start is next.
    assert_eq!(book.next_due(&rules), Some(at("2026-06-05T10:15:00+09:00")));
    let book_seat = Command::Book {
        session: "yoga".into(),
        member: "aiko".into(),
        party: 1,
    };
    let eligibility = Eligibility {
        membership: Some(date(2026, 4, 1).unwrap().into()),
        ..Eligibility::default()
    };
    for member in ["aiko", "ben"] {
        book.execute(
            &rules,
            &Command::SetMember {
                member: member.into(),
                eligibility: eligibility.clone(),
            },
            now,
        )
        .unwrap();
    }
    book.execute(&rules, &book_seat, now).unwrap();
    book.execute(
        &rules,
        &Command::JoinWaitlist {
            session: "yoga".into(),
            member: "ben".into(),
            party: 1,
        },
        now,
    )
    .unwrap();
    assert_eq!(book.next_due(&rules), Some(at("2026-06-05T09:00:00+09:00")));
    // A host advancing at each next_due instant reaches the end.
    while let Some(due) = book.next_due(&rules) {
        assert!(
            !book
                .execute(&rules, &Command::Advance, due)
                .unwrap()
                .is_empty(),
            "nothing done at {due}"
        );
    }
    let yoga = &book.sessions["yoga"];
    assert!(yoga.waitlist_closed && yoga.attendance_closed);
    assert_eq!(
        decide(
            &book,
            &rules,
            &Command::Advance,
            at("2026-06-05T10:16:00+09:00")
        )
        .unwrap(),
        []
    );
    assert_eq!(
        decide(
            &book,
            &rules,
            &Command::Advance,
            at("2026-06-05T10:16:00+09:00")
        )
        .unwrap(),
        []
    );
}

#[test]
fn rules_and_commands_name_their_bad_fields() {
    let err = Rules::from_json(
        r#"{"policies": {"default": {"promotion": {"mode": "offer", "hold_minutes": 0}}}}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid booking rules at policies.default.promotion.hold_minutes: must be between 1 and 5270400, got 0"
    );
    let err = Rules::from_json(r#"{"limits": {"per_day": 0}}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid booking rules at limits.per_day: must be at least 1 (leave it out for no limit)"
    );
    let err =
        Command::from_json(r#"{"type": "book", "session": "yoga", "member": "m", "party": -1}"#)
            .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid booking command JSON: invalid value: integer `-1`, expected u32"
    );
    let rules = Rules::default();
    let mut bad = session("yoga", "2026-06-05T10:00:00+09:00", 0);
    let err = decide(
        &Book::default(),
        &rules,
        &Command::ScheduleSession {
            session: bad.clone(),
        },
        at("2026-06-01T09:00:00+09:00"),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid session \"yoga\": capacity must be between 1 and 100000, got 0"
    );
    bad.capacity = 1;
    bad.policy = "missing".into();
    let err = decide(
        &Book::default(),
        &rules,
        &Command::ScheduleSession { session: bad },
        at("2026-06-01T09:00:00+09:00"),
    )
    .unwrap_err();
    assert_eq!(
        err,
        BookingError::UnknownPolicy {
            policy: "missing".into()
        }
    );
}

#[test]
fn an_empty_book_reads_from_empty_json() {
    assert_eq!(Book::from_json("{}").unwrap(), Book::default());
    let book = Book::from_json(
        r#"{"sessions": {"yoga": {"spec": {"id": "yoga", "capacity": 1,
            "start": "2026-06-10T10:00:00+09:00", "end": "2026-06-10T11:00:00+09:00"}}},
           "members": {"aiko": {}}}"#,
    )
    .unwrap();
    assert_eq!(book.sessions["yoga"].free(), 1);
    assert_eq!(book.members["aiko"], memberkit::booking::Member::default());
}

#[test]
fn a_books_json_lists_sessions_and_members_in_id_order() {
    let rules = Rules::default();
    let now = at("2026-06-01T09:00:00+09:00");
    let mut book = Book::default();
    let ids = ["zen", "aiko", "mika", "ban", "yoga-2", "yoga-10"];
    for id in ids {
        let spec = session(id, "2026-06-10T10:00:00+09:00", 1);
        book.execute(&rules, &Command::ScheduleSession { session: spec }, now)
            .unwrap();
        let member = Command::SetMember {
            member: id.into(),
            eligibility: Eligibility::default(),
        };
        book.execute(&rules, &member, now).unwrap();
    }
    let json = book.to_json();
    let mut sorted = ids;
    sorted.sort_unstable();
    for table in ["\"sessions\"", "\"members\""] {
        let rest = &json[json.find(table).unwrap()..];
        let places: Vec<usize> = sorted
            .iter()
            .map(|id| rest.find(&format!("\"{id}\":")).unwrap())
            .collect();
        assert!(places.is_sorted(), "{table} not in id order: {json}");
    }
    let read = Book::from_json(&json).unwrap();
    assert_eq!(read, book);
    assert_eq!(read.to_json(), json);
}
