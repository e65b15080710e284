//! Calling memberkit's C ABI from Rust, as a C host would.

use memberkit::calendar::NaiveDate;
use memberkit_ffi::{MkDate, MkStatus, mk_last_error_message, mk_string_free};
use std::ffi::{CStr, CString, c_char};

/// `text` as a C string; `None` when it holds a NUL byte (C cannot pass it).
pub fn cstring(text: &str) -> Option<CString> {
    CString::new(text).ok()
}

/// A date as the C ABI takes it.
pub fn date(day: NaiveDate) -> MkDate {
    use chrono::Datelike;
    MkDate {
        year: day.year(),
        month: day.month(),
        day: day.day(),
    }
}

/// The outcome of a C call that writes a string: the string, or the status
/// with `mk_last_error_message`.
pub type Outcome = Result<String, (MkStatus, String)>;

/// Runs `call` with an output pointer and takes the string it wrote,
/// freeing it with `mk_string_free`. Fails the target on a panic status or
/// an output written on failure.
pub fn call(call: impl FnOnce(*mut *mut c_char) -> MkStatus) -> Outcome {
    let mut out: *mut c_char = std::ptr::null_mut();
    let status = call(&mut out);
    assert_ne!(
        status,
        MkStatus::Panic,
        "a C call panicked: {}",
        last_error()
    );
    if status != MkStatus::Ok {
        assert!(out.is_null(), "a failed C call wrote its output");
        return Err((status, last_error()));
    }
    assert!(!out.is_null(), "a successful C call wrote no output");
    // SAFETY: a NUL-terminated string from memberkit, freed once below.
    let text = unsafe { CStr::from_ptr(out) }
        .to_str()
        .expect("memberkit writes UTF-8")
        .to_owned();
    // SAFETY: returned by memberkit and not yet freed.
    unsafe { mk_string_free(out) };
    Ok(text)
}

/// The calling thread's last error message.
pub fn last_error() -> String {
    // SAFETY: a NUL-terminated string owned by the library, read at once.
    unsafe { CStr::from_ptr(mk_last_error_message()) }
        .to_string_lossy()
        .into_owned()
}

/// Checks that the C outcome matches Rust's: the same JSON, or the same
/// status and message.
pub fn same<T, E: Into<memberkit::Error>>(
    what: &str,
    c: &Outcome,
    rust: Result<T, E>,
    to_json: impl FnOnce(&T) -> String,
) -> Option<T> {
    match (c, rust) {
        (Ok(c), Ok(value)) => {
            assert_eq!(*c, to_json(&value), "{what}: C and Rust differ");
            Some(value)
        }
        (Err((status, message)), Err(err)) => {
            let err: memberkit::Error = err.into();
            assert_eq!(
                *status,
                MkStatus::from(err.kind()),
                "{what}: C and Rust statuses differ"
            );
            assert_eq!(
                *message,
                err.to_string(),
                "{what}: C and Rust messages differ"
            );
            None
        }
        (Ok(c), Err(err)) => panic!(
            "{what}: C accepted ({c}) what Rust refused: {:?}",
            err.into()
        ),
        (Err(c), Ok(value)) => panic!(
            "{what}: C refused {c:?} what Rust accepted: {}",
            to_json(&value)
        ),
    }
}
