//! Attribute access: MRO lookup, descriptors (functions bind to methods, properties,
//! staticmethod/classmethod, user `__get__`/`__set__`), instance attributes, special
//! attributes of built-in objects, `__getattr__`/`__getattribute__`/`__setattr__` hooks.

use crate::objects::instance::{Attrs, OwnAttr};
use crate::objects::*;
use crate::vm::{PyErr, PyResult, TypeCacheEntry, Vm};
use pyvm_gc::Value;

impl Vm {
    /// Look `name` up in the dicts of `ty`'s MRO.
    pub fn lookup_mro(&self, ty: &Value, name: &Value) -> Option<Value> {
        let t = ty.downcast_ref::<Type>()?;
        // The type attribute cache (CPython's method cache): where `name` was found
        // along `ty`'s dict chain, valid while the type epoch is unchanged. It records a
        // position, not the value, so it holds no reference.
        let epoch = crate::objects::dict::type_epoch();
        let slot = &self.type_cache[TypeCacheEntry::index(ty, name)];
        let e = slot.get();
        if e.ty == ty.raw() && e.name == name.raw() && e.epoch == epoch {
            if e.depth == u32::MAX {
                return None;
            }
            let mro = t.mro.borrow();
            let dict = if e.depth == 0 { Some(&t.dict) } else { mro.get(e.depth as usize - 1).and_then(|m| m.downcast_ref::<Type>()).map(|mt| &mt.dict) };
            if let Some(d) = dict.and_then(|d| d.downcast_ref::<Dict>()) {
                if let Some(v) = d.table.borrow().value_at_if_key(e.pos as usize, name) {
                    return Some(v.clone());
                }
            }
        }
        let h = name.downcast_ref::<Str>()?.hash();
        let mro = t.mro.borrow();
        let chain = std::iter::once(&t.dict).chain(mro.iter().filter_map(|m| m.downcast_ref::<Type>()).map(|mt| &mt.dict));
        for (depth, d) in chain.enumerate() {
            let Some(dd) = d.downcast_ref::<Dict>() else { continue };
            let tb = dd.table.borrow();
            if let Some(p) = tb.find_identical(h, name) {
                slot.set(TypeCacheEntry { ty: ty.raw(), name: name.raw(), epoch, depth: depth as u32, pos: p as u32 });
                return tb.entries[p].as_ref().map(|e| e.value.clone());
            }
            drop(tb);
            if let Some(v) = self.dict_get_str(d, name) {
                return Some(v);
            }
        }
        slot.set(TypeCacheEntry { ty: ty.raw(), name: name.raw(), epoch, depth: u32::MAX, pos: 0 });
        None
    }

    /// Where the type attribute cache last found `name` along `ty`'s dict chain:
    /// (depth, dict position), if that entry is current.
    pub fn type_cache_position(&self, ty: &Value, name: &Value) -> Option<(usize, usize)> {
        let e = self.type_cache[TypeCacheEntry::index(ty, name)].get();
        (e.ty == ty.raw() && e.name == name.raw() && e.epoch == crate::objects::dict::type_epoch() && e.depth != u32::MAX)
            .then_some((e.depth as usize, e.pos as usize))
    }

    /// A special method looked up on the type and bound to `obj` (as CPython's slots do).
    pub fn lookup_special(&mut self, obj: &Value, name: &Value) -> Option<Value> {
        let ty = self.type_of(obj);
        let d = self.lookup_mro(&ty, name)?;
        self.bind_descriptor(d, obj, &ty).ok()
    }

    /// Call a function found on a type with `obj` as self.
    pub fn call_method_value(&mut self, func: &Value, obj: &Value, args: &[Value]) -> PyResult<Value> {
        if func.is::<Function>() || func.is::<BuiltinFn>() {
            return crate::ops::call::with_first(obj, args, |full| self.call(func, full, &[]));
        }
        let ty = self.type_of(obj);
        let bound = self.bind_descriptor(func.clone(), obj, &ty)?;
        self.call(&bound, args, &[])
    }

    /// Call the special method `name` of `obj` if its type defines it.
    pub fn call_special(&mut self, obj: &Value, name: &'static str, args: &[Value]) -> PyResult<Option<Value>> {
        let n = self.intern_static(name);
        let ty = self.type_of(obj);
        match self.lookup_mro(&ty, &n) {
            Some(f) => self.call_method_value(&f, obj, args).map(Some),
            None => Ok(None),
        }
    }

    /// Apply the descriptor protocol to a class attribute found for instance `obj`.
    pub fn bind_descriptor(&mut self, d: Value, obj: &Value, ty: &Value) -> PyResult<Value> {
        match d.kind().unwrap_or(0) {
            kind::FUNCTION => Ok(Value::new(Method { func: d, self_: obj.clone() })),
            kind::BUILTIN => {
                let b = d.downcast_ref::<BuiltinFn>().unwrap();
                if b.self_.is_some() || b.owner.is_none() {
                    return Ok(d.clone());
                }
                Ok(Value::new(BuiltinFn::new(b.name.clone(), b.f, Some(obj.clone()), b.owner.clone())))
            }
            kind::STATICMETHOD => Ok(d.downcast_ref::<StaticMethod>().unwrap().0.clone()),
            kind::CLASSMETHOD => {
                let f = d.downcast_ref::<ClassMethod>().unwrap().0.clone();
                Ok(Value::new(Method { func: f, self_: ty.clone() }))
            }
            kind::PROPERTY => {
                let p = d.downcast_ref::<Property>().unwrap();
                match &p.fget {
                    Some(g) => {
                        let g = g.clone();
                        self.call(&g, &[obj.clone()], &[])
                    }
                    None => Err(self.attribute_error("unreadable attribute")),
                }
            }
            kind::INSTANCE => {
                let dty = self.type_of(&d);
                let get = self.intern_static("__get__");
                match self.lookup_mro(&dty, &get) {
                    Some(g) => self.call_method_value(&g, &d, &[obj.clone(), ty.clone()]),
                    None => Ok(d),
                }
            }
            _ => Ok(d),
        }
    }

    fn is_data_descriptor(&mut self, d: &Value) -> bool {
        match d.kind().unwrap_or(0) {
            kind::PROPERTY => true,
            kind::INSTANCE => {
                let dty = self.type_of(d);
                let set = self.intern_static("__set__");
                let del = self.intern_static("__delete__");
                self.lookup_mro(&dty, &set).is_some() || self.lookup_mro(&dty, &del).is_some()
            }
            _ => false,
        }
    }

    pub fn getattr_str(&mut self, obj: &Value, name: &str) -> PyResult<Value> {
        let n = self.intern(name);
        self.getattr(obj, &n)
    }

    pub fn getattr(&mut self, obj: &Value, name: &Value) -> PyResult<Value> {
        if let Some(target) = self.proxy_target(obj)? {
            return self.getattr(&target, name);
        }
        let ty = self.type_of(obj);
        let flags = ty.downcast_ref::<Type>().map(|t| t.flags.get()).unwrap_or_default();
        if flags.has_getattribute {
            let ga = self.intern_static("__getattribute__");
            if let Some(f) = self.lookup_mro(&ty, &ga) {
                if f.is::<Function>() {
                    let r = self.call(&f, &[obj.clone(), name.clone()], &[]);
                    return match r {
                        Err(e) if flags.has_getattr && self.err_is(&e, "AttributeError") => self.call_getattr_hook(obj, &ty, name, e),
                        other => other,
                    };
                }
            }
        }
        match self.generic_getattr(obj, &ty, name)? {
            Some(v) => Ok(v),
            None => {
                let e = self.no_attribute(obj, name);
                if flags.has_getattr {
                    return self.call_getattr_hook(obj, &ty, name, e);
                }
                Err(e)
            }
        }
    }

    fn call_getattr_hook(&mut self, obj: &Value, ty: &Value, name: &Value, e: PyErr) -> PyResult<Value> {
        let ga = self.intern_static("__getattr__");
        match self.lookup_mro(ty, &ga) {
            Some(f) => self.call_method_value(&f, obj, &[name.clone()]),
            None => Err(e),
        }
    }

    pub fn no_attribute(&mut self, obj: &Value, name: &Value) -> PyErr {
        let n = self.str_val(name);
        if let Some(m) = obj.downcast_ref::<Module>() {
            let mn = m.name.clone();
            return self.attribute_error(format!("module '{mn}' has no attribute '{n}'"));
        }
        if let Some(t) = obj.downcast_ref::<Type>() {
            let tn = t.name.borrow().clone();
            return self.attribute_error(format!("type object '{tn}' has no attribute '{n}'"));
        }
        let tn = self.type_name(obj);
        self.attribute_error(format!("'{tn}' object has no attribute '{n}'"))
    }

    /// The class attribute `name` of plain instance `obj`'s type for the attribute fast
    /// paths: `Ok(inst, descr)` when the type has no `__getattribute__` and `descr` (the
    /// class attribute, if any) is absent or a plain function (a non-data descriptor);
    /// `Err(())` sends the caller down the general path.
    #[inline]
    fn plain_instance<'v>(&self, obj: &'v Value, name: &Value) -> Result<(&'v Instance, Option<Value>), ()> {
        let inst = obj.downcast_ref::<Instance>().ok_or(())?;
        let cls = inst.cls();
        let t = cls.downcast_ref::<Type>().ok_or(())?;
        if t.flags.get().has_getattribute || inst.exc().is_some() || inst.has_slot_values() {
            return Err(());
        }
        match self.lookup_mro(&cls, name) {
            None => Ok((inst, None)),
            Some(d) if d.is::<Function>() => Ok((inst, Some(d))),
            Some(_) => Err(()),
        }
    }

    /// LOAD_ATTR fast path (CPython's LOAD_ATTR_INSTANCE_VALUE): an attribute stored
    /// inline on a plain instance. None: use `getattr`.
    #[inline(never)]
    pub fn load_attr_fast(&self, obj: &Value, name: &Value) -> Option<Value> {
        let (inst, _) = self.plain_instance(obj, name).ok()?;
        match inst.own_attr(name) {
            OwnAttr::Found(v) => Some(v),
            _ => None,
        }
    }

    /// Check (and record in `cache`) that instances of `cls` keep attribute `name` in
    /// their inline values; see `AttrSlot`.
    fn attr_cache_fill(&mut self, cls: &Value, name: &Value, cache: &AttrSlot, store: bool) -> bool {
        let Some(t) = cls.downcast_ref::<Type>() else { return false };
        let fl = t.flags.get();
        if fl.has_getattribute || fl.is_exception || fl.slotted || !t.slot_names.borrow().is_empty() || t.builtin_base != 0 && t.builtin_base != kind::INSTANCE {
            return false;
        }
        if store && (fl.has_setattr || !fl.has_dict || name.downcast_ref::<Str>().is_none_or(|s| s.s.starts_with("__"))) {
            return false;
        }
        if let Some(d) = self.lookup_mro(cls, name) {
            if self.is_data_descriptor(&d) {
                return false;
            }
        }
        cache.add_type(cls.raw(), crate::objects::dict::type_epoch());
        true
    }

    /// LOAD_ATTR with its inline cache: the instance's own attribute, or None for the
    /// general path.
    pub fn load_attr_cached(&mut self, obj: &Value, name: &Value, cache: &AttrSlot) -> Option<Value> {
        let inst = obj.downcast_ref::<Instance>()?;
        let j = self.attr_cache_check(inst, name, cache, false)?;
        let attrs = inst.attrs.borrow();
        match &*attrs {
            Attrs::Small(_) | Attrs::Split(_) => {
                let ki = cache.keyidx(j);
                if let Some(v) = attrs.split_get(ki as usize) {
                    return Some(v.clone());
                }
                if ki != u32::MAX {
                    return None; // not set on this instance: the general path decides
                }
                drop(attrs);
                let ki = inst.shared_key_index(name)?;
                cache.set_keyidx(j, ki as u32);
                let v = inst.attrs.borrow().split_get(ki).cloned();
                v
            }
            Attrs::Inline(v) => {
                if let Some((k, x)) = v.get(cache.index() as usize) {
                    if k.ptr_eq(name) {
                        return Some(x.clone());
                    }
                }
                let p = v.iter().position(|(k, _)| k.ptr_eq(name))?;
                cache.set_index(p as u32);
                Some(v[p].1.clone())
            }
            Attrs::Dict(_) => None,
        }
    }

    /// Look the instance's class up in an attribute cache (filling it on a miss):
    /// which of its types matched, and the cache as it now is. None: the class does
    /// not keep the attribute inline.
    #[inline(always)]
    fn attr_cache_check(&mut self, inst: &Instance, name: &Value, cache: &AttrSlot, store: bool) -> Option<usize> {
        if let Some(j) = cache.find(inst.cls_raw(), crate::objects::dict::type_epoch()) {
            return Some(j);
        }
        self.attr_cache_miss(inst, name, cache, store)
    }

    #[cold]
    #[inline(never)]
    fn attr_cache_miss(&mut self, inst: &Instance, name: &Value, cache: &AttrSlot, store: bool) -> Option<usize> {
        let cls = inst.cls();
        if !self.attr_cache_fill(&cls, name, cache, store) {
            return None;
        }
        Some(0)
    }

    /// STORE_ATTR with its inline cache: replace an existing inline attribute, or
    /// append the next shared key of a split instance. Gives the value back when the
    /// general path must run.
    pub fn store_attr_cached(&mut self, obj: &Value, name: &Value, value: Value, cache: &AttrSlot) -> Result<(), Value> {
        let Some(inst) = obj.downcast_ref::<Instance>() else { return Err(value) };
        let Some(j) = self.attr_cache_check(inst, name, cache, true) else { return Err(value) };
        if cache.keyidx(j) == u32::MAX && inst.attrs.borrow().split_len().is_some() {
            let Some(ki) = inst.shared_key_index(name) else { return Err(value) };
            cache.set_keyidx(j, ki as u32);
        }
        let mut attrs = inst.attrs.borrow_mut();
        match &mut *attrs {
            Attrs::Small(_) | Attrs::Split(_) => {
                let ki = cache.keyidx(j) as usize;
                let n = attrs.split_len().unwrap_or(0);
                if ki < n {
                    let old = attrs.split_replace(ki, value);
                    drop(attrs);
                    drop(old);
                    return Ok(());
                }
                if ki != n {
                    return Err(value);
                }
                // The next shared key, in order (what every `__init__` does). The first
                // value, and the one that no longer fits in place, need the class's key
                // count to size the values.
                if n == 0 || n == crate::objects::instance::SMALL_ATTRS && matches!(&*attrs, Attrs::Small(_)) {
                    drop(attrs);
                    let nkeys = inst.cls().downcast_ref::<Type>().map_or(3, |t| t.shared_keys.borrow().len());
                    inst.attrs.borrow_mut().split_push(value, nkeys);
                    return Ok(());
                }
                attrs.split_push(value, 0);
                Ok(())
            }
            Attrs::Inline(v) => {
                let at = match v.get(cache.index() as usize) {
                    Some((k, _)) if k.ptr_eq(name) => cache.index() as usize,
                    _ => match v.iter().position(|(k, _)| k.ptr_eq(name)) {
                        Some(p) => {
                            cache.set_index(p as u32);
                            p
                        }
                        None => return Err(value),
                    },
                };
                let old = std::mem::replace(&mut v[at].1, value);
                drop(attrs);
                drop(old);
                Ok(())
            }
            Attrs::Dict(_) => Err(value),
        }
    }

    /// LOAD_METHOD fast path (LOAD_METHOD_WITH_VALUES): a plain function found on the
    /// class of a plain instance that has no attribute of that name. None: general path.
    #[inline(never)]
    pub fn load_method_fast(&self, obj: &Value, name: &Value) -> Option<Value> {
        let (inst, descr) = self.plain_instance(obj, name).ok()?;
        let func = descr?;
        (!inst.has_own(name)?).then_some(func)
    }

    /// STORE_ATTR fast path (STORE_ATTR_INSTANCE_VALUE): set an inline attribute of a
    /// plain instance whose type has no `__setattr__` and no data descriptor of that
    /// name. Gives the value back when the general path must run.
    #[inline(never)]
    pub fn store_attr_fast(&self, obj: &Value, name: &Value, value: Value) -> Result<(), Value> {
        let Some(text) = name.downcast_ref::<Str>().map(|s| &s.s) else { return Err(value) };
        if text.starts_with("__") {
            return Err(value);
        }
        let Ok((inst, _)) = self.plain_instance(obj, name) else { return Err(value) };
        {
            let cls = inst.cls();
            let Some(t) = cls.downcast_ref::<Type>() else { return Err(value) };
            let fl = t.flags.get();
            if fl.has_setattr || !fl.has_dict || !t.slot_names.borrow().is_empty() {
                return Err(value);
            }
        }
        inst.set_own_attr(name, value, 0)
    }

    /// `object.__getattribute__`: data descriptors, then the instance, then the class.
    pub fn generic_getattr(&mut self, obj: &Value, ty: &Value, name: &Value) -> PyResult<Option<Value>> {
        if let Some(sup) = obj.downcast_ref::<Super>() {
            let (cls, inst) = (sup.cls.clone(), sup.obj.clone());
            return self.super_getattr(&cls, &inst, name);
        }
        if let Some(t) = obj.downcast_ref::<Type>() {
            let _ = t;
            return self.type_getattr(obj, name);
        }
        let descr = self.lookup_mro(ty, name);
        if let Some(d) = &descr {
            if self.is_data_descriptor(d) {
                return self.bind_descriptor(d.clone(), obj, ty).map(Some);
            }
        }
        // `__class__`, and a module's `__dict__`, are data descriptors in CPython: a
        // key of that name in the object's own dict does not hide them.
        if let Some(s) = name.downcast_ref::<Str>() {
            if &*s.s == "__class__" || (&*s.s == "__dict__" && obj.is::<Module>()) {
                return self.special_getattr(obj, name);
            }
        }
        if let Some(v) = self.instance_getattr(obj, name)? {
            return Ok(Some(v));
        }
        if let Some(d) = descr {
            return self.bind_descriptor(d, obj, ty).map(Some);
        }
        self.special_getattr(obj, name)
    }

    /// `super(cls, obj).name`: search the MRO of obj's type after `cls`.
    fn super_getattr(&mut self, cls: &Value, obj: &Value, name: &Value) -> PyResult<Option<Value>> {
        // super(cls, C) with C a subclass of cls searches C's MRO (classmethods);
        // otherwise the MRO of obj's type (instances, classes under a metaclass).
        let class_mode = obj.is::<Type>() && self.is_subtype(obj, cls);
        let start_ty = if class_mode { obj.clone() } else { self.type_of(obj) };
        let mut chain = vec![start_ty.clone()];
        chain.extend(start_ty.downcast_ref::<Type>().unwrap().mro.borrow().iter().cloned());
        let pos = chain.iter().position(|t| t.ptr_eq(cls)).map_or(chain.len(), |p| p + 1);
        for t in &chain[pos..] {
            let d = t.downcast_ref::<Type>().unwrap().dict.clone();
            if let Some(v) = self.dict_get_str(&d, name) {
                if class_mode {
                    // super() in a classmethod: bind classmethods to the class.
                    if let Some(cm) = v.downcast_ref::<ClassMethod>() {
                        return Ok(Some(Value::new(Method { func: cm.0.clone(), self_: obj.clone() })));
                    }
                    if let Some(sm) = v.downcast_ref::<StaticMethod>() {
                        return Ok(Some(sm.0.clone()));
                    }
                    return Ok(Some(v));
                }
                return self.bind_descriptor(v, obj, &start_ty).map(Some);
            }
        }
        let n = self.str_val(name);
        if n == "__class__" {
            return Ok(Some(self.types.super_.clone()));
        }
        Ok(None)
    }

    /// Attributes stored on the object itself.
    fn instance_getattr(&mut self, obj: &Value, name: &Value) -> PyResult<Option<Value>> {
        match obj.kind().unwrap_or(0) {
            kind::INSTANCE => {
                let inst = obj.downcast_ref::<Instance>().unwrap();
                if let Some(sl) = inst.slot_values() {
                    let ns = name.downcast_ref::<Str>().map(|s| &s.s);
                    for (k, val) in sl.borrow().iter() {
                        if k.ptr_eq(name) || (ns.is_some() && k.downcast_ref::<Str>().map(|s| &s.s) == ns) {
                            return Ok(Some(val.clone()));
                        }
                    }
                }
                match inst.own_attr(name) {
                    OwnAttr::Found(v) => Ok(Some(v)),
                    OwnAttr::Absent => Ok(None),
                    OwnAttr::InDict(d) => Ok(self.dict_get_str(&d, name)),
                }
            }
            kind::MODULE => {
                let d = obj.downcast_ref::<Module>().unwrap().dict.clone();
                Ok(self.dict_get_str(&d, name))
            }
            kind::FUNCTION => {
                let f = obj.downcast_ref::<Function>().unwrap();
                let d = f.dict.borrow().clone();
                Ok(d.and_then(|d| self.dict_get_str(&d, name)))
            }
            _ => Ok(None),
        }
    }

    /// Attribute lookup on a class: its MRO (binding classmethods to it), then its metaclass.
    fn type_getattr(&mut self, cls: &Value, name: &Value) -> PyResult<Option<Value>> {
        let meta = self.type_of(cls);
        let meta_descr = self.lookup_mro(&meta, name);
        if let Some(d) = &meta_descr {
            if self.is_data_descriptor(d) {
                return self.bind_descriptor(d.clone(), cls, &meta).map(Some);
            }
        }
        if let Some(d) = self.lookup_mro(cls, name) {
            return match d.kind().unwrap_or(0) {
                kind::STATICMETHOD => Ok(Some(d.downcast_ref::<StaticMethod>().unwrap().0.clone())),
                kind::CLASSMETHOD => {
                    let f = d.downcast_ref::<ClassMethod>().unwrap().0.clone();
                    Ok(Some(Value::new(Method { func: f, self_: cls.clone() })))
                }
                kind::INSTANCE => {
                    let dty = self.type_of(&d);
                    let get = self.intern_static("__get__");
                    match self.lookup_mro(&dty, &get) {
                        Some(g) => {
                            let none = self.none.clone();
                            self.call_method_value(&g, &d, &[none, cls.clone()]).map(Some)
                        }
                        None => Ok(Some(d)),
                    }
                }
                _ => Ok(Some(d)),
            };
        }
        if let Some(v) = self.type_special_attr(cls, name)? {
            return Ok(Some(v));
        }
        if let Some(d) = meta_descr {
            return self.bind_descriptor(d, cls, &meta).map(Some);
        }
        Ok(None)
    }

    fn type_special_attr(&mut self, cls: &Value, name: &Value) -> PyResult<Option<Value>> {
        let t = cls.downcast_ref::<Type>().unwrap();
        let n = self.str_val(name);
        Ok(Some(match n.as_str() {
            "__name__" => {
                // A built-in type's name may carry its module ('weakref.ReferenceType',
                // as CPython's tp_name); __name__ is the part after the last dot.
                let s = t.name.borrow().clone();
                let short = if t.heap { &*s } else { s.rsplit('.').next().unwrap_or(&s) };
                self.new_str(short)
            }
            "__qualname__" => {
                let s = t.qualname.borrow().clone();
                self.new_str(&*s)
            }
            "__mro__" => {
                let mut m = vec![cls.clone()];
                m.extend(t.mro.borrow().iter().cloned());
                self.new_tuple(m)
            }
            "__bases__" => {
                let b = t.bases.borrow().clone();
                self.new_tuple(b)
            }
            "__base__" => t.bases.borrow().first().cloned().unwrap_or_else(|| self.none.clone()),
            "__dict__" => {
                let d = t.dict.clone();
                match self.iter_types.get("mappingproxy").cloned() {
                    Some(mp) => return self.call(&mp, &[d], &[]).map(Some),
                    None => d,
                }
            }
            "__module__" => match &*t.module.borrow() {
                Some(m) => m.clone(),
                None => self.new_str("builtins"),
            },
            "__doc__" => self.none.clone(),
            "__class__" => self.type_of(cls),
            _ => return Ok(None),
        }))
    }

    /// Special attributes of built-in objects (`__class__`, `__dict__`, function and
    /// exception attributes, ...).
    fn special_getattr(&mut self, obj: &Value, name: &Value) -> PyResult<Option<Value>> {
        // Borrowed from the name (no copy: this runs for every `e.value`-style lookup
        // an instance's own dict did not answer).
        let n: &str = name.downcast_ref::<Str>().map_or("", |s| &s.s);
        if n == "__class__" {
            return Ok(Some(self.type_of(obj)));
        }
        match obj.kind().unwrap_or(0) {
            kind::INSTANCE => {
                let inst = obj.downcast_ref::<Instance>().unwrap();
                if n == "__dict__" {
                    if !self.type_of(obj).downcast_ref::<Type>().is_some_and(|t| t.flags.get().has_dict) {
                        return Ok(None);
                    }
                    return Ok(Some(self.materialize_dict(obj)));
                }
                if let Some(exc) = inst.exc() {
                    let e = exc.borrow();
                    let v = match n {
                        "args" => e.args.clone().unwrap_or_else(|| self.new_tuple(vec![])),
                        "__cause__" => e.cause.clone().unwrap_or_else(|| self.none.clone()),
                        "__context__" => e.context.clone().unwrap_or_else(|| self.none.clone()),
                        "__suppress_context__" => self.new_bool(e.suppress_context),
                        "value" | "code" => {
                            let want = if n == "value" { "StopIteration" } else { "SystemExit" };
                            let ty = inst.cls();
                            let base = self.exc[want].clone();
                            if !self.is_subtype(&ty, &base) {
                                return Ok(None);
                            }
                            let first = e.args.as_ref().and_then(|a| a.downcast_ref::<Tuple>().and_then(|t| t.0.first().cloned()));
                            first.unwrap_or_else(|| self.none.clone())
                        }
                        "__traceback__" => {
                            drop(e);
                            return Ok(Some(self.traceback_object(obj)));
                        }
                        _ => return Ok(None),
                    };
                    return Ok(Some(v));
                }
                Ok(None)
            }
            kind::FUNCTION => {
                let f = obj.downcast_ref::<Function>().unwrap();
                Ok(Some(match n {
                    "__name__" => f.name.borrow().clone(),
                    "__qualname__" => f.qualname.borrow().clone(),
                    "__doc__" => f.doc.borrow().clone(),
                    "__module__" => f.module.borrow().clone().unwrap_or_else(|| self.none.clone()),
                    "__globals__" => f.globals.clone(),
                    "__code__" => f.code_obj.clone(),
                    "__defaults__" => f.defaults.borrow().clone().unwrap_or_else(|| self.none.clone()),
                    "__kwdefaults__" => f.kwdefaults.borrow().clone().unwrap_or_else(|| self.none.clone()),
                    "__closure__" => f.closure.clone().unwrap_or_else(|| self.none.clone()),
                    "__annotations__" => {
                        let a = f.annotations.borrow().clone();
                        match a {
                            Some(a) => a,
                            None => {
                                let d = self.new_dict();
                                *f.annotations.borrow_mut() = Some(d.clone());
                                d
                            }
                        }
                    }
                    "__dict__" => {
                        let d = f.dict.borrow().clone();
                        match d {
                            Some(d) => d,
                            None => {
                                let d = self.new_dict();
                                *f.dict.borrow_mut() = Some(d.clone());
                                d
                            }
                        }
                    }
                    _ => return Ok(None),
                }))
            }
            kind::METHOD => {
                let m = obj.downcast_ref::<Method>().unwrap();
                match n {
                    "__self__" => Ok(Some(m.self_.clone())),
                    "__func__" => Ok(Some(m.func.clone())),
                    _ => {
                        let f = m.func.clone();
                        self.getattr(&f, name).map(Some).or(Ok(None))
                    }
                }
            }
            kind::BUILTIN => {
                let b = obj.downcast_ref::<BuiltinFn>().unwrap();
                match n {
                    "__name__" | "__qualname__" => {
                        let s = b.name.clone();
                        Ok(Some(self.new_str(&*s)))
                    }
                    "__self__" => Ok(Some(b.self_.clone().unwrap_or_else(|| self.none.clone()))),
                    "__doc__" => Ok(Some(self.none.clone())),
                    _ => Ok(None),
                }
            }
            kind::MODULE => {
                let m = obj.downcast_ref::<Module>().unwrap();
                match n {
                    "__dict__" => Ok(Some(m.dict.clone())),
                    _ => {
                        // PEP 562: a module-level __getattr__ answers missing names.
                        let k = self.intern_static("__getattr__");
                        let d = m.dict.clone();
                        match self.dict_get_str(&d, &k) {
                            Some(f) => self.call(&f, &[name.clone()], &[]).map(Some),
                            None => Ok(None),
                        }
                    }
                }
            }
            kind::WEAKREF if n == "__callback__" && !obj.downcast_ref::<WeakRef>().unwrap().proxy => {
                let cb = obj.downcast_ref::<WeakRef>().unwrap().callback.borrow().clone();
                Ok(Some(cb.unwrap_or_else(|| self.none.clone())))
            }
            kind::CELL => {
                if n == "cell_contents" {
                    let c = obj.downcast_ref::<CellObj>().unwrap().0.borrow().clone();
                    return match c {
                        Some(v) => Ok(Some(v)),
                        None => Err(self.value_error("Cell is empty")),
                    };
                }
                Ok(None)
            }
            kind::GENERATOR => {
                let g = obj.downcast_ref::<Generator>().unwrap();
                match n {
                    "__name__" => Ok(Some(g.name.clone())),
                    "__qualname__" => Ok(Some(g.qualname.clone())),
                    "gi_running" | "cr_running" => Ok(Some(self.new_bool(g.running.get()))),
                    "gi_suspended" | "cr_suspended" => {
                        Ok(Some(self.new_bool(g.started.get() && !g.running.get() && g.frame.borrow().is_some())))
                    }
                    "gi_code" | "cr_code" | "ag_code" => {
                        let c = g.code.clone();
                        Ok(Some(self.code_value(&c)))
                    }
                    "gi_yieldfrom" | "cr_await" => {
                        let sub = g.frame.borrow().as_ref().and_then(|f| {
                            let delegating = f.ip >= 2
                                && f.code.instructions.get(f.ip - 1).is_some_and(|i| i.op == pyvm_compiler::bytecode::Opcode::YIELD_VALUE)
                                && f.code.instructions.get(f.ip - 2).is_some_and(|i| i.op == pyvm_compiler::bytecode::Opcode::SEND);
                            if delegating {
                                f.stack.last().cloned()
                            } else {
                                None
                            }
                        });
                        Ok(Some(sub.unwrap_or_else(|| self.none.clone())))
                    }
                    "gi_frame" | "cr_frame" | "ag_frame" => {
                        // A snapshot frame object (f_locals, f_lineno, f_code), or None once
                        // the generator has finished.
                        let info = g.frame.borrow().as_ref().map(|f| crate::introspect::FrameInfo::of(f));
                        match info {
                            None => Ok(Some(self.none.clone())),
                            Some(info) => {
                                let none = self.none.clone();
                                Ok(Some(self.frame_object(info, none)?))
                            }
                        }
                    }
                    _ => Ok(None),
                }
            }
            kind::DICTVIEW if n == "mapping" => {
                // A read-only view of the underlying dict.
                let d = obj.downcast_ref::<crate::objects::iter::DictView>().unwrap().dict.clone();
                match self.iter_types.get("mappingproxy").cloned() {
                    Some(mp) => self.call(&mp, &[d], &[]).map(Some),
                    None => Ok(Some(d)),
                }
            }
            kind::TRACEBACK => {
                let tb = obj.downcast_ref::<TracebackObj>().unwrap();
                let tb = TracebackObj(tb.0.clone(), tb.1);
                self.traceback_attr(&tb, n)
            }
            kind::PROPERTY => {
                let p = obj.downcast_ref::<Property>().unwrap();
                let v = match n {
                    "fget" => p.fget.clone(),
                    "fset" => p.fset.clone(),
                    "fdel" => p.fdel.clone(),
                    "__doc__" => p.doc.clone(),
                    _ => return Ok(None),
                };
                Ok(Some(v.unwrap_or_else(|| self.none.clone())))
            }
            kind::STATICMETHOD | kind::CLASSMETHOD if n == "__func__" => {
                let f = obj.downcast_ref::<StaticMethod>().map(|s| s.0.clone());
                let f = f.or_else(|| obj.downcast_ref::<ClassMethod>().map(|c| c.0.clone()));
                Ok(f)
            }
            kind::SLICE => {
                let s = obj.downcast_ref::<Slice>().unwrap();
                Ok(match n {
                    "start" => Some(s.start.clone()),
                    "stop" => Some(s.stop.clone()),
                    "step" => Some(s.step.clone()),
                    _ => None,
                })
            }
            kind::BIGRANGE => {
                let r = obj.downcast_ref::<BigRange>().unwrap();
                let v = match n {
                    "start" => r.start.clone(),
                    "stop" => r.stop.clone(),
                    "step" => r.step.clone(),
                    _ => return Ok(None),
                };
                Ok(Some(self.new_bigint(v)))
            }
            kind::RANGE => {
                let r = obj.downcast_ref::<Range>().unwrap();
                Ok(match n {
                    "start" => Some(self.new_int(r.start)),
                    "stop" => Some(self.new_int(r.stop)),
                    "step" => Some(self.new_int(r.step)),
                    _ => None,
                })
            }
            kind::CODE => {
                let c = obj.downcast_ref::<CodeValue>().unwrap();
                Ok(match n {
                    "co_name" => Some(self.new_str(&*c.code.name)),
                    "co_qualname" => Some(self.new_str(&*c.code.qualname)),
                    "co_filename" => Some(self.new_str(&*c.code.filename)),
                    "co_firstlineno" => Some(self.new_int(c.code.firstlineno as i64)),
                    "co_argcount" => Some(self.new_int(c.code.argcount as i64)),
                    "co_posonlyargcount" => Some(self.new_int(c.code.posonlyargcount as i64)),
                    "co_kwonlyargcount" => Some(self.new_int(c.code.kwonlyargcount as i64)),
                    "co_nlocals" => Some(self.new_int(c.code.varnames.len() as i64)),
                    "co_flags" => Some(self.new_int(c.code.flags.bits() as i64)),
                    "co_stacksize" => Some(self.new_int(c.code.stacksize as i64)),
                    "co_consts" => Some(self.new_tuple(&c.code.consts[..])),
                    "co_names" => Some(self.new_tuple(&c.code.names[..])),
                    "co_cellvars" => {
                        let v: Vec<Value> = c.code.cellvars.iter().map(|s| self.new_str(&**s)).collect();
                        Some(self.new_tuple(v))
                    }
                    "co_freevars" => {
                        let v: Vec<Value> = c.code.freevars.iter().map(|s| self.new_str(&**s)).collect();
                        Some(self.new_tuple(v))
                    }
                    "co_varnames" => {
                        let v: Vec<Value> = c.code.varnames.iter().map(|s| self.new_str(&**s)).collect();
                        Some(self.new_tuple(v))
                    }
                    _ => None,
                })
            }
            kind::INT | kind::BOOL => Ok(match n {
                "real" | "numerator" => Some(self.new_bigint(self.as_bigint(obj).unwrap_or_default())),
                "imag" => Some(self.new_int(0)),
                "denominator" => Some(self.new_int(1)),
                _ => None,
            }),
            _ if obj.is_int() => Ok(match n {
                "real" | "numerator" => Some(obj.clone()),
                "imag" => Some(self.new_int(0)),
                "denominator" => Some(self.new_int(1)),
                _ => None,
            }),
            kind::FLOAT => {
                let f = self.as_f64(obj).unwrap_or(0.0);
                Ok(match n {
                    "real" => Some(obj.clone()),
                    "imag" => Some(self.new_float(0.0)),
                    _ => None,
                })
                .map(|o| o.or(None))
                .map(|o| {
                    let _ = f;
                    o
                })
            }
            kind::COMPLEX => {
                let c = obj.downcast_ref::<Complex>().unwrap();
                Ok(match n {
                    "real" => Some(self.new_float(c.re)),
                    "imag" => Some(self.new_float(c.im)),
                    _ => None,
                })
            }
            _ => Ok(None),
        }
    }

    /// The `frame` type used for frame snapshots (`gen.gi_frame`).
    pub fn frame_type(&mut self) -> Value {
        if let Some(t) = self.iter_types.get("frame") {
            return t.clone();
        }
        let t = self.new_internal_type("frame", Some("builtins"), kind::INSTANCE, true);
        self.iter_types.insert("frame", t.clone());
        t
    }

    /// Give an instance a real `__dict__` (CPython materialises it on first access).
    pub fn materialize_dict(&mut self, obj: &Value) -> Value {
        let inst = obj.downcast_ref::<Instance>().unwrap();
        let existing = match &*inst.attrs.borrow() {
            Attrs::Dict(d) => Some(d.clone()),
            _ => None,
        };
        if let Some(d) = existing {
            return d;
        }
        let items = inst.take_own_items();
        let d = self.new_dict();
        for (_, v) in &items {
            self.maintain_dict_tracking(&d, v);
        }
        if let Some(dd) = d.downcast_ref::<Dict>() {
            let mut t = dd.table.borrow_mut();
            for (k, v) in items {
                let h = k.downcast_ref::<Str>().map(|s| s.hash()).unwrap_or(0);
                t.insert_new(h, k, v);
            }
        }
        *inst.attrs.borrow_mut() = Attrs::Dict(d.clone());
        d
    }

    /// LOAD_METHOD: `(Some(function), _)` when `obj.name` is a plain method (call it with
    /// obj as self, no bound-method object), else `(None, attribute)`.
    pub fn get_method(&mut self, obj: &Value, name: &Value) -> PyResult<(Option<Value>, Value)> {
        let ty = self.type_of(obj);
        let plain = ty.downcast_ref::<Type>().map(|t| !t.flags.get().has_getattribute).unwrap_or(true);
        if plain && !obj.is::<Type>() && !obj.is::<Module>() && !obj.is::<Super>() {
            if let Some(d) = self.lookup_mro(&ty, name) {
                if d.is::<Function>() || (d.downcast_ref::<BuiltinFn>().is_some_and(|b| b.owner.is_some() && b.self_.is_none())) {
                    // An instance attribute of the same name shadows the method.
                    let shadowed = match obj.downcast_ref::<Instance>() {
                        Some(_) => self.instance_getattr(obj, name)?.is_some(),
                        None => false,
                    };
                    if !shadowed {
                        return Ok((Some(d), self.none.clone()));
                    }
                }
            }
        }
        let v = self.getattr(obj, name)?;
        Ok((None, v))
    }

    /// The referent of a `weakref.proxy` (ReferenceError if dead); anything else as is.
    pub fn deproxy(&mut self, v: &Value) -> PyResult<Value> {
        Ok(self.proxy_target(v)?.unwrap_or_else(|| v.clone()))
    }

    /// For a `weakref.proxy`: its live referent, or ReferenceError.
    pub fn proxy_target(&mut self, obj: &Value) -> PyResult<Option<Value>> {
        match obj.downcast_ref::<WeakRef>() {
            Some(w) if w.proxy => match self.weakref_target(obj) {
                Some(t) => Ok(Some(t)),
                None => Err(self.new_exception("ReferenceError", "weakly-referenced object no longer exists")),
            },
            _ => Ok(None),
        }
    }

    pub fn setattr(&mut self, obj: &Value, name: &Value, value: Value) -> PyResult<()> {
        if let Some(target) = self.proxy_target(obj)? {
            return self.setattr(&target, name, value);
        }
        let ty = self.type_of(obj);
        let flags = ty.downcast_ref::<Type>().map(|t| t.flags.get()).unwrap_or_default();
        if flags.has_setattr {
            let sa = self.intern_static("__setattr__");
            if let Some(f) = self.lookup_mro(&ty, &sa) {
                if f.is::<Function>() {
                    self.call(&f, &[obj.clone(), name.clone(), value], &[])?;
                    return Ok(());
                }
            }
        }
        self.generic_setattr(obj, name, value)
    }

    pub fn generic_setattr(&mut self, obj: &Value, name: &Value, value: Value) -> PyResult<()> {
        let ty = self.type_of(obj);
        if !obj.is::<Type>() {
            if let Some(d) = self.lookup_mro(&ty, name) {
                if let Some(p) = d.downcast_ref::<Property>() {
                    return match p.fset.clone() {
                        Some(s) => self.call(&s, &[obj.clone(), value], &[]).map(|_| ()),
                        None => {
                            let n = self.str_val(name);
                            let tn = self.type_name(obj);
                            Err(self.attribute_error(format!("property '{n}' of '{tn}' object has no setter")))
                        }
                    };
                }
                if d.is::<Instance>() {
                    let dty = self.type_of(&d);
                    let set = self.intern_static("__set__");
                    if let Some(s) = self.lookup_mro(&dty, &set) {
                        self.call_method_value(&s, &d, &[obj.clone(), value])?;
                        return Ok(());
                    }
                }
            }
        }
        match obj.kind().unwrap_or(0) {
            kind::INSTANCE => {
                let n = self.str_val(name);
                if n == "__class__" {
                    if !value.is::<Type>() {
                        let tn = self.type_name(&value);
                        return Err(self.type_error(format!("__class__ must be set to a class, not '{tn}' object")));
                    }
                    let inst = obj.downcast_ref::<Instance>().unwrap();
                    let old = inst.set_cls(value);
                    drop(old);
                    return Ok(());
                }
                if let Some(exc) = obj.downcast_ref::<Instance>().unwrap().exc() {
                    let none = self.is_none(&value);
                    match n.as_str() {
                        "__cause__" => {
                            let mut d = exc.borrow_mut();
                            d.cause = if none { None } else { Some(value) };
                            d.suppress_context = true;
                            return Ok(());
                        }
                        "__context__" => {
                            exc.borrow_mut().context = if none { None } else { Some(value) };
                            return Ok(());
                        }
                        "__suppress_context__" => {
                            let b = self.is_true(&value)?;
                            exc.borrow_mut().suppress_context = b;
                            return Ok(());
                        }
                        "args" => {
                            let items = self.to_vec(&value)?;
                            let t = self.new_tuple(items);
                            exc.borrow_mut().args = Some(t);
                            return Ok(());
                        }
                        "__traceback__" => return Ok(()),
                        _ => {}
                    }
                }
                let t = ty.downcast_ref::<Type>().unwrap();
                let is_slot = t.slot_names.borrow().iter().any(|s| *s == n);
                if !t.flags.get().has_dict && !is_slot {
                    let tn = self.type_name(obj);
                    return Err(self.attribute_error(format!("'{tn}' object has no attribute '{n}'")));
                }
                // Without a __dict__, the slot values live in the inline attributes
                // (nothing else can); with one, apart from the instance dict.
                if is_slot && t.flags.get().has_dict {
                    let inst = obj.downcast_ref::<Instance>().unwrap();
                    let mut sl = inst.slots().borrow_mut();
                    if let Some(e) = sl.iter_mut().find(|(k, _)| k.downcast_ref::<Str>().is_some_and(|s| *s.s == *n)) {
                        let old = std::mem::replace(&mut e.1, value);
                        drop(sl);
                        drop(old);
                    } else {
                        let nslots = t.slot_names.borrow().len();
                        crate::objects::instance::push_attr(&mut sl, (name.clone(), value), nslots);
                    }
                    return Ok(());
                }
                let inst = obj.downcast_ref::<Instance>().unwrap();
                let hint = if is_slot { t.slot_names.borrow().len() } else { 0 };
                match inst.set_own_attr(name, value, hint) {
                    Ok(()) => Ok(()),
                    Err(value) => {
                        let d = match &*inst.attrs.borrow() {
                            Attrs::Dict(d) => d.clone(),
                            _ => unreachable!("inline attributes refuse only for a dict"),
                        };
                        self.dict_set(&d, name.clone(), value)
                    }
                }
            }
            kind::TYPE => {
                let t = obj.downcast_ref::<Type>().unwrap();
                if !t.heap {
                    let n = self.str_val(name);
                    let tn = t.name.borrow().clone();
                    return Err(self.type_error(format!(
                        "cannot set '{n}' attribute of immutable type '{tn}'"
                    )));
                }
                let d = t.dict.clone();
                self.dict_set(&d, name.clone(), value)?;
                self.refresh_type_flags(obj);
                Ok(())
            }
            kind::MODULE => {
                let d = obj.downcast_ref::<Module>().unwrap().dict.clone();
                self.dict_set(&d, name.clone(), value)
            }
            kind::FUNCTION => {
                let f = obj.downcast_ref::<Function>().unwrap();
                let n = self.str_val(name);
                match n.as_str() {
                    "__name__" => *f.name.borrow_mut() = value,
                    "__qualname__" => *f.qualname.borrow_mut() = value,
                    "__doc__" => *f.doc.borrow_mut() = value,
                    "__module__" => *f.module.borrow_mut() = if self.is_none(&value) { None } else { Some(value) },
                    "__defaults__" => *f.defaults.borrow_mut() = if self.is_none(&value) { None } else { Some(value) },
                    "__kwdefaults__" => *f.kwdefaults.borrow_mut() = if self.is_none(&value) { None } else { Some(value) },
                    _ => {
                        let d = f.dict.borrow().clone();
                        let d = match d {
                            Some(d) => d,
                            None => {
                                let d = self.new_dict();
                                *f.dict.borrow_mut() = Some(d.clone());
                                d
                            }
                        };
                        self.dict_set(&d, name.clone(), value)?;
                    }
                }
                Ok(())
            }
            _ => {
                let n = self.str_val(name);
                let tn = self.type_name(obj);
                let has = self.generic_getattr(obj, &ty, name).ok().flatten().is_some();
                if has {
                    Err(self.attribute_error(format!("'{tn}' object attribute '{n}' is read-only")))
                } else {
                    Err(self.attribute_error(format!("'{tn}' object has no attribute '{n}'")))
                }
            }
        }
    }

    pub fn delattr(&mut self, obj: &Value, name: &Value) -> PyResult<()> {
        let ty = self.type_of(obj);
        let flags = ty.downcast_ref::<Type>().map(|t| t.flags.get()).unwrap_or_default();
        if flags.has_delattr {
            let da = self.intern_static("__delattr__");
            if let Some(f) = self.lookup_mro(&ty, &da) {
                if f.is::<Function>() {
                    self.call(&f, &[obj.clone(), name.clone()], &[])?;
                    return Ok(());
                }
            }
        }
        self.generic_delattr(obj, name)
    }

    pub fn generic_delattr(&mut self, obj: &Value, name: &Value) -> PyResult<()> {
        let ty = self.type_of(obj);
        if let Some(d) = self.lookup_mro(&ty, name) {
            if let Some(p) = d.downcast_ref::<Property>() {
                return match p.fdel.clone() {
                    Some(s) => self.call(&s, &[obj.clone()], &[]).map(|_| ()),
                    None => {
                        let n = self.str_val(name);
                        let tn = self.type_name(obj);
                        Err(self.attribute_error(format!("property '{n}' of '{tn}' object has no deleter")))
                    }
                };
            }
            if d.is::<Instance>() {
                let dty = self.type_of(&d);
                let del = self.intern_static("__delete__");
                if let Some(s) = self.lookup_mro(&dty, &del) {
                    self.call_method_value(&s, &d, &[obj.clone()])?;
                    return Ok(());
                }
            }
        }
        let removed = match obj.kind().unwrap_or(0) {
            kind::INSTANCE if obj.downcast_ref::<Instance>().unwrap().slot_values().is_some_and(|sl| sl.borrow().iter().any(|(k, _)| k.downcast_ref::<Str>().map(|s| &s.s) == name.downcast_ref::<Str>().map(|s| &s.s))) => {
                let inst = obj.downcast_ref::<Instance>().unwrap();
                let ns = name.downcast_ref::<Str>().map(|s| s.s.clone());
                let mut sl = inst.slots().borrow_mut();
                let pos = sl.iter().position(|(k, _)| k.downcast_ref::<Str>().map(|s| &s.s) == ns.as_ref());
                let old = pos.map(|p| sl.remove(p));
                drop(sl);
                old.map(|(_, v)| v)
            }
            kind::INSTANCE => {
                let inst = obj.downcast_ref::<Instance>().unwrap();
                match inst.del_own_attr(name) {
                    Ok(old) => old,
                    Err(d) => self.dict_del_str(&d, name),
                }
            }
            kind::TYPE => {
                let d = obj.downcast_ref::<Type>().unwrap().dict.clone();
                let r = self.dict_del_str(&d, name);
                self.refresh_type_flags(obj);
                r
            }
            kind::MODULE => {
                let d = obj.downcast_ref::<Module>().unwrap().dict.clone();
                self.dict_del_str(&d, name)
            }
            kind::FUNCTION => {
                let d = obj.downcast_ref::<Function>().unwrap().dict.borrow().clone();
                d.and_then(|d| self.dict_del_str(&d, name))
            }
            _ => None,
        };
        match removed {
            Some(v) => {
                drop(v);
                Ok(())
            }
            None => {
                // An empty slot's member descriptor says only the name, as CPython's.
                if let Some(i) = obj.downcast_ref::<Instance>() {
                    let n = self.str_val(name);
                    let is_slot = i.cls().downcast_ref::<Type>().is_some_and(|t| t.slot_names.borrow().iter().any(|s| *s == n));
                    if is_slot {
                        return Err(self.attribute_error(n));
                    }
                }
                Err(self.no_attribute(obj, name))
            }
        }
    }

    /// Recompute the cached special-method flags of `ty` and its subclasses' view.
    pub fn refresh_type_flags(&mut self, ty: &Value) {
        let names = ["__del__", "__getattr__", "__getattribute__", "__setattr__", "__delattr__"];
        let mut found = [false; 5];
        for (i, n) in names.iter().enumerate() {
            let nv = self.intern(n);
            if let Some(v) = self.lookup_mro(ty, &nv) {
                // object's own slots are not overrides.
                found[i] = !v.is::<BuiltinFn>();
            }
        }
        let abstract_key = self.intern_static("__abstractmethods__");
        let abstracts = ty.downcast_ref::<Type>().and_then(|t| self.dict_get_str(&t.dict, &abstract_key));
        let is_abstract = match abstracts {
            Some(a) => self.is_true(&a).unwrap_or(false),
            None => false,
        };
        if let Some(t) = ty.downcast_ref::<Type>() {
            let mut fl = t.flags.get();
            fl.is_abstract = is_abstract;
            fl.has_del = found[0];
            fl.has_getattr = found[1];
            fl.has_getattribute = found[2];
            fl.has_setattr = found[3];
            fl.has_delattr = found[4];
            t.flags.set(fl);
        }
    }
}
