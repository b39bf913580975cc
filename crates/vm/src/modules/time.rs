//! The `time` module: wall-clock and monotonic clocks (seconds and nanoseconds) and an
//! interruptible `sleep`.

use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = vm.new_module("time");
    vm.module_add_fn(&m, "time", time_time);
    vm.module_add_fn(&m, "time_ns", time_ns);
    vm.module_add_fn(&m, "perf_counter", perf_counter);
    vm.module_add_fn(&m, "perf_counter_ns", perf_counter_ns);
    vm.module_add_fn(&m, "monotonic", perf_counter);
    vm.module_add_fn(&m, "monotonic_ns", perf_counter_ns);
    vm.module_add_fn(&m, "sleep", sleep);
    Ok(m)
}

fn since_epoch() -> std::time::Duration {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default()
}

/// Time since the first use of the monotonic clock in this thread.
fn monotonic() -> std::time::Duration {
    thread_local! {
        static START: std::time::Instant = std::time::Instant::now();
    }
    START.with(|s| s.elapsed())
}

fn time_time(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_float(since_epoch().as_secs_f64()))
}
fn time_ns(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_bigint(num_bigint::BigInt::from(since_epoch().as_nanos())))
}
fn perf_counter(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_float(monotonic().as_secs_f64()))
}
fn perf_counter_ns(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_bigint(num_bigint::BigInt::from(monotonic().as_nanos())))
}
fn sleep(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("sleep", args, 1, 1)?;
    let s = vm.to_float(&args[0])?;
    if s < 0.0 {
        return Err(vm.value_error("sleep length must be non-negative"));
    }
    if !s.is_finite() {
        return Err(vm.overflow_error("timestamp too large to convert to C _PyTime_t"));
    }
    // In slices, so Ctrl-C interrupts a long sleep as in CPython.
    let end = std::time::Instant::now() + std::time::Duration::from_secs_f64(s);
    loop {
        let now = std::time::Instant::now();
        if now >= end {
            break;
        }
        if pyvm_gc::take_interrupt() {
            return Err(vm.new_exception_noargs("KeyboardInterrupt"));
        }
        std::thread::sleep((end - now).min(std::time::Duration::from_millis(20)));
    }
    Ok(vm.none.clone())
}
