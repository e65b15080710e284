//! Half-open periods of days.

use super::CalendarError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The days from `start` (included) to `end` (excluded): `[start, end)`.
/// Never empty.
///
/// Serialized as `{"start": "2026-01-01", "end": "2026-02-01"}`.
///
/// ```
/// use memberkit::calendar::{Period, date};
/// let january = Period::new(date(2026, 1, 1)?, date(2026, 2, 1)?)?;
/// assert_eq!(january.days(), 31);
/// assert!(january.contains(date(2026, 1, 31)?));
/// assert!(!january.contains(date(2026, 2, 1)?));
/// assert_eq!(january.to_string(), "[2026-01-01, 2026-02-01)");
/// # Ok::<(), memberkit::calendar::CalendarError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "RawPeriod")]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

/// Serialized as a derived `Serialize` would, `{"start": "2026-01-01",
/// "end": "2026-02-01"}`, each date written from one buffer.
impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use crate::digits::DateText;
        use serde::ser::SerializeStruct;
        let mut period = serializer.serialize_struct("Period", 2)?;
        period.serialize_field("start", &DateText(self.start))?;
        period.serialize_field("end", &DateText(self.end))?;
        period.end()
    }
}

#[derive(Deserialize)]
struct RawPeriod {
    start: NaiveDate,
    end: NaiveDate,
}

impl TryFrom<RawPeriod> for Period {
    type Error = CalendarError;
    fn try_from(raw: RawPeriod) -> Result<Self, CalendarError> {
        Period::new(raw.start, raw.end)
    }
}

impl Period {
    /// The period `[start, end)`.
    ///
    /// # Errors
    /// [`CalendarError::EmptyPeriod`] unless `end` is after `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, CalendarError> {
        if end <= start {
            return Err(CalendarError::EmptyPeriod { start, end });
        }
        Ok(Self { start, end })
    }

    /// The first day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The day after the last day.
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// The number of days, at least 1.
    pub fn days(&self) -> u32 {
        // At most ~190 million days fit chrono's range, well within u32.
        self.end.signed_duration_since(self.start).num_days() as u32
    }

    /// Whether `date` lies in `[start, end)`.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {})", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::date;

    #[test]
    fn empty_and_reversed_periods_are_refused() {
        let d = date(2026, 5, 1).unwrap();
        assert_eq!(
            Period::new(d, d),
            Err(CalendarError::EmptyPeriod { start: d, end: d })
        );
        assert!(Period::new(d, date(2026, 4, 30).unwrap()).is_err());
        let err = serde_json::from_str::<Period>(r#"{"start":"2026-05-01","end":"2026-05-01"}"#)
            .unwrap_err();
        assert!(err.to_string().contains("not after"), "{err}");
    }

    #[test]
    fn a_whole_calendar_range_period_counts_its_days() {
        let p = Period::new(NaiveDate::MIN, NaiveDate::MAX).unwrap();
        assert_eq!(
            i64::from(p.days()),
            NaiveDate::MAX
                .signed_duration_since(NaiveDate::MIN)
                .num_days()
        );
    }
}
