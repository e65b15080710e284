//! The member chatbot: intent models (shipped, trained, loaded), scalar
//! classification, slot extraction and masking, and routing with JSON.

use crate::calendar::{MkDate, to_date};
use crate::error::{Failure, MkStatus};
use crate::handle::{Handle, free, hand_out, handle};
use crate::strings::{read_str, write_string};
use memberkit::intent::{
    Conversation, Example, Model, OUT_OF_SCOPE, Router, RouterConfig, Scratch, TrainConfig,
    default_model, slots::SlotExtractor, train,
};
use memberkit::json::{from_json, to_json};
use std::cell::RefCell;
use std::ffi::{CString, c_char};

/// An intent model. Immutable once made: a `const MkIntentModel *` may be
/// used from many threads at once.
pub struct MkIntentModel {
    pub(crate) model: Model,
    /// The intent ids as C strings, in the model's order, then "oos".
    names: Vec<CString>,
}

impl Handle for MkIntentModel {
    const KIND: &'static str = "intent model";
}

impl MkIntentModel {
    fn new(model: Model) -> Result<Self, Failure> {
        let names = model
            .intents()
            .iter()
            .map(String::as_str)
            .chain([OUT_OF_SCOPE])
            .map(|name| {
                CString::new(name)
                    .map_err(|_| Failure::new(MkStatus::InvalidModel, "intent id contains NUL"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { model, names })
    }

    fn name(&self, intent: &str) -> *const c_char {
        self.names
            .iter()
            .find(|n| n.to_bytes() == intent.as_bytes())
            .map_or(c"oos".as_ptr(), |n| n.as_ptr())
    }
}

/// A chatbot router: a model, slot extraction and routing rules. Immutable
/// once made: a `const MkRouter *` may be used from many threads at once.
pub struct MkRouter(Router);

impl Handle for MkRouter {
    const KIND: &'static str = "router";
}

/// The default slot extractor, built once: building one compiles a dozen
/// patterns, which took most of a call's time when done per call.
fn slot_extractor() -> &'static SlotExtractor {
    static SLOTS: std::sync::OnceLock<SlotExtractor> = std::sync::OnceLock::new();
    SLOTS.get_or_init(SlotExtractor::default)
}

thread_local! {
    /// Buffers reused by classifications on this thread.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// # Safety
/// `ptr` is NULL or a live handle.
pub(crate) unsafe fn model_ref<'a>(
    ptr: *const MkIntentModel,
) -> Result<&'a MkIntentModel, Failure> {
    unsafe { handle(ptr, "model") }
}

/// Writes the shipped bilingual (Japanese/English) membership-inquiry model
/// to `*out`; free it with mk_intent_model_free.
///
/// # Safety
/// `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_intent_model_default(out: *mut *mut MkIntentModel) -> MkStatus {
    entry!({
        let model = MkIntentModel::new(default_model()?)?;
        unsafe { hand_out(out, "out", model) }
    })
}

/// Trains a model on `examples_json` (`[{"intent": "...", "text": "..."}]`;
/// intent "oos" marks out-of-scope examples) with `config_json` (NULL or "{}"
/// for the defaults) and writes it to `*out`; free it with mk_intent_model_free.
///
/// # Safety
/// Strings are NUL-terminated (`config_json` may be NULL); `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_intent_train(
    examples_json: *const c_char,
    config_json: *const c_char,
    out: *mut *mut MkIntentModel,
) -> MkStatus {
    entry!({
        let examples: Vec<Example> = from_json(
            unsafe { read_str(examples_json, "examples_json") }?,
            "examples",
        )?;
        let config: TrainConfig = if config_json.is_null() {
            TrainConfig::default()
        } else {
            from_json(
                unsafe { read_str(config_json, "config_json") }?,
                "training config",
            )?
        };
        let model = MkIntentModel::new(train(&examples, &config)?)?;
        unsafe { hand_out(out, "out", model) }
    })
}

/// Reads a model saved with mk_intent_model_to_bytes (`len` bytes at `bytes`)
/// and writes it to `*out`. Corrupt or truncated bytes give MK_STATUS_INVALID_MODEL.
///
/// # Safety
/// `bytes` is readable for `len` bytes; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_intent_model_from_bytes(
    bytes: *const u8,
    len: usize,
    out: *mut *mut MkIntentModel,
) -> MkStatus {
    entry!({
        if bytes.is_null() {
            return Err(Failure::new(MkStatus::NullPointer, "bytes is NULL"));
        }
        // SAFETY: readable for `len` bytes by the caller's contract.
        let data = unsafe { std::slice::from_raw_parts(bytes, len) };
        let model = MkIntentModel::new(Model::from_bytes(data)?)?;
        unsafe { hand_out(out, "out", model) }
    })
}

/// Writes the model's compact binary form to `*out_bytes` and its length to
/// `*out_len`; free the bytes with mk_bytes_free.
///
/// # Safety
/// `model` is a live handle; the outputs are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_intent_model_to_bytes(
    model: *const MkIntentModel,
    out_bytes: *mut *mut u8,
    out_len: *mut usize,
) -> MkStatus {
    entry!({
        let model = unsafe { model_ref(model) }?;
        if out_bytes.is_null() || out_len.is_null() {
            return Err(Failure::new(
                MkStatus::NullPointer,
                "out_bytes or out_len is NULL",
            ));
        }
        let bytes = model.model.to_bytes().into_boxed_slice();
        let len = bytes.len();
        let ptr = Box::into_raw(bytes).cast::<u8>();
        // SAFETY: both checked non-null above.
        unsafe {
            out_bytes.write(ptr);
            out_len.write(len);
        }
        Ok(())
    })
}

/// Frees bytes returned by memberkit with their length. NULL is ignored.
///
/// # Safety
/// `bytes` is NULL or came from a mk_* function with this `len`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_bytes_free(bytes: *mut u8, len: usize) {
    if bytes.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: from Box::<[u8]>::into_raw with this length, by the caller's contract.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(bytes, len)) });
    });
}

/// Frees a model. NULL is accepted and ignored.
///
/// # Safety
/// `model` is NULL or a live handle not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_intent_model_free(model: *mut MkIntentModel) {
    unsafe { free(model) }
}

/// The longest text mk_intent_classify reads, in bytes of UTF-8 (64 KiB).
pub const MK_INTENT_MAX_TEXT_BYTES: usize = 65_536;
const _: () = assert!(MK_INTENT_MAX_TEXT_BYTES == memberkit::intent::MAX_TEXT_BYTES);

/// Classifies `text`: writes the intent id (owned by the model, valid while
/// it lives; "oos" for out of scope) to `*out_intent` and its calibrated
/// confidence (0 to 1) to `*out_confidence`. A text longer than
/// MK_INTENT_MAX_TEXT_BYTES (65,536 bytes) is refused with
/// MK_STATUS_LIMIT_EXCEEDED.
///
/// # Safety
/// `model` is a live handle; `text` is NUL-terminated; the outputs are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_intent_classify(
    model: *const MkIntentModel,
    text: *const c_char,
    out_intent: *mut *const c_char,
    out_confidence: *mut f32,
) -> MkStatus {
    entry!({
        let model = unsafe { model_ref(model) }?;
        let text = unsafe { read_str(text, "text") }?;
        if out_intent.is_null() || out_confidence.is_null() {
            return Err(Failure::new(
                MkStatus::NullPointer,
                "out_intent or out_confidence is NULL",
            ));
        }
        let (name, confidence) = SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let result = model.model.classify_with(&mut scratch, text)?;
            Ok::<_, Failure>((model.name(result.intent), result.confidence))
        })?;
        // SAFETY: both checked non-null above.
        unsafe {
            out_intent.write(name);
            out_confidence.write(confidence);
        }
        Ok(())
    })
}

/// Writes the slots found in `text` — member number, email, phone, postal
/// code, dates (relative ones against `today`), times, amounts — as a JSON
/// array to `*out_json` (free with mk_string_free).
///
/// # Safety
/// `text` is NUL-terminated; `out_json` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_intent_extract_slots(
    text: *const c_char,
    today: MkDate,
    out_json: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let text = unsafe { read_str(text, "text") }?;
        let slots = slot_extractor().extract(text, to_date(today)?);
        unsafe { write_string(out_json, "out_json", to_json(&slots)) }
    })
}

/// Writes `text` with emails, phone numbers and member numbers masked, for
/// logs, to `*out` (free with mk_string_free).
///
/// # Safety
/// `text` is NUL-terminated; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_intent_mask(text: *const c_char, out: *mut *mut c_char) -> MkStatus {
    entry!({
        let text = unsafe { read_str(text, "text") }?;
        unsafe { write_string(out, "out", slot_extractor().mask(text)) }
    })
}

/// Makes a router over a copy of `model` with `config_json` (NULL or "{}" for
/// the defaults) and writes it to `*out`; free it with mk_router_free.
///
/// # Safety
/// `model` is a live handle; `config_json` is NULL or NUL-terminated; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_router_new(
    model: *const MkIntentModel,
    config_json: *const c_char,
    out: *mut *mut MkRouter,
) -> MkStatus {
    entry!({
        let model = unsafe { model_ref(model) }?;
        let config: RouterConfig = if config_json.is_null() {
            RouterConfig::default()
        } else {
            from_json(
                unsafe { read_str(config_json, "config_json") }?,
                "router config",
            )?
        };
        let router = Router::new(model.model.clone(), SlotExtractor::default(), config)?;
        unsafe { hand_out(out, "out", MkRouter(router)) }
    })
}

/// Frees a router. NULL is accepted and ignored.
///
/// # Safety
/// `router` is NULL or a live handle not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_router_free(router: *mut MkRouter) {
    unsafe { free(router) }
}

/// Routes a member's `message`: with the conversation state
/// `conversation_json` (NULL or "" for a new conversation), whether the
/// member's identity is `verified`, and `today` for relative dates, writes the
/// decision — intent, confidence, slots, action, and the next conversation
/// state to keep — as JSON to `*out_decision` (free with mk_string_free).
///
/// # Safety
/// `router` is a live handle; strings are NUL-terminated (`conversation_json` may be NULL); `out_decision` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_router_route(
    router: *const MkRouter,
    conversation_json: *const c_char,
    message: *const c_char,
    verified: bool,
    today: MkDate,
    out_decision: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let router = unsafe { handle(router, "router") }?;
        let saved = if conversation_json.is_null() {
            ""
        } else {
            unsafe { read_str(conversation_json, "conversation_json") }?
        };
        let conversation: Conversation = if saved.trim().is_empty() {
            Conversation::default()
        } else {
            from_json(saved, "conversation")?
        };
        let message = unsafe { read_str(message, "message") }?;
        let decision = router
            .0
            .route(&conversation, message, verified, to_date(today)?);
        unsafe { write_string(out_decision, "out_decision", to_json(&decision)) }
    })
}
