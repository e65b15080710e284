//! The one wrapper around every entry point: panics become `MK_STATUS_PANIC`,
//! errors become a status plus the thread's last-error message.

/// Runs `$body` (a block evaluating to `Result<(), Failure>`) behind
/// `catch_unwind` and returns the resulting `MkStatus`.
macro_rules! entry {
    ($body:block) => {{
        let outcome = ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(
            || -> ::std::result::Result<(), $crate::error::Failure> { $body },
        ));
        $crate::error::settle(outcome)
    }};
}
