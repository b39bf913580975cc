//! `type` payload: classes, built-in and user-defined. Attribute lookup walks `mro`;
//! `flags` caches which special methods the MRO defines (`__del__`, `__getattr__`, ...),
//! refreshed whenever a class attribute changes.

use super::kind;
use pyvm_gc::{Trace, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

#[derive(Clone, Copy, Default, Debug)]
pub struct TypeFlags {
    pub has_del: bool,
    pub has_getattr: bool,
    pub has_getattribute: bool,
    pub has_setattr: bool,
    pub has_delattr: bool,
    pub is_exception: bool,
    /// Instances can have arbitrary attributes (user classes).
    pub has_dict: bool,
    /// Instances have `__slots__` only.
    pub slotted: bool,
    /// The type's own `__abstractmethods__` is non-empty (Py_TPFLAGS_IS_ABSTRACT):
    /// object.__new__ refuses to instantiate it.
    pub is_abstract: bool,
    /// A class the interpreter made for itself at start-up (the prelude's, the struct
    /// sequences of sys): its cycles are not the program's, and `--cycles` leaves them
    /// out of its report.
    pub internal: bool,
}

pub struct Type {
    pub name: RefCell<Rc<str>>,
    pub qualname: RefCell<Rc<str>>,
    pub module: RefCell<Option<Value>>,
    pub bases: RefCell<Vec<Value>>,
    /// The method resolution order without the type itself (`__mro__[1:]`).
    pub mro: RefCell<Vec<Value>>,
    /// The class namespace (a dict).
    pub dict: Value,
    /// Payload kind of instances (`kind::INSTANCE` for user classes).
    pub instance_kind: u32,
    /// The nearest built-in base type's instance kind (for subclasses of list, int, ...).
    pub builtin_base: u32,
    /// User-defined (heap) type: attributes may be set on it.
    pub heap: bool,
    pub flags: Cell<TypeFlags>,
    /// The metaclass when it is not `type`.
    pub meta: RefCell<Option<Value>>,
    /// Attribute names allowed by `__slots__` (this class and its bases), when instances
    /// have no `__dict__`.
    pub slot_names: RefCell<Vec<String>>,
    /// Direct subclasses, held weakly (`type.__subclasses__()`).
    pub subclasses: RefCell<Vec<pyvm_gc::WeakAddr>>,
    /// The objects CPython allocates with every class besides the type and its dict:
    /// the `__mro__` and `__bases__` tuples and the `__dict__`/`__weakref__` getset
    /// descriptors. They hold the same references as in CPython (the MRO tuple and the
    /// descriptors refer back to the class), so a dead class is the same garbage for
    /// `gc.collect()` to count.
    pub gc_extras: RefCell<Vec<Value>>,
    /// The attribute names its instances share (CPython's shared keys of split
    /// dicts): an instance in `Attrs::Split` form stores only the values of the first
    /// few of these keys, in this order. Append-only, so a key's index never changes;
    /// at most `SHARED_KEYS_MAX` names. Each with its hash, so that looking a name up
    /// compares hashes side by side before touching any key.
    pub shared_keys: RefCell<Vec<(i64, Value)>>,
    /// One bit per shared key (`shared_key_bit` of its hash): a name whose bit is
    /// clear is not a shared key, which is what a method lookup on an instance
    /// usually needs to know, without scanning the keys.
    pub shared_keys_bloom: Cell<u64>,
}

/// The bit of `shared_keys_bloom` that a name with this hash sets.
#[inline]
pub fn shared_key_bit(hash: i64) -> u64 {
    1 << ((hash as u64) & 63)
}

/// The most keys a class shares (CPython's SHARED_KEYS_MAX_SIZE).
pub const SHARED_KEYS_MAX: usize = 30;

/// A getset descriptor of a class (`__dict__`, `__weakref__`), kept for its memory
/// footprint and references (see `Type::gc_extras`).
pub struct GetSetDescr {
    pub owner: Value,
}

// SAFETY: visits the owning class.
unsafe impl Trace for GetSetDescr {
    const KIND: u32 = kind::GETSET;
    const NAME: &'static str = "getset_descriptor";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.owner);
    }
}

// SAFETY: visits the namespace, bases, MRO (skipping itself), module and metaclass.
unsafe impl Trace for Type {
    const KIND: u32 = kind::TYPE;
    const NAME: &'static str = "type";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.dict);
        if let Ok(b) = self.bases.try_borrow() {
            for v in b.iter() {
                visit(v);
            }
        }
        if let Ok(m) = self.mro.try_borrow() {
            for v in m.iter() {
                visit(v);
            }
        }
        if let Ok(m) = self.module.try_borrow() {
            if let Some(v) = &*m {
                visit(v);
            }
        }
        if let Ok(m) = self.meta.try_borrow() {
            if let Some(v) = &*m {
                visit(v);
            }
        }
        if let Ok(x) = self.gc_extras.try_borrow() {
            for v in x.iter() {
                visit(v);
            }
        }
        if let Ok(k) = self.shared_keys.try_borrow() {
            for (_, v) in k.iter() {
                visit(v);
            }
        }
    }
    fn clear(&self) {
        let b = std::mem::take(&mut *self.bases.borrow_mut());
        let m = std::mem::take(&mut *self.mro.borrow_mut());
        let x = std::mem::take(&mut *self.gc_extras.borrow_mut());
        drop(x);
        super::dict::bump_type_epoch();
        drop(m);
        drop(b);
        if let Some(d) = self.dict.downcast_ref::<super::Dict>() {
            d.clear_all();
        }
    }
}

impl super::Dict {
    /// Drop every entry (tp_clear).
    pub fn clear_all(&self) {
        let old = self.table.borrow_mut().clear();
        drop(old);
    }
}
