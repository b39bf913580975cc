//! The object header (`Header`, CPython's `PyObject` head), the GC links prefix of container objects (`GcLinks`, CPython's `PyGC_Head`) and their flag bits.
//!
//! # Memory layout of one allocation
//!
//! ```text
//! atomic object (str, int, float, ...):      container object (list, dict, instance, ...):
//!
//!                                            [padding to the payload's alignment, if > 8]
//!                                            GcLinks { next, prev, bits }      24 bytes
//! Header  { refcnt, vtable }   16 bytes      Header  { refcnt, vtable }        16 bytes
//! payload T                                  payload T
//! ```
//!
//! A `Value` points at the `Header`. For containers the `GcLinks` sit *immediately before*
//! the header, at a fixed distance (`size_of::<GcLinks>()`), exactly like CPython's
//! `PyGC_Head` precedes `PyObject` (`AS_GC(op)` / `FROM_GC(g)`). When the payload needs an
//! alignment above 8, padding is put *before* the links so that the distance stays fixed;
//! the vtable records the total prefix (`VTable::prefix`) to find the start of the block
//! when it is freed. All pointer arithmetic between `Header` and `GcLinks` lives in this
//! file ([`links_of`], [`header_of`]).
//!
//! # The `bits` word of `GcLinks`
//!
//! ```text
//! bit 0       FINALIZED     bit 3  TRACKED        bits 8..63  gc_refs (only during a collection)
//! bit 1       COLLECTING    bit 4  HAS_WEAKREFS
//! bit 2       UNREACHABLE   bit 5  FROZEN
//! ```
//!
//! CPython steals the low bits of `_gc_prev` for FINALIZED/COLLECTING and stores `gc_refs`
//! in the rest of `_gc_prev` (which is why its lists are singly linked during a collection).
//! pyvm spends a third word instead, so `prev`/`next` are always valid: simpler list code,
//! 8 more bytes per container.

use crate::trace::VTable;
use bitflags::bitflags;
use std::cell::Cell;
use std::mem::size_of;

/// Reference count given to immortal objects (`Value::new_immortal`): increments and
/// decrements still happen but can never bring it to zero.
pub const IMMORTAL_REFCNT: isize = 1 << 60;

/// The head of every heap object (`PyObject`): the reference count and the per-type vtable.
///
/// `#[repr(C)]`, 16 bytes (pinned by a test). A [`crate::Value`] pointer designates it.
#[repr(C)]
pub struct Header {
    /// `ob_refcnt`: the number of strong references (owned `Value`s) to this object.
    pub(crate) refcnt: Cell<isize>,
    /// `ob_type`, reduced to what the collector needs: the payload type's vtable.
    pub(crate) vtable: &'static VTable,
}

bitflags! {
    /// Flag bits of a container object, kept in the low byte of `GcLinks::bits`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct GcFlags: usize {
        /// CPython `_PyGC_PREV_MASK_FINALIZED`: the finalizer (`__del__`, PEP 442 `tp_finalize`)
        /// has been called; it is never called again, even after a resurrection.
        const FINALIZED = 1 << 0;
        /// CPython `_PyGC_PREV_MASK_COLLECTING`: the object belongs to the set being collected
        /// (young generation, then the unreachable set) and `gc_refs` is meaningful.
        const COLLECTING = 1 << 1;
        /// CPython `NEXT_MASK_UNREACHABLE`: during `move_unreachable`, the object has been
        /// tentatively moved to the unreachable list.
        const UNREACHABLE = 1 << 2;
        /// CPython `_gc_next != 0` (`_PyObject_GC_IS_TRACKED`): the object is linked in a
        /// generation list (or a collector-private list during a collection).
        const TRACKED = 1 << 3;
        /// CPython `*_PyObject_GET_WEAKREFS_LISTPTR(op) != NULL`: weak references to this object
        /// may exist; the VM keeps the weakref list itself and is asked to clear it.
        const HAS_WEAKREFS = 1 << 4;
        /// Member of CPython's `permanent_generation` (`gc.freeze()`): invisible to collections.
        const FROZEN = 1 << 5;
    }
}

/// How far `gc_refs` is shifted inside `GcLinks::bits`.
const REFS_SHIFT: u32 = 8;
/// Largest storable `gc_refs`: reference counts above it are clamped, which keeps the only
/// property the algorithm needs (`gc_refs > 0` ⇔ referenced from outside the set).
const REFS_MAX: usize = usize::MAX >> REFS_SHIFT;
const FLAGS_MASK: usize = (1 << REFS_SHIFT) - 1;

/// The generation-list links placed before the `Header` of a container (`PyGC_Head`).
/// Also used, alone, as the sentinel head of every list (generations, temporary lists).
#[repr(C)]
pub struct GcLinks {
    /// `_gc_next`: next node of the circular doubly linked list (null when untracked).
    pub(crate) next: Cell<*const GcLinks>,
    /// `_gc_prev`: previous node (null when untracked).
    pub(crate) prev: Cell<*const GcLinks>,
    /// [`GcFlags`] in the low byte; `gc_refs` (collection-time scratch counter) above.
    bits: Cell<usize>,
}

impl GcLinks {
    /// Unlinked links with no flag set.
    pub(crate) const fn new() -> GcLinks {
        GcLinks {
            next: Cell::new(std::ptr::null()),
            prev: Cell::new(std::ptr::null()),
            bits: Cell::new(0),
        }
    }

    #[inline]
    pub(crate) fn flags(&self) -> GcFlags {
        GcFlags::from_bits_retain(self.bits.get() & FLAGS_MASK)
    }

    #[inline]
    pub(crate) fn has(&self, f: GcFlags) -> bool {
        self.bits.get() & f.bits() != 0
    }

    #[inline]
    pub(crate) fn set(&self, f: GcFlags, on: bool) {
        let b = self.bits.get();
        self.bits.set(if on { b | f.bits() } else { b & !f.bits() });
    }

    /// The collection-time counter (CPython `gc_get_refs`).
    #[inline]
    pub(crate) fn gc_refs(&self) -> usize {
        self.bits.get() >> REFS_SHIFT
    }

    /// CPython `gc_set_refs`.
    #[inline]
    pub(crate) fn set_gc_refs(&self, n: usize) {
        let n = n.min(REFS_MAX);
        self.bits
            .set((self.bits.get() & FLAGS_MASK) | (n << REFS_SHIFT));
    }

    /// CPython `gc_decref`. A count already at zero means some object holds more references
    /// than its refcount says (a refcount bug in the VM: CPython's "refcount is too small").
    #[inline]
    pub(crate) fn dec_gc_refs(&self) {
        let n = self.gc_refs();
        debug_assert!(
            n > 0,
            "gc_decref: gc_refs is already 0 — refcount is too small"
        );
        self.set_gc_refs(n.saturating_sub(1));
    }
}

/// The links of the container whose header is `h`.
///
/// # Safety
/// `h` must point at the header of a live container allocation (`vtable.container`).
#[inline]
pub(crate) unsafe fn links_of(h: *const Header) -> *const GcLinks {
    // SAFETY: containers are allocated with the links immediately before the header
    // (see the module doc), inside the same allocation.
    unsafe { h.cast::<u8>().sub(size_of::<GcLinks>()).cast::<GcLinks>() }
}

/// The header of the container whose links are `l` (inverse of [`links_of`]).
///
/// # Safety
/// `l` must be the links of a live container (never a list sentinel).
#[inline]
pub(crate) unsafe fn header_of(l: *const GcLinks) -> *const Header {
    // SAFETY: the header follows the links directly, in the same allocation.
    unsafe { l.cast::<u8>().add(size_of::<GcLinks>()).cast::<Header>() }
}

impl Header {
    /// The current reference count (`Py_REFCNT`).
    #[inline]
    pub fn refcnt(&self) -> isize {
        self.refcnt.get()
    }

    #[inline]
    pub(crate) fn set_refcnt(&self, n: isize) {
        self.refcnt.set(n);
    }

    /// The payload type's vtable.
    #[inline]
    pub fn vtable(&self) -> &'static VTable {
        self.vtable
    }

    /// True for objects allocated by `Value::new_immortal`.
    #[inline]
    pub fn is_immortal(&self) -> bool {
        self.refcnt.get() >= IMMORTAL_REFCNT / 2
    }

    /// `Py_INCREF`. Touches nothing but the count.
    #[inline]
    pub fn incref(&self) {
        self.refcnt.set(self.refcnt.get() + 1);
    }

    /// `Py_DECREF`: decrement, and deallocate when the count reaches zero (the only path
    /// that touches the thread-local heap). An associated function rather than a method
    /// because the object may be freed before it returns.
    ///
    /// # Safety
    /// `this` must point at a live object's header and the caller must own one strong
    /// reference to it, which this call consumes. `this` may dangle afterwards.
    #[inline]
    pub unsafe fn decref(this: *const Header) {
        // SAFETY: the caller owns a reference, so the object is alive here; the `&Cell`
        // is not used after the store, before any deallocation.
        let rc = unsafe { &(*this).refcnt };
        let n = rc.get() - 1;
        rc.set(n);
        debug_assert!(n >= 0, "negative reference count");
        if n == 0 {
            // SAFETY: the count reached zero: no other reference exists.
            unsafe { crate::alloc::dealloc(this) }
        }
    }

    /// True for container objects (they carry `GcLinks` and flags).
    #[inline]
    pub fn is_container(&self) -> bool {
        self.vtable.container
    }

    /// The links of a container, `None` for atomic objects.
    #[inline]
    pub(crate) fn links(&self) -> Option<&GcLinks> {
        if self.vtable.container {
            // SAFETY: `self` is the header of a live container, whose links precede it in
            // the same allocation and live as long as it does.
            Some(unsafe { &*links_of(self) })
        } else {
            None
        }
    }

    /// The flag bits (empty for atomic objects).
    pub fn gc_flags(&self) -> GcFlags {
        self.links().map_or(GcFlags::empty(), GcLinks::flags)
    }

    /// `_PyGC_FINALIZED` (`gc.is_finalized`): false for atomic objects.
    pub fn is_finalized(&self) -> bool {
        self.links().is_some_and(|l| l.has(GcFlags::FINALIZED))
    }

    /// Mark the finalizer as run (no-op for atomic objects, which have no flag word).
    pub fn set_finalized(&self) {
        if let Some(l) = self.links() {
            l.set(GcFlags::FINALIZED, true);
        }
    }

    /// Whether weak references to the object may exist.
    pub fn has_weakrefs(&self) -> bool {
        self.links().is_some_and(|l| l.has(GcFlags::HAS_WEAKREFS))
    }

    /// Set by the VM when it creates the first weakref to the object, cleared when the
    /// list becomes empty. Only containers can be weakly referenced: calling this on an
    /// atomic object is a bug (debug assertion; ignored in release builds).
    pub fn set_has_weakrefs(&self, on: bool) {
        match self.links() {
            Some(l) => l.set(GcFlags::HAS_WEAKREFS, on),
            None => debug_assert!(!on, "only container objects can be weakly referenced"),
        }
    }

    /// `gc.is_tracked`: linked in a generation list.
    pub fn is_tracked(&self) -> bool {
        self.links().is_some_and(|l| l.has(GcFlags::TRACKED))
    }

    /// In the permanent generation (`gc.freeze`).
    pub fn is_frozen(&self) -> bool {
        self.links().is_some_and(|l| l.has(GcFlags::FROZEN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size_of::<Header>(), 16);
        assert_eq!(size_of::<GcLinks>(), 24);
    }

    #[test]
    fn refs_and_flags_share_the_word() {
        let l = GcLinks::new();
        l.set(GcFlags::FINALIZED | GcFlags::COLLECTING, true);
        l.set_gc_refs(12345);
        assert_eq!(l.gc_refs(), 12345);
        assert!(l.has(GcFlags::FINALIZED) && l.has(GcFlags::COLLECTING));
        l.dec_gc_refs();
        assert_eq!(l.gc_refs(), 12344);
        l.set(GcFlags::COLLECTING, false);
        assert_eq!(l.flags(), GcFlags::FINALIZED);
        l.set_gc_refs(usize::MAX);
        assert_eq!(l.gc_refs(), REFS_MAX);
        assert_eq!(l.flags(), GcFlags::FINALIZED);
    }
}
