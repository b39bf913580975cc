//! Built-in modules the VM provides: `sys`, `gc`, `math`, `time`.

pub mod gc;
pub mod math;
pub mod sys;

use crate::vm::Vm;

pub fn install(vm: &mut Vm) {
    vm.native_modules.insert("sys", sys::init);
    vm.native_modules.insert("gc", gc::init);
    vm.native_modules.insert("math", math::init);
    vm.native_modules.insert("time", math::init_time);
    let none = vm.none.clone();
    let zero = vm.new_int(0);
    if let Ok(s) = vm.import_module("sys", &none, &zero) {
        vm.sys = Some(s);
    }
}
