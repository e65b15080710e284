//! Turning the pieces of a written date or time into a `NaiveDate` or
//! `NaiveTime`, relative to a reference date.

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};

/// A month and day without a year: the occurrence nearest to `today`
/// (within the year before, the same year and the year after; the later one
/// on a tie), so "5/3" asked in December about a past charge is this May,
/// and "1/5" asked in late December about a booking is next January.
pub(super) fn nearest(month: u32, day: u32, today: NaiveDate) -> Option<NaiveDate> {
    let year = today.year();
    [year - 1, year, year + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| {
            let days = d.signed_duration_since(today).num_days();
            // Nearest first, then the later of two equally near.
            (days.abs(), -days)
        })
}

/// `today` shifted by `days`.
pub(super) fn shifted(today: NaiveDate, days: i64) -> Option<NaiveDate> {
    let magnitude = Days::new(days.unsigned_abs());
    if days >= 0 {
        today.checked_add_days(magnitude)
    } else {
        today.checked_sub_days(magnitude)
    }
}

/// Which week a weekday is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Week {
    /// The next such day, today included.
    Coming,
    /// The week (Monday to Sunday) that contains today.
    This,
    /// The week after this one.
    Next,
    /// The week after next.
    AfterNext,
}

/// The date of `weekday` in `week`.
pub(super) fn weekday_date(weekday: Weekday, week: Week, today: NaiveDate) -> Option<NaiveDate> {
    let wanted = i64::from(weekday.num_days_from_monday());
    let current = i64::from(today.weekday().num_days_from_monday());
    let offset = match week {
        Week::Coming => (wanted - current).rem_euclid(7),
        Week::This => wanted - current,
        Week::Next => 7 + wanted - current,
        Week::AfterNext => 14 + wanted - current,
    };
    shifted(today, offset)
}

/// A time of day from an hour, minutes and an optional half-day marker
/// (`true` for afternoon). Hours 0–23, or 1–12 with a marker; 24 is refused.
pub(super) fn time(hour: u32, minute: u32, afternoon: Option<bool>) -> Option<NaiveTime> {
    let hour = match afternoon {
        None => hour,
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(false) => hour % 12,
        Some(true) => hour % 12 + 12,
    };
    NaiveTime::from_hms_opt(hour, minute, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn nearest_crosses_year_ends() {
        assert_eq!(nearest(1, 5, d(2026, 12, 28)), Some(d(2027, 1, 5)));
        assert_eq!(nearest(12, 20, d(2027, 1, 3)), Some(d(2026, 12, 20)));
        assert_eq!(nearest(5, 3, d(2026, 4, 1)), Some(d(2026, 5, 3)));
        assert_eq!(nearest(2, 29, d(2027, 12, 1)), Some(d(2028, 2, 29)));
        assert_eq!(nearest(2, 29, d(2026, 3, 1)), None);
        assert_eq!(nearest(2, 30, d(2026, 3, 1)), None);
    }

    #[test]
    fn weekdays_by_week() {
        let wednesday = d(2026, 5, 6);
        assert_eq!(
            weekday_date(Weekday::Wed, Week::Coming, wednesday),
            Some(wednesday)
        );
        assert_eq!(
            weekday_date(Weekday::Mon, Week::Coming, wednesday),
            Some(d(2026, 5, 11))
        );
        assert_eq!(
            weekday_date(Weekday::Mon, Week::This, wednesday),
            Some(d(2026, 5, 4))
        );
        assert_eq!(
            weekday_date(Weekday::Fri, Week::Next, wednesday),
            Some(d(2026, 5, 15))
        );
        assert_eq!(
            weekday_date(Weekday::Sun, Week::AfterNext, wednesday),
            Some(d(2026, 5, 24))
        );
    }

    #[test]
    fn times_with_half_day_markers() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(time(6, 0, Some(true)), t(18, 0));
        assert_eq!(time(12, 0, Some(false)), t(0, 0));
        assert_eq!(time(12, 30, Some(true)), t(12, 30));
        assert_eq!(time(18, 0, Some(true)), None);
        assert_eq!(time(24, 0, None), None);
        assert_eq!(time(9, 60, None), None);
    }
}
