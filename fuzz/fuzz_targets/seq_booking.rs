//! Random booking rules, sessions, members and command scripts: deciding
//! never panics; applying a decision's events raises the version by their
//! count; replaying every event rebuilds the same book; books and
//! events survive JSON; views of every session and member can be asked for.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use memberkit::booking::{Book, decide, events_from_json, events_to_json};
use memberkit_fuzz::booking::{MEMBERS, SESSIONS, Step, base, rules, setup};
use memberkit_fuzz::check::{round_trips, version_grew};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(rules) = rules(&mut u) else { return };
    let Ok(setup) = setup(&mut u, &rules) else {
        return;
    };
    let (mut book, mut stored, mut at) = (Book::default(), Vec::new(), base());
    for command in &setup {
        let events = decide(&book, &rules, command, at).expect("the setup is accepted");
        events.iter().for_each(|e| book.apply_mut(e));
        stored.extend(events);
    }
    for _ in 0..48 {
        let Ok(step) = u.arbitrary::<Step>() else {
            break;
        };
        at = step.at(at);
        let Ok(events) = decide(&book, &rules, &step.command.command(), at) else {
            continue;
        };
        let before = book.version;
        book = events.iter().fold(book, |b, e| b.apply(e));
        version_grew("booking", before, book.version, events.len());
        stored.extend(events);
        for session in SESSIONS {
            let _ = book.session_view(session);
        }
        for member in MEMBERS {
            let _ = book.member_view(member, at);
        }
    }
    let rebuilt = stored.iter().fold(Book::default(), |b, e| b.apply(e));
    assert_eq!(rebuilt, book, "replaying the events gives another book");
    round_trips("book", &book, Book::to_json, Book::from_json);
    round_trips(
        "booking events",
        &stored,
        |e| events_to_json(e),
        events_from_json,
    );
});
