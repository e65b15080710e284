//! Every parser of outside input refuses bad input with an error, never a
//! panic: arbitrary text, and valid documents with one byte changed.
//! The cargo-fuzz targets in `fuzz/` search the same entry points far longer
//! (see fuzz/README.md); these property tests keep a quick check in `cargo test`.

use memberkit::billing::{AccountHistory, BillingAccount, BillingConfig};
use memberkit::calendar::parse_date;
use memberkit::membership::{Catalog, Command, Membership, Plan, events_from_json};
use proptest::prelude::*;

const PLAN: &str = r#"{"id": "regular", "name": "Regular", "price": {"amount": "8800", "currency": "JPY"},
 "interval": {"unit": "month", "count": 1}, "notice": {"kind": "day_of_month", "day": 10},
 "pause": {"min_months": 1, "max_months": 3, "max_per_year": 2, "monthly_fee": {"amount": "550", "currency": "JPY"}}}"#;
const COMMAND: &str = r#"{"type": "pause", "from": "2026-07-01", "until": "2026-09-01"}"#;
const EVENTS: &str = r#"[{"type": "joined", "on": "2026-04-01", "plan": "regular", "applied_on": "2026-04-01",
 "paid_from": "2026-04-01", "admission_fee": {"amount": "5500", "currency": "JPY"}, "rejoin": false}]"#;
const CONFIG: &str = r#"{"timing": "arrears", "first_period": {"kind": "table", "rows": [{"from_day": 1, "to_day": 10, "fraction": "2/3"}]},
 "collection": {"kind": "debit_day", "day": 27}, "holidays": ["2026-05-04"]}"#;

const BOOKING_RULES: &str = r#"{"policies": {"default": {"late_cancel_minutes_before": 720,
 "promotion": {"mode": "offer", "hold_minutes": 120}, "no_show": {"kind": "fee", "amount": {"amount": "1000", "currency": "JPY"}}}},
 "limits": {"per_day": 2}, "strikes": {"count": 3, "within_days": 30, "lock_days": 7}}"#;
const BOOKING_COMMAND: &str = r#"{"type": "schedule_session", "session": {"id": "yoga", "capacity": 12, "credits": 1,
 "start": "2026-06-10T10:00:00+09:00", "end": "2026-06-10T11:00:00+09:00", "tags": ["yoga"]}}"#;

/// Feeds `text` to every parser; each may refuse it, none may panic.
fn parse_everything(text: &str) {
    let _ = Plan::from_json(text);
    let _ = Catalog::from_json(text);
    let _ = Command::from_json(text);
    let _ = events_from_json(text);
    let _ = Membership::from_json(text);
    let _ = BillingConfig::from_json(text);
    let _ = BillingAccount::from_json(text);
    let _ = AccountHistory::list_from_json(text);
    let _ = parse_date(text);
    let _ = memberkit::booking::Rules::from_json(text);
    let _ = memberkit::booking::Command::from_json(text);
    let _ = memberkit::booking::events_from_json(text);
    let _ = memberkit::booking::Book::from_json(text);
    let _ = memberkit::booking::Eligibility::from_json(text);
}

fn mutated(doc: &'static str) -> impl Strategy<Value = String> {
    (0..doc.len(), any::<u8>()).prop_map(move |(at, byte)| {
        let mut bytes = doc.as_bytes().to_vec();
        bytes[at] = byte;
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text(text in any::<String>()) {
        parse_everything(&text);
    }

    #[test]
    fn documents_with_one_byte_changed(
        text in prop_oneof![mutated(PLAN), mutated(COMMAND), mutated(EVENTS), mutated(CONFIG),
            mutated(BOOKING_RULES), mutated(BOOKING_COMMAND)],
    ) {
        parse_everything(&text);
        parse_everything(&format!("[{text}]"));
    }
}

#[test]
fn the_unmutated_documents_parse() {
    assert!(Plan::from_json(PLAN).is_ok());
    assert!(Command::from_json(COMMAND).is_ok());
    assert!(events_from_json(EVENTS).is_ok());
    assert!(BillingConfig::from_json(CONFIG).is_ok());
    assert!(memberkit::booking::Rules::from_json(BOOKING_RULES).is_ok());
    assert!(memberkit::booking::Command::from_json(BOOKING_COMMAND).is_ok());
}
