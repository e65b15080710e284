//! memberkit errors become instances of the exception classes defined in
//! `memberkit/errors.py`, one per error kind, with Rust's message unchanged.

use memberkit::ErrorKind;
use pyo3::prelude::*;
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
    }
}

/// The Python exception for a memberkit error.
pub(crate) fn to_py(err: impl Into<memberkit::Error>) -> PyErr {
    let err = err.into();
    raise(err.kind(), err.to_string())
}

/// An invalid-argument error raised by the binding layer itself (a float
/// where money needs an exact amount, ...).
pub(crate) fn invalid_argument(message: String) -> PyErr {
    raise(ErrorKind::InvalidArgument, message)
}

fn raise(kind: ErrorKind, message: String) -> PyErr {
    Python::attach(|py| {
        let class = py
            .import("memberkit.errors")
            .and_then(|module| module.getattr(class_name(kind)))
            .and_then(|class| Ok(class.cast_into::<PyType>()?));
        match class {
            Ok(class) => PyErr::from_type(class, (message, kind.name())),
            Err(import_failure) => import_failure,
        }
    })
}
