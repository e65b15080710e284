//! The assistant as a host meets it: settings refused by name, the host's
//! own texts, handovers that stay handed over, inquiries answered by the
//! host once identity is verified, and unsure turns.

use memberkit::ErrorKind;
use memberkit::calendar::date;
use memberkit::chat::{Assistant, ChatConfig, ChatError, ChatState, Goal, Member, Step};
use memberkit::intent::HandoverReason;

mod chat_support;
use chat_support::fixture;

fn talk(bot: &Assistant, members: &[Member], messages: &[&str]) -> Vec<memberkit::chat::Reply> {
    let today = date(2026, 5, 6).unwrap();
    let mut state = ChatState::default();
    let mut replies = Vec::new();
    for message in messages {
        let reply = bot.turn(&state, message, today, |n| {
            members
                .iter()
                .find(|m| m.identity.member_number == n)
                .cloned()
        });
        state = reply.state.clone();
        replies.push(reply);
    }
    replies
}

#[test]
fn bad_settings_are_refused_by_name() {
    for (json, path) in [
        (
            r#"{"verification": {"steps": [["email"]]}}"#,
            "verification.steps[0]",
        ),
        (
            r#"{"verification": {"steps": [["member_number"], []]}}"#,
            "verification.steps[1]",
        ),
        (r#"{"answers": {"pause": "billing"}}"#, "answers.pause"),
        (
            r#"{"templates": {"en": {"nope": "x"}}}"#,
            "templates.en.nope",
        ),
        (
            r#"{"templates": {"en": {"verified": "{unclosed"}}}"#,
            "templates.en.verified",
        ),
        (r#"{"retention": "often"}"#, "retention"),
    ] {
        let err = ChatConfig::from_json(json).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidConfig, "{json}");
        let ChatError::InvalidConfig { path: got, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(got, path, "{json}: {err}");
    }
    let err = Member::from_json(r#"{"identity": {}}"#).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidJson);
    assert!(err.to_string().contains("member_number"), "{err}");
    assert!(ChatState::from_json("{\"turns\": 1}").is_err());
    assert_eq!(ChatState::from_json("null").unwrap(), ChatState::default());
}

#[test]
fn a_hosts_own_texts_replace_the_built_in_ones() {
    let config = ChatConfig::from_json(
        r#"{"templates": {"ja": {"ask_member_number": "会員証の番号をお願いします"}}}"#,
    )
    .unwrap();
    let (bot, members) = fixture(config);
    let replies = talk(&bot, &members, &["退会したいです"]);
    assert_eq!(replies[0].text, "会員証の番号をお願いします");
}

#[test]
fn a_handover_stays_handed_over() {
    let (bot, members) = fixture(ChatConfig::default());
    let replies = talk(&bot, &members, &["担当者と話したいです", "営業時間は？"]);
    for reply in &replies {
        assert!(
            matches!(
                reply.step,
                Step::Handover {
                    reason: HandoverReason::Asked,
                    ..
                }
            ),
            "{:?}",
            reply.step
        );
    }
    assert_eq!(replies[1].state.handed_over, Some(HandoverReason::Asked));
}

#[test]
fn inquiries_that_need_identity_go_to_the_host_once_verified() {
    let (bot, members) = fixture(ChatConfig::default());
    let replies = talk(
        &bot,
        &members,
        &[
            "登録している住所を変更したい",
            "会員番号1000001、メールはhanako@example.jpです",
        ],
    );
    assert!(matches!(replies[0].step, Step::AskIdentity { .. }));
    assert_eq!(
        replies[0].state.task.as_ref().map(|t| &t.goal),
        Some(&Goal::Host("update_profile".into()))
    );
    let Step::Answer { about } = &replies[1].step else {
        panic!("{:?}", replies[1].step)
    };
    assert_eq!(about, "update_profile");
    assert_eq!(replies[1].text, "ご本人様を確認しました。");
    assert!(replies[1].state.task.is_none());
}

#[test]
fn unsure_turns_clarify_then_hand_over() {
    let config = ChatConfig::from_json(r#"{"router": {"clarify_below": 1.0}}"#).unwrap();
    let (bot, members) = fixture(config);
    let replies = talk(&bot, &members, &["予約について", "うーん"]);
    assert!(matches!(&replies[0].step, Step::Clarify { choices } if choices.len() == 3));
    assert!(matches!(
        replies[1].step,
        Step::Handover {
            reason: HandoverReason::Unsure,
            ..
        }
    ));
}

#[test]
fn the_language_follows_the_member_not_their_details() {
    let (bot, members) = fixture(ChatConfig::default());
    let replies = talk(
        &bot,
        &members,
        &["what plan am I on?", "会員番号1000001", "hanako@example.jp"],
    );
    assert_eq!(
        replies[0].text,
        "To confirm it's you, please tell me your member number."
    );
    // 会員番号 is Japanese; an email alone says nothing about the language.
    assert!(replies[1].text.starts_with("続いて"), "{}", replies[1].text);
    assert!(
        replies[2].text.starts_with("ご本人様を確認しました。"),
        "{}",
        replies[2].text
    );
    assert!(
        replies[2].text.contains("プラン：Regular（8,800円）"),
        "{}",
        replies[2].text
    );
}

#[test]
fn a_proposal_is_checked_again_on_the_state_the_host_passes() {
    let (bot, members) = fixture(ChatConfig::default());
    let today = date(2026, 5, 6).unwrap();
    let verified = ChatState::verified("1000001");
    let member = &members[0];
    let proposed = bot.reply(
        bot.read(&verified, "7月から2ヶ月休会したい", today),
        Some(member),
    );
    assert!(
        matches!(proposed.step, Step::Confirm { .. }),
        "{:?}",
        proposed.step
    );
    // Meanwhile staff planned another pause: the yes gets a new proposal, never a refused command.
    let mut changed = member.clone();
    let staff = memberkit::membership::Command::Pause {
        from: date(2026, 6, 1).unwrap(),
        until: date(2026, 7, 1).unwrap(),
    };
    let events =
        memberkit::membership::decide(&changed.state(), &bot.club().catalog, &staff, today)
            .unwrap();
    changed.membership.extend(events);
    let yes = bot.reply(bot.read(&proposed.state, "はい", today), Some(&changed));
    assert!(matches!(yes.step, Step::Refused { .. }), "{:?}", yes.step);
}

#[test]
fn bookings_and_waitlist_places_are_answered_from_the_book() {
    use memberkit::booking::{Book, Command, Eligibility, Rules, SessionSpec};
    let (bot, members) = fixture(ChatConfig::default());
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    let session = |id: &str, start: &str, capacity| SessionSpec {
        id: id.into(),
        start: at(start),
        end: at(start) + chrono::Duration::hours(1),
        capacity,
        waitlist_limit: None,
        policy: "default".into(),
        credits: 0,
        tags: vec![],
    };
    let (rules, mut book) = (Rules::default(), Book::default());
    let now = at("2026-05-06T09:00:00+09:00");
    let mut run = |command: Command| book.execute(&rules, &command, now).unwrap();
    run(Command::ScheduleSession {
        session: session("yoga-0508", "2026-05-08T10:00:00+09:00", 5),
    });
    run(Command::ScheduleSession {
        session: session("spin-0509", "2026-05-09T19:00:00+09:00", 1),
    });
    for member in ["1000001", "other"] {
        let eligibility = Eligibility {
            membership: Some(date(2026, 4, 1).unwrap().into()),
            ..Eligibility::default()
        };
        run(Command::SetMember {
            member: member.into(),
            eligibility,
        });
    }
    run(Command::Book {
        session: "spin-0509".into(),
        member: "other".into(),
        party: 1,
    });
    run(Command::Book {
        session: "yoga-0508".into(),
        member: "1000001".into(),
        party: 1,
    });
    run(Command::JoinWaitlist {
        session: "spin-0509".into(),
        member: "1000001".into(),
        party: 1,
    });
    let today = date(2026, 5, 6).unwrap();
    let state = ChatState::verified("1000001");
    let reading = bot.read(&state, "キャンセル待ちは何番目ですか", today);
    assert_eq!(reading.intent(), "waitlist");
    let bookings = memberkit::chat::Bookings {
        book: &book,
        rules: &rules,
        now,
    };
    let reply = bot.reply_with(reading, Some(&members[0]), Some(bookings));
    assert_eq!(
        reply.text,
        "ご予約：yoga-0508（5月8日 10:00）\nキャンセル待ち：spin-0509（5月9日 19:00、1番目）"
    );
    // Without the book, the host answers.
    let reading = bot.read(&state, "キャンセル待ちは何番目ですか", today);
    let reply = bot.reply(reading, Some(&members[0]));
    assert!(
        matches!(&reply.step, Step::Answer { about } if about == "waitlist"),
        "{:?}",
        reply.step
    );
}
