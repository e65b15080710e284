//! Months, month ends, durations and counts as members write them, resolved
//! against the conversation's date.

use chrono::{Datelike, Months, NaiveDate};

/// How a month named without a year is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Placement {
    /// This month or a later one (「6月から休会」 asked in July is next June):
    /// requests look ahead.
    Ahead,
    /// The nearest such month, before or after (「7月分の請求」 asked in August
    /// is this July): charges are often past.
    Nearest,
}

/// The first day of `month` (1–12) placed relative to `today`.
pub(super) fn month_start(month: u32, today: NaiveDate, placement: Placement) -> Option<NaiveDate> {
    let this_month = first_of(today)?;
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, 1)?;
    match placement {
        Placement::Ahead if this_year >= this_month => Some(this_year),
        Placement::Ahead => this_year.checked_add_months(Months::new(12)),
        Placement::Nearest => {
            let candidates = [
                this_year.checked_sub_months(Months::new(12)),
                Some(this_year),
                this_year.checked_add_months(Months::new(12)),
            ];
            candidates.into_iter().flatten().min_by_key(|d| {
                let months = months_between(this_month, *d);
                // Nearest first, then the later of two equally near.
                (months.abs(), -months)
            })
        }
    }
}

/// The first day of the month `offset` months from today's (-1 is last month).
pub(super) fn relative_month(today: NaiveDate, offset: i32) -> Option<NaiveDate> {
    let first = first_of(today)?;
    let by = Months::new(offset.unsigned_abs());
    if offset >= 0 {
        first.checked_add_months(by)
    } else {
        first.checked_sub_months(by)
    }
}

/// The month offset a Japanese or English relative month word means.
pub(super) fn relative_offset(word: &str) -> Option<i32> {
    Some(match word.to_lowercase().as_str() {
        "先月" | "last" => -1,
        "今月" | "this" | "the" => 0,
        "来月" | "next" => 1,
        "再来月" => 2,
        _ => return None,
    })
}

/// The last day of the month that starts on `first`.
pub(super) fn month_end(first: NaiveDate) -> Option<NaiveDate> {
    first.checked_add_months(Months::new(1))?.pred_opt()
}

/// The first day of the month `today` is in.
fn first_of(today: NaiveDate) -> Option<NaiveDate> {
    today.with_day(1)
}

fn months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32
}

/// A number written in digits, in kanji up to 十二, or in English words up
/// to twelve ("a" and "an" are one).
pub(super) fn small_number(text: &str) -> Option<u32> {
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    const KANJI: [&str; 12] = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
    ];
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    let lower = text.to_lowercase();
    if lower == "a" || lower == "an" {
        return Some(1);
    }
    KANJI
        .iter()
        .position(|k| *k == text)
        .or_else(|| WORDS.iter().position(|w| *w == lower))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_ahead_and_nearest() {
        let today = d(2026, 7, 20);
        assert_eq!(month_start(7, today, Placement::Ahead), Some(d(2026, 7, 1)));
        assert_eq!(month_start(6, today, Placement::Ahead), Some(d(2027, 6, 1)));
        assert_eq!(
            month_start(6, today, Placement::Nearest),
            Some(d(2026, 6, 1))
        );
        assert_eq!(
            month_start(1, today, Placement::Nearest),
            Some(d(2027, 1, 1))
        );
        assert_eq!(month_start(13, today, Placement::Ahead), None);
        assert_eq!(relative_month(d(2026, 12, 31), 1), Some(d(2027, 1, 1)));
        assert_eq!(relative_month(d(2026, 1, 31), -1), Some(d(2025, 12, 1)));
        assert_eq!(month_end(d(2028, 2, 1)), Some(d(2028, 2, 29)));
        assert_eq!(relative_month(NaiveDate::MAX, 1), None);
    }

    #[test]
    fn numbers_in_three_scripts() {
        assert_eq!(small_number("3"), Some(3));
        assert_eq!(small_number("十二"), Some(12));
        assert_eq!(small_number("Two"), Some(2));
        assert_eq!(small_number("an"), Some(1));
        assert_eq!(small_number("dozen"), None);
    }
}
