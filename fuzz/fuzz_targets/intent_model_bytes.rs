//! Model bytes: `Model::from_bytes` and `mk_intent_model_from_bytes` refuse
//! corrupt bytes with an error, never a panic. The input is a model without
//! its trailing checksum, which the target appends (so the fuzzer gets past
//! it to the fields), and is also tried as it is.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memberkit::intent::Model;
use memberkit_ffi::{MkIntentModel, MkStatus, mk_intent_model_free, mk_intent_model_from_bytes};

fuzz_target!(|data: &[u8]| {
    let _ = Model::from_bytes(data);
    let mut sealed = data.to_vec();
    sealed.extend_from_slice(&memberkit_fuzz::model_checksum(data).to_le_bytes());
    let rust = Model::from_bytes(&sealed);
    let mut handle: *mut MkIntentModel = std::ptr::null_mut();
    let status = unsafe { mk_intent_model_from_bytes(sealed.as_ptr(), sealed.len(), &mut handle) };
    assert_eq!(
        status == MkStatus::Ok,
        rust.is_ok(),
        "C and Rust disagree on a model"
    );
    unsafe { mk_intent_model_free(handle) };
    let Ok(model) = rust else { return };
    let result = model
        .classify("I want to cancel 退会したい")
        .expect("a short text");
    // A huge finite weight once made the scores overflow (fuzz/FINDINGS.md F-5).
    assert!(
        (0.0..=1.0).contains(&result.confidence),
        "a loaded model gives confidence {}",
        result.confidence
    );
    let again =
        Model::from_bytes(&model.to_bytes()).expect("a loaded model reads back from its bytes");
    assert_eq!(again.intents(), model.intents());
});
