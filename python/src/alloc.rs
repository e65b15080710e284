//! The extension's global allocator: mimalloc, whose blocks of 16 bytes or
//! more are aligned to 16 bytes (smaller ones to 8), called through its plain
//! entry points when that is enough (almost always) and its aligned ones
//! otherwise, as the system allocator does. A billing run makes and
//! keeps many small allocations (the documents), and the plain entry points
//! are the shorter path.
//!
//! One setting differs from mimalloc's defaults, [`configure`]d when the
//! module loads: memory mimalloc purges (a second after it was freed) is
//! reset with `MADV_FREE`, not decommitted with `MADV_DONTNEED`. The system
//! still takes those pages back whenever it needs memory, but pages reused
//! before then are not faulted in and zeroed again by the kernel; a batch
//! that frees its results and makes the next batch's, as a nightly dunning
//! run of a million accounts does, spent about half its time on that. The
//! cost: a process's resident size (`top`, `ps`) counts such pages until the
//! system takes them. `MIMALLOC_PURGE_DECOMMITS=1` in the environment keeps
//! mimalloc's default.

use libmimalloc_sys::{
    mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc,
    mi_zalloc_aligned,
};
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::{c_int, c_long, c_void};

// mimalloc's `mi_option_t` and the one setting `configure` makes.
unsafe extern "C" {
    fn mi_option_set_default(option: c_int, value: c_long);
}
/// `mi_option_purge_decommits` in `mimalloc.h` (the same in mimalloc 2 and 3).
const MI_OPTION_PURGE_DECOMMITS: c_int = 5;

/// Makes purged memory reset (`MADV_FREE`) instead of decommitted, unless
/// the environment set `MIMALLOC_PURGE_DECOMMITS`.
pub(crate) fn configure() {
    // SAFETY: a valid option index; `mi_option_set_default` only writes the
    // option's value if the environment did not give one. It is not thread
    // safe: called once as the module loads, before any code of the
    // extension can have started a thread.
    unsafe { mi_option_set_default(MI_OPTION_PURGE_DECOMMITS, 0) }
}

/// The alignment of mimalloc's blocks of that size or more (`MI_MAX_ALIGN_SIZE`).
const BLOCK_ALIGN: usize = 16;

pub(crate) struct MiMalloc;

/// Whether a plain mimalloc block is aligned enough for `layout`: a block
/// below 16 bytes is 8 bytes, aligned to 8, so the alignment must also not
/// exceed the size.
fn plain(layout: Layout) -> bool {
    layout.align() <= BLOCK_ALIGN && layout.align() <= layout.size()
}

// SAFETY: mimalloc returns blocks of at least the size asked, aligned as
// `plain` requires or as asked of its aligned entry points, or null; `mi_free`
// and the reallocations accept any block from either kind of entry point.
unsafe impl GlobalAlloc for MiMalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's allocation functions take any size and alignment.
        unsafe {
            if plain(layout) {
                mi_malloc(layout.size()).cast()
            } else {
                mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe {
            if plain(layout) {
                mi_zalloc(layout.size()).cast()
            } else {
                mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the caller's contract).
        unsafe { mi_free(ptr.cast::<c_void>()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align(new_size, layout.align()).unwrap_or(layout);
        // SAFETY: `ptr` came from this allocator with `layout` (the caller's
        // contract); the new block keeps the alignment `layout` needs.
        unsafe {
            if plain(new) {
                mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}
