//! Anchored schedules: the boundaries `anchor + k × interval` for every whole `k`.

use super::date::with_day_clamped;
use super::{CalendarError, Interval, IntervalUnit, Period};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A recurring schedule: the boundaries `anchor + k × interval` for every
/// integer `k`, each computed from the anchor so that a month-end anchor comes
/// back to its day whenever the month has it.
///
/// Serialized as `{"anchor": "2026-01-31", "interval": {"unit": "month", "count": 1}}`.
///
/// ```
/// use memberkit::calendar::{Interval, Schedule, date};
/// let monthly = Schedule::new(date(2026, 1, 31)?, Interval::months(1)?);
/// assert_eq!(monthly.boundary(1)?, date(2026, 2, 28)?);
/// assert_eq!(monthly.boundary(2)?, date(2026, 3, 31)?);
/// assert_eq!(monthly.boundary(-2)?, date(2025, 11, 30)?);
/// let period = monthly.period_containing(date(2026, 3, 5)?)?;
/// assert_eq!(period.to_string(), "[2026-02-28, 2026-03-31)");
/// # Ok::<(), memberkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawSchedule")]
pub struct Schedule {
    anchor: NaiveDate,
    interval: Interval,
    /// The day of the month that month and year boundaries fall on (clamped
    /// to short months); the anchor's own day unless set otherwise.
    day: u32,
}

#[derive(Deserialize)]
struct RawSchedule {
    anchor: NaiveDate,
    interval: Interval,
    day: Option<u32>,
}

impl TryFrom<RawSchedule> for Schedule {
    type Error = CalendarError;
    fn try_from(raw: RawSchedule) -> Result<Self, CalendarError> {
        match raw.day {
            None => Ok(Schedule::new(raw.anchor, raw.interval)),
            Some(day) => Schedule::with_day(raw.anchor, raw.interval, day),
        }
    }
}

impl Schedule {
    /// The schedule through `anchor`, repeating every `interval`.
    pub fn new(anchor: NaiveDate, interval: Interval) -> Self {
        Self {
            anchor,
            interval,
            day: anchor.day(),
        }
    }

    /// The schedule whose month or year boundaries fall on `day` of the month
    /// (clamped to short months, returning to `day` when the month has it),
    /// anchored on the first such boundary on or after `from`. Day and week
    /// intervals ignore `day` and are anchored on `from`.
    ///
    /// # Errors
    /// [`CalendarError::InvalidDayOfMonth`] unless `day` is 1–31;
    /// [`CalendarError::OutOfRange`] at the end of the calendar.
    ///
    /// # Example
    /// ```
    /// use memberkit::calendar::{Interval, Schedule, date};
    /// // Billed on the 31st, starting Feb 10: the first boundary is Feb 28.
    /// let s = Schedule::on_day(date(2026, 2, 10)?, Interval::months(1)?, 31)?;
    /// assert_eq!(s.anchor(), date(2026, 2, 28)?);
    /// assert_eq!(s.boundary(1)?, date(2026, 3, 31)?);
    /// assert_eq!(s.boundary(-1)?, date(2026, 1, 31)?);
    /// # Ok::<(), memberkit::Error>(())
    /// ```
    pub fn on_day(from: NaiveDate, interval: Interval, day: u32) -> Result<Self, CalendarError> {
        if !(1..=31).contains(&day) {
            return Err(CalendarError::InvalidDayOfMonth { day });
        }
        if matches!(interval.unit(), IntervalUnit::Day | IntervalUnit::Week) {
            return Ok(Self::new(from, interval));
        }
        let this_month = with_day_clamped(from, 0, day)?;
        let anchor = if this_month >= from {
            this_month
        } else {
            with_day_clamped(from, 1, day)?
        };
        Ok(Self {
            anchor,
            interval,
            day,
        })
    }

    /// The schedule of calendar weeks that start on `weekday`, anchored on
    /// the first such day on or after `from`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] at the end of the calendar.
    ///
    /// # Example
    /// ```
    /// use chrono::Weekday;
    /// use memberkit::calendar::{Interval, Schedule, date};
    /// // Weeks from Monday, starting on Wednesday 2026-04-15.
    /// let s = Schedule::on_weekday(date(2026, 4, 15)?, Interval::weeks(1)?, Weekday::Mon)?;
    /// assert_eq!(s.anchor(), date(2026, 4, 20)?);
    /// assert_eq!(s.period_containing(date(2026, 4, 15)?)?.to_string(), "[2026-04-13, 2026-04-20)");
    /// # Ok::<(), memberkit::Error>(())
    /// ```
    pub fn on_weekday(
        from: NaiveDate,
        interval: Interval,
        weekday: chrono::Weekday,
    ) -> Result<Self, CalendarError> {
        let ahead =
            (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
        let anchor = from
            .checked_add_days(chrono::Days::new(u64::from(ahead)))
            .ok_or(CalendarError::OutOfRange {
                operation: "the next weekday",
            })?;
        Ok(Self::new(anchor, interval))
    }

    /// The schedule through `anchor` whose month or year boundaries fall on
    /// `day` of the month, as [`Schedule::on_day`] makes it: `anchor` must
    /// be on `day`, or on the last day of a month shorter than `day`. This
    /// rebuilds a schedule from its parts (`anchor()`, `interval()`, `day()`).
    /// Day and week intervals ignore `day`, as in [`Schedule::on_day`].
    ///
    /// # Errors
    /// [`CalendarError::InvalidDayOfMonth`] unless `day` is 1–31;
    /// [`CalendarError::AnchorNotOnDay`] when `anchor` is not on `day`.
    ///
    /// # Example
    /// ```
    /// use memberkit::calendar::{Interval, Schedule, date};
    /// let s = Schedule::on_day(date(2026, 2, 10)?, Interval::months(1)?, 30)?;
    /// assert_eq!(Schedule::with_day(s.anchor(), s.interval(), s.day())?, s);
    /// assert_eq!(s.anchor(), date(2026, 2, 28)?);
    /// assert!(Schedule::with_day(date(2026, 3, 28)?, Interval::months(1)?, 30).is_err());
    /// # Ok::<(), memberkit::Error>(())
    /// ```
    pub fn with_day(
        anchor: NaiveDate,
        interval: Interval,
        day: u32,
    ) -> Result<Self, CalendarError> {
        let schedule = Self::on_day(anchor, interval, day)?;
        if schedule.anchor != anchor {
            return Err(CalendarError::AnchorNotOnDay { anchor, day });
        }
        Ok(schedule)
    }

    /// The day of the month that month and year boundaries fall on.
    pub fn day(&self) -> u32 {
        self.day
    }

    /// The anchor: boundary 0.
    pub fn anchor(&self) -> NaiveDate {
        self.anchor
    }

    /// The interval between boundaries.
    pub fn interval(&self) -> Interval {
        self.interval
    }

    /// Boundary number `k`: `anchor + k × interval` (negative `k` goes back).
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when it leaves the supported calendar.
    pub fn boundary(&self, k: i64) -> Result<NaiveDate, CalendarError> {
        self.interval.shift_on_day(self.anchor, k, self.day)
    }

    /// The number `k` of the period `[boundary(k), boundary(k + 1))` that holds `date`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when the boundaries around `date` leave the
    /// supported calendar.
    ///
    /// # Example
    /// ```
    /// use memberkit::calendar::{Interval, Schedule, date};
    /// let weekly = Schedule::new(date(2026, 1, 5)?, Interval::weeks(1)?);
    /// assert_eq!(weekly.index_of(date(2026, 1, 11)?)?, 0);
    /// assert_eq!(weekly.index_of(date(2026, 1, 12)?)?, 1);
    /// assert_eq!(weekly.index_of(date(2026, 1, 4)?)?, -1);
    /// # Ok::<(), memberkit::Error>(())
    /// ```
    pub fn index_of(&self, date: NaiveDate) -> Result<i64, CalendarError> {
        let count = i64::from(self.interval.count());
        let mut k = match self.interval.unit() {
            IntervalUnit::Day | IntervalUnit::Week => {
                let per = if self.interval.unit() == IntervalUnit::Week {
                    7
                } else {
                    1
                };
                let days = date.signed_duration_since(self.anchor).num_days();
                return Ok(days.div_euclid(count * per));
            }
            IntervalUnit::Month | IntervalUnit::Year => {
                let per = if self.interval.unit() == IntervalUnit::Year {
                    12
                } else {
                    1
                };
                let months = month_index(date) - month_index(self.anchor);
                let k = months.div_euclid(count * per);
                // The estimate's boundary falls in `date`'s month or before
                // it, on the schedule's day or earlier (clamped): on or
                // before `date` whenever `date` is on or past that day.
                if date.day() >= self.day {
                    return Ok(k);
                }
                k
            }
        };
        // The estimate's boundary lies in `date`'s month or before it; only a
        // clamped or later anchor day can put it after `date`, one step too far.
        while self.boundary(k)? > date {
            k -= 1;
        }
        Ok(k)
    }

    /// The period of the schedule that holds `date`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when its boundaries leave the supported calendar.
    pub fn period_containing(&self, date: NaiveDate) -> Result<Period, CalendarError> {
        let k = self.index_of(date)?;
        self.period(k)
    }

    /// Period number `k`: `[boundary(k), boundary(k + 1))`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when its boundaries leave the supported calendar.
    pub fn period(&self, k: i64) -> Result<Period, CalendarError> {
        let next = k.checked_add(1).ok_or(CalendarError::OutOfRange {
            operation: "schedule index",
        })?;
        Period::new(self.boundary(k)?, self.boundary(next)?)
    }

    /// The first boundary strictly after `date`: the next billing date.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when it leaves the supported calendar.
    ///
    /// # Example
    /// ```
    /// use memberkit::calendar::{Interval, Schedule, date};
    /// let monthly = Schedule::new(date(2026, 1, 15)?, Interval::months(1)?);
    /// assert_eq!(monthly.next_after(date(2026, 1, 15)?)?, date(2026, 2, 15)?);
    /// assert_eq!(monthly.next_after(date(2026, 1, 14)?)?, date(2026, 1, 15)?);
    /// # Ok::<(), memberkit::Error>(())
    /// ```
    pub fn next_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        Ok(self.period_containing(date)?.end())
    }

    /// The boundaries that fall in `range`, in order.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when the boundaries around `range` leave the
    /// supported calendar.
    pub fn boundaries(&self, range: Period) -> Result<Boundaries, CalendarError> {
        let mut first = self.index_of(range.start())?;
        if self.boundary(first)? < range.start() {
            first += 1;
        }
        let last = self.index_of(last_day(range))?;
        Ok(Boundaries {
            schedule: *self,
            next: first,
            last,
        })
    }

    /// The whole periods of the schedule that overlap `range`, in order: the
    /// first holds `range.start()`, the last holds the last day of `range`,
    /// and each starts where the previous one ends.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when the periods around `range` leave the
    /// supported calendar.
    ///
    /// # Example
    /// ```
    /// use memberkit::calendar::{Interval, Period, Schedule, date};
    /// let monthly = Schedule::new(date(2026, 1, 10)?, Interval::months(1)?);
    /// let spring = Period::new(date(2026, 3, 1)?, date(2026, 5, 1)?)?;
    /// let periods: Vec<String> = monthly.periods(spring)?.map(|p| p.to_string()).collect();
    /// assert_eq!(periods, [
    ///     "[2026-02-10, 2026-03-10)",
    ///     "[2026-03-10, 2026-04-10)",
    ///     "[2026-04-10, 2026-05-10)",
    /// ]);
    /// # Ok::<(), memberkit::Error>(())
    /// ```
    pub fn periods(&self, range: Period) -> Result<Periods, CalendarError> {
        let first = self.index_of(range.start())?;
        let last = self.index_of(last_day(range))?;
        // Validate the far end once so that iteration cannot fail.
        self.period(last)?;
        Ok(Periods {
            schedule: *self,
            next: first,
            last,
        })
    }
}

fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

fn last_day(range: Period) -> NaiveDate {
    // `end` is after `start`, so it has a predecessor.
    range.end().pred_opt().unwrap_or(range.start())
}

/// The boundaries of a [`Schedule`] in a range; see [`Schedule::boundaries`].
#[derive(Debug, Clone)]
pub struct Boundaries {
    schedule: Schedule,
    next: i64,
    last: i64,
}

impl Iterator for Boundaries {
    type Item = NaiveDate;
    fn next(&mut self) -> Option<NaiveDate> {
        if self.next > self.last {
            return None;
        }
        // Every boundary between two valid ones is valid.
        let date = self.schedule.boundary(self.next).ok()?;
        self.next += 1;
        Some(date)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::try_from(self.last - self.next + 1).unwrap_or(0);
        (n, Some(n))
    }
}

impl ExactSizeIterator for Boundaries {}

/// The periods of a [`Schedule`] over a range; see [`Schedule::periods`].
#[derive(Debug, Clone)]
pub struct Periods {
    schedule: Schedule,
    next: i64,
    last: i64,
}

impl Iterator for Periods {
    type Item = Period;
    fn next(&mut self) -> Option<Period> {
        if self.next > self.last {
            return None;
        }
        // The last period was validated when the iterator was made.
        let period = self.schedule.period(self.next).ok()?;
        self.next += 1;
        Some(period)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::try_from(self.last - self.next + 1).unwrap_or(0);
        (n, Some(n))
    }
}

impl ExactSizeIterator for Periods {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{date, days_in_month};
    use crate::strategies;
    use proptest::prelude::*;

    #[test]
    fn month_end_anchor_returns_to_the_31st() {
        let s = Schedule::new(date(2026, 1, 31).unwrap(), Interval::months(1).unwrap());
        let year = Period::new(date(2026, 1, 1).unwrap(), date(2027, 1, 1).unwrap()).unwrap();
        let days: Vec<u32> = s.boundaries(year).unwrap().map(|d| d.day()).collect();
        assert_eq!(days, [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    }

    #[test]
    fn a_billing_day_schedule_returns_to_its_day_after_a_clamped_anchor() {
        let s =
            Schedule::on_day(date(2026, 2, 1).unwrap(), Interval::months(1).unwrap(), 30).unwrap();
        assert_eq!(s.anchor(), date(2026, 2, 28).unwrap());
        let days: Vec<u32> = (0..4).map(|k| s.boundary(k).unwrap().day()).collect();
        assert_eq!(days, [28, 30, 30, 30]);
        assert_eq!(s.index_of(date(2026, 3, 29).unwrap()).unwrap(), 0);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Schedule>(&json).unwrap(), s);
        assert!(
            Schedule::on_day(date(2026, 2, 1).unwrap(), Interval::months(1).unwrap(), 32).is_err()
        );
        let bad = r#"{"anchor":"2026-02-27","interval":{"unit":"month","count":1},"day":30}"#;
        assert!(serde_json::from_str::<Schedule>(bad).is_err());
    }

    #[test]
    fn index_of_corrects_for_a_clamped_anchor_day() {
        let s = Schedule::new(date(2026, 1, 31).unwrap(), Interval::months(1).unwrap());
        assert_eq!(s.index_of(date(2026, 3, 30).unwrap()).unwrap(), 1);
        assert_eq!(s.index_of(date(2026, 3, 31).unwrap()).unwrap(), 2);
        assert_eq!(s.index_of(date(2025, 12, 31).unwrap()).unwrap(), -1);
        assert_eq!(s.index_of(date(2025, 12, 30).unwrap()).unwrap(), -2);
    }

    #[test]
    fn a_range_between_two_boundaries_has_no_boundary_and_one_period() {
        let s = Schedule::new(date(2026, 1, 1).unwrap(), Interval::years(1).unwrap());
        let range = Period::new(date(2026, 3, 1).unwrap(), date(2026, 4, 1).unwrap()).unwrap();
        assert_eq!(s.boundaries(range).unwrap().count(), 0);
        assert_eq!(s.periods(range).unwrap().len(), 1);
    }

    #[test]
    fn schedules_at_the_edge_of_the_calendar_refuse_rather_than_panic() {
        let s = Schedule::new(NaiveDate::MAX, Interval::days(1).unwrap());
        assert!(s.next_after(NaiveDate::MAX).is_err());
        let eve = NaiveDate::MAX.pred_opt().unwrap();
        let range = Period::new(eve, NaiveDate::MAX).unwrap();
        assert!(s.periods(range).is_ok());
        let two_days = Schedule::new(eve, Interval::days(2).unwrap());
        assert!(two_days.periods(range).is_err());
        let far = Schedule::new(NaiveDate::MIN, Interval::years(1).unwrap());
        assert!(far.period_containing(NaiveDate::MAX).is_err());
    }

    proptest! {
        #[test]
        fn periods_tile_the_range_without_gap_or_overlap(
            schedule in strategies::schedule(),
            start in strategies::date_between(2000, 2100),
            len in 1_u64..2_000,
        ) {
            let end = start.checked_add_days(chrono::Days::new(len)).unwrap();
            let range = Period::new(start, end).unwrap();
            let periods: Vec<Period> = schedule.periods(range).unwrap().collect();
            prop_assert!(periods[0].contains(start));
            prop_assert!(periods.last().unwrap().contains(end.pred_opt().unwrap()));
            for pair in periods.windows(2) {
                prop_assert_eq!(pair[0].end(), pair[1].start());
            }
            let boundaries: Vec<NaiveDate> = schedule.boundaries(range).unwrap().collect();
            let inside: Vec<NaiveDate> = periods.iter().map(|p| p.start()).filter(|d| range.contains(*d)).collect();
            prop_assert_eq!(boundaries, inside);
        }

        #[test]
        fn the_period_containing_a_date_contains_it(
            schedule in strategies::schedule(), day in strategies::date_between(1900, 2200),
        ) {
            let period = schedule.period_containing(day).unwrap();
            prop_assert!(period.contains(day));
            prop_assert_eq!(schedule.next_after(day).unwrap(), period.end());
        }

        #[test]
        fn monthly_schedules_come_back_to_the_anchor_day(
            anchor in strategies::date_between(1990, 2060), months in 1_u32..=24, k in -100_i64..100,
        ) {
            let interval = Interval::months(months).unwrap();
            let b = Schedule::new(anchor, interval).boundary(k).unwrap();
            let expected = anchor.day().min(days_in_month(b.year(), b.month()).unwrap());
            prop_assert_eq!(b.day(), expected);
            let elapsed = month_index(b) - month_index(anchor);
            prop_assert_eq!(elapsed, k * i64::from(months));
        }
    }
}
