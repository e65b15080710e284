//! Money: amounts in ISO 4217 currencies, explicit rounding, and allocation.
//!
//! A [`Money`] always holds a whole number of its currency's minor units
//! (yen for JPY, cents for USD). Exact intermediate values — a prorated fee,
//! a tax base — are plain [`Decimal`]s until they are
//! rounded once, with a [`RoundingMode`] the caller names, by [`Money::round`].
//!
//! ```
//! use memberkit::money::{Currency, Money, RoundingMode};
//! use rust_decimal::Decimal;
//!
//! // ¥5,500 for 10 of 31 days, rounded down (切り捨て).
//! let exact = Decimal::from(5_500) * Decimal::from(10) / Decimal::from(31);
//! let fee = Money::round(exact, Currency::JPY, RoundingMode::Floor);
//! assert_eq!(fee, Money::from_minor(1_774, Currency::JPY));
//! ```

mod allocation;
mod amount;
mod currency;
mod rounding;

pub use amount::Money;
pub use currency::Currency;
pub use rounding::RoundingMode;

use crate::error_kind::ErrorKind;
use rust_decimal::Decimal;

/// What can go wrong with money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// The code is not an ISO 4217 currency memberkit knows.
    #[error(
        "unknown currency {code:?}: expected an upper-case ISO 4217 code such as \"JPY\" or \"USD\""
    )]
    UnknownCurrency {
        /// The code as given.
        code: String,
    },
    /// The numeric code is not an ISO 4217 currency memberkit knows.
    #[error("unknown ISO 4217 numeric currency code {numeric}")]
    UnknownNumericCurrency {
        /// The numeric code as given.
        numeric: u32,
    },
    /// Two amounts in different currencies were combined.
    #[error("currency mismatch: cannot combine {left} with {right}")]
    CurrencyMismatch {
        /// The currency of the left-hand amount.
        left: Currency,
        /// The currency of the right-hand amount.
        right: Currency,
    },
    /// The amount has digits below its currency's minor unit (e.g. ¥100.5).
    #[error(
        "{amount} {currency} is finer than the currency's minor unit ({minor_units} decimal places); round it first"
    )]
    SubMinorAmount {
        /// The amount as given.
        amount: Decimal,
        /// Its currency.
        currency: Currency,
        /// The currency's number of decimal places.
        minor_units: u32,
    },
    /// A result is too large to represent.
    #[error("amount out of range while computing {operation}")]
    OutOfRange {
        /// What was being computed.
        operation: &'static str,
    },
    /// The name is not a rounding mode.
    #[error(
        "unknown rounding mode {name:?}: expected one of floor, ceiling, half_up, half_even, toward_zero, away_from_zero"
    )]
    UnknownRoundingMode {
        /// The name as given.
        name: String,
    },
    /// An allocation into zero parts.
    #[error("cannot allocate into zero parts")]
    NoParts,
    /// An allocation into more parts than [`Money::MAX_PARTS`].
    #[error("cannot allocate into {parts} parts: at most {max} are allowed")]
    TooManyParts {
        /// The number of parts asked for.
        parts: u64,
        /// The limit.
        max: usize,
    },
    /// A ratio given to an allocation was negative.
    #[error("allocation ratio #{index} is negative ({ratio})")]
    NegativeRatio {
        /// The ratio's position, from 0.
        index: usize,
        /// The ratio.
        ratio: Decimal,
    },
    /// The allocation ratios sum to zero.
    #[error("allocation ratios sum to zero")]
    ZeroRatios,
}

impl MoneyError {
    /// The error's [`ErrorKind`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::UnknownCurrency { .. } | Self::UnknownNumericCurrency { .. } => {
                ErrorKind::UnknownCurrency
            }
            Self::CurrencyMismatch { .. } => ErrorKind::CurrencyMismatch,
            Self::SubMinorAmount { .. } => ErrorKind::SubMinorAmount,
            Self::OutOfRange { .. } => ErrorKind::AmountOutOfRange,
            Self::UnknownRoundingMode { .. } => ErrorKind::InvalidArgument,
            Self::NoParts
            | Self::TooManyParts { .. }
            | Self::NegativeRatio { .. }
            | Self::ZeroRatios => ErrorKind::InvalidAllocation,
        }
    }
}
