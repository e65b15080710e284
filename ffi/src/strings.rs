//! Strings across the boundary: reading arguments, returning owned strings.

use crate::error::{Failure, MkStatus};
use std::ffi::{CStr, CString, c_char};

/// Reads a NUL-terminated UTF-8 argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn read_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::new(
            MkStatus::NullPointer,
            format!("{name} is NULL"),
        ));
    }
    // SAFETY: non-null and NUL-terminated by the caller's contract.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes.to_str().map_err(|e| {
        Failure::new(
            MkStatus::InvalidUtf8,
            format!("{name} is not valid UTF-8 (byte {})", e.valid_up_to()),
        )
    })
}

/// Writes `value` through an output pointer, refusing NULL.
///
/// # Safety
/// `ptr` is NULL or valid for a write of `T`.
pub(crate) unsafe fn write_out<T>(ptr: *mut T, name: &str, value: T) -> Result<(), Failure> {
    if ptr.is_null() {
        return Err(Failure::new(
            MkStatus::NullPointer,
            format!("{name} is NULL"),
        ));
    }
    // SAFETY: non-null and writable by the caller's contract.
    unsafe { ptr.write(value) };
    Ok(())
}

/// Hands an owned string to C through `out`, to be freed with `mk_string_free`.
/// Checks `out` before allocating, so a NULL `out` leaks nothing.
///
/// # Safety
/// `out` is NULL or valid for a write of a pointer.
pub(crate) unsafe fn write_string(
    out: *mut *mut c_char,
    name: &str,
    text: String,
) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::new(
            MkStatus::NullPointer,
            format!("{name} is NULL"),
        ));
    }
    let raw = CString::new(text)
        .map(CString::into_raw)
        .map_err(|_| Failure::new(MkStatus::InvalidArgument, "result contains a NUL byte"))?;
    // SAFETY: non-null and writable by the caller's contract.
    unsafe { out.write(raw) };
    Ok(())
}

/// Frees a string returned by memberkit. NULL is accepted and ignored.
///
/// # Safety
/// `s` is NULL or a string returned by a mk_* function and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: `s` came from `CString::into_raw` by the caller's contract.
        drop(unsafe { CString::from_raw(s) });
    });
}
