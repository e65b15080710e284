//! The lists, dicts and texts the serializer of [`super`] builds.

use super::*;

/// A list being made (of a tuple variant's fields, when `variant`).
pub(crate) struct List<'py> {
    pub(super) py: Python<'py>,
    pub(super) items: Vec<Bound<'py, PyAny>>,
    pub(super) variant: Option<&'static str>,
}

impl<'py> List<'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let item = value.serialize(Values {
            py: self.py,
            field: false,
        })?;
        self.items.push(item);
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>, Error> {
        let values = Values {
            py: self.py,
            field: false,
        };
        let list = PyList::new(self.py, self.items)?.into_any();
        match self.variant {
            Some(variant) => values.tagged(variant, list),
            None => Ok(list),
        }
    }
}

impl<'py> ser::SerializeSeq for List<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok, Error> {
        self.finish()
    }
}

impl<'py> ser::SerializeTuple for List<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok, Error> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleStruct for List<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok, Error> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleVariant for List<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok, Error> {
        self.finish()
    }
}

/// A dict being made (of a struct variant's fields, when `variant`).
pub(crate) struct Dict<'py> {
    pub(super) py: Python<'py>,
    pub(super) dict: Bound<'py, PyDict>,
    pub(super) key: Option<Bound<'py, PyAny>>,
    pub(super) variant: Option<&'static str>,
    /// memberkit's `Money`, read as text into these while all its fields are text.
    pub(super) money: Option<MoneyFields>,
}

/// The fields of a `Money` struct as text.
#[derive(Default)]
pub(super) struct MoneyFields {
    amount: Option<String>,
    currency: Option<String>,
}

impl MoneyFields {
    /// `Money` from its two texts, or `None` for anything else.
    fn money(&self) -> Option<CoreMoney> {
        let amount: Decimal = self.amount.as_deref()?.parse().ok()?;
        let currency = Currency::from_code(self.currency.as_deref()?).ok()?;
        CoreMoney::new(amount, currency).ok()
    }
}

impl<'py> Dict<'py> {
    fn set<T: Serialize + ?Sized>(
        &mut self,
        key: Bound<'py, PyAny>,
        value: &T,
    ) -> Result<(), Error> {
        let value = value.serialize(Values {
            py: self.py,
            field: true,
        })?;
        self.dict.set_item(key, value)?;
        Ok(())
    }

    /// Gives up reading a `Money` struct as text: its fields so far go
    /// into the dict as any other fields do.
    fn flush_money(&mut self) -> Result<(), Error> {
        if let Some(fields) = self.money.take() {
            for (name, text) in [("amount", fields.amount), ("currency", fields.currency)] {
                if let Some(text) = text {
                    self.set(key(self.py, name)?, text.as_str())?;
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Bound<'py, PyAny>, Error> {
        let py = self.py;
        if let Some(money) = self.money.as_ref().and_then(MoneyFields::money) {
            return Ok(amount(py, money)?);
        }
        self.flush_money()?;
        let object = match money(&self.dict)? {
            Some(money) => money,
            None => self.dict.into_any(),
        };
        match self.variant {
            Some(variant) => Values { py, field: false }.tagged(variant, object),
            None => Ok(object),
        }
    }
}

/// A dict of exactly `amount` and `currency` as `memberkit.Money`, as
/// `_loads` makes it.
fn money<'py>(dict: &Bound<'py, PyDict>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let py = dict.py();
    if dict.len() != 2 {
        return Ok(None);
    }
    let (Some(amount), Some(currency)) = (
        dict.get_item(intern!(py, "amount"))?,
        dict.get_item(intern!(py, "currency"))?,
    ) else {
        return Ok(None);
    };
    // The usual case, two texts, read here; anything else as `Money(...)` reads it.
    if let (Ok(text), Ok(code)) = (amount.cast::<PyString>(), currency.cast::<PyString>())
        && let Some(money) = Money::from_texts(&text.to_cow()?, &code.to_cow()?)
    {
        return Ok(Some(money.into_bound_py_any(py)?));
    }
    Money::type_object(py).call1((amount, currency)).map(Some)
}

impl<'py> ser::SerializeMap for Dict<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let key = key.serialize(Values {
            py: self.py,
            field: false,
        })?;
        // JSON keys are text: a number key reads back as its digits.
        self.key = Some(if key.is_instance_of::<PyString>() {
            key
        } else {
            key.str()?.into_any()
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("a map value without its key"))?;
        self.set(key, value)
    }
    fn end(self) -> Result<Self::Ok, Error> {
        self.finish()
    }
}

impl<'py> ser::SerializeStruct for Dict<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if let Some(fields) = &mut self.money {
            let slot = match name {
                "amount" => &mut fields.amount,
                "currency" => &mut fields.currency,
                _ => &mut None,
            };
            if name != "amount" && name != "currency" || slot.is_some() {
                self.flush_money()?;
            } else if let Ok(text) = value.serialize(Text) {
                *slot = Some(text);
                return Ok(());
            } else {
                self.flush_money()?;
            }
        }
        self.set(key(self.py, name)?, value)
    }
    fn end(self) -> Result<Self::Ok, Error> {
        self.finish()
    }
}

impl<'py> ser::SerializeStructVariant for Dict<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.set(key(self.py, name)?, value)
    }
    fn end(self) -> Result<Self::Ok, Error> {
        self.finish()
    }
}

/// Serializes a text (a `Decimal`, a currency code) into a `String`;
/// anything else is refused.
pub(super) struct Text;

macro_rules! refuse {
    ($($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<String, Error> {
            Err(<Error as ser::Error>::custom("not text"))
        })*
    };
}

impl ser::Serializer for Text {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_owned())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_owned())
    }
    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
    );
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Error> {
        Err(<Error as ser::Error>::custom("not text"))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Err(<Error as ser::Error>::custom("not text"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(<Error as ser::Error>::custom("not text"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(<Error as ser::Error>::custom("not text"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(<Error as ser::Error>::custom("not text"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(<Error as ser::Error>::custom("not text"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(<Error as ser::Error>::custom("not text"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(<Error as ser::Error>::custom("not text"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(<Error as ser::Error>::custom("not text"))
    }
}
