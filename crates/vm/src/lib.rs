//! pyvm's virtual machine: the interpreter loop, the Python object model on top of the
//! gc crate's reference-counted heap, built-in functions and modules.
//!
//! Module map:
//! - [`vm`]: interpreter state, constructors, errors; [`bootstrap`]: start-up.
//! - [`frame`], [`interp`]: frames and the bytecode loop (no Rust recursion for
//!   Python-to-Python calls).
//! - [`objects`]: payload types (list, dict, set, str, type, instance, function, ...).
//! - [`ops`]: operations on values: arithmetic, comparison, attributes, calls,
//!   subscription, iteration, repr/str/format.
//! - [`methods`]: methods of built-in types; [`builtins`]: the builtins module.
//! - [`modules`]: sys, gc, math, time; [`traceback`]: exception printing.
//! - [`io`]: buffered stdout/stderr.
//!
//! No `unsafe` code here: all pointer-level code is in the gc crate. The only `unsafe`
//! keyword is `unsafe impl Trace` in [`objects`], each with its SAFETY argument.
#![deny(unsafe_code)]

pub mod bootstrap;
pub mod builtins;
pub mod finalize;
pub mod frame;
pub mod interp;
mod interp_ops;
pub mod introspect;
pub mod io;
pub mod methods;
pub mod modules;
pub mod native_guard;
pub mod objects;
pub mod ops;
pub mod quicken;
pub mod stack;
pub mod traceback;
pub mod diagnostics;
pub mod vm;

use interp::FrameExit;
use objects::*;
use pyvm_compiler::bytecode::{CodeObject, Const};
use pyvm_gc::Value;
use std::rc::Rc;
pub use vm::{PyErr, PyResult, Vm};

/// `gc.get_count()` at the first line of a script under CPython 3.11 (measured with
/// python3 3.11.7: its start-up allocations and collections leave these counts).
pub const STARTUP_GC_COUNTS: (usize, usize, usize) = (249, 0, 2);

impl Vm {
    /// A `CodeValue` for a compiled code object, its constants turned into values.
    pub fn code_value(&mut self, code: &Rc<CodeObject>) -> Value {
        let consts: Vec<Value> = code.consts.iter().map(|c| self.const_value(c)).collect();
        let names: Vec<Value> = code.names.iter().map(|n| self.intern(n)).collect();
        let nparams = (code.argcount + code.kwonlyargcount) as usize;
        let params: Vec<Value> = code.varnames.iter().take(nparams).map(|n| self.intern(n)).collect();
        let rt = CodeRt::new(code.clone(), consts.into(), names.into(), params.into());
        Value::new(CodeValue { code: Rc::new(rt) })
    }

    fn const_value(&mut self, c: &Const) -> Value {
        match c {
            Const::None => self.none.clone(),
            Const::True => self.true_.clone(),
            Const::False => self.false_.clone(),
            Const::Ellipsis => self.ellipsis.clone(),
            Const::Int(i) => self.new_int(*i),
            Const::BigInt(s) => {
                let b: num_bigint::BigInt = s.parse().unwrap_or_default();
                self.new_bigint(b)
            }
            Const::Float(f) => self.new_float(*f),
            Const::Complex { re, im } => Value::new(Complex { re: *re, im: *im }),
            Const::Str(s) => self.intern(s),
            Const::Bytes(b) => self.new_bytes(b.to_vec()),
            Const::Tuple(items) => {
                let v: Vec<Value> = items.iter().map(|x| self.const_value(x)).collect();
                self.new_tuple(v)
            }
            Const::FrozenSet(items) => {
                // CPython builds a frozenset constant twice: from the source order, then
                // (merging constants) from that set's iteration order. The second table's
                // layout is the one programs see, so do the same.
                let v = items.iter().map(|x| self.const_value(x)).collect();
                let first = self.new_set_from(v, true).unwrap_or_else(|_| self.none.clone());
                let order: Vec<Value> = first.downcast_ref::<Set>().map(|s| s.items()).unwrap_or_default();
                self.new_set_from(order, true).unwrap_or(first)
            }
            Const::Code(code) => self.code_value(code),
        }
    }

    /// Compile and run Python source that is part of a module pyvm implements (the
    /// Python halves of os, posixpath, time and weakref) in that module's namespace.
    pub fn run_source_in(&mut self, ns: &Value, src: &str, filename: &str) -> PyResult<()> {
        let code = pyvm_compiler::compile(src, filename).map_err(|e| self.runtime_error(format!("{filename}:{}: {}", e.line, e.msg)))?;
        self.run_code(&code, ns.clone())?;
        Ok(())
    }

    /// Run a module's code in namespace `globals` (moved into the frame, so that the
    /// namespace's refcount is CPython's: module + frame globals + frame locals).
    pub fn run_code(&mut self, code: &Rc<CodeObject>, globals: Value) -> PyResult<Value> {
        let cv = self.code_value(code);
        let rt = cv.downcast_ref::<CodeValue>().unwrap().code.clone();
        let frame = self.new_frame(&rt, None, globals.clone(), Some(globals), &[]);
        match self.run_frame(frame, None)? {
            FrameExit::Return(v) | FrameExit::Yield(v, _) => Ok(v),
        }
    }

    /// Create `__main__` and return its globals.
    pub fn main_module(&mut self, filename: &str) -> Value {
        let m = self.new_module("__main__");
        let g = m.downcast_ref::<Module>().unwrap().dict.clone();
        let bm = self.builtins_module.clone();
        self.module_add(&m, "__builtins__", bm);
        let f = self.new_str(filename);
        self.module_add(&m, "__file__", f);
        // As CPython's __main__ of a script: no package, spec or loader to speak of.
        for k in ["__cached__", "__loader__", "__package__", "__spec__"] {
            let none = self.none.clone();
            self.module_add(&m, k, none);
        }
        let ann = self.new_dict();
        self.module_add(&m, "__annotations__", ann);
        let modules = self.modules.clone();
        let k = self.new_str("__main__");
        let _ = self.dict_set(&modules, k, m);
        g
    }

    /// `sys.path[0]`: the directory of the script (where `import` finds the user's own
    /// modules), or '' for `-c` and stdin, as CPython sets it.
    fn set_script_path(&mut self, filename: &str) {
        let dir = if filename.starts_with('<') {
            String::new()
        } else {
            std::path::Path::new(filename).parent().map(|p| p.display().to_string()).unwrap_or_default()
        };
        let Some(sys) = self.sys.clone() else { return };
        let k = self.intern_static("path");
        if let Ok(p) = self.getattr(&sys, &k) {
            if let Some(l) = p.downcast_ref::<List>() {
                let d = self.new_str(dir);
                l.items.borrow_mut().insert(0, d);
            }
        }
    }

    /// Run a whole program: compile, execute, report, shut down. Returns the exit status.
    pub fn run_program(&mut self, filename: &str, source: &str) -> i32 {
        self.sources.insert(filename.to_string(), source.into());
        let code = match pyvm_compiler::compile(source, filename) {
            Ok(c) => c,
            Err(e) => {
                let text = format_syntax_error(&e, filename, source);
                self.write_stderr(&text);
                return 1;
            }
        };
        let globals = self.main_module(filename);
        self.set_script_path(filename);
        // CPython 3.11's counts at the first line of a script (here: (249, 0, 2)), so
        // that automatic collections fall where they fall under CPython.
        pyvm_gc::settle_startup(STARTUP_GC_COUNTS);
        self.capture_alloc_baseline();
        let r = self.run_code(&code, globals);
        self.run_pending_finalizers();
        let status = match r {
            Ok(_) => 0,
            Err(e) => self.handle_uncaught(e),
        };
        self.exit_reports();
        self.shutdown();
        self.flush_stdout();
        self.print_gc_stats();
        self.print_cycle_report();
        status
    }

    /// Report an uncaught exception; SystemExit gives its status instead.
    pub fn handle_uncaught(&mut self, e: PyErr) -> i32 {
        if self.err_is(&e, "SystemExit") {
            let args = self.exc_data(&e.0).and_then(|d| d.borrow().args.clone());
            // SystemExit's code: its single argument, or the argument tuple.
            let code = args.and_then(|a| {
                a.downcast_ref::<Tuple>().and_then(|t| if t.0.len() > 1 { Some(a.clone()) } else { t.0.first().cloned() })
            });
            return match code {
                None => 0,
                Some(c) if self.is_none(&c) => 0,
                Some(c) => match self.as_i64(&c).filter(|_| !c.is::<crate::objects::Float>()) {
                    Some(i) => i as i32,
                    None => {
                        let s = self.to_str(&c).unwrap_or_default();
                        self.write_stderr(&format!("{s}\n"));
                        1
                    }
                },
            };
        }
        self.flush_stdout();
        let text = self.format_exception(&e.0);
        self.write_stderr(&text);
        if self.err_is(&e, "KeyboardInterrupt") {
            // CPython ends by re-raising SIGINT: the status a shell sees is 130.
            self.exit_by_sigint = true;
            return 130;
        }
        1
    }

    /// Interpreter exit, in CPython's order: `atexit` callbacks, a collection if gc is
    /// enabled, then `sys.modules` is emptied and a final collection runs.
    /// The main namespace is almost always in a cycle (functions refer to it through
    /// `__globals__`), so its objects die in that collection, in generation-list order —
    /// creation order when no collection has reordered them.
    pub fn shutdown(&mut self) {
        let cbs = std::mem::take(&mut self.atexit);
        for cb in cbs.into_iter().rev() {
            // Each entry is a tuple (function, args).
            let parts = cb.downcast_ref::<Tuple>().map(|t| t.0.to_vec()).unwrap_or_default();
            let (func, args) = match parts.as_slice() {
                [f, a] => (f.clone(), a.downcast_ref::<Tuple>().map(|t| t.0.to_vec()).unwrap_or_default()),
                _ => (cb.clone(), Vec::new()),
            };
            if let Err(e) = self.call(&func, &args, &[]) {
                let what = self.repr(&func).unwrap_or_default();
                let t = self.format_exception(&e.0);
                self.write_stderr(&format!("Exception ignored in atexit callback: {what}\n{t}"));
            }
        }
        self.flush_stdout();
        self.run_pending_finalizers();
        if pyvm_gc::is_enabled() {
            self.gc_reason = crate::diagnostics::GcReason::Shutdown;
            self.collect_garbage(2);
        }
        self.exc_info = self.none.clone();
        // CPython's finalize_modules: every sys.modules value is set to None and the dict
        // cleared, so a module survives only through other references (remembered
        // weakly here); then a full collection that runs even when gc is disabled.
        let modules = self.modules.clone();
        let mods: Vec<(Value, Value)> = modules.downcast_ref::<Dict>().map(|d| d.items()).unwrap_or_default();
        let weak: Vec<(String, pyvm_gc::WeakAddr)> = mods.iter().filter_map(|(k, m)| Some((self.str_val(k), pyvm_gc::WeakAddr::new(m)?))).collect();
        for (k, _) in &mods {
            let none = self.none.clone();
            let _ = self.dict_set(&modules, k.clone(), none);
        }
        drop(mods);
        let entries = modules.downcast_ref::<Dict>().map(|d| d.table.borrow_mut().clear());
        drop(entries);
        let globals = self.main_globals.take();
        drop(globals);
        self.run_pending_finalizers();
        self.collect_no_fail();
        self.wipe_modules(weak);
        // CPython's interpreter_clear ends with one more collection, when sys is already
        // gone: what it finalizes can print nothing. It frees what the wiping left in
        // cycles (classes of wiped modules, say), so a clean run leaves no objects.
        self.flush_stdout();
        let quiet = (self.stdout.broken, self.stderr.broken);
        self.stdout.broken = true;
        self.stderr.broken = true;
        // finalize_clear_sys_builtins_dict: what only sys (a hook, say) or builtins kept
        // alive can die now too.
        let sys_dict = self.sys.as_ref().and_then(|m| m.downcast_ref::<Module>().map(|m| m.dict.clone()));
        let builtins_dict = self.builtins_module.downcast_ref::<Module>().map(|m| m.dict.clone());
        for d in [sys_dict, builtins_dict].into_iter().flatten() {
            let entries = d.downcast_ref::<Dict>().map(|d| d.table.borrow_mut().clear());
            drop(entries);
            self.run_pending_finalizers();
        }
        self.run_pending_finalizers();
        self.collect_no_fail();
        self.run_pending_finalizers();
        (self.stdout.broken, self.stderr.broken) = quiet;
    }

    /// The last step of CPython's `finalize_modules`: modules still alive are wiped in
    /// reverse import order, names starting with a single underscore set to None first,
    /// then every other name but `__builtins__`, so objects that modules kept alive (a
    /// `weakref.finalize` registry holding a function of `__main__`, say) die too.
    /// `sys` and `builtins` stay, so late `__del__` methods can still print.
    /// As in 3.11, no collection follows: what the wiping leaves in cycles stays.
    fn wipe_modules(&mut self, weak: Vec<(String, pyvm_gc::WeakAddr)>) {
        for (n, w) in weak.into_iter().rev() {
            if n == "sys" || n == "builtins" {
                continue;
            }
            let Some(m) = w.upgrade() else { continue };
            let Some(module) = m.downcast_ref::<Module>() else { continue };
            let d = module.dict.clone();
            let keys: Vec<Value> = d.downcast_ref::<Dict>().map(|d| d.keys()).unwrap_or_default();
            for pass in 0..2 {
                for k in &keys {
                    let ks = self.str_val(k);
                    let private = ks.starts_with('_') && !ks.starts_with("__");
                    if (pass == 0) != private || ks == "__builtins__" {
                        continue;
                    }
                    let none = self.none.clone();
                    let _ = self.dict_set(&d, k.clone(), none);
                    self.run_pending_finalizers();
                }
            }
        }
    }
}

/// CPython's rendering of a SyntaxError at the top level.
pub fn format_syntax_error(e: &pyvm_compiler::error::SyntaxError, filename: &str, source: &str) -> String {
    let mut out = format!("  File \"{}\", line {}\n", filename, e.line);
    if let Some(line) = source.lines().nth((e.line as usize).saturating_sub(1)) {
        let line = line.trim_end_matches(['\r', '\n']);
        let line = line.split('\0').next().unwrap_or("");
        let stripped = line.trim_start();
        let indent = line.chars().count() - stripped.chars().count();
        let stripped_r = stripped.trim_end();
        if !stripped_r.is_empty() || e.col > 0 {
            out.push_str("    ");
            out.push_str(stripped_r);
            out.push('\n');
            if e.col > 0 {
                let start = (e.col as usize).saturating_sub(1).saturating_sub(indent);
                let len = stripped_r.chars().count();
                let mut end = if e.end_line == e.line && e.end_col > e.col { (e.end_col as usize - 1).saturating_sub(indent) } else { start + 1 };
                if end > len + 1 {
                    end = len + 1;
                }
                let start = start.min(len);
                let n = end.saturating_sub(start).max(1);
                out.push_str("    ");
                out.push_str(&" ".repeat(start));
                out.push_str(&"^".repeat(n));
                out.push('\n');
            }
        }
    }
    out.push_str(&format!("{}: {}\n", e.kind.name(), e.msg));
    out
}
