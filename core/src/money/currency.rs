//! ISO 4217 currencies and their minor units.

use super::MoneyError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! currencies {
    ($($code:ident = $numeric:literal, $minor:literal, $name:literal;)*) => {
        /// An ISO 4217 currency whose minor units memberkit knows.
        ///
        /// Serialized as its alphabetic code (`"JPY"`).
        ///
        /// ```
        /// use memberkit::money::Currency;
        /// let yen: Currency = "JPY".parse()?;
        /// assert_eq!(yen.minor_units(), 0);
        /// assert_eq!(Currency::USD.minor_units(), 2);
        /// assert_eq!(Currency::from_numeric(392)?, Currency::JPY);
        /// # Ok::<(), memberkit::money::MoneyError>(())
        /// ```
        #[allow(clippy::upper_case_acronyms)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        #[non_exhaustive]
        pub enum Currency {
            $(#[doc = $name] $code,)*
        }

        impl Currency {
            /// Every currency memberkit knows, in code order.
            pub const ALL: &'static [Currency] = &[$(Currency::$code),*];

            /// The alphabetic ISO 4217 code, e.g. `"JPY"`.
            pub const fn code(self) -> &'static str {
                match self { $(Self::$code => stringify!($code),)* }
            }

            /// The numeric ISO 4217 code, e.g. `392` for JPY.
            pub const fn numeric(self) -> u32 {
                match self { $(Self::$code => $numeric,)* }
            }

            /// The number of decimal places of the minor unit: 0 for JPY, 2 for USD.
            pub const fn minor_units(self) -> u32 {
                match self { $(Self::$code => $minor,)* }
            }

            /// Looks a currency up by its alphabetic code (upper case, as ISO writes it).
            ///
            /// # Errors
            /// [`MoneyError::UnknownCurrency`] for any other string.
            ///
            /// # Example
            /// ```
            /// use memberkit::money::Currency;
            /// assert_eq!(Currency::from_code("EUR")?, Currency::EUR);
            /// assert!(Currency::from_code("jpy").is_err());
            /// # Ok::<(), memberkit::money::MoneyError>(())
            /// ```
            pub fn from_code(code: &str) -> Result<Self, MoneyError> {
                match code {
                    $(stringify!($code) => Ok(Self::$code),)*
                    _ => Err(MoneyError::UnknownCurrency { code: crate::error_kind::excerpt(code, 64) }),
                }
            }

            /// Looks a currency up by its numeric ISO 4217 code.
            ///
            /// # Errors
            /// [`MoneyError::UnknownNumericCurrency`] for a code memberkit does not know.
            ///
            /// # Example
            /// ```
            /// use memberkit::money::Currency;
            /// assert_eq!(Currency::from_numeric(840)?, Currency::USD);
            /// assert!(Currency::from_numeric(999).is_err());
            /// # Ok::<(), memberkit::money::MoneyError>(())
            /// ```
            pub fn from_numeric(numeric: u32) -> Result<Self, MoneyError> {
                match numeric {
                    $($numeric => Ok(Self::$code),)*
                    _ => Err(MoneyError::UnknownNumericCurrency { numeric }),
                }
            }
        }
    };
}

currencies! {
    AUD = 36, 2, "Australian dollar";
    BHD = 48, 3, "Bahraini dinar";
    CAD = 124, 2, "Canadian dollar";
    CHF = 756, 2, "Swiss franc";
    CNY = 156, 2, "Chinese yuan renminbi";
    EUR = 978, 2, "Euro";
    GBP = 826, 2, "Pound sterling";
    HKD = 344, 2, "Hong Kong dollar";
    IDR = 360, 2, "Indonesian rupiah";
    INR = 356, 2, "Indian rupee";
    JPY = 392, 0, "Japanese yen";
    KRW = 410, 0, "South Korean won";
    KWD = 414, 3, "Kuwaiti dinar";
    MYR = 458, 2, "Malaysian ringgit";
    NZD = 554, 2, "New Zealand dollar";
    PHP = 608, 2, "Philippine peso";
    SGD = 702, 2, "Singapore dollar";
    THB = 764, 2, "Thai baht";
    TWD = 901, 2, "New Taiwan dollar";
    USD = 840, 2, "United States dollar";
    VND = 704, 0, "Vietnamese dong";
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(code: &str) -> Result<Self, MoneyError> {
        Self::from_code(code)
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(code: String) -> Result<Self, MoneyError> {
        Self::from_code(&code)
    }
}

impl From<Currency> for &'static str {
    fn from(currency: Currency) -> Self {
        currency.code()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_both_lookups() {
        for &currency in Currency::ALL {
            assert_eq!(Currency::from_code(currency.code()), Ok(currency));
            assert_eq!(Currency::from_numeric(currency.numeric()), Ok(currency));
        }
    }

    #[test]
    fn unknown_codes_are_named_in_the_error() {
        let err = Currency::from_code("XXX").unwrap_err();
        assert_eq!(err, MoneyError::UnknownCurrency { code: "XXX".into() });
        assert!(err.to_string().contains("\"XXX\""));
    }

    #[test]
    fn serializes_as_the_code() {
        assert_eq!(serde_json::to_string(&Currency::KRW).unwrap(), "\"KRW\"");
        let back: Currency = serde_json::from_str("\"TWD\"").unwrap();
        assert_eq!(back, Currency::TWD);
        assert!(serde_json::from_str::<Currency>("\"ABC\"").is_err());
    }
}
