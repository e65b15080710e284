//! proptest strategies for memberkit's types, for downstream property tests.
//!
//! Enabled by the crate's `proptest` feature.
//!
//! ```
//! use memberkit::strategies;
//! use proptest::prelude::*;
//!
//! proptest!(|(schedule in strategies::schedule(), day in strategies::date_between(2020, 2030))| {
//!     let period = schedule.period_containing(day).unwrap();
//!     prop_assert!(period.contains(day));
//! });
//! ```

use crate::calendar::{Interval, IntervalUnit, NaiveDate, Schedule, days_in_month};
use crate::money::{Currency, Money};
use proptest::prelude::*;

/// Any currency memberkit knows.
pub fn currency() -> impl Strategy<Value = Currency> {
    proptest::sample::select(Currency::ALL)
}

/// Money in any known currency with at most `max_minor` minor units either side of zero.
pub fn money(max_minor: i64) -> impl Strategy<Value = Money> {
    let bound = max_minor.saturating_abs();
    (currency(), -bound..=bound).prop_map(|(currency, minor)| Money::from_minor(minor, currency))
}

/// A valid date with a year in `from_year..=to_year`, month ends and leap days included.
pub fn date_between(from_year: i32, to_year: i32) -> impl Strategy<Value = NaiveDate> {
    (from_year..=to_year, 1_u32..=12, 1_u32..=31).prop_filter_map("day exists", |(y, m, d)| {
        let last = days_in_month(y, m)?;
        NaiveDate::from_ymd_opt(y, m, d.min(last))
    })
}

/// An interval of any unit with a count of 1 to 12.
pub fn interval() -> impl Strategy<Value = Interval> {
    let unit = prop_oneof![
        Just(IntervalUnit::Day),
        Just(IntervalUnit::Week),
        Just(IntervalUnit::Month),
        Just(IntervalUnit::Year),
    ];
    (unit, 1_u32..=12).prop_filter_map("count is not zero", |(unit, count)| {
        Interval::new(unit, count).ok()
    })
}

/// A schedule anchored between 2000 and 2100 with any [`interval`].
pub fn schedule() -> impl Strategy<Value = Schedule> {
    (date_between(2000, 2100), interval())
        .prop_map(|(anchor, interval)| Schedule::new(anchor, interval))
}
