//! The boundary between the interpreter and built-ins written in Rust.
//!
//! A native built-in that panics -- an argument it indexed without checking the count,
//! an assumption about the receiver's type -- must not take the process down: at the
//! call boundary the panic is caught and becomes a Python `TypeError` naming the
//! built-in, with the panic's own text, and the interpreter's frame bookkeeping is put
//! back as it was before the call. The panic hook stays silent for panics caught here.
//! Every native call goes through [`call_native`] (from `BuiltinFn::call`).

use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    /// How many guarded native calls are running on this thread.
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

/// Install the panic hook once: panics inside a guarded call print nothing (they become
/// Python exceptions); all others reach the previous hook.
pub fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(|g| g.get()) == 0 {
                previous(info);
            }
        }));
    });
}

/// Run native built-in `name`, turning a panic into `TypeError`.
pub fn call_native(vm: &mut Vm, name: &str, f: impl FnOnce(&mut Vm) -> PyResult<Value>) -> PyResult<Value> {
    let frames = vm.frame_stack.len();
    let depth = vm.depth;
    GUARDED.with(|g| g.set(g.get() + 1));
    let r = catch_unwind(AssertUnwindSafe(|| f(&mut *vm)));
    GUARDED.with(|g| g.set(g.get() - 1));
    match r {
        Ok(r) => r,
        Err(payload) => {
            // Python frames a nested run left behind belong to the aborted call.
            vm.frame_stack.truncate(frames);
            vm.depth = depth;
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let msg = if what.contains("index out of bounds") || what.contains("out of range for slice") {
                format!("{name}() was given too few arguments")
            } else {
                format!("{name}() failed on its arguments: {what}")
            };
            Err(vm.type_error(msg))
        }
    }
}
