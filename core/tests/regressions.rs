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
    let long = format!(r#"{{"amount": "1.{}1", "currency": "JPY"}}"#, "0".repeat(38));
    let err = money(&long).unwrap_err();
    assert!(err.to_string().contains("fits exactly"), "{err}");
    assert!(err.to_string().len() < 200, "the message quotes a short prefix: {err}");
    let fine = money(r#"{"amount": "12.50", "currency": "USD"}"#).unwrap();
    assert_eq!(fine, Money::from_minor(1250, Currency::USD));
    let scientific = money(r#"{"amount": "1.5e3", "currency": "JPY"}"#).unwrap();
    assert_eq!(scientific, Money::from_minor(1500, Currency::JPY));
}
