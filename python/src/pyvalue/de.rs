//! Python values read as memberkit values directly, without JSON text in
//! between: a dict (or any mapping), list or tuple, `str`, `int`, `float`,
//! `bool` and `None` as their JSON counterparts, and what
//! `memberkit.membership._dumps` writes as text — a `datetime.date` (ISO),
//! an aware `datetime.datetime` (RFC 3339), a `decimal.Decimal` — and a
//! `memberkit.Money` as its `{"amount", "currency"}`. [`from_py`] names the
//! path of a bad field as the JSON readers do.

use crate::convert::instant;
use crate::money::Money;
use chrono::NaiveDate;
use memberkit::json::JsonError;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple,
};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use std::fmt;

/// `value` read as a `T`; `what` names it in errors (`"chat member"`).
pub(crate) fn from_py<T: DeserializeOwned>(
    value: &Bound<'_, PyAny>,
    what: &'static str,
) -> Result<T, Failure> {
    serde_path_to_error::deserialize(Value(value)).map_err(|err| {
        let path = err.path().to_string();
        match err.into_inner() {
            Error::Python(err) => Failure::Python(err),
            Error::Message(message) => Failure::Json(JsonError {
                what,
                path,
                message,
            }),
        }
    })
}

/// Why [`from_py`] failed: a value of the wrong shape, or a Python error
/// while reading one (a mapping whose `items()` raised).
pub(crate) enum Failure {
    Json(JsonError),
    Python(PyErr),
}

/// An error while reading.
#[derive(Debug)]
pub(crate) enum Error {
    Message(String),
    Python(PyErr),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Message(message) => f.write_str(message),
            Error::Python(err) => fmt::Display::fmt(err, f),
        }
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::Message(msg.to_string())
    }
}

impl From<PyErr> for Error {
    fn from(err: PyErr) -> Self {
        Error::Python(err)
    }
}

/// One Python value being read.
struct Value<'a, 'py>(&'a Bound<'py, PyAny>);

fn unsupported(obj: &Bound<'_, PyAny>) -> Error {
    let type_name = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    Error::Message(format!(
        "invalid type: {type_name}, expected a JSON value (a dict, list, str, int, float, bool, None, date, Decimal or Money)"
    ))
}

/// The text `_dumps` writes for a date, an instant or a decimal; `None` for
/// anything else.
fn as_text(obj: &Bound<'_, PyAny>) -> Result<Option<String>, Error> {
    if obj.is_instance_of::<PyDateTime>() {
        return Ok(Some(instant(obj, "a datetime")?.to_rfc3339()));
    }
    if obj.is_instance_of::<PyDate>() {
        return Ok(Some(obj.extract::<NaiveDate>()?.to_string()));
    }
    if obj.get_type().name()? == "Decimal" {
        return Ok(Some(obj.str()?.to_cow()?.into_owned()));
    }
    Ok(None)
}

impl<'de> de::Deserializer<'de> for Value<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let obj = self.0;
        if obj.is_none() {
            return visitor.visit_unit();
        }
        if let Ok(text) = obj.cast::<PyString>() {
            return visitor.visit_str(&text.to_cow()?);
        }
        if let Ok(flag) = obj.cast::<PyBool>() {
            return visitor.visit_bool(flag.is_true());
        }
        if obj.is_instance_of::<PyInt>() {
            if let Ok(n) = obj.extract::<i64>() {
                return visitor.visit_i64(n);
            }
            if let Ok(n) = obj.extract::<u64>() {
                return visitor.visit_u64(n);
            }
            return Err(Error::Message(format!("number out of range: {obj}")));
        }
        if let Ok(number) = obj.cast::<PyFloat>() {
            return visitor.visit_f64(number.value());
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            return visit_items(dict, visitor);
        }
        if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            let items = obj.try_iter()?.collect::<PyResult<Vec<_>>>()?;
            return visit_seq(&items, visitor);
        }
        if let Ok(money) = obj.cast::<Money>() {
            let money = money.get().inner();
            let fields = [
                ("amount", money.amount().to_string()),
                ("currency", money.currency().code().to_owned()),
            ];
            return visitor.visit_map(de::value::MapDeserializer::<_, Error>::new(
                fields.into_iter(),
            ));
        }
        if let Some(text) = as_text(obj)? {
            return visitor.visit_string(text);
        }
        if let Ok(mapping) = obj.cast::<PyMapping>() {
            let dict = PyDict::new(obj.py());
            dict.update(mapping)?;
            return visit_items(&dict, visitor);
        }
        Err(unsupported(obj))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_none() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// An externally tagged enum: `"variant"`, or `{"variant": value}`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let obj = self.0;
        if let Ok(text) = obj.cast::<PyString>() {
            let variant: String = text.to_cow()?.into_owned();
            return visitor.visit_enum(variant.into_deserializer());
        }
        if let Ok(dict) = obj.cast::<PyDict>()
            && dict.len() == 1
            && let Some((key, value)) = dict.iter().next()
        {
            let variant = key.cast_into::<PyString>().map_err(PyErr::from)?;
            return visitor.visit_enum(Enum {
                variant: variant.to_cow()?.into_owned(),
                value: &value,
            });
        }
        Err(de::Error::invalid_type(
            de::Unexpected::Other("a value that is not an enum"),
            &"a string or a dict of one entry",
        ))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

fn visit_items<'de, V: Visitor<'de>>(
    dict: &Bound<'_, PyDict>,
    visitor: V,
) -> Result<V::Value, Error> {
    let items: Vec<_> = dict.iter().collect();
    visitor.visit_map(Items {
        items: items.iter(),
        value: None,
    })
}

fn visit_seq<'de, V: Visitor<'de>>(
    items: &[Bound<'_, PyAny>],
    visitor: V,
) -> Result<V::Value, Error> {
    visitor.visit_seq(Seq(items.iter()))
}

struct Seq<'a, 'py>(std::slice::Iter<'a, Bound<'py, PyAny>>);

impl<'de> de::SeqAccess<'de> for Seq<'_, '_> {
    type Error = Error;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next()
            .map(|item| seed.deserialize(Value(item)))
            .transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Items<'a, 'py> {
    items: std::slice::Iter<'a, (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    value: Option<&'a Bound<'py, PyAny>>,
}

impl<'de> de::MapAccess<'de> for Items<'_, '_> {
    type Error = Error;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.items.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        let key = key.cast::<PyString>().map_err(|_| {
            Error::Message(format!(
                "a key must be a string, not {}",
                key.repr().map(|r| r.to_string()).unwrap_or_default()
            ))
        })?;
        seed.deserialize(key.to_cow()?.as_ref().into_deserializer())
            .map(Some)
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| Error::Message("a value without its key".into()))?;
        seed.deserialize(Value(value))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An externally tagged variant with its value.
struct Enum<'a, 'py> {
    variant: String,
    value: &'a Bound<'py, PyAny>,
}

impl<'de> de::EnumAccess<'de> for Enum<'_, '_> {
    type Error = Error;
    type Variant = Self;
    fn variant_seed<S: de::DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), Error> {
        let name: de::value::StrDeserializer<'_, Error> = self.variant.as_str().into_deserializer();
        let variant = seed.deserialize(name)?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for Enum<'_, '_> {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(Value(self.value))
    }
    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(Value(self.value))
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(Value(self.value), visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(Value(self.value), visitor)
    }
}
