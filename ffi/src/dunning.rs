//! Dunning (督促) entry points: a shared policy and the receivables decider,
//! with commands, events, states and queries as JSON.

use crate::calendar::{MkDate, to_date};
use crate::error::{Failure, MkStatus};
use crate::handle::{Handle, free, hand_out, handle};
use crate::strings::{read_str, write_string};
use memberkit::dunning::{
    AccountView, Command, Language, Planned, Policy, Receivables, Totals, decide, events_from_json,
    events_to_json, membership_commands,
};
use memberkit::json::to_json;
use memberkit::money::Money;
use serde::Serialize;
use std::ffi::c_char;

/// A dunning policy: grace period, retries, the steps of a case and the
/// account ladder. Immutable once made: a `const MkDunningPolicy *` may be
/// used from many threads at once.
pub struct MkDunningPolicy(Policy);

impl Handle for MkDunningPolicy {
    const KIND: &'static str = "dunning policy";
}

/// Reads a dunning policy from JSON and writes a new handle to `*out`; free
/// it with mk_dunning_policy_free. A bad policy gives
/// MK_STATUS_INVALID_CONFIG with the path of the bad field in the message
/// (e.g. `steps[0].day`).
///
/// # Safety
/// `policy_json` is a NUL-terminated string; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_dunning_policy_new(
    policy_json: *const c_char,
    out: *mut *mut MkDunningPolicy,
) -> MkStatus {
    entry!({
        let json = unsafe { read_str(policy_json, "policy_json") }?;
        if out.is_null() {
            return Err(Failure::new(MkStatus::NullPointer, "out is NULL"));
        }
        let policy = Policy::from_json(json)?;
        unsafe { hand_out(out, "out", MkDunningPolicy(policy)) }
    })
}

/// Frees a dunning policy. NULL is accepted and ignored.
///
/// # Safety
/// `policy` is NULL or a handle from mk_dunning_policy_new not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_dunning_policy_free(policy: *mut MkDunningPolicy) {
    unsafe { free(policy) }
}

/// Reads a policy reference, refusing NULL.
///
/// # Safety
/// `policy` is NULL or a live handle from mk_dunning_policy_new.
unsafe fn policy_ref<'a>(policy: *const MkDunningPolicy) -> Result<&'a Policy, Failure> {
    // SAFETY: a live handle by the caller's contract.
    unsafe { handle(policy, "policy") }.map(|p| &p.0)
}

/// An account's receivables from JSON; NULL or "" is an account with no
/// invoice yet.
///
/// # Safety
/// `state_json` is NULL or a NUL-terminated string.
unsafe fn read_state(state_json: *const c_char) -> Result<Receivables, Failure> {
    if state_json.is_null() {
        return Ok(Receivables::default());
    }
    let json = unsafe { read_str(state_json, "state_json") }?;
    if json.trim().is_empty() {
        return Ok(Receivables::default());
    }
    Ok(Receivables::from_json(json)?)
}

/// "ja" or "en"; anything else is MK_STATUS_INVALID_ARGUMENT.
///
/// # Safety
/// `language` is NULL or a NUL-terminated string.
unsafe fn read_language(language: *const c_char) -> Result<Language, Failure> {
    Ok(unsafe { read_str(language, "language") }?.parse()?)
}

/// Decides `command_json` (e.g. {"type":"payment_failed","invoice":"m-1",
/// "amount":{"amount":"8800","currency":"JPY"},"decline":"soft"} or
/// {"type":"advance"}) made on `at` against the receivables `state_json`
/// (NULL or "" for an account with no invoice yet) under `policy`, writing
/// the resulting events as a JSON array to `*out_events` (free with
/// mk_string_free). A refused command gives its status
/// (MK_STATUS_UNKNOWN_INVOICE, MK_STATUS_COMMAND_REFUSED,
/// MK_STATUS_CURRENCY_MISMATCH, ...) and changes nothing.
///
/// # Safety
/// `policy` is a live handle; strings are NUL-terminated (`state_json` may be
/// NULL); `out_events` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_dunning_decide(
    policy: *const MkDunningPolicy,
    state_json: *const c_char,
    command_json: *const c_char,
    at: MkDate,
    out_events: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let policy = unsafe { policy_ref(policy) }?;
        let state = unsafe { read_state(state_json) }?;
        let command = Command::from_json(unsafe { read_str(command_json, "command_json") }?)?;
        let events = decide(&state, policy, &command, to_date(at)?)?;
        unsafe { write_string(out_events, "out_events", events_to_json(&events)) }
    })
}

/// Applies the JSON array of dunning events `events_json` to the receivables
/// `state_json` (NULL or "" for an account with no invoice yet) and writes
/// the new state as JSON to `*out_state` (free with mk_string_free).
///
/// # Safety
/// Strings are NUL-terminated (`state_json` may be NULL); `out_state` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_dunning_apply(
    state_json: *const c_char,
    events_json: *const c_char,
    out_state: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let state = unsafe { read_state(state_json) }?;
        let events = events_from_json(unsafe { read_str(events_json, "events_json") }?)?;
        let next = events.iter().fold(state, |r, e| r.apply(e));
        unsafe { write_string(out_state, "out_state", next.to_json()) }
    })
}

/// Writes the membership commands that the JSON array of dunning events
/// `events_json` calls for, in order, as a JSON array to `*out_commands`
/// (e.g. [{"type":"suspend"},{"type":"reinstate"}]; free with
/// mk_string_free): decide each with mk_membership_decide.
///
/// # Safety
/// `events_json` is NUL-terminated; `out_commands` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_dunning_membership_commands(
    events_json: *const c_char,
    out_commands: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let events = events_from_json(unsafe { read_str(events_json, "events_json") }?)?;
        let commands = membership_commands(&events);
        unsafe { write_string(out_commands, "out_commands", to_json(&commands)) }
    })
}

/// The account view with the balances that mk_dunning_view writes.
#[derive(Serialize)]
struct View {
    #[serde(flatten)]
    view: AccountView,
    unpaid_balance: Option<Money>,
    total_collected: Option<Money>,
    totals: Option<Totals>,
}

/// Writes the account as dunning sees it — standing, restrictions, ladder
/// state, payment_method_update_requested, overdue_invoices — with its
/// unpaid_balance, total_collected and totals (invoiced, collected, applied,
/// written_off, open, credit) as JSON to `*out_view` (free with
/// mk_string_free). The amounts are null before the first invoice.
///
/// # Safety
/// `state_json` is NULL or NUL-terminated; `out_view` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_dunning_view(
    state_json: *const c_char,
    out_view: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let state = unsafe { read_state(state_json) }?;
        let view = View {
            view: state.view(),
            unpaid_balance: state.unpaid_balance(),
            total_collected: state.total_collected(),
            totals: state.totals(),
        };
        unsafe { write_string(out_view, "out_view", to_json(&view)) }
    })
}

/// Writes the invoices with something still owed, oldest due first, with
/// their age in days on `at`, as a JSON array to `*out_invoices` (free with
/// mk_string_free).
///
/// # Safety
/// `state_json` is NULL or NUL-terminated; `out_invoices` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_dunning_open_invoices(
    state_json: *const c_char,
    at: MkDate,
    out_invoices: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let state = unsafe { read_state(state_json) }?;
        let open = state.open_invoices(to_date(at)?);
        unsafe { write_string(out_invoices, "out_invoices", to_json(&open)) }
    })
}

/// A planned step with what the member is told about it.
#[derive(Serialize)]
struct Told<'a> {
    #[serde(flatten)]
    planned: &'a Planned,
    message: String,
}

/// Writes the steps still to come for the unpaid invoices under `policy`, in
/// date order, as a JSON array to `*out_timeline` (free with
/// mk_string_free): each has on, invoice, step, action (with its fields),
/// amount, and `message`, the sentence told to the member in `language`
/// ("ja" or "en"; anything else is MK_STATUS_INVALID_ARGUMENT) — the same
/// words as the Rust and Python APIs.
///
/// # Safety
/// `policy` is a live handle; `state_json` is NULL or NUL-terminated;
/// `language` is NUL-terminated; `out_timeline` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_dunning_timeline(
    policy: *const MkDunningPolicy,
    state_json: *const c_char,
    language: *const c_char,
    out_timeline: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let policy = unsafe { policy_ref(policy) }?;
        let language = unsafe { read_language(language) }?;
        let state = unsafe { read_state(state_json) }?;
        let timeline = state.timeline(policy)?;
        let told: Vec<Told<'_>> = timeline
            .iter()
            .map(|planned| Told {
                planned,
                message: planned.message(language),
            })
            .collect();
        unsafe { write_string(out_timeline, "out_timeline", to_json(&told)) }
    })
}
