//! The `gc` module: the Python face of the cycle collector in crates/gc.

use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = vm.new_module("gc");
    vm.module_add_fn(&m, "collect", collect);
    vm.module_add_fn(&m, "enable", enable);
    vm.module_add_fn(&m, "disable", disable);
    vm.module_add_fn(&m, "isenabled", isenabled);
    vm.module_add_fn(&m, "get_count", get_count);
    vm.module_add_fn(&m, "get_threshold", get_threshold);
    vm.module_add_fn(&m, "set_threshold", set_threshold);
    vm.module_add_fn(&m, "is_tracked", is_tracked);
    vm.module_add_fn(&m, "is_finalized", is_finalized);
    for (name, v) in [("DEBUG_STATS", 1), ("DEBUG_COLLECTABLE", 2), ("DEBUG_UNCOLLECTABLE", 4), ("DEBUG_SAVEALL", 32), ("DEBUG_LEAK", 38)] {
        let iv = vm.new_int(v);
        vm.module_add(&m, name, iv);
    }
    let garbage = vm.new_list(vec![]);
    vm.module_add(&m, "garbage", garbage);
    let callbacks = vm.new_list(vec![]);
    vm.module_add(&m, "callbacks", callbacks);
    Ok(m)
}

fn collect(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("collect", args, kw, &["generation"], 0)?;
    let g = match &a[0] {
        Some(v) => match vm.index_value(v)? {
            Some(g) => g,
            None => {
                let tn = vm.type_name(v);
                return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
            }
        },
        None => 2,
    };
    if !(0..=2).contains(&g) {
        return Err(vm.value_error("invalid generation"));
    }
    let n = vm.collect_garbage(g as usize);
    Ok(vm.new_int(n as i64))
}
fn enable(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    pyvm_gc::enable();
    Ok(vm.none.clone())
}
fn disable(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    pyvm_gc::disable();
    Ok(vm.none.clone())
}
fn isenabled(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_bool(pyvm_gc::is_enabled()))
}
fn get_count(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    let (a, b, c) = pyvm_gc::get_count();
    let v = vec![vm.new_int(a as i64), vm.new_int(b as i64), vm.new_int(c as i64)];
    Ok(vm.new_tuple(v))
}
fn get_threshold(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    let (a, b, c) = pyvm_gc::get_threshold();
    let v = vec![vm.new_int(a as i64), vm.new_int(b as i64), vm.new_int(c as i64)];
    Ok(vm.new_tuple(v))
}
fn set_threshold(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    if args.is_empty() {
        return Err(vm.type_error(format!("set_threshold() takes at least 1 argument (0 given)")));
    }
    let t: Vec<usize> = args.iter().map(|a| vm.as_i64(a).unwrap_or(0).max(0) as usize).collect();
    pyvm_gc::set_threshold(t[0], t.get(1).copied(), t.get(2).copied());
    Ok(vm.none.clone())
}
fn is_tracked(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("is_tracked", args, 1, 1)?;
    Ok(vm.new_bool(pyvm_gc::is_tracked(&args[0])))
}
fn is_finalized(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("is_finalized", args, 1, 1)?;
    Ok(vm.new_bool(pyvm_gc::is_finalized(&args[0])))
}
