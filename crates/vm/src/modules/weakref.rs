//! The `weakref` module: `ref` (with callbacks), `proxy`, `getweakrefcount`,
//! `getweakrefs`; `WeakValueDictionary`, `WeakKeyDictionary`, `WeakSet` and `finalize`
//! are written in Python on top of `ref` (see `WEAKREF_PY`).
//!
//! Which weakrefs point at an object is kept here, keyed by the object's address; the
//! gc crate tells us when an object dies (`clear_weakrefs` hook), and weak addresses
//! (`pyvm_gc::WeakAddr`) only upgrade while their object is alive.

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use hashbrown::HashMap;
use pyvm_gc::{Value, WeakAddr};
use std::cell::RefCell;

thread_local! {
    /// referent address -> weakref objects pointing at it (oldest first).
    static REFS: RefCell<HashMap<usize, Vec<WeakAddr>>> = RefCell::new(HashMap::new());
}

/// gc hook: `obj` is dying. Clear its weakrefs; return those with callbacks, most
/// recent first (CPython's list order). If `obj` is itself a weakref, unregister it.
pub fn clear_weakrefs(obj: &Value) -> Vec<Value> {
    if let Some(w) = obj.downcast_ref::<WeakRef>() {
        if let Some(target) = w.referent.take() {
            REFS.with(|r| {
                let mut r = r.borrow_mut();
                if let Some(list) = r.get_mut(&target.addr()) {
                    list.retain(|a| a.addr() != obj.raw());
                    if list.is_empty() {
                        r.remove(&target.addr());
                    }
                }
            });
        }
    }
    let list = REFS.with(|r| r.borrow_mut().remove(&obj.raw())).unwrap_or_default();
    let mut with_cb = Vec::new();
    for a in list.into_iter().rev() {
        if let Some(wr) = a.upgrade() {
            if let Some(w) = wr.downcast_ref::<WeakRef>() {
                w.referent.set(None);
                if w.callback.borrow().is_some() {
                    with_cb.push(wr);
                }
            }
        }
    }
    with_cb
}

pub fn is_weakref(v: &Value) -> bool {
    v.is::<WeakRef>()
}

/// bpo-38006: a weakref that is garbage itself is cleared without its callback.
pub fn clear_weakref(v: &Value) {
    if let Some(w) = v.downcast_ref::<WeakRef>() {
        w.referent.set(None);
    }
}

fn weakrefable(v: &Value) -> bool {
    matches!(
        v.kind().unwrap_or(0),
        kind::INSTANCE | kind::FUNCTION | kind::TYPE | kind::SET | kind::GENERATOR | kind::METHOD | kind::MODULE | kind::CODE
    )
}

impl Vm {
    pub fn new_weakref(&mut self, obj: &Value, callback: Option<Value>, proxy: bool) -> PyResult<Value> {
        if !weakrefable(obj) || (obj.is::<Instance>() && !self.instance_weakrefable(obj)) {
            let tn = self.type_name(obj);
            return Err(self.type_error(format!("cannot create weak reference to '{tn}' object")));
        }
        let Some(target) = WeakAddr::new(obj) else {
            let tn = self.type_name(obj);
            return Err(self.type_error(format!("cannot create weak reference to '{tn}' object")));
        };
        // `ref(obj)` and `proxy(obj)` without a callback are shared, as in CPython.
        if callback.is_none() {
            let existing = REFS.with(|r| r.borrow().get(&target.addr()).cloned()).unwrap_or_default();
            for a in existing {
                if let Some(wr) = a.upgrade() {
                    if let Some(w) = wr.downcast_ref::<WeakRef>() {
                        if w.callback.borrow().is_none() && w.proxy == proxy {
                            return Ok(wr);
                        }
                    }
                }
            }
        }
        let wr = Value::new(WeakRef {
            referent: std::cell::Cell::new(Some(target)),
            callback: RefCell::new(callback),
            hash: std::cell::Cell::new(None),
            proxy,
            callable: proxy && self.is_callable(obj),
        });
        if let Some(me) = WeakAddr::new(&wr) {
            REFS.with(|r| r.borrow_mut().entry(target.addr()).or_default().push(me));
        }
        Ok(wr)
    }

    /// Has this instance's class a `__weakref__` slot? Not `object()` itself, not
    /// subclasses of the variable-size int/str/bytes/tuple, and not `__slots__`
    /// classes unless a slot (or a base) provides `__weakref__` or `__dict__`.
    fn instance_weakrefable(&self, obj: &Value) -> bool {
        let ty = self.type_of(obj);
        let Some(t) = ty.downcast_ref::<Type>() else { return true };
        if !t.heap || matches!(t.builtin_base, kind::INT | kind::STR | kind::BYTES | kind::TUPLE) {
            return false;
        }
        let f = t.flags.get();
        !f.slotted || f.has_dict || t.slot_names.borrow().iter().any(|n| n == "__weakref__")
    }

    /// Call a cleared weakref's callback with the weakref (errors are unraisable).
    pub fn call_weakref_callback(&mut self, wr: &Value) {
        let cb = wr.downcast_ref::<WeakRef>().and_then(|w| w.callback.borrow_mut().take());
        if let Some(cb) = cb {
            if let Err(e) = self.call(&cb, &[wr.clone()], &[]) {
                let r = self.repr(&cb).unwrap_or_default();
                self.write_unraisable_obj(&e, Some(cb.clone()), &r);
            }
        }
    }

    pub fn weakref_target(&self, wr: &Value) -> Option<Value> {
        wr.downcast_ref::<WeakRef>().and_then(|w| w.referent.get()).and_then(|a| a.upgrade())
    }
}

fn ref_new(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    if args.len() < 2 {
        return Err(vm.type_error("__new__ expected at least 1 argument, got 0"));
    }
    if args.len() > 3 {
        return Err(vm.type_error(format!("__new__ expected at most 2 arguments, got {}", args.len() - 1)));
    }
    let cb = args.get(2).cloned().filter(|c| !vm.is_none(c));
    vm.new_weakref(&args[1], cb, false)
}
fn ref_call(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(vm.weakref_target(&args[0]).unwrap_or_else(|| vm.none.clone()))
}
fn ref_hash(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let w = args[0].downcast_ref::<WeakRef>().unwrap();
    if let Some(h) = w.hash.get() {
        return Ok(vm.new_int(h));
    }
    match vm.weakref_target(&args[0]) {
        Some(t) => {
            let h = vm.hash(&t)?;
            w.hash.set(Some(h));
            Ok(vm.new_int(h))
        }
        None => Err(vm.type_error("weak object has gone away")),
    }
}
fn ref_eq(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (a, b) = (&args[0], &args[1]);
    if !b.is::<WeakRef>() {
        return Ok(vm.not_implemented.clone());
    }
    match (vm.weakref_target(a), vm.weakref_target(b)) {
        (Some(x), Some(y)) => {
            let r = vm.eq(&x, &y)?;
            Ok(vm.new_bool(r))
        }
        _ => Ok(vm.new_bool(a.ptr_eq(b))),
    }
}
fn ref_repr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = vm.weakref_repr(&args[0]);
    Ok(vm.new_str(s))
}

impl Vm {
    /// CPython's weakref reprs: `<weakref at A; to 'T' at B (name)>` (the name when the
    /// referent has a str `__name__`), `<weakref at A; dead>`, `<weakproxy at A to T at B>`.
    pub fn weakref_repr(&mut self, wr: &Value) -> String {
        let me = crate::ops::repr::addr(wr);
        let proxy = wr.downcast_ref::<WeakRef>().is_some_and(|w| w.proxy);
        let (kind, sep) = if proxy { ("weakproxy", "") } else { ("weakref", ";") };
        match self.weakref_target(wr) {
            Some(t) => {
                let tn = self.type_name(&t);
                let at = crate::ops::repr::addr(&t);
                if proxy {
                    return format!("<{kind} at {me} to {tn} at {at}>");
                }
                let name = match t.kind().unwrap_or(0) {
                    kind::FUNCTION | kind::TYPE | kind::BUILTIN => self.getattr_str(&t, "__name__").ok().and_then(|n| n.downcast_ref::<Str>().map(|s| s.s.to_string())),
                    _ => None,
                };
                match name {
                    Some(n) => format!("<{kind} at {me}{sep} to '{tn}' at {at} ({n})>"),
                    None => format!("<{kind} at {me}{sep} to '{tn}' at {at}>"),
                }
            }
            None => format!("<{kind} at {me}{sep} dead>"),
        }
    }
}

fn proxy(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let cb = args.get(1).cloned().filter(|c| !vm.is_none(c));
    vm.new_weakref(&args[0], cb, true)
}
fn getweakrefcount(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let n = REFS.with(|r| r.borrow().get(&args[0].raw()).map_or(0, |l| l.iter().filter(|a| a.upgrade().is_some()).count()));
    Ok(vm.new_int(n as i64))
}
fn getweakrefs(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let list = REFS.with(|r| r.borrow().get(&args[0].raw()).cloned()).unwrap_or_default();
    let v: Vec<Value> = list.into_iter().rev().filter_map(|a| a.upgrade()).collect();
    Ok(vm.new_list(v))
}

/// Weak containers and `finalize`, written in Python over `ref`.
const WEAKREF_PY: &str = include_str!("weakref_part.py");

/// The weakref types' methods and the proxy types: made with the interpreter (like
/// CPython's static types), so `import weakref` creates only the module.
pub fn init_types(vm: &mut Vm) {
    let ty = vm.types.weakref.clone();
    if let Some(t) = ty.downcast_ref::<Type>() {
        *t.name.borrow_mut() = "weakref.ReferenceType".into();
        *t.qualname.borrow_mut() = "ReferenceType".into();
        let modname = vm.new_str("weakref");
        *t.module.borrow_mut() = Some(modname);
    }
    vm.add_static(&ty, "__new__", ref_new);
    vm.add_method(&ty, "__call__", ref_call);
    vm.add_method(&ty, "__hash__", ref_hash);
    vm.add_method(&ty, "__eq__", ref_eq);
    vm.add_method(&ty, "__repr__", ref_repr);
    for name in ["ProxyType", "CallableProxyType"] {
        let t = vm.new_internal_type(name, Some("weakref"), kind::WEAKREF, false);
        if let Some(tt) = t.downcast_ref::<Type>() {
            *tt.name.borrow_mut() = format!("weakref.{name}").into();
        }
        vm.iter_types.insert(name, t);
    }
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = vm.new_module("weakref");
    let ty = vm.types.weakref.clone();
    vm.module_add(&m, "ref", ty.clone());
    vm.module_add(&m, "ReferenceType", ty);
    vm.module_add_fn(&m, "proxy", proxy);
    let mut proxy_types = Vec::new();
    for name in ["ProxyType", "CallableProxyType"] {
        if let Some(t) = vm.iter_types.get(name).cloned() {
            vm.module_add(&m, name, t.clone());
            proxy_types.push(t);
        }
    }
    let pt = vm.new_tuple(proxy_types);
    vm.module_add(&m, "ProxyTypes", pt);
    vm.module_add_fn(&m, "getweakrefcount", getweakrefcount);
    vm.module_add_fn(&m, "getweakrefs", getweakrefs);
    let d = m.downcast_ref::<Module>().unwrap().dict.clone();
    let bm = vm.builtins_module.clone();
    vm.module_add(&m, "__builtins__", bm);
    vm.run_source_in(&d, WEAKREF_PY, "<weakref>")?;
    Ok(m)
}
