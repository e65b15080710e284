//! `memberkit.Schedule`, `memberkit.Period` and the date functions.

use crate::convert::{Day, PyDay};
use crate::errors::to_py;
use chrono::Datelike;
use memberkit::calendar::{
    self, Interval, IntervalUnit, Period as CorePeriod, Schedule as CoreSchedule,
};
use pyo3::prelude::*;

/// The days from `start` (included) to `end` (excluded).
#[pyclass(frozen, eq, hash, module = "memberkit", name = "Period")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Period(CorePeriod);

impl From<CorePeriod> for Period {
    fn from(period: CorePeriod) -> Self {
        Period(period)
    }
}

#[pymethods]
impl Period {
    #[new]
    fn new(start: Day, end: Day) -> PyResult<Self> {
        CorePeriod::new(start.0, end.0).map(Period).map_err(to_py)
    }

    #[getter]
    fn start(&self) -> PyDay {
        PyDay(self.0.start())
    }

    #[getter]
    fn end(&self) -> PyDay {
        PyDay(self.0.end())
    }

    #[getter]
    fn days(&self) -> u32 {
        self.0.days()
    }

    fn __contains__(&self, day: Day) -> bool {
        self.0.contains(day.0)
    }

    fn __repr__(&self) -> String {
        format!("Period('{}', '{}')", self.0.start(), self.0.end())
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }
}

/// A recurring schedule: the boundaries `anchor + k × interval` for every
/// whole `k`, each computed from the anchor; month and year boundaries fall
/// on the schedule's day of the month (the anchor's unless given).
#[pyclass(frozen, eq, hash, module = "memberkit", name = "Schedule")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Schedule(CoreSchedule);

/// Every `count` `unit`s, from Python's arguments.
fn interval(unit: &str, count: i64) -> PyResult<Interval> {
    let unit: IntervalUnit = unit.parse().map_err(to_py)?;
    let count: u32 = memberkit::count("count", count).map_err(to_py)?;
    Interval::new(unit, count).map_err(to_py)
}

/// A day of the month from Python: 1–31 is checked by the core, so only
/// what a `u32` cannot hold is refused here.
fn day_of_month(day: i64) -> PyResult<u32> {
    memberkit::count("day", day).map_err(to_py)
}

#[pymethods]
impl Schedule {
    /// The schedule through `anchor`; with `day`, its month and year
    /// boundaries fall on that day of the month, which `anchor` must be on
    /// (or on the last day of a shorter month).
    #[new]
    #[pyo3(signature = (anchor, unit = "month", count = 1, *, day = None))]
    fn new(anchor: Day, unit: &str, count: i64, day: Option<i64>) -> PyResult<Self> {
        let interval = interval(unit, count)?;
        match day {
            None => Ok(Schedule(CoreSchedule::new(anchor.0, interval))),
            Some(day) => CoreSchedule::with_day(anchor.0, interval, day_of_month(day)?)
                .map(Schedule)
                .map_err(to_py),
        }
    }

    /// The schedule whose month or year boundaries fall on `day` of the
    /// month (clamped to short months), anchored on the first such boundary
    /// on or after `start`; day and week schedules ignore `day`.
    #[staticmethod]
    #[pyo3(signature = (start, day, unit = "month", count = 1))]
    fn on_day(start: Day, day: i64, unit: &str, count: i64) -> PyResult<Self> {
        let interval = interval(unit, count)?;
        CoreSchedule::on_day(start.0, interval, day_of_month(day)?)
            .map(Schedule)
            .map_err(to_py)
    }

    #[getter]
    fn anchor(&self) -> PyDay {
        PyDay(self.0.anchor())
    }

    #[getter]
    fn day(&self) -> u32 {
        self.0.day()
    }

    #[getter]
    fn unit(&self) -> &'static str {
        self.0.interval().unit().name()
    }

    #[getter]
    fn count(&self) -> u32 {
        self.0.interval().count()
    }

    fn boundary(&self, k: i64) -> PyResult<PyDay> {
        self.0.boundary(k).map(PyDay).map_err(to_py)
    }

    fn index_of(&self, day: Day) -> PyResult<i64> {
        self.0.index_of(day.0).map_err(to_py)
    }

    fn period_containing(&self, day: Day) -> PyResult<Period> {
        self.0.period_containing(day.0).map(Period).map_err(to_py)
    }

    fn next_after(&self, day: Day) -> PyResult<PyDay> {
        self.0.next_after(day.0).map(PyDay).map_err(to_py)
    }

    fn boundaries(&self, start: Day, end: Day) -> PyResult<Vec<PyDay>> {
        let range = CorePeriod::new(start.0, end.0).map_err(to_py)?;
        Ok(self
            .0
            .boundaries(range)
            .map_err(to_py)?
            .map(PyDay)
            .collect())
    }

    fn periods(&self, start: Day, end: Day) -> PyResult<Vec<Period>> {
        let range = CorePeriod::new(start.0, end.0).map_err(to_py)?;
        Ok(self.0.periods(range).map_err(to_py)?.map(Period).collect())
    }

    fn __repr__(&self) -> String {
        let i = self.0.interval();
        let day = if self.0.day() == self.0.anchor().day() {
            String::new()
        } else {
            format!(", day={}", self.0.day())
        };
        format!(
            "Schedule('{}', unit='{}', count={}{day})",
            self.0.anchor(),
            i.unit().name(),
            i.count()
        )
    }
}

/// Parses a `YYYY-MM-DD` date.
#[pyfunction]
fn parse_date(text: &str) -> PyResult<PyDay> {
    calendar::parse_date(text).map(PyDay).map_err(to_py)
}

/// `day` shifted by `months`, clamped to the target month's end.
#[pyfunction]
fn add_months(day: Day, months: i64) -> PyResult<PyDay> {
    calendar::add_months(day.0, months)
        .map(PyDay)
        .map_err(to_py)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Period>()?;
    m.add_class::<Schedule>()?;
    m.add_function(wrap_pyfunction!(parse_date, m)?)?;
    m.add_function(wrap_pyfunction!(add_months, m)?)?;
    Ok(())
}
