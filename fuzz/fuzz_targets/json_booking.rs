//! Booking rules, commands, events, books, eligibilities, sessions and
//! packs from any text: errors, never panics; accepted values survive their
//! JSON form; a command decided against a parsed book and rules never
//! panics, and its events applied raise the version by their count.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memberkit::booking::{
    Book, Command, Eligibility, PackSpec, Rules, SessionSpec, decide, events_from_json,
    events_to_json,
};
use memberkit::json::to_json;
use memberkit_fuzz::check::{round_trips, version_grew};

fuzz_target!(|data: &[u8]| {
    let Some(text) = memberkit_fuzz::text(data) else {
        return;
    };
    // Up to three documents separated by NUL: book, rules, command.
    let mut parts = text.splitn(3, '\0');
    let (first, second, third) = (parts.next().unwrap_or(""), parts.next(), parts.next());
    if let Ok(rules) = Rules::from_json(first) {
        round_trips("booking rules", &rules, Rules::to_json, Rules::from_json);
    }
    if let Ok(command) = Command::from_json(first) {
        round_trips("booking command", &command, to_json, Command::from_json);
    }
    if let Ok(events) = events_from_json(first) {
        round_trips(
            "booking events",
            &events,
            |e| events_to_json(e),
            events_from_json,
        );
    }
    if let Ok(eligibility) = Eligibility::from_json(first) {
        round_trips("eligibility", &eligibility, to_json, Eligibility::from_json);
    }
    if let Ok(session) = SessionSpec::from_json(first) {
        round_trips("session", &session, to_json, SessionSpec::from_json);
    }
    if let Ok(pack) = PackSpec::from_json(first) {
        round_trips("pack", &pack, to_json, PackSpec::from_json);
    }
    let Ok(book) = Book::from_json(first) else {
        return;
    };
    round_trips("book", &book, Book::to_json, Book::from_json);
    let (Some(rules), Some(command)) = (
        second.and_then(|r| Rules::from_json(r).ok()),
        third.and_then(|c| Command::from_json(c).ok()),
    ) else {
        return;
    };
    let at = book.as_of.unwrap_or_else(memberkit_fuzz::booking::base);
    if let Ok(events) = decide(&book, &rules, &command, at) {
        let before = book.version;
        let after = events.iter().fold(book, |b, e| b.apply(e));
        version_grew("booking", before, after.version, events.len());
    }
});
