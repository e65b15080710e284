//! Building, parsing and shifting calendar dates.

use super::CalendarError;
use chrono::{Datelike, NaiveDate, Weekday};

/// The date `year-month-day`.
///
/// # Errors
/// [`CalendarError::InvalidDate`] when there is no such day (February 30,
/// month 13, day 0).
///
/// # Example
/// ```
/// use memberkit::calendar::date;
/// assert_eq!(date(2028, 2, 29)?.to_string(), "2028-02-29");
/// assert!(date(2026, 2, 29).is_err());
/// # Ok::<(), memberkit::calendar::CalendarError>(())
/// ```
pub fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate, CalendarError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or(CalendarError::InvalidDate { year, month, day })
}

/// Parses a date written `YYYY-MM-DD` (ISO 8601's calendar date).
///
/// # Errors
/// [`CalendarError::UnparsableDate`] for any other form, and
/// [`CalendarError::InvalidDate`] for a well-formed day that does not exist.
///
/// # Example
/// ```
/// use memberkit::calendar::{date, parse_date, CalendarError};
/// assert_eq!(parse_date("2026-01-31")?, date(2026, 1, 31)?);
/// assert_eq!(parse_date("2026-02-30"), Err(CalendarError::InvalidDate { year: 2026, month: 2, day: 30 }));
/// assert!(matches!(parse_date("31/01/2026"), Err(CalendarError::UnparsableDate { .. })));
/// # Ok::<(), memberkit::calendar::CalendarError>(())
/// ```
pub fn parse_date(input: &str) -> Result<NaiveDate, CalendarError> {
    let unparsable = || CalendarError::UnparsableDate {
        input: crate::error_kind::excerpt(input, 64),
    };
    let bytes = input.as_bytes();
    let well_formed = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !well_formed {
        return Err(unparsable());
    }
    let field =
        |range: std::ops::Range<usize>| input[range].parse::<u32>().map_err(|_| unparsable());
    let year = i32::try_from(field(0..4)?).map_err(|_| unparsable())?;
    date(year, field(5..7)?, field(8..10)?)
}

/// The number of days in `month` of `year`, or `None` for a month outside 1–12
/// or a year outside the supported range.
///
/// ```
/// use memberkit::calendar::days_in_month;
/// assert_eq!(days_in_month(2028, 2), Some(29));
/// assert_eq!(days_in_month(2026, 2), Some(28));
/// assert_eq!(days_in_month(2026, 13), None);
/// ```
pub fn days_in_month(year: i32, month: u32) -> Option<u32> {
    if !(NaiveDate::MIN.year()..=NaiveDate::MAX.year()).contains(&year) {
        return None;
    }
    match month {
        4 | 6 | 9 | 11 => Some(30),
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => Some(29),
        2 => Some(28),
        1..=12 => Some(31),
        _ => None,
    }
}

/// `date`, or the first day after it that is neither a Saturday, a Sunday
/// nor one of `holidays`.
///
/// # Errors
/// [`CalendarError::OutOfRange`] at the end of the calendar.
///
/// # Example
/// ```
/// use memberkit::calendar::{date, next_business_day};
/// // Saturday May 2, 2026, with Golden Week's May 4-6 as holidays.
/// let holidays = [date(2026, 5, 4)?, date(2026, 5, 5)?, date(2026, 5, 6)?];
/// assert_eq!(next_business_day(date(2026, 5, 2)?, &holidays)?, date(2026, 5, 7)?);
/// assert_eq!(next_business_day(date(2026, 5, 7)?, &holidays)?, date(2026, 5, 7)?);
/// # Ok::<(), memberkit::calendar::CalendarError>(())
/// ```
pub fn next_business_day(
    date: NaiveDate,
    holidays: &[NaiveDate],
) -> Result<NaiveDate, CalendarError> {
    let mut day = date;
    // Holiday lists are finite, so this ends.
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || holidays.contains(&day) {
        day = day.succ_opt().ok_or(CalendarError::OutOfRange {
            operation: "business days",
        })?;
    }
    Ok(day)
}

/// The first date on or after `date` whose day of the month is `day` or
/// later (the month's last day when the month is shorter): a payday rule,
/// "on or after the 25th".
///
/// # Errors
/// [`CalendarError::OutOfRange`] at the end of the calendar.
///
/// # Example
/// ```
/// use memberkit::calendar::{date, on_or_after_day};
/// assert_eq!(on_or_after_day(date(2026, 5, 3)?, 25)?, date(2026, 5, 25)?);
/// assert_eq!(on_or_after_day(date(2026, 5, 27)?, 25)?, date(2026, 5, 27)?);
/// assert_eq!(on_or_after_day(date(2026, 2, 3)?, 31)?, date(2026, 2, 28)?);
/// # Ok::<(), memberkit::calendar::CalendarError>(())
/// ```
pub fn on_or_after_day(date: NaiveDate, day: u32) -> Result<NaiveDate, CalendarError> {
    let target = with_day_clamped(date, 0, day.max(1))?;
    Ok(target.max(date))
}

/// `date` shifted by `months` (negative goes back), keeping its day of the
/// month but clamping to the target month's last day.
///
/// # Errors
/// [`CalendarError::OutOfRange`] when the result leaves the supported calendar.
///
/// # Example
/// ```
/// use memberkit::calendar::{add_months, date};
/// assert_eq!(add_months(date(2026, 1, 31)?, 1)?, date(2026, 2, 28)?);
/// assert_eq!(add_months(date(2024, 3, 31)?, -1)?, date(2024, 2, 29)?);
/// assert_eq!(add_months(date(2026, 11, 15)?, 14)?, date(2028, 1, 15)?);
/// # Ok::<(), memberkit::calendar::CalendarError>(())
/// ```
pub fn add_months(date: NaiveDate, months: i64) -> Result<NaiveDate, CalendarError> {
    with_day_clamped(date, months, date.day())
}

/// `date` shifted by `months`, on `day` or the target month's last day if shorter.
pub(super) fn with_day_clamped(
    date: NaiveDate,
    months: i64,
    day: u32,
) -> Result<NaiveDate, CalendarError> {
    let out_of_range = || CalendarError::OutOfRange {
        operation: "month arithmetic",
    };
    let (year, month) = if months == 0 {
        (date.year(), date.month())
    } else {
        let index = i64::from(date.year()) * 12 + i64::from(date.month0());
        let target = index.checked_add(months).ok_or_else(out_of_range)?;
        let year = i32::try_from(target.div_euclid(12)).map_err(|_| out_of_range())?;
        (year, target.rem_euclid(12) as u32 + 1)
    };
    // Every month has its first 28 days.
    let day = if day <= 28 {
        day
    } else {
        day.min(days_in_month(year, month).ok_or_else(out_of_range)?)
    };
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(out_of_range)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_month_counts_to_the_next_first() {
        let years = [-400, -1, 0, 1, 1900, 2000, 2024, 2026, 2100, 9999];
        let max = NaiveDate::MAX.year();
        for year in years.into_iter().chain([max - 1, NaiveDate::MIN.year()]) {
            for month in 1..=12 {
                let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap();
                let next = crate::calendar::date(year + i32::from(month == 12), month % 12 + 1, 1);
                let days = next.unwrap().signed_duration_since(first).num_days();
                assert_eq!(days_in_month(year, month), u32::try_from(days).ok());
            }
        }
        assert_eq!(days_in_month(max, 12), Some(31));
        assert_eq!(days_in_month(max + 1, 1), None);
        assert_eq!(days_in_month(2026, 0), None);
    }

    #[test]
    fn parse_refuses_near_misses() {
        for bad in [
            "2026-1-31",
            "2026-01-31 ",
            "+2026-01-31",
            "2026/01/31",
            "",
            "2026-01-3x",
            "２０２６-01-31",
        ] {
            assert!(
                matches!(parse_date(bad), Err(CalendarError::UnparsableDate { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse_date("2026-13-01"),
            Err(CalendarError::InvalidDate {
                year: 2026,
                month: 13,
                day: 1
            })
        );
    }

    #[test]
    fn add_months_crosses_years_both_ways() {
        let d = date(2026, 12, 31).unwrap();
        assert_eq!(add_months(d, 2).unwrap(), date(2027, 2, 28).unwrap());
        assert_eq!(add_months(d, -12).unwrap(), date(2025, 12, 31).unwrap());
        assert_eq!(add_months(d, -22).unwrap(), date(2025, 2, 28).unwrap());
    }

    #[test]
    fn add_months_out_of_range_is_an_error() {
        let d = date(2026, 1, 1).unwrap();
        assert_eq!(
            add_months(d, i64::MAX),
            Err(CalendarError::OutOfRange {
                operation: "month arithmetic"
            })
        );
        assert!(add_months(NaiveDate::MAX, 1).is_err());
        assert!(add_months(NaiveDate::MIN, -1).is_err());
    }
}
