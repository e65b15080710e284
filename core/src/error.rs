//! The crate-wide error: one variant per capability, each carrying that
//! capability's own error, which says its own [`ErrorKind`].

use crate::billing::BillingError;
use crate::booking::BookingError;
use crate::calendar::CalendarError;
use crate::chat::ChatError;
use crate::dunning::DunningError;
use crate::error_kind::ErrorKind;
use crate::intent::IntentError;
use crate::json::JsonError;
use crate::membership::MembershipError;
use crate::money::MoneyError;

/// Any error memberkit returns: one variant per module, each carrying the
/// module's own error with the data that explains it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error about money: currencies, rounding, allocation.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// An error about dates, intervals, periods and schedules.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// An invalid plan or a refused membership command.
    #[error(transparent)]
    Membership(#[from] MembershipError),
    /// A billing run that cannot be made.
    #[error(transparent)]
    Billing(#[from] BillingError),
    /// An invalid dunning policy or a refused dunning command.
    #[error(transparent)]
    Dunning(#[from] DunningError),
    /// Invalid booking rules or a refused booking command.
    #[error(transparent)]
    Booking(#[from] BookingError),
    /// A JSON document that does not parse.
    #[error(transparent)]
    Json(#[from] JsonError),
    /// Intent training data, a model or a chatbot setting that is not valid.
    #[error(transparent)]
    Intent(#[from] IntentError),
    /// An assistant setting or input that is not valid.
    #[error(transparent)]
    Chat(#[from] ChatError),
    /// A count given in a wider or signed type (C's `int64_t`, Python's `int`)
    /// is negative or too large for the operation.
    #[error("{what} must be between 0 and {max}, got {value}")]
    CountOutOfRange {
        /// What was being counted, e.g. `"parts"`.
        what: &'static str,
        /// The value given.
        value: i64,
        /// The largest value accepted.
        max: u64,
    },
}

impl Error {
    /// The error's kind.
    ///
    /// ```
    /// use memberkit::{Error, ErrorKind, money::Currency};
    /// let err: Error = "XYZ".parse::<Currency>().unwrap_err().into();
    /// assert_eq!(err.kind(), ErrorKind::UnknownCurrency);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Money(e) => e.kind(),
            Self::Calendar(e) => e.kind(),
            Self::Membership(e) => e.kind(),
            Self::Billing(e) => e.kind(),
            Self::Dunning(e) => e.kind(),
            Self::Booking(e) => e.kind(),
            Self::Intent(e) => e.kind(),
            Self::Chat(e) => e.kind(),
            Self::Json(_) => ErrorKind::InvalidJson,
            Self::CountOutOfRange { .. } => ErrorKind::InvalidArgument,
        }
    }
}

/// Converts a count that a caller gave in a signed 64-bit type (C's
/// `int64_t`, Python's `int`) into the unsigned type an operation takes,
/// refusing negative and too large values by name.
///
/// # Errors
/// [`Error::CountOutOfRange`] when `value` is negative or does not fit `T`.
///
/// # Example
/// ```
/// assert_eq!(memberkit::count::<u32>("parts", 3)?, 3);
/// assert_eq!(
///     memberkit::count::<u32>("parts", -1).unwrap_err().to_string(),
///     "parts must be between 0 and 4294967295, got -1"
/// );
/// # Ok::<(), memberkit::Error>(())
/// ```
pub fn count<T>(what: &'static str, value: i64) -> Result<T, Error>
where
    T: TryFrom<i64> + Bounded,
{
    T::try_from(value).map_err(|_| Error::CountOutOfRange {
        what,
        value,
        max: T::MAX_U64,
    })
}

/// Unsigned integer types that [`count`] converts to.
pub trait Bounded {
    /// The type's largest value, as a `u64`.
    const MAX_U64: u64;
}

impl Bounded for u32 {
    const MAX_U64: u64 = u32::MAX as u64;
}

impl Bounded for u64 {
    const MAX_U64: u64 = u64::MAX;
}

impl Bounded for usize {
    const MAX_U64: u64 = usize::MAX as u64;
}
