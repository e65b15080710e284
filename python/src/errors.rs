//! memberkit errors become instances of the exception classes defined in
//! `memberkit/errors.py`, one per error kind, with Rust's message unchanged;
//! a booking error also carries its code (`"full"`) as `.code`.

use memberkit::ErrorKind;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidArgument => "InvalidArgumentError",
        ErrorKind::UnknownCurrency => "UnknownCurrencyError",
        ErrorKind::CurrencyMismatch => "CurrencyMismatchError",
        ErrorKind::SubMinorAmount => "SubMinorAmountError",
        ErrorKind::AmountOutOfRange => "AmountOutOfRangeError",
        ErrorKind::InvalidAllocation => "InvalidAllocationError",
        ErrorKind::InvalidDate => "InvalidDateError",
        ErrorKind::InvalidInterval => "InvalidIntervalError",
        ErrorKind::InvalidPeriod => "InvalidPeriodError",
        ErrorKind::DateOutOfRange => "DateOutOfRangeError",
        ErrorKind::InvalidPlan => "InvalidPlanError",
        ErrorKind::InvalidJson => "InvalidJsonError",
        ErrorKind::UnknownPlan => "UnknownPlanError",
        ErrorKind::InvalidTransition => "InvalidTransitionError",
        ErrorKind::CommandRefused => "CommandRefusedError",
        ErrorKind::InvalidConfig => "InvalidConfigError",
        ErrorKind::InvalidTrainingData => "InvalidTrainingDataError",
        ErrorKind::InvalidModel => "InvalidModelError",
        ErrorKind::UnknownInvoice => "UnknownInvoiceError",
        ErrorKind::UnknownSession => "UnknownSessionError",
        ErrorKind::UnknownMember => "UnknownMemberError",
        ErrorKind::BookingRefused => "BookingRefusedError",
        ErrorKind::LimitExceeded => "LimitExceededError",
    }
}

/// The Python exception for a memberkit error.
pub(crate) fn to_py(err: impl Into<memberkit::Error>) -> PyErr {
    let err = err.into();
    let code = match &err {
        memberkit::Error::Booking(booking) => Some(booking.code()),
        _ => None,
    };
    raise_with(err.kind(), err.to_string(), code)
}

/// An invalid-argument error raised by the binding layer itself (a float
/// where money needs an exact amount, ...).
pub(crate) fn invalid_argument(message: String) -> PyErr {
    raise(ErrorKind::InvalidArgument, message)
}

fn raise(kind: ErrorKind, message: String) -> PyErr {
    raise_with(kind, message, None)
}

fn raise_with(kind: ErrorKind, message: String, code: Option<&'static str>) -> PyErr {
    Python::attach(|py| {
        // Imported once: a refused booking is a hot path.
        static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
        let class = ERRORS
            .get_or_try_init(py, || py.import("memberkit.errors").map(Bound::unbind))
            .and_then(|module| module.bind(py).getattr(class_name(kind)))
            .and_then(|class| Ok(class.cast_into::<PyType>()?));
        match class {
            Ok(class) => match code {
                Some(code) => PyErr::from_type(class, (message, kind.name(), code)),
                None => PyErr::from_type(class, (message, kind.name())),
            },
            Err(import_failure) => import_failure,
        }
    })
}
