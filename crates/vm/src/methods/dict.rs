//! `dict`, dict views, `set` and `frozenset`: constructors and methods.

use crate::objects::iter::{DictPart, DictView};
use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

/// `__eq__`/`__ne__` called explicitly (`dict.__eq__(a, b)`): the same comparison as
/// `==`, NotImplemented for other types.
fn eq_method(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__eq__", &args[1..], 1, 1)?;
    let (a, b) = (vm.unwrap_base(&args[0]), vm.unwrap_base(&args[1]));
    if a.kind() != b.kind() && !(a.is::<Set>() && b.is::<Set>()) {
        return Ok(vm.not_implemented.clone());
    }
    vm.rich_compare(&a, &b, 2)
}
fn ne_method(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let r = eq_method(vm, args, kw)?;
    if r.ptr_eq(&vm.not_implemented) {
        return Ok(r);
    }
    let t = vm.is_true(&r)?;
    Ok(vm.new_bool(!t))
}

pub fn install(vm: &mut Vm) {
    for ty in [vm.types.dict.clone(), vm.types.set.clone(), vm.types.frozenset.clone()] {
        vm.add_method(&ty, "__eq__", eq_method);
        vm.add_method(&ty, "__ne__", ne_method);
    }
    let d = vm.types.dict.clone();
    vm.add_static(&d, "__new__", dict_new);
    vm.add_method(&d, "__init__", dict_init);
    let ms: &[(&'static str, crate::vm::NativeFn)] = &[
        ("keys", dict_keys),
        ("values", dict_values),
        ("items", dict_items),
        ("get", dict_get),
        ("pop", dict_pop),
        ("popitem", dict_popitem),
        ("setdefault", dict_setdefault),
        ("update", dict_update),
        ("clear", dict_clear),
        ("copy", dict_copy),
        ("__getitem__", dict_getitem),
        ("__setitem__", dict_setitem),
        ("__delitem__", dict_delitem),
        ("__contains__", dict_contains),
        ("__len__", dict_len),
        ("__iter__", dict_iter),
        ("__repr__", dict_repr),
    ];
    for (n, f) in ms {
        vm.add_method(&d, n, *f);
    }
    vm.add_classmethod(&d, "fromkeys", dict_fromkeys);
    for s in [vm.types.set.clone(), vm.types.frozenset.clone()] {
        let ms: &[(&'static str, crate::vm::NativeFn)] = &[
            ("union", set_union),
            ("intersection", set_intersection),
            ("difference", set_difference),
            ("symmetric_difference", set_symmetric_difference),
            ("issubset", set_issubset),
            ("issuperset", set_issuperset),
            ("isdisjoint", set_isdisjoint),
            ("copy", set_copy),
            ("__len__", set_len),
            ("__contains__", set_contains_m),
            ("__iter__", set_iter),
        ];
        for (n, f) in ms {
            vm.add_method(&s, n, *f);
        }
    }
    let s = vm.types.set.clone();
    vm.add_static(&s, "__new__", set_new);
    for (n, f) in [
        ("add", set_add_m as crate::vm::NativeFn),
        ("remove", set_remove),
        ("discard", set_discard_m),
        ("pop", set_pop),
        ("clear", set_clear),
        ("update", set_update),
        ("intersection_update", set_intersection_update),
        ("difference_update", set_difference_update),
        ("symmetric_difference_update", set_symmetric_difference_update),
    ] {
        vm.add_method(&s, n, f);
    }
    let fs = vm.types.frozenset.clone();
    vm.add_static(&fs, "__new__", frozenset_new);
    for dv in [vm.types.dict_keys.clone(), vm.types.dict_items.clone(), vm.types.dict_values.clone()] {
        vm.add_method(&dv, "__len__", set_len);
        vm.add_method(&dv, "__iter__", set_iter);
    }
    let dk = vm.types.dict_keys.clone();
    vm.add_method(&dk, "isdisjoint", set_isdisjoint);
}

fn the_dict(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    let b = vm.unwrap_base(v);
    if b.is::<Dict>() {
        Ok(b)
    } else {
        let tn = vm.type_name(v);
        Err(vm.type_error(format!("descriptor requires a 'dict' object but received a '{tn}'")))
    }
}

fn dict_new(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let cls = args[0].clone();
    let d = vm.new_dict();
    if !cls.ptr_eq(&vm.types.dict) {
        return super::num::subclass_instance(vm, &cls, d);
    }
    Ok(d)
}
fn dict_init(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let d = the_dict(vm, &args[0])?;
    let npos = args.len() - kw.len();
    if npos > 2 {
        return Err(vm.type_error(format!("dict expected at most 1 argument, got {}", npos - 1)));
    }
    if npos == 2 {
        vm.dict_update_from(&d, &args[1], false)?;
    }
    for (k, v) in kw.iter().zip(args[npos..].iter()) {
        vm.dict_set(&d, k.clone(), v.clone())?;
    }
    Ok(vm.none.clone())
}
fn view(vm: &mut Vm, v: &Value, part: DictPart) -> PyResult<Value> {
    let d = the_dict(vm, v)?;
    Ok(Value::new(DictView { dict: d, part }))
}
fn dict_keys(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    view(vm, &args[0], DictPart::Keys)
}
fn dict_values(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    view(vm, &args[0], DictPart::Values)
}
fn dict_items(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    view(vm, &args[0], DictPart::Items)
}
fn dict_get(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("get", &args[1..], 1, 2)?;
    let d = the_dict(vm, &args[0])?;
    match vm.dict_get(&d, &args[1])? {
        Some(v) => Ok(v),
        None => Ok(args.get(2).cloned().unwrap_or_else(|| vm.none.clone())),
    }
}
fn dict_pop(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("pop", &args[1..], 1, 2)?;
    let d = the_dict(vm, &args[0])?;
    match vm.dict_remove(&d, &args[1])? {
        Some((_, v)) => Ok(v),
        None => match args.get(2) {
            Some(def) => Ok(def.clone()),
            None => Err(vm.key_error(args[1].clone())),
        },
    }
}
fn dict_popitem(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let d = the_dict(vm, &args[0])?;
    let dd = d.downcast_ref::<Dict>().unwrap();
    let last = {
        let t = dd.table.borrow();
        t.entries.iter().rposition(|e| e.is_some())
    };
    match last {
        Some(p) => {
            let e = dd.table.borrow_mut().remove_at(p).unwrap();
            Ok(vm.new_tuple([e.key, e.value]))
        }
        None => Err(vm.new_exception("KeyError", "popitem(): dictionary is empty")),
    }
}
fn dict_setdefault(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("setdefault", &args[1..], 1, 2)?;
    let d = the_dict(vm, &args[0])?;
    if let Some(v) = vm.dict_get(&d, &args[1])? {
        return Ok(v);
    }
    let def = args.get(2).cloned().unwrap_or_else(|| vm.none.clone());
    vm.dict_set(&d, args[1].clone(), def.clone())?;
    Ok(def)
}
fn dict_update(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    dict_init(vm, args, kw)
}
fn dict_clear(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let d = the_dict(vm, &args[0])?;
    d.downcast_ref::<Dict>().unwrap().clear_all();
    Ok(vm.none.clone())
}
fn dict_copy(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let d = the_dict(vm, &args[0])?;
    let n = vm.new_dict();
    vm.dict_update_from(&n, &d, false)?;
    Ok(n)
}
fn dict_getitem(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let d = the_dict(vm, &args[0])?;
    match vm.dict_get(&d, &args[1])? {
        Some(v) => Ok(v),
        None => {
            if args[0].is::<Instance>() {
                if let Some(r) = vm.call_special(&args[0], "__missing__", &[args[1].clone()])? {
                    return Ok(r);
                }
            }
            Err(vm.key_error(args[1].clone()))
        }
    }
}
fn dict_setitem(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let d = the_dict(vm, &args[0])?;
    vm.dict_set(&d, args[1].clone(), args[2].clone())?;
    Ok(vm.none.clone())
}
fn dict_delitem(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let d = the_dict(vm, &args[0])?;
    vm.delitem(&d, &args[1])?;
    Ok(vm.none.clone())
}
fn dict_contains(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let d = the_dict(vm, &args[0])?;
    let r = vm.dict_get(&d, &args[1])?.is_some();
    Ok(vm.new_bool(r))
}
fn dict_len(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let d = the_dict(vm, &args[0])?;
    let n = d.downcast_ref::<Dict>().unwrap().len();
    Ok(vm.new_int(n as i64))
}
fn dict_iter(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let d = the_dict(vm, &args[0])?;
    vm.get_iter(&d)
}
fn dict_repr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let d = the_dict(vm, &args[0])?;
    let s = vm.repr(&d)?;
    Ok(vm.new_str(s))
}
fn dict_fromkeys(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let cls = args[0].clone();
    let d = vm.call(&cls, &[], &[])?;
    let v = args.get(2).cloned().unwrap_or_else(|| vm.none.clone());
    for k in vm.to_vec(&args[1])? {
        vm.setitem(&d, k, v.clone())?;
    }
    Ok(d)
}

fn set_new(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let items = match args.get(1) {
        Some(v) => vm.to_vec(v)?,
        None => Vec::new(),
    };
    let s = vm.new_set_from(items, false)?;
    if !args[0].ptr_eq(&vm.types.set) {
        return super::num::subclass_instance(vm, &args[0].clone(), s);
    }
    Ok(s)
}
fn frozenset_new(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let items = match args.get(1) {
        Some(v) => vm.to_vec(v)?,
        None => Vec::new(),
    };
    let s = vm.new_set_from(items, true)?;
    if !args[0].ptr_eq(&vm.types.frozenset) {
        return super::num::subclass_instance(vm, &args[0].clone(), s);
    }
    Ok(s)
}
fn the_set(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    let b = vm.unwrap_base(v);
    if b.is::<Set>() || b.is::<DictView>() {
        Ok(b)
    } else {
        let tn = vm.type_name(v);
        Err(vm.type_error(format!("descriptor requires a 'set' object but received a '{tn}'")))
    }
}
fn multi(vm: &mut Vm, args: &[Value], op: pyvm_compiler::ast::BinOp) -> PyResult<Value> {
    let mut acc = the_set(vm, &args[0])?;
    let frozen = acc.downcast_ref::<Set>().is_some_and(|s| s.frozen);
    let items = vm.to_vec(&acc)?;
    acc = vm.new_set_from(items, frozen)?;
    for o in &args[1..] {
        let other = if o.is::<Set>() {
            o.clone()
        } else {
            let items = vm.to_vec(o)?;
            vm.new_set_from(items, false)?
        };
        acc = vm.binary_op(&acc, &other, op)?;
    }
    Ok(acc)
}
fn set_union(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    multi(vm, args, pyvm_compiler::ast::BinOp::Or)
}
fn set_intersection(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    multi(vm, args, pyvm_compiler::ast::BinOp::And)
}
fn set_difference(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    multi(vm, args, pyvm_compiler::ast::BinOp::Sub)
}
fn set_symmetric_difference(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    multi(vm, args, pyvm_compiler::ast::BinOp::BitXor)
}
fn set_update_with(vm: &mut Vm, args: &[Value], op: pyvm_compiler::ast::BinOp) -> PyResult<Value> {
    let s = the_set(vm, &args[0])?;
    let r = multi(vm, args, op)?;
    let items = vm.to_vec(&r)?;
    let old = s.downcast_ref::<Set>().unwrap().table.borrow_mut().clear();
    drop(old);
    for it in items {
        vm.set_add(&s, it)?;
    }
    Ok(vm.none.clone())
}
fn set_update(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = the_set(vm, &args[0])?;
    for o in &args[1..] {
        vm.for_each(o, |vm, it| vm.set_add(&s, it))?;
    }
    Ok(vm.none.clone())
}
fn set_intersection_update(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    set_update_with(vm, args, pyvm_compiler::ast::BinOp::And)
}
fn set_difference_update(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    set_update_with(vm, args, pyvm_compiler::ast::BinOp::Sub)
}
fn set_symmetric_difference_update(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    set_update_with(vm, args, pyvm_compiler::ast::BinOp::BitXor)
}
fn set_issubset(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = the_set(vm, &args[0])?;
    let items = vm.to_vec(&args[1])?;
    let o = vm.new_set_from(items, false)?;
    vm.rich_compare(&s, &o, 1)
}
fn set_issuperset(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = the_set(vm, &args[0])?;
    let items = vm.to_vec(&args[1])?;
    let o = vm.new_set_from(items, false)?;
    vm.rich_compare(&s, &o, 5)
}
fn set_isdisjoint(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = the_set(vm, &args[0])?;
    for it in vm.to_vec(&args[1])? {
        if vm.contains(&s, &it)? {
            return Ok(vm.false_.clone());
        }
    }
    Ok(vm.true_.clone())
}
fn set_copy(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = the_set(vm, &args[0])?;
    let frozen = s.downcast_ref::<Set>().is_some_and(|x| x.frozen);
    let items = vm.to_vec(&s)?;
    vm.new_set_from(items, frozen)
}
fn set_len(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = vm.unwrap_base(&args[0]);
    let n = vm.len(&s)?;
    Ok(vm.new_int(n as i64))
}
fn set_contains_m(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = the_set(vm, &args[0])?;
    let r = vm.contains(&s, &args[1])?;
    Ok(vm.new_bool(r))
}
fn set_iter(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = vm.unwrap_base(&args[0]);
    vm.get_iter(&s)
}
fn set_add_m(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("set.add", &args[1..], 1, 1)?;
    let s = the_set(vm, &args[0])?;
    vm.set_add(&s, args[1].clone())?;
    Ok(vm.none.clone())
}
fn set_remove(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = the_set(vm, &args[0])?;
    if !vm.set_discard(&s, &args[1])? {
        return Err(vm.key_error(args[1].clone()));
    }
    Ok(vm.none.clone())
}
fn set_discard_m(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = the_set(vm, &args[0])?;
    vm.set_discard(&s, &args[1])?;
    Ok(vm.none.clone())
}
fn set_pop(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = the_set(vm, &args[0])?;
    let so = s.downcast_ref::<Set>().unwrap();
    let first = so.table.borrow().next_from(0).map(|(i, _)| i);
    match first {
        Some(i) => Ok(so.table.borrow_mut().remove_at(i).unwrap()),
        None => Err(vm.new_exception("KeyError", "pop from an empty set")),
    }
}
fn set_clear(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = the_set(vm, &args[0])?;
    let old = s.downcast_ref::<Set>().unwrap().table.borrow_mut().clear();
    drop(old);
    Ok(vm.none.clone())
}
