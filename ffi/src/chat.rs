//! The member chatbot's procedures: an assistant that reads a member's
//! message, then — with the host's record of the member the message is
//! about — takes the conversation's next step (verify identity, ask for a
//! detail, a dry run of the decider, a confirmation, a confirmed command for
//! the host to execute, an answer from the member's data, a handover).
//!
//! A turn is three calls: mk_assistant_read, mk_chat_reading_member_number
//! (the host looks that member up in its own database), mk_assistant_reply
//! with the record found (or NULL). The reply's `state` is stored by the
//! host and passed to the next mk_assistant_read.

use crate::booking::{MkBookingBook, book_ref, to_instant};
use crate::calendar::{MkDate, to_date};
use crate::error::{Failure, MkStatus};
use crate::handle::{Handle, free, hand_out, handle, take};
use crate::intent::{MkIntentModel, model_ref};
use crate::strings::{read_str, write_out, write_string};
use memberkit::chat::{Assistant, Bookings, ChatConfig, ChatState, Club, Member, Reading};
use memberkit::intent::default_model;
use std::ffi::c_char;

/// The member chatbot: an intent model, the club's catalog, billing and
/// names, and the chat config. Immutable once made: a
/// `const MkAssistant *` may be used from many threads at once (each
/// conversation's state is JSON the host keeps, never the assistant's).
pub struct MkAssistant(Assistant);

impl Handle for MkAssistant {
    const KIND: &'static str = "assistant";
}

/// A member's message read by mk_assistant_read: classified, its details
/// found, awaiting mk_assistant_reply (which consumes it) or
/// mk_chat_reading_free. A `const MkChatReading *` may be read from many
/// threads at once; it may be passed to another thread, but only one may
/// consume or free it.
pub struct MkChatReading(Reading);

impl Handle for MkChatReading {
    const KIND: &'static str = "chat reading";
}

// Sharing the assistant between threads is part of the contract above.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<Assistant>();
    shared::<Reading>();
};

/// # Safety
/// `ptr` is NULL or a live handle from mk_assistant_new.
unsafe fn assistant_ref<'a>(ptr: *const MkAssistant) -> Result<&'a Assistant, Failure> {
    // SAFETY: a live handle by the caller's contract.
    unsafe { handle(ptr, "assistant") }.map(|a| &a.0)
}

/// Makes an assistant classifying with a copy of `model` (NULL for the
/// shipped bilingual model, as mk_intent_model_default gives it) for the
/// club `club_json` (`{"catalog": [plans], "billing": {config}, "names":
/// [{"list": "class", "id": "yoga", "names": ["ヨガ"]}]}`, only `catalog`
/// required; plan ids and names join the gazetteer) with `config_json`
/// (NULL or "{}" for the defaults: verification, procedures, answers,
/// retention, language, templates, router settings), and writes it to
/// `*out`; free it with mk_assistant_free. The model may be freed at once.
/// JSON that does not parse gives MK_STATUS_INVALID_JSON (for the club) or
/// MK_STATUS_INVALID_CONFIG (for the config), a catalog, billing config or
/// setting its own checks refuse MK_STATUS_INVALID_CONFIG, each with the
/// path of the bad field in the message.
///
/// # Safety
/// `model` is NULL or a live handle; `club_json` is NUL-terminated;
/// `config_json` is NULL or NUL-terminated; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_assistant_new(
    model: *const MkIntentModel,
    club_json: *const c_char,
    config_json: *const c_char,
    out: *mut *mut MkAssistant,
) -> MkStatus {
    entry!({
        let club = Club::from_json(unsafe { read_str(club_json, "club_json") }?)?;
        let config = if config_json.is_null() {
            ChatConfig::default()
        } else {
            ChatConfig::from_json(unsafe { read_str(config_json, "config_json") }?)?
        };
        if out.is_null() {
            return Err(Failure::new(MkStatus::NullPointer, "out is NULL"));
        }
        let model = if model.is_null() {
            default_model()?
        } else {
            unsafe { model_ref(model) }?.model.clone()
        };
        let assistant = Assistant::new(model, club, config)?;
        unsafe { hand_out(out, "out", MkAssistant(assistant)) }
    })
}

/// Frees an assistant. NULL is accepted and ignored. No other thread may
/// still be using it; readings it made stay valid but can only be freed.
///
/// # Safety
/// `assistant` is NULL or a handle from mk_assistant_new not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_assistant_free(assistant: *mut MkAssistant) {
    unsafe { free(assistant) }
}

/// Reads `message`, the member's next message in the conversation
/// `state_json` (the `state` of the previous reply; NULL, "", "{}" or
/// "null" for a new conversation), on `today` (relative dates such as
/// 「来月から」 resolve against it), and writes the reading to `*out`: pass
/// it to mk_assistant_reply, which frees it, or free it with
/// mk_chat_reading_free. A state that does not parse gives
/// MK_STATUS_INVALID_JSON naming the bad field; the reading itself never fails.
///
/// # Safety
/// `assistant` is a live handle; `state_json` is NULL or NUL-terminated;
/// `message` is NUL-terminated; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_assistant_read(
    assistant: *const MkAssistant,
    state_json: *const c_char,
    message: *const c_char,
    today: MkDate,
    out: *mut *mut MkChatReading,
) -> MkStatus {
    entry!({
        let assistant = unsafe { assistant_ref(assistant) }?;
        let state = if state_json.is_null() {
            ChatState::default()
        } else {
            match unsafe { read_str(state_json, "state_json") }? {
                json if json.trim().is_empty() => ChatState::default(),
                json => ChatState::from_json(json)?,
            }
        };
        let message = unsafe { read_str(message, "message") }?;
        let today = to_date(today)?;
        if out.is_null() {
            return Err(Failure::new(MkStatus::NullPointer, "out is NULL"));
        }
        let reading = assistant.read(&state, message, today);
        unsafe { hand_out(out, "out", MkChatReading(reading)) }
    })
}

/// Writes the number of the member the conversation is about — the one
/// given in this message (before verification) or earlier — to `*out`
/// (free with mk_string_free), or writes NULL when no number has been
/// given yet (then pass NULL as the member to mk_assistant_reply). The host
/// looks this member up in its own records; the number is what the member
/// typed, normalized by the slot extractor, and may name no one.
///
/// # Safety
/// `reading` is a live handle; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_chat_reading_member_number(
    reading: *const MkChatReading,
    out: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let reading = unsafe { handle(reading, "reading") }?;
        match reading.0.member_number() {
            Some(number) => unsafe { write_string(out, "out", number.to_owned()) },
            None => unsafe { write_out(out, "out", std::ptr::null_mut()) },
        }
    })
}

/// Consumes `reading` (it is freed on every path, success or error, even
/// when another argument is NULL or bad) and writes the conversation's next
/// step as JSON to `*out_reply_json` (free with mk_string_free).
///
/// `member_json` is the host's record (`{"identity": {"member_number":
/// "...", "email": ..., "phone": ..., "birth_date": ...}, "membership":
/// [events], "billing": account, "receivables": dunning state,
/// "booking_id": id in the book}`) of the member the reading's
/// mk_chat_reading_member_number names, or NULL when there is no number or
/// no such member (the member is never told which). The reply holds `step`
/// and that step's fields (`"confirmed"` carries the `command` — a
/// membership command, or a booking one — and the `version` it was checked
/// on, for the host to execute: memberkit never executes anything), `text`
/// in the member's language, `language`, `intent`, `confidence`, `slots`,
/// and the `state` to store and pass to the next mk_assistant_read. A
/// record that does not parse gives MK_STATUS_INVALID_JSON naming the bad
/// field; the reply itself never fails. Booking requests go to the host
/// (an `answer` step): mk_assistant_reply_in_book carries them out.
///
/// # Safety
/// `assistant` is a live handle; `reading` is NULL or a live reading not
/// yet freed (and not used again after this call); `member_json` is NULL or
/// NUL-terminated; `out_reply_json` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_assistant_reply(
    assistant: *const MkAssistant,
    reading: *mut MkChatReading,
    member_json: *const c_char,
    out_reply_json: *mut *mut c_char,
) -> MkStatus {
    entry!({ unsafe { reply(assistant, reading, member_json, None, out_reply_json) } })
}

/// Consumes `reading` like mk_assistant_reply, and replies with the booking
/// book `book` as it stands at `now_unix_seconds` (shown at the UTC offset
/// `utc_offset_seconds`, 32400 for +09:00): the member may book a class
/// (or join a full one's waitlist) and cancel a booking, each a `booking`
/// command confirmed for the host to execute on `book`, and ask about their
/// bookings and waitlist places. The book is read under its lock and left
/// unchanged.
///
/// # Safety
/// As mk_assistant_reply; `book` is a live handle from mk_booking_book_new.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_assistant_reply_in_book(
    assistant: *const MkAssistant,
    reading: *mut MkChatReading,
    member_json: *const c_char,
    book: *const MkBookingBook,
    now_unix_seconds: i64,
    utc_offset_seconds: i32,
    out_reply_json: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let at = (book, now_unix_seconds, utc_offset_seconds);
        unsafe { reply(assistant, reading, member_json, Some(at), out_reply_json) }
    })
}

/// The reply of both entry points: `book` is the book handle with the
/// instant's seconds and offset.
///
/// # Safety
/// As mk_assistant_reply_in_book.
unsafe fn reply(
    assistant: *const MkAssistant,
    reading: *mut MkChatReading,
    member_json: *const c_char,
    book: Option<(*const MkBookingBook, i64, i32)>,
    out_reply_json: *mut *mut c_char,
) -> Result<(), Failure> {
    // Taken first, so that every way out below frees it.
    let reading = unsafe { take(reading, "reading") };
    let assistant = unsafe { assistant_ref(assistant) }?;
    let reading = reading?;
    let member = if member_json.is_null() {
        None
    } else {
        Some(Member::from_json(unsafe {
            read_str(member_json, "member_json")
        }?)?)
    };
    if out_reply_json.is_null() {
        return Err(Failure::new(
            MkStatus::NullPointer,
            "out_reply_json is NULL",
        ));
    }
    let reply = match book {
        None => assistant.reply(reading.0, member.as_ref()),
        Some((book, seconds, offset)) => {
            let shared = unsafe { book_ref(book) }?;
            let now = to_instant(seconds, offset)?;
            shared.read(|book| {
                let bookings = Bookings {
                    book,
                    rules: shared.rules(),
                    now,
                };
                assistant.reply_with(reading.0, member.as_ref(), Some(bookings))
            })
        }
    };
    unsafe { write_string(out_reply_json, "out_reply_json", reply.to_json()) }
}

/// Frees a reading without replying to it. NULL is accepted and ignored.
///
/// # Safety
/// `reading` is NULL or a handle from mk_assistant_read not yet freed nor
/// passed to mk_assistant_reply.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_chat_reading_free(reading: *mut MkChatReading) {
    unsafe { free(reading) }
}
