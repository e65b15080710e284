//! The same random scripts through the C ABI (as a C host calls it, with
//! JSON in and out) and through Rust give the same JSON, or the same status
//! and message: membership decide/apply with billing after each step,
//! dunning decide/apply, booking decide/apply. The first byte picks which.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use memberkit::billing::{BillingAccount, BillingConfig, bill};
use memberkit::json::to_json;
use memberkit_ffi::*;
use memberkit_fuzz::c::{call, cstring, date, same};
use memberkit_fuzz::{booking, dunning, membership};
use std::ffi::{CString, c_char};

fn c(text: &str) -> CString {
    cstring(text).expect("generated JSON has no NUL")
}

/// Makes a handle with `new` from `json`, or fails the target.
fn handle<T>(
    json: &str,
    new: unsafe extern "C" fn(*const c_char, *mut *mut T) -> MkStatus,
) -> *mut T {
    let mut out = std::ptr::null_mut();
    let json = c(json);
    assert_eq!(
        unsafe { new(json.as_ptr(), &mut out) },
        MkStatus::Ok,
        "{}",
        memberkit_fuzz::c::last_error()
    );
    out
}

fn membership_and_billing(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let configs = &memberkit_fuzz::billing_vectors().1;
    let config_json = u.choose(configs)?;
    let Some((catalog, plans)) = membership::catalog(u)? else {
        return Ok(());
    };
    let steps = membership::steps(u, 16)?;
    let config = BillingConfig::from_json(config_json).expect("the vector configs parse");
    let c_catalog = handle(&membership::catalog_json(&plans), mk_catalog_new);
    let c_config = handle(config_json, mk_billing_config_new);
    let (mut state, mut state_json) = (memberkit::membership::Membership::default(), String::new());
    let (mut events, mut account) = (Vec::new(), BillingAccount::new("m-1"));
    let mut at = membership::base();
    for step in &steps {
        at = step.at(at);
        let command = step.command.command();
        let (c_state, c_command) = (c(&state_json), c(&to_json(&command)));
        let decided = call(|out| unsafe {
            mk_membership_decide(
                c_catalog,
                c_state.as_ptr(),
                c_command.as_ptr(),
                date(at),
                out,
            )
        });
        let rust = memberkit::membership::decide(&state, &catalog, &command, at);
        let Some(new) = same("membership decide", &decided, rust, |e| {
            memberkit::membership::events_to_json(e)
        }) else {
            continue;
        };
        let c_events = c(decided.as_ref().expect("accepted"));
        let applied =
            call(|out| unsafe { mk_membership_apply(c_state.as_ptr(), c_events.as_ptr(), out) });
        state = new.iter().fold(state, |m, e| m.apply(e));
        events.extend(new);
        state_json = applied.expect("C applies what it decided");
        assert_eq!(
            state_json,
            state.to_json(),
            "membership apply: C and Rust differ"
        );
        let (c_account, c_history) = (
            c(&to_json(&account)),
            c(&memberkit::membership::events_to_json(&events)),
        );
        let billed = call(|out| unsafe {
            mk_bill(
                c_catalog,
                c_config,
                c_account.as_ptr(),
                c"m-1".as_ptr(),
                c_history.as_ptr(),
                date(at),
                out,
            )
        });
        if let Some(run) = same(
            "bill",
            &billed,
            bill(&account, &events, &catalog, &config, at),
            to_json,
        ) {
            account = run.account;
        }
    }
    unsafe {
        mk_catalog_free(c_catalog);
        mk_billing_config_free(c_config);
    }
    Ok(())
}

fn dunning(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    use memberkit::dunning::{Receivables, decide, events_to_json};
    let (policy, policy_json) = dunning::policy(u)?;
    let c_policy = handle(policy_json, mk_dunning_policy_new);
    let (mut state, mut state_json, mut at) =
        (Receivables::default(), String::new(), membership::base());
    for _ in 0..32 {
        let Ok(step) = u.arbitrary::<dunning::Step>() else {
            break;
        };
        at = step.at(at);
        let command = step.command.command();
        let (c_state, c_command) = (c(&state_json), c(&to_json(&command)));
        let decided = call(|out| unsafe {
            mk_dunning_decide(
                c_policy,
                c_state.as_ptr(),
                c_command.as_ptr(),
                date(at),
                out,
            )
        });
        let rust = decide(&state, &policy, &command, at);
        let Some(new) = same("dunning decide", &decided, rust, |e| events_to_json(e)) else {
            continue;
        };
        let c_events = c(decided.as_ref().expect("accepted"));
        let applied =
            call(|out| unsafe { mk_dunning_apply(c_state.as_ptr(), c_events.as_ptr(), out) });
        state = new.iter().fold(state, |s, e| s.apply(e));
        state_json = applied.expect("C applies what it decided");
        assert_eq!(
            state_json,
            state.to_json(),
            "dunning apply: C and Rust differ"
        );
    }
    unsafe { mk_dunning_policy_free(c_policy) };
    Ok(())
}

fn booking(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    use memberkit::booking::{Book, decide, events_to_json};
    let rules = booking::rules(u)?;
    let setup = booking::setup(u, &rules)?;
    let c_rules = handle(&rules.to_json(), mk_booking_rules_new);
    let (mut book, mut book_json) = (Book::default(), String::new());
    let mut script: Vec<_> = setup.into_iter().map(|c| (booking::base(), c)).collect();
    let mut at = booking::base();
    for _ in 0..32 {
        let Ok(step) = u.arbitrary::<booking::Step>() else {
            break;
        };
        at = step.at(at);
        script.push((at, step.command.command()));
    }
    for (at, command) in script {
        let (c_book, c_command, c_at) = (c(&book_json), c(&to_json(&command)), c(&at.to_rfc3339()));
        let decided = call(|out| unsafe {
            mk_booking_decide(
                c_rules,
                c_book.as_ptr(),
                c_command.as_ptr(),
                c_at.as_ptr(),
                out,
            )
        });
        let rust = decide(&book, &rules, &command, at);
        let Some(new) = same("booking decide", &decided, rust, |e| events_to_json(e)) else {
            continue;
        };
        let c_events = c(decided.as_ref().expect("accepted"));
        let applied =
            call(|out| unsafe { mk_booking_apply(c_book.as_ptr(), c_events.as_ptr(), out) });
        new.iter().for_each(|e| book.apply_mut(e));
        book_json = applied.expect("C applies what it decided");
        assert_eq!(
            book_json,
            book.to_json(),
            "booking apply: C and Rust differ"
        );
    }
    unsafe { mk_booking_rules_free(c_rules) };
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let _ = match u.int_in_range(0..=2_u8) {
        Ok(0) => membership_and_billing(&mut u),
        Ok(1) => dunning(&mut u),
        Ok(_) => booking(&mut u),
        Err(e) => Err(e),
    };
});
