//! Billing intervals: a unit times a count.

use super::{CalendarError, date::with_day_clamped};
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The unit of an [`Interval`]. Serialized in lower case (`"month"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalUnit {
    /// A calendar day.
    Day,
    /// Seven days.
    Week,
    /// A calendar month, clamped to month end.
    Month,
    /// Twelve calendar months.
    Year,
}

impl IntervalUnit {
    /// The unit's lower-case name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Year => "year",
        }
    }
}

impl FromStr for IntervalUnit {
    type Err = CalendarError;
    fn from_str(input: &str) -> Result<Self, CalendarError> {
        [Self::Day, Self::Week, Self::Month, Self::Year]
            .into_iter()
            .find(|unit| unit.name() == input)
            .ok_or_else(|| CalendarError::UnknownIntervalUnit {
                input: crate::error_kind::excerpt(input, 64),
            })
    }
}

/// A billing interval: every `count` days, weeks, months or years.
///
/// Serialized as `{"unit": "month", "count": 3}`; a zero count is refused when
/// deserializing as when constructing.
///
/// ```
/// use memberkit::calendar::{Interval, IntervalUnit, date};
/// let quarterly = Interval::new(IntervalUnit::Month, 3)?;
/// assert_eq!(quarterly.to_string(), "3 months");
/// assert_eq!(quarterly.shift(date(2025, 11, 30)?, 1)?, date(2026, 2, 28)?);
/// assert!(Interval::new(IntervalUnit::Week, 0).is_err());
/// # Ok::<(), memberkit::calendar::CalendarError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawInterval")]
pub struct Interval {
    unit: IntervalUnit,
    count: u32,
}

#[derive(Deserialize)]
struct RawInterval {
    unit: IntervalUnit,
    count: u32,
}

impl TryFrom<RawInterval> for Interval {
    type Error = CalendarError;
    fn try_from(raw: RawInterval) -> Result<Self, CalendarError> {
        Interval::new(raw.unit, raw.count)
    }
}

impl Interval {
    /// Every `count` `unit`s.
    ///
    /// # Errors
    /// [`CalendarError::ZeroInterval`] when `count` is 0.
    pub fn new(unit: IntervalUnit, count: u32) -> Result<Self, CalendarError> {
        if count == 0 {
            return Err(CalendarError::ZeroInterval);
        }
        Ok(Self { unit, count })
    }

    /// Every `count` days.
    ///
    /// # Errors
    /// [`CalendarError::ZeroInterval`] when `count` is 0.
    pub fn days(count: u32) -> Result<Self, CalendarError> {
        Self::new(IntervalUnit::Day, count)
    }

    /// Every `count` weeks.
    ///
    /// # Errors
    /// [`CalendarError::ZeroInterval`] when `count` is 0.
    pub fn weeks(count: u32) -> Result<Self, CalendarError> {
        Self::new(IntervalUnit::Week, count)
    }

    /// Every `count` months.
    ///
    /// # Errors
    /// [`CalendarError::ZeroInterval`] when `count` is 0.
    pub fn months(count: u32) -> Result<Self, CalendarError> {
        Self::new(IntervalUnit::Month, count)
    }

    /// Every `count` years.
    ///
    /// # Errors
    /// [`CalendarError::ZeroInterval`] when `count` is 0.
    pub fn years(count: u32) -> Result<Self, CalendarError> {
        Self::new(IntervalUnit::Year, count)
    }

    /// The unit.
    pub fn unit(&self) -> IntervalUnit {
        self.unit
    }

    /// How many units one interval spans (at least 1).
    pub fn count(&self) -> u32 {
        self.count
    }

    /// `date` shifted by `times` intervals (negative goes back). Months and
    /// years keep `date`'s day, clamped to the target month's end; shifting is
    /// always computed from `date` itself, never step by step, so
    /// `shift(jan31, 2)` is March 31, not March 28.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when the result leaves the supported calendar.
    pub fn shift(&self, date: NaiveDate, times: i64) -> Result<NaiveDate, CalendarError> {
        self.shift_on_day(date, times, date.day())
    }

    /// As [`Interval::shift`], but months and years land on `day` of the
    /// month (clamped to its end) rather than on `date`'s day.
    pub(super) fn shift_on_day(
        &self,
        date: NaiveDate,
        times: i64,
        day: u32,
    ) -> Result<NaiveDate, CalendarError> {
        let out_of_range = || CalendarError::OutOfRange {
            operation: "interval arithmetic",
        };
        let steps = |per_count: i64| {
            times
                .checked_mul(i64::from(self.count))
                .and_then(|n| n.checked_mul(per_count))
                .ok_or_else(out_of_range)
        };
        match self.unit {
            IntervalUnit::Day | IntervalUnit::Week => {
                let days = steps(if self.unit == IntervalUnit::Week {
                    7
                } else {
                    1
                })?;
                let magnitude = Days::new(days.unsigned_abs());
                if days >= 0 {
                    date.checked_add_days(magnitude)
                } else {
                    date.checked_sub_days(magnitude)
                }
                .ok_or_else(out_of_range)
            }
            IntervalUnit::Month | IntervalUnit::Year => {
                let months = steps(if self.unit == IntervalUnit::Year {
                    12
                } else {
                    1
                })?;
                with_day_clamped(date, months, day)
            }
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {}{}", self.count, self.unit.name(), plural)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::date;

    #[test]
    fn units_parse_and_unknown_units_are_named() {
        assert_eq!("week".parse::<IntervalUnit>(), Ok(IntervalUnit::Week));
        assert_eq!(
            "fortnight".parse::<IntervalUnit>(),
            Err(CalendarError::UnknownIntervalUnit {
                input: "fortnight".into()
            })
        );
    }

    #[test]
    fn serde_refuses_a_zero_count() {
        let ok: Interval = serde_json::from_str(r#"{"unit":"year","count":1}"#).unwrap();
        assert_eq!(ok, Interval::years(1).unwrap());
        let err = serde_json::from_str::<Interval>(r#"{"unit":"month","count":0}"#).unwrap_err();
        assert!(err.to_string().contains("at least 1"), "{err}");
    }

    #[test]
    fn shift_goes_both_ways_for_every_unit() {
        let d = date(2026, 3, 31).unwrap();
        assert_eq!(
            Interval::days(10).unwrap().shift(d, -1).unwrap(),
            date(2026, 3, 21).unwrap()
        );
        assert_eq!(
            Interval::weeks(2).unwrap().shift(d, 1).unwrap(),
            date(2026, 4, 14).unwrap()
        );
        assert_eq!(
            Interval::months(1).unwrap().shift(d, -1).unwrap(),
            date(2026, 2, 28).unwrap()
        );
        assert_eq!(
            Interval::years(2).unwrap().shift(d, 1).unwrap(),
            date(2028, 3, 31).unwrap()
        );
        assert!(Interval::days(1).unwrap().shift(NaiveDate::MAX, 1).is_err());
        assert!(
            Interval::years(1000)
                .unwrap()
                .shift(d, i64::MAX / 2)
                .is_err()
        );
    }
}
