//! Money and date text, in Rust and at the C boundary (any bytes): amounts
//! read from JSON are exact (never silently rounded), rounding gives whole
//! minor units or an error, dates parse to themselves, currency codes and
//! rounding modes parse or are refused; the C calls agree with Rust.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memberkit::calendar::{add_months, parse_date};
use memberkit::money::{Currency, Money, RoundingMode};
use memberkit_ffi::{
    MkDate, MkMoney, MkStatus, mk_currency_from_code, mk_date_parse, mk_money_round,
};
use rust_decimal::Decimal;
use std::ffi::CString;
use std::str::FromStr;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let currency = Currency::ALL[usize::from(pick) % Currency::ALL.len()];
    let mode = RoundingMode::ALL[usize::from(pick >> 4) % RoundingMode::ALL.len()];
    // At the C boundary: any bytes up to the first NUL.
    let c_text = CString::new(rest.split(|b| *b == 0).next().unwrap_or_default()).expect("no NUL");
    let mut money = MkMoney {
        minor: 0,
        currency: 0,
    };
    let c_round =
        unsafe { mk_money_round(c_text.as_ptr(), currency.numeric(), mode as u32, &mut money) };
    let mut date = MkDate {
        year: 0,
        month: 0,
        day: 0,
    };
    let c_date = unsafe { mk_date_parse(c_text.as_ptr(), &mut date) };
    let mut numeric = 0_u32;
    let c_code = unsafe { mk_currency_from_code(c_text.as_ptr(), &mut numeric) };
    for status in [c_round, c_date, c_code] {
        assert_ne!(status, MkStatus::Panic);
    }
    let Ok(text) = std::str::from_utf8(c_text.as_bytes()) else {
        assert!(
            [c_round, c_date, c_code]
                .iter()
                .all(|s| *s == MkStatus::InvalidUtf8)
        );
        return;
    };

    // Dates: what parses prints as itself; month arithmetic never panics.
    match parse_date(text) {
        Ok(day) => {
            assert_eq!(day.format("%Y-%m-%d").to_string(), text);
            assert_eq!(c_date, MkStatus::Ok);
            assert_eq!((date.year, date.month, date.day), {
                use chrono::Datelike;
                (day.year(), day.month(), day.day())
            });
            let _ = add_months(day, i64::from(pick) - 128);
            let _ = add_months(day, i64::from(i32::MAX) * i64::from(pick));
        }
        Err(_) => assert_ne!(c_date, MkStatus::Ok),
    }
    assert_eq!(Currency::from_str(text).is_ok(), c_code == MkStatus::Ok);
    let _ = RoundingMode::from_str(text);

    // Rounding: a whole number of minor units, within one minor unit of the exact value.
    if let Ok(exact) = Decimal::from_str(text) {
        let rounded = Money::round(exact, currency, mode);
        let unit = Decimal::new(1, currency.minor_units());
        if let Some(diff) = rounded.amount().checked_sub(exact) {
            assert!(diff.abs() < unit, "{exact} rounded to {rounded}");
        }
        match rounded.to_minor() {
            Ok(minor) => assert_eq!((c_round, money.minor), (MkStatus::Ok, minor), "{text}"),
            Err(_) => assert_ne!(c_round, MkStatus::Ok),
        }
    }

    // Amounts from JSON, as a string and as a number: exact or refused.
    let token = text.trim_matches([' ', '\t', '\n', '\r']);
    let number = !token.is_empty() && token.bytes().all(|b| b"+-.0123456789eE".contains(&b));
    let json_string = serde_json::Value::from(text).to_string();
    for json in [Some(json_string.as_str()), number.then_some(token)]
        .into_iter()
        .flatten()
    {
        let json = format!(r#"{{"amount": {json}, "currency": "{}"}}"#, currency.code());
        if let Ok(money) = serde_json::from_str::<Money>(&json) {
            let exact = Decimal::from_str_exact(token)
                .or_else(|_| Decimal::from_scientific(token))
                .unwrap_or_else(|_| {
                    panic!("{json} was read as {money}, though it is no exact decimal")
                });
            assert_eq!(money.amount(), exact, "{json} was read as {money}");
        }
    }
});
