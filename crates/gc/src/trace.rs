//! The `Trace` trait the VM implements for every payload type, and the per-type `VTable` the collector reads through a type-erased header.

use crate::header::{GcLinks, Header};
use crate::value::Value;
use std::mem::{align_of, size_of};

/// A Rust type that can be the payload of a heap object.
///
/// The collector never knows Python types: it reaches a payload only through the
/// [`VTable`] generated from this trait.
///
/// # Safety
///
/// Implementors promise:
///
/// 1. `KIND` is distinct for every payload type: [`Value::downcast_ref`] trusts it to
///    reinterpret the payload, so two types sharing a `KIND` is undefined behaviour.
/// 2. `trace` visits **every** strong reference (`Value`) the object owns, each exactly
///    once, in CPython's `tp_traverse` order. A missed reference makes the collector
///    believe the referent is referenced from outside (a leak); a visited reference that
///    is not owned makes it believe the referent is garbage (a use-after-free).
///    A type whose references sit behind a `RefCell` may skip them while the cell is
///    mutably borrowed, provided it skips them consistently for the whole collection
///    (nothing runs between the phases that trace, so this holds if the borrow is not
///    held across a safe point).
/// 3. `trace` does not allocate heap objects, does not create or drop `Value`s (no
///    incref/decref), and runs no Python code. It only reads.
/// 4. `clear` (CPython's `tp_clear`) may drop any of the references the object holds
///    (through interior mutability), which may free other objects and run finalizers.
///    The object itself stays valid: the caller holds a strong reference during the call.
///    Afterwards `trace` must only visit the references that remain.
/// 5. `has_finalizer` runs no Python code and does not change reference counts.
/// 6. Types with `CONTAINER == false` own no `Value` at all (they are never traced and
///    cannot be part of a cycle), and cannot be weakly referenced.
/// 7. `Drop` of the payload may drop `Value`s (that is how children are released when
///    the object dies); it must not expose the dying object again.
pub unsafe trait Trace: 'static + Sized {
    /// VM type tag; distinct per payload type.
    const KIND: u32;
    /// Type name used in debug output (`gc: collectable <NAME 0x...>`) and `Debug`.
    const NAME: &'static str;
    /// True for types that can hold references (get GcLinks, are tracked at allocation).
    const CONTAINER: bool;
    /// Which collections may untrack an object of this type whose children are all
    /// untracked or atomic (CPython's `untrack_tuples` / `untrack_dicts`).
    const UNTRACK: Untrack = Untrack::Never;
    /// Visit every owned strong reference (Value) exactly once, in the CPython tp_traverse order.
    fn trace(&self, _visit: &mut dyn FnMut(&Value)) {}
    /// tp_clear: drop the references this object holds, to break cycles (interior mutability).
    fn clear(&self) {}
    /// True when this object has a finalizer that must run before it is freed (e.g. an
    /// instance whose class defines `__del__`).
    fn has_finalizer(&self) -> bool {
        false
    }
    /// CPython keeps free lists for some containers (list, dict, tuples by length), and
    /// an object taken from or returned to one is not counted in `gc.get_count()`: the
    /// count only moves on real allocations and frees. The collector reproduces that
    /// counting (not the memory reuse) with a virtual free list per class.
    fn freelist(&self) -> FreeList {
        FreeList::None
    }
}

/// The free-list behaviour of an object for allocation counting (see `Trace::freelist`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FreeList {
    /// Every allocation and free is counted.
    None,
    /// Never counted (CPython's singletons, such as the empty tuple).
    Never,
    /// Counted unless the virtual free list `class` (< `FREELIST_CLASSES`) can absorb it.
    Class(u8),
}

/// Number of virtual free-list classes.
pub const FREELIST_CLASSES: usize = 24;

/// When the collector may untrack a container that only holds untracked/atomic objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Untrack {
    /// Never (the default).
    Never,
    /// In every collection, for survivors of the collected generation: exact tuples
    /// (`_PyTuple_MaybeUntrack`). A child of this kind counts as "may be tracked" only if
    /// it is currently tracked.
    AnyCollection,
    /// In full (generation 2) collections only: exact dicts (`_PyDict_MaybeUntrack`,
    /// issue #14775).
    FullCollection,
}

/// Type-erased `Trace::trace`: the header of the object, the visitor.
pub type TraceFn = unsafe fn(*const Header, &mut dyn FnMut(&Value));

/// The per-payload-type table of facts and type-erased functions the collector uses.
///
/// Obtain it with [`vtable_of`]. Compare vtables by `kind`, never by address (constant
/// promotion may duplicate a vtable per codegen unit).
pub struct VTable {
    /// `T::KIND`.
    pub kind: u32,
    /// `T::NAME`.
    pub name: &'static str,
    /// `T::CONTAINER`: allocated with `GcLinks`, tracked at allocation.
    pub container: bool,
    /// `T::UNTRACK`.
    pub untrack: Untrack,
    /// Size of the whole allocation (prefix + header + payload).
    pub size: usize,
    /// Alignment of the whole allocation.
    pub align: usize,
    /// Bytes from the start of the allocation to the `Header` (0 for atomic objects,
    /// `size_of::<GcLinks>()` rounded up to the payload's alignment for containers).
    pub prefix: usize,
    /// `T::trace` on the payload of the object whose header is given.
    pub trace: TraceFn,
    /// `T::clear`.
    pub clear: unsafe fn(*const Header),
    /// `T::has_finalizer`.
    pub has_finalizer: unsafe fn(*const Header) -> bool,
    /// Drop the payload in place (the memory is freed by the caller).
    pub drop_payload: unsafe fn(*const Header),
    /// Does the payload have drop glue (`std::mem::needs_drop`)? A float's does not:
    /// its deallocation is only freeing the block.
    pub needs_drop: bool,
    /// `T::freelist`.
    pub freelist: unsafe fn(*const Header) -> FreeList,
}

/// An object as laid out in memory: the header, then the payload.
#[repr(C)]
pub struct Obj<T> {
    pub(crate) header: Header,
    pub(crate) payload: T,
}

/// The payload of the object whose header is `h`.
///
/// # Safety
/// `h` must be the header of a live object whose payload type is `T`.
#[inline]
pub(crate) unsafe fn payload<'a, T>(h: *const Header) -> &'a T {
    // SAFETY: per the contract, `h` starts an `Obj<T>` (header first, `#[repr(C)]`).
    unsafe { &(*h.cast::<Obj<T>>()).payload }
}

unsafe fn trace_thunk<T: Trace>(h: *const Header, visit: &mut dyn FnMut(&Value)) {
    // SAFETY: the vtable of `T` is only installed in headers of `Obj<T>`.
    unsafe { payload::<T>(h) }.trace(visit);
}

unsafe fn clear_thunk<T: Trace>(h: *const Header) {
    // SAFETY: as in `trace_thunk`.
    unsafe { payload::<T>(h) }.clear();
}

unsafe fn has_finalizer_thunk<T: Trace>(h: *const Header) -> bool {
    // SAFETY: as in `trace_thunk`.
    unsafe { payload::<T>(h) }.has_finalizer()
}

unsafe fn freelist_thunk<T: Trace>(h: *const Header) -> FreeList {
    // SAFETY: as in `trace_thunk`.
    unsafe { payload::<T>(h) }.freelist()
}

unsafe fn drop_thunk<T: Trace>(h: *const Header) {
    // SAFETY: as in `trace_thunk`; the caller (dealloc) drops each payload exactly once
    // and never touches it again.
    unsafe { std::ptr::drop_in_place(std::ptr::addr_of!((*h.cast::<Obj<T>>()).payload).cast_mut()) }
}

const fn max(a: usize, b: usize) -> usize {
    if a > b {
        a
    } else {
        b
    }
}

/// Generates the vtable of every `Trace` type (blanket impl; do not implement by hand).
pub trait VTableOf {
    /// The vtable. Use [`vtable_of`] to get a `&'static` to it.
    const VTABLE: VTable;
}

impl<T: Trace> VTableOf for T {
    const VTABLE: VTable = {
        let obj_align = align_of::<Obj<T>>();
        let obj_size = size_of::<Obj<T>>();
        let prefix = if T::CONTAINER {
            size_of::<GcLinks>().div_ceil(obj_align) * obj_align
        } else {
            0
        };
        VTable {
            kind: T::KIND,
            name: T::NAME,
            container: T::CONTAINER,
            untrack: T::UNTRACK,
            size: prefix + obj_size,
            align: max(obj_align, align_of::<GcLinks>()),
            prefix,
            trace: trace_thunk::<T>,
            clear: clear_thunk::<T>,
            has_finalizer: has_finalizer_thunk::<T>,
            freelist: freelist_thunk::<T>,
            drop_payload: drop_thunk::<T>,
            needs_drop: std::mem::needs_drop::<T>(),
        }
    };
}

/// The `'static` vtable of `T` (constant promotion of `<T as VTableOf>::VTABLE`).
#[inline]
pub fn vtable_of<T: Trace>() -> &'static VTable {
    &<T as VTableOf>::VTABLE
}
