//! Methods of `object`, `type`, `BaseException`, generators, `property`,
//! `staticmethod`/`classmethod`, `super`, functions and other core types.

use crate::interp::SendResult;
use crate::objects::*;
use crate::vm::{NativeFn, PyResult, Vm};
use pyvm_gc::Value;

pub fn install(vm: &mut Vm) {
    let o = vm.types.object.clone();
    vm.add_static(&o, "__new__", object_new);
    vm.add_method(&o, "__init__", object_init);
    vm.add_method(&o, "__repr__", object_repr);
    vm.add_method(&o, "__str__", object_str);
    vm.add_method(&o, "__eq__", object_eq);
    vm.add_method(&o, "__ne__", object_ne);
    vm.add_method(&o, "__hash__", object_hash);
    vm.add_method(&o, "__setattr__", object_setattr);
    vm.add_method(&o, "__getattribute__", object_getattribute);
    vm.add_method(&o, "__delattr__", object_delattr);
    vm.add_method(&o, "__format__", object_format);
    vm.add_method(&o, "__dir__", object_dir);
    vm.add_method(&o, "__init_subclass__", object_init_subclass);
    vm.add_method(&o, "__reduce_ex__", object_init_subclass);
    vm.add_method(&o, "__reduce__", object_init_subclass);
    // Rich comparisons other than ==/!= are not defined for plain objects; the
    // interpreter never calls these natives (it skips them), explicit calls get
    // NotImplemented as from CPython's object.
    for name in ["__lt__", "__le__", "__gt__", "__ge__"] {
        vm.add_method(&o, name, object_not_implemented);
    }
    vm.add_classmethod(&o, "__subclasshook__", object_not_implemented);
    vm.add_method(&o, "__sizeof__", object_sizeof);
    vm.add_method(&o, "__getstate__", object_getstate);

    let t = vm.types.type_.clone();
    vm.add_static(&t, "__new__", type_new);
    vm.add_method(&t, "mro", type_mro);
    vm.add_method(&t, "__subclasses__", type_subclasses);
    vm.add_method(&t, "__instancecheck__", type_instancecheck);
    vm.add_method(&t, "__subclasscheck__", type_subclasscheck);
    vm.add_method(&t, "__call__", type_call);
    vm.add_method(&t, "__repr__", type_repr);

    let e = vm.exc["BaseException"].clone();
    vm.add_method(&e, "__init__", exc_init);
    vm.add_method(&e, "with_traceback", exc_with_traceback);
    vm.add_method(&e, "__str__", exc_str);
    vm.add_method(&e, "__repr__", exc_repr);
    vm.add_method(&e, "add_note", exc_add_note);
    let si = vm.exc["StopIteration"].clone();
    vm.add_method(&si, "__init__", stopiter_init);

    for g in [vm.types.generator.clone(), vm.types.coroutine.clone(), vm.types.async_generator.clone()] {
        vm.add_method(&g, "send", gen_send);
        vm.add_method(&g, "throw", gen_throw);
        vm.add_method(&g, "close", gen_close);
        vm.add_method(&g, "__next__", gen_next);
        vm.add_method(&g, "__iter__", identity);
    }
    for it in vm.iter_types.values().cloned().collect::<Vec<_>>() {
        vm.add_method(&it, "__next__", iter_next);
        vm.add_method(&it, "__iter__", identity);
    }
    let g = vm.types.coroutine.clone();
    vm.add_method(&g, "__await__", identity);
    let ag = vm.types.async_generator.clone();
    vm.add_method(&ag, "__aiter__", identity);
    vm.add_method(&ag, "__anext__", agen_anext);
    vm.add_method(&ag, "asend", agen_asend);
    vm.add_method(&ag, "athrow", agen_athrow);
    vm.add_method(&ag, "aclose", agen_aclose);
    let asend_ty = vm.new_internal_type("async_generator_asend", None, kind::ASYNC_ASEND, false);
    vm.add_method(&asend_ty, "send", asend_send);
    vm.add_method(&asend_ty, "__next__", asend_next);
    vm.add_method(&asend_ty, "throw", asend_throw);
    vm.add_method(&asend_ty, "close", asend_close);
    vm.add_method(&asend_ty, "__await__", identity);
    vm.add_method(&asend_ty, "__iter__", identity);
    vm.iter_types.insert("async_generator_asend", asend_ty);

    let p = vm.types.property.clone();
    vm.add_static(&p, "__new__", property_new);
    vm.add_method(&p, "getter", property_getter);
    vm.add_method(&p, "setter", property_setter);
    vm.add_method(&p, "deleter", property_deleter);
    vm.add_method(&p, "__get__", property_get);
    vm.add_method(&p, "__set__", property_set);
    vm.add_method(&p, "__init__", property_init);
    let s = vm.types.staticmethod.clone();
    vm.add_static(&s, "__new__", staticmethod_new);
    vm.add_method(&s, "__get__", wrapped_method_get);
    let c = vm.types.classmethod.clone();
    vm.add_static(&c, "__new__", classmethod_new);
    vm.add_method(&c, "__get__", wrapped_method_get);
    let sup = vm.types.super_.clone();
    vm.add_static(&sup, "__new__", super_new);
    let f = vm.types.function.clone();
    vm.add_method(&f, "__get__", function_get);
    let r = vm.types.range.clone();
    vm.add_static(&r, "__new__", range_new);
    vm.add_method(&r, "index", range_index);
    vm.add_method(&r, "count", range_count);
    let sl = vm.types.slice.clone();
    vm.add_static(&sl, "__new__", slice_new);
    vm.add_method(&sl, "indices", slice_indices);
    let nt = vm.types.none_type.clone();
    vm.add_static(&nt, "__new__", none_new);
}

fn identity(_vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(args[0].clone())
}

/// `object.__new__` (compared by address by `type_call_default`, which calls
/// `Vm::object_new` directly).
pub const OBJECT_NEW: NativeFn = object_new;

fn object_new(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    if args.is_empty() {
        return Err(vm.type_error("object.__new__(): not enough arguments"));
    }
    let cls = args[0].clone();
    // An explicit `object.__new__(X)` for a built-in X (CPython's tp_new_wrapper check).
    if let Some(t) = cls.downcast_ref::<Type>() {
        if !t.heap && !t.flags.get().is_exception && !cls.ptr_eq(&vm.types.object) {
            let n = t.name.borrow().clone();
            return Err(vm.type_error(format!("object.__new__({n}) is not safe, use {n}.__new__()")));
        }
    }
    vm.object_new(&cls, &args[1..], kw)
}
fn object_init(_vm: &mut Vm, _args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(_vm.none.clone())
}
fn object_init_subclass(vm: &mut Vm, _args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(vm.none.clone())
}
fn object_repr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let v = &args[0];
    let ty = vm.type_of(v);
    let t = ty.downcast_ref::<Type>().unwrap();
    let qn = t.qualname.borrow().clone();
    let module = t.module.borrow().clone().map(|m| vm.str_val(&m)).unwrap_or_else(|| "builtins".into());
    let prefix = if module == "builtins" { String::new() } else { format!("{module}.") };
    let s = format!("<{prefix}{qn} object at {}>", crate::ops::repr::addr(v));
    Ok(vm.new_str(s))
}
fn object_str(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = vm.repr(&args[0])?;
    Ok(vm.new_str(s))
}
fn object_eq(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__eq__", &args[1..], 1, 1)?;
    if args[0].ptr_eq(&args[1]) {
        Ok(vm.true_.clone())
    } else {
        Ok(vm.not_implemented.clone())
    }
}
fn object_ne(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__ne__", &args[1..], 1, 1)?;
    let r = vm.rich_compare(&args[0], &args[1], 2)?;
    if r.ptr_eq(&vm.not_implemented) {
        return Ok(r);
    }
    let b = vm.is_true(&r)?;
    Ok(vm.new_bool(!b))
}
fn object_hash(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(vm.new_int(crate::ops::dictops::id_hash(&args[0])))
}
fn object_setattr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__setattr__", &args[1..], 2, 2)?;
    vm.generic_setattr(&args[0], &args[1], args[2].clone())?;
    Ok(vm.none.clone())
}
fn object_delattr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__delattr__", &args[1..], 1, 1)?;
    vm.generic_delattr(&args[0], &args[1])?;
    Ok(vm.none.clone())
}
fn object_getattribute(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__getattribute__", &args[1..], 1, 1)?;
    let ty = vm.type_of(&args[0]);
    match vm.generic_getattr(&args[0], &ty, &args[1])? {
        Some(v) => Ok(v),
        None => Err(vm.no_attribute(&args[0], &args[1])),
    }
}
fn object_format(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let spec = vm.str_val(&args[1]);
    if !spec.is_empty() {
        let tn = vm.type_name(&args[0]);
        return Err(vm.type_error(format!("unsupported format string passed to {tn}.__format__")));
    }
    let s = vm.to_str(&args[0])?;
    Ok(vm.new_str(s))
}
fn object_dir(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let names = vm.dir_names(&args[0])?;
    Ok(vm.new_list(names))
}

fn type_new(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let npos = args.len() - kw.len();
    if npos == 2 {
        return Ok(vm.type_of(&args[1]));
    }
    if npos != 4 {
        return Err(vm.type_error("type() takes 1 or 3 arguments"));
    }
    let meta = args[0].clone();
    let name = vm.str_val(&args[1]);
    let bases = vm.to_vec(&args[2])?;
    let dict_t = vm.types.dict.clone();
    if !vm.isinstance(&args[3], &dict_t) {
        let tn = vm.type_name(&args[3]);
        return Err(vm.type_error(format!("type.__new__() argument 3 must be dict, not {tn}")));
    }
    // The class namespace is a copy; without '__module__' it gets the caller's module
    // name, as CPython's type_new takes it from the current globals.
    let ns = vm.new_dict();
    vm.dict_update_from(&ns, &args[3], true)?;
    let mn = vm.intern_static("__module__");
    if vm.dict_get_str(&ns, &mn).is_none() {
        let g = vm.current_globals();
        let nn = vm.intern_static("__name__");
        if let Some(modname) = g.is::<Dict>().then(|| vm.dict_get_str(&g, &nn)).flatten() {
            vm.dict_set(&ns, mn, modname)?;
        }
    }
    let kwv: Vec<(Value, Value)> = kw.iter().cloned().zip(args[npos..].iter().cloned()).collect();
    vm.make_class(&meta, &name, bases, &ns, kwv)
}
fn type_call(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let cls = args[0].clone();
    vm.type_call_default(&cls, &args[1..], kw)
}
fn type_mro(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let t = args[0].downcast_ref::<Type>().ok_or_else(|| vm.type_error("descriptor 'mro' requires a 'type' object"))?;
    let mut v = vec![args[0].clone()];
    v.extend(t.mro.borrow().iter().cloned());
    Ok(vm.new_list(v))
}
fn type_subclasses(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let subs = args[0].downcast_ref::<Type>().map(|t| t.subclasses.borrow().clone()).unwrap_or_default();
    let v = subs.into_iter().filter_map(|a| a.upgrade()).collect();
    Ok(vm.new_list(v))
}
fn type_instancecheck(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let r = vm.isinstance(&args[1], &args[0]);
    Ok(vm.new_bool(r))
}
fn type_subclasscheck(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let r = vm.is_subtype(&args[1], &args[0]);
    Ok(vm.new_bool(r))
}

fn object_not_implemented(vm: &mut Vm, _args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(vm.not_implemented.clone())
}
/// `object.__sizeof__`: the size sys.getsizeof reports, without the GC head.
fn object_sizeof(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__sizeof__", &args[1..], 0, 0)?;
    let sys = vm.sys.clone();
    let Some(sys) = sys else { return Ok(vm.new_int(16)) };
    let f = vm.getattr_str(&sys, "getsizeof")?;
    let n = vm.call(&f, &[args[0].clone()], &[])?;
    let n = vm.as_i64(&n).unwrap_or(16);
    let bare = args[0].is::<Instance>() && vm.type_of(&args[0]).ptr_eq(&vm.types.object);
    let gc_head = if !bare && args[0].header().is_some_and(|h| h.is_container()) { 16 } else { 0 };
    Ok(vm.new_int(n - gc_head))
}
/// `object.__getstate__`: the instance dict (None when it is empty or absent).
fn object_getstate(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__getstate__", &args[1..], 0, 0)?;
    if args[0].is::<Instance>() {
        if let Ok(d) = vm.getattr_str(&args[0], "__dict__") {
            if vm.len(&d).unwrap_or(0) > 0 {
                return Ok(d);
            }
        }
    }
    Ok(vm.none.clone())
}
fn type_repr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__repr__", &args[1..], 0, 0)?;
    let s = vm.repr(&args[0])?;
    Ok(vm.new_str(s))
}

fn exc_init(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let npos = args.len() - kw.len();
    if !kw.is_empty() {
        let tn = vm.type_name(&args[0]);
        return Err(vm.type_error(format!("{tn}() takes no keyword arguments")));
    }
    let pos = &args[1..npos];
    let mut t = vm.new_tuple(pos.iter().cloned().collect::<crate::objects::TupleItems>());
    let os_error = vm.os_error.clone();
    if vm.isinstance(&args[0], &os_error) {
        // OSError(errno, strerror[, filename[, winerror[, filename2]]]): the attributes,
        // and args keeps only (errno, strerror), as CPython's oserror_init does.
        let none = vm.none.clone();
        let (errno, strerror, filename, filename2) = if (2..=5).contains(&pos.len()) {
            (pos[0].clone(), pos[1].clone(), pos.get(2).cloned().unwrap_or(none.clone()), pos.get(4).cloned().unwrap_or(none.clone()))
        } else {
            (none.clone(), none.clone(), none.clone(), none.clone())
        };
        if pos.len() >= 3 {
            t = vm.new_tuple(&pos[..2]);
        }
        for (k, v) in [("errno", errno), ("strerror", strerror), ("filename", filename), ("filename2", filename2)] {
            let k = vm.intern(k);
            vm.generic_setattr(&args[0], &k, v)?;
        }
    }
    // The two typed Unicode errors are UnicodeErrors: one check rules both out.
    let unicode_error = vm.unicode_error.clone();
    let kinds: &[&str] = if vm.isinstance(&args[0], &unicode_error) { &["UnicodeDecodeError", "UnicodeEncodeError"] } else { &[] };
    for &kind in kinds {
        let ty = vm.exc[kind].clone();
        if vm.isinstance(&args[0], &ty) {
            // UnicodeError(encoding, object, start, end, reason): typed attributes.
            let want_bytes = kind == "UnicodeDecodeError";
            let ok = pos.len() == 5
                && pos[0].is::<Str>()
                && (if want_bytes { crate::methods::bytes_of(&pos[1]).is_some() } else { pos[1].is::<Str>() })
                && vm.as_i64(&pos[2]).is_some()
                && vm.as_i64(&pos[3]).is_some()
                && pos[4].is::<Str>();
            if !ok {
                let n = pos.len();
                return Err(vm.type_error(format!("function takes exactly 5 arguments ({n} given)")));
            }
            for (k, v) in ["encoding", "object", "start", "end", "reason"].into_iter().zip(pos.iter()) {
                let k = vm.intern(k);
                vm.generic_setattr(&args[0], &k, v.clone())?;
            }
        }
    }
    if let Some(d) = vm.exc_data(&args[0]) {
        d.borrow_mut().args = Some(t);
    }
    Ok(vm.none.clone())
}
fn exc_add_note(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("add_note", &args[1..], 1, 1)?;
    if !args[1].is::<Str>() {
        let tn = vm.type_name(&args[1]);
        return Err(vm.type_error(format!("note must be a str, not '{tn}'")));
    }
    let notes = match vm.getattr_str(&args[0], "__notes__") {
        Ok(n) => n,
        Err(_) => {
            let l = vm.new_list(vec![]);
            let k = vm.intern_static("__notes__");
            vm.generic_setattr(&args[0], &k, l.clone())?;
            l
        }
    };
    if let Some(l) = notes.downcast_ref::<List>() {
        l.items.borrow_mut().push(args[1].clone());
    }
    Ok(vm.none.clone())
}
fn stopiter_init(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    exc_init(vm, args, kw)?;
    let v = args.get(1).cloned().unwrap_or_else(|| vm.none.clone());
    let inst = args[0].downcast_ref::<Instance>().unwrap();
    let _ = inst;
    let name = vm.intern_static("value");
    vm.generic_setattr(&args[0], &name, v)?;
    Ok(vm.none.clone())
}
fn exc_with_traceback(_vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(args[0].clone())
}
fn exc_str(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = vm.exception_str(&args[0])?;
    Ok(vm.new_str(s))
}
fn exc_repr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let tn = vm.type_name(&args[0]);
    let a = vm.exc_data(&args[0]).and_then(|d| d.borrow().args.clone());
    let items = a.and_then(|a| a.downcast_ref::<Tuple>().map(|t| t.0.to_vec())).unwrap_or_default();
    let inner = if items.len() == 1 {
        vm.repr(&items[0])?
    } else {
        let mut parts = Vec::new();
        for x in &items {
            parts.push(vm.repr(x)?);
        }
        parts.join(", ")
    };
    Ok(vm.new_str(format!("{tn}({inner})")))
}

fn gen_send(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("send", &args[1..], 1, 1)?;
    match vm.gen_send(&args[0], args[1].clone())? {
        SendResult::Yield(v) => Ok(v),
        SendResult::Return(v) => Err(stop_with(vm, v)),
    }
}
fn stop_with(vm: &mut Vm, v: Value) -> crate::vm::PyErr {
    if vm.is_none(&v) {
        vm.stop_iteration(None)
    } else {
        let e = vm.stop_iteration(Some(v.clone()));
        let name = vm.intern_static("value");
        let _ = vm.generic_setattr(&e.0, &name, v);
        e
    }
}
fn gen_next(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let none = vm.none.clone();
    match vm.gen_send(&args[0], none)? {
        SendResult::Yield(v) => Ok(v),
        SendResult::Return(v) => Err(stop_with(vm, v)),
    }
}
fn gen_throw(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("throw", &args[1..], 1, 3)?;
    let typ = args[1].clone();
    let e = if vm.is_exception_type(&typ) {
        // throw(type, value): a value that is already an instance of type is raised as is.
        if let Some(v) = args.get(2) {
            if vm.is_exception_instance(v) && vm.isinstance(v, &typ) {
                let none = vm.none.clone();
                return match vm.gen_resume(&args[0], none, Some(crate::vm::PyErr(v.clone())))? {
                    SendResult::Yield(y) => Ok(y),
                    SendResult::Return(r) => Err(stop_with(vm, r)),
                };
            }
        }
        let a: Vec<Value> = match args.get(2) {
            Some(v) if !vm.is_none(v) => vec![v.clone()],
            _ => vec![],
        };
        let inst = vm.call(&typ, &a, &[])?;
        crate::vm::PyErr(inst)
    } else if vm.is_exception_instance(&typ) {
        crate::vm::PyErr(typ)
    } else {
        return Err(vm.type_error("exceptions must be classes or instances deriving from BaseException, not str"));
    };
    let none = vm.none.clone();
    match vm.gen_resume(&args[0], none, Some(e))? {
        SendResult::Yield(v) => Ok(v),
        SendResult::Return(v) => Err(stop_with(vm, v)),
    }
}
fn gen_close(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.gen_close(&args[0])?;
    Ok(vm.none.clone())
}
fn new_asend(vm: &mut Vm, gen: &Value, pending: Option<Value>, throw: Option<Value>, closing: bool) -> Value {
    let _ = vm;
    Value::new(AsyncGenAsend {
        gen: gen.clone(),
        pending: std::cell::RefCell::new(pending),
        throw: std::cell::RefCell::new(throw),
        closing,
        done: std::cell::Cell::new(false),
    })
}
fn agen_anext(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(new_asend(vm, &args[0], None, None, false))
}
fn agen_asend(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("asend", &args[1..], 1, 1)?;
    Ok(new_asend(vm, &args[0], Some(args[1].clone()), None, false))
}
fn agen_athrow(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("athrow", &args[1..], 1, 3)?;
    // As generator.throw: athrow(type, value) raises value itself when it is already an
    // instance of type; a None value means no arguments.
    let e = if vm.is_exception_type(&args[1]) {
        match args.get(2) {
            Some(v) if vm.is_exception_instance(v) && vm.isinstance(v, &args[1]) => v.clone(),
            Some(v) if !vm.is_none(v) => vm.call(&args[1], std::slice::from_ref(v), &[])?,
            _ => vm.call(&args[1], &[], &[])?,
        }
    } else {
        args[1].clone()
    };
    Ok(new_asend(vm, &args[0], None, Some(e), false))
}
fn agen_aclose(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let g = args[0].downcast_ref::<Generator>().unwrap();
    if !g.started.get() || g.frame.borrow().is_none() {
        let f = g.frame.borrow_mut().take();
        drop(f);
        let ty = vm.exc["GeneratorExit"].clone();
        let _ = ty;
        let a = new_asend(vm, &args[0], None, None, true);
        a.downcast_ref::<AsyncGenAsend>().unwrap().done.set(false);
        return Ok(a);
    }
    let e = vm.new_exception_noargs("GeneratorExit");
    Ok(new_asend(vm, &args[0], None, Some(e.0), true))
}
fn asend_send(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let v = args.get(1).cloned().unwrap_or_else(|| vm.none.clone());
    vm.asend_step(&args[0], v, None)
}
fn asend_next(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let none = vm.none.clone();
    vm.asend_step(&args[0], none, None)
}
fn asend_throw(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let e = if vm.is_exception_type(&args[1]) { vm.call(&args[1], &[], &[])? } else { args[1].clone() };
    let none = vm.none.clone();
    vm.asend_step(&args[0], none, Some(crate::vm::PyErr(e)))
}
fn asend_close(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    if let Some(a) = args[0].downcast_ref::<AsyncGenAsend>() {
        a.done.set(true);
    }
    Ok(vm.none.clone())
}

fn iter_next(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    match vm.next(&args[0])? {
        Some(v) => Ok(v),
        None => Err(vm.stop_iteration(None)),
    }
}

fn property_new(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("property", &args[1..], kw, &["fget", "fset", "fdel", "doc"], 0)?;
    let none = vm.none.clone();
    let f = |o: &Option<Value>| o.clone().filter(|v| !v.ptr_eq(&none));
    let mut doc = f(&a[3]);
    if doc.is_none() {
        if let Some(g) = f(&a[0]) {
            doc = g.downcast_ref::<Function>().map(|fo| fo.doc.borrow().clone()).filter(|d| !d.ptr_eq(&none));
        }
    }
    let p = Value::new(Property { fget: f(&a[0]), fset: f(&a[1]), fdel: f(&a[2]), doc: doc.clone() });
    if args[0].ptr_eq(&vm.types.property) {
        return Ok(p);
    }
    // A subclass instance wraps the property; like CPython, it keeps the doc in its
    // own __dict__.
    let inst = super::num::subclass_instance(vm, &args[0].clone(), p)?;
    let k = vm.intern_static("__doc__");
    let d = doc.unwrap_or_else(|| vm.none.clone());
    vm.generic_setattr(&inst, &k, d)?;
    Ok(inst)
}
/// `property.__init__`: a subclass whose own `__init__` calls it re-initialises the
/// wrapped property (the plain type did all its work in `__new__`).
fn property_init(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    if args[0].is::<Instance>() {
        let cls = vm.types.property.clone();
        let mut full = vec![cls];
        full.extend_from_slice(&args[1..]);
        let fresh = property_new(vm, &full, kw)?;
        if let Some(inst) = args[0].downcast_ref::<Instance>() {
            inst.set_base_value(Some(fresh.clone()));
        }
        let p = fresh.downcast_ref::<Property>().expect("property");
        let doc = p.doc.clone().unwrap_or_else(|| vm.none.clone());
        let k = vm.intern_static("__doc__");
        vm.generic_setattr(&args[0], &k, doc)?;
    }
    Ok(vm.none.clone())
}
fn property_copy(vm: &mut Vm, pv: &Value, which: usize, f: Value) -> PyResult<Value> {
    let base = vm.unwrap_base(pv);
    let p = base.downcast_ref::<Property>().ok_or_else(|| vm.type_error("expected property"))?;
    let mut parts = [p.fget.clone(), p.fset.clone(), p.fdel.clone(), p.doc.clone()];
    parts[which] = Some(f);
    if pv.is::<Instance>() {
        // As CPython: a subclass's copy is built by calling the subclass.
        let cls = vm.type_of(pv);
        let none = vm.none.clone();
        let args: Vec<Value> = parts.into_iter().map(|v| v.unwrap_or_else(|| none.clone())).collect();
        return vm.call(&cls, &args, &[]);
    }
    let [fget, fset, fdel, doc] = parts;
    Ok(Value::new(Property { fget, fset, fdel, doc }))
}
fn property_getter(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    property_copy(vm, &args[0], 0, args[1].clone())
}
fn property_setter(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    property_copy(vm, &args[0], 1, args[1].clone())
}
fn property_deleter(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    property_copy(vm, &args[0], 2, args[1].clone())
}
fn property_get(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    if vm.is_none(&args[1]) {
        return Ok(args[0].clone());
    }
    let ty = vm.type_of(&args[1]);
    let p = vm.unwrap_base(&args[0]);
    if !p.is::<Property>() {
        return Err(vm.type_error("descriptor '__get__' requires a 'property' object"));
    }
    vm.bind_descriptor(p, &args[1], &ty)
}
fn property_set(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let base = vm.unwrap_base(&args[0]);
    let Some(p) = base.downcast_ref::<Property>() else {
        return Err(vm.type_error("descriptor '__set__' requires a 'property' object"));
    };
    match p.fset.clone() {
        Some(s) => vm.call(&s, &[args[1].clone(), args[2].clone()], &[]),
        None => Err(vm.attribute_error("can't set attribute")),
    }
}
fn staticmethod_new(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("staticmethod", &args[1..], 1, 1)?;
    let s = Value::new(StaticMethod(args[1].clone()));
    if args[0].ptr_eq(&vm.types.staticmethod) {
        return Ok(s);
    }
    super::num::subclass_instance(vm, &args[0].clone(), s)
}
fn classmethod_new(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("classmethod", &args[1..], 1, 1)?;
    let c = Value::new(ClassMethod(args[1].clone()));
    if args[0].ptr_eq(&vm.types.classmethod) {
        return Ok(c);
    }
    super::num::subclass_instance(vm, &args[0].clone(), c)
}
/// `staticmethod.__get__` / `classmethod.__get__` (reached for subclass instances;
/// the plain types are bound by `Vm::bind_descriptor` directly).
fn wrapped_method_get(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let d = vm.unwrap_base(&args[0]);
    let obj = args.get(1).cloned().unwrap_or_else(|| vm.none.clone());
    let ty = match args.get(2) {
        Some(t) if !vm.is_none(t) => t.clone(),
        _ => vm.type_of(&obj),
    };
    if let Some(c) = d.downcast_ref::<ClassMethod>() {
        return Ok(Value::new(Method { func: c.0.clone(), self_: ty }));
    }
    match d.downcast_ref::<StaticMethod>() {
        Some(s) => Ok(s.0.clone()),
        None => Err(vm.type_error("descriptor '__get__' requires a 'staticmethod' or 'classmethod' object")),
    }
}
fn super_new(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    if args.len() != 3 {
        return Err(vm.runtime_error("super(): no arguments"));
    }
    let (cls, obj) = (args[1].clone(), args[2].clone());
    if !cls.is::<Type>() {
        return Err(vm.type_error("super() argument 1 must be a type"));
    }
    // obj may be a class (super() in a classmethod) or an instance -- including a class
    // that is an instance of the metaclass `cls` (super() in a metaclass method).
    let ok = (obj.is::<Type>() && vm.is_subtype(&obj, &cls)) || vm.isinstance(&obj, &cls);
    if !ok {
        return Err(vm.type_error("super(type, obj): obj must be an instance or subtype of type"));
    }
    Ok(Value::new(Super { cls, obj }))
}
fn function_get(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    if args.len() < 2 || vm.is_none(&args[1]) {
        return Ok(args[0].clone());
    }
    Ok(Value::new(Method { func: args[0].clone(), self_: args[1].clone() }))
}
fn range_new(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.no_kwargs("range", kw)?;
    let a = &args[1..];
    // Bounds beyond i64 make a BigRange.
    if a.iter().any(|v| v.is::<BigIntObj>() && vm.as_i64(v).is_none()) {
        let b: Vec<num_bigint::BigInt> = a.iter().map(|v| vm.as_bigint(v).unwrap_or_default()).collect();
        let one = num_bigint::BigInt::from(1);
        let zero = num_bigint::BigInt::from(0);
        let (start, stop, step) = match b.len() {
            1 => (zero.clone(), b[0].clone(), one),
            2 => (b[0].clone(), b[1].clone(), one),
            _ => (b[0].clone(), b[1].clone(), b[2].clone()),
        };
        if step == zero {
            return Err(vm.value_error("range() arg 3 must not be zero"));
        }
        return Ok(Value::new(BigRange { start, stop, step }));
    }
    let mut nums = Vec::new();
    for v in a {
        match vm.index_value(v)? {
            Some(i) => nums.push(i),
            None => {
                let tn = vm.type_name(v);
                return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
            }
        }
    }
    let (start, stop, step) = match nums.len() {
        1 => (0, nums[0], 1),
        2 => (nums[0], nums[1], 1),
        3 => (nums[0], nums[1], nums[2]),
        0 => return Err(vm.type_error("range expected at least 1 argument, got 0")),
        n => return Err(vm.type_error(format!("range expected at most 3 arguments, got {n}"))),
    };
    if step == 0 {
        return Err(vm.value_error("range() arg 3 must not be zero"));
    }
    Ok(Value::new(Range { start, stop, step }))
}
fn range_index(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let r = args[0].downcast_ref::<Range>().unwrap();
    let (start, stop, step) = (r.start, r.stop, r.step);
    if let Some(i) = args[1].as_int() {
        let inr = if step > 0 { i >= start && i < stop } else { i <= start && i > stop };
        if inr && (i - start) % step == 0 {
            return Ok(vm.new_int((i - start) / step));
        }
    }
    let s = vm.repr(&args[1])?;
    Err(vm.value_error(format!("{s} is not in range")))
}
fn range_count(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let c = vm.contains(&args[0], &args[1])?;
    Ok(vm.new_int(c as i64))
}
fn slice_new(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let a = &args[1..];
    let none = vm.none.clone();
    let (start, stop, step) = match a.len() {
        1 => (none.clone(), a[0].clone(), none),
        2 => (a[0].clone(), a[1].clone(), none),
        3 => (a[0].clone(), a[1].clone(), a[2].clone()),
        n => return Err(vm.type_error(format!("slice expected at least 1 argument, got {n}"))),
    };
    Ok(Value::new(Slice { start, stop, step }))
}
fn slice_indices(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let n = vm.as_i64(&args[1]).unwrap_or(0).max(0) as usize;
    let s = args[0].downcast_ref::<Slice>().unwrap();
    let (a, b, c) = vm.slice_indices(s, n)?;
    let v = vec![vm.new_int(a), vm.new_int(b), vm.new_int(c)];
    Ok(vm.new_tuple(v))
}
fn none_new(vm: &mut Vm, _args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(vm.none.clone())
}

impl Vm {
    /// Names for `dir(obj)`: instance attributes plus everything on the type's MRO, sorted.
    pub fn dir_names(&mut self, obj: &Value) -> PyResult<Vec<Value>> {
        let mut names: Vec<String> = Vec::new();
        let add_dict = |vm: &mut Vm, d: &Value, names: &mut Vec<String>| {
            if let Some(d) = d.downcast_ref::<Dict>() {
                for k in d.keys() {
                    let s = vm.str_val(&k);
                    if !names.contains(&s) {
                        names.push(s);
                    }
                }
            }
        };
        if let Some(m) = obj.downcast_ref::<Module>() {
            let d = m.dict.clone();
            add_dict(self, &d, &mut names);
        } else {
            if obj.is::<Instance>() {
                let d = self.materialize_dict_view(obj);
                add_dict(self, &d, &mut names);
            }
            let ty = if obj.is::<Type>() { obj.clone() } else { self.type_of(obj) };
            let mut chain = vec![ty.clone()];
            chain.extend(ty.downcast_ref::<Type>().unwrap().mro.borrow().iter().cloned());
            for t in chain {
                let d = t.downcast_ref::<Type>().unwrap().dict.clone();
                add_dict(self, &d, &mut names);
            }
            for extra in ["__class__", "__doc__", "__module__"] {
                if !names.contains(&extra.to_string()) && (obj.is::<Instance>() || obj.is::<Type>()) {
                    names.push(extra.into());
                }
            }
            if obj.is::<Instance>() && !names.contains(&"__dict__".to_string()) {
                names.push("__dict__".into());
            }
        }
        names.sort();
        Ok(names.into_iter().map(|s| self.new_str(s)).collect())
    }

    /// Instance attributes as a dict without materialising `__dict__`.
    pub fn materialize_dict_view(&mut self, obj: &Value) -> Value {
        let d = self.new_dict();
        if let Some(inst) = obj.downcast_ref::<Instance>() {
            let items: Vec<(Value, Value)> = match inst.own_items() {
                Ok(v) => v,
                Err(dd) => dd.downcast_ref::<Dict>().map(|x| x.items()).unwrap_or_default(),
            };
            for (k, v) in items {
                let _ = self.dict_set(&d, k, v);
            }
        }
        d
    }
}
