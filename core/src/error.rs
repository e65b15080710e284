//! The crate-wide error and its stable kinds.

use crate::billing::BillingError;
use crate::booking::BookingError;
use crate::calendar::CalendarError;
use crate::chat::ChatError;
use crate::dunning::DunningError;
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

/// The kind of an [`Error`]: a stable, data-free name that the C layer maps to a
/// status code and the Python layer to an exception class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A count or argument outside what the operation accepts.
    InvalidArgument,
    /// A currency code memberkit does not know.
    UnknownCurrency,
    /// Two amounts in different currencies were combined.
    CurrencyMismatch,
    /// An amount finer than its currency's minor unit.
    SubMinorAmount,
    /// A result too large to represent.
    AmountOutOfRange,
    /// An allocation that cannot be made (no parts, bad ratios).
    InvalidAllocation,
    /// A date that does not exist or does not parse.
    InvalidDate,
    /// An interval of zero length or an unknown unit.
    InvalidInterval,
    /// A period whose end is not after its start.
    InvalidPeriod,
    /// A date computation that leaves the supported calendar range.
    DateOutOfRange,
    /// A plan or catalog that is not valid.
    InvalidPlan,
    /// A command, event or state given as JSON that does not parse.
    InvalidJson,
    /// A config (billing, training, routing) or pattern that is not valid.
    InvalidConfig,
    /// Training or evaluation examples that cannot be used.
    InvalidTrainingData,
    /// Bytes or JSON that are not a valid intent model.
    InvalidModel,
    /// A plan id the catalog does not have.
    UnknownPlan,
    /// A command the membership's status does not allow.
    InvalidTransition,
    /// A command a rule of the plan refuses (pause too long, inside the minimum term, ...).
    CommandRefused,
    /// An invoice id dunning does not know.
    UnknownInvoice,
    /// A session id the book does not have.
    UnknownSession,
    /// A member id the book does not have.
    UnknownMember,
    /// A booking command refused by a rule (full, outside the window, a
    /// limit, a restriction, ...); the error's code names which.
    BookingRefused,
    /// Work past one of the documented limits (too many billing periods of
    /// one account in one run, ...); the message says which and how to stay
    /// under it.
    LimitExceeded,
}

impl ErrorKind {
    /// The kind's stable snake_case name, e.g. `"unknown_currency"`.
    ///
    /// ```
    /// assert_eq!(memberkit::ErrorKind::CurrencyMismatch.name(), "currency_mismatch");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Self::InvalidArgument => "invalid_argument",
            Self::UnknownCurrency => "unknown_currency",
            Self::CurrencyMismatch => "currency_mismatch",
            Self::SubMinorAmount => "sub_minor_amount",
            Self::AmountOutOfRange => "amount_out_of_range",
            Self::InvalidAllocation => "invalid_allocation",
            Self::InvalidDate => "invalid_date",
            Self::InvalidInterval => "invalid_interval",
            Self::InvalidPeriod => "invalid_period",
            Self::DateOutOfRange => "date_out_of_range",
            Self::InvalidPlan => "invalid_plan",
            Self::InvalidJson => "invalid_json",
            Self::InvalidConfig => "invalid_config",
            Self::InvalidTrainingData => "invalid_training_data",
            Self::InvalidModel => "invalid_model",
            Self::UnknownPlan => "unknown_plan",
            Self::InvalidTransition => "invalid_transition",
            Self::CommandRefused => "command_refused",
            Self::UnknownInvoice => "unknown_invoice",
            Self::UnknownSession => "unknown_session",
            Self::UnknownMember => "unknown_member",
            Self::BookingRefused => "booking_refused",
            Self::LimitExceeded => "limit_exceeded",
        }
    }
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
            Self::Intent(e) => intent_kind(e),
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

/// The kind of an intent error (kept here so the intent module stays about intents).
pub(crate) fn intent_kind(err: &IntentError) -> ErrorKind {
    match err {
        IntentError::NoExamples
        | IntentError::TooFewIntents { .. }
        | IntentError::InvalidIntentId { .. }
        | IntentError::TooLarge { .. }
        | IntentError::InvalidTsv { .. } => ErrorKind::InvalidTrainingData,
        IntentError::InvalidConfig { .. }
        | IntentError::InvalidPattern { .. }
        | IntentError::InvalidGazetteer { .. } => ErrorKind::InvalidConfig,
        IntentError::BadMagic
        | IntentError::UnsupportedVersion { .. }
        | IntentError::Truncated { .. }
        | IntentError::ChecksumMismatch { .. }
        | IntentError::InvalidModel { .. } => ErrorKind::InvalidModel,
    }
}

/// `" at PATH"` for a field path, nothing for the document itself (`"."`).
pub(crate) fn at_path(path: &str) -> String {
    if path.is_empty() || path == "." {
        String::new()
    } else {
        format!(" at {path}")
    }
}
