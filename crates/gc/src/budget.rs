//! The heap budget of `pyvm run --max-heap SIZE`: a global allocator that counts the
//! bytes the process has allocated and notices when a limit is crossed.
//!
//! Rust aborts the process when an allocator returns null, so the budget never refuses
//! an allocation itself. Crossing the limit raises [`ATTENTION`], which the interpreter
//! loop already checks at every instruction boundary: there it takes the flag
//! ([`take_exhausted`]) and raises `MemoryError`, as CPython does when malloc fails.
//! Operations that know their size before allocating (`[0] * n`, `bytearray(n)`) ask
//! [`room`] first and raise at once, before anything is allocated.
//!
//! The binary installs it with `#[global_allocator] static A: pyvm_gc::CountingAlloc`.
//! Counting is two relaxed atomic operations per allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

/// Set when the interpreter has work to do at the next instruction boundary: queued
/// finalizers or weakref callbacks, or an exceeded heap budget.
pub static ATTENTION: AtomicBool = AtomicBool::new(false);

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);
static EXHAUSTED: AtomicBool = AtomicBool::new(false);

/// The counting allocator (forwards to the system allocator).
pub struct CountingAlloc;

#[inline]
fn grew(by: usize) {
    let now = IN_USE.fetch_add(by, Relaxed).wrapping_add(by);
    if now > LIMIT.load(Relaxed) {
        EXHAUSTED.store(true, Relaxed);
        ATTENTION.store(true, Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so
// `System`'s guarantees hold; the counters are plain atomics.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: forwarded with the caller's (valid, non-zero-size) layout.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: `ptr` was allocated by `System` (through us) with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            IN_USE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        // SAFETY: `ptr`/`layout` come from a previous allocation of ours; `new_size` is
        // the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Set the budget in bytes (`usize::MAX`: none).
pub fn set_heap_limit(bytes: usize) {
    LIMIT.store(bytes, Relaxed);
}

/// Bytes currently allocated through [`CountingAlloc`] (0 if it is not installed).
pub fn heap_in_use() -> usize {
    IN_USE.load(Relaxed)
}

/// Bytes that may still be allocated before the budget is exceeded.
pub fn room() -> usize {
    LIMIT.load(Relaxed).saturating_sub(IN_USE.load(Relaxed))
}

/// Was the budget exceeded since the last call? (Clears the flag.)
pub fn take_exhausted() -> bool {
    EXHAUSTED.swap(false, Relaxed)
}
