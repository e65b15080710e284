//! `memberkit.Schedule`, `memberkit.Period` and the date functions.

use crate::convert::{Day, PyDay};
use crate::errors::to_py;
use memberkit::calendar::{
    self, Interval, IntervalUnit, Period as CorePeriod, Schedule as CoreSchedule,
};
use pyo3::prelude::*;

/// The days from `start` (included) to `end` (excluded).
#[pyclass(frozen, eq, hash, module = "memberkit", name = "Period")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Period(CorePeriod);

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
/// whole `k`, each computed from the anchor.
#[pyclass(frozen, eq, hash, module = "memberkit", name = "Schedule")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Schedule(CoreSchedule);

#[pymethods]
impl Schedule {
    #[new]
    #[pyo3(signature = (anchor, unit = "month", count = 1))]
    fn new(anchor: Day, unit: &str, count: i64) -> PyResult<Self> {
        let unit: IntervalUnit = unit.parse().map_err(to_py)?;
        let count: u32 = memberkit::count("count", count).map_err(to_py)?;
        let interval = Interval::new(unit, count).map_err(to_py)?;
        Ok(Schedule(CoreSchedule::new(anchor.0, interval)))
    }

    #[getter]
    fn anchor(&self) -> PyDay {
        PyDay(self.0.anchor())
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
        format!(
            "Schedule('{}', unit='{}', count={})",
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
