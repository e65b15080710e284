//! The library's version, as macros and at run time.

use std::ffi::c_char;

/// Major version of the header; equals the library's `mk_version()`.
pub const MK_VERSION_MAJOR: u32 = 0;
/// Minor version of the header.
pub const MK_VERSION_MINOR: u32 = 1;
/// Patch version of the header.
pub const MK_VERSION_PATCH: u32 = 0;

/// The library's version, e.g. "0.1.0"; a static string, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn mk_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_macros_match_the_crate_version() {
        let expected = format!("{MK_VERSION_MAJOR}.{MK_VERSION_MINOR}.{MK_VERSION_PATCH}");
        assert_eq!(expected, env!("CARGO_PKG_VERSION"));
        let runtime = unsafe { std::ffi::CStr::from_ptr(mk_version()) };
        assert_eq!(runtime.to_str().unwrap(), expected);
    }
}
