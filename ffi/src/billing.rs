//! Billing entry points: a shared billing config, one account or a batch
//! billed through a date (JSON in, JSON out), and scalar proration.

use crate::calendar::{MkDate, to_date};
use crate::error::{Failure, MkStatus};
use crate::handle::{Handle, free, hand_out, handle};
use crate::membership::{MkCatalog, catalog_ref};
use crate::money::{MkMoney, MkRounding, rounding, to_c, to_core};
use crate::strings::{read_str, write_out, write_string};
use memberkit::billing::{BillingAccount, BillingConfig, bill, bill_batch_json, prorate};
use memberkit::membership::{events_from_json, to_json};
use std::ffi::c_char;

/// How a business bills. Immutable once made: a `const MkBillingConfig *`
/// may be used from many threads at once.
pub struct MkBillingConfig(BillingConfig);

impl Handle for MkBillingConfig {
    const KIND: &'static str = "billing config";
}

/// Reads a billing config from JSON ("{}" for the defaults) and writes a new
/// handle to `*out`; free it with mk_billing_config_free. A bad field gives
/// MK_STATUS_INVALID_CONFIG with its path in the message.
///
/// # Safety
/// `config_json` is a NUL-terminated string; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_billing_config_new(
    config_json: *const c_char,
    out: *mut *mut MkBillingConfig,
) -> MkStatus {
    entry!({
        let json = unsafe { read_str(config_json, "config_json") }?;
        if out.is_null() {
            return Err(Failure::new(MkStatus::NullPointer, "out is NULL"));
        }
        let config = BillingConfig::from_json(json)?;
        unsafe { hand_out(out, "out", MkBillingConfig(config)) }
    })
}

/// Frees a billing config. NULL is accepted and ignored.
///
/// # Safety
/// `config` is NULL or a handle from mk_billing_config_new not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_billing_config_free(config: *mut MkBillingConfig) {
    unsafe { free(config) }
}

/// # Safety
/// `config` is NULL or a live handle.
pub(crate) unsafe fn config_ref<'a>(
    config: *const MkBillingConfig,
) -> Result<&'a BillingConfig, Failure> {
    // SAFETY: a live handle by the caller's contract.
    unsafe { handle(config, "config") }.map(|c| &c.0)
}

/// Bills one account through `through` (included). `account_json` is the
/// ledger returned by the previous run, or NULL/"" for a new account named
/// `account_id`; `events_json` is the membership's events. Writes
/// `{"documents": [...], "account": {...}}` to `*out_run` (free with
/// mk_string_free); store the account for the next run.
///
/// # Safety
/// Handles are live; strings are NUL-terminated (`account_json` may be NULL;
/// `account_id` may be NULL when `account_json` is not); `out_run` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_bill(
    catalog: *const MkCatalog,
    config: *const MkBillingConfig,
    account_json: *const c_char,
    account_id: *const c_char,
    events_json: *const c_char,
    through: MkDate,
    out_run: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let catalog = unsafe { catalog_ref(catalog) }?;
        let config = unsafe { config_ref(config) }?;
        let saved = if account_json.is_null() {
            ""
        } else {
            unsafe { read_str(account_json, "account_json") }?
        };
        let account = if saved.trim().is_empty() {
            BillingAccount::new(unsafe { read_str(account_id, "account_id") }?)
        } else {
            BillingAccount::from_json(saved)?
        };
        let events = events_from_json(unsafe { read_str(events_json, "events_json") }?)?;
        let run = bill(&account, &events, catalog, config, to_date(through)?)?;
        unsafe { write_string(out_run, "out_run", to_json(&run)) }
    })
}

/// Bills a batch of accounts through `through`: `histories_json` is an array
/// of `{"account": {...}, "events": [...]}`. Writes an array with, for each
/// history in order, either `{"documents": [...], "account": {...}}` or
/// `{"error": {"kind": "unknown_plan", "message": "..."}}` to `*out_runs`
/// (free with mk_string_free): one account's error does not stop the others.
///
/// # Safety
/// Handles are live; `histories_json` is NUL-terminated; `out_runs` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_bill_batch(
    catalog: *const MkCatalog,
    config: *const MkBillingConfig,
    histories_json: *const c_char,
    through: MkDate,
    out_runs: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let catalog = unsafe { catalog_ref(catalog) }?;
        let config = unsafe { config_ref(config) }?;
        let histories = unsafe { read_str(histories_json, "histories_json") }?;
        let runs = bill_batch_json(histories, catalog, config, to_date(through)?)?;
        unsafe { write_string(out_runs, "out_runs", runs) }
    })
}

/// `price × part / whole`, rounded once with `rounding_mode` (an
/// MK_ROUNDING_* value): the daily proration (日割り) of one fee.
///
/// # Safety
/// `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_prorate(
    price: MkMoney,
    part: u32,
    whole: u32,
    rounding_mode: MkRounding,
    out: *mut MkMoney,
) -> MkStatus {
    entry!({
        let share = prorate(to_core(price)?, part, whole, rounding(rounding_mode)?)?;
        unsafe { write_out(out, "out", to_c(share)?) }
    })
}
