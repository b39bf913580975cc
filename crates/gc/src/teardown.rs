//! Tearing down what one interpreter left on its thread's heap, so that many
//! interpreters can run one after another in a process (the fuzz harness, tests)
//! without each leaving its built-in objects behind.
//!
//! Immortal objects (None, the built-in types, their dicts and methods, ...) are
//! never freed while an interpreter runs: `Value::new_immortal` gives them a refcount
//! that cannot reach zero. Their refcounts are still exact above that base
//! (`IMMORTAL_REFCNT`, of which the first value made holds one), which is what makes
//! releasing them safe: after the interpreter is dropped, the references among
//! immortals are cleared (`tp_clear`, as the collector does to garbage), a full
//! collection frees the cycles of ordinary objects that only the immortals kept alive,
//! and an immortal whose count is back at the base has no reference left anywhere and
//! is freed. One that is still referenced (a `Value` the embedder kept) or weakly
//! referenced stays, so nothing can dangle.
//!
//! When no object at all is left on the thread, the small-object arenas go back to
//! the system too.

use crate::alloc::free_block;
use crate::header::{GcFlags, Header, IMMORTAL_REFCNT};
use crate::heap::{heap, ExtraHooks, Hooks};
use crate::stats;

/// The count of an immortal object that no `Value` refers to: `Value::new_immortal`
/// starts the count at `IMMORTAL_REFCNT` with the returned value holding one of it.
const UNREFERENCED: isize = IMMORTAL_REFCNT - 1;

/// What [`release_thread_heap`] gave back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Released {
    /// Immortal objects freed.
    pub immortals_freed: usize,
    /// Immortal objects still referenced, kept.
    pub immortals_kept: usize,
    /// Small-object arenas returned to the system (0 unless no object is left).
    pub arenas_freed: usize,
}

/// Release the immortal objects of this thread that nothing references any more, then,
/// if no object of any kind is left, the thread's small-object arenas. Call it after
/// dropping the interpreter: it clears what immortal objects hold, so objects still in
/// use would be emptied (never freed while referenced).
///
/// The VM's hooks are uninstalled first: no Python code (finalizers, weakref callbacks)
/// runs while the last objects go.
pub fn release_thread_heap() -> Released {
    let heap = heap();
    heap.hooks.set(Hooks::default());
    heap.extra.set(ExtraHooks::default());
    let list = std::mem::take(&mut *heap.immortals.borrow_mut());
    // 1. Break the references among immortals (and from them to anything else).
    for &h in &list {
        // SAFETY: an immortal object is only freed below, after it left `immortals`, so
        // every entry is live; `clear` is its type's own tp_clear.
        unsafe {
            let vt = (*h).vtable();
            if vt.container {
                (vt.clear)(h);
            }
        }
    }
    // What they held may have been the only outside link into cycles of ordinary
    // objects (functions and their module dicts): collect those now (with the hooks
    // gone, no finalizer runs).
    crate::collect::collect(crate::heap::NUM_GENERATIONS - 1);
    // 2. Free the ones no reference points at. Freeing one drops what its payload still
    // holds (a type whose `clear` keeps its fields), which may free others in the next
    // round.
    let mut pending = list;
    let mut freed = 0;
    loop {
        let before = pending.len();
        let mut kept = Vec::with_capacity(before);
        for h in pending {
            // SAFETY: as above, `h` is live.
            let header: &Header = unsafe { &*h };
            let weakly_referenced = header.links().is_some_and(|l| l.has(GcFlags::HAS_WEAKREFS));
            if header.refcnt() != UNREFERENCED || weakly_referenced {
                kept.push(h);
                continue;
            }
            let vt = header.vtable();
            // SAFETY: the count is at its base: no `Value` refers to `h`, and it is not
            // on any collector list (immortal containers are never tracked). Its
            // payload is dropped exactly once, then its block is freed.
            unsafe {
                (vt.drop_payload)(h);
                stats::count_free(vt.kind);
                stats::count_immortal_free();
                free_block(heap, vt, h);
            }
            freed += 1;
        }
        pending = kept;
        if pending.len() == before {
            break;
        }
    }
    let kept = pending.len();
    heap.immortals.borrow_mut().extend(pending);
    let arenas_freed = if stats::live_objects() == 0 && heap.trash.borrow().is_empty() {
        reset_collector_state();
        // SAFETY: every object allocated on this thread has been freed, so no block of
        // any pool is in use.
        unsafe { heap.small.release_all() }
    } else {
        0
    };
    Released { immortals_freed: freed, immortals_kept: kept, arenas_freed }
}


/// With no object left, the next interpreter on this thread starts from the collector
/// state of a new thread: CPython's thresholds and counts, enabled, no debug flags, no
/// statistics.
fn reset_collector_state() {
    let heap = heap();
    for (t, v) in heap.thresholds.iter().zip([700, 10, 10]) {
        t.set(v);
    }
    heap.counts.iter().for_each(|c| c.set(0));
    heap.enabled.set(true);
    heap.debug.set(0);
    heap.long_lived_pending.set(0);
    heap.long_lived_total.set(0);
    heap.virtual_free.iter().for_each(|c| c.set(0));
    heap.stats.gens.iter().for_each(|g| g.set(Default::default()));
    heap.stats.last.set(Default::default());
    crate::heap::PENDING.with(|p| p.set(false));
}
