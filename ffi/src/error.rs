//! Status codes, the per-thread last-error message, and the mapping from
//! memberkit's error kinds.

use memberkit::ErrorKind;
use std::any::Any;
use std::cell::RefCell;
use std::ffi::{CString, c_char, c_int};

/// The result of every fallible call. Values are stable and never renumbered;
/// they are grouped by module (general 0–99, money 100–199, calendar 200–299,
/// membership 300–399, billing
/// 400–499, intent 500–599, dunning 600–699).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MkStatus {
    /// Success.
    Ok = 0,
    /// An argument is outside what the function accepts.
    InvalidArgument = 1,
    /// A required pointer argument was NULL.
    NullPointer = 2,
    /// A string argument is not valid UTF-8.
    InvalidUtf8 = 3,
    /// A JSON argument does not parse; the message names the bad field.
    InvalidJson = 4,
    /// An output buffer is too small; see the function for how to size it.
    BufferTooSmall = 5,
    /// memberkit panicked; this is a bug, please report it with the message.
    Panic = 99,
    /// A currency code memberkit does not know.
    UnknownCurrency = 100,
    /// Two amounts in different currencies were combined.
    CurrencyMismatch = 101,
    /// An amount finer than its currency's minor unit.
    SubMinorAmount = 102,
    /// A result too large to represent.
    AmountOutOfRange = 103,
    /// An allocation that cannot be made (no parts, negative or zero ratios).
    InvalidAllocation = 104,
    /// A date that does not exist or does not parse.
    InvalidDate = 200,
    /// An interval of zero length or an unknown unit.
    InvalidInterval = 201,
    /// A period whose end is not after its start.
    InvalidPeriod = 202,
    /// A date computation that leaves the supported calendar range.
    DateOutOfRange = 203,
    /// A plan or catalog that is not valid; the message names the bad field.
    InvalidPlan = 300,
    /// A plan id the catalog does not have.
    UnknownPlan = 301,
    /// A command the membership's status does not allow.
    InvalidTransition = 302,
    /// A command a rule of the plan refuses.
    CommandRefused = 303,
    /// A config (billing, dunning policy, training, routing) that is not valid; the message names the bad field.
    InvalidConfig = 400,
    /// Training or evaluation examples that cannot be used.
    InvalidTrainingData = 500,
    /// Bytes or JSON that are not a valid intent model.
    InvalidModel = 501,
    /// An invoice id the dunning state does not have.
    UnknownInvoice = 600,
    /// A session id the book does not have.
    UnknownSession = 700,
    /// A member id the book does not have.
    UnknownMember = 701,
    /// A booking command refused by a rule (full, outside the window, a
    /// limit, a restriction, ...); the message says which.
    BookingRefused = 702,
}

impl MkStatus {
    const ALL: [MkStatus; 27] = [
        Self::Ok,
        Self::InvalidArgument,
        Self::NullPointer,
        Self::InvalidUtf8,
        Self::InvalidJson,
        Self::BufferTooSmall,
        Self::Panic,
        Self::UnknownCurrency,
        Self::CurrencyMismatch,
        Self::SubMinorAmount,
        Self::AmountOutOfRange,
        Self::InvalidAllocation,
        Self::InvalidDate,
        Self::InvalidInterval,
        Self::InvalidPeriod,
        Self::DateOutOfRange,
        Self::InvalidPlan,
        Self::UnknownPlan,
        Self::InvalidTransition,
        Self::CommandRefused,
        Self::InvalidConfig,
        Self::InvalidTrainingData,
        Self::InvalidModel,
        Self::UnknownInvoice,
        Self::UnknownSession,
        Self::UnknownMember,
        Self::BookingRefused,
    ];

    fn name(self) -> &'static std::ffi::CStr {
        match self {
            Self::Ok => c"MK_STATUS_OK",
            Self::InvalidArgument => c"MK_STATUS_INVALID_ARGUMENT",
            Self::NullPointer => c"MK_STATUS_NULL_POINTER",
            Self::InvalidUtf8 => c"MK_STATUS_INVALID_UTF8",
            Self::InvalidJson => c"MK_STATUS_INVALID_JSON",
            Self::BufferTooSmall => c"MK_STATUS_BUFFER_TOO_SMALL",
            Self::Panic => c"MK_STATUS_PANIC",
            Self::UnknownCurrency => c"MK_STATUS_UNKNOWN_CURRENCY",
            Self::CurrencyMismatch => c"MK_STATUS_CURRENCY_MISMATCH",
            Self::SubMinorAmount => c"MK_STATUS_SUB_MINOR_AMOUNT",
            Self::AmountOutOfRange => c"MK_STATUS_AMOUNT_OUT_OF_RANGE",
            Self::InvalidAllocation => c"MK_STATUS_INVALID_ALLOCATION",
            Self::InvalidDate => c"MK_STATUS_INVALID_DATE",
            Self::InvalidInterval => c"MK_STATUS_INVALID_INTERVAL",
            Self::InvalidPeriod => c"MK_STATUS_INVALID_PERIOD",
            Self::DateOutOfRange => c"MK_STATUS_DATE_OUT_OF_RANGE",
            Self::InvalidPlan => c"MK_STATUS_INVALID_PLAN",
            Self::UnknownPlan => c"MK_STATUS_UNKNOWN_PLAN",
            Self::InvalidTransition => c"MK_STATUS_INVALID_TRANSITION",
            Self::CommandRefused => c"MK_STATUS_COMMAND_REFUSED",
            Self::InvalidConfig => c"MK_STATUS_INVALID_CONFIG",
            Self::InvalidTrainingData => c"MK_STATUS_INVALID_TRAINING_DATA",
            Self::InvalidModel => c"MK_STATUS_INVALID_MODEL",
            Self::UnknownInvoice => c"MK_STATUS_UNKNOWN_INVOICE",
            Self::UnknownSession => c"MK_STATUS_UNKNOWN_SESSION",
            Self::UnknownMember => c"MK_STATUS_UNKNOWN_MEMBER",
            Self::BookingRefused => c"MK_STATUS_BOOKING_REFUSED",
        }
    }
}

impl From<ErrorKind> for MkStatus {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidArgument => Self::InvalidArgument,
            ErrorKind::UnknownCurrency => Self::UnknownCurrency,
            ErrorKind::CurrencyMismatch => Self::CurrencyMismatch,
            ErrorKind::SubMinorAmount => Self::SubMinorAmount,
            ErrorKind::AmountOutOfRange => Self::AmountOutOfRange,
            ErrorKind::InvalidAllocation => Self::InvalidAllocation,
            ErrorKind::InvalidDate => Self::InvalidDate,
            ErrorKind::InvalidInterval => Self::InvalidInterval,
            ErrorKind::InvalidPeriod => Self::InvalidPeriod,
            ErrorKind::DateOutOfRange => Self::DateOutOfRange,
            ErrorKind::InvalidPlan => Self::InvalidPlan,
            ErrorKind::InvalidJson => Self::InvalidJson,
            ErrorKind::UnknownPlan => Self::UnknownPlan,
            ErrorKind::InvalidTransition => Self::InvalidTransition,
            ErrorKind::CommandRefused => Self::CommandRefused,
            ErrorKind::InvalidConfig => Self::InvalidConfig,
            ErrorKind::InvalidTrainingData => Self::InvalidTrainingData,
            ErrorKind::InvalidModel => Self::InvalidModel,
            ErrorKind::UnknownInvoice => Self::UnknownInvoice,
            ErrorKind::UnknownSession => Self::UnknownSession,
            ErrorKind::UnknownMember => Self::UnknownMember,
            ErrorKind::BookingRefused => Self::BookingRefused,
        }
    }
}

/// A failed call: its status and the message for `mk_last_error_message`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: MkStatus,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(status: MkStatus, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl<E: Into<memberkit::Error>> From<E> for Failure {
    fn from(err: E) -> Self {
        let err = err.into();
        Self::new(err.kind().into(), err.to_string())
    }
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_last_error(message: &str) {
    // Interior NULs cannot be shown in C; keep the text before the first one.
    let visible = message.split('\0').next().unwrap_or_default();
    let text = CString::new(visible).unwrap_or_default();
    LAST_ERROR.with(|cell| *cell.borrow_mut() = text);
}

/// Turns the outcome of an entry point into its status, recording the message
/// of a failure or a panic.
pub(crate) fn settle(outcome: std::thread::Result<Result<(), Failure>>) -> MkStatus {
    match outcome {
        Ok(Ok(())) => MkStatus::Ok,
        Ok(Err(failure)) => {
            set_last_error(&failure.message);
            failure.status
        }
        Err(payload) => {
            set_last_error(&format!(
                "memberkit panicked: {}",
                panic_text(payload.as_ref())
            ));
            MkStatus::Panic
        }
    }
}

fn panic_text(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic")
}

/// The name of a status, e.g. `"MK_STATUS_INVALID_DATE"`; a static string,
/// never freed. An unknown value gives `"MK_STATUS_UNKNOWN"`.
#[unsafe(no_mangle)]
pub extern "C" fn mk_status_str(status: c_int) -> *const c_char {
    let found = MkStatus::ALL.into_iter().find(|s| *s as c_int == status);
    found.map_or(c"MK_STATUS_UNKNOWN", MkStatus::name).as_ptr()
}

/// The message of the last failed call on the calling thread ("" if none).
/// Owned by the library; valid until the next mk_* call on this thread.
#[unsafe(no_mangle)]
pub extern "C" fn mk_last_error_message() -> *const c_char {
    LAST_ERROR.with(|cell| cell.borrow().as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn every_status_has_its_own_name_matching_the_header_spelling() {
        for status in MkStatus::ALL {
            let name = unsafe { CStr::from_ptr(mk_status_str(status as c_int)) }
                .to_str()
                .unwrap();
            let variant = format!("{status:?}");
            let screaming: String = variant
                .chars()
                .enumerate()
                .flat_map(|(i, c)| {
                    let sep = (i > 0 && c.is_uppercase()).then_some('_');
                    sep.into_iter().chain(c.to_uppercase())
                })
                .collect();
            assert_eq!(name, format!("MK_STATUS_{screaming}"));
        }
        let unknown = unsafe { CStr::from_ptr(mk_status_str(12345)) };
        assert_eq!(unknown.to_str().unwrap(), "MK_STATUS_UNKNOWN");
    }

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        let status = entry!({
            let v: Vec<u8> = Vec::new();
            let _ = v[usize::MAX / 2];
            Ok(())
        });
        assert_eq!(status, MkStatus::Panic);
        let message = unsafe { CStr::from_ptr(mk_last_error_message()) }
            .to_str()
            .unwrap();
        assert!(
            message.starts_with("memberkit panicked: index out of bounds"),
            "{message}"
        );
    }
}
