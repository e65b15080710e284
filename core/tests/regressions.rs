//! Inputs the fuzz targets (`fuzz/`) found, minimized, each with what it
//! broke. A test marked `#[ignore = "see fuzz/FINDINGS.md"]` waits for a fix
//! in code another change owns; un-ignore it with that fix.

use memberkit::money::{Currency, Money};

fn money(json: &str) -> Result<Money, serde_json::Error> {
    serde_json::from_str(json)
}

/// text_money_date: a JSON number amount went through a float, so
/// 77777777777777777777777 was read as 77777777777777770000000.
#[test]
fn amounts_as_json_numbers_are_exact_or_refused() {
    let err = money(r#"{"amount": 77777777777777777777777, "currency": "KWD"}"#).unwrap_err();
    assert!(err.to_string().contains("write it as a string"), "{err}");
    assert!(money(r#"{"amount": 12.5, "currency": "USD"}"#).is_err());
    let whole = money(r#"{"amount": 8800, "currency": "JPY"}"#).unwrap();
    assert_eq!(whole, Money::from_minor(8800, Currency::JPY));
    let negative = money(r#"{"amount": -9223372036854775808, "currency": "JPY"}"#).unwrap();
    assert_eq!(negative, Money::from_minor(i64::MIN, Currency::JPY));
}

/// The issue's report: a string amount with a nonzero 40th decimal was
/// rounded to a whole yen on the way in.
#[test]
fn amounts_as_strings_with_more_digits_than_fit_are_refused() {
    let long = format!(
        r#"{{"amount": "1.{}1", "currency": "JPY"}}"#,
        "0".repeat(38)
    );
    let err = money(&long).unwrap_err();
    assert!(err.to_string().contains("fits exactly"), "{err}");
    assert!(
        err.to_string().len() < 200,
        "the message quotes a short prefix: {err}"
    );
    let fine = money(r#"{"amount": "12.50", "currency": "USD"}"#).unwrap();
    assert_eq!(fine, Money::from_minor(1250, Currency::USD));
    let scientific = money(r#"{"amount": "1.5e3", "currency": "JPY"}"#).unwrap();
    assert_eq!(scientific, Money::from_minor(1500, Currency::JPY));
}

/// A stored state is outside data too: one saved with the largest version
/// made `apply` overflow (a panic in debug builds, and in release a wrap to
/// 0 that let a stale writer win the optimistic-concurrency check). The
/// version now stays at its maximum.
#[test]
fn applying_to_a_state_at_the_largest_version_never_lowers_it() {
    use memberkit::calendar::date;
    let max = u64::MAX;
    let at_max = |json: String| json.replacen(r#""version":0"#, &format!(r#""version":{max}"#), 1);
    let member = memberkit::membership::Membership::default().to_json();
    let member = memberkit::membership::Membership::from_json(&at_max(member)).unwrap();
    let event = memberkit::membership::Event::Suspended {
        on: date(2026, 5, 1).unwrap(),
    };
    assert_eq!(member.apply(&event).version, max);

    let receivables = memberkit::dunning::Receivables::default().to_json();
    let receivables = memberkit::dunning::Receivables::from_json(&at_max(receivables)).unwrap();
    let event = memberkit::dunning::Event::Suspended {
        on: date(2026, 5, 1).unwrap(),
    };
    assert_eq!(receivables.apply(&event).version, max);

    let book =
        memberkit::booking::Book::from_json(&at_max(memberkit::booking::Book::default().to_json()))
            .unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-06-01T10:00:00+09:00").unwrap();
    let event = memberkit::booking::Event::NoShow {
        session: "yoga".into(),
        member: "m-1".into(),
        at,
    };
    assert_eq!(book.apply(&event).version, max);
}

/// F-2 in fuzz/FINDINGS.md (intent_slots): a relative date resolved
/// against a day at the calendar's edge gives a date the library's own
/// parser refuses (9999-12-31 + 明日 = +10000-01-01). Waits for a fix in
/// core/src/intent/slots.
#[test]
fn relative_dates_at_the_calendars_edge_stay_parseable() {
    use memberkit::calendar::{date, parse_date};
    use memberkit::intent::slots::{SlotExtractor, SlotValue};
    let slots = SlotExtractor::default();
    for (text, today) in [
        ("明日", date(9999, 12, 31).unwrap()),
        ("tomorrow", date(9999, 12, 31).unwrap()),
        ("昨日", date(0, 1, 1).unwrap()),
    ] {
        for slot in slots.extract(text, today) {
            if let SlotValue::Date(day) = slot.value {
                let printed = day.format("%Y-%m-%d").to_string();
                assert!(
                    parse_date(&printed).is_ok(),
                    "{text} on {today} gave {printed}"
                );
            }
        }
    }
}

/// F-5 in fuzz/FINDINGS.md (intent_model_bytes): model bytes with a valid
/// checksum whose weight scale for one feature is finite but huge (1.4e38;
/// `tests/data/model_huge_weight_scale.bin`, the fuzzer's input sealed)
/// load as a model, which then classifies a message with that feature with
/// confidence -inf (its scores overflow to infinity, the softmax to NaN).
/// Waits for a fix in core/src/intent (refuse such values as an invalid
/// model, or keep the scores finite).
#[test]
fn a_model_whose_scores_overflow_is_refused() {
    let bytes = include_bytes!("data/model_huge_weight_scale.bin");
    if let Ok(model) = memberkit::intent::Model::from_bytes(bytes) {
        let result = model.classify("I want to cancel 退会したい").unwrap();
        assert!(
            (0.0..=1.0).contains(&result.confidence),
            "confidence {}",
            result.confidence
        );
    }
}

/// F-6 in fuzz/FINDINGS.md (json_billing, a slow input): a history paid
/// from the year 226 billed every month through 2027 in one run, 21,600
/// invoices and seconds of work. Now refused past
/// `billing::MAX_PERIODS_PER_RUN` periods, and billed in steps instead.
#[test]
fn billing_centuries_in_one_run_is_bounded_or_refused() {
    use memberkit::billing::{BillingConfig, bill_batch_json};
    use memberkit::membership::Catalog;
    let catalog = Catalog::from_json(
        r#"[{"id": "regular", "name": "Regular", "price": {"amount": "8800", "currency": "JPY"},
            "interval": {"unit": "month", "count": 1}}]"#,
    )
    .unwrap();
    let histories = r#"[{"account": {"id": "m-1"}, "events": [{"type": "joined", "on": "2026-04-01",
        "plan": "regular", "applied_on": "2026-03-20", "paid_from": "0226-04-01",
        "admission_fee": {"amount": "5500", "currency": "JPY"}, "rejoin": false},
        {"type": "started", "on": "2026-04-01"}]}]"#;
    let through = memberkit::calendar::date(2027, 1, 1).unwrap();
    let out = bill_batch_json(histories, &catalog, &BillingConfig::default(), through).unwrap();
    let items: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(items[0]["error"]["kind"], "limit_exceeded", "{out}");
    assert!(items[0]["documents"].is_null());
    // In steps of four centuries (under 5,000 months each), the same
    // history bills every month once.
    let mut account = memberkit::billing::BillingAccount::new("m-1");
    let events: Vec<memberkit::membership::Event> = serde_json::from_value(
        serde_json::from_str::<serde_json::Value>(histories).unwrap()[0]["events"].clone(),
    )
    .unwrap();
    let mut documents = 0;
    for year in [600, 1000, 1400, 1800, 2027] {
        let through = memberkit::calendar::date(year, 1, 1).unwrap();
        let config = BillingConfig::default();
        documents +=
            memberkit::billing::bill_in_place(&mut account, &events, &catalog, &config, through)
                .unwrap()
                .len();
    }
    assert!(
        (21_000..22_000).contains(&documents),
        "{documents} documents"
    );
}
