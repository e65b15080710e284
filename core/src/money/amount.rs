//! The `Money` type and its checked arithmetic.

use super::{Currency, MoneyError, RoundingMode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of a currency, always a whole number of the currency's minor units.
///
/// Serialized as `{"amount": "12.50", "currency": "USD"}`; the amount is a
/// decimal string so no float ever touches it. Deserializing refuses amounts
/// finer than the minor unit, like [`Money::new`].
///
/// ```
/// use memberkit::money::{Currency, Money};
/// use rust_decimal::Decimal;
///
/// let fee = Money::new(Decimal::new(1250, 2), Currency::USD)?;
/// assert_eq!(fee.to_string(), "12.50 USD");
/// assert_eq!(fee.to_minor()?, 1250);
/// assert_eq!(fee.checked_add(fee)?, Money::from_minor(2500, Currency::USD));
/// assert!(fee.checked_add(Money::zero(Currency::JPY)).is_err());
/// # Ok::<(), memberkit::money::MoneyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "RawMoney")]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

/// Serialized as a derived `Serialize` would, `{"amount": "12.50", "currency":
/// "USD"}`, the amount written from the digits directly when they fit 64
/// bits (a batch's JSON writes several per line).
impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        /// The amount as `Decimal`'s serde writes it.
        struct Amount(Decimal);
        impl Serialize for Amount {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match crate::digits::decimal_bytes(self.0, &mut [0; 48]) {
                    Some(text) => serializer.serialize_str(crate::digits::ascii(text)),
                    None => Serialize::serialize(&self.0, serializer),
                }
            }
        }
        let mut money = serializer.serialize_struct("Money", 2)?;
        money.serialize_field("amount", &Amount(self.amount))?;
        money.serialize_field("currency", &self.currency)?;
        money.end()
    }
}

#[derive(Deserialize)]
struct RawMoney {
    #[serde(deserialize_with = "exact_decimal")]
    amount: Decimal,
    currency: Currency,
}

/// Reads an amount exactly, as the host wrote it: a decimal string
/// (`"12.50"`, `"1e3"`) or a whole JSON number. A string with more digits
/// than [`Decimal`] holds, and a JSON number with a fraction or beyond 64
/// bits (which JSON parsers read as a float), is refused rather than
/// rounded.
fn exact_decimal<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    struct Exact;
    impl serde::de::Visitor<'_> for Exact {
        type Value = Decimal;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an amount as a decimal string (\"12.50\") or a whole number")
        }
        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(value))
        }
        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(value))
        }
        fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Decimal, E> {
            Err(E::custom(format_args!(
                "amount {value} is a JSON number with a fraction or beyond 64 bits, \
                 which cannot be read exactly: write it as a string, e.g. \"12.50\""
            )))
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Decimal, E> {
            let mantissa = value.split(['e', 'E']).next().unwrap_or_default();
            let exact = match Decimal::from_str_exact(value) {
                Ok(amount) => Ok(amount),
                Err(_) if mantissa.len() < value.len() => {
                    Decimal::from_str_exact(mantissa).and_then(|_| Decimal::from_scientific(value))
                }
                Err(err) => Err(err),
            };
            exact.map_err(|err| {
                E::custom(format_args!(
                    "amount {:?} is not a decimal that fits exactly in 28 digits: {err}",
                    prefix(value)
                ))
            })
        }
    }
    deserializer.deserialize_any(Exact)
}

/// At most the first 40 characters of `text`, so an error never echoes a
/// huge input.
fn prefix(text: &str) -> &str {
    text.char_indices()
        .nth(40)
        .map_or(text, |(end, _)| &text[..end])
}

impl TryFrom<RawMoney> for Money {
    type Error = MoneyError;
    fn try_from(raw: RawMoney) -> Result<Self, MoneyError> {
        Money::new(raw.amount, raw.currency)
    }
}

impl Money {
    /// The most parts an allocation may be split into.
    pub const MAX_PARTS: usize = 1_000_000;

    /// An exact amount of `currency`.
    ///
    /// # Errors
    /// [`MoneyError::SubMinorAmount`] when `amount` has non-zero digits below the
    /// minor unit (¥100.5, $1.005); use [`Money::round`] for those.
    /// [`MoneyError::OutOfRange`] when the amount cannot be held at the minor unit's scale.
    ///
    /// # Example
    /// ```
    /// use memberkit::money::{Currency, Money};
    /// use rust_decimal::Decimal;
    /// assert!(Money::new(Decimal::new(1000, 1), Currency::JPY).is_ok()); // 100.0
    /// assert!(Money::new(Decimal::new(1005, 1), Currency::JPY).is_err()); // 100.5
    /// ```
    pub fn new(amount: Decimal, currency: Currency) -> Result<Self, MoneyError> {
        let minor_units = currency.minor_units();
        let normalized = amount.normalize();
        if normalized.scale() > minor_units {
            return Err(MoneyError::SubMinorAmount {
                amount,
                currency,
                minor_units,
            });
        }
        let amount = at_scale(normalized, minor_units).ok_or(MoneyError::OutOfRange {
            operation: "money amount",
        })?;
        Ok(Self { amount, currency })
    }

    /// Rounds an exact amount to `currency`'s minor unit with `mode`.
    ///
    /// This is the one place where an exact value (a prorated fee, a tax)
    /// becomes money.
    ///
    /// # Example
    /// ```
    /// use memberkit::money::{Currency, Money, RoundingMode};
    /// use rust_decimal::Decimal;
    /// let third = Decimal::from(10) / Decimal::from(3);
    /// assert_eq!(Money::round(third, Currency::USD, RoundingMode::Ceiling).to_string(), "3.34 USD");
    /// assert_eq!(Money::round(third, Currency::JPY, RoundingMode::Floor).to_string(), "3 JPY");
    /// ```
    pub fn round(amount: Decimal, currency: Currency, mode: RoundingMode) -> Self {
        let minor_units = currency.minor_units();
        let rounded = mode.round(amount, minor_units);
        // A rounded value has at most `minor_units` decimals; raising its scale
        // back to `minor_units` fails only above ~7.9e25, where we keep the
        // value at the coarser scale rather than lose it.
        let amount = at_scale(rounded, minor_units).unwrap_or(rounded);
        Self { amount, currency }
    }

    /// An amount given in minor units: `from_minor(1250, USD)` is $12.50.
    pub fn from_minor(minor: i64, currency: Currency) -> Self {
        Self {
            amount: Decimal::new(minor, currency.minor_units()),
            currency,
        }
    }

    /// Zero in `currency`.
    pub fn zero(currency: Currency) -> Self {
        Self::from_minor(0, currency)
    }

    /// The amount, at the currency's scale (`12.50` for $12.50).
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The amount in minor units.
    ///
    /// # Errors
    /// [`MoneyError::OutOfRange`] when it does not fit an `i64`.
    pub fn to_minor(&self) -> Result<i64, MoneyError> {
        i64::try_from(self.minor_units_i128()).map_err(|_| MoneyError::OutOfRange {
            operation: "conversion to minor units",
        })
    }

    pub(super) fn minor_units_i128(&self) -> i128 {
        // The amount is always held at exactly the currency's scale (or a
        // coarser one for astronomically large rounded values), so the
        // mantissa scaled to that precision is the count of minor units.
        let shift = self
            .currency
            .minor_units()
            .saturating_sub(self.amount.scale());
        match shift {
            0 => self.amount.mantissa(),
            _ => self.amount.mantissa() * 10_i128.pow(shift),
        }
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// The sum of two amounts of one currency.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] when the currencies differ;
    /// [`MoneyError::OutOfRange`] on overflow.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.combine(other, "addition", Decimal::checked_add)
    }

    /// The difference of two amounts of one currency.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] when the currencies differ;
    /// [`MoneyError::OutOfRange`] on overflow.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.combine(other, "subtraction", Decimal::checked_sub)
    }

    /// The amount times a whole quantity (three lessons at ¥2,000).
    ///
    /// # Errors
    /// [`MoneyError::OutOfRange`] on overflow.
    ///
    /// # Example
    /// ```
    /// use memberkit::money::{Currency, Money};
    /// assert_eq!(Money::from_minor(2_000, Currency::JPY).checked_mul(3)?, Money::from_minor(6_000, Currency::JPY));
    /// # Ok::<(), memberkit::money::MoneyError>(())
    /// ```
    pub fn checked_mul(self, quantity: i64) -> Result<Money, MoneyError> {
        let amount =
            self.amount
                .checked_mul(Decimal::from(quantity))
                .ok_or(MoneyError::OutOfRange {
                    operation: "multiplication",
                })?;
        Money::new(amount, self.currency)
    }

    /// How two amounts of one currency compare.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`] when the currencies differ: ¥100 and
    /// $1 have no order.
    ///
    /// # Example
    /// ```
    /// use memberkit::money::{Currency, Money};
    /// use std::cmp::Ordering;
    /// let (a, b) = (Money::from_minor(100, Currency::JPY), Money::from_minor(250, Currency::JPY));
    /// assert_eq!(a.checked_cmp(&b)?, Ordering::Less);
    /// assert!(a.checked_cmp(&Money::from_minor(1, Currency::USD)).is_err());
    /// # Ok::<(), memberkit::money::MoneyError>(())
    /// ```
    pub fn checked_cmp(&self, other: &Money) -> Result<std::cmp::Ordering, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            });
        }
        Ok(self.amount.cmp(&other.amount))
    }

    /// The amount with its sign flipped.
    pub fn negated(self) -> Money {
        Money {
            amount: -self.amount,
            currency: self.currency,
        }
    }

    fn combine(
        self,
        other: Money,
        operation: &'static str,
        op: fn(Decimal, Decimal) -> Option<Decimal>,
    ) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            });
        }
        let amount = op(self.amount, other.amount).ok_or(MoneyError::OutOfRange { operation })?;
        // Two amounts at the currency's scale add and subtract to that scale,
        // which is already valid money (what `Money::new` would return).
        if amount.scale() == self.currency.minor_units() {
            return Ok(Money {
                amount,
                currency: self.currency,
            });
        }
        Money::new(amount, self.currency)
    }
}

/// `amount` with exactly `scale` decimal places, when that loses nothing.
fn at_scale(amount: Decimal, scale: u32) -> Option<Decimal> {
    let mut scaled = amount;
    scaled.rescale(scale);
    (scaled.scale() == scale && scaled == amount).then_some(scaled)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn new_keeps_the_currency_scale() {
        let m = Money::new(d("12.5"), Currency::USD).unwrap();
        assert_eq!(m.amount().to_string(), "12.50");
        assert_eq!(m.to_minor(), Ok(1250));
        let k = Money::new(d("1.5"), Currency::KWD).unwrap();
        assert_eq!(k.to_string(), "1.500 KWD");
    }

    #[test]
    fn new_refuses_digits_below_the_minor_unit() {
        assert_eq!(
            Money::new(d("100.5"), Currency::JPY),
            Err(MoneyError::SubMinorAmount {
                amount: d("100.5"),
                currency: Currency::JPY,
                minor_units: 0
            })
        );
        assert!(Money::new(d("0.001"), Currency::USD).is_err());
        assert!(Money::new(d("0.0010"), Currency::KWD).is_ok());
    }

    #[test]
    fn mixing_currencies_is_refused_in_both_directions() {
        let yen = Money::from_minor(100, Currency::JPY);
        let dollars = Money::from_minor(100, Currency::USD);
        assert_eq!(
            yen.checked_add(dollars),
            Err(MoneyError::CurrencyMismatch {
                left: Currency::JPY,
                right: Currency::USD
            })
        );
        assert_eq!(
            dollars.checked_sub(yen),
            Err(MoneyError::CurrencyMismatch {
                left: Currency::USD,
                right: Currency::JPY
            })
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let huge = Money::new(Decimal::MAX, Currency::JPY).unwrap();
        assert_eq!(
            huge.checked_add(huge),
            Err(MoneyError::OutOfRange {
                operation: "addition"
            })
        );
        assert!(huge.to_minor().is_err());
        assert!(Money::new(Decimal::MAX, Currency::USD).is_err());
    }

    #[test]
    fn serde_round_trips_and_validates() {
        let m = Money::from_minor(1999, Currency::USD);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"amount":"19.99","currency":"USD"}"#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
        let err =
            serde_json::from_str::<Money>(r#"{"amount":"1.5","currency":"JPY"}"#).unwrap_err();
        assert!(err.to_string().contains("minor unit"), "{err}");
    }

    #[test]
    fn negative_amounts_report_their_sign() {
        let credit = Money::from_minor(500, Currency::JPY).negated();
        assert!(credit.is_negative());
        assert_eq!(credit.to_minor(), Ok(-500));
        assert!(!Money::zero(Currency::JPY).negated().is_negative());
    }
}
