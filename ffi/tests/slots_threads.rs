//! The C layer's one shared slot extractor gives every thread the same
//! slots and masks as a single thread does.

use memberkit_ffi::{MkDate, MkStatus, mk_intent_extract_slots, mk_intent_mask, mk_string_free};
use std::ffi::{CStr, c_char};

fn take(call: impl FnOnce(*mut *mut c_char) -> MkStatus) -> String {
    let mut out: *mut c_char = std::ptr::null_mut();
    assert_eq!(call(&mut out), MkStatus::Ok);
    // SAFETY: a NUL-terminated string from memberkit, freed once below.
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
    // SAFETY: returned by memberkit and not yet freed.
    unsafe { mk_string_free(out) };
    text
}

fn slots_and_mask(message: &CStr) -> (String, String) {
    let today = MkDate {
        year: 2026,
        month: 5,
        day: 1,
    };
    // SAFETY: a NUL-terminated message and a writable output.
    let slots = take(|out| unsafe { mk_intent_extract_slots(message.as_ptr(), today, out) });
    // SAFETY: as above.
    let masked = take(|out| unsafe { mk_intent_mask(message.as_ptr(), out) });
    (slots, masked)
}

#[test]
fn eight_threads_see_the_slots_one_thread_sees() {
    let message = c"明日の18時半に 090-1234-5678 か taro@example.com へ、会員番号は12345678です";
    let alone = slots_and_mask(message);
    assert!(
        alone.0.contains("\"phone\"") && alone.0.contains("\"date\""),
        "{}",
        alone.0
    );
    assert!(!alone.1.contains("taro@"), "{}", alone.1);
    let threads: Vec<_> = (0..8)
        .map(|_| {
            std::thread::spawn(move || (0..50).map(|_| slots_and_mask(message)).collect::<Vec<_>>())
        })
        .collect();
    for thread in threads {
        for result in thread.join().unwrap() {
            assert_eq!(result, alone);
        }
    }
}
