//! Proration: the share of a price a part of a period costs, rounded once.

use super::BillingError;
use crate::calendar::{NaiveDate, Period};
use crate::money::{Money, RoundingMode};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

/// How days are counted when prorating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    /// The actual days of the part over the actual days of the period.
    #[default]
    Actual,
    /// Every month counts 30 days (30/360: the 31st counts as the 30th): a
    /// part's days are counted from the period's start in 30-day months and
    /// capped at 30 per month of the period, so the parts of a period always
    /// add up to the whole. A part that runs to the period's end takes the
    /// rest: joining Mar 17 pays 14/30 of March, joining Feb 15 pays 16/30
    /// of February.
    Thirty,
}

/// `price × part / whole`, exact until it is rounded once to the currency's
/// minor unit with `mode`; a negative price gives a negative share.
///
/// # Errors
/// [`BillingError::InvalidProration`] when `whole` is zero or `part` exceeds it;
/// [`BillingError::Money`] when the result does not fit.
///
/// # Example
/// ```
/// use memberkit::billing::prorate;
/// use memberkit::money::{Currency, Money, RoundingMode};
/// // ¥8,800 a month, 17 of 30 days: 4,986.66… → ¥4,986 (切り捨て).
/// let fee = prorate(Money::from_minor(8_800, Currency::JPY), 17, 30, RoundingMode::Floor)?;
/// assert_eq!(fee, Money::from_minor(4_986, Currency::JPY));
/// # Ok::<(), memberkit::billing::BillingError>(())
/// ```
pub fn prorate(
    price: Money,
    part: u32,
    whole: u32,
    mode: RoundingMode,
) -> Result<Money, BillingError> {
    if whole == 0 || part > whole {
        return Err(BillingError::InvalidProration { part, whole });
    }
    if part == whole {
        return Ok(price);
    }
    let minor = i128::from(price.to_minor()?);
    let share = div_round(minor * i128::from(part), i128::from(whole), mode);
    // |share| <= |minor|, which came from an i64.
    Ok(Money::from_minor(share as i64, price.currency()))
}

/// `n / d` for `d > 0`, rounded with `mode`.
pub(super) fn div_round(n: i128, d: i128, mode: RoundingMode) -> i128 {
    // q = floor(n / d), 0 <= r < d; in 64 bits when both fit (the usual
    // amounts), as 128-bit division is a slow library call.
    let (q, r) = match (i64::try_from(n), i64::try_from(d)) {
        (Ok(n), Ok(d)) => (i128::from(n.div_euclid(d)), i128::from(n.rem_euclid(d))),
        _ => (n.div_euclid(d), n.rem_euclid(d)),
    };
    if r == 0 {
        return q;
    }
    let twice = 2 * r;
    let up = match mode {
        RoundingMode::Floor => false,
        RoundingMode::Ceiling => true,
        RoundingMode::TowardZero => n < 0,
        RoundingMode::AwayFromZero => n > 0,
        RoundingMode::HalfUp => twice > d || (twice == d && n > 0),
        RoundingMode::HalfEven => twice > d || (twice == d && q % 2 != 0),
    };
    q + i128::from(up)
}

/// The days `piece` covers out of the days of `period` under `basis`, as
/// `(part, whole)`. `months` is the number of calendar months `period` spans
/// when the schedule is monthly or yearly (`None` for day and week schedules,
/// which always count actual days).
pub(super) fn piece_days(
    basis: DayCount,
    period: Period,
    piece: Period,
    months: Option<u32>,
) -> (u32, u32) {
    match (basis, months) {
        (DayCount::Thirty, Some(months)) => {
            let whole = 30 * months;
            let counted = |date: NaiveDate| {
                if date >= period.end() {
                    whole
                } else {
                    let days = days_360(period.start(), date).max(0);
                    u32::try_from(days).unwrap_or(u32::MAX).min(whole)
                }
            };
            (counted(piece.end()) - counted(piece.start()), whole)
        }
        _ => (piece.days(), period.days()),
    }
}

/// The days from `from` to `to` counting 30 to a month, the 31st as the 30th.
fn days_360(from: NaiveDate, to: NaiveDate) -> i64 {
    let day = |d: NaiveDate| i64::from(d.day().min(30));
    360 * (i64::from(to.year()) - i64::from(from.year()))
        + 30 * (i64::from(to.month()) - i64::from(from.month()))
        + (day(to) - day(from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::date;
    use crate::money::Currency;
    use proptest::prelude::*;

    fn yen(n: i64) -> Money {
        Money::from_minor(n, Currency::JPY)
    }

    #[test]
    fn rounding_modes_match_decimal_rounding() {
        for mode in RoundingMode::ALL {
            for (n, d) in [
                (7, 2),
                (-7, 2),
                (5, 2),
                (-5, 2),
                (10, 3),
                (-10, 3),
                (1, 7),
                (-1, 7),
            ] {
                let exact = rust_decimal::Decimal::from(n) / rust_decimal::Decimal::from(d);
                let expected = mode.round(exact, 0);
                assert_eq!(
                    rust_decimal::Decimal::from(div_round(n, d, mode) as i64),
                    expected,
                    "{mode} {n}/{d}"
                );
            }
        }
    }

    #[test]
    fn bad_fractions_are_refused() {
        assert_eq!(
            prorate(yen(100), 1, 0, RoundingMode::Floor),
            Err(BillingError::InvalidProration { part: 1, whole: 0 })
        );
        assert_eq!(
            prorate(yen(100), 32, 31, RoundingMode::Floor),
            Err(BillingError::InvalidProration {
                part: 32,
                whole: 31
            })
        );
    }

    #[test]
    fn thirty_day_basis_caps_long_months_and_stretches_february() {
        let jan = Period::new(date(2026, 1, 1).unwrap(), date(2026, 2, 1).unwrap()).unwrap();
        // 30/360: Jan 30 → Jan 31 counts no day, so Jan 30 costs nothing
        // and Jan 31, the rest of the period, one day.
        let jan_30 = Period::new(date(2026, 1, 30).unwrap(), date(2026, 1, 31).unwrap()).unwrap();
        let tail = Period::new(date(2026, 1, 31).unwrap(), date(2026, 2, 1).unwrap()).unwrap();
        assert_eq!(piece_days(DayCount::Thirty, jan, jan_30, Some(1)), (0, 30));
        assert_eq!(piece_days(DayCount::Thirty, jan, tail, Some(1)), (1, 30));
        let feb = Period::new(date(2026, 2, 1).unwrap(), date(2026, 3, 1).unwrap()).unwrap();
        let late = Period::new(date(2026, 2, 15).unwrap(), date(2026, 3, 1).unwrap()).unwrap();
        assert_eq!(piece_days(DayCount::Thirty, feb, late, Some(1)), (16, 30));
        assert_eq!(piece_days(DayCount::Actual, feb, late, Some(1)), (14, 28));
        // A period across a month end: Dec 15 – Jan 15, from Jan 1 on.
        let day15 = Period::new(date(2017, 12, 15).unwrap(), date(2018, 1, 15).unwrap()).unwrap();
        let january = Period::new(date(2018, 1, 1).unwrap(), day15.end()).unwrap();
        assert_eq!(
            piece_days(DayCount::Thirty, day15, january, Some(1)),
            (14, 30)
        );
    }

    proptest! {
        #[test]
        fn pieces_of_a_period_sum_to_the_price_within_one_unit_per_piece(
            price in 0_i64..10_000_000,
            (year, month, day) in (2023_i32..=2029, 1_u32..=12, 1_u32..=31),
            months in proptest::sample::select(vec![1_u32, 2, 3, 6, 12]),
            cuts in proptest::collection::btree_set(1_u64..366, 0..8),
            mode in proptest::sample::select(RoundingMode::ALL.to_vec()),
            thirty in any::<bool>(),
        ) {
            // Any period of 1–12 months from any day, month ends and Feb 29
            // included, cut anywhere inside.
            let last = crate::calendar::days_in_month(year, month).unwrap();
            let start = date(year, month, day.min(last)).unwrap();
            let end = start.checked_add_months(chrono::Months::new(months)).unwrap();
            let period = Period::new(start, end).unwrap();
            let basis = if thirty { DayCount::Thirty } else { DayCount::Actual };
            let mut bounds: Vec<NaiveDate> = vec![start];
            bounds.extend(
                cuts.iter()
                    .map(|d| start + chrono::Days::new(*d))
                    .filter(|d| *d < end),
            );
            bounds.push(end);
            let mut sum = 0_i64;
            let mut pieces = 0_i64;
            for pair in bounds.windows(2) {
                let piece = Period::new(pair[0], pair[1]).unwrap();
                let (part, whole) = piece_days(basis, period, piece, Some(months));
                sum += prorate(yen(price), part, whole, mode).unwrap().to_minor().unwrap();
                pieces += 1;
            }
            prop_assert!((sum - price).abs() <= pieces, "{} vs {}", sum, price);
        }
    }
}
