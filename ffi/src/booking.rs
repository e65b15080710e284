//! Booking entry points: shared rules, the pure decider over a book given as
//! JSON, and a book kept in process behind a lock (`MkBookingBook`) with
//! scalar hot paths for booking, cancelling, waiting and checking in.
//!
//! A refused command gives its status (MK_STATUS_BOOKING_REFUSED for a rule,
//! MK_STATUS_UNKNOWN_SESSION, MK_STATUS_UNKNOWN_MEMBER, ...);
//! `mk_last_error_message` says why in words and `mk_last_error_code` gives
//! the stable reason (`"full"`, `"waitlist_full"`, ...).

use crate::error::{Failure, MkStatus};
use crate::handle::{Handle, free, hand_out, handle};
use crate::strings::{read_str, write_out, write_string};
use chrono::{DateTime, FixedOffset};
use memberkit::booking::{
    Book, BookingError, CancelledBy, Command, Event, Instant, Rules, SharedBook, decide,
    events_from_json, events_to_json,
};
use memberkit::json::to_json;
use std::ffi::c_char;

/// Booking rules: session policies (windows, waitlist promotion, penalties),
/// per-member limits and strikes. Immutable once made: a
/// `const MkBookingRules *` may be used from many threads at once.
pub struct MkBookingRules(Rules);

impl Handle for MkBookingRules {
    const KIND: &'static str = "booking rules";
}

/// A book of sessions and members kept in process, with its rules (a copy of
/// the MkBookingRules it was made with). Internally locked: a
/// `const MkBookingBook *` may be used from many threads at once, and each
/// command is decided and applied atomically, so two threads can never both
/// take the last seat. Only mk_booking_book_free needs the caller to make
/// sure no other thread still uses the book.
pub struct MkBookingBook(SharedBook);

impl Handle for MkBookingBook {
    const KIND: &'static str = "booking book";
}

/// Reads booking rules from JSON (`{}` for the defaults) and writes a new
/// handle to `*out`; free it with mk_booking_rules_free. Bad rules give
/// MK_STATUS_INVALID_CONFIG with the path of the bad field in the message
/// (e.g. `policies.default.max_party`).
///
/// # Safety
/// `rules_json` is a NUL-terminated string; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_rules_new(
    rules_json: *const c_char,
    out: *mut *mut MkBookingRules,
) -> MkStatus {
    entry!({
        let json = unsafe { read_str(rules_json, "rules_json") }?;
        if out.is_null() {
            return Err(Failure::new(MkStatus::NullPointer, "out is NULL"));
        }
        let rules = Rules::from_json(json)?;
        unsafe { hand_out(out, "out", MkBookingRules(rules)) }
    })
}

/// Frees booking rules. NULL is accepted and ignored. Books made from them
/// keep their own copy and stay usable.
///
/// # Safety
/// `rules` is NULL or a handle from mk_booking_rules_new not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_rules_free(rules: *mut MkBookingRules) {
    unsafe { free(rules) }
}

/// Reads a rules reference, refusing NULL.
///
/// # Safety
/// `rules` is NULL or a live handle from mk_booking_rules_new.
unsafe fn rules_ref<'a>(rules: *const MkBookingRules) -> Result<&'a Rules, Failure> {
    // SAFETY: a live handle by the caller's contract.
    unsafe { handle(rules, "rules") }.map(|r| &r.0)
}

/// Reads a book handle, refusing NULL.
///
/// # Safety
/// `book` is NULL or a live handle from mk_booking_book_new.
pub(crate) unsafe fn book_ref<'a>(book: *const MkBookingBook) -> Result<&'a SharedBook, Failure> {
    // SAFETY: a live handle by the caller's contract.
    unsafe { handle(book, "book") }.map(|b| &b.0)
}

/// A book from JSON (as mk_booking_apply or mk_booking_book_snapshot wrote
/// it); NULL, "" or "{}" is the empty book.
///
/// # Safety
/// `book_json` is NULL or a NUL-terminated string.
unsafe fn read_book(book_json: *const c_char) -> Result<Book, Failure> {
    if book_json.is_null() {
        return Ok(Book::default());
    }
    let json = unsafe { read_str(book_json, "book_json") }?;
    if json.trim().is_empty() {
        return Ok(Book::default());
    }
    Ok(Book::from_json(json)?)
}

/// An RFC 3339 instant with its offset, e.g. `2026-06-01T10:00:00+09:00`;
/// anything else is MK_STATUS_INVALID_DATE.
///
/// # Safety
/// `at` is NULL or a NUL-terminated string.
unsafe fn read_instant(at: *const c_char, name: &str) -> Result<Instant, Failure> {
    let text = unsafe { read_str(at, name) }?;
    DateTime::parse_from_rfc3339(text).map_err(|e| {
        Failure::new(
            MkStatus::InvalidDate,
            format!(
                "{name} {text:?} is not an RFC 3339 instant with an offset \
                 (e.g. 2026-06-01T10:00:00+09:00): {e}"
            ),
        )
    })
}

/// The instant `at_unix_seconds` seconds after 1970-01-01T00:00:00Z, shown
/// at the UTC offset `utc_offset_seconds` (32400 for +09:00).
pub(crate) fn to_instant(
    at_unix_seconds: i64,
    utc_offset_seconds: i32,
) -> Result<Instant, Failure> {
    let offset = FixedOffset::east_opt(utc_offset_seconds).ok_or_else(|| {
        Failure::new(
            MkStatus::InvalidArgument,
            format!(
                "utc_offset_seconds must be between -86399 and 86399, got {utc_offset_seconds}"
            ),
        )
    })?;
    let utc = DateTime::from_timestamp(at_unix_seconds, 0).ok_or_else(|| {
        Failure::new(
            MkStatus::DateOutOfRange,
            format!("at_unix_seconds {at_unix_seconds} is outside the supported range"),
        )
    })?;
    Ok(utc.with_timezone(&offset))
}

/// Writes events as a JSON array to `*out` when `out` is not NULL.
///
/// # Safety
/// `out` is NULL or valid for a write of a pointer.
unsafe fn write_events(out: *mut *mut c_char, events: &[Event]) -> Result<(), Failure> {
    if out.is_null() {
        return Ok(());
    }
    unsafe { write_string(out, "events_json_out", events_to_json(events)) }
}

/// Decides `command_json` (e.g. {"type":"book","session":"yoga-0601",
/// "member":"m-1"}) made at the instant `at` (RFC 3339 with its offset,
/// e.g. "2026-06-01T10:00:00+09:00"; anything else is
/// MK_STATUS_INVALID_DATE) against the book `book_json` (NULL, "" or "{}" for an
/// empty book) under `rules`, writing the resulting events as a JSON array to
/// `*events_json_out` (free with mk_string_free); apply them with
/// mk_booking_apply. Pure: nothing is stored. A refused command gives its
/// status (MK_STATUS_BOOKING_REFUSED, MK_STATUS_UNKNOWN_SESSION, ...), with
/// the reason in mk_last_error_code.
///
/// # Safety
/// `rules` is a live handle; strings are NUL-terminated (`book_json` may be
/// NULL); `events_json_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_decide(
    rules: *const MkBookingRules,
    book_json: *const c_char,
    command_json: *const c_char,
    at: *const c_char,
    events_json_out: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let rules = unsafe { rules_ref(rules) }?;
        let book = unsafe { read_book(book_json) }?;
        let command = Command::from_json(unsafe { read_str(command_json, "command_json") }?)?;
        let at = unsafe { read_instant(at, "at") }?;
        if events_json_out.is_null() {
            return Err(Failure::new(
                MkStatus::NullPointer,
                "events_json_out is NULL",
            ));
        }
        let events = decide(&book, rules, &command, at)?;
        unsafe { write_events(events_json_out, &events) }
    })
}

/// Applies the JSON array of booking events `events_json` to the book
/// `book_json` (NULL, "" or "{}" for an empty book) and writes the new book as
/// JSON to `*book_json_out` (free with mk_string_free). Applying never
/// refuses an event; its `version` counts the events applied.
///
/// # Safety
/// Strings are NUL-terminated (`book_json` may be NULL); `book_json_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_apply(
    book_json: *const c_char,
    events_json: *const c_char,
    book_json_out: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let mut book = unsafe { read_book(book_json) }?;
        let events = events_from_json(unsafe { read_str(events_json, "events_json") }?)?;
        events.iter().for_each(|e| book.apply_mut(e));
        unsafe { write_string(book_json_out, "book_json_out", book.to_json()) }
    })
}

/// Makes a book kept in process under a copy of `rules`, starting from
/// `book_json` (a book as mk_booking_apply or mk_booking_book_snapshot wrote
/// it; NULL, "" or "{}" for an empty book), and writes the new handle to `*out`;
/// free it with mk_booking_book_free. The rules may be freed at once.
///
/// # Safety
/// `rules` is a live handle; `book_json` is NULL or NUL-terminated; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_book_new(
    rules: *const MkBookingRules,
    book_json: *const c_char,
    out: *mut *mut MkBookingBook,
) -> MkStatus {
    entry!({
        let rules = unsafe { rules_ref(rules) }?;
        let book = unsafe { read_book(book_json) }?;
        if out.is_null() {
            return Err(Failure::new(MkStatus::NullPointer, "out is NULL"));
        }
        let shared = SharedBook::new(rules.clone(), book);
        unsafe { hand_out(out, "out", MkBookingBook(shared)) }
    })
}

/// Frees a book. NULL is accepted and ignored. No other thread may be using
/// the book.
///
/// # Safety
/// `book` is NULL or a handle from mk_booking_book_new not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_book_free(book: *mut MkBookingBook) {
    unsafe { free(book) }
}

/// Runs `command` on the shared book at `at` and writes its events to `out`
/// (when not NULL).
///
/// # Safety
/// `book` is NULL or a live handle; `out` is NULL or writable.
unsafe fn execute(
    book: *const MkBookingBook,
    command: &Command,
    at: Instant,
    out: *mut *mut c_char,
) -> Result<(), Failure> {
    let book = unsafe { book_ref(book) }?;
    let events = book.execute(command, at)?;
    unsafe { write_events(out, &events) }
}

/// Decides and applies `command_json` (any booking command, e.g.
/// {"type":"schedule_session","session":{...}}, {"type":"advance"}) made at
/// the instant `at` (RFC 3339 with its offset) on the book, atomically; when
/// `events_json_out` is not NULL, writes the events as a JSON array there
/// (free with mk_string_free). A refused command gives its status, with the
/// reason in mk_last_error_code, and changes nothing.
///
/// # Safety
/// `book` is a live handle; strings are NUL-terminated; `events_json_out` is
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_book_execute(
    book: *const MkBookingBook,
    command_json: *const c_char,
    at: *const c_char,
    events_json_out: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let command = Command::from_json(unsafe { read_str(command_json, "command_json") }?)?;
        let at = unsafe { read_instant(at, "at") }?;
        unsafe { execute(book, &command, at, events_json_out) }
    })
}

/// Books `party` seats (1 unless the session's policy allows parties) of
/// `session` for `member` at the instant `at_unix_seconds` (seconds since
/// 1970-01-01T00:00:00Z) with the UTC offset `utc_offset_seconds` (32400 for
/// +09:00; it is how the instants in events read). When `events_json_out` is
/// not NULL, writes the events there as JSON; with NULL, no JSON is made.
/// Not enough seats is MK_STATUS_BOOKING_REFUSED with code "full".
///
/// # Safety
/// `book` is a live handle; `session` and `member` are NUL-terminated;
/// `events_json_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_book_book(
    book: *const MkBookingBook,
    session: *const c_char,
    member: *const c_char,
    party: u32,
    at_unix_seconds: i64,
    utc_offset_seconds: i32,
    events_json_out: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let command = Command::Book {
            session: unsafe { read_str(session, "session") }?.into(),
            member: unsafe { read_str(member, "member") }?.into(),
            party,
        };
        let at = to_instant(at_unix_seconds, utc_offset_seconds)?;
        unsafe { execute(book, &command, at, events_json_out) }
    })
}

/// Cancels `member`'s booking of `session` at the instant `at_unix_seconds`
/// with `utc_offset_seconds` (as mk_booking_book_book), by the member or,
/// with `by_staff`, by staff (never late, the credit returns). A freed seat
/// goes to the waitlist as the policy says. When `events_json_out` is not
/// NULL, writes the events there as JSON.
///
/// # Safety
/// `book` is a live handle; `session` and `member` are NUL-terminated;
/// `events_json_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_book_cancel(
    book: *const MkBookingBook,
    session: *const c_char,
    member: *const c_char,
    by_staff: bool,
    at_unix_seconds: i64,
    utc_offset_seconds: i32,
    events_json_out: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let command = Command::Cancel {
            session: unsafe { read_str(session, "session") }?.into(),
            member: unsafe { read_str(member, "member") }?.into(),
            by: if by_staff {
                CancelledBy::Staff
            } else {
                CancelledBy::Member
            },
        };
        let at = to_instant(at_unix_seconds, utc_offset_seconds)?;
        unsafe { execute(book, &command, at, events_json_out) }
    })
}

/// Puts `member` on the waitlist of `session` for `party` seats at the
/// instant `at_unix_seconds` with `utc_offset_seconds` (as
/// mk_booking_book_book). When `events_json_out` is not NULL, writes the
/// events there as JSON. Seats free to book is MK_STATUS_BOOKING_REFUSED
/// with code "seats_available".
///
/// # Safety
/// `book` is a live handle; `session` and `member` are NUL-terminated;
/// `events_json_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_book_join_waitlist(
    book: *const MkBookingBook,
    session: *const c_char,
    member: *const c_char,
    party: u32,
    at_unix_seconds: i64,
    utc_offset_seconds: i32,
    events_json_out: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let command = Command::JoinWaitlist {
            session: unsafe { read_str(session, "session") }?.into(),
            member: unsafe { read_str(member, "member") }?.into(),
            party,
        };
        let at = to_instant(at_unix_seconds, utc_offset_seconds)?;
        unsafe { execute(book, &command, at, events_json_out) }
    })
}

/// Checks `member` in to `session` at the instant `at_unix_seconds` with
/// `utc_offset_seconds` (as mk_booking_book_book). When `events_json_out` is
/// not NULL, writes the events there as JSON.
///
/// # Safety
/// `book` is a live handle; `session` and `member` are NUL-terminated;
/// `events_json_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_book_check_in(
    book: *const MkBookingBook,
    session: *const c_char,
    member: *const c_char,
    at_unix_seconds: i64,
    utc_offset_seconds: i32,
    events_json_out: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let command = Command::CheckIn {
            session: unsafe { read_str(session, "session") }?.into(),
            member: unsafe { read_str(member, "member") }?.into(),
        };
        let at = to_instant(at_unix_seconds, utc_offset_seconds)?;
        unsafe { execute(book, &command, at, events_json_out) }
    })
}

/// Writes `session`'s seats and waitlist — session, capacity, taken, free,
/// seats (member, party, checked_in, no_show) in the order taken, waitlist
/// (member, position from 1, party, offer_expires) in its order, cancelled —
/// as JSON to `*json_out` (free with mk_string_free). An unknown session is
/// MK_STATUS_UNKNOWN_SESSION.
///
/// # Safety
/// `book` is a live handle; `session` is NUL-terminated; `json_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_book_session_view(
    book: *const MkBookingBook,
    session: *const c_char,
    json_out: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let book = unsafe { book_ref(book) }?;
        let session = unsafe { read_str(session, "session") }?;
        let view = book
            .session_view(session)
            .ok_or_else(|| BookingError::UnknownSession {
                session: session.into(),
            })?;
        unsafe { write_string(json_out, "json_out", to_json(&view)) }
    })
}

/// Writes `member`'s view at the instant `at` (RFC 3339 with its offset) —
/// upcoming sessions by start, waiting ([session, position] pairs), packs,
/// credits_available, locked_until, strikes — as JSON to `*json_out` (free
/// with mk_string_free). An unknown member is MK_STATUS_UNKNOWN_MEMBER.
///
/// # Safety
/// `book` is a live handle; strings are NUL-terminated; `json_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_book_member_view(
    book: *const MkBookingBook,
    member: *const c_char,
    at: *const c_char,
    json_out: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let book = unsafe { book_ref(book) }?;
        let member = unsafe { read_str(member, "member") }?;
        let at = unsafe { read_instant(at, "at") }?;
        let view = book
            .member_view(member, at)
            .ok_or_else(|| BookingError::UnknownMember {
                member: member.into(),
            })?;
        unsafe { write_string(json_out, "json_out", to_json(&view)) }
    })
}

/// Writes the whole book as JSON to `*book_json_out` (free with
/// mk_string_free): a consistent copy, taken under the lock, that
/// mk_booking_book_new and mk_booking_decide read back.
///
/// # Safety
/// `book` is a live handle; `book_json_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_book_snapshot(
    book: *const MkBookingBook,
    book_json_out: *mut *mut c_char,
) -> MkStatus {
    entry!({
        let book = unsafe { book_ref(book) }?;
        if book_json_out.is_null() {
            return Err(Failure::new(MkStatus::NullPointer, "book_json_out is NULL"));
        }
        let json = book.snapshot().to_json();
        unsafe { write_string(book_json_out, "book_json_out", json) }
    })
}

/// Writes the book's version (the number of events applied) to `*out`: a
/// host that stores the book checks it on write (optimistic concurrency).
///
/// # Safety
/// `book` is a live handle; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mk_booking_book_version(
    book: *const MkBookingBook,
    out: *mut u64,
) -> MkStatus {
    entry!({
        let book = unsafe { book_ref(book) }?;
        unsafe { write_out(out, "out", book.version()) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_from_seconds_keep_their_offset() {
        let at = to_instant(1_780_275_600, 32_400).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-06-01T10:00:00+09:00");
        assert_eq!(
            to_instant(0, 86_400).unwrap_err().status,
            MkStatus::InvalidArgument
        );
        assert_eq!(
            to_instant(i64::MAX, 0).unwrap_err().status,
            MkStatus::DateOutOfRange
        );
    }
}
