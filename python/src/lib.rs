//! The `memberkit._memberkit` extension module: converts Python values, calls
//! the `memberkit` crate, converts back. The Python-facing package around it
//! lives in `py_src/memberkit`.

mod alloc;
mod billing;
mod booking;
mod calendar;
mod chat;
mod convert;
mod document;
mod dunning;
mod errors;
mod intent;
mod ledger;
mod membership;
mod money;
mod pyvalue;
mod sequence;

use pyo3::prelude::*;

/// The extension's own allocations (a billing run's documents) use mimalloc.
#[global_allocator]
static ALLOCATOR: alloc::MiMalloc = alloc::MiMalloc;

#[pymodule]
fn _memberkit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    alloc::configure();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    money::register(m)?;
    calendar::register(m)?;
    membership::register(m)?;
    billing::register(m)?;
    dunning::register(m)?;
    booking::register(m)?;
    intent::register(m)?;
    chat::register(m)?;
    Ok(())
}
