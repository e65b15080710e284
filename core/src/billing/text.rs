//! Document text written without `format!`: ids, dates and numbers, from
//! one buffer (a batch run writes millions of them).

use crate::calendar::NaiveDate;
use crate::digits::{ascii, date_digits, decimal};
use compact_str::CompactString;

/// A document's id: `{account}-{YYYYMMDD}-{seq}`, inline when it is short.
pub(super) fn document_id(account: &str, date: NaiveDate, seq: u32) -> CompactString {
    let Some(d) = date_digits(date) else {
        return compact_str::format_compact!("{account}-{}-{seq}", date.format("%Y%m%d"));
    };
    // The part after the account, written once: "-YYYYMMDD-" and the number.
    let mut suffix = [0_u8; 20];
    suffix[0] = b'-';
    suffix[1..9].copy_from_slice(&[d[0], d[1], d[2], d[3], d[5], d[6], d[8], d[9]]);
    suffix[9] = b'-';
    let mut digits = [0_u8; 20];
    let number = decimal(u64::from(seq), &mut digits);
    suffix[10..10 + number.len()].copy_from_slice(number);
    let suffix = &suffix[..10 + number.len()];
    // Most ids fit inline: made from one buffer, in one piece.
    let mut whole = [0_u8; 24];
    if let Some(room) = whole.get_mut(..account.len() + suffix.len()) {
        room[..account.len()].copy_from_slice(account.as_bytes());
        room[account.len()..].copy_from_slice(suffix);
        return CompactString::from(ascii(room));
    }
    let mut id = CompactString::with_capacity(account.len() + suffix.len());
    id.push_str(account);
    id.push_str(ascii(suffix));
    id
}

/// Appends `date` as its `Display` writes it (`2026-04-15`); years 0–9999
/// are written directly, others (signed) through `Display`.
pub(super) fn push_date(out: &mut String, date: NaiveDate) {
    match date_digits(date) {
        Some(digits) => out.push_str(ascii(&digits)),
        None => out.push_str(&date.to_string()),
    }
}

/// Appends `first to last`, each date as [`push_date`] writes it.
pub(super) fn push_dates(out: &mut String, first: NaiveDate, last: NaiveDate) {
    let (Some(first_digits), Some(last_digits)) = (date_digits(first), date_digits(last)) else {
        push_date(out, first);
        out.push_str(" to ");
        push_date(out, last);
        return;
    };
    // The usual years: written into one buffer, pushed in one piece.
    let mut text = [0_u8; 24];
    text[..10].copy_from_slice(&first_digits);
    text[10..14].copy_from_slice(b" to ");
    text[14..].copy_from_slice(&last_digits);
    out.push_str(ascii(&text));
}

/// Whether `text` is `date` as [`push_date`] writes it.
pub(super) fn is_date_text(text: &str, date: NaiveDate) -> bool {
    match date_digits(date) {
        Some(digits) => text.as_bytes() == digits,
        None => text == date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_helpers_write_what_format_writes() {
        let days = [
            (2026, 4, 5),
            (999, 12, 31),
            (9999, 1, 1),
            (10_000, 1, 1),
            (-1, 2, 3),
        ];
        for (y, m, d) in days {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut text = String::new();
            push_date(&mut text, day);
            assert_eq!(text, day.to_string());
            let mut range = String::new();
            push_dates(&mut range, day, day);
            assert_eq!(range, format!("{day} to {day}"));
            assert!(is_date_text(&text, day));
            assert!(!is_date_text(&text, day.succ_opt().unwrap()));
            let id = format!("m-1-{}-12", day.format("%Y%m%d"));
            assert_eq!(document_id("m-1", day, 12), id);
            let long = "an-account-id-longer-than-an-inline-id";
            let long_id = format!("{long}-{}-3", day.format("%Y%m%d"));
            assert_eq!(document_id(long, day, 3), long_id);
        }
    }
}
