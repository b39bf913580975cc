//! Allocation of heap objects, and the refcount-zero path: finalizer, weakrefs, untrack, drop, free — made iterative by the trashcan.
//!
//! # The refcount-zero path (CPython `subtype_dealloc` + `PyObject_CallFinalizerFromDealloc`)
//!
//! 1. Containers are untracked. If the payload `has_finalizer()` and the object is not
//!    FINALIZED: it is re-tracked at the tail of generation 0 (as CPython does), marked
//!    FINALIZED, given a temporary reference (refcount 1) and passed to `hooks.finalize`.
//!    If the refcount is still above zero once the temporary reference is given back, the
//!    finalizer resurrected the object: stop here (it stays tracked in gen 0).
//! 2. If HAS_WEAKREFS: `hooks.clear_weakrefs`, then `hooks.call_weakref_callback` for each
//!    weakref returned (skipping weakrefs that are garbage of the running collection).
//! 3. The payload is dropped (its `Value`s are released, which may cascade) and the
//!    memory freed; `count[0]` goes down for containers (CPython `PyObject_GC_Del`).
//!
//! # Trashcan (`Py_TRASHCAN_BEGIN/END`)
//!
//! A cascade of deallocations recurses through `Drop` (object → its payload → its children).
//! The heap keeps the depth of nested deallocations; beyond [`TRASHCAN_LIMIT`] an object
//! is untracked and pushed on a worklist instead, and the outermost deallocation drains
//! the worklist. The Rust stack depth of any cascade is thus bounded.

use crate::header::{links_of, GcFlags, GcLinks, Header, IMMORTAL_REFCNT};
use crate::heap::{heap, Heap};
use crate::pool::small_class;
use crate::stats;
use crate::trace::{vtable_of, Obj, Trace, VTable};
use crate::value::Value;
use std::alloc::Layout;
use std::cell::Cell;
use std::fmt;
use std::mem::{size_of, ManuallyDrop};

/// Maximum nesting of deallocations before they are deferred (CPython uses 50).
pub const TRASHCAN_LIMIT: usize = 50;

/// The allocator returned null: the VM raises `MemoryError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocError;

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("out of memory")
    }
}

impl std::error::Error for AllocError {}

/// Allocate and initialise an object; track and count it if it is a container (unless
/// immortal).
pub(crate) fn try_alloc<T: Trace>(payload: T, immortal: bool) -> Result<Value, AllocError> {
    let vt = vtable_of::<T>();
    let layout = Layout::from_size_align(vt.size, vt.align).map_err(|_| AllocError)?;
    let base = match small_class(vt.size, vt.align) {
        Some(c) => heap().small.take(c),
        // SAFETY: the layout has a non-zero size (it holds at least a `Header`).
        None => unsafe { std::alloc::alloc(layout) },
    };
    if base.is_null() {
        return Err(AllocError);
    }
    // SAFETY: `prefix` is within the block and keeps `Obj<T>` aligned (see VTable).
    let h = unsafe { base.add(vt.prefix) }.cast::<Obj<T>>();
    let refcnt = if immortal { IMMORTAL_REFCNT } else { 1 };
    // SAFETY: `h` is valid for writes of an `Obj<T>` and properly aligned.
    unsafe {
        h.write(Obj {
            header: Header {
                refcnt: Cell::new(refcnt),
                vtable: vt,
            },
            payload,
        })
    };
    let h = h.cast::<Header>().cast_const();
    if vt.container {
        // SAFETY: the links slot precedes the header inside the block.
        let l = unsafe { links_of(h) }.cast_mut();
        // SAFETY: `l` is valid for writes and 8-aligned.
        unsafe { l.write(GcLinks::new()) };
        if !immortal {
            // SAFETY: `h` is the live object just written; fresh, unlinked links.
            unsafe { heap().link_new(l, (vt.freelist)(h)) };
        }
    }
    if immortal {
        heap().immortals.borrow_mut().push(h);
    }
    stats::count_alloc(vt.kind, vt.name, immortal);
    // SAFETY: `h` is a live header and the refcount 1 is owned by the result.
    Ok(unsafe { Value::from_raw(h as usize) })
}

/// The refcount of `h` reached zero: finalize, clear weakrefs, free — or defer.
///
/// # Safety
/// `h` is a live object whose refcount just became 0; nobody else references it.
#[cold]
#[inline(never)]
pub(crate) unsafe fn dealloc(h: *const Header) {
    // SAFETY: `h` is live (refcount just reached 0).
    let vt = unsafe { (*h).vtable() };
    let heap = heap();
    if !vt.container && !vt.needs_drop {
        // An atomic object with nothing to release (a float, a complex): no finalizer,
        // no weakrefs (those need GC links), no cascade -- just free the block.
        stats::count_free(vt.kind);
        // SAFETY: `h` was allocated by `try_alloc` with this vtable's layout, `prefix`
        // (0) bytes into the block; nothing references it.
        unsafe { free_block(heap, vt, h) };
        return;
    }
    let depth = heap.dealloc_depth.get();
    if depth >= TRASHCAN_LIMIT {
        // SAFETY: `h` is live; an untracked object is invisible to collections, which
        // must never see a refcount of 0.
        unsafe {
            if (*h).is_container() {
                heap.untrack_links(links_of(h));
            }
        }
        heap.trash.borrow_mut().push(h);
        return;
    }
    heap.dealloc_depth.set(depth + 1);
    // SAFETY: forwarded.
    unsafe { dealloc_one(heap, h) };
    if depth == 0 {
        // Outermost deallocation: drain the deferred ones (each may defer more).
        loop {
            let next = heap.trash.borrow_mut().pop();
            match next {
                // SAFETY: deferred objects have refcount 0 and no owner but the worklist.
                Some(p) => unsafe { dealloc_one(heap, p) },
                None => break,
            }
        }
    }
    heap.dealloc_depth.set(depth);
}

/// Give the object a temporary reference and lend it to a hook as `&Value`; returns the
/// refcount after the temporary reference is given back (> 0: resurrected).
///
/// # Safety
/// `h` is live with refcount 0.
unsafe fn with_temp_ref(h: *const Header, f: impl FnOnce(&Value)) -> isize {
    // SAFETY: `h` is live.
    let header = unsafe { &*h };
    header.set_refcnt(1);
    // SAFETY: the temporary reference just created backs this `Value`; ManuallyDrop
    // keeps its `Drop` from re-entering `dealloc`.
    let tmp = ManuallyDrop::new(unsafe { Value::from_raw(h as usize) });
    f(&tmp);
    let n = header.refcnt() - 1;
    header.set_refcnt(n);
    n
}

/// Run the three steps of the refcount-zero path on one object.
///
/// # Safety
/// As [`dealloc`].
unsafe fn dealloc_one(heap: &Heap, h: *const Header) {
    // SAFETY: `h` is live until freed at the end of this function.
    let header = unsafe { &*h };
    let vt = header.vtable();
    if let Some(l) = header.links() {
        // SAFETY: `l` are the links of this live container.
        unsafe { heap.untrack_links(l) };
        // Step 1: the finalizer (PEP 442), once per object.
        // SAFETY: `h` is a live object of this vtable.
        if !l.has(GcFlags::FINALIZED) && unsafe { (vt.has_finalizer)(h) } {
            l.set(GcFlags::FINALIZED, true);
            // SAFETY: live links.
            unsafe { heap.track_links(l) };
            let finalize = heap.hooks().finalize;
            // SAFETY: `h` is live with refcount 0.
            if unsafe { with_temp_ref(h, finalize) } > 0 {
                return; // resurrected: stays alive, tracked in gen 0
            }
            // SAFETY: live links.
            unsafe { heap.untrack_links(l) };
        }
        // Step 2: weak references.
        if l.has(GcFlags::HAS_WEAKREFS) {
            crate::weakaddr::forget(h as usize);
            let hooks = heap.hooks();
            let mut wrs = Vec::new();
            // SAFETY: `h` is live with refcount 0.
            let n = unsafe { with_temp_ref(h, |v| wrs = (hooks.clear_weakrefs)(v)) };
            l.set(GcFlags::HAS_WEAKREFS, false);
            if n > 0 {
                // The hook kept a reference (a VM bug): the object must stay alive.
                drop(wrs);
                return;
            }
            crate::weakref::call_callbacks(heap, wrs);
        }
    }
    // Step 3: drop the payload (may cascade into nested deallocations) and free.
    // SAFETY: `h` is live (its payload not yet dropped).
    let counted = vt.container && heap.count_free(unsafe { (vt.freelist)(h) });
    // SAFETY: the payload is dropped exactly once; nothing references the object.
    unsafe { (vt.drop_payload)(h) };
    if counted {
        let c0 = &heap.counts[0];
        c0.set(c0.get().saturating_sub(1));
    }
    stats::count_free(vt.kind);
    // SAFETY: `h` was allocated by `try_alloc` with this vtable's layout; its payload is
    // dropped and nothing references it.
    unsafe { free_block(heap, vt, h) };
}

/// Give the memory of the dead object `h` back (to its pool, or to malloc).
///
/// # Safety
/// `h` was allocated by `try_alloc` with `vt`'s layout, its payload is dropped or needs
/// no drop, and nothing references it.
#[inline]
pub(crate) unsafe fn free_block(heap: &Heap, vt: &VTable, h: *const Header) {
    // SAFETY: the block starts `prefix` bytes before the header.
    let base = unsafe { h.cast::<u8>().sub(vt.prefix).cast_mut() };
    if let Some(c) = small_class(vt.size, vt.align) {
        // SAFETY: small blocks come from `SmallBlocks::take` of the same class (the
        // class is the exact size).
        unsafe { heap.small.give(c, base) };
        return;
    }
    // SAFETY: not a small block: a malloc block of this layout.
    unsafe { std::alloc::dealloc(base, Layout::from_size_align_unchecked(vt.size, vt.align)) };
}

const _: () = assert!(size_of::<Header>() == 16);
