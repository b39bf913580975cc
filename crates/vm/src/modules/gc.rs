//! The `gc` module: the Python face of the cycle collector in crates/gc. Collections
//! run through `Vm::collect_generation`, which calls `gc.callbacks`, runs finalizers
//! synchronously and moves DEBUG_SAVEALL objects to `gc.garbage`.

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = vm.new_module("gc");
    let fns: &[(&'static str, crate::vm::NativeFn)] = &[
        ("collect", collect),
        ("enable", enable),
        ("disable", disable),
        ("isenabled", isenabled),
        ("get_count", get_count),
        ("get_threshold", get_threshold),
        ("set_threshold", set_threshold),
        ("is_tracked", is_tracked),
        ("is_finalized", is_finalized),
        ("get_objects", get_objects),
        ("get_referents", get_referents),
        ("get_referrers", get_referrers),
        ("freeze", freeze),
        ("unfreeze", unfreeze),
        ("get_freeze_count", get_freeze_count),
        ("get_stats", get_stats),
        ("set_debug", set_debug),
        ("get_debug", get_debug),
    ];
    for (n, f) in fns {
        vm.module_add_fn(&m, n, *f);
    }
    for (name, v) in [("DEBUG_STATS", 1), ("DEBUG_COLLECTABLE", 2), ("DEBUG_UNCOLLECTABLE", 4), ("DEBUG_SAVEALL", 32), ("DEBUG_LEAK", 38)] {
        let iv = vm.new_int(v);
        vm.module_add(&m, name, iv);
    }
    let garbage = vm.new_list(vec![]);
    vm.module_add(&m, "garbage", garbage);
    let callbacks = vm.new_list(vec![]);
    vm.module_add(&m, "callbacks", callbacks);
    vm.gc_module = Some(m.clone());
    Ok(m)
}

impl Vm {
    fn gc_attr(&mut self, name: &str) -> Option<Value> {
        let m = self.gc_module.clone()?;
        let d = m.downcast_ref::<Module>()?.dict.clone();
        let k = self.intern(name);
        self.dict_get_str(&d, &k)
    }

    /// Call every `gc.callbacks` entry with (phase, info); errors are unraisable.
    fn gc_callbacks(&mut self, phase: &str, generation: usize, collected: usize, uncollectable: usize) {
        let Some(cbs) = self.gc_attr("callbacks") else { return };
        let items = cbs.downcast_ref::<List>().map(|l| l.snapshot()).unwrap_or_default();
        if items.is_empty() {
            return;
        }
        for cb in items {
            let info = self.new_dict();
            for (k, v) in [("generation", generation), ("collected", collected), ("uncollectable", uncollectable)] {
                // Interned keys: no allocation, and the stop-phase info dict is part of
                // the pause a callback measures.
                let kv = self.intern(k);
                let vv = self.new_int(v as i64);
                let _ = self.dict_set(&info, kv, vv);
            }
            let p = self.intern(phase);
            if let Err(e) = self.call(&cb, &[p, info], &[]) {
                let r = self.repr(&cb).unwrap_or_default();
                self.write_unraisable_obj(&e, Some(cb.clone()), &r);
            }
        }
    }

    /// One collection of `generation`, with callbacks, synchronous finalizers and
    /// `gc.garbage` handling. Returns CPython's count (unreachable objects found).
    pub fn collect_generation(&mut self, generation: usize) -> usize {
        // As in CPython, the callbacks run while the collection is "in progress": no
        // automatic collection may start inside them, and gc.collect() returns 0.
        if self.gc_collecting {
            return 0;
        }
        self.gc_collecting = true;
        let n = self.collect_generation_inner(generation, true);
        self.gc_collecting = false;
        n
    }

    /// The last collection at interpreter exit (CPython's `_PyGC_CollectNoFail`): runs even
    /// when gc is disabled and does not call gc.callbacks.
    pub fn collect_no_fail(&mut self) -> usize {
        if self.gc_collecting {
            return 0;
        }
        self.gc_collecting = true;
        self.gc_reason = crate::diagnostics::GcReason::Shutdown;
        let n = self.collect_generation_inner(2, false);
        self.gc_collecting = false;
        n
    }

    fn collect_generation_inner(&mut self, generation: usize, callbacks: bool) -> usize {
        if pyvm_gc::get_debug() != 0 {
            self.flush_stdout();
        }
        if callbacks {
            self.gc_callbacks("start", generation, 0, 0);
        }
        // Weakref callbacks queued by the collector run before the first finalizer,
        // as in CPython (handle_weakrefs precedes finalize_garbage).
        let n = pyvm_gc::collect_with(generation, &mut |w: pyvm_gc::GcWork<'_>| match w {
            pyvm_gc::GcWork::Finalize(obj) => {
                self.run_pending_finalizers();
                self.call_del_now(obj);
                self.run_pending_finalizers();
            }
            pyvm_gc::GcWork::Cleared(_) => self.run_pending_finalizers(),
        });
        self.run_pending_finalizers();
        let saved = pyvm_gc::take_garbage();
        if !saved.is_empty() {
            if let Some(g) = self.gc_attr("garbage") {
                if let Some(l) = g.downcast_ref::<List>() {
                    l.items.borrow_mut().extend(saved);
                }
            }
        }
        let reason = std::mem::replace(&mut self.gc_reason, crate::diagnostics::GcReason::Explicit);
        self.trace_collection(reason);
        if callbacks {
            self.gc_callbacks("stop", generation, n, 0);
        }
        pyvm_gc::recheck_pending();
        n
    }
}

fn collect(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("collect", args, kw, &["generation"], 0)?;
    let g = match &a[0] {
        Some(v) => match vm.index_value(v)? {
            Some(g) if !v.is::<Float>() => g,
            _ => {
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
fn enable(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.enable", args, 0, 0)?;
    pyvm_gc::enable();
    Ok(vm.none.clone())
}
fn disable(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.disable", args, 0, 0)?;
    pyvm_gc::disable();
    Ok(vm.none.clone())
}
fn isenabled(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.isenabled", args, 0, 0)?;
    Ok(vm.new_bool(pyvm_gc::is_enabled()))
}
fn triple(vm: &mut Vm, (a, b, c): (usize, usize, usize)) -> Value {
    let v = vec![vm.new_int(a as i64), vm.new_int(b as i64), vm.new_int(c as i64)];
    vm.new_tuple(v)
}
fn get_count(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.get_count", args, 0, 0)?;
    Ok(triple(vm, pyvm_gc::get_count()))
}
fn get_threshold(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.get_threshold", args, 0, 0)?;
    Ok(triple(vm, pyvm_gc::get_threshold()))
}
fn set_threshold(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.no_kwargs("set_threshold", kw)?;
    if args.is_empty() {
        return Err(vm.type_error("set_threshold() takes at least 1 argument (0 given)"));
    }
    if args.len() > 3 {
        return Err(vm.type_error(format!("set_threshold() takes at most 3 arguments ({} given)", args.len())));
    }
    let mut t = Vec::new();
    for a in args {
        match vm.index_value(a)? {
            Some(v) if !a.is::<Float>() => t.push(v.max(0) as usize),
            _ => {
                let tn = vm.type_name(a);
                return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
            }
        }
    }
    pyvm_gc::set_threshold(t[0], t.get(1).copied(), t.get(2).copied());
    Ok(vm.none.clone())
}
fn is_tracked(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.is_tracked", args, 1, 1)?;
    Ok(vm.new_bool(pyvm_gc::is_tracked(&args[0])))
}
fn is_finalized(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.is_finalized", args, 1, 1)?;
    Ok(vm.new_bool(pyvm_gc::is_finalized(&args[0])))
}
fn get_objects(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("get_objects", args, kw, &["generation"], 0)?;
    let g = match &a[0] {
        None => None,
        Some(v) if vm.is_none(v) => None,
        Some(v) => match vm.index_value(v)? {
            Some(g) if !v.is::<Float>() => {
                if g >= 3 {
                    return Err(vm.value_error("generation parameter must be less than the number of available generations (3)"));
                }
                if g < -1 {
                    return Err(vm.value_error("generation parameter cannot be negative"));
                }
                if g == -1 {
                    None
                } else {
                    Some(g as usize)
                }
            }
            _ => {
                // CPython's Py_ssize_t-or-None converter message.
                let tn = vm.type_name(v);
                return Err(vm.type_error(format!("argument should be integer or None, not '{tn}'")));
            }
        },
    };
    let objs = pyvm_gc::get_objects(g);
    Ok(vm.new_list(objs))
}
fn get_referents(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let mut out = Vec::new();
    for a in args {
        out.extend(pyvm_gc::get_referents(a).into_iter().filter(|v| !v.is::<NullMarker>()));
    }
    Ok(vm.new_list(out))
}
fn get_referrers(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let out = pyvm_gc::get_referrers(args);
    Ok(vm.new_list(out))
}
fn freeze(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.freeze", args, 0, 0)?;
    pyvm_gc::freeze();
    Ok(vm.none.clone())
}
fn unfreeze(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.unfreeze", args, 0, 0)?;
    pyvm_gc::unfreeze();
    Ok(vm.none.clone())
}
fn get_freeze_count(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.get_freeze_count", args, 0, 0)?;
    Ok(vm.new_int(pyvm_gc::get_freeze_count() as i64))
}
fn get_stats(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.get_stats", args, 0, 0)?;
    let mut out = Vec::new();
    for s in pyvm_gc::get_stats() {
        let d = vm.new_dict();
        for (k, v) in [("collections", s.collections), ("collected", s.collected), ("uncollectable", s.uncollectable)] {
            let kv = vm.new_str(k);
            let vv = vm.new_int(v as i64);
            vm.dict_set(&d, kv, vv)?;
        }
        out.push(d);
    }
    Ok(vm.new_list(out))
}
fn set_debug(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.set_debug", args, 1, 1)?;
    let f = vm.as_i64(&args[0]).ok_or_else(|| vm.type_error("an integer is required"))?;
    pyvm_gc::set_debug(f as u32);
    Ok(vm.none.clone())
}
fn get_debug(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("gc.get_debug", args, 0, 0)?;
    Ok(vm.new_int(pyvm_gc::get_debug() as i64))
}
