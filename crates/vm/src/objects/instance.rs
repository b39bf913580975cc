//! Instances of user-defined classes (and of built-in exception types). Attributes are
//! kept inline until `__dict__` is asked for: then a real dict is materialised and used
//! from then on (CPython 3.11's inline values). Inline attributes are in one of two
//! forms: split -- only the values, of the class's shared keys in key order, 8 bytes an
//! attribute (CPython's split dicts) -- while the instance sets its attributes in the
//! order its class's first instances did; otherwise (key, value) pairs in insertion
//! order.

use super::exception::ExcData;
use super::kind;
use super::typeobj::SHARED_KEYS_MAX;
use super::{Str, Type};
use pyvm_gc::{Trace, Value};
use std::cell::{Cell, OnceCell, RefCell};

/// How many split values an instance holds in place.
pub const SMALL_ATTRS: usize = 3;

pub enum Attrs {
    /// Split, at most three values, held in place (no allocation): the first `None` ends
    /// them. Most instances have one to three attributes (a tree node, a point).
    Small([Option<Value>; SMALL_ATTRS]),
    /// `values[i]` is the attribute named `cls.shared_keys[i]`; the instance has exactly
    /// the first `values.len()` shared keys, set in that order.
    Split(Vec<Value>),
    /// (name, value) in insertion order (boxed: the rare form, and the box keeps `Attrs`
    /// at three words).
    Inline(Box<Vec<(Value, Value)>>),
    /// The materialised `__dict__`.
    Dict(Value),
}

impl Attrs {
    /// No attributes yet.
    pub const EMPTY: Attrs = Attrs::Small([None, None, None]);

    /// How many values a split instance has (None: not split).
    #[inline]
    pub fn split_len(&self) -> Option<usize> {
        match self {
            Attrs::Small(s) => Some(s.iter().take_while(|v| v.is_some()).count()),
            Attrs::Split(v) => Some(v.len()),
            _ => None,
        }
    }

    /// Value `i` of a split instance.
    #[inline]
    pub fn split_get(&self, i: usize) -> Option<&Value> {
        match self {
            Attrs::Small(s) => s.get(i)?.as_ref(),
            Attrs::Split(v) => v.get(i),
            _ => None,
        }
    }

    /// Replace value `i` (below `split_len`) of a split instance; returns the old one.
    #[inline]
    pub fn split_replace(&mut self, i: usize, value: Value) -> Option<Value> {
        match self {
            Attrs::Small(s) => s.get_mut(i)?.replace(value),
            Attrs::Split(v) => Some(std::mem::replace(v.get_mut(i)?, value)),
            _ => None,
        }
    }

    /// Append the next value of a split instance, whose class shares `nkeys` keys (the
    /// room reserved when the values move out of place; 0 when the instance already has
    /// values and the caller did not look).
    pub fn split_push(&mut self, value: Value, nkeys: usize) {
        match self {
            Attrs::Small(s) => {
                // Classes with more keys than fit in place keep their values out of place
                // from the first one (reserved for all of them).
                let n = s.iter().take_while(|v| v.is_some()).count();
                let fits = if n == 0 { nkeys <= SMALL_ATTRS } else { n < SMALL_ATTRS };
                if fits {
                    s[n] = Some(value);
                    return;
                }
                let mut v = Vec::with_capacity(nkeys.max(SMALL_ATTRS + 1));
                v.extend(s.iter_mut().filter_map(|x| x.take()));
                v.push(value);
                *self = Attrs::Split(v);
            }
            Attrs::Split(v) => v.push(value),
            _ => unreachable!("split_push on unsplit attributes"),
        }
    }

    /// The values of a split instance, in key order.
    fn split_values(&self) -> impl Iterator<Item = &Value> {
        let (small, vec): (&[Option<Value>], &[Value]) = match self {
            Attrs::Small(s) => (s, &[]),
            Attrs::Split(v) => (&[], v),
            _ => (&[], &[]),
        };
        small.iter().flatten().chain(vec.iter())
    }

    /// Take the values of a split instance out (None: not split).
    fn split_take(&mut self) -> Option<Vec<Value>> {
        match self {
            Attrs::Small(s) => Some(s.iter_mut().filter_map(|x| x.take()).collect()),
            Attrs::Split(v) => Some(std::mem::take(v)),
            _ => None,
        }
    }
}

/// Where an instance keeps attribute `name` (see `Instance::own_attr`).
pub enum OwnAttr {
    Found(Value),
    Absent,
    /// The instance has a real `__dict__`: look there.
    InDict(Value),
}

/// Is `k` the attribute name `name`: the same string object, or an equal `str`?
#[inline]
pub fn same_name(k: &Value, name: &Value) -> bool {
    k.ptr_eq(name)
        || match (k.downcast_ref::<Str>(), name.downcast_ref::<Str>()) {
            (Some(a), Some(b)) => a.hash() == b.hash() && a.s == b.s,
            _ => false,
        }
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
                Attrs::Small(_) | Attrs::Split(_) => {
                    for x in a.split_values() {
                        visit(x);
                    }
                }
                Attrs::Inline(v) => {
                    for (_, x) in v.iter() {
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
        let old = std::mem::replace(&mut *self.attrs.borrow_mut(), Attrs::EMPTY);
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
        Instance { attrs: RefCell::new(Attrs::EMPTY), extra, cls: Cell::new(Some(cls)) }
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
        Value::raw_in_cell(&self.cls)
    }

    /// Assign `__class__`; returns the old class. Split attributes are keyed by the old
    /// class's shared keys, so they become pairs first.
    pub fn set_cls(&self, cls: Value) -> Value {
        self.unsplit();
        self.cls.replace(Some(cls)).expect("instance without a class")
    }

    /// The index of `name` among the class's shared keys.
    pub fn shared_key_index(&self, name: &Value) -> Option<usize> {
        self.shared_key_index_below(name, usize::MAX)
    }

    /// How many shared keys the class has, when this instance keeps split values (its
    /// attribute names are then the first of those keys); None otherwise. The LOAD_METHOD
    /// cache uses it to know that an instance has no attribute of a method's name.
    pub fn split_key_count(&self) -> Option<usize> {
        if !matches!(&*self.attrs.borrow(), Attrs::Small(_) | Attrs::Split(_)) {
            return None;
        }
        // The class is lent out of its cell, as in `shared_key_index_below`.
        let cls = self.cls.take();
        let n = cls.as_ref().and_then(|c| c.downcast_ref::<Type>()).map(|t| t.shared_keys.borrow().len());
        self.cls.set(cls);
        n
    }

    /// The value at dict position `pos` of the class's dict chain entry `depth` (0: the
    /// class's own dict, d: its MRO's entry d-1), if its key is `name`.
    pub fn class_attr_at(&self, depth: usize, pos: usize, name: &Value) -> Option<Value> {
        self.class_attr_if_keys(depth, pos, name, None)
    }

    /// `class_attr_at`, only for an instance keeping split values whose class has
    /// exactly `nkeys` shared keys (when `nkeys` is given): the LOAD_METHOD cache's hit
    /// test and its read, with the class lent out of its cell once.
    pub fn class_attr_if_keys(&self, depth: usize, pos: usize, name: &Value, nkeys: Option<usize>) -> Option<Value> {
        if nkeys.is_some() && !matches!(&*self.attrs.borrow(), Attrs::Small(_) | Attrs::Split(_)) {
            return None;
        }
        // The class is lent out of its cell, as in `shared_key_index_below`.
        let cls = self.cls.take();
        let v = cls.as_ref().and_then(|c| c.downcast_ref::<Type>()).and_then(|t| {
            if nkeys.is_some_and(|n| t.shared_keys.borrow().len() != n) {
                return None;
            }
            let mro = t.mro.borrow();
            let dict = if depth == 0 { Some(&t.dict) } else { mro.get(depth - 1).and_then(|m| m.downcast_ref::<Type>()).map(|mt| &mt.dict) };
            dict.and_then(|d| d.downcast_ref::<super::Dict>()).and_then(|d| d.table.borrow().value_at_if_key(pos, name).cloned())
        });
        self.cls.set(cls);
        v
    }

    /// The index of `name` among the first `limit` shared keys of the class.
    fn shared_key_index_below(&self, name: &Value, limit: usize) -> Option<usize> {
        // The class is lent out of its cell for the scan (no refcount traffic); the scan
        // runs no Python code, so nothing can look for it meanwhile.
        let cls = self.cls.take();
        let found = cls.as_ref().and_then(|c| c.downcast_ref::<Type>()).and_then(|t| {
            let h = name.downcast_ref::<Str>()?.hash();
            if t.shared_keys_bloom.get() & super::typeobj::shared_key_bit(h) == 0 {
                return None;
            }
            let keys = t.shared_keys.borrow();
            let keys = &keys[..limit.min(keys.len())];
            keys.iter().position(|(kh, k)| *kh == h && same_name(k, name))
        });
        self.cls.set(cls);
        found
    }

    /// Turn split attributes into (name, value) pairs (before the order or the class
    /// stops matching the shared keys).
    fn unsplit(&self) {
        let mut a = self.attrs.borrow_mut();
        let Some(values) = a.split_take() else { return };
        let cls = self.cls();
        let keys: Vec<Value> = cls.downcast_ref::<Type>().map(|t| t.shared_keys.borrow().iter().map(|(_, k)| k.clone()).collect()).unwrap_or_default();
        *a = Attrs::Inline(Box::new(keys.into_iter().zip(values).collect()));
    }

    /// The instance's own attribute `name`.
    pub fn own_attr(&self, name: &Value) -> OwnAttr {
        let a = self.attrs.borrow();
        match &*a {
            Attrs::Small(_) | Attrs::Split(_) => {
                let n = a.split_len().unwrap_or(0);
                if n == 0 {
                    return OwnAttr::Absent;
                }
                drop(a);
                match self.shared_key_index_below(name, n) {
                    Some(i) => self.attrs.borrow().split_get(i).cloned().map_or(OwnAttr::Absent, OwnAttr::Found),
                    None => OwnAttr::Absent,
                }
            }
            Attrs::Inline(v) => v.iter().find(|(k, _)| same_name(k, name)).map_or(OwnAttr::Absent, |(_, x)| OwnAttr::Found(x.clone())),
            Attrs::Dict(d) => OwnAttr::InDict(d.clone()),
        }
    }

    /// Does the instance have its own attribute `name`? None when its attributes live in
    /// a dict.
    pub fn has_own(&self, name: &Value) -> Option<bool> {
        match self.own_attr(name) {
            OwnAttr::Found(_) => Some(true),
            OwnAttr::Absent => Some(false),
            OwnAttr::InDict(_) => None,
        }
    }

    /// Set the instance's own attribute `name` held inline: replace it, or append it
    /// (reserving `hint` entries for pairs). Gives the value back when the instance
    /// uses a dict.
    pub fn set_own_attr(&self, name: &Value, value: Value, hint: usize) -> Result<(), Value> {
        let split_len = self.attrs.borrow().split_len();
        if let Some(n) = split_len {
            let cls = self.cls();
            if let Some(t) = cls.downcast_ref::<Type>() {
                let idx = self.shared_key_index(name);
                let mut keys = t.shared_keys.borrow_mut();
                let slot = match idx {
                    Some(i) if i <= n => Some(i),
                    // A new name, and the instance has every shared key: share it too.
                    None if n == keys.len() && n < SHARED_KEYS_MAX && name.is::<Str>() => {
                        let h = name.downcast_ref::<Str>().map_or(0, |s| s.hash());
                        keys.push((h, name.clone()));
                        t.shared_keys_bloom.set(t.shared_keys_bloom.get() | super::typeobj::shared_key_bit(h));
                        Some(n)
                    }
                    _ => None,
                };
                let reserve = keys.len();
                drop(keys);
                if let Some(i) = slot {
                    let mut a = self.attrs.borrow_mut();
                    if i < n {
                        let old = a.split_replace(i, value);
                        drop(a);
                        drop(old);
                    } else {
                        a.split_push(value, reserve);
                    }
                    return Ok(());
                }
            }
        }
        self.unsplit();
        let mut a = self.attrs.borrow_mut();
        match &mut *a {
            Attrs::Inline(v) => {
                if let Some((_, x)) = v.iter_mut().find(|(k, _)| same_name(k, name)) {
                    let old = std::mem::replace(x, value);
                    drop(a);
                    drop(old);
                } else {
                    push_attr(v, (name.clone(), value), hint);
                }
                Ok(())
            }
            _ => Err(value),
        }
    }

    /// Remove the instance's own attribute `name` held inline: `Ok(old value)`, or
    /// `Err(dict)` when the instance uses a dict.
    pub fn del_own_attr(&self, name: &Value) -> Result<Option<Value>, Value> {
        if let Attrs::Dict(d) = &*self.attrs.borrow() {
            return Err(d.clone());
        }
        // A split instance missing a key in the middle no longer follows the shared
        // order: it keeps pairs from now on (CPython 3.11 likewise gives up sharing).
        self.unsplit();
        let mut a = self.attrs.borrow_mut();
        let Attrs::Inline(v) = &mut *a else { return Ok(None) };
        let pos = v.iter().position(|(k, _)| same_name(k, name));
        let old = pos.map(|p| v.remove(p));
        drop(a);
        Ok(old.map(|(_, v)| v))
    }

    /// The inline attributes as (name, value) pairs in insertion order; `Err(dict)` when
    /// the instance uses a dict.
    pub fn own_items(&self) -> Result<Vec<(Value, Value)>, Value> {
        let a = self.attrs.borrow();
        match &*a {
            Attrs::Small(_) | Attrs::Split(_) => {
                let cls = self.cls();
                let keys: Vec<Value> = cls.downcast_ref::<Type>().map(|t| t.shared_keys.borrow().iter().map(|(_, k)| k.clone()).collect()).unwrap_or_default();
                Ok(keys.into_iter().zip(a.split_values().cloned()).collect())
            }
            Attrs::Inline(v) => Ok(v.to_vec()),
            Attrs::Dict(d) => Err(d.clone()),
        }
    }

    /// Take the inline attributes out (to move them into a new `__dict__`).
    pub fn take_own_items(&self) -> Vec<(Value, Value)> {
        self.unsplit();
        let mut a = self.attrs.borrow_mut();
        match &mut *a {
            Attrs::Inline(v) => std::mem::take(&mut **v),
            _ => Vec::new(),
        }
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
    /// A plain instance is its attributes (three values in place and a tag, behind one
    /// borrow flag), the class and one pointer to the rarely used parts: 56 bytes, a
    /// 96-byte block with the header and GC links.
    #[test]
    fn instance_is_small() {
        assert!(std::mem::size_of::<super::Instance>() <= 56, "{}", std::mem::size_of::<super::Instance>());
        assert!(std::mem::size_of::<super::InstanceExtra>() <= 64, "{}", std::mem::size_of::<super::InstanceExtra>());
    }
}
