//! Instances of user-defined classes (and of built-in exception types). Attributes are
//! kept inline, in insertion order, until `__dict__` is asked for: then a real dict is
//! materialised and used from then on (CPython 3.11's inline values).

use super::exception::ExcData;
use super::kind;
use pyvm_gc::{Trace, Value};
use std::cell::{Cell, OnceCell, RefCell};

pub enum Attrs {
    Inline(Vec<(Value, Value)>),
    Dict(Value),
}

pub struct Instance {
    pub attrs: RefCell<Attrs>,
    /// What only some instances need (exception state, a built-in base value, slot
    /// values), allocated on first use so a plain instance stays small.
    extra: OnceCell<Box<InstanceExtra>>,
    /// The class (`__class__`). Declared last: CPython releases the type after the
    /// attributes. A `Cell` (8 bytes, always `Some` between calls) rather than a
    /// `RefCell` keeps the payload at 48 bytes, one malloc size class below 56.
    cls: Cell<Option<Value>>,
}

#[derive(Default)]
struct InstanceExtra {
    /// Values of attributes declared in `__slots__` (name, value), kept apart from the
    /// instance dict.
    slots: RefCell<Vec<(Value, Value)>>,
    /// Exception state, for instances of BaseException subclasses (boxed: most extras
    /// are slot values or a built-in base, which should not pay for it).
    exc: Option<Box<RefCell<ExcData>>>,
    /// The built-in value for instances of subclasses of built-in types (list, int, ...).
    base_value: RefCell<Option<Value>>,
}

// SAFETY: visits attributes, slots, exception state, the base value and the class.
unsafe impl Trace for Instance {
    const KIND: u32 = kind::INSTANCE;
    const NAME: &'static str = "object";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        let extra = self.extra.get();
        if let Some(Ok(s)) = extra.map(|e| e.slots.try_borrow()) {
            for (_, v) in s.iter() {
                visit(v);
            }
        }
        if let Ok(a) = self.attrs.try_borrow() {
            match &*a {
                Attrs::Inline(v) => {
                    for (_, x) in v {
                        visit(x);
                    }
                }
                Attrs::Dict(d) => visit(d),
            }
        }
        if let Some(Ok(e)) = extra.and_then(|e| e.exc.as_ref()).map(|e| e.try_borrow()) {
            e.trace(visit);
        }
        if let Some(Ok(b)) = extra.map(|e| e.base_value.try_borrow()) {
            if let Some(v) = &*b {
                visit(v);
            }
        }
        let cls = self.cls.take();
        if let Some(c) = &cls {
            visit(c);
        }
        self.cls.set(cls);
    }
    fn clear(&self) {
        let extra = self.extra.get();
        if let Some(e) = extra {
            let old_slots = std::mem::take(&mut *e.slots.borrow_mut());
            drop(old_slots);
        }
        let old = std::mem::replace(&mut *self.attrs.borrow_mut(), Attrs::Inline(Vec::new()));
        drop(old);
        let Some(extra) = extra else { return };
        if let Some(e) = &extra.exc {
            let taken = e.borrow_mut().take_refs();
            drop(taken);
        }
        // A mutable built-in base (list, dict, set) is cleared as CPython's tp_clear
        // would; immutable ones (tuple, frozenset, ...) have no tp_clear and stay intact.
        let immutable = extra.base_value.borrow().as_ref().is_some_and(|b| {
            matches!(b.kind(), Some(kind::TUPLE | kind::INT | kind::STR | kind::BYTES | kind::FLOAT | kind::COMPLEX))
                || b.downcast_ref::<super::Set>().is_some_and(|s| s.frozen)
        });
        if !immutable {
            let b = extra.base_value.borrow_mut().take();
            drop(b);
        }
    }
    fn has_finalizer(&self) -> bool {
        self.cls().downcast_ref::<super::Type>().is_some_and(|t| t.flags.get().has_del)
    }
}

/// Append an attribute or slot value, growing a small vector one entry at a time up to
/// `hint` entries (exact capacity, as CPython sizes values arrays), then doubling.
pub fn push_attr(v: &mut Vec<(Value, Value)>, entry: (Value, Value), hint: usize) {
    if v.len() == v.capacity() {
        let extra = if v.is_empty() { hint.max(1) } else if v.len() < hint { hint - v.len() } else { v.len() };
        v.reserve_exact(extra);
    }
    v.push(entry);
}

impl Instance {
    pub fn new(cls: Value, exc: bool) -> Instance {
        let extra = OnceCell::new();
        if exc {
            let _ = extra.set(Box::new(InstanceExtra { exc: Some(Box::new(RefCell::new(ExcData::default()))), ..Default::default() }));
        }
        Instance { attrs: RefCell::new(Attrs::Inline(Vec::new())), extra, cls: Cell::new(Some(cls)) }
    }

    /// The instance's class (a new reference).
    #[inline]
    pub fn cls(&self) -> Value {
        let cls = self.cls.take().expect("instance without a class");
        let copy = cls.clone();
        self.cls.set(Some(cls));
        copy
    }

    /// The address of the instance's class (for inline caches: no reference taken).
    #[inline]
    pub fn cls_raw(&self) -> usize {
        let cls = self.cls.take();
        let raw = cls.as_ref().map_or(0, |c| c.raw());
        self.cls.set(cls);
        raw
    }

    /// Assign `__class__`; returns the old class.
    pub fn set_cls(&self, cls: Value) -> Value {
        self.cls.replace(Some(cls)).expect("instance without a class")
    }

    fn extra(&self) -> &InstanceExtra {
        self.extra.get_or_init(Default::default)
    }

    /// Exception state (instances of BaseException subclasses).
    #[inline]
    pub fn exc(&self) -> Option<&RefCell<ExcData>> {
        self.extra.get().and_then(|e| e.exc.as_deref())
    }

    /// The built-in value wrapped by an instance of a subclass of a built-in type.
    #[inline]
    pub fn base_value(&self) -> Option<Value> {
        self.extra.get().and_then(|e| e.base_value.borrow().clone())
    }

    pub fn set_base_value(&self, v: Option<Value>) {
        let old = std::mem::replace(&mut *self.extra().base_value.borrow_mut(), v);
        drop(old);
    }

    /// Does the instance hold any `__slots__` values?
    #[inline]
    pub fn has_slot_values(&self) -> bool {
        self.extra.get().is_some_and(|e| !e.slots.borrow().is_empty())
    }

    /// The `__slots__` values kept apart from an instance dict, if any were stored
    /// (never allocates; classes without `__dict__` keep slot values inline instead).
    #[inline]
    pub fn slot_values(&self) -> Option<&RefCell<Vec<(Value, Value)>>> {
        self.extra.get().map(|e| &e.slots)
    }

    /// The `__slots__` values (name, value); created empty on first use.
    pub fn slots(&self) -> &RefCell<Vec<(Value, Value)>> {
        &self.extra().slots
    }
}

#[cfg(test)]
mod tests {
    /// A plain instance is four words and one borrow flag; the rarely used parts are
    /// behind one pointer.
    #[test]
    fn instance_is_small() {
        assert!(std::mem::size_of::<super::Instance>() <= 48, "{}", std::mem::size_of::<super::Instance>());
        assert!(std::mem::size_of::<super::InstanceExtra>() <= 64, "{}", std::mem::size_of::<super::InstanceExtra>());
    }
}
