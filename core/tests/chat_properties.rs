//! Properties of the assistant over random conversations built from a pool
//! of members' messages (requests, details, identity given rightly and
//! wrongly, yes and no, small talk), on the club of the chat vectors:
//!
//! - before verification no reply shows anything from the member's record
//!   and no step proposes or confirms a command;
//! - every confirmed command is accepted by the membership decider on the
//!   state it was proposed for, at the version the reply names;
//! - the stored state and the operators' summaries hold no email, phone
//!   number or full member number, but the claimed number itself.

use memberkit::calendar::date;
use memberkit::chat::{Assistant, ChatConfig, ChatState, Member, Request, Step};
use memberkit::membership::decide;
use proptest::prelude::*;
use serde_json::Value;
use std::sync::LazyLock;

mod chat_support;
use chat_support::fixture;

struct Fixture {
    bot: Assistant,
    members: Vec<Member>,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let (bot, members) = fixture(ChatConfig::default());
    Fixture { bot, members }
});

const MESSAGES: &[&str] = &[
    "6月から2ヶ月休会したい",
    "7月から1ヶ月休会したい",
    "休会したいです",
    "退会したいです",
    "5月末で退会します",
    "プランを変更したい",
    "ライトで",
    "今すぐ",
    "次回から",
    "来月から",
    "2ヶ月",
    "やっぱり7月から",
    "休会を早めに終わりにしたい",
    "次の引き落としはいつですか",
    "契約内容を確認したい",
    "はい",
    "いいえ",
    "土曜日は何時まで開いていますか",
    "うーん",
    "I want to cancel my membership",
    "pause from July for two months",
    "what plan am I on?",
    "the light plan",
    "now",
    "yes",
    "no",
    "会員番号1000001です",
    "会員番号1000001、メールはhanako@example.jpです",
    "hanako@example.jp",
    "会員番号1000001、メールはwrong@example.jp",
    "member number 1000002, email taro@example.com",
    "member number 1000003",
    "jiro@example.jp",
    "電話番号は090-1111-2222です",
    "my member number is 9999999",
];

fn personal(member: &Member) -> Vec<String> {
    let identity = &member.identity;
    let mut found = vec![identity.member_number.clone()];
    found.extend(identity.email.clone());
    found.extend(
        identity
            .phone
            .iter()
            .map(|p| p.chars().filter(char::is_ascii_digit).collect::<String>()),
    );
    found
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn verification_commands_and_masking(
        picks in proptest::collection::vec(0..MESSAGES.len(), 1..12),
        day in 1u32..28,
    ) {
        let fixture = &*FIXTURE;
        let today = date(2026, 5, day).unwrap();
        let lookup = |n: &str| fixture.members.iter().find(|m| m.identity.member_number == n);
        let mut state = ChatState::default();
        let mut said: Vec<String> = Vec::new();
        for &pick in &picks {
            let message = MESSAGES[pick];
            said.push(message.chars().filter(|c| !matches!(c, '-' | ' ')).collect());
            let reading = fixture.bot.read(&state, message, today);
            let member = reading.member_number().and_then(lookup);
            let reply = fixture.bot.reply(reading, member);
            if reply.state.identity.verified {
                // Verified only by the claimed member's own details.
                let claimed = reply.state.member_number().unwrap();
                let member = lookup(claimed);
                prop_assert!(member.is_some(), "verified as unknown {claimed}");
                let secrets = personal(member.unwrap());
                let given = |secret: &String| said.iter().any(|m| m.contains(secret.as_str()));
                prop_assert!(given(&secrets[0]) && secrets[1..].iter().any(given), "{said:?}");
            } else {
                let proposes = matches!(
                    reply.step,
                    Step::Confirm { .. }
                        | Step::Confirmed { .. }
                        | Step::Refused { .. }
                        | Step::Facts { .. }
                        | Step::OfferRetention { .. }
                        | Step::AskDetail { .. }
                );
                prop_assert!(!proposes, "{message}: {:?} before verification", reply.step);
                for private in ["8,800", "5,500", "Regular", "Light", "Premium", "550"] {
                    prop_assert!(!reply.text.contains(private), "{message}: {}", reply.text);
                }
            }
            if let Step::Confirmed { command: Request::Membership(command), version, .. } = &reply.step {
                let member = lookup(reply.state.member_number().unwrap()).unwrap();
                let current = member.state();
                prop_assert_eq!(*version, current.version);
                prop_assert!(
                    decide(&current, &fixture.bot.club().catalog, command, today).is_ok(),
                    "{:?} refused", command
                );
            }
            let mut stored: Value = serde_json::from_str(&reply.state.to_json()).unwrap();
            stored["identity"]["claimed"] = Value::Null;
            let stored = stored.to_string();
            let summary = match &reply.step {
                Step::Handover { summary, .. } => summary.clone(),
                _ => String::new(),
            };
            for member in &fixture.members {
                for private in personal(member) {
                    prop_assert!(!stored.contains(&private), "state holds {private}: {stored}");
                    prop_assert!(!summary.contains(&private), "summary holds {private}: {summary}");
                }
            }
            state = reply.state;
        }
    }
}
