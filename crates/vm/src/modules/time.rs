//! The `time` module: wall-clock, monotonic and CPU clocks (seconds and nanoseconds)
//! and an interruptible `sleep`, native; the calendar half (struct_time, gmtime,
//! localtime, mktime, strftime, strptime, the time zone) is Python in `time_part.py`,
//! compiled into the module's namespace on first use of one of its names (through a
//! module `__getattr__`), so `import time` for a clock stays cheap.

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
    vm.module_add_fn(&m, "process_time", process_time);
    vm.module_add_fn(&m, "process_time_ns", process_time_ns);
    vm.module_add_fn(&m, "thread_time", thread_time);
    vm.module_add_fn(&m, "thread_time_ns", thread_time_ns);
    vm.module_add_fn(&m, "__getattr__", time_getattr);
    Ok(m)
}

const TIME_PART: &str = include_str!("time_part.py");

/// PEP 562 hook: load the Python half, then answer from the namespace.
fn time_getattr(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__getattr__", args, 1, 1)?;
    let name = vm.str_val(&args[0]);
    let modules = vm.modules.clone();
    let k = vm.intern_static("time");
    let Some(m) = vm.dict_get_str(&modules, &k) else {
        return Err(vm.attribute_error(format!("module 'time' has no attribute '{name}'")));
    };
    let ns = m.downcast_ref::<crate::objects::Module>().expect("time is a module").dict.clone();
    let hook = vm.intern_static("__getattr__");
    if vm.dict_get_str(&ns, &hook).is_some() && !name.starts_with("__") {
        // Loaded once: the hook leaves the namespace before the code runs.
        vm.dict_del_str(&ns, &hook);
        vm.run_source_in(&ns, TIME_PART, "<pyvm-lib>/time.py")?;
    }
    let key = vm.intern(&name);
    match vm.dict_get_str(&ns, &key) {
        Some(v) => Ok(v),
        None => Err(vm.attribute_error(format!("module 'time' has no attribute '{name}'"))),
    }
}

/// CPU time of a task from /proc (the first field of schedstat, in nanoseconds).
fn schedstat_ns(path: &str) -> u128 {
    std::fs::read_to_string(path).ok().and_then(|s| s.split_whitespace().next().and_then(|f| f.parse().ok())).unwrap_or(0)
}
/// Process CPU time: the sum over the process's threads.
fn process_cpu_ns() -> u128 {
    let Ok(dir) = std::fs::read_dir("/proc/self/task") else { return 0 };
    dir.filter_map(|e| e.ok()).map(|e| schedstat_ns(&format!("{}/schedstat", e.path().display()))).sum()
}
fn process_time(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_float(process_cpu_ns() as f64 / 1e9))
}
fn process_time_ns(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_bigint(num_bigint::BigInt::from(process_cpu_ns())))
}
fn thread_time(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_float(schedstat_ns("/proc/thread-self/schedstat") as f64 / 1e9))
}
fn thread_time_ns(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_bigint(num_bigint::BigInt::from(schedstat_ns("/proc/thread-self/schedstat"))))
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
