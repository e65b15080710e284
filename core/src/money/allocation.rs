//! Splitting an amount into parts without losing or creating a minor unit.

use super::{Money, MoneyError};
use rust_decimal::Decimal;

impl Money {
    /// Splits the amount into `parts` as evenly as minor units allow; the
    /// first parts get the extra units. The parts always sum to the amount.
    ///
    /// # Errors
    /// [`MoneyError::NoParts`] for zero parts; [`MoneyError::TooManyParts`]
    /// above [`Money::MAX_PARTS`].
    ///
    /// # Example
    /// ```
    /// use memberkit::money::{Currency, Money};
    /// let parts = Money::from_minor(100, Currency::USD).allocate(3)?;
    /// let cents: Vec<i64> = parts.iter().map(|m| m.to_minor().unwrap()).collect();
    /// assert_eq!(cents, [34, 33, 33]);
    /// # Ok::<(), memberkit::money::MoneyError>(())
    /// ```
    pub fn allocate(self, parts: usize) -> Result<Vec<Money>, MoneyError> {
        check_parts(parts as u64)?;
        self.allocate_weights(&vec![1; parts])
    }

    /// Splits the amount in proportion to `ratios` by the largest-remainder
    /// method: each part gets the whole minor units of its exact share, and the
    /// units left over go to the largest fractional remainders (earlier parts
    /// first on ties). The parts always sum to the amount, and a zero ratio
    /// always gets zero.
    ///
    /// # Errors
    /// [`MoneyError::NoParts`] for no ratios, [`MoneyError::TooManyParts`],
    /// [`MoneyError::NegativeRatio`], [`MoneyError::ZeroRatios`] when they sum
    /// to zero, [`MoneyError::OutOfRange`] when the products overflow.
    ///
    /// # Example
    /// ```
    /// use memberkit::money::{Currency, Money};
    /// use rust_decimal::Decimal;
    /// // ¥10,000 shared 1 : 2 between two plans.
    /// let parts = Money::from_minor(10_000, Currency::JPY)
    ///     .allocate_by_ratios(&[Decimal::ONE, Decimal::TWO])?;
    /// assert_eq!(parts, [3_333, 6_667].map(|y| Money::from_minor(y, Currency::JPY)));
    /// # Ok::<(), memberkit::money::MoneyError>(())
    /// ```
    pub fn allocate_by_ratios(self, ratios: &[Decimal]) -> Result<Vec<Money>, MoneyError> {
        check_parts(ratios.len() as u64)?;
        self.allocate_weights(&integer_weights(ratios)?)
    }

    fn allocate_weights(self, weights: &[i128]) -> Result<Vec<Money>, MoneyError> {
        let overflow = MoneyError::OutOfRange {
            operation: "allocation",
        };
        let total: i128 = weights
            .iter()
            .try_fold(0_i128, |acc, w| acc.checked_add(*w))
            .ok_or(overflow.clone())?;
        if total == 0 {
            return Err(MoneyError::ZeroRatios);
        }
        let amount = self.minor_units_i128();
        let magnitude = amount.abs();
        let mut shares = Vec::with_capacity(weights.len());
        let mut remainders = Vec::with_capacity(weights.len());
        for (index, weight) in weights.iter().enumerate() {
            let product = magnitude.checked_mul(*weight).ok_or(overflow.clone())?;
            shares.push(product / total);
            remainders.push((product % total, index));
        }
        let left_over = magnitude - shares.iter().sum::<i128>();
        // Largest remainder first; on ties, the earlier part.
        remainders.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, index) in remainders.iter().take(left_over as usize) {
            shares[index] += 1;
        }
        let sign = if amount < 0 { -1 } else { 1 };
        shares
            .into_iter()
            .map(|share| {
                let minor = i64::try_from(share * sign).map_err(|_| overflow.clone())?;
                Ok(Money::from_minor(minor, self.currency()))
            })
            .collect()
    }
}

fn check_parts(parts: u64) -> Result<(), MoneyError> {
    match parts {
        0 => Err(MoneyError::NoParts),
        p if p > Money::MAX_PARTS as u64 => Err(MoneyError::TooManyParts {
            parts,
            max: Money::MAX_PARTS,
        }),
        _ => Ok(()),
    }
}

/// The ratios scaled to integers at their largest common scale.
fn integer_weights(ratios: &[Decimal]) -> Result<Vec<i128>, MoneyError> {
    if let Some((index, &ratio)) = ratios
        .iter()
        .enumerate()
        .find(|(_, r)| r.is_sign_negative() && !r.is_zero())
    {
        return Err(MoneyError::NegativeRatio { index, ratio });
    }
    let scale = ratios
        .iter()
        .map(|r| r.normalize().scale())
        .max()
        .unwrap_or(0);
    ratios
        .iter()
        .map(|r| {
            let r = r.normalize();
            10_i128
                .checked_pow(scale - r.scale())
                .and_then(|factor| r.mantissa().checked_mul(factor))
                .ok_or(MoneyError::OutOfRange {
                    operation: "allocation ratios",
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use proptest::prelude::*;

    fn minors(parts: &[Money]) -> Vec<i64> {
        parts.iter().map(|m| m.to_minor().unwrap()).collect()
    }

    #[test]
    fn negative_amounts_split_like_positive_ones_mirrored() {
        let parts = Money::from_minor(-100, Currency::JPY).allocate(3).unwrap();
        assert_eq!(minors(&parts), [-34, -33, -33]);
    }

    #[test]
    fn largest_remainder_gets_the_spare_unit() {
        // 100 by 1 : 1 : 4 → 16.67, 16.67, 66.67 → 16, 16, 66 and one spare:
        // remainders are equal, so the first part takes it.
        let r = [1, 1, 4].map(Decimal::from);
        let parts = Money::from_minor(100, Currency::JPY)
            .allocate_by_ratios(&r)
            .unwrap();
        assert_eq!(minors(&parts), [17, 17, 66]);
        // 10 by 0.3 : 0.7 → exactly 3 and 7.
        let r = [Decimal::new(3, 1), Decimal::new(7, 1)];
        let parts = Money::from_minor(10, Currency::JPY)
            .allocate_by_ratios(&r)
            .unwrap();
        assert_eq!(minors(&parts), [3, 7]);
    }

    #[test]
    fn bad_allocations_are_named() {
        let m = Money::from_minor(100, Currency::JPY);
        assert_eq!(m.allocate(0), Err(MoneyError::NoParts));
        assert_eq!(m.allocate_by_ratios(&[]), Err(MoneyError::NoParts));
        assert_eq!(
            m.allocate(Money::MAX_PARTS + 1),
            Err(MoneyError::TooManyParts {
                parts: Money::MAX_PARTS as u64 + 1,
                max: Money::MAX_PARTS
            })
        );
        assert_eq!(
            m.allocate_by_ratios(&[Decimal::ONE, Decimal::NEGATIVE_ONE]),
            Err(MoneyError::NegativeRatio {
                index: 1,
                ratio: Decimal::NEGATIVE_ONE
            })
        );
        assert_eq!(
            m.allocate_by_ratios(&[Decimal::ZERO, Decimal::ZERO]),
            Err(MoneyError::ZeroRatios)
        );
        let extreme = [Decimal::MAX, Decimal::new(1, 28)];
        assert_eq!(
            m.allocate_by_ratios(&extreme),
            Err(MoneyError::OutOfRange {
                operation: "allocation ratios"
            })
        );
    }

    proptest! {
        #[test]
        fn even_allocation_conserves_and_differs_by_at_most_one(
            minor in -10_000_000_000_i64..10_000_000_000, parts in 1_usize..50,
        ) {
            let currency = Currency::USD;
            let split = Money::from_minor(minor, currency).allocate(parts).unwrap();
            prop_assert_eq!(split.len(), parts);
            let values = minors(&split);
            prop_assert_eq!(values.iter().sum::<i64>(), minor);
            let (lo, hi) = (values.iter().min().unwrap(), values.iter().max().unwrap());
            prop_assert!(hi - lo <= 1);
        }

        #[test]
        fn ratio_allocation_conserves_and_stays_within_one_unit_of_the_exact_share(
            minor in -10_000_000_000_i64..10_000_000_000,
            ratios in proptest::collection::vec((0_i64..1_000_000, 0_u32..4), 1..20),
        ) {
            let ratios: Vec<Decimal> = ratios.into_iter().map(|(m, s)| Decimal::new(m, s)).collect();
            let sum: Decimal = ratios.iter().sum();
            prop_assume!(!sum.is_zero());
            let split = Money::from_minor(minor, Currency::JPY).allocate_by_ratios(&ratios).unwrap();
            let values = minors(&split);
            prop_assert_eq!(values.iter().sum::<i64>(), minor);
            for (value, ratio) in values.iter().zip(&ratios) {
                let exact = Decimal::from(minor) * ratio / sum;
                prop_assert!((Decimal::from(*value) - exact).abs() < Decimal::ONE, "{} vs {}", value, exact);
                if ratio.is_zero() {
                    prop_assert_eq!(*value, 0);
                }
            }
        }
    }
}
