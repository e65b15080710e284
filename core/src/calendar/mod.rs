//! The billing calendar: dates, intervals, half-open periods and anchored schedules.
//!
//! Billing works on calendar dates ([`NaiveDate`]) in the business's own
//! calendar. Periods are half-open, `[start, end)`: a month that starts on
//! January 1 ends on February 1, and February 1 belongs to the next one.
//! Month arithmetic clamps to the month's end (January 31 + 1 month is
//! February 28 or 29), and an anchored [`Schedule`] computes every boundary from
//! its anchor, so it returns to the anchor day when the month allows
//! (January 31 → February 28 → March 31).
//!
//! ```
//! use memberkit::calendar::{Interval, Period, Schedule, date};
//!
//! let yearly = Schedule::new(date(2024, 2, 29)?, Interval::years(1)?);
//! let boundaries: Vec<_> = yearly
//!     .boundaries(Period::new(date(2024, 1, 1)?, date(2029, 1, 1)?)?)?
//!     .map(|d| d.to_string())
//!     .collect();
//! assert_eq!(boundaries, ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"]);
//! # Ok::<(), memberkit::Error>(())
//! ```

mod date;
mod interval;
mod period;
mod schedule;

pub use chrono::NaiveDate;
pub use date::{add_months, date, days_in_month, next_business_day, on_or_after_day, parse_date};
pub use interval::{Interval, IntervalUnit};
pub use period::Period;
pub use schedule::{Boundaries, Periods, Schedule};

use crate::error_kind::ErrorKind;

/// What can go wrong with dates, intervals, periods and schedules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The year, month and day do not name a day of the calendar.
    #[error("invalid date {year:04}-{month:02}-{day:02}: no such day")]
    InvalidDate {
        /// The year given.
        year: i32,
        /// The month given.
        month: u32,
        /// The day given.
        day: u32,
    },
    /// The text is not a date in `YYYY-MM-DD` form.
    #[error("invalid date {input:?}: expected YYYY-MM-DD, e.g. \"2026-01-31\"")]
    UnparsableDate {
        /// The text given.
        input: String,
    },
    /// An interval of zero units.
    #[error("invalid interval: the count must be at least 1, got 0")]
    ZeroInterval,
    /// The name is not an interval unit.
    #[error("unknown interval unit {input:?}: expected day, week, month or year")]
    UnknownIntervalUnit {
        /// The text given.
        input: String,
    },
    /// A day of the month outside 1–31.
    #[error("invalid day of the month {day}: expected 1 to 31")]
    InvalidDayOfMonth {
        /// The day given.
        day: u32,
    },
    /// A schedule's anchor is not on its day of the month.
    #[error("schedule anchor {anchor} does not fall on day {day} of its month")]
    AnchorNotOnDay {
        /// The anchor given.
        anchor: NaiveDate,
        /// The day given.
        day: u32,
    },
    /// A period whose end is not after its start.
    #[error("invalid period: end {end} is not after start {start}")]
    EmptyPeriod {
        /// The start given.
        start: NaiveDate,
        /// The end given.
        end: NaiveDate,
    },
    /// A date computation left the supported calendar range.
    #[error("date out of range while computing {operation}")]
    OutOfRange {
        /// What was being computed.
        operation: &'static str,
    },
}

impl CalendarError {
    /// The error's [`ErrorKind`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidDate { .. }
            | Self::UnparsableDate { .. }
            | Self::InvalidDayOfMonth { .. } => ErrorKind::InvalidDate,
            Self::AnchorNotOnDay { .. } => ErrorKind::InvalidInterval,
            Self::ZeroInterval | Self::UnknownIntervalUnit { .. } => ErrorKind::InvalidInterval,
            Self::EmptyPeriod { .. } => ErrorKind::InvalidPeriod,
            Self::OutOfRange { .. } => ErrorKind::DateOutOfRange,
        }
    }
}
