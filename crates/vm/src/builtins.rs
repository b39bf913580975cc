//! The `builtins` module: functions and the names of the built-in types and exceptions.

use crate::objects::iter::{Iter, IterState};
use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

pub fn install(vm: &mut Vm) {
    let fns: &[(&'static str, crate::vm::NativeFn)] = &[
        ("print", print),
        ("len", len),
        ("open", crate::methods::file::open),
        ("repr", repr),
        ("ascii", ascii),
        ("abs", abs),
        ("min", min),
        ("max", max),
        ("sum", sum),
        ("sorted", sorted),
        ("reversed", reversed),
        ("enumerate", enumerate),
        ("zip", zip),
        ("map", map),
        ("filter", filter),
        ("isinstance", isinstance),
        ("issubclass", issubclass),
        ("hasattr", hasattr),
        ("getattr", getattr),
        ("setattr", setattr),
        ("delattr", delattr),
        ("id", id),
        ("hash", hash),
        ("iter", iter),
        ("next", next),
        ("any", any),
        ("all", all),
        ("round", round),
        ("divmod", divmod),
        ("pow", pow),
        ("chr", chr),
        ("ord", ord),
        ("hex", hex),
        ("oct", oct),
        ("bin", bin),
        ("format", format),
        ("callable", callable),
        ("vars", vars),
        ("dir", dir),
        ("globals", globals),
        ("locals", globals),
        ("input", input),
        ("__build_class__", build_class),
        ("__import__", import),
        ("eval", eval),
        ("exec", exec),
        ("compile", compile),
        ("exit", exit),
        ("quit", exit),
    ];
    for (n, f) in fns {
        vm.add_builtin_fn(n, *f);
    }
    let t = &vm.types;
    let types = vec![
        ("object", t.object.clone()),
        ("type", t.type_.clone()),
        ("int", t.int.clone()),
        ("bool", t.bool_.clone()),
        ("float", t.float.clone()),
        ("complex", t.complex.clone()),
        ("str", t.str_.clone()),
        ("bytes", t.bytes.clone()),
        ("bytearray", t.bytearray.clone()),
        ("list", t.list.clone()),
        ("tuple", t.tuple.clone()),
        ("dict", t.dict.clone()),
        ("set", t.set.clone()),
        ("frozenset", t.frozenset.clone()),
        ("range", t.range.clone()),
        ("slice", t.slice.clone()),
        ("property", t.property.clone()),
        ("staticmethod", t.staticmethod.clone()),
        ("classmethod", t.classmethod.clone()),
        ("super", t.super_.clone()),
    ];
    for (n, v) in types {
        vm.set_builtin(n, v);
    }
    for (n, v) in vm.exc.clone() {
        vm.set_builtin(n, v);
    }
    // Old names of OSError, kept as aliases since 3.3.
    let os_error = vm.exc["OSError"].clone();
    vm.set_builtin("IOError", os_error.clone());
    vm.set_builtin("EnvironmentError", os_error);
    for name in ["enumerate", "zip", "map", "filter", "reversed"] {
        let ty = vm.iter_types[name].clone();
        let _ = ty;
    }
    install_prelude(vm);
    install_types_prelude(vm);
    let none = vm.none.clone();
    vm.set_builtin("None", none);
    let e = vm.ellipsis.clone();
    vm.set_builtin("Ellipsis", e);
    let ni = vm.not_implemented.clone();
    vm.set_builtin("NotImplemented", ni);
    let t = vm.true_.clone();
    vm.set_builtin("True", t);
    let f = vm.false_.clone();
    vm.set_builtin("False", f);
    let d = vm.true_.clone();
    vm.set_builtin("__debug__", d);
    // The builtins module's own names (a class body run by exec() with globals that
    // lack __name__ finds 'builtins' here, as in CPython).
    let n = vm.new_str("builtins");
    vm.set_builtin("__name__", n);
    let none = vm.none.clone();
    for k in ["__doc__", "__package__", "__loader__", "__spec__"] {
        vm.set_builtin(k, none.clone());
    }
    let bd = vm.builtins.clone();
    let m = Value::new(Module { name: "builtins".into(), dict: bd });
    vm.builtins_module = m.clone();
    let modules = vm.modules.clone();
    let k = vm.new_str("builtins");
    let _ = vm.dict_set(&modules, k, m);
}

fn print(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let npos = args.len() - kw.len();
    let (mut sep, mut end, mut file, mut flush) = (" ".to_string(), "\n".to_string(), None, false);
    for (k, v) in kw.iter().zip(args[npos..].iter()) {
        let ks = vm.str_val(k);
        let none = vm.is_none(v);
        match ks.as_str() {
            "sep" => {
                if !none {
                    match v.downcast_ref::<Str>() {
                        Some(s) => sep = s.s.to_string(),
                        None => {
                            let tn = vm.type_name(v);
                            return Err(vm.type_error(format!("sep must be None or a string, not {tn}")));
                        }
                    }
                }
            }
            "end" => {
                if !none {
                    match v.downcast_ref::<Str>() {
                        Some(s) => end = s.s.to_string(),
                        None => {
                            let tn = vm.type_name(v);
                            return Err(vm.type_error(format!("end must be None or a string, not {tn}")));
                        }
                    }
                }
            }
            "file" => {
                if !none {
                    file = Some(v.clone())
                }
            }
            "flush" => flush = vm.is_true(v)?,
            _ => return Err(vm.type_error(format!("'{ks}' is an invalid keyword argument for print()"))),
        }
    }
    // Without file=, print writes to sys.stdout -- whatever it currently is (a program
    // may have replaced it, e.g. contextlib.redirect_stdout).
    if file.is_none() {
        if let Some(sys) = vm.sys.clone() {
            if let Ok(cur) = vm.getattr_str(&sys, "stdout") {
                if vm.is_none(&cur) {
                    return Ok(vm.none.clone());
                }
                if !cur.is::<Stream>() {
                    file = Some(cur);
                }
            }
        }
    }
    match file {
        // A Python file-like object sees one write() per piece, as CPython's print
        // makes them: each argument, each separator, the end.
        Some(f) if !f.is::<Stream>() => {
            let w = vm.getattr_str(&f, "write")?;
            for (i, a) in args[..npos].iter().enumerate() {
                if i > 0 {
                    let s = vm.new_str(sep.as_str());
                    vm.call(&w, &[s], &[])?;
                }
                let text = vm.to_str(a)?;
                let s = vm.new_str(text);
                vm.call(&w, &[s], &[])?;
            }
            let s = vm.new_str(end);
            vm.call(&w, &[s], &[])?;
            if flush {
                let fl = vm.getattr_str(&f, "flush")?;
                vm.call(&fl, &[], &[])?;
            }
        }
        file => {
            let mut out = String::new();
            for (i, a) in args[..npos].iter().enumerate() {
                if i > 0 {
                    out.push_str(&sep);
                }
                out.push_str(&vm.to_str(a)?);
            }
            out.push_str(&end);
            match file {
                Some(f) => {
                    let w = vm.getattr_str(&f, "write")?;
                    let s = vm.new_str(out);
                    vm.call(&w, &[s], &[])?;
                }
                None => {
                    vm.write_stdout(&out);
                    if flush {
                        vm.flush_stdout();
                    }
                }
            }
        }
    }
    Ok(vm.none.clone())
}
fn len(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.no_kwargs("len", kw)?;
    vm.check_nargs("len", args, 1, 1)?;
    let n = vm.len(&args[0])?;
    Ok(vm.new_int(n as i64))
}
fn repr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("repr", args, 1, 1)?;
    let s = vm.repr(&args[0])?;
    Ok(vm.new_str(s))
}
fn ascii(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("ascii", args, 1, 1)?;
    let s = vm.ascii(&args[0])?;
    Ok(vm.new_str(s))
}
fn abs(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("abs", args, 1, 1)?;
    vm.abs(&args[0])
}
fn minmax(vm: &mut Vm, args: &[Value], kw: &[Value], is_max: bool) -> PyResult<Value> {
    let name = if is_max { "max" } else { "min" };
    let npos = args.len() - kw.len();
    let mut key = None;
    let mut default = None;
    for (k, v) in kw.iter().zip(args[npos..].iter()) {
        match vm.str_val(k).as_str() {
            "key" => {
                if !vm.is_none(v) {
                    key = Some(v.clone())
                }
            }
            "default" => default = Some(v.clone()),
            other => return Err(vm.type_error(format!("'{other}' is an invalid keyword argument for {name}()"))),
        }
    }
    if npos == 0 {
        return Err(vm.type_error(format!("{name} expected at least 1 argument, got 0")));
    }
    if npos > 1 && default.is_some() {
        return Err(vm.type_error(format!("Cannot specify a default for {name}() with multiple positional arguments")));
    }
    // One item at a time, as CPython's min_max: each item's key is computed and
    // compared (`key > best` for max, `key < best` for min) before the next is taken.
    let it = if npos == 1 { Some(vm.get_iter(&args[0])?) } else { None };
    let op = if is_max { 4 } else { 0 };
    let mut next_pos = 0;
    let mut best: Option<(Value, Value)> = None;
    loop {
        let item = match &it {
            Some(it) => match vm.next(it)? {
                Some(v) => v,
                None => break,
            },
            None if next_pos < npos => {
                next_pos += 1;
                args[next_pos - 1].clone()
            }
            None => break,
        };
        let k = match &key {
            Some(kf) => vm.call(kf, std::slice::from_ref(&item), &[])?,
            None => item.clone(),
        };
        let better = match &best {
            None => true,
            Some((_, bk)) => vm.compare_bool(&k, bk, op)?,
        };
        if better {
            best = Some((item, k));
        }
    }
    match best {
        Some((b, _)) => Ok(b),
        None => match default {
            Some(d) => Ok(d),
            None => Err(vm.value_error(format!("{name}() arg is an empty sequence"))),
        },
    }
}
fn min(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    minmax(vm, args, kw, false)
}
fn max(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    minmax(vm, args, kw, true)
}
fn sum(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("sum", args, kw, &["iterable", "start"], 1)?;
    let mut acc = a[1].clone().unwrap_or_else(|| vm.new_int(0));
    if acc.is::<Str>() {
        return Err(vm.type_error("sum() can't sum strings [use ''.join(seq) instead]"));
    }
    let iterable = a[0].clone().unwrap();
    // A tuple or list: walked by index as their iterators do (a list is re-read at each
    // step, so an `__add__` that changes it is seen), and small ints are added in an
    // i64 until an item is not one or the sum leaves the small-int range.
    let items_at = |k: usize| -> Option<Option<Value>> {
        if let Some(t) = iterable.downcast_ref::<Tuple>() {
            return Some(t.0.get(k).cloned());
        }
        iterable.downcast_ref::<List>().map(|l| l.items.borrow().get(k).cloned())
    };
    if items_at(0).is_some() {
        let mut k = 0;
        while let Some(Some(v)) = items_at(k) {
            k += 1;
            if let (Some(x), Some(y)) = (acc.as_int(), v.as_int()) {
                if let Some(sum) = x.checked_add(y).and_then(Value::int) {
                    acc = sum;
                    continue;
                }
            }
            acc = vm.binary_op(&acc, &v, pyvm_compiler::ast::BinOp::Add)?;
        }
        return Ok(acc);
    }
    let it = vm.get_iter(&iterable)?;
    while let Some(v) = vm.next(&it)? {
        acc = vm.binary_op(&acc, &v, pyvm_compiler::ast::BinOp::Add)?;
    }
    Ok(acc)
}
fn sorted(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let npos = args.len() - kw.len();
    if npos != 1 {
        return Err(vm.type_error(format!("sorted expected 1 argument, got {npos}")));
    }
    let items = vm.to_vec(&args[0])?;
    let l = vm.new_list(items);
    let sort = vm.getattr_str(&l, "sort")?;
    vm.call(&sort, &args[1..], kw)?;
    Ok(l)
}
fn reversed(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("reversed", args, 1, 1)?;
    let v = &args[0];
    if let Some(r) = v.downcast_ref::<Range>() {
        // range.__reversed__: a range_iterator walking backwards.
        let n = crate::ops::seq::range_len_wide(r.start, r.stop, r.step);
        // The last item is in the range, so it fits; the walk back uses wrapping steps,
        // exact for every item (`-step` of i64::MIN wraps to itself, which still lands
        // on the right items).
        let last = (r.start as i128 + (n - 1).max(0) * r.step as i128) as i64;
        let state = if n == 0 { IterState::Exhausted } else { IterState::Range { cur: last, step: r.step.wrapping_neg(), left: n as u64 } };
        let it = Value::new(Iter::new(state, "range_iterator"));
        pyvm_gc::untrack(&it);
        return Ok(it);
    }
    // `__reversed__ = None` declares the object not reversible.
    if v.is::<Instance>() {
        let ty = vm.type_of(v);
        let k = vm.intern_static("__reversed__");
        if vm.lookup_mro(&ty, &k).is_some_and(|f| vm.is_none(&f)) {
            let tn = vm.type_name(v);
            return Err(vm.type_error(format!("'{tn}' object is not reversible")));
        }
    }
    if let Some(r) = vm.call_special(v, "__reversed__", &[])? {
        return Ok(r);
    }
    let base = vm.unwrap_base(v);
    if base.is::<Dict>() || v.is::<iter::DictView>() {
        let items = vm.to_vec(v)?;
        let l = vm.new_list(items.into_iter().rev().collect());
        return vm.get_iter(&l);
    }
    let n = match vm.len(v) {
        Ok(n) => n,
        Err(_) => {
            let tn = vm.type_name(v);
            return Err(vm.type_error(format!("'{tn}' object is not reversible")));
        }
    };
    Ok(Value::new(Iter::new(IterState::Reversed { seq: v.clone(), idx: n as isize - 1 }, "reversed")))
}
fn enumerate(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("enumerate", args, kw, &["iterable", "start"], 1)?;
    let it = vm.get_iter(a[0].as_ref().unwrap())?;
    let n = a[1].as_ref().and_then(|v| vm.as_i64(v)).unwrap_or(0);
    Ok(Value::new(Iter::new(IterState::Enumerate { it, n }, "enumerate")))
}
fn zip(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let npos = args.len() - kw.len();
    let mut strict = false;
    for (k, v) in kw.iter().zip(args[npos..].iter()) {
        if vm.str_val(k) == "strict" {
            strict = vm.is_true(v)?;
        }
    }
    let mut its = Vec::new();
    for (i, a) in args[..npos].iter().enumerate() {
        match vm.get_iter(a) {
            Ok(it) => its.push(it),
            Err(e) if vm.err_is(&e, "TypeError") => {
                let tn = vm.type_name(a);
                return Err(vm.type_error(format!("zip argument #{} must support iteration", i + 1)).with_note(tn));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Value::new(Iter::new(IterState::Zip { its: its.into(), strict }, "zip")))
}
fn map(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    if args.len() < 2 {
        return Err(vm.type_error("map() must have at least two arguments."));
    }
    let mut its = Vec::new();
    for a in &args[1..] {
        its.push(vm.get_iter(a)?);
    }
    Ok(Value::new(Iter::new(IterState::Map { f: args[0].clone(), its: its.into() }, "map")))
}
fn filter(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("filter", args, 2, 2)?;
    let it = vm.get_iter(&args[1])?;
    Ok(Value::new(Iter::new(IterState::Filter { f: args[0].clone(), it }, "filter")))
}
fn class_check(vm: &mut Vm, v: &Value, cls: &Value, sub: bool) -> PyResult<bool> {
    if let Some(t) = cls.downcast_ref::<Tuple>() {
        for c in t.0.to_vec() {
            if class_check(vm, v, &c, sub)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if !cls.is::<Type>() {
        // Objects whose type defines the check (a union, a generic alias).
        let name = if sub { "__subclasscheck__" } else { "__instancecheck__" };
        let ty = vm.type_of(cls);
        if let Some(f) = vm.lookup_user(&ty, name) {
            let r = vm.call(&f, &[cls.clone(), v.clone()], &[])?;
            return vm.is_true(&r);
        }
        let what = if sub { "issubclass() arg 2" } else { "isinstance() arg 2" };
        return Err(vm.type_error(format!("{what} must be a type, a tuple of types, or a union")));
    }
    // Metaclass __instancecheck__/__subclasscheck__.
    let meta = vm.type_of(cls);
    if !meta.ptr_eq(&vm.types.type_) {
        let name = if sub { "__subclasscheck__" } else { "__instancecheck__" };
        if let Some(f) = vm.lookup_user(&meta, name) {
            let r = vm.call(&f, &[cls.clone(), v.clone()], &[])?;
            return vm.is_true(&r);
        }
    }
    if sub {
        if !v.is::<Type>() {
            return Err(vm.type_error("issubclass() arg 1 must be a class"));
        }
        Ok(vm.is_subtype(v, cls))
    } else {
        Ok(vm.isinstance(v, cls))
    }
}
fn isinstance(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("isinstance", args, 2, 2)?;
    let r = class_check(vm, &args[0], &args[1], false)?;
    Ok(vm.new_bool(r))
}
fn issubclass(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("issubclass", args, 2, 2)?;
    let r = class_check(vm, &args[0], &args[1], true)?;
    Ok(vm.new_bool(r))
}
fn attr_name(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if v.is::<Str>() {
        Ok(v.clone())
    } else {
        let tn = vm.type_name(v);
        Err(vm.type_error(format!("attribute name must be string, not '{tn}'")))
    }
}
fn hasattr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("hasattr", args, 2, 2)?;
    let n = attr_name(vm, &args[1])?;
    match vm.getattr(&args[0], &n) {
        Ok(_) => Ok(vm.true_.clone()),
        Err(e) if vm.err_is(&e, "AttributeError") => Ok(vm.false_.clone()),
        Err(e) => Err(e),
    }
}
fn getattr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("getattr", args, 2, 3)?;
    let n = attr_name(vm, &args[1])?;
    match vm.getattr(&args[0], &n) {
        Ok(v) => Ok(v),
        Err(e) if args.len() == 3 && vm.err_is(&e, "AttributeError") => Ok(args[2].clone()),
        Err(e) => Err(e),
    }
}
fn setattr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("setattr", args, 3, 3)?;
    let n = attr_name(vm, &args[1])?;
    vm.setattr(&args[0], &n, args[2].clone())?;
    Ok(vm.none.clone())
}
fn delattr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("delattr", args, 2, 2)?;
    let n = attr_name(vm, &args[1])?;
    vm.delattr(&args[0], &n)?;
    Ok(vm.none.clone())
}
fn id(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("id", args, 1, 1)?;
    Ok(vm.new_int(vm.id_of(&args[0])))
}
fn hash(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("hash", args, 1, 1)?;
    let h = vm.hash(&args[0])?;
    Ok(vm.new_int(h))
}
fn iter(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("iter", args, 1, 2)?;
    if args.len() == 2 {
        return Ok(Value::new(Iter::new(IterState::CallIter { f: args[0].clone(), sentinel: args[1].clone() }, "callable_iterator")));
    }
    vm.get_iter(&args[0])
}
fn next(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("next", args, 1, 2)?;
    let it = &args[0];
    if !it.is::<Iter>() && !it.is::<Generator>() {
        let ty = vm.type_of(it);
        let n = vm.intern_static("__next__");
        if vm.lookup_mro(&ty, &n).is_none() {
            let tn = vm.type_name(it);
            return Err(vm.type_error(format!("'{tn}' object is not an iterator")));
        }
        let r = vm.call_special(it, "__next__", &[]);
        return match r {
            Ok(Some(v)) => Ok(v),
            Err(e) if args.len() == 2 && vm.err_is(&e, "StopIteration") => Ok(args[1].clone()),
            Err(e) => Err(e),
            Ok(None) => unreachable!(),
        };
    }
    if it.is::<Generator>() {
        let none = vm.none.clone();
        return match vm.gen_send(it, none)? {
            crate::interp::SendResult::Yield(v) => Ok(v),
            crate::interp::SendResult::Return(r) => match args.get(1) {
                Some(d) => Ok(d.clone()),
                None => Err(vm.stop_iteration(if vm.is_none(&r) { None } else { Some(r) })),
            },
        };
    }
    match vm.next(it)? {
        Some(v) => Ok(v),
        None => match args.get(1) {
            Some(d) => Ok(d.clone()),
            None => Err(vm.stop_iteration(None)),
        },
    }
}
fn any(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("any", args, 1, 1)?;
    let it = vm.get_iter(&args[0])?;
    while let Some(v) = vm.next(&it)? {
        if vm.is_true(&v)? {
            return Ok(vm.true_.clone());
        }
    }
    Ok(vm.false_.clone())
}
fn all(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("all", args, 1, 1)?;
    let it = vm.get_iter(&args[0])?;
    while let Some(v) = vm.next(&it)? {
        if !vm.is_true(&v)? {
            return Ok(vm.false_.clone());
        }
    }
    Ok(vm.true_.clone())
}
fn round(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("round", args, kw, &["number", "ndigits"], 1)?;
    let x = a[0].clone().unwrap();
    let nd = a[1].clone().filter(|v| !vm.is_none(v));
    if x.is::<Instance>() {
        let extra: Vec<Value> = nd.iter().cloned().collect();
        if let Some(r) = vm.call_special(&x, "__round__", &extra)? {
            return Ok(r);
        }
    }
    if vm.is_int_like(&x) && !x.is::<Float>() {
        let b = vm.as_bigint(&x).unwrap();
        return match nd.and_then(|v| vm.as_i64(&v)) {
            Some(n) if n < 0 => {
                use num_integer::Integer;
                let p = num_traits::pow(num_bigint::BigInt::from(10), (-n) as usize);
                let (q, r) = b.div_mod_floor(&p);
                let twice = &r * 2;
                let q = if twice > p || (twice == p && q.is_odd()) { q + 1 } else { q };
                Ok(vm.new_bigint(q * p))
            }
            _ => Ok(vm.new_bigint(b)),
        };
    }
    let Some(f) = vm.as_f64(&x) else {
        let tn = vm.type_name(&x);
        return Err(vm.type_error(format!("type {tn} doesn't define __round__ method")));
    };
    match nd {
        None => {
            let r = round_half_even(f);
            vm.float_to_int(r)
        }
        Some(n) => {
            let n = vm.as_i64(&n).unwrap_or(0);
            if !f.is_finite() {
                return Ok(vm.new_float(f));
            }
            // Correct rounding via the shortest decimal representation.
            let r = round_decimal(f, n);
            Ok(vm.new_float(r))
        }
    }
}
pub fn round_half_even(f: f64) -> f64 {
    let r = f.round();
    if (f - f.trunc()).abs() == 0.5 {
        2.0 * (f / 2.0).round()
    } else {
        r
    }
}
fn round_decimal(f: f64, n: i64) -> f64 {
    if n > 300 {
        return f;
    }
    if n < -308 {
        return 0.0 * f;
    }
    // Format exactly with enough digits, then round half-even on the decimal string.
    let s = format!("{:.*}", (n.max(0) as usize) + 30, f);
    let neg = s.starts_with('-');
    let s = s.trim_start_matches('-');
    let (ip, fp) = s.split_once('.').unwrap_or((s, ""));
    let mut digits: Vec<u8> = ip.bytes().chain(fp.bytes()).map(|b| b - b'0').collect();
    let point = ip.len() as i64;
    let keep = point + n;
    if keep < 0 {
        return 0.0f64.copysign(f);
    }
    let keep = keep as usize;
    if keep >= digits.len() {
        return f;
    }
    let rest = &digits[keep..];
    let first = rest[0];
    let tail_nonzero = rest[1..].iter().any(|&d| d != 0);
    let last_odd = keep > 0 && digits[keep - 1] % 2 == 1;
    let round_up = first > 5 || (first == 5 && (tail_nonzero || last_odd));
    digits.truncate(keep);
    if round_up {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let total_int = digits.len() as i64 - n.max(0);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let ds: String = digits.iter().map(|d| (d + b'0') as char).collect();
    if n >= 0 {
        let (a, b) = ds.split_at((total_int.max(0) as usize).min(ds.len()));
        out.push_str(if a.is_empty() { "0" } else { a });
        out.push('.');
        out.push_str(b);
        out.push('0');
    } else {
        out.push_str(&ds);
        out.push_str(&"0".repeat((-n) as usize));
    }
    out.parse::<f64>().unwrap_or(f)
}
fn divmod(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("divmod", args, 2, 2)?;
    let q = vm.binary_op(&args[0], &args[1], pyvm_compiler::ast::BinOp::FloorDiv)?;
    let r = vm.binary_op(&args[0], &args[1], pyvm_compiler::ast::BinOp::Mod)?;
    Ok(vm.new_tuple([q, r]))
}
fn pow(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("pow", args, kw, &["base", "exp", "mod"], 2)?;
    let (b, e) = (a[0].clone().unwrap(), a[1].clone().unwrap());
    match a[2].clone().filter(|m| !vm.is_none(m)) {
        None => vm.binary_op(&b, &e, pyvm_compiler::ast::BinOp::Pow),
        Some(m) => {
            let (Some(bb), Some(eb), Some(mb)) = (vm.as_bigint(&b), vm.as_bigint(&e), vm.as_bigint(&m)) else {
                // Ternary pow of other objects: base.__pow__(exp, mod).
                let ty = vm.type_of(&b);
                let name = vm.intern_static("__pow__");
                if b.is::<Instance>() {
                    if let Some(f) = vm.lookup_mro(&ty, &name) {
                        let r = vm.call_method_value(&f, &b, &[e.clone(), m.clone()])?;
                        if !r.ptr_eq(&vm.not_implemented) {
                            return Ok(r);
                        }
                    }
                }
                let (tb, te, tm) = (vm.type_name(&b), vm.type_name(&e), vm.type_name(&m));
                if [&b, &e, &m].iter().all(|v| v.is::<Float>() || vm.as_bigint(v).is_some()) {
                    return Err(vm.type_error("pow() 3rd argument not allowed unless all arguments are integers"));
                }
                return Err(vm.type_error(format!("unsupported operand type(s) for ** or pow(): '{tb}', '{te}', '{tm}'")));
            };
            use num_integer::Integer;
            use num_traits::{One, Signed, Zero};
            if mb.is_zero() {
                return Err(vm.value_error("pow() 3rd argument cannot be 0"));
            }
            let (base, exp) = if eb.is_negative() {
                // A negative exponent uses the inverse of base modulo |mod| (3.8+).
                let am = mb.abs();
                let g = bb.mod_floor(&am).extended_gcd(&am);
                if !g.gcd.is_one() {
                    return Err(vm.value_error("base is not invertible for the given modulus"));
                }
                (g.x.mod_floor(&am), -eb)
            } else {
                (bb, eb)
            };
            let r = base.modpow(&exp, &mb.abs());
            Ok(vm.new_bigint(r.mod_floor(&mb)))
        }
    }
}
fn chr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("chr", args, 1, 1)?;
    let Some(i) = vm.index_value(&args[0])? else {
        let tn = vm.type_name(&args[0]);
        return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
    };
    match u32::try_from(i).ok().and_then(char::from_u32) {
        Some(c) => Ok(vm.new_str(c.to_string())),
        None => Err(vm.value_error("chr() arg not in range(0x110000)")),
    }
}
fn ord(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("ord", args, 1, 1)?;
    if let Some(s) = args[0].downcast_ref::<Str>() {
        if s.nchars != 1 {
            return Err(vm.type_error(format!("ord() expected a character, but string of length {} found", s.nchars)));
        }
        let c = s.s.chars().next().unwrap();
        return Ok(vm.new_int(c as i64));
    }
    if let Some(b) = args[0].downcast_ref::<Bytes>() {
        if b.0.len() != 1 {
            return Err(vm.type_error(format!("ord() expected a character, but string of length {} found", b.0.len())));
        }
        return Ok(vm.new_int(b.0[0] as i64));
    }
    let tn = vm.type_name(&args[0]);
    Err(vm.type_error(format!("ord() expected string of length 1, but {tn} found")))
}
fn radix(vm: &mut Vm, args: &[Value], r: u32, prefix: &str) -> PyResult<Value> {
    vm.check_nargs("bin", args, 1, 1)?;
    let Some(b) = vm.as_bigint(&args[0]).filter(|_| !args[0].is::<Float>()) else {
        let tn = vm.type_name(&args[0]);
        return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
    };
    use num_traits::Signed;
    let s = format!("{}{}{}", if b.is_negative() { "-" } else { "" }, prefix, b.abs().to_str_radix(r));
    Ok(vm.new_str(s))
}
fn hex(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    radix(vm, args, 16, "0x")
}
fn oct(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    radix(vm, args, 8, "0o")
}
fn bin(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    radix(vm, args, 2, "0b")
}
fn format(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("format", args, 1, 2)?;
    let spec = args.get(1).map(|s| vm.str_val(s)).unwrap_or_default();
    let s = vm.format(&args[0], &spec)?;
    Ok(vm.new_str(s))
}
fn callable(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("callable", args, 1, 1)?;
    let r = vm.is_callable(&args[0]);
    Ok(vm.new_bool(r))
}
fn vars(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    match args.first() {
        Some(v) => match vm.getattr_str(v, "__dict__") {
            Ok(d) => Ok(d),
            Err(_) => Err(vm.type_error("vars() argument must have __dict__ attribute")),
        },
        None => globals(vm, args, _kw),
    }
}
fn dir(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    match args.first() {
        Some(v) => {
            let ty = vm.type_of(v);
            if let Some(f) = vm.lookup_user(&ty, "__dir__") {
                let r = vm.call_method_value(&f, v, &[])?;
                let items = vm.to_vec(&r)?;
                let l = vm.new_list(items);
                let sort = vm.getattr_str(&l, "sort")?;
                vm.call(&sort, &[], &[])?;
                return Ok(l);
            }
            let names = vm.dir_names(v)?;
            Ok(vm.new_list(names))
        }
        None => {
            let g = globals(vm, args, _kw)?;
            let mut keys: Vec<String> = g.downcast_ref::<Dict>().map(|d| d.keys()).unwrap_or_default().iter().map(|k| vm.str_val(k)).collect();
            keys.sort();
            let v = keys.into_iter().map(|k| vm.new_str(k)).collect();
            Ok(vm.new_list(v))
        }
    }
}
fn globals(vm: &mut Vm, _args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(vm.current_globals())
}
/// The code to run for `eval`/`exec`/`compile`: a code object as is, or source text
/// compiled in `mode` ("exec", "eval" or "single").
fn source_code(vm: &mut Vm, fname: &str, src: &Value, filename: &str, mode: &str) -> PyResult<Value> {
    if src.is::<CodeValue>() {
        return Ok(src.clone());
    }
    let text = if src.is::<Str>() {
        vm.str_val(src).to_string()
    } else if let Some(b) = crate::methods::bytes::bytes_of(src) {
        String::from_utf8_lossy(&b).into_owned()
    } else {
        let what = if fname == "compile" { "AST" } else { "code" };
        return Err(vm.type_error(format!("{fname}() arg 1 must be a string, bytes or {what} object")));
    };
    if text.contains('\0') {
        return Err(vm.new_exception("SyntaxError", "source code string cannot contain null bytes"));
    }
    let compiled = match mode {
        "eval" => pyvm_compiler::compile_eval(&text, filename),
        "single" => pyvm_compiler::compile_mode(&text, filename, true),
        _ => pyvm_compiler::compile(&text, filename),
    };
    match compiled {
        Ok(code) => Ok(vm.code_value(&code)),
        Err(e) => Err(vm.syntax_error_value(&e, filename, &text)),
    }
}

/// `eval`/`exec` with explicit namespaces (the interpreter supplies the caller's when
/// they are omitted in a direct call).
fn run_source(vm: &mut Vm, args: &[Value], kw: &[Value], fname: &str) -> PyResult<Value> {
    let npos = args.len() - kw.len();
    if npos == 0 {
        return Err(vm.type_error(format!("{fname} expected at least 1 argument, got 0")));
    }
    if npos > 3 {
        return Err(vm.type_error(format!("{fname} expected at most 3 arguments, got {npos}")));
    }
    let mut globals = args.get(1).filter(|_| npos > 1).cloned();
    let mut locals = args.get(2).filter(|_| npos > 2).cloned();
    for (k, v) in kw.iter().zip(&args[npos..]) {
        match &*vm.str_val(k) {
            "globals" => globals = Some(v.clone()),
            "locals" => locals = Some(v.clone()),
            other => return Err(vm.type_error(format!("{fname}() got an unexpected keyword argument '{other}'"))),
        }
    }
    let globals = globals.filter(|g| !vm.is_none(g));
    let locals = locals.filter(|l| !vm.is_none(l));
    let globals = match globals {
        Some(g) if g.is::<Dict>() => g,
        Some(g) => {
            let msg = if fname == "exec" {
                format!("exec() globals must be a dict, not {}", vm.type_name(&g))
            } else if locals.is_some() {
                "globals must be a dict".to_string()
            } else {
                "globals must be a real dict; try eval(expr, {}, mapping)".to_string()
            };
            return Err(vm.type_error(msg));
        }
        None => vm.current_globals(),
    };
    let locals = locals.unwrap_or_else(|| globals.clone());
    let key = vm.intern_static("__builtins__");
    if vm.dict_get_str(&globals, &key).is_none() {
        let b = vm.builtins_module.clone();
        vm.dict_set(&globals, key, b)?;
    }
    let mode = if fname == "eval" { "eval" } else { "exec" };
    let code = source_code(vm, fname, &args[0], "<string>", mode)?;
    let rt = code.downcast_ref::<CodeValue>().expect("code").code.clone();
    let frame = vm.new_frame(&rt, None, globals, Some(locals), &[]);
    let r = match vm.run_frame(frame, None)? {
        crate::interp::FrameExit::Return(v) | crate::interp::FrameExit::Yield(v, _) => v,
    };
    Ok(if fname == "exec" { vm.none.clone() } else { r })
}
fn eval(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    run_source(vm, args, kw, "eval")
}
fn exec(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    run_source(vm, args, kw, "exec")
}
/// `compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1)`.
fn compile(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("compile", args, kw, &["source", "filename", "mode", "flags", "dont_inherit", "optimize"], 3)?;
    let filename = vm.to_str(&a[1].clone().expect("required"))?;
    let mode = vm.to_str(&a[2].clone().expect("required"))?;
    if !matches!(&*mode, "exec" | "eval" | "single") {
        return Err(vm.new_exception("ValueError", "compile() mode must be 'exec', 'eval' or 'single'"));
    }
    let src = a[0].clone().expect("required");
    source_code(vm, "compile", &src, &filename, &mode)
}
fn input(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    if let Some(p) = args.first() {
        let s = vm.to_str(p)?;
        vm.write_stdout(&s);
    }
    vm.flush_stdout();
    let mut line = String::new();
    match std::io::stdin().read_line(&mut line) {
        Ok(0) => Err(vm.new_exception("EOFError", "EOF when reading a line")),
        Ok(_) => {
            if line.ends_with('\n') {
                line.pop();
                if line.ends_with('\r') {
                    line.pop();
                }
            }
            Ok(vm.new_str(line))
        }
        Err(e) => Err(vm.new_exception("OSError", e.to_string())),
    }
}
fn build_class(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.build_class(args, kw)
}
/// `__import__(name, globals=None, locals=None, fromlist=(), level=0)`.
fn import(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("__import__", args, kw, &["name", "globals", "locals", "fromlist", "level"], 1)?;
    let name = a[0].clone().expect("required");
    if !name.is::<Str>() {
        let tn = vm.type_name(&name);
        return Err(vm.type_error(format!("__import__() argument 1 must be str, not {tn}")));
    }
    let name = vm.str_val(&name);
    let globals = a[1].clone().filter(|g| g.is::<Dict>());
    let fromlist = a[3].clone().unwrap_or_else(|| vm.none.clone());
    let level = a[4].clone().unwrap_or_else(|| vm.new_int(0));
    if vm.as_i64(&level).is_some_and(|l| l < 0) {
        return Err(vm.value_error("level must be >= 0"));
    }
    if name.is_empty() && vm.as_i64(&level) == Some(0) {
        return Err(vm.value_error("Empty module name"));
    }
    vm.import_module_from(&name, &fromlist, &level, globals.as_ref())
}
fn exit(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let ty = vm.exc["SystemExit"].clone();
    let a = vm.new_tuple(&args[..]);
    Err(crate::vm::PyErr(vm.make_exception(ty, a)))
}

impl crate::vm::PyErr {
    fn with_note(self, _n: String) -> Self {
        self
    }
}

impl Vm {
    /// `id(x)`: the address for heap objects; small ints get a stable pseudo-address.
    pub fn id_of(&self, v: &Value) -> i64 {
        v.raw() as i64
    }

    /// The globals of the innermost running Python frame.
    pub fn current_globals(&mut self) -> Value {
        // Reached only when globals() is called indirectly (the interpreter answers
        // direct calls from the caller's frame): use __main__'s namespace.
        let modules = self.modules.clone();
        let key = self.new_str("__main__");
        match self.dict_get(&modules, &key).ok().flatten().and_then(|m| m.downcast_ref::<Module>().map(|m| m.dict.clone())) {
            Some(g) => g,
            None => self.new_dict(),
        }
    }
}

/// Built-ins written in Python: exception groups (PEP 654) and the `except*` helper.
const PRELUDE: &str = r#"
class BaseExceptionGroup(BaseException):
    __module__ = "builtins"
    def __new__(cls, message, exceptions):
        if not isinstance(message, str):
            raise TypeError("argument 1 must be str, not " + type(message).__name__)
        excs = tuple(exceptions)
        if not excs:
            raise ValueError("second argument (exceptions) must be a non-empty sequence")
        for e in excs:
            if not isinstance(e, BaseException):
                raise ValueError("Item %d of second argument (exceptions) is not an exception" % excs.index(e))
        if cls is BaseExceptionGroup and all(isinstance(e, Exception) for e in excs):
            cls = ExceptionGroup
        self = BaseException.__new__(cls, message, exceptions)
        self._message = message
        self._exceptions = excs
        return self
    def __init__(self, message, exceptions):
        BaseException.__init__(self, message, exceptions)
    @property
    def message(self):
        return self._message
    @property
    def exceptions(self):
        return self._exceptions
    def __str__(self):
        n = len(self._exceptions)
        return "%s (%d sub-exception%s)" % (self._message, n, "" if n == 1 else "s")
    def derive(self, excs):
        return BaseExceptionGroup(self._message, excs)
    def _matcher(self, cond):
        if isinstance(cond, type) or isinstance(cond, tuple):
            return lambda e: isinstance(e, cond)
        return cond
    def split(self, cond):
        m = self._matcher(cond)
        if m(self):
            return self, None
        match, rest = [], []
        for e in self._exceptions:
            if isinstance(e, BaseExceptionGroup):
                a, b = e.split(cond)
                if a is not None:
                    match.append(a)
                if b is not None:
                    rest.append(b)
            elif m(e):
                match.append(e)
            else:
                rest.append(e)
        mg = self.derive(match) if match else None
        rg = self.derive(rest) if rest else None
        for g in (mg, rg):
            if g is not None:
                g.__cause__, g.__context__ = self.__cause__, self.__context__
        return mg, rg
    def subgroup(self, cond):
        return self.split(cond)[0]

class ExceptionGroup(BaseExceptionGroup, Exception):
    __module__ = "builtins"

def __pyvm_eg_split__(exc, typ):
    for t in (typ if isinstance(typ, tuple) else (typ,)):
        if isinstance(t, type) and issubclass(t, BaseExceptionGroup):
            raise TypeError("catching ExceptionGroup with except* is not allowed. Use except instead.")
    if exc is None:
        return None, None
    if not isinstance(exc, BaseExceptionGroup):
        if isinstance(exc, typ):
            return ExceptionGroup("", (exc,)), None
        return None, exc
    return exc.split(typ)
"#;

/// `types.GenericAlias`, `types.UnionType` and `mappingproxy` (prelude/types.py):
/// built-in generic types get `__class_getitem__`, `type` gets `__or__`/`__ror__`, and
/// a class's `__dict__` is shown through a mappingproxy (`Vm::iter_types`).
fn install_types_prelude(vm: &mut Vm) {
    let ns = vm.new_dict();
    let bm = vm.builtins_module.clone();
    let k = vm.intern_static("__builtins__");
    let _ = vm.dict_set(&ns, k, bm);
    let kn = vm.intern_static("__name__");
    let nm = vm.new_str("types");
    let _ = vm.dict_set(&ns, kn, nm);
    let Ok(code) = pyvm_compiler::compile(include_str!("prelude/types.py"), "<types>") else { return };
    if vm.run_code(&code, ns.clone()).is_err() {
        return;
    }
    // The prelude's classes belong to the interpreter.
    if let Some(d) = ns.downcast_ref::<Dict>() {
        for (_, v) in d.items() {
            crate::diagnostics::mark_internal(&v);
        }
    }
    let get = |vm: &mut Vm, name: &str| {
        let k = vm.intern(name);
        vm.dict_get_str(&ns, &k)
    };
    let (Some(ga), Some(ut), Some(or), Some(ror)) = (get(vm, "GenericAlias"), get(vm, "UnionType"), get(vm, "_type_or"), get(vm, "_type_ror")) else {
        return;
    };
    vm.iter_types.insert("GenericAlias", ga.clone());
    vm.iter_types.insert("UnionType", ut);
    if let Some(mp) = get(vm, "mappingproxy") {
        vm.iter_types.insert("mappingproxy", mp);
    }
    if let Some(ss) = get(vm, "structseq") {
        vm.iter_types.insert("structseq", ss);
    }
    if let Some(mv) = get(vm, "memoryview") {
        let (b, k) = (vm.builtins.clone(), vm.intern_static("memoryview"));
        let _ = vm.dict_set(&b, k, mv);
    }
    let t = &vm.types;
    let generic = [t.list.clone(), t.dict.clone(), t.tuple.clone(), t.set.clone(), t.frozenset.clone(), t.type_.clone()];
    for ty in &generic {
        let d = ty.downcast_ref::<Type>().expect("type").dict.clone();
        let k = vm.intern_static("__class_getitem__");
        let _ = vm.dict_set(&d, k, Value::new(ClassMethod(ga.clone())));
    }
    let d = vm.types.type_.downcast_ref::<Type>().expect("type").dict.clone();
    for (name, f) in [("__or__", or), ("__ror__", ror)] {
        let k = vm.intern(name);
        let _ = vm.dict_set(&d, k, f);
    }
}

fn install_prelude(vm: &mut Vm) {
    let ns = vm.new_dict();
    let bm = vm.builtins_module.clone();
    let k = vm.intern_static("__builtins__");
    let _ = vm.dict_set(&ns, k, bm);
    let kn = vm.intern_static("__name__");
    let nm = vm.new_str("builtins");
    let _ = vm.dict_set(&ns, kn, nm);
    let Ok(code) = pyvm_compiler::compile(PRELUDE, "<builtins>") else { return };
    if vm.run_code(&code, ns.clone()).is_err() {
        return;
    }
    for name in ["BaseExceptionGroup", "ExceptionGroup", "__pyvm_eg_split__"] {
        let k = vm.intern(name);
        if let Some(v) = vm.dict_get_str(&ns, &k) {
            vm.set_builtin(name, v.clone());
            if name != "__pyvm_eg_split__" {
                vm.exc.insert(if name == "ExceptionGroup" { "ExceptionGroup" } else { "BaseExceptionGroup" }, v);
            }
        }
    }
}
