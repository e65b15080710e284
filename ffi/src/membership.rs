//! Membership entry points: a shared plan catalog and the lifecycle decider,
//! with commands, events and states as JSON.

use crate::calendar::{MkDate, to_date};
use crate::error::{Failure, MkStatus};
use crate::handle::{Handle, free, hand_out, handle};
use crate::strings::{read_str, write_string};
use memberkit::membership::{
    Catalog, Command, Membership, decide, events_from_json, events_to_json, to_json,
};
use std::ffi::c_char;

/// A catalog of plans. Immutable once made: a `const MkCatalog *` may be used
/// from many threads at once.
pub struct MkCatalog(Catalog);

impl Handle for MkCatalog {
    const KIND: &'static str = "catalog";
}

/// Reads a catalog from a JSON array of plans and writes a new handle to
/// `*out`; free it with mk_catalog_free. A bad plan gives
/// MK_STATUS_INVALID_PLAN with the path of the bad field in the message.
///
/// # Safety
/// `plans_json` is a NUL-terminated string; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_catalog_new(
    plans_json: *const c_char,
    out: *mut *mut MkCatalog,
) -> MkStatus {
    entry!({
        let json = unsafe { read_str(plans_json, "plans_json") }?;
        if out.is_null() {
            return Err(Failure::new(MkStatus::NullPointer, "out is NULL"));
        }
        let catalog = Catalog::from_json(json)?;
        unsafe { hand_out(out, "out", MkCatalog(catalog)) }
    })
}

/// Frees a catalog. NULL is accepted and ignored.
///
/// # Safety
/// `catalog` is NULL or a handle from mk_catalog_new not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_catalog_free(catalog: *mut MkCatalog) {
    unsafe { free(catalog) }
}

/// Reads a catalog reference, refusing NULL.
///
/// # Safety
/// `catalog` is NULL or a live handle from mk_catalog_new.
pub(crate) unsafe fn catalog_ref<'a>(catalog: *const MkCatalog) -> Result<&'a Catalog, Failure> {
    // SAFETY: a live handle by the caller's contract.
    unsafe { handle(catalog, "catalog") }.map(|c| &c.0)
}

/// A membership state from JSON; NULL or "" is a member who never joined.
///
/// # Safety
/// `state_json` is NULL or a NUL-terminated string.
unsafe fn read_state(state_json: *const c_char) -> Result<Membership, Failure> {
    if state_json.is_null() {
        return Ok(Membership::default());
    }
    let json = unsafe { read_str(state_json, "state_json") }?;
    if json.trim().is_empty() {
        return Ok(Membership::default());
    }
    Ok(Membership::from_json(json)?)
}

/// Decides `command_json` (e.g. {"type":"cancel","when":"by_notice_rule"})
/// made on `at` against the membership `state_json` (NULL or "" for a new
/// member), writing the resulting events as a JSON array to `*out_events`
/// (free with mk_string_free). A refused command gives its status
/// (MK_STATUS_INVALID_TRANSITION, MK_STATUS_COMMAND_REFUSED, ...) and changes nothing.
///
/// # Safety
/// `catalog` is a live handle; strings are NUL-terminated (`state_json` may be
/// NULL); `out_events` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_membership_decide(
    catalog: *const MkCatalog,
    state_json: *const c_char,
    command_json: *const c_char,
    at: MkDate,
    out_events: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let catalog = unsafe { catalog_ref(catalog) }?;
        let state = unsafe { read_state(state_json) }?;
        let command = Command::from_json(unsafe { read_str(command_json, "command_json") }?)?;
        let events = decide(&state, catalog, &command, to_date(at)?)?;
        unsafe { write_string(out_events, "out_events", events_to_json(&events)) }
    })
}

/// Applies the JSON array of events `events_json` to the membership
/// `state_json` (NULL or "" for a new member) and writes the new state as
/// JSON to `*out_state` (free with mk_string_free).
///
/// # Safety
/// Strings are NUL-terminated (`state_json` may be NULL); `out_state` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_membership_apply(
    state_json: *const c_char,
    events_json: *const c_char,
    out_state: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let state = unsafe { read_state(state_json) }?;
        let events = events_from_json(unsafe { read_str(events_json, "events_json") }?)?;
        let next = events.iter().fold(state, |m, e| m.apply(e));
        unsafe { write_string(out_state, "out_state", next.to_json()) }
    })
}

/// Writes what a member or operator sees on `on` — status, version, plan,
/// next renewal, scheduled changes — as JSON to `*out_view` (free with
/// mk_string_free).
///
/// # Safety
/// `catalog` is a live handle; `state_json` is NULL or NUL-terminated; `out_view` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_membership_view(
    catalog: *const MkCatalog,
    state_json: *const c_char,
    on: MkDate,
    out_view: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let catalog = unsafe { catalog_ref(catalog) }?;
        let state = unsafe { read_state(state_json) }?;
        let view = state.view(catalog, to_date(on)?)?;
        unsafe { write_string(out_view, "out_view", to_json(&view)) }
    })
}
