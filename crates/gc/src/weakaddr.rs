//! Weak addresses: how the VM refers to an object without owning it (weak references).
//!
//! `WeakAddr::new(&v)` registers a container object as weakly referenced (HAS_WEAKREFS)
//! in a per-thread set of live registered addresses; `upgrade()` turns the address back
//! into a strong `Value` only while the object is in that set. The gc crate removes an
//! object from the set when it starts dying (before the VM's `clear_weakrefs` hook runs
//! and before its memory is freed), so an upgrade can never reach freed memory.

use crate::value::Value;
use std::cell::RefCell;
use std::collections::HashSet;

thread_local! {
    static LIVE: RefCell<HashSet<usize>> = RefCell::new(HashSet::new());
}

/// The address of a weakly referenced container object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WeakAddr(usize);

impl WeakAddr {
    /// Register `v` for weak references. Only containers (objects with gc links) can be
    /// weakly referenced; returns None for others.
    pub fn new(v: &Value) -> Option<WeakAddr> {
        let h = v.header()?;
        if !h.is_container() {
            return None;
        }
        h.set_has_weakrefs(true);
        LIVE.with(|l| l.borrow_mut().insert(v.raw()));
        Some(WeakAddr(v.raw()))
    }

    /// A strong reference to the object if it is still alive.
    pub fn upgrade(self) -> Option<Value> {
        if !LIVE.with(|l| l.borrow().contains(&self.0)) {
            return None;
        }
        // SAFETY: addresses in LIVE belong to registered objects that have not started
        // dying: `forget` removes them before the object's memory can be freed, so the
        // word still points at a live header; `from_borrowed_raw` takes a new reference.
        Some(unsafe { Value::from_borrowed_raw(self.0) })
    }

    pub fn addr(self) -> usize {
        self.0
    }
}

/// The object at `addr` is dying: weak addresses to it no longer upgrade.
pub(crate) fn forget(addr: usize) {
    LIVE.with(|l| {
        l.borrow_mut().remove(&addr);
    });
}
