//! Numbers, dates and amounts written as ASCII digits from a two-digit
//! table, without `format!` or `fmt::Write`: the text a batch run writes
//! millions of times (document ids and lines, and their JSON). Each writes
//! exactly what `Display` (and serde's default serialization) writes.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The two-digit numbers 00–99, one after the other.
const PAIRS: &str = "0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// The two decimal digits of `n` below 100.
fn pair(n: u32) -> [u8; 2] {
    let i = (n % 100) as usize * 2;
    [PAIRS.as_bytes()[i], PAIRS.as_bytes()[i + 1]]
}

/// ASCII digits, signs, dots and dashes (and an account id) as text.
pub(crate) fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

/// The decimal digits of `n`, written at the end of `buffer`.
pub(crate) fn decimal(n: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut start = buffer.len();
    let mut rest = n;
    // Two digits at a time, from the table.
    while rest >= 10 {
        start -= 2;
        let [tens, ones] = pair((rest % 100) as u32);
        buffer[start] = tens;
        buffer[start + 1] = ones;
        rest /= 100;
    }
    if rest > 0 || start == buffer.len() {
        start -= 1;
        buffer[start] = b'0' + rest as u8;
    }
    &buffer[start..]
}

/// `date` as the bytes of `YYYY-MM-DD`, for years 0–9999.
pub(crate) fn date_digits(date: NaiveDate) -> Option<[u8; 10]> {
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    let [y0, y1] = pair(year / 100);
    let [y2, y3] = pair(year % 100);
    let [m0, m1] = pair(date.month());
    let [d0, d1] = pair(date.day());
    Some([y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1])
}

/// A date that serializes as chrono's `NaiveDate` does (`"2026-04-15"`),
/// written from one buffer rather than a character at a time.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DateText(pub(crate) NaiveDate);

impl Serialize for DateText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match date_digits(self.0) {
            Some(digits) => serializer.serialize_str(ascii(&digits)),
            None => self.0.serialize(serializer),
        }
    }
}

/// `text` as a date when it is exactly `YYYY-MM-DD` in ASCII digits and a
/// valid day; `None` for anything else (left to chrono's parser).
fn parse_date_digits(text: &str) -> Option<NaiveDate> {
    let bytes: &[u8; 10] = text.as_bytes().try_into().ok()?;
    let digit = |i: usize| {
        let d = bytes[i].wrapping_sub(b'0');
        (d < 10).then_some(u32::from(d))
    };
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = digit(0)? * 1000 + digit(1)? * 100 + digit(2)? * 10 + digit(3)?;
    let month = digit(5)? * 10 + digit(6)?;
    let day = digit(8)? * 10 + digit(9)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Reads a date as chrono's `NaiveDate` does (the same dates, the same
/// errors), the usual `YYYY-MM-DD` without chrono's general parser.
struct DateVisitor;

impl serde::de::Visitor<'_> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a formatted date string")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        match parse_date_digits(text) {
            Some(date) => Ok(date),
            None => text.parse().map_err(E::custom),
        }
    }
}

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DateVisitor).map(DateText)
    }
}

/// `#[serde(deserialize_with)]` for a date field: as [`DateText`].
pub(crate) fn deserialize_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<NaiveDate, D::Error> {
    deserializer.deserialize_str(DateVisitor)
}

/// `#[serde(deserialize_with)]` for an optional date field: as [`DateText`].
pub(crate) fn deserialize_optional_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    Ok(Option::<DateText>::deserialize(deserializer)?.map(|date| date.0))
}

/// `#[serde(serialize_with)]` for a date field: as [`DateText`].
pub(crate) fn serialize_date<S: serde::Serializer>(
    date: &NaiveDate,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    DateText(*date).serialize(serializer)
}

/// `#[serde(serialize_with)]` for an optional date field: as [`DateText`].
pub(crate) fn serialize_optional_date<S: serde::Serializer>(
    date: &Option<NaiveDate>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    date.map(DateText).serialize(serializer)
}

/// `amount` as its `Display` writes it (`"8800"`, `"-12.50"`, `"0.05"`),
/// in ASCII into `buffer`, when its digits fit in 64 bits and it is not a
/// negative zero; `None` otherwise.
pub(crate) fn decimal_bytes(amount: Decimal, buffer: &mut [u8; 48]) -> Option<&[u8]> {
    let negative = amount.is_sign_negative();
    let mantissa = u64::try_from(amount.mantissa().unsigned_abs()).ok()?;
    if negative && mantissa == 0 {
        return None;
    }
    let scale = amount.scale() as usize;
    let mut digits = [0_u8; 20];
    let digits = decimal(mantissa, &mut digits);
    // Whole digits (at least "0"), then the fraction's, zero-padded.
    let whole = digits.len().saturating_sub(scale);
    let mut at = 0;
    let mut put = |bytes: &[u8]| {
        buffer[at..at + bytes.len()].copy_from_slice(bytes);
        at += bytes.len();
    };
    if negative {
        put(b"-");
    }
    if whole == 0 {
        put(b"0");
    } else {
        put(&digits[..whole]);
    }
    if scale > 0 {
        put(b".");
        for _ in digits.len()..scale {
            put(b"0");
        }
        put(&digits[whole..]);
    }
    Some(&buffer[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_what_display_writes() {
        for n in [0, 7, 10, 31, 4_294_967_295, u64::MAX] {
            assert_eq!(ascii(decimal(n, &mut [0; 20])), n.to_string());
        }
        for (y, m, d) in [(2026, 4, 5), (999, 12, 31), (9999, 1, 1), (0, 1, 1)] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(ascii(&date_digits(day).unwrap()), day.to_string());
        }
        for (y, m, d) in [(10_000, 1, 1), (-1, 2, 3), (2026, 4, 5)] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let json = serde_json::to_string(&DateText(day)).unwrap();
            assert_eq!(json, serde_json::to_string(&day).unwrap());
        }
    }

    #[test]
    fn dates_read_as_chrono_reads_them() {
        let texts = [
            "2026-04-05",
            "0000-01-01",
            "9999-12-31",
            "2026-02-29",
            "2024-02-29",
            "2026-13-01",
            "2026-4-05",
            "20260405",
            "2026-04-05 ",
            "+10000-01-01",
            "-0001-02-03",
            "2026/04/05",
            "२०२६-04-05",
            "",
            "x",
        ];
        for text in texts {
            let json = serde_json::to_string(text).unwrap();
            let ours = serde_json::from_str::<DateText>(&json).map(|d| d.0);
            let chrono = serde_json::from_str::<NaiveDate>(&json);
            match (ours, chrono) {
                (Ok(ours), Ok(chrono)) => assert_eq!(ours, chrono, "{text}"),
                (Err(ours), Err(chrono)) => assert_eq!(ours.to_string(), chrono.to_string()),
                (ours, chrono) => panic!("{text}: {ours:?} != {chrono:?}"),
            }
        }
        let number = serde_json::from_str::<DateText>("3").err().unwrap();
        let chrono = serde_json::from_str::<NaiveDate>("3").err().unwrap();
        assert_eq!(number.to_string(), chrono.to_string());
    }

    #[test]
    fn decimal_bytes_are_what_display_writes() {
        let mut amounts: Vec<Decimal> = ["0", "0.00", "0.05", "-0.05", "12.50", "-12.5", "8800"]
            .iter()
            .map(|text| text.parse().unwrap())
            .collect();
        for mantissa in [
            0_i64,
            1,
            9,
            10,
            99,
            100,
            4_693,
            123_456_789,
            i64::MAX,
            -1,
            -880,
        ] {
            for scale in [0, 1, 2, 3, 5, 9, 19, 28] {
                amounts.push(Decimal::new(mantissa, scale));
            }
        }
        amounts.push(Decimal::MAX);
        for amount in amounts {
            match decimal_bytes(amount, &mut [0; 48]).map(ascii) {
                Some(text) => {
                    assert_eq!(text, amount.to_string());
                    let json = serde_json::to_string(&amount).unwrap();
                    assert_eq!(format!("\"{text}\""), json);
                }
                None => assert!(amount.mantissa().unsigned_abs() > u128::from(u64::MAX)),
            }
        }
        let negative_zero = -Decimal::new(0, 2);
        if negative_zero.is_sign_negative() {
            assert_eq!(decimal_bytes(negative_zero, &mut [0; 48]), None);
        }
    }
}
