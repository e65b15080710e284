//! The members' chatbot from any text: a stored conversation state, the
//! member's message, the member's record and a club. Errors, never panics;
//! accepted states and members survive their JSON form; every turn of the
//! assistant (the chat vectors' club, the shipped model) answers with a
//! state that reads back to itself and a reply that is JSON; a club that
//! parses makes an assistant or is refused with an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memberkit::chat::{Assistant, ChatConfig, ChatState, Club, Member};
use memberkit::json::to_json;
use memberkit_fuzz::check::round_trips;
use std::sync::OnceLock;

/// The chat vectors' club and the shipped model, made once.
fn assistant() -> &'static (Assistant, memberkit::intent::Model) {
    static BOT: OnceLock<(Assistant, memberkit::intent::Model)> = OnceLock::new();
    BOT.get_or_init(|| {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/vectors/chat.json"))
                .expect("the chat vectors are JSON");
        let club = Club::from_json(&vectors["club"].to_string()).expect("the vectors' club");
        let model = memberkit::intent::default_model().expect("the shipped model");
        let bot = Assistant::new(model.clone(), club, ChatConfig::default()).expect("an assistant");
        (bot, model)
    })
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the day; the rest, up to four parts separated
    // by NUL: state, message, member, club.
    let Some((&day, rest)) = data.split_first() else {
        return;
    };
    let Some(text) = memberkit_fuzz::text(rest) else {
        return;
    };
    let mut parts = text.splitn(4, '\0');
    let (state, message, member, club) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next(),
        parts.next(),
    );
    let (bot, model) = assistant();
    let state = match ChatState::from_json(state) {
        Ok(state) => {
            round_trips(
                "chat state",
                &state,
                ChatState::to_json,
                ChatState::from_json,
            );
            state
        }
        Err(_) => ChatState::default(),
    };
    let member = member.and_then(|m| Member::from_json(m).ok());
    if let Some(member) = &member {
        round_trips("member", member, to_json, Member::from_json);
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date")
        + chrono::Days::new(u64::from(day) * 3);
    let reading = bot.read(&state, message, today);
    let reply = bot.reply(reading, member.as_ref());
    let stored = reply.state.to_json();
    assert_eq!(
        ChatState::from_json(&stored).as_ref(),
        Ok(&reply.state),
        "a reply's state reads back: {stored}"
    );
    serde_json::from_str::<serde_json::Value>(&reply.to_json()).expect("a reply is JSON");
    if let Some(Ok(club)) = club.map(Club::from_json) {
        let _ = Assistant::new(model.clone(), club, ChatConfig::default());
    }
});
