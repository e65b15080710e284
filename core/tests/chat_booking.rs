//! The booking procedures: a class named by the member's words (a class
//! name, a day, a time), booked after a dry run on the book, a full class
//! offered as its waitlist, a booking cancelled with the late-cancel rule
//! shown, a choice asked when several sessions fit.

use memberkit::booking::{
    Book, CancelledBy, Command, Eligibility, Instant, PackSpec, Rules, SessionSpec,
};
use memberkit::calendar::date;
use memberkit::chat::{
    Assistant, Bookings, ChatConfig, ChatState, Club, Detail, Fact, Identity, Member, Request, Step,
};
use memberkit::intent::default_model;

fn at(s: &str) -> Instant {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

struct Studio {
    bot: Assistant,
    book: Book,
    rules: Rules,
    member: Member,
}

const NOW: &str = "2026-05-06T09:00:00+09:00";

fn studio() -> Studio {
    let club = Club::from_json(
        r#"{"catalog": [{"id": "regular", "name": "Regular",
            "price": {"amount": "8800", "currency": "JPY"}, "interval": {"unit": "month", "count": 1}}],
            "names": [{"list": "class", "id": "yoga", "names": ["ヨガ", "yoga"]},
                      {"list": "class", "id": "spin", "names": ["スピン", "spin"]}]}"#,
    )
    .unwrap();
    let rules =
        Rules::from_json(r#"{"policies": {"default": {"late_cancel_minutes_before": 720}}}"#)
            .unwrap();
    let bot = Assistant::new(default_model().unwrap(), club, ChatConfig::default()).unwrap();
    let session = |id: &str, start: &str, capacity| SessionSpec {
        id: id.into(),
        start: at(start),
        end: at(start) + chrono::Duration::hours(1),
        capacity,
        waitlist_limit: None,
        policy: "default".into(),
        credits: 1,
        tags: vec![],
    };
    let mut book = Book::default();
    let now = at(NOW);
    let mut run = |command: Command| {
        book.execute(&rules, &command, now).unwrap();
    };
    run(Command::ScheduleSession {
        session: session("yoga-0507-10", "2026-05-07T10:00:00+09:00", 5),
    });
    run(Command::ScheduleSession {
        session: session("yoga-0507-19", "2026-05-07T19:00:00+09:00", 5),
    });
    run(Command::ScheduleSession {
        session: session("spin-0508-19", "2026-05-08T19:00:00+09:00", 1),
    });
    for member in ["1000001", "other"] {
        run(Command::SetMember {
            member: member.into(),
            eligibility: Eligibility::default(),
        });
        let pack = PackSpec {
            id: format!("{member}-10x").into(),
            credits: 10,
            expires: at("2026-08-01T00:00:00+09:00"),
            valid_for: vec![],
        };
        run(Command::AddPack {
            member: member.into(),
            pack,
        });
    }
    run(Command::Book {
        session: "spin-0508-19".into(),
        member: "other".into(),
        party: 1,
    });
    let member = Member::new(Identity {
        member_number: "1000001".into(),
        email: Some("hanako@example.jp".into()),
        phone: None,
        birth_date: None,
    });
    Studio {
        bot,
        book,
        rules,
        member,
    }
}

fn say(studio: &Studio, state: &ChatState, message: &str, now: &str) -> memberkit::chat::Reply {
    let reading = studio.bot.read(state, message, date(2026, 5, 6).unwrap());
    let bookings = Bookings {
        book: &studio.book,
        rules: &studio.rules,
        now: at(now),
    };
    studio
        .bot
        .reply_with(reading, Some(&studio.member), Some(bookings))
}

#[test]
fn books_the_class_the_member_names_and_hands_the_command_over() {
    let studio = studio();
    let state = ChatState::verified("1000001");
    let reply = say(&studio, &state, "明日10時のヨガを予約したい", NOW);
    let Step::Confirm {
        command,
        facts,
        version,
        ..
    } = &reply.step
    else {
        panic!("{:?}", reply.step)
    };
    let expected = Command::Book {
        session: "yoga-0507-10".into(),
        member: "1000001".into(),
        party: 1,
    };
    assert_eq!(command, &Request::Booking(expected.clone()));
    assert_eq!(*version, studio.book.version);
    assert!(
        facts.contains(&Fact::CreditsUsed { credits: 1 }),
        "{facts:?}"
    );
    assert!(
        reply
            .text
            .starts_with("yoga-0507-10（5月7日 10:00）を予約します。"),
        "{}",
        reply.text
    );
    let yes = say(&studio, &reply.state, "はい", NOW);
    assert_eq!(
        yes.step,
        Step::Confirmed {
            procedure: memberkit::chat::Procedure::Book,
            command: Request::Booking(expected.clone()),
            version: studio.book.version,
        }
    );
    // The host executes it: the decider accepts it on the book as it is.
    let mut book = studio.book.clone();
    assert!(book.execute(&studio.rules, &expected, at(NOW)).is_ok());
}

#[test]
fn a_full_class_is_offered_as_its_waitlist() {
    let studio = studio();
    let reply = say(
        &studio,
        &ChatState::verified("1000001"),
        "spin class on may 8 at 7pm, please book it",
        NOW,
    );
    let Step::Refused {
        code,
        alternative: Some(alternative),
        ..
    } = &reply.step
    else {
        panic!("{:?} {}", reply.step, reply.text)
    };
    assert_eq!(*code, "full");
    let waitlist = Command::JoinWaitlist {
        session: "spin-0508-19".into(),
        member: "1000001".into(),
        party: 1,
    };
    assert_eq!(alternative.command, Request::Booking(waitlist.clone()));
    assert!(
        alternative
            .facts
            .contains(&Fact::WaitlistPosition { position: 1 })
    );
    assert!(reply.text.contains("That class is full."), "{}", reply.text);
    let yes = say(&studio, &reply.state, "yes", NOW);
    assert!(
        matches!(&yes.step, Step::Confirmed { command, .. } if *command == Request::Booking(waitlist.clone()))
    );
}

#[test]
fn several_sessions_fit_so_the_member_chooses() {
    let studio = studio();
    let reply = say(
        &studio,
        &ChatState::verified("1000001"),
        "明日のヨガを予約したい",
        NOW,
    );
    let Step::AskDetail {
        detail: Detail::Session { choices, .. },
        ..
    } = &reply.step
    else {
        panic!("{:?}", reply.step)
    };
    let ids: Vec<&str> = choices.iter().map(|c| c.session.as_str()).collect();
    assert_eq!(ids, ["yoga-0507-10", "yoga-0507-19"]);
    let evening = say(&studio, &reply.state, "19時のにします", NOW);
    assert!(
        matches!(&evening.step, Step::Confirm { command: Request::Booking(Command::Book { session, .. }), .. } if session == "yoga-0507-19"),
        "{:?}",
        evening.step
    );
}

#[test]
fn a_late_cancel_shows_what_it_costs() {
    let mut studio = studio();
    let book = Command::Book {
        session: "yoga-0507-10".into(),
        member: "1000001".into(),
        party: 1,
    };
    studio.book.execute(&studio.rules, &book, at(NOW)).unwrap();
    // Two hours before the class: inside the 12-hour window.
    let late = "2026-05-07T08:00:00+09:00";
    let reply = say(
        &studio,
        &ChatState::verified("1000001"),
        "ヨガの予約をキャンセルしたい",
        late,
    );
    let Step::Confirm { command, facts, .. } = &reply.step else {
        panic!("{:?}", reply.step)
    };
    let cancel = Command::Cancel {
        session: "yoga-0507-10".into(),
        member: "1000001".into(),
        by: CancelledBy::Member,
    };
    assert_eq!(command, &Request::Booking(cancel));
    assert!(
        facts.contains(&Fact::CreditsForfeited { credits: 1 }),
        "{facts:?}"
    );
    assert!(
        reply.text.contains("回数券1回分は戻りません"),
        "{}",
        reply.text
    );
}

#[test]
fn without_the_book_the_host_answers() {
    let studio = studio();
    let reading = studio.bot.read(
        &ChatState::verified("1000001"),
        "明日10時のヨガを予約したい",
        date(2026, 5, 6).unwrap(),
    );
    let reply = studio.bot.reply(reading, Some(&studio.member));
    assert!(
        matches!(&reply.step, Step::Answer { about } if about == "book"),
        "{:?}",
        reply.step
    );
}
