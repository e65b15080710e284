//! memberkit: the logic of a membership business — gyms, schools, salons, clubs,
//! subscription services — as a pure library.
//!
//! The core does no I/O, never reads the clock (every date is an argument) and
//! holds no global state, so a host can call it from any thread and replay it
//! deterministically.
//!
//! - [`money`]: amounts in ISO 4217 currencies on [`rust_decimal::Decimal`],
//!   explicit rounding, allocation that never loses a minor unit.
//! - [`calendar`]: billing intervals, month arithmetic that clamps to month end,
//!   anchored schedules and half-open periods.
//!
//! ```
//! use memberkit::calendar::{Interval, Schedule, date};
//! use memberkit::money::{Currency, Money};
//!
//! // A monthly schedule anchored on January 31 returns to the 31st when it can.
//! let schedule = Schedule::new(date(2026, 1, 31)?, Interval::months(1)?);
//! assert_eq!(schedule.next_after(date(2026, 2, 1)?)?, date(2026, 2, 28)?);
//! assert_eq!(schedule.next_after(date(2026, 2, 28)?)?, date(2026, 3, 31)?);
//!
//! // Splitting ¥10,000 three ways keeps every yen.
//! let parts = Money::from_minor(10_000, Currency::JPY).allocate(3)?;
//! assert_eq!(parts, [3334, 3333, 3333].map(|y| Money::from_minor(y, Currency::JPY)));
//! # Ok::<(), memberkit::Error>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod billing;
pub mod booking;
pub mod calendar;
pub mod chat;
mod digits;
pub mod dunning;
mod error;
mod error_kind;
pub mod intent;
pub mod json;
pub mod membership;
pub mod money;
#[cfg(any(test, feature = "proptest"))]
pub mod strategies;
pub mod text;

pub use error::{Bounded, Error, count};
pub use error_kind::ErrorKind;

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
