//! Built-in modules the VM provides: `sys`, `gc`, `math`, `time`.

pub mod gc;
pub mod math;
pub mod time;
pub mod sys;
mod sys_info;
pub mod weakref;

use crate::vm::Vm;

pub fn install(vm: &mut Vm) {
    vm.native_modules.insert("sys", sys::init);
    vm.native_modules.insert("gc", gc::init);
    vm.native_modules.insert("math", math::init);
    vm.native_modules.insert("time", time::init);
    vm.native_modules.insert("atexit", init_atexit);
    vm.native_modules.insert("weakref", weakref::init);
    vm.native_modules.insert("_weakref", weakref::init);
    let none = vm.none.clone();
    let zero = vm.new_int(0);
    if let Ok(s) = vm.import_module("sys", &none, &zero) {
        vm.sys = Some(s);
    }
}

/// `atexit`: callbacks run at interpreter exit, last registered first.
fn init_atexit(vm: &mut Vm) -> crate::vm::PyResult<pyvm_gc::Value> {
    let m = vm.new_module("atexit");
    vm.module_add_fn(&m, "register", atexit_register);
    vm.module_add_fn(&m, "unregister", atexit_unregister);
    Ok(m)
}
fn atexit_register(vm: &mut Vm, args: &[pyvm_gc::Value], kw: &[pyvm_gc::Value]) -> crate::vm::PyResult<pyvm_gc::Value> {
    if args.is_empty() {
        return Err(vm.type_error("register() takes at least 1 argument (0 given)"));
    }
    let npos = args.len() - kw.len();
    let a = vm.new_tuple(&args[1..npos]);
    let entry = vm.new_tuple([args[0].clone(), a]);
    vm.atexit.push(entry);
    Ok(args[0].clone())
}
fn atexit_unregister(vm: &mut Vm, args: &[pyvm_gc::Value], _kw: &[pyvm_gc::Value]) -> crate::vm::PyResult<pyvm_gc::Value> {
    let f = args[0].clone();
    vm.atexit.retain(|e| !e.downcast_ref::<crate::objects::Tuple>().is_some_and(|t| t.0[0].ptr_eq(&f)));
    Ok(vm.none.clone())
}
