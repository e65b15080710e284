//! Status codes, the per-thread last-error message and code, and the mapping
//! from memberkit's error kinds.

use memberkit::ErrorKind;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::ffi::{CStr, CString, c_char, c_int};
use std::sync::Mutex;

/// The result of every fallible call. Values are stable and never renumbered;
/// they are grouped by module (general 0–99, money 100–199, calendar 200–299,
/// membership 300–399, billing
/// 400–499, intent 500–599, dunning 600–699, booking 700–799).
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
    /// limit, a restriction, ...); the message says which, and
    /// `mk_last_error_code` gives the reason's stable code (`"full"`, ...).
    BookingRefused = 702,
    /// Work past one of the documented limits (too many billing periods of
    /// one account in one run, ...); the message says which.
    LimitExceeded = 800,
}

impl MkStatus {
    const ALL: [MkStatus; 28] = [
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
        Self::LimitExceeded,
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
            Self::LimitExceeded => c"MK_STATUS_LIMIT_EXCEEDED",
        }
    }

    /// The status's snake_case code, e.g. `"invalid_utf8"`: the code
    /// `mk_last_error_code` reports for a failure with no finer reason. For
    /// statuses that come from an [`ErrorKind`] it is the kind's name.
    fn code(self) -> &'static str {
        match self {
            Self::Ok => "",
            Self::NullPointer => "null_pointer",
            Self::InvalidUtf8 => "invalid_utf8",
            Self::BufferTooSmall => "buffer_too_small",
            Self::Panic => "panic",
            Self::InvalidArgument => ErrorKind::InvalidArgument.name(),
            Self::InvalidJson => ErrorKind::InvalidJson.name(),
            Self::UnknownCurrency => ErrorKind::UnknownCurrency.name(),
            Self::CurrencyMismatch => ErrorKind::CurrencyMismatch.name(),
            Self::SubMinorAmount => ErrorKind::SubMinorAmount.name(),
            Self::AmountOutOfRange => ErrorKind::AmountOutOfRange.name(),
            Self::InvalidAllocation => ErrorKind::InvalidAllocation.name(),
            Self::InvalidDate => ErrorKind::InvalidDate.name(),
            Self::InvalidInterval => ErrorKind::InvalidInterval.name(),
            Self::InvalidPeriod => ErrorKind::InvalidPeriod.name(),
            Self::DateOutOfRange => ErrorKind::DateOutOfRange.name(),
            Self::InvalidPlan => ErrorKind::InvalidPlan.name(),
            Self::UnknownPlan => ErrorKind::UnknownPlan.name(),
            Self::InvalidTransition => ErrorKind::InvalidTransition.name(),
            Self::CommandRefused => ErrorKind::CommandRefused.name(),
            Self::InvalidConfig => ErrorKind::InvalidConfig.name(),
            Self::InvalidTrainingData => ErrorKind::InvalidTrainingData.name(),
            Self::InvalidModel => ErrorKind::InvalidModel.name(),
            Self::UnknownInvoice => ErrorKind::UnknownInvoice.name(),
            Self::UnknownSession => ErrorKind::UnknownSession.name(),
            Self::UnknownMember => ErrorKind::UnknownMember.name(),
            Self::BookingRefused => ErrorKind::BookingRefused.name(),
            Self::LimitExceeded => ErrorKind::LimitExceeded.name(),
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
            ErrorKind::LimitExceeded => Self::LimitExceeded,
        }
    }
}

/// A failed call: its status, the message for `mk_last_error_message` and
/// the code for `mk_last_error_code`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: MkStatus,
    pub(crate) message: String,
    pub(crate) code: &'static str,
}

impl Failure {
    /// A failure whose code is the status's own (`"null_pointer"`, ...).
    pub(crate) fn new(status: MkStatus, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            code: status.code(),
        }
    }
}

impl<E: Into<memberkit::Error>> From<E> for Failure {
    fn from(err: E) -> Self {
        let err = err.into();
        // A booking error names its reason ("full", "waitlist_full");
        // every other error is known by its kind.
        let code = match &err {
            memberkit::Error::Booking(booking) => booking.code(),
            other => other.kind().name(),
        };
        Self {
            status: err.kind().into(),
            message: err.to_string(),
            code,
        }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
    static LAST_CODE: Cell<&'static CStr> = const { Cell::new(c"") };
}

fn set_last_error(message: &str, code: &'static str) {
    // Interior NULs cannot be shown in C; keep the text before the first one.
    let visible = message.split('\0').next().unwrap_or_default();
    let text = CString::new(visible).unwrap_or_default();
    LAST_ERROR.with(|cell| *cell.borrow_mut() = text);
    LAST_CODE.with(|cell| cell.set(static_c_str(code)));
}

/// The NUL-terminated form of a static code, made once per distinct code and
/// kept for the life of the process (there are a few dozen codes). Each
/// thread remembers the ones it has seen, so a failure on a hot path takes
/// no lock once its code is known.
fn static_c_str(code: &'static str) -> &'static CStr {
    thread_local! {
        static SEEN: RefCell<Vec<(&'static str, &'static CStr)>> = const { RefCell::new(Vec::new()) };
    }
    static INTERNED: Mutex<Vec<(&'static str, &'static CStr)>> = Mutex::new(Vec::new());
    let find = |list: &[(&'static str, &'static CStr)]| {
        list.iter().find(|(s, _)| *s == code).map(|(_, c)| *c)
    };
    if let Some(c) = SEEN.with(|seen| find(&seen.borrow())) {
        return c;
    }
    let c = {
        let mut interned = INTERNED.lock().unwrap_or_else(|p| p.into_inner());
        find(&interned).unwrap_or_else(|| {
            let c: &'static CStr =
                Box::leak(CString::new(code).unwrap_or_default().into_boxed_c_str());
            interned.push((code, c));
            c
        })
    };
    SEEN.with(|seen| seen.borrow_mut().push((code, c)));
    c
}

/// Turns the outcome of an entry point into its status, recording the message
/// of a failure or a panic.
pub(crate) fn settle(outcome: std::thread::Result<Result<(), Failure>>) -> MkStatus {
    match outcome {
        Ok(Ok(())) => MkStatus::Ok,
        Ok(Err(failure)) => {
            set_last_error(&failure.message, failure.code);
            failure.status
        }
        Err(payload) => {
            set_last_error(
                &format!("memberkit panicked: {}", panic_text(payload.as_ref())),
                MkStatus::Panic.code(),
            );
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

/// The stable snake_case code of the last failed call on the calling thread
/// ("" if none): for a booking error its reason (`"full"`,
/// `"waitlist_full"`, `"already_booked"`, `"out_of_order"`, ...; the
/// `code` of the booking vectors), for any other error its kind
/// (`"unknown_currency"`, `"invalid_json"`, ...), and for a failure of the C
/// layer itself the status's own (`"null_pointer"`, `"invalid_utf8"`,
/// `"panic"`). A static string, never freed, valid for the life of the
/// process; unlike the message, codes never change between versions.
#[unsafe(no_mangle)]
pub extern "C" fn mk_last_error_code() -> *const c_char {
    LAST_CODE.with(Cell::get).as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn the_readme_error_table_lists_every_status_with_its_code_and_number() {
        let readme = include_str!("../../README.md");
        for status in MkStatus::ALL.into_iter().filter(|s| *s != MkStatus::Ok) {
            let row = format!(
                "| `{}` | `{}` ({}) |",
                status.code(),
                status.name().to_str().unwrap(),
                status as c_int
            );
            assert!(
                readme.contains(&row),
                "README.md's Errors table lacks {row}"
            );
        }
    }

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
    fn every_status_code_is_its_name_in_snake_case() {
        for status in MkStatus::ALL.into_iter().filter(|s| *s != MkStatus::Ok) {
            let name = unsafe { CStr::from_ptr(mk_status_str(status as c_int)) }
                .to_str()
                .unwrap();
            let snake = name.trim_start_matches("MK_STATUS_").to_lowercase();
            assert_eq!(status.code(), snake);
        }
    }

    #[test]
    fn the_last_code_is_the_booking_reason_or_the_kind_or_the_status() {
        let code = || {
            unsafe { CStr::from_ptr(mk_last_error_code()) }
                .to_str()
                .unwrap()
        };
        let full = memberkit::booking::BookingError::Full {
            session: "yoga".into(),
            free: 0,
            party: 1,
        };
        assert_eq!(
            entry!({ Err(full.clone().into()) }),
            MkStatus::BookingRefused
        );
        assert_eq!(code(), "full");
        let currency = "XYZ".parse::<memberkit::money::Currency>().unwrap_err();
        assert_eq!(entry!({ Err(currency.into()) }), MkStatus::UnknownCurrency);
        assert_eq!(code(), "unknown_currency");
        let status = entry!({ Err(Failure::new(MkStatus::NullPointer, "x is NULL")) });
        assert_eq!(status, MkStatus::NullPointer);
        assert_eq!(code(), "null_pointer");
        // Success leaves the last failure's code, as it leaves its message.
        assert_eq!(entry!({ Ok(()) }), MkStatus::Ok);
        assert_eq!(code(), "null_pointer");
        // The same code is the same static string on every thread.
        entry!({ Err(full.clone().into()) });
        let here = mk_last_error_code() as usize;
        let there = std::thread::spawn(move || {
            entry!({ Err(full.into()) });
            mk_last_error_code() as usize
        });
        assert_eq!(there.join().unwrap(), here);
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
