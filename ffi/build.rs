//! Gives the shared library an ELF soname carrying its version, so that an
//! installed `libmemberkit.so.X.Y.Z` (see `scripts/install.sh`) is found at
//! run time by the name programs were linked against. Only the cdylib gets
//! it; the static library and the rlib are unchanged.
//!
//! The soname is `libmemberkit.so.MAJOR` from 1.0 on and
//! `libmemberkit.so.0.MINOR` before: under Cargo's semver rules 0.1 and 0.2
//! may differ in their ABI, so they must not share a soname.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = |part: &str| {
        env::var(format!("CARGO_PKG_VERSION_{part}")).expect("cargo sets the package version")
    };
    let (major, minor) = (version("MAJOR"), version("MINOR"));
    let soversion = if major == "0" {
        format!("0.{minor}")
    } else {
        major
    };
    let family = env::var("CARGO_CFG_TARGET_FAMILY").unwrap_or_default();
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    // ELF platforms take -soname; Apple's linker names libraries otherwise and
    // Windows has no sonames.
    let elf = family.split(',').any(|f| f == "unix") && !matches!(os.as_str(), "macos" | "ios");
    if elf {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libmemberkit.so.{soversion}");
    }
}
