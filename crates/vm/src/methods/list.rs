//! `list` and `tuple` constructors and methods, including the stable `sort`.

use crate::objects::*;
use crate::vm::{PyErr, PyResult, Vm};
use pyvm_gc::Value;

pub fn install(vm: &mut Vm) {
    let l = vm.types.list.clone();
    vm.add_static(&l, "__new__", list_new);
    vm.add_method(&l, "__init__", list_init);
    let ms: &[(&'static str, crate::vm::NativeFn)] = &[
        ("append", list_append),
        ("extend", list_extend),
        ("insert", list_insert),
        ("pop", list_pop),
        ("remove", list_remove),
        ("clear", list_clear),
        ("copy", list_copy),
        ("reverse", list_reverse),
        ("sort", list_sort),
        ("index", seq_index_m),
        ("count", seq_count),
        ("__len__", seq_len),
        ("__getitem__", seq_getitem),
        ("__setitem__", seq_setitem),
        ("__delitem__", seq_delitem),
        ("__contains__", seq_contains),
        ("__iter__", seq_iter),
        ("__repr__", seq_repr),
        ("__eq__", seq_eq),
        ("__add__", seq_add),
    ];
    for (n, f) in ms {
        vm.add_method(&l, n, *f);
    }
    let t = vm.types.tuple.clone();
    vm.add_static(&t, "__new__", tuple_new);
    for (n, f) in [
        ("index", seq_index_m as crate::vm::NativeFn),
        ("count", seq_count),
        ("__len__", seq_len),
        ("__getitem__", seq_getitem),
        ("__contains__", seq_contains),
        ("__iter__", seq_iter),
        ("__repr__", seq_repr),
        ("__eq__", seq_eq),
        ("__add__", seq_add),
    ] {
        vm.add_method(&t, n, f);
    }
}

/// The list payload of `self` (or of a list subclass instance).
fn the_list(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    let b = vm.unwrap_base(v);
    if b.is::<List>() {
        Ok(b)
    } else {
        let tn = vm.type_name(v);
        Err(vm.type_error(format!("descriptor requires a 'list' object but received a '{tn}'")))
    }
}

fn list_new(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    // list.__new__ ignores its arguments: list.__init__ fills the list.
    let cls = args[0].clone();
    let l = vm.new_list(vec![]);
    if !cls.ptr_eq(&vm.types.list) {
        return super::num::subclass_instance(vm, &cls, l);
    }
    Ok(l)
}
fn list_init(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let l = the_list(vm, &args[0])?;
    if let Some(v) = args.get(1) {
        let items = vm.to_vec(v)?;
        let old = std::mem::replace(&mut *l.downcast_ref::<List>().unwrap().items.borrow_mut(), items);
        drop(old);
    }
    Ok(vm.none.clone())
}
fn tuple_new(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let cls = args[0].clone();
    let t = match args.get(1) {
        Some(v) if v.is::<Tuple>() => v.clone(),
        Some(v) => {
            let items = vm.to_vec(v)?;
            vm.new_tuple(items)
        }
        None => vm.new_tuple(vec![]),
    };
    if !cls.ptr_eq(&vm.types.tuple) {
        return super::num::subclass_instance(vm, &cls, t);
    }
    Ok(t)
}
fn list_append(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("list.append", &args[1..], 1, 1)?;
    let l = the_list(vm, &args[0])?;
    l.downcast_ref::<List>().unwrap().items.borrow_mut().push(args[1].clone());
    Ok(vm.none.clone())
}
fn list_extend(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("list.extend", &args[1..], 1, 1)?;
    let l = the_list(vm, &args[0])?;
    if args[1].ptr_eq(&args[0]) {
        let items = vm.to_vec(&args[1])?;
        l.downcast_ref::<List>().unwrap().items.borrow_mut().extend(items);
        return Ok(vm.none.clone());
    }
    vm.for_each(&args[1], |_, x| {
        l.downcast_ref::<List>().unwrap().items.borrow_mut().push(x);
        Ok(())
    })?;
    Ok(vm.none.clone())
}
fn list_insert(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("insert", &args[1..], 2, 2)?;
    let l = the_list(vm, &args[0])?;
    let lo = l.downcast_ref::<List>().unwrap();
    let n = lo.len() as i64;
    let i = vm.index_value(&args[1])?.ok_or_else(|| vm.type_error("'float' object cannot be interpreted as an integer"))?;
    let i = if i < 0 { (i + n).max(0) } else { i.min(n) };
    lo.items.borrow_mut().insert(i as usize, args[2].clone());
    Ok(vm.none.clone())
}
fn list_pop(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("pop", &args[1..], 0, 1)?;
    let l = the_list(vm, &args[0])?;
    let lo = l.downcast_ref::<List>().unwrap();
    let n = lo.len() as i64;
    if n == 0 {
        return Err(vm.index_error("pop from empty list"));
    }
    let i = match args.get(1) {
        Some(v) => vm.index_value(v)?.unwrap_or(-1),
        None => -1,
    };
    let i = if i < 0 { i + n } else { i };
    if i < 0 || i >= n {
        return Err(vm.index_error("pop index out of range"));
    }
    let v = lo.items.borrow_mut().remove(i as usize);
    Ok(v)
}
fn list_remove(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("list.remove", &args[1..], 1, 1)?;
    let l = the_list(vm, &args[0])?;
    let lo = l.downcast_ref::<List>().unwrap();
    let items = lo.snapshot();
    for (i, it) in items.iter().enumerate() {
        if it.ptr_eq(&args[1]) || vm.eq(it, &args[1])? {
            let old = lo.items.borrow_mut().remove(i);
            drop(old);
            return Ok(vm.none.clone());
        }
    }
    Err(vm.value_error("list.remove(x): x not in list"))
}
fn list_clear(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let l = the_list(vm, &args[0])?;
    let mut old = std::mem::take(&mut *l.downcast_ref::<List>().unwrap().items.borrow_mut());
    while let Some(v) = old.pop() {
        drop(v);
    }
    Ok(vm.none.clone())
}
fn list_copy(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let l = the_list(vm, &args[0])?;
    let items = l.downcast_ref::<List>().unwrap().snapshot();
    Ok(vm.new_list(items))
}
fn list_reverse(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let l = the_list(vm, &args[0])?;
    l.downcast_ref::<List>().unwrap().items.borrow_mut().reverse();
    Ok(vm.none.clone())
}
fn list_sort(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let l = the_list(vm, &args[0])?;
    if args.len() - kw.len() > 1 {
        return Err(vm.type_error("sort() takes no positional arguments"));
    }
    let a = vm.bind_args("sort", &args[1..], kw, &["key", "reverse"], 0)?;
    let lo = l.downcast_ref::<List>().unwrap();
    // CPython empties the list while sorting so mutation is detectable.
    let items = std::mem::take(&mut *lo.items.borrow_mut());
    let key = a[0].clone().filter(|k| !vm.is_none(k));
    let reverse = match &a[1] {
        Some(r) => vm.is_true(r)?,
        None => false,
    };
    let r = vm.sort_values(items, key, reverse);
    match r {
        Ok(sorted) => {
            let modified = !lo.items.borrow().is_empty();
            *lo.items.borrow_mut() = sorted;
            if modified {
                return Err(vm.value_error("list modified during sort"));
            }
            Ok(vm.none.clone())
        }
        Err((e, orig)) => {
            *lo.items.borrow_mut() = orig;
            Err(e)
        }
    }
}

impl Vm {
    /// Stable sort using `<` (with keys); on error returns the items unsorted-ish.
    pub fn sort_values(&mut self, items: Vec<Value>, key: Option<Value>, reverse: bool) -> Result<Vec<Value>, (PyErr, Vec<Value>)> {
        let keys: Vec<Value> = match &key {
            Some(k) => {
                let mut ks = Vec::with_capacity(items.len());
                for it in &items {
                    match self.call(k, &[it.clone()], &[]) {
                        Ok(v) => ks.push(v),
                        Err(e) => return Err((e, items)),
                    }
                }
                ks
            }
            None => items.clone(),
        };
        // Sort indices; `reverse` is done as CPython does: reverse, stable sort, reverse
        // (the final reversal happens even when a comparison raised).
        let n = items.len();
        let mut idx: Vec<usize> = (0..n).collect();
        if reverse {
            idx.reverse();
        }
        // CPython's pre-sort check: keys all of one plain type compare without Python.
        let result = if let Some(ks) = keys.iter().map(|k| k.as_int()).collect::<Option<Vec<i64>>>() {
            super::listsort::timsort(&mut idx, |a, b| Ok(ks[a] < ks[b]))
        } else if let Some(ks) = keys.iter().map(|k| k.downcast_ref::<Float>().map(|f| f.0)).collect::<Option<Vec<f64>>>() {
            super::listsort::timsort(&mut idx, |a, b| Ok(ks[a] < ks[b]))
        } else if let Some(ks) = keys.iter().map(|k| k.downcast_ref::<Str>().map(|s| &*s.s)).collect::<Option<Vec<&str>>>() {
            super::listsort::timsort(&mut idx, |a, b| Ok(ks[a] < ks[b]))
        } else {
            super::listsort::timsort(&mut idx, |a, b| self.less_than(&keys[a], &keys[b]))
        };
        if reverse {
            idx.reverse();
        }
        let sorted: Vec<Value> = idx.into_iter().map(|i| items[i].clone()).collect();
        match result {
            Ok(()) => Ok(sorted),
            Err(e) => Err((e, sorted)),
        }
    }

    pub fn less_than(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if let (Some(x), Some(y)) = (a.as_int(), b.as_int()) {
            return Ok(x < y);
        }
        if let (Some(x), Some(y)) = (a.downcast_ref::<Str>(), b.downcast_ref::<Str>()) {
            return Ok(x.s < y.s);
        }
        self.compare_bool(a, b, 0)
    }
}

fn seq_items(vm: &mut Vm, v: &Value) -> PyResult<Vec<Value>> {
    let b = vm.unwrap_base(v);
    vm.to_vec(&b)
}
fn seq_index_m(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("index", &args[1..], 1, 3)?;
    let items = seq_items(vm, &args[0])?;
    let n = items.len() as i64;
    let norm = |i: i64| if i < 0 { (i + n).max(0) } else { i.min(n) };
    let start = args.get(2).and_then(|v| vm.as_i64(v)).map(norm).unwrap_or(0) as usize;
    let end = args.get(3).and_then(|v| vm.as_i64(v)).map(norm).unwrap_or(n) as usize;
    for (i, it) in items.iter().enumerate().take(end).skip(start) {
        if it.ptr_eq(&args[1]) || vm.eq(it, &args[1])? {
            return Ok(vm.new_int(i as i64));
        }
    }
    if vm.unwrap_base(&args[0]).is::<Tuple>() {
        return Err(vm.value_error("tuple.index(x): x not in tuple"));
    }
    let r = vm.repr(&args[1])?;
    Err(vm.value_error(format!("{r} is not in list")))
}
fn seq_count(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("count", &args[1..], 1, 1)?;
    let items = seq_items(vm, &args[0])?;
    let mut c = 0;
    for it in &items {
        if it.ptr_eq(&args[1]) || vm.eq(it, &args[1])? {
            c += 1;
        }
    }
    Ok(vm.new_int(c))
}
fn seq_len(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.unwrap_base(&args[0]);
    let n = vm.len(&b)?;
    Ok(vm.new_int(n as i64))
}
fn seq_getitem(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.unwrap_base(&args[0]);
    vm.getitem(&b, &args[1])
}
fn seq_setitem(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.unwrap_base(&args[0]);
    vm.setitem(&b, args[1].clone(), args[2].clone())?;
    Ok(vm.none.clone())
}
fn seq_delitem(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.unwrap_base(&args[0]);
    vm.delitem(&b, &args[1])?;
    Ok(vm.none.clone())
}
fn seq_contains(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.unwrap_base(&args[0]);
    let r = vm.contains(&b, &args[1])?;
    Ok(vm.new_bool(r))
}
fn seq_iter(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.unwrap_base(&args[0]);
    vm.get_iter(&b)
}
fn seq_repr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.unwrap_base(&args[0]);
    let s = vm.repr(&b)?;
    Ok(vm.new_str(s))
}
fn seq_eq(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (a, b) = (vm.unwrap_base(&args[0]), vm.unwrap_base(&args[1]));
    vm.rich_compare(&a, &b, 2)
}
fn seq_add(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (a, b) = (vm.unwrap_base(&args[0]), vm.unwrap_base(&args[1]));
    if a.kind() != b.kind() {
        return Ok(vm.not_implemented.clone());
    }
    vm.binary_op(&a, &b, pyvm_compiler::ast::BinOp::Add)
}

