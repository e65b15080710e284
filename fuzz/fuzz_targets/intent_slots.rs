//! Slot extraction and masking of any text against any day, and member
//! number patterns from the input: never panics; slots lie on character
//! boundaries of the message, in order and apart; a date found prints as a
//! date the library parses; C gives the same slots as Rust.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memberkit::calendar::{NaiveDate, parse_date};
use memberkit::intent::slots::{SlotExtractor, SlotValue};
use memberkit_fuzz::c::{call, cstring, date};
use std::sync::OnceLock;

fn extractor() -> &'static SlotExtractor {
    static SLOTS: OnceLock<SlotExtractor> = OnceLock::new();
    SLOTS.get_or_init(SlotExtractor::default)
}

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let Some(text) = memberkit_fuzz::text(rest) else {
        return;
    };
    // Days near both ends of what the library parses (0000-01-01 to
    // 9999-12-31), of what chrono holds, and around today's.
    let offset = chrono::Duration::days(i64::from(u16::from_le_bytes(*head) % 2048));
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a valid date");
    let today = match head[0] % 8 {
        0 => ymd(0, 1, 1) + offset,
        1 => ymd(9999, 12, 31) - offset,
        2 => NaiveDate::MIN + offset,
        3 => NaiveDate::MAX - offset,
        _ => ymd(2026, 5, 1) + offset,
    };
    let (message, pattern) = text.split_once('\0').unwrap_or((text, ""));
    let slots = extractor().extract(message, today);
    let mut end = 0;
    for slot in &slots {
        assert!(
            slot.start >= end && slot.start <= slot.end && slot.end <= message.len(),
            "{slots:?}"
        );
        assert!(
            message.is_char_boundary(slot.start) && message.is_char_boundary(slot.end),
            "{slots:?}"
        );
        end = slot.end;
        // Relative dates near the parser's edges once left its range
        // (fuzz/FINDINGS.md F-2): every date a slot holds prints as one it reads.
        if let SlotValue::Date(day) | SlotValue::Month(day) | SlotValue::MonthEnd(day) = &slot.value
        {
            let printed = day.format("%Y-%m-%d").to_string();
            assert!(
                parse_date(&printed).is_ok(),
                "slot date {printed} does not parse (today {today})"
            );
        }
    }
    let _ = extractor().mask(message);
    if let Ok(day) = memberkit::calendar::date(
        chrono::Datelike::year(&today),
        chrono::Datelike::month(&today),
        chrono::Datelike::day(&today),
    ) {
        if let Some(c_text) = cstring(message) {
            let c = call(|out| unsafe {
                memberkit_ffi::mk_intent_extract_slots(c_text.as_ptr(), date(day), out)
            });
            assert_eq!(
                c.expect("C extracts slots"),
                memberkit::json::to_json(&slots)
            );
        }
    }
    // Compiling an extractor compiles a dozen patterns: only now and then.
    if !pattern.is_empty()
        && head[1] % 8 == 0
        && let Ok(custom) = SlotExtractor::with_member_number_pattern(pattern)
    {
        let _ = custom.extract(message, today);
        let _ = custom.mask(message);
    }
});
