//! The weak-reference part of deallocation and collection (CPython `handle_weakrefs`, `Modules/gc_weakref.txt`); the weakref objects themselves belong to the VM.
//!
//! The gc crate only knows the HAS_WEAKREFS bit of an object; the VM keeps the lists of
//! weakrefs and clears them through `Hooks::clear_weakrefs`.
//!
//! Rule from `gc_weakref.txt`: the callback of a weakref that is itself garbage never
//! runs (it could see objects already `tp_clear`ed, or resurrect garbage). In a
//! collection the weakrefs returned by `clear_weakrefs` are filtered on their COLLECTING
//! bit. CPython also clears a garbage weakref itself (bpo-38006), so that the death of
//! its referent *later* (by refcount, during `delete_garbage`) cannot run its callback.
//! pyvm calls `ExtraHooks::clear_weakref` for that — the VM should install it. Without
//! it, the refcount path still skips the callback of any weakref that is COLLECTING
//! (garbage of the running collection: unreachable objects keep the bit until the end of
//! `delete_garbage`), which covers every referent dying during the collection; only a
//! garbage weakref that *survives* its `clear` and whose referent dies after the
//! collection would then still call its callback.

use crate::header::{header_of, GcFlags, Header};
use crate::heap::Heap;
use crate::list::{self, GcList};
use crate::value::Value;
use std::mem::ManuallyDrop;

/// True if `v` is a container that is part of the set being collected right now.
fn is_collecting(v: &Value) -> bool {
    v.header()
        .is_some_and(|h| h.gc_flags().contains(GcFlags::COLLECTING))
}

/// Refcount path (step 2 of `dealloc`): call the callbacks of the weakrefs the VM
/// returned, in order, then release them (CPython `PyObject_ClearWeakRefs`).
pub(crate) fn call_callbacks(heap: &Heap, wrs: Vec<Value>) {
    if wrs.is_empty() {
        return;
    }
    let call = heap.hooks().call_weakref_callback;
    for wr in &wrs {
        if !is_collecting(wr) {
            call(wr);
        }
    }
    drop(wrs);
}

/// Collection phase "weakrefs" (gc-spec 1.4): clear every weakref to an unreachable
/// object, then call the callbacks of those weakrefs that are not garbage themselves.
/// Returns the number of weakref objects freed when the collector let go of them (they
/// count as collected: CPython's `num_freed`). Weakrefs still alive are moved to `old`.
pub(crate) fn handle_weakrefs(heap: &Heap, unreachable: &GcList, old: &GcList) -> usize {
    let hooks = heap.hooks();
    let clear_weakref = heap.extra().clear_weakref;
    let mut to_call: Vec<Value> = Vec::new();
    let mut trash_weakrefs: Vec<Value> = Vec::new();

    // Pass 1: clear. Hooks run VM code, so walk by moving each object to `seen` (objects
    // may vanish from either list if something frees them; we do not care).
    let seen = GcList::new();
    while let Some(l) = unreachable.first() {
        // SAFETY: `l` is a live member of `unreachable`; `seen` is a live sentinel.
        let h: *const Header = unsafe {
            list::move_to(l, seen.head());
            header_of(l)
        };
        // SAFETY: borrowed view of a live object (unreachable objects have refcount > 0).
        let obj = ManuallyDrop::new(unsafe { Value::from_raw(h as usize) });
        if (hooks.is_weakref)(&obj) {
            clear_weakref(&obj);
        }
        // SAFETY: `l` is still live: nothing above frees objects with references.
        let links = unsafe { &*l };
        if links.has(GcFlags::HAS_WEAKREFS) {
            crate::weakaddr::forget(h as usize);
            let wrs = (hooks.clear_weakrefs)(&obj);
            links.set(GcFlags::HAS_WEAKREFS, false);
            for wr in wrs {
                if is_collecting(&wr) {
                    trash_weakrefs.push(wr); // garbage itself: its callback never runs
                } else {
                    to_call.push(wr);
                }
            }
        }
    }
    seen.merge_into(unreachable);
    drop(trash_weakrefs);

    // Pass 2: callbacks, in the order found. They cannot reach garbage any more: every
    // weakref to it is dead.
    let mut num_freed = 0;
    for wr in to_call {
        (hooks.call_weakref_callback)(&wr);
        if wr.refcnt() == 1 {
            num_freed += 1; // ours is the last reference: freed by the drop below
        } else if let Some(l) = wr.header().and_then(Header::links) {
            if l.has(GcFlags::TRACKED) {
                // Still alive: it was reachable, so it survives into the older generation.
                // SAFETY: `l` is linked (TRACKED) and `old` is a live sentinel.
                unsafe { list::move_to(l, old.head()) };
                l.set(GcFlags::FROZEN, false);
            }
        }
        drop(wr);
    }
    num_freed
}
