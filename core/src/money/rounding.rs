//! Rounding modes, named as accountants name them.

use super::MoneyError;
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How an exact amount becomes a whole number of minor units.
///
/// Serialized in snake_case (`"floor"`, `"half_even"`, ...). The Japanese
/// default for proration and consumption tax, 切り捨て, is [`RoundingMode::Floor`].
///
/// ```
/// use memberkit::money::RoundingMode;
/// use rust_decimal::Decimal;
///
/// let x = Decimal::new(-25, 1); // -2.5
/// assert_eq!(RoundingMode::Floor.round(x, 0), Decimal::from(-3));
/// assert_eq!(RoundingMode::TowardZero.round(x, 0), Decimal::from(-2));
/// assert_eq!(RoundingMode::HalfEven.round(x, 0), Decimal::from(-2));
/// assert_eq!("half_up".parse::<RoundingMode>()?, RoundingMode::HalfUp);
/// # Ok::<(), memberkit::money::MoneyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Toward negative infinity (切り捨て for positive amounts). The default.
    #[default]
    Floor,
    /// Toward positive infinity (切り上げ for positive amounts).
    Ceiling,
    /// To the nearest, halves away from zero (四捨五入).
    HalfUp,
    /// To the nearest, halves to the even neighbour (banker's rounding).
    HalfEven,
    /// Toward zero, whatever the sign (truncation).
    TowardZero,
    /// Away from zero, whatever the sign.
    AwayFromZero,
}

impl RoundingMode {
    /// Every mode, in declaration order.
    pub const ALL: [RoundingMode; 6] = [
        Self::Floor,
        Self::Ceiling,
        Self::HalfUp,
        Self::HalfEven,
        Self::TowardZero,
        Self::AwayFromZero,
    ];

    /// The mode's snake_case name, as serialized.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Floor => "floor",
            Self::Ceiling => "ceiling",
            Self::HalfUp => "half_up",
            Self::HalfEven => "half_even",
            Self::TowardZero => "toward_zero",
            Self::AwayFromZero => "away_from_zero",
        }
    }

    /// Rounds `value` to `decimal_places` with this mode.
    pub fn round(self, value: rust_decimal::Decimal, decimal_places: u32) -> rust_decimal::Decimal {
        value.round_dp_with_strategy(decimal_places, self.strategy())
    }

    fn strategy(self) -> RoundingStrategy {
        match self {
            Self::Floor => RoundingStrategy::ToNegativeInfinity,
            Self::Ceiling => RoundingStrategy::ToPositiveInfinity,
            Self::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Self::HalfEven => RoundingStrategy::MidpointNearestEven,
            Self::TowardZero => RoundingStrategy::ToZero,
            Self::AwayFromZero => RoundingStrategy::AwayFromZero,
        }
    }
}

impl FromStr for RoundingMode {
    type Err = MoneyError;
    fn from_str(name: &str) -> Result<Self, MoneyError> {
        Self::ALL
            .into_iter()
            .find(|mode| mode.name() == name)
            .ok_or_else(|| MoneyError::UnknownRoundingMode {
                name: name.to_owned(),
            })
    }
}

impl fmt::Display for RoundingMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn each_mode_rounds_positive_and_negative_halves_and_thirds() {
        // (mode, 2.5, -2.5, 2.4, -2.6)
        let table = [
            (RoundingMode::Floor, "2", "-3", "2", "-3"),
            (RoundingMode::Ceiling, "3", "-2", "3", "-2"),
            (RoundingMode::HalfUp, "3", "-3", "2", "-3"),
            (RoundingMode::HalfEven, "2", "-2", "2", "-3"),
            (RoundingMode::TowardZero, "2", "-2", "2", "-2"),
            (RoundingMode::AwayFromZero, "3", "-3", "3", "-3"),
        ];
        for (mode, a, b, c, e) in table {
            assert_eq!(mode.round(d("2.5"), 0), d(a), "{mode} 2.5");
            assert_eq!(mode.round(d("-2.5"), 0), d(b), "{mode} -2.5");
            assert_eq!(mode.round(d("2.4"), 0), d(c), "{mode} 2.4");
            assert_eq!(mode.round(d("-2.6"), 0), d(e), "{mode} -2.6");
        }
    }

    #[test]
    fn names_parse_back_and_unknown_names_are_refused() {
        for mode in RoundingMode::ALL {
            assert_eq!(mode.name().parse::<RoundingMode>(), Ok(mode));
            assert_eq!(
                serde_json::to_string(&mode).unwrap(),
                format!("\"{}\"", mode.name())
            );
        }
        assert_eq!(
            "round".parse::<RoundingMode>(),
            Err(MoneyError::UnknownRoundingMode {
                name: "round".into()
            })
        );
    }
}
