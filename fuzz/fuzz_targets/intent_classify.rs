//! Text to classify, in Rust and at the C boundary (any bytes): the default
//! model gives an intent it knows (or `oos`) with a confidence in 0..=1 and
//! alternatives most likely first; C gives the same as Rust, or
//! MK_STATUS_INVALID_UTF8; normalizing is idempotent; the router routes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use memberkit::intent::slots::SlotExtractor;
use memberkit::intent::{
    Conversation, Model, OUT_OF_SCOPE, Router, RouterConfig, default_model, normalize,
};
use memberkit_ffi::{MkIntentModel, MkStatus, mk_intent_classify, mk_intent_model_default};
use std::ffi::{CStr, CString, c_char};
use std::sync::OnceLock;

struct Shared {
    router: Router,
    c_model: usize,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let model = default_model().expect("the default model loads");
        let router = Router::new(model, SlotExtractor::default(), RouterConfig::default())
            .expect("a router");
        let mut c_model: *mut MkIntentModel = std::ptr::null_mut();
        assert_eq!(
            unsafe { mk_intent_model_default(&mut c_model) },
            MkStatus::Ok
        );
        Shared {
            router,
            c_model: c_model as usize,
        }
    })
}

fn model() -> &'static Model {
    shared().router.model()
}

fuzz_target!(|data: &[u8]| {
    let bytes = data.split(|b| *b == 0).next().unwrap_or_default();
    let c_text = CString::new(bytes).expect("no NUL");
    let (mut intent, mut confidence): (*const c_char, f32) = (std::ptr::null(), -1.0);
    let c_model = shared().c_model as *const MkIntentModel;
    let status =
        unsafe { mk_intent_classify(c_model, c_text.as_ptr(), &mut intent, &mut confidence) };
    let Ok(text) = std::str::from_utf8(bytes) else {
        assert_eq!(status, MkStatus::InvalidUtf8);
        return;
    };
    assert_eq!(status, MkStatus::Ok);
    let result = model()
        .classify(text)
        .expect("a text under MAX_TEXT_BYTES (max_len 4096)");
    let c_intent = unsafe { CStr::from_ptr(intent) }.to_str().expect("UTF-8");
    assert_eq!(
        (c_intent, confidence.to_bits()),
        (result.intent, result.confidence.to_bits())
    );
    assert!(
        (0.0..=1.0).contains(&result.confidence),
        "confidence {}",
        result.confidence
    );
    assert!(result.intent == OUT_OF_SCOPE || model().intents().iter().any(|i| i == result.intent));
    for pair in result.alternatives.windows(2) {
        assert!(
            pair[0].confidence >= pair[1].confidence,
            "alternatives out of order"
        );
    }
    let once = normalize(text);
    assert_eq!(
        normalize(&once),
        once,
        "normalize is not idempotent on {text:?}"
    );
    let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).expect("a valid date");
    let first = shared()
        .router
        .route(&Conversation::default(), text, false, today);
    let _ = shared()
        .router
        .route(&first.conversation, text, true, today);
});
