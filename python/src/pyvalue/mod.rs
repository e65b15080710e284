//! memberkit values made Python objects directly, without JSON text in
//! between: the objects `memberkit.membership._loads` makes from the same
//! values' JSON, and equal to them. Maps and structs become dicts, sequences
//! lists, strings `str`, numbers `int`, `None` for nothing; a dict value that
//! is an ISO date (`YYYY-MM-DD`) becomes a `datetime.date`, and a dict of
//! exactly `amount` and `currency` a `memberkit.Money`, as `_loads` makes
//! them (list items stay as they are, as there). An instant (chrono's
//! `DateTime`, which serializes itself as RFC 3339 text) becomes an aware
//! `datetime.datetime` with a fixed-offset `datetime.timezone` wherever it
//! is, as `memberkit.booking._loads` makes it; a text field that merely
//! looks like one stays text.

use crate::convert::PyDay;
use crate::money::Money;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike};
use memberkit::booking::Instant;
use memberkit::money::{Currency, Money as CoreMoney};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyDelta, PyDict, PyList, PyString, PyTzInfo};
use pyo3::{IntoPyObjectExt, PyTypeInfo, intern};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::ser;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hash, Hasher};

mod build;
pub(crate) mod de;
use build::{Dict, List, MoneyFields};

/// `value` as the Python objects `_loads` would make of its JSON.
pub(crate) fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    value
        .serialize(Values { py, field: false })
        .map_err(|Error(err)| err)
}

/// A Python error while converting, carried through serde.
pub(crate) struct Error(PyErr);

impl From<PyErr> for Error {
    fn from(err: PyErr) -> Self {
        Error(err)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(PyValueError::new_err(msg.to_string()))
    }
}

/// The date an ISO `YYYY-MM-DD` text names, if it names one Python holds.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
    let year = i32::try_from(number(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)?;
    (year >= 1).then_some(date)
}

/// The `f64` nearest the shortest decimal that reads back as `v`: the
/// number JSON writes for an `f32` (`0.8734`, not `0.8733999729156494`),
/// so a value made here equals the one `_loads` makes of its JSON.
pub(crate) fn f32_as_f64(v: f32) -> f64 {
    if !v.is_finite() {
        return f64::from(v);
    }
    v.to_string().parse().unwrap_or(f64::from(v))
}

/// Objects made once and shared: field names, dates and amounts repeat across
/// a batch's many values, and all three are immutable in Python (as CPython
/// shares small ints). Each thread keeps its own tables (so no lock is
/// taken); a table is cleared when it grows past `LIMIT`.
struct Shared<K, V>(RefCell<HashMap<K, Py<V>, BuildHasherDefault<Fx>>>);

const LIMIT: usize = 4096;

impl<K: Hash + Eq, V> Default for Shared<K, V> {
    fn default() -> Self {
        Shared(RefCell::new(HashMap::default()))
    }
}

impl<K: Hash + Eq, V> Shared<K, V> {
    fn get_or_make<'py>(
        &self,
        py: Python<'py>,
        key: K,
        make: impl FnOnce() -> PyResult<Bound<'py, V>>,
    ) -> PyResult<Bound<'py, V>> {
        if let Some(found) = self.0.borrow().get(&key) {
            return Ok(found.bind(py).clone());
        }
        let made = make()?;
        let mut table = self.0.borrow_mut();
        if table.len() >= LIMIT {
            table.clear();
        }
        table.insert(key, made.clone().unbind());
        Ok(made)
    }
}

/// The Fx hash (rustc's): the tables' keys are a few words, hashed fast.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, word: u32) {
        self.write_u64(u64::from(word));
    }
    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }
}

thread_local! {
    /// Field names, by the address and length of their static text.
    static KEYS: Shared<(usize, usize), PyString> = Shared::default();
    static DATES: Shared<NaiveDate, PyAny> = Shared::default();
    static AMOUNTS: Shared<CoreMoney, Money> = Shared::default();
    /// Instants, by their local time and offset (equal instants with
    /// different offsets are different datetimes).
    static INSTANTS: Shared<(NaiveDateTime, i32), PyAny> = Shared::default();
    static ZONES: Shared<i32, PyTzInfo> = Shared::default();
}

/// `instant` as an aware `datetime.datetime` in its own offset.
pub(crate) fn instant<'py>(py: Python<'py>, instant: &Instant) -> PyResult<Bound<'py, PyAny>> {
    let local = instant.naive_local();
    let seconds = instant.offset().local_minus_utc();
    INSTANTS.with(|instants| {
        instants.get_or_make(py, (local, seconds), || {
            let zone = ZONES.with(|zones| {
                zones.get_or_make(py, seconds, || {
                    PyTzInfo::fixed_offset(py, PyDelta::new(py, 0, seconds, 0, true)?)
                })
            })?;
            if !(1..=9999).contains(&local.year()) {
                let operation = "conversion to a Python datetime (years 1 to 9999)";
                return Err(crate::errors::to_py(
                    memberkit::calendar::CalendarError::OutOfRange { operation },
                ));
            }
            let datetime = PyDateTime::new(
                py,
                local.year(),
                local.month() as u8,
                local.day() as u8,
                local.hour() as u8,
                local.minute() as u8,
                local.second() as u8,
                // A leap second's nanoseconds run past one second: Python has none.
                (local.nanosecond() / 1000).min(999_999),
                Some(&zone),
            )?;
            Ok(datetime.into_any())
        })
    })
}

fn key<'py>(py: Python<'py>, name: &'static str) -> PyResult<Bound<'py, PyAny>> {
    let at = (name.as_ptr() as usize, name.len());
    let string = KEYS.with(|keys| keys.get_or_make(py, at, || Ok(PyString::intern(py, name))))?;
    Ok(string.into_any())
}

fn date<'py>(py: Python<'py>, date: NaiveDate) -> PyResult<Bound<'py, PyAny>> {
    DATES.with(|dates| dates.get_or_make(py, date, || PyDay(date).into_pyobject(py)))
}

fn amount<'py>(py: Python<'py>, money: CoreMoney) -> PyResult<Bound<'py, PyAny>> {
    let object = AMOUNTS
        .with(|amounts| amounts.get_or_make(py, money, || Bound::new(py, Money::from(money))))?;
    Ok(object.into_any())
}

/// Serializes a value into Python objects; `field` when it is a dict's value.
#[derive(Clone, Copy)]
struct Values<'py> {
    py: Python<'py>,
    field: bool,
}

impl<'py> Values<'py> {
    fn object(self, value: impl IntoPyObject<'py>) -> Result<Bound<'py, PyAny>, Error> {
        Ok(value.into_bound_py_any(self.py)?)
    }

    fn dict(self) -> Dict<'py> {
        Dict {
            py: self.py,
            dict: PyDict::new(self.py),
            key: None,
            variant: None,
            money: None,
        }
    }

    fn list(self, len: Option<usize>, variant: Option<&'static str>) -> List<'py> {
        List {
            py: self.py,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant,
        }
    }

    /// `{variant: value}`, as serde writes an externally tagged variant.
    fn tagged(
        self,
        variant: &'static str,
        value: Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let dict = PyDict::new(self.py);
        dict.set_item(variant, value)?;
        Ok(dict.into_any())
    }
}

impl<'py> ser::Serializer for Values<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = List<'py>;
    type SerializeTuple = List<'py>;
    type SerializeTupleStruct = List<'py>;
    type SerializeTupleVariant = List<'py>;
    type SerializeMap = Dict<'py>;
    type SerializeStruct = Dict<'py>;
    type SerializeStructVariant = Dict<'py>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_i128(self, v: i128) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_u128(self, v: u128) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Self::Ok, Error> {
        self.object(f32_as_f64(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok, Error> {
        self.object(v)
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok, Error> {
        match iso_date(v).filter(|_| self.field) {
            Some(day) => Ok(date(self.py, day)?),
            None => self.object(v),
        }
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<Self::Ok, Error> {
        // Types that write themselves as text come here (chrono's dates and
        // instants, a proration): an instant's text is RFC 3339.
        let text = value.to_string();
        match DateTime::parse_from_rfc3339(&text) {
            Ok(at) if text.as_bytes().get(10) == Some(&b'T') => Ok(instant(self.py, &at)?),
            _ => self.serialize_str(&text),
        }
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok, Error> {
        // serde_json writes bytes as an array of numbers.
        Ok(PyList::new(self.py, v)?.into_any())
    }
    fn serialize_none(self) -> Result<Self::Ok, Error> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok, Error> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok, Error> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok, Error> {
        // A variant's name is never a date.
        key(self.py, variant).map_err(Error)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Error> {
        let value = value.serialize(Values {
            field: true,
            ..self
        })?;
        self.tagged(variant, value)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<List<'py>, Error> {
        Ok(self.list(len, None))
    }
    fn serialize_tuple(self, len: usize) -> Result<List<'py>, Error> {
        Ok(self.list(Some(len), None))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<List<'py>, Error> {
        Ok(self.list(Some(len), None))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<List<'py>, Error> {
        Ok(self.list(Some(len), Some(variant)))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Dict<'py>, Error> {
        Ok(self.dict())
    }
    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Dict<'py>, Error> {
        Ok(Dict {
            money: (name == "Money").then(MoneyFields::default),
            ..self.dict()
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Dict<'py>, Error> {
        Ok(Dict {
            variant: Some(variant),
            ..self.dict()
        })
    }
}
