//! What a typed billing run reads: an account's ledger (`MkAccount`, billed
//! in place) and a membership's events (`MkEventLog`, parsed once).

use crate::error::MkStatus;
use crate::handle::{Handle, free, hand_out, handle, handle_mut};
use crate::strings::{read_str, write_string};
use memberkit::billing::{BillingAccount, Charge, Discount};
use memberkit::json::{from_json, to_json};
use memberkit::membership::{Event, events_from_json};
use std::ffi::c_char;

/// An account's billing ledger: what has been billed, the documents issued,
/// the credit carried forward, the host's charges and discounts. A run
/// (mk_bill_run) updates it in place. Not to be shared between threads
/// while a run bills it; reading it (mk_account_to_json) from many threads
/// at once is safe.
pub struct MkAccount(pub(crate) BillingAccount);

impl Handle for MkAccount {
    const KIND: &'static str = "account";
}

/// A membership's events, parsed once. Immutable: one log may be passed for
/// many accounts and read by runs on many threads at once.
pub struct MkEventLog(pub(crate) Vec<Event>);

impl Handle for MkEventLog {
    const KIND: &'static str = "event log";
}

/// Makes a new account named `account_id` that has been billed nothing and
/// writes it to `*out`; free it with mk_account_free.
///
/// # Safety
/// `account_id` is a NUL-terminated string; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_account_new(
    account_id: *const c_char,
    out: *mut *mut MkAccount,
) -> MkStatus {
    entry!({
        let id = unsafe { read_str(account_id, "account_id") }?;
        unsafe { hand_out(out, "out", MkAccount(BillingAccount::new(id))) }
    })
}

/// Reads an account stored with mk_account_to_json (or the `account` of
/// mk_bill's result) and writes it to `*out`; free it with mk_account_free.
///
/// # Safety
/// `account_json` is a NUL-terminated string; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_account_from_json(
    account_json: *const c_char,
    out: *mut *mut MkAccount,
) -> MkStatus {
    entry!({
        let json = unsafe { read_str(account_json, "account_json") }?;
        let account = BillingAccount::from_json(json)?;
        unsafe { hand_out(out, "out", MkAccount(account)) }
    })
}

/// Writes the account as JSON, to store until the next run, to `*out_json`
/// (free with mk_string_free).
///
/// # Safety
/// `account` is a live handle; `out_json` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_account_to_json(
    account: *const MkAccount,
    out_json: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let account = unsafe { handle(account, "account") }?;
        unsafe { write_string(out_json, "out_json", to_json(&account.0)) }
    })
}

/// Adds one-off charges to the account: `charges_json` is an array of
/// `{"id", "on", "description", "amount", "tax"}`, each billed once, on its
/// date. Nothing is added when one is invalid.
///
/// # Safety
/// `account` is a live handle not being billed; `charges_json` is NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_account_add_charges(
    account: *mut MkAccount,
    charges_json: *const c_char,
) -> MkStatus {
    entry!({
        let json = unsafe { read_str(charges_json, "charges_json") }?;
        let account = unsafe { handle_mut(account, "account") }?;
        let charges: Vec<Charge> = from_json(json, "charges")?;
        account.0.charges.extend(charges);
        Ok(())
    })
}

/// Adds discounts on the plan fee to the account: `discounts_json` is an
/// array of `{"id", "description", "from", "periods", "off"}`. Nothing is
/// added when one is invalid.
///
/// # Safety
/// `account` is a live handle not being billed; `discounts_json` is NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_account_add_discounts(
    account: *mut MkAccount,
    discounts_json: *const c_char,
) -> MkStatus {
    entry!({
        let json = unsafe { read_str(discounts_json, "discounts_json") }?;
        let account = unsafe { handle_mut(account, "account") }?;
        let discounts: Vec<Discount> = from_json(json, "discounts")?;
        account.0.discounts.extend(discounts);
        Ok(())
    })
}

/// Frees an account. NULL is accepted and ignored.
///
/// # Safety
/// `account` is NULL or a handle from mk_account_new/mk_account_from_json
/// not yet freed and not being billed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_account_free(account: *mut MkAccount) {
    unsafe { free(account) }
}

/// Reads a membership's events (the JSON array its decisions returned) once
/// and writes the log to `*out`; free it with mk_event_log_free.
///
/// # Safety
/// `events_json` is a NUL-terminated string; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_event_log_new(
    events_json: *const c_char,
    out: *mut *mut MkEventLog,
) -> MkStatus {
    entry!({
        let json = unsafe { read_str(events_json, "events_json") }?;
        let events = events_from_json(json)?;
        unsafe { hand_out(out, "out", MkEventLog(events)) }
    })
}

/// Frees an event log. NULL is accepted and ignored.
///
/// # Safety
/// `log` is NULL or a handle from mk_event_log_new not yet freed, which no
/// run is reading.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_event_log_free(log: *mut MkEventLog) {
    unsafe { free(log) }
}
