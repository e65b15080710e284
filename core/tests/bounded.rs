//! Work that grows with a parameter stays bounded: each input below either
//! finishes with bounded work and output or is refused with a typed error
//! (kind `limit_exceeded` where a documented limit is passed). Each test
//! says which.

use memberkit::ErrorKind;
use memberkit::billing::{BillingAccount, BillingConfig, BillingError, MAX_PERIODS_PER_RUN, bill};
use memberkit::calendar::parse_date;
use memberkit::intent::{
    Example, IntentError, MAX_EXAMPLES, MAX_TEXT_BYTES, Router, RouterConfig, TrainConfig,
    default_model, slots::SlotExtractor, train,
};
use memberkit::membership::{Catalog, Command, Event, MAX_PAUSE_MONTHS, Membership, decide};

fn date(text: &str) -> chrono::NaiveDate {
    parse_date(text).unwrap()
}

fn kind(err: impl Into<memberkit::Error>) -> ErrorKind {
    err.into().kind()
}

/// A member of `plans` who joined on 2026-04-01, with their events.
fn joined(plans: &str) -> (Catalog, Membership, Vec<Event>) {
    let catalog = Catalog::from_json(plans).unwrap();
    let command =
        Command::from_json(r#"{"type": "join", "plan": "p", "start": "2026-04-01"}"#).unwrap();
    let events = decide(
        &Membership::default(),
        &catalog,
        &command,
        date("2026-04-01"),
    )
    .unwrap();
    let state = events.iter().fold(Membership::default(), |m, e| m.apply(e));
    (catalog, state, events)
}

const MONTHLY: &str = r#"[{"id": "p", "name": "P", "price": {"amount": "8800", "currency": "JPY"},
    "interval": {"unit": "month", "count": 1}}]"#;

#[test]
fn classifying_a_megabyte_of_text_is_refused_and_the_limit_itself_is_read() {
    let model = default_model().unwrap();
    let megabyte = "休会したい ".repeat((1 << 20) / 16);
    assert!(megabyte.len() > MAX_TEXT_BYTES);
    let err = model.classify(&megabyte).unwrap_err();
    assert!(
        matches!(
            err,
            IntentError::TooLarge {
                max: MAX_TEXT_BYTES,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(kind(err), ErrorKind::LimitExceeded);
    // At the limit exactly (in characters that end on it), it is classified.
    let at_limit = "a".repeat(MAX_TEXT_BYTES);
    assert!(model.classify(&at_limit).is_ok());
}

#[test]
fn a_router_reads_a_megabyte_message_as_an_empty_one() {
    let model = default_model().unwrap();
    let router = Router::new(model, SlotExtractor::default(), RouterConfig::default()).unwrap();
    let today = date("2026-05-01");
    let long = format!("会員番号1234567です。{}", "退会したい".repeat(100_000));
    let decision = router.route(&Default::default(), &long, false, today);
    let empty = router.route(&Default::default(), "", false, today);
    assert_eq!(decision.action, empty.action);
    assert!(decision.slots.is_empty(), "no slots read from it");
    // What the conversation keeps of it stays small.
    assert!(serde_json::to_string(&decision.conversation).unwrap().len() < 1_000);
}

#[test]
fn training_on_100_000_labels_is_refused_before_any_work() {
    let examples: Vec<Example> = (0..100_000)
        .map(|i| Example::new(format!("intent_{i}"), format!("message {i}")))
        .collect();
    let err = train(&examples, &TrainConfig::default()).unwrap_err();
    assert!(
        matches!(
            err,
            IntentError::TooLarge {
                what: "intents",
                count: 100_000,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(kind(err), ErrorKind::LimitExceeded);
}

#[test]
fn training_past_the_example_and_text_limits_is_refused() {
    let too_many = vec![Example::new("a", "x"); MAX_EXAMPLES + 1];
    let err = train(&too_many, &TrainConfig::default()).unwrap_err();
    assert!(
        matches!(
            err,
            IntentError::TooLarge {
                what: "examples",
                ..
            }
        ),
        "{err}"
    );
    let long = [
        Example::new("a", "x".repeat(MAX_TEXT_BYTES + 1)),
        Example::new("b", "y"),
    ];
    let err = train(&long, &TrainConfig::default()).unwrap_err();
    assert!(
        matches!(
            err,
            IntentError::TooLarge {
                max: MAX_TEXT_BYTES,
                ..
            }
        ),
        "{err}"
    );
    let model = default_model().unwrap();
    assert!(matches!(
        model.evaluate(&long),
        Err(IntentError::TooLarge { .. })
    ));
}

#[test]
fn a_plan_billing_every_day_for_twenty_years_is_billed_in_steps() {
    let daily = MONTHLY.replace(r#""unit": "month""#, r#""unit": "day""#);
    let (catalog, _, events) = joined(&daily);
    let config = BillingConfig::default();
    let account = BillingAccount::new("m-1");
    // 7,305 daily periods in one run: past MAX_PERIODS_PER_RUN, refused.
    let err = bill(&account, &events, &catalog, &config, date("2046-04-01")).unwrap_err();
    assert!(matches!(err, BillingError::TooManyPeriods { .. }), "{err}");
    assert_eq!(kind(err), ErrorKind::LimitExceeded);
    // Billed ten years at a time, every day is billed once.
    let first = bill(&account, &events, &catalog, &config, date("2036-04-01")).unwrap();
    let second = bill(
        &first.account,
        &events,
        &catalog,
        &config,
        date("2046-04-01"),
    )
    .unwrap();
    let days = (date("2046-04-02") - date("2026-04-01")).num_days() as usize;
    assert!(first.documents.len() <= MAX_PERIODS_PER_RUN);
    assert_eq!(first.documents.len() + second.documents.len(), days);
}

/// `MONTHLY` with a pause policy allowing `max_months`.
fn pausable(max_months: u32) -> String {
    MONTHLY.replace(
        r#""interval""#,
        &format!(
            r#""pause": {{"min_months": 1, "max_months": {max_months}, "max_per_year": 1,
                "monthly_fee": {{"amount": "550", "currency": "JPY"}}}}, "interval""#
        ),
    )
}

#[test]
fn a_pause_of_a_thousand_years_is_refused_and_ten_years_are_billed_in_one_run() {
    let err = Catalog::from_json(&pausable(12_000)).unwrap_err();
    assert_eq!(kind(err.clone()), ErrorKind::InvalidPlan);
    assert!(err.to_string().contains("pause.max_months"), "{err}");
    let (catalog, state, mut events) = joined(&pausable(MAX_PAUSE_MONTHS));
    let at = date("2026-05-01");
    let command = |until: &str| {
        Command::from_json(&format!(
            r#"{{"type": "pause", "from": "2026-06-01", "until": "{until}"}}"#
        ))
        .unwrap()
    };
    let err = decide(&state, &catalog, &command("3026-06-01"), at).unwrap_err();
    assert_eq!(kind(err), ErrorKind::CommandRefused);
    events.extend(decide(&state, &catalog, &command("2036-06-01"), at).unwrap());
    let run = bill(
        &BillingAccount::new("m-1"),
        &events,
        &catalog,
        &BillingConfig::default(),
        date("2036-06-01"),
    )
    .unwrap();
    // April and May, a pause fee each of the 120 months, and June 2036, the
    // month after, billed in advance on its first day.
    assert_eq!(run.documents.len(), 2 + 120 + 1);
}

#[test]
fn a_document_nested_ten_thousand_deep_is_refused_without_overflowing_the_stack() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = Catalog::from_json(&deep).unwrap_err();
    assert_eq!(kind(err), ErrorKind::InvalidPlan);
    // A chat club keeps its dunning policy as a JSON value, read whole:
    // serde_json stops at 128 levels.
    let deep_value = format!(
        r#"{{"catalog": [], "dunning": {}1{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let err = memberkit::chat::Club::from_json(&deep_value).unwrap_err();
    assert!(err.to_string().contains("recursion limit"), "{err}");
}

#[test]
fn error_messages_quote_a_short_prefix_of_a_huge_input() {
    use memberkit::calendar::IntervalUnit;
    use memberkit::money::Currency;
    let huge = "Z".repeat(10 << 20);
    let messages = [
        parse_date(&huge).unwrap_err().to_string(),
        huge.parse::<IntervalUnit>().unwrap_err().to_string(),
        Currency::from_code(&huge).unwrap_err().to_string(),
        Command::from_json(&format!(r#"{{"type": "{huge}"}}"#))
            .unwrap_err()
            .to_string(),
        Catalog::from_json(&format!(r#"[{{"{huge}": 1}}]"#))
            .unwrap_err()
            .to_string(),
        BillingConfig::from_json(&format!(r#"{{"timing": "{huge}"}}"#))
            .unwrap_err()
            .to_string(),
    ];
    for message in messages {
        assert!(
            message.len() < 1_000,
            "{} bytes: {}",
            message.len(),
            &message[..200]
        );
        assert!(
            message.contains(" bytes)"),
            "says how long it was: {message}"
        );
    }
}
