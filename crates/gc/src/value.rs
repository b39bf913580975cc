//! `Value`: one machine word, either a tagged small int or an owned strong reference to a heap object.
//!
//! # Tag scheme
//!
//! ```text
//! ...iiiiiiii1   small int i (63-bit, two's complement), stored as (i << 1) | 1
//! ...pppp0000    non-null pointer to an object's Header (8-aligned, so the low bit is 0)
//! ```
//!
//! The word is never 0, so `Option<Value>` is one word too (both pinned by tests).
//! A pointer `Value` owns one reference: `Clone` increfs, `Drop` decrefs. Ints own nothing.

use crate::header::{Header, IMMORTAL_REFCNT};
use crate::trace::{payload, vtable_of, Trace};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::num::NonZeroUsize;

/// A Python value: a tagged small int or a strong reference to a heap object.
///
/// Not `Send`/`Sync`: the heap is thread-local.
#[repr(transparent)]
pub struct Value(NonZeroUsize, PhantomData<*const Header>);

impl Value {
    /// The smallest int representable inline: -2^62.
    pub const MIN_INT: i64 = -(1 << 62);
    /// The largest int representable inline: 2^62 - 1.
    pub const MAX_INT: i64 = (1 << 62) - 1;

    /// A small int, or `None` if `i` is outside `MIN_INT..=MAX_INT`.
    #[inline]
    pub fn int(i: i64) -> Option<Value> {
        if (Self::MIN_INT..=Self::MAX_INT).contains(&i) {
            Some(Self::from_int_unchecked(i))
        } else {
            None
        }
    }

    /// A small int without the range check: out-of-range values lose their top bit
    /// (never unsound, just wrong).
    #[inline]
    pub fn from_int_unchecked(i: i64) -> Value {
        let w = ((i << 1) | 1) as usize;
        // SAFETY: the low bit is set, so the word is not zero.
        Value(unsafe { NonZeroUsize::new_unchecked(w) }, PhantomData)
    }

    /// True for a tagged small int.
    #[inline]
    pub fn is_int(&self) -> bool {
        self.0.get() & 1 == 1
    }

    /// The small int, `None` for heap objects (including big ints).
    #[inline]
    pub fn as_int(&self) -> Option<i64> {
        if self.is_int() {
            Some((self.0.get() as i64) >> 1)
        } else {
            None
        }
    }

    /// True for a heap object.
    #[inline]
    pub fn is_ptr(&self) -> bool {
        !self.is_int()
    }

    /// Identity: same object, or equal small ints (word equality).
    #[inline]
    pub fn ptr_eq(&self, other: &Value) -> bool {
        self.0 == other.0
    }

    /// The word itself (the object's address for heap objects: `id()`).
    #[inline]
    pub fn raw(&self) -> usize {
        self.0.get()
    }

    /// The word of the value held in `cell` (0 when it holds None), read in place: an
    /// identity check (an inline cache comparing an instance's class) needs neither the
    /// `take`/`set` pair nor any refcount traffic.
    #[inline]
    pub fn raw_in_cell(cell: &std::cell::Cell<Option<Value>>) -> usize {
        const _: () = assert!(std::mem::size_of::<Option<Value>>() == std::mem::size_of::<usize>());
        // SAFETY: `Option<Value>` is one word whose None is 0 (the NonZeroUsize niche;
        // the size is asserted above). A `Cell` is not `Sync` and nothing runs during
        // this read, so the word is not being written; copying its bits creates no
        // `Value`, so no ownership is duplicated.
        unsafe { *(cell.as_ptr() as *const usize) }
    }

    /// Give up ownership without decref: the word, to be turned back with [`Value::from_raw`].
    #[inline]
    pub fn into_raw(self) -> usize {
        let w = self.0.get();
        std::mem::forget(self);
        w
    }

    /// Take ownership of a word produced by [`Value::into_raw`] (no refcount change).
    ///
    /// # Safety
    /// `w` must be a small-int word, or the address of a live object's header for which
    /// the caller owns one strong reference (transferred to the result).
    #[inline]
    pub unsafe fn from_raw(w: usize) -> Value {
        debug_assert!(w != 0);
        // SAFETY: per the contract `w` is a valid, hence non-zero, word.
        Value(unsafe { NonZeroUsize::new_unchecked(w) }, PhantomData)
    }

    /// A new strong reference from a borrowed word (increfs heap objects).
    ///
    /// # Safety
    /// `w` must be a small-int word or the address of a live object's header.
    #[inline]
    pub unsafe fn from_borrowed_raw(w: usize) -> Value {
        // SAFETY: forwarded contract; the incref below pays for the new reference.
        let v = unsafe { Value::from_raw(w) };
        if let Some(h) = v.header() {
            h.incref();
        }
        v
    }

    /// The header of a heap object.
    #[inline]
    pub fn header(&self) -> Option<&Header> {
        if self.is_ptr() {
            // SAFETY: a pointer `Value` owns a reference, so the header is alive at least
            // as long as `self` is borrowed.
            Some(unsafe { &*(self.0.get() as *const Header) })
        } else {
            None
        }
    }

    #[inline]
    pub(crate) fn header_ptr(&self) -> Option<*const Header> {
        if self.is_ptr() {
            Some(self.0.get() as *const Header)
        } else {
            None
        }
    }

    /// The `Trace::KIND` of a heap object.
    #[inline]
    pub fn kind(&self) -> Option<u32> {
        self.header().map(|h| h.vtable().kind)
    }

    /// The payload, if this is a heap object of payload type `T`.
    #[inline]
    pub fn downcast_ref<T: Trace>(&self) -> Option<&T> {
        let h = self.header()?;
        if h.vtable().kind != T::KIND {
            return None;
        }
        debug_assert_eq!(
            h.vtable().size,
            vtable_of::<T>().size,
            "two payload types share KIND {}",
            T::KIND
        );
        // SAFETY: `KIND` identifies the payload type (Trace contract rule 1), and the
        // payload lives as long as the reference `self` owns.
        Some(unsafe { payload::<T>(h) })
    }

    /// The payload of an atomic object (one holding no references) for writing, when
    /// this `Value` holds its only reference: as `Rc::get_mut`, nothing else can see the
    /// change. Arithmetic writes its result into a temporary operand this way instead of
    /// freeing that object and allocating another (`(a * b) + c` makes one float).
    #[inline]
    pub fn get_mut<T: Trace>(&mut self) -> Option<&mut T> {
        if T::CONTAINER {
            return None;
        }
        let h = self.header_ptr()?;
        {
            // SAFETY: a pointer `Value` keeps its object's header alive.
            let hr = unsafe { &*h };
            if hr.vtable().kind != T::KIND || hr.refcnt() != 1 {
                return None;
            }
        }
        // SAFETY: `KIND` identifies the payload type (Trace contract rule 1). The refcount
        // is 1 and `self` owns that reference, so no other `Value` reaches the object, and
        // `&mut self` keeps borrows through this one away while the result lives. Atomic
        // objects are neither tracked nor weakly referenced, so the collector never reads
        // them either.
        Some(unsafe { &mut (*(h as *mut crate::trace::Obj<T>)).payload })
    }

    /// True if this is a heap object of payload type `T`.
    #[inline]
    pub fn is<T: Trace>(&self) -> bool {
        self.kind() == Some(T::KIND)
    }

    /// The reference count of a heap object (0 for small ints).
    #[inline]
    pub fn refcnt(&self) -> isize {
        self.header().map_or(0, Header::refcnt)
    }

    /// Allocate a heap object holding `payload` (refcount 1; containers are tracked in
    /// generation 0). Aborts on allocation failure; see [`Value::try_new`].
    pub fn new<T: Trace>(payload: T) -> Value {
        match crate::alloc::try_alloc(payload, false) {
            Ok(v) => v,
            Err(_) => std::alloc::handle_alloc_error(
                std::alloc::Layout::from_size_align(vtable_of::<T>().size, vtable_of::<T>().align)
                    .expect("layout"),
            ),
        }
    }

    /// Like [`Value::new`], but reports allocation failure (the VM raises `MemoryError`).
    pub fn try_new<T: Trace>(payload: T) -> Result<Value, crate::AllocError> {
        crate::alloc::try_alloc(payload, false)
    }

    /// Allocate an object that is never freed (None, True, False, Ellipsis,
    /// NotImplemented): refcount [`IMMORTAL_REFCNT`], never tracked, not counted in
    /// generation 0.
    pub fn new_immortal<T: Trace>(payload: T) -> Value {
        match crate::alloc::try_alloc(payload, true) {
            Ok(v) => v,
            Err(_) => std::alloc::handle_alloc_error(
                std::alloc::Layout::from_size_align(vtable_of::<T>().size, vtable_of::<T>().align)
                    .expect("layout"),
            ),
        }
    }

    /// The type name of the vtable (`T::NAME`), `"int"` for small ints.
    pub fn type_name(&self) -> &'static str {
        self.header().map_or("int", |h| h.vtable().name)
    }
}

const _: () = assert!(IMMORTAL_REFCNT > 0);

impl Clone for Value {
    #[inline]
    fn clone(&self) -> Value {
        if let Some(h) = self.header() {
            h.incref();
        }
        Value(self.0, PhantomData)
    }
}

impl Drop for Value {
    #[inline]
    fn drop(&mut self) {
        if let Some(h) = self.header_ptr() {
            // SAFETY: a pointer `Value` owns one reference, consumed here.
            unsafe { Header::decref(h) }
        }
    }
}

impl PartialEq for Value {
    /// Identity (word equality), not Python `==`.
    #[inline]
    fn eq(&self, other: &Value) -> bool {
        self.ptr_eq(other)
    }
}

impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.get().hash(state);
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_int() {
            Some(i) => write!(f, "{i}"),
            None => write!(f, "<{} {:#x}>", self.type_name(), self.raw()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::size_of;

    #[test]
    fn one_word() {
        assert_eq!(size_of::<Value>(), 8);
        assert_eq!(size_of::<Option<Value>>(), 8);
    }

    #[test]
    fn ints() {
        for i in [0, 1, -1, 42, -42, Value::MIN_INT, Value::MAX_INT] {
            let v = Value::int(i).unwrap();
            assert!(v.is_int() && !v.is_ptr());
            assert_eq!(v.as_int(), Some(i));
            assert_eq!(v.refcnt(), 0);
            assert!(v.header().is_none());
            assert_eq!(v.clone(), v);
        }
        assert!(Value::int(Value::MAX_INT + 1).is_none());
        assert!(Value::int(Value::MIN_INT - 1).is_none());
        assert!(Value::int(i64::MAX).is_none());
        assert_eq!(format!("{:?}", Value::int(-7).unwrap()), "-7");
        let w = Value::int(5).unwrap().into_raw();
        // SAFETY: `w` came from `into_raw` of a small int.
        assert_eq!(unsafe { Value::from_raw(w) }.as_int(), Some(5));
    }
}
