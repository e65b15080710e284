//! The C ABI of memberkit. Every function here converts its arguments, calls
//! the `memberkit` crate and converts the result back; no domain rule lives here.
//!
//! Conventions (also at the top of `include/memberkit.h`): fallible functions
//! return [`MkStatus`]; [`mk_last_error_message`] explains the last failure on
//! the calling thread; outputs are written only on success; a panic never
//! crosses the boundary but becomes [`MkStatus::Panic`]; a handle of another
//! kind is refused (see `handle`).

#[macro_use]
mod guard;
mod billing;
mod billing_run;
mod booking;
mod calendar;
mod chat;
mod dunning;
mod error;
mod handle;
mod intent;
mod ledger;
mod membership;
mod money;
mod strings;
mod version;

pub use billing::*;
pub use billing_run::*;
pub use booking::*;
pub use calendar::*;
pub use chat::*;
pub use dunning::*;
pub use error::*;
pub use intent::*;
pub use ledger::*;
pub use membership::*;
pub use money::*;
pub use strings::*;
pub use version::*;
