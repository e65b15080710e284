//! Handles as C holds them: each boxed behind a tag naming its kind, so a
//! handle of another kind passed by mistake is refused with a status and a
//! message instead of being read as the wrong type.
//!
//! A handle points at a [`Tagged`] value whose first field is the tag (the
//! layout is `repr(C)`, so the tag sits at the same place in every kind).
//! Freeing a handle clears its tag first, so a handle used after it was
//! freed is often refused too; that is a help to find the bug, not a promise
//! (the memory may have been reused).

use crate::error::{Failure, MkStatus};
use std::fmt::Display;

/// A type handed to C as an opaque handle.
pub(crate) trait Handle: Sized {
    /// What the handle is, in messages: "catalog", "billing config", ...
    const KIND: &'static str;
    /// The tag a live handle of this kind carries.
    const TAG: u64 = tag_of(Self::KIND);
}

/// The FNV-1a hash of `kind`: a tag distinct for each kind's name.
const fn tag_of(kind: &str) -> u64 {
    let bytes = kind.as_bytes();
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// What a handle points at.
#[repr(C)]
struct Tagged<T> {
    tag: u64,
    value: T,
}

/// Boxes `value` behind its tag and hands it to C through `out` (named
/// `name` in the message when NULL).
///
/// # Safety
/// `out` is NULL or writable.
pub(crate) unsafe fn hand_out<T: Handle>(
    out: *mut *mut T,
    name: impl Display,
    value: T,
) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::new(
            MkStatus::NullPointer,
            format!("{name} is NULL"),
        ));
    }
    let tagged = Box::into_raw(Box::new(Tagged { tag: T::TAG, value }));
    // SAFETY: non-null and writable by the caller's contract.
    unsafe { out.write(tagged.cast::<T>()) };
    Ok(())
}

/// The tagged value behind `ptr`: NULL and other kinds refused, with `name`
/// in the message (any `Display`, so `format_args!` costs nothing until an
/// error).
///
/// # Safety
/// `ptr` is NULL or a handle made by [`hand_out`] (of any kind), not freed.
unsafe fn tagged<T: Handle>(ptr: *const T, name: impl Display) -> Result<*mut Tagged<T>, Failure> {
    if ptr.is_null() {
        return Err(Failure::new(
            MkStatus::NullPointer,
            format!("{name} is NULL"),
        ));
    }
    // SAFETY: every handle starts with its u64 tag (Tagged is repr(C)).
    let tag = unsafe { ptr.cast::<u64>().read() };
    if tag != T::TAG {
        return Err(Failure::new(
            MkStatus::InvalidArgument,
            format!(
                "{name} is not a live {} handle (another kind, or freed)",
                T::KIND
            ),
        ));
    }
    Ok(ptr.cast::<Tagged<T>>().cast_mut())
}

/// The value behind the handle `ptr`, refusing NULL and other kinds.
///
/// # Safety
/// `ptr` is NULL or a live handle made by [`hand_out`].
pub(crate) unsafe fn handle<'a, T: Handle>(
    ptr: *const T,
    name: impl Display,
) -> Result<&'a T, Failure> {
    // SAFETY: a live handle of this kind (checked by its tag).
    Ok(unsafe { &(*tagged(ptr, name)?).value })
}

/// [`handle`] for a handle the call changes.
///
/// # Safety
/// `ptr` is NULL or a live handle no one else uses during the call.
pub(crate) unsafe fn handle_mut<'a, T: Handle>(
    ptr: *mut T,
    name: impl Display,
) -> Result<&'a mut T, Failure> {
    // SAFETY: a live, unshared handle of this kind (checked by its tag).
    Ok(unsafe { &mut (*tagged(ptr, name)?).value })
}

/// Takes the value out of the handle `ptr` and frees the handle; a handle
/// of another kind is refused and left alone.
///
/// # Safety
/// `ptr` is NULL or a live handle not used again after this call.
pub(crate) unsafe fn take<T: Handle>(ptr: *mut T, name: impl Display) -> Result<T, Failure> {
    // SAFETY: from Box::into_raw in hand_out (checked by its tag).
    let mut boxed = unsafe { Box::from_raw(tagged(ptr, name)?) };
    // SAFETY: the box's own field; volatile, so the store is kept before the free.
    unsafe { std::ptr::write_volatile(&mut boxed.tag, 0) };
    Ok(boxed.value)
}

/// Frees a handle, panics caught. NULL and handles of other kinds are
/// ignored.
///
/// # Safety
/// `ptr` is NULL or a live handle not used again after this call.
pub(crate) unsafe fn free<T: Handle>(ptr: *mut T) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        drop(unsafe { take(ptr, T::KIND) });
    }));
}
