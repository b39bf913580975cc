//! Instances of user-defined classes (and of built-in exception types). Attributes are
//! kept inline, in insertion order, until `__dict__` is asked for: then a real dict is
//! materialised and used from then on (CPython 3.11's inline values).

use super::exception::ExcData;
use super::kind;
use pyvm_gc::{Trace, Value};
use std::cell::RefCell;

pub enum Attrs {
    Inline(Vec<(Value, Value)>),
    Dict(Value),
}

pub struct Instance {
    pub attrs: RefCell<Attrs>,
    /// Exception state, for instances of BaseException subclasses.
    pub exc: Option<Box<RefCell<ExcData>>>,
    /// The built-in value for instances of subclasses of built-in types (list, int, ...).
    pub base_value: RefCell<Option<Value>>,
    /// Values of attributes declared in `__slots__` (name, value), kept apart from the
    /// instance dict.
    pub slots: RefCell<Vec<(Value, Value)>>,
    /// Declared last: CPython releases the type after the attributes.
    pub cls: RefCell<Value>,
}

// SAFETY: visits attributes, slots, exception state, the base value and the class.
unsafe impl Trace for Instance {
    const KIND: u32 = kind::INSTANCE;
    const NAME: &'static str = "object";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        if let Ok(s) = self.slots.try_borrow() {
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
        if let Some(e) = &self.exc {
            if let Ok(e) = e.try_borrow() {
                e.trace(visit);
            }
        }
        if let Ok(b) = self.base_value.try_borrow() {
            if let Some(v) = &*b {
                visit(v);
            }
        }
        if let Ok(c) = self.cls.try_borrow() {
            visit(&c);
        }
    }
    fn clear(&self) {
        let old_slots = std::mem::take(&mut *self.slots.borrow_mut());
        drop(old_slots);
        let old = std::mem::replace(&mut *self.attrs.borrow_mut(), Attrs::Inline(Vec::new()));
        drop(old);
        if let Some(e) = &self.exc {
            let taken = e.borrow_mut().take_refs();
            drop(taken);
        }
        // A mutable built-in base (list, dict, set) is cleared as CPython's tp_clear
        // would; immutable ones (tuple, frozenset, ...) have no tp_clear and stay intact.
        let immutable = self.base_value.borrow().as_ref().is_some_and(|b| {
            matches!(b.kind(), Some(kind::TUPLE | kind::INT | kind::STR | kind::BYTES | kind::FLOAT | kind::COMPLEX))
                || b.downcast_ref::<super::Set>().is_some_and(|s| s.frozen)
        });
        if !immutable {
            let b = self.base_value.borrow_mut().take();
            drop(b);
        }
    }
    fn has_finalizer(&self) -> bool {
        self.cls
            .try_borrow()
            .ok()
            .and_then(|c| c.downcast_ref::<super::Type>().map(|t| t.flags.get().has_del))
            .unwrap_or(false)
    }
}

impl Instance {
    pub fn new(cls: Value, exc: bool) -> Instance {
        Instance {
            attrs: RefCell::new(Attrs::Inline(Vec::new())),
            exc: if exc { Some(Box::new(RefCell::new(ExcData::default()))) } else { None },
            base_value: RefCell::new(None),
            slots: RefCell::new(Vec::new()),
            cls: RefCell::new(cls),
        }
    }
}
