//! The stable kinds of memberkit's errors, and the helper their messages
//! share. It imports no capability: each capability's error says its own
//! kind (`MoneyError::kind`, `BillingError::kind`, ...), so the capabilities
//! depend on this list and the list on none of them.

/// The kind of an [`Error`](crate::Error): a stable, data-free name that the
/// C layer maps to a status code and the Python layer to an exception class.
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

/// `" at PATH"` for a field path, nothing for the document itself (`"."`).
pub(crate) fn at_path(path: &str) -> String {
    if path.is_empty() || path == "." {
        String::new()
    } else {
        format!(" at {path}")
    }
}

/// At most the first `kept` characters of `text`, its length said when it
/// is cut: for an error message that quotes what it was given, so a 50 MB
/// field makes a short message, not a 50 MB one in a host's logs. Inputs
/// quoted alone keep 64 characters, whole parser messages 300.
///
/// ```
/// # use memberkit::calendar::parse_date;
/// let err = parse_date(&"9".repeat(1_000_000)).unwrap_err();
/// assert!(err.to_string().len() < 200, "{err}");
/// assert!(err.to_string().contains("1000000 bytes"), "{err}");
/// ```
pub(crate) fn excerpt(text: &str, kept: usize) -> String {
    match text.char_indices().nth(kept) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}… ({} bytes)", &text[..end], text.len()),
    }
}
