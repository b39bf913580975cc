//! The refcount-invariant check (`PYVM_VERIFY_REFCOUNTS=1`, or [`set_verify`]): before
//! and after every collection, every tracked object must have a positive refcount no
//! smaller than the number of references to it from tracked objects. (The rest of its
//! refcount comes from roots the collector cannot see: the interpreter's stacks and
//! variables, untracked objects.) A refcount below that means a missing incref or an
//! extra decref somewhere: a use-after-free waiting to happen. This is the whole-heap
//! form of the assertions CPython's debug build makes in `update_refs`/`subtract_refs`
//! (which pyvm's debug build also makes, on the collected generations only).

use crate::header::header_of;
use crate::heap::Heap;
use crate::value::Value;
use std::cell::Cell;
use std::collections::HashMap;
use std::mem::ManuallyDrop;

thread_local! {
    static VERIFY: Cell<bool> = Cell::new(std::env::var_os("PYVM_VERIFY_REFCOUNTS").is_some_and(|v| v != "0"));
}

/// Turn the check on or off (it is on when `PYVM_VERIFY_REFCOUNTS` is set and not 0).
pub fn set_verify(on: bool) {
    VERIFY.with(|v| v.set(on));
}

pub(crate) fn enabled() -> bool {
    VERIFY.with(|v| v.get())
}

/// Check the invariant over every generation and the permanent one; panics with the
/// offending objects on failure (a refcount bug is not recoverable).
pub(crate) fn verify_refcounts(heap: &Heap, when: &str) {
    // refcnt minus references from tracked objects, per tracked object.
    let mut budget: HashMap<usize, (i64, *const crate::header::GcLinks)> = HashMap::new();
    let lists = heap.gens.iter().chain(std::iter::once(&heap.permanent));
    for list in lists.clone() {
        list.for_each(|l| {
            // SAFETY: members of the heap's lists are live containers.
            let h = unsafe { header_of(l) };
            // SAFETY: `h` is live.
            let refcnt = unsafe { (*h).refcnt() };
            budget.insert(h as usize, (refcnt as i64, l));
        });
    }
    for list in lists {
        list.for_each(|l| {
            // SAFETY: as above; `trace` frees nothing (Trace contract).
            let h = unsafe { header_of(l) };
            let mut visit = |v: &Value| {
                if let Some(e) = budget.get_mut(&v.raw()) {
                    e.0 -= 1;
                }
            };
            // SAFETY: `h` is a live object of its vtable.
            unsafe { ((*h).vtable().trace)(h, &mut visit) };
        });
    }
    let mut bad = Vec::new();
    for (&addr, &(left, l)) in &budget {
        // SAFETY: still live: nothing ran since the first pass.
        let refcnt = unsafe { (*header_of(l)).refcnt() };
        if refcnt <= 0 || left < 0 {
            // SAFETY: a borrowed view of a live object, never dropped.
            let obj = ManuallyDrop::new(unsafe { Value::from_raw(addr) });
            bad.push(format!("  {} at {addr:#x}: refcnt {refcnt}, {} references from tracked objects", (heap.extra().type_name)(&obj), refcnt as i64 - left));
        }
    }
    if !bad.is_empty() {
        bad.sort();
        panic!("refcount invariant violated {when} a collection:\n{}", bad.join("\n"));
    }
}
