//! Python values memberkit accepts: exact amounts, dates, instants, and
//! dicts through memberkit JSON.

use crate::errors::{invalid_argument, to_py};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeDelta};
use memberkit::booking::Instant;
use memberkit::calendar;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDateTime, PyFloat, PyList, PyString, PyTuple, PyType};
use pyo3::{PyClass, intern};
use rust_decimal::Decimal;
use std::cell::RefCell;

/// An exact amount: `decimal.Decimal`, `int` or a decimal string — never a float.
pub(crate) struct Exact(pub Decimal);

impl FromPyObject<'_, '_> for Exact {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyBool>() {
            let type_name = obj.get_type().name()?;
            return Err(invalid_argument(format!(
                "amounts must be decimal.Decimal, int or str, not {type_name}: floats cannot hold money exactly"
            )));
        }
        if let Ok(text) = obj.cast::<PyString>() {
            let text = text.to_cow()?;
            return text
                .trim()
                .parse()
                .map(Exact)
                .map_err(|_| invalid_argument(format!("{text:?} is not a decimal number")));
        }
        obj.extract::<Decimal>().map(Exact).map_err(|_| {
            invalid_argument(format!(
                "{} is not an exact decimal amount",
                obj.repr().map(|r| r.to_string()).unwrap_or_default()
            ))
        })
    }
}

/// A date: `datetime.date` or an ISO `YYYY-MM-DD` string.
pub(crate) struct Day(pub NaiveDate);

impl FromPyObject<'_, '_> for Day {
    type Error = PyErr;
    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        if let Ok(text) = obj.cast::<PyString>() {
            return calendar::parse_date(&text.to_cow()?)
                .map(Day)
                .map_err(to_py);
        }
        obj.extract::<NaiveDate>().map(Day).map_err(|_| {
            let type_name = obj
                .get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default();
            invalid_argument(format!(
                "expected a datetime.date or a YYYY-MM-DD string, not {type_name}"
            ))
        })
    }
}

/// A date going out to Python: `datetime.date` holds years 1 to 9999 only, so
/// a date beyond them becomes a `DateOutOfRangeError`, not a bare `ValueError`.
pub(crate) struct PyDay(pub NaiveDate);

impl<'py> IntoPyObject<'py> for PyDay {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        if !(1..=9999).contains(&self.0.year()) {
            let operation = "conversion to a Python date (years 1 to 9999)";
            return Err(to_py(calendar::CalendarError::OutOfRange { operation }));
        }
        Ok(self.0.into_pyobject(py)?.into_any())
    }
}

/// `value` as memberkit JSON text, written by `memberkit.membership._dumps`
/// (dates, `Money` and `Decimal` as memberkit's JSON spells them).
pub(crate) fn dumps(value: &Bound<'_, PyAny>) -> PyResult<String> {
    let dumps = value
        .py()
        .import("memberkit.membership")?
        .getattr("_dumps")?;
    dumps.call1((value,))?.extract()
}

/// [`dumps`] of a sequence's items, as a JSON array.
pub(crate) fn dumps_list(py: Python<'_>, items: Vec<Bound<'_, PyAny>>) -> PyResult<String> {
    dumps(PyList::new(py, items)?.as_any())
}

/// memberkit JSON text as Python values, read by `memberkit.membership._loads`
/// (dates as `datetime.date`, amounts as `Money`).
pub(crate) fn loads<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("memberkit.membership")?
        .getattr("_loads")?
        .call1((json,))
}

/// `text` as Python's `repr` writes it: `'m-1'`.
pub(crate) fn str_repr(py: Python<'_>, text: &str) -> PyResult<String> {
    Ok(PyString::new(py, text).repr()?.to_cow()?.into_owned())
}

/// A new object of a class whose instances can never be part of a
/// reference cycle (they hold no Python object, or only such objects),
/// converted to Python out of the cyclic garbage collector's sight, as
/// CPython untracks tuples and dicts of atoms: the collector then never
/// walks the many such objects a batch makes.
pub(crate) struct Untracked<T>(pub T);

impl<'py, T: PyClass + Into<PyClassInitializer<T>>> IntoPyObject<'py> for Untracked<T> {
    type Target = T;
    type Output = Bound<'py, T>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, T>> {
        let object = Bound::new(py, self.0)?;
        // SAFETY: `object` is a live object of a GC type; untracking an
        // object is allowed at any time, and again when it is freed.
        unsafe { pyo3::ffi::PyObject_GC_UnTrack(object.as_ptr().cast()) };
        Ok(object)
    }
}

/// A `str` argument read in place as UTF-8, with no copy: an id a call
/// looks up and lets go of (`&str` arguments under the limited API of
/// Python 3.9 are copied twice, through a `bytes` object).
pub(crate) struct Text<'a>(pub &'a str);

unsafe extern "C" {
    // Part of the limited API from Python 3.10 and exported by every
    // CPython 3 before it (its full API has had it since 3.3), so a module
    // built for the 3.9 limited API may call it.
    fn PyUnicode_AsUTF8AndSize(
        unicode: *mut pyo3::ffi::PyObject,
        size: *mut pyo3::ffi::Py_ssize_t,
    ) -> *const std::ffi::c_char;
}

impl<'a> FromPyObject<'a, '_> for Text<'a> {
    type Error = PyErr;
    fn extract(obj: Borrowed<'a, '_, PyAny>) -> PyResult<Self> {
        let text = obj.cast::<PyString>()?;
        let mut size: pyo3::ffi::Py_ssize_t = 0;
        // SAFETY: `text` is a live `str`; the call only reads it (and
        // caches its UTF-8 form inside it).
        let data = unsafe { PyUnicode_AsUTF8AndSize(text.as_ptr(), &mut size) };
        if data.is_null() {
            return Err(PyErr::fetch(obj.py()));
        }
        // SAFETY: the UTF-8 form is `size` bytes of valid UTF-8 owned by the
        // string object, which outlives `'a`, and never changes.
        let text = unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(
                data.cast::<u8>(),
                usize::try_from(size).unwrap_or(0),
            ))
        };
        Ok(Text(text))
    }
}

/// An instant argument: a timezone-aware `datetime.datetime` (any tzinfo:
/// `timezone`, `zoneinfo.ZoneInfo`, ...) or RFC 3339 text with its offset,
/// as the core's `DateTime<FixedOffset>`. A naive datetime, a date or
/// anything else raises `InvalidArgumentError` naming the argument.
pub(crate) fn instant(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Instant> {
    if let Ok(text) = obj.cast::<PyString>() {
        let text = text.to_cow()?;
        return DateTime::parse_from_rfc3339(text.trim()).map_err(|_| {
            invalid_argument(format!(
                "{name} must be an RFC 3339 instant with its UTC offset \
                 (2026-06-01T10:00:00+09:00), got {text:?}"
            ))
        });
    }
    if !obj.is_instance_of::<PyDateTime>() {
        let type_name = obj.get_type().name()?;
        return Err(invalid_argument(format!(
            "{name} must be a timezone-aware datetime.datetime or RFC 3339 text, not {type_name}"
        )));
    }
    let (fields, tzinfo) = match pickled(obj)? {
        Some(read) => read,
        None => attributes(obj)?,
    };
    let zone = match zone_of(obj, &tzinfo)? {
        Ok(Some(zone)) => zone,
        Ok(None) => {
            return Err(invalid_argument(format!(
                "{name} must be a timezone-aware datetime: {} is naive (give it a tzinfo)",
                obj.repr()?
            )));
        }
        Err(offset) => {
            return Err(invalid_argument(format!(
                "{name} has a UTC offset of {offset}, which is not whole seconds under a day"
            )));
        }
    };
    let [year, month, day, hour, minute, second, micro] = fields;
    NaiveDate::from_ymd_opt(year as i32, month, day)
        .and_then(|day| day.and_hms_micro_opt(hour, minute, second, micro))
        .and_then(|local| local.and_local_timezone(zone).single())
        .ok_or_else(|| invalid_argument(format!("{name} is out of range")))
}

/// A datetime's local fields (year, month, day, hour, minute, second,
/// microsecond) and its tzinfo.
type Fields<'py> = ([u32; 7], Bound<'py, PyAny>);

/// The fields of a `datetime.datetime` of exactly that type, from its
/// pickled state in one call of `datetime.__reduce__` (the limited API has
/// no field macros; this takes about half the instructions of
/// [`attributes`]). It gives `(datetime, (state, tzinfo))`, the state being
/// the 10 bytes pickles have always held: the year in two, month, day,
/// hour, minute, second, the microsecond in three, big-endian. `None` for a
/// subclass, which may pickle itself otherwise.
fn pickled<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Fields<'py>>> {
    let py = obj.py();
    static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    static REDUCE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let datetime = DATETIME.import(py, "datetime", "datetime")?;
    if !obj.get_type().is(datetime) {
        return Ok(None);
    }
    let reduce = REDUCE.get_or_try_init(py, || {
        datetime
            .getattr(intern!(py, "__reduce__"))
            .map(Bound::unbind)
    })?;
    let reduced = reduce.bind(py).call1((obj,))?;
    let args = reduced.cast::<PyTuple>()?.get_item(1)?;
    let args = args.cast::<PyTuple>()?;
    let Ok(state) = args.get_item(0)?.cast_into::<PyBytes>() else {
        return Ok(None);
    };
    let &[y0, y1, month, day, hour, minute, second, u0, u1, u2] = state.as_bytes() else {
        return Ok(None);
    };
    let tzinfo = match args.len() {
        1 => py.None().into_bound(py),
        _ => args.get_item(1)?,
    };
    let year = (u32::from(y0) << 8) | u32::from(y1);
    let micro = (u32::from(u0) << 16) | (u32::from(u1) << 8) | u32::from(u2);
    let [month, day, hour, minute, second] = [month, day, hour, minute, second].map(u32::from);
    Ok(Some((
        [year, month, day, hour, minute, second, micro],
        tzinfo,
    )))
}

/// The fields of any `datetime.datetime`, read as its attributes.
fn attributes<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Fields<'py>> {
    let py = obj.py();
    let field = |field: &Bound<'_, PyString>| -> PyResult<u32> { obj.getattr(field)?.extract() };
    Ok((
        [
            field(intern!(py, "year"))?,
            field(intern!(py, "month"))?,
            field(intern!(py, "day"))?,
            field(intern!(py, "hour"))?,
            field(intern!(py, "minute"))?,
            field(intern!(py, "second"))?,
            field(intern!(py, "microsecond"))?,
        ],
        obj.getattr(intern!(py, "tzinfo"))?,
    ))
}

thread_local! {
    /// The last `datetime.timezone` an instant came with, and its offset:
    /// a fixed offset does not depend on the datetime, and hosts pass the
    /// same few timezone objects again and again.
    static LAST_ZONE: RefCell<Option<(Py<PyAny>, FixedOffset)>> = const { RefCell::new(None) };
}

/// The offset of an aware datetime (`None` when naive; the offset itself
/// when it is not whole seconds under a day).
fn zone_of(
    datetime: &Bound<'_, PyAny>,
    tzinfo: &Bound<'_, PyAny>,
) -> PyResult<Result<Option<FixedOffset>, TimeDelta>> {
    let py = datetime.py();
    if tzinfo.is_none() {
        return Ok(Ok(None));
    }
    let cached = LAST_ZONE.with(|last| {
        let last = last.borrow();
        last.as_ref()
            .filter(|(zone, _)| zone.bind(py).is(tzinfo))
            .map(|(_, offset)| *offset)
    });
    if cached.is_some() {
        return Ok(Ok(cached));
    }
    let offset = datetime.call_method0(intern!(py, "utcoffset"))?;
    if offset.is_none() {
        return Ok(Ok(None));
    }
    let offset: TimeDelta = offset.extract()?;
    let Some(zone) = i32::try_from(offset.num_seconds())
        .ok()
        .filter(|_| offset.subsec_nanos() == 0)
        .and_then(FixedOffset::east_opt)
    else {
        return Ok(Err(offset));
    };
    if is_fixed(tzinfo) {
        LAST_ZONE.with(|last| *last.borrow_mut() = Some((tzinfo.clone().unbind(), zone)));
    }
    Ok(Ok(Some(zone)))
}

/// Whether `tzinfo` is a `datetime.timezone`, whose offset is fixed.
fn is_fixed(tzinfo: &Bound<'_, PyAny>) -> bool {
    let py = tzinfo.py();
    static TIMEZONE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    TIMEZONE
        .import(py, "datetime", "timezone")
        .is_ok_and(|class| tzinfo.get_type().is(class))
}
