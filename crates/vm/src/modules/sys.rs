//! The `sys` module: refcounts, recursion limit, argv, exit, stdout/stderr.

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = vm.new_module("sys");
    vm.module_add_fn(&m, "getrefcount", getrefcount);
    vm.module_add_fn(&m, "getrecursionlimit", getrecursionlimit);
    vm.module_add_fn(&m, "setrecursionlimit", setrecursionlimit);
    vm.module_add_fn(&m, "exit", exit);
    vm.module_add_fn(&m, "getsizeof", getsizeof);
    vm.module_add_fn(&m, "intern", intern);
    vm.module_add_fn(&m, "exc_info", exc_info);
    vm.module_add_fn(&m, "_getframe", getframe);
    vm.module_add_fn(&m, "getdefaultencoding", getdefaultencoding);
    vm.module_add_fn(&m, "exception", exception);
    vm.module_add_fn(&m, "unraisablehook", unraisablehook);
    vm.module_add_fn(&m, "__unraisablehook__", unraisablehook);
    let argv: Vec<Value> = vm.argv.clone().into_iter().map(|a| vm.new_str(a)).collect();
    let argv = vm.new_list(argv);
    vm.module_add(&m, "argv", argv);
    let modules = vm.modules.clone();
    vm.module_add(&m, "modules", modules);
    let mx = vm.new_int(i64::MAX);
    vm.module_add(&m, "maxsize", mx);
    let plat = vm.new_str("linux");
    vm.module_add(&m, "platform", plat);
    let bo = vm.new_str("little");
    vm.module_add(&m, "byteorder", bo);
    let fields = vec![("major", vm.new_int(3)), ("minor", vm.new_int(11)), ("micro", vm.new_int(7)), ("releaselevel", vm.new_str("final")), ("serial", vm.new_int(0))];
    let vi = super::sys_info::struct_seq(vm, "sys.version_info", fields)?;
    vm.module_add(&m, "version_info", vi);
    let v = vm.new_str("3.11.7 (pyvm)");
    vm.module_add(&m, "version", v);
    let stdout = vm.new_stream(false);
    vm.module_add(&m, "stdout", stdout.clone());
    vm.module_add(&m, "__stdout__", stdout);
    let stderr = vm.new_stream(true);
    vm.module_add(&m, "stderr", stderr.clone());
    vm.module_add(&m, "__stderr__", stderr);
    let stdin = Value::new(crate::objects::file::StdinObj);
    vm.module_add(&m, "stdin", stdin.clone());
    vm.module_add(&m, "__stdin__", stdin);
    let path = vm.new_list(vec![]);
    vm.module_add(&m, "path", path);
    super::sys_info::install(vm, &m)?;
    Ok(m)
}

fn getrefcount(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("getrefcount", args, 1, 1)?;
    let v = &args[0];
    // Small ints are not objects here; report CPython 3.12's immortal count for them.
    let n = if v.is_int() { 4294967295 } else { v.refcnt() as i64 };
    let n = if n >= pyvm_gc::IMMORTAL_REFCNT as i64 { 4294967295 } else { n };
    Ok(vm.new_int(n))
}
fn getrecursionlimit(vm: &mut Vm, _args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(vm.new_int(vm.recursion_limit as i64))
}
fn setrecursionlimit(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("setrecursionlimit", args, 1, 1)?;
    let n = vm.as_i64(&args[0]).ok_or_else(|| vm.type_error("an integer is required"))?;
    if n < 1 {
        return Err(vm.value_error("recursion limit must be greater or equal than 1"));
    }
    vm.recursion_limit = n as usize;
    Ok(vm.none.clone())
}
fn exit(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let ty = vm.exc["SystemExit"].clone();
    let a = vm.new_tuple(&args[..]);
    Err(crate::vm::PyErr(vm.make_exception(ty, a)))
}
/// `sys.getsizeof`: CPython 3.11's sizes on 64-bit Linux (object header, GC head and
/// the payload layouts CPython uses), so programs that print sizes print the same
/// numbers. Lists count their items (CPython counts over-allocated capacity too).
fn getsizeof(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("getsizeof", args, 1, 2)?;
    let v = &args[0];
    if let Some(i) = v.as_int() {
        let bits = 64 - i.unsigned_abs().leading_zeros() as i64;
        return Ok(vm.new_int(24 + 4 * ((bits + 29) / 30).max(1)));
    }
    let n = match v.kind().unwrap_or(0) {
        kind::INT => {
            let b = &v.downcast_ref::<BigIntObj>().unwrap().0;
            24 + 4 * ((b.bits() as i64 + 29) / 30).max(1)
        }
        kind::BOOL => 28,
        kind::FLOAT => 24,
        kind::COMPLEX => 32,
        kind::NONE => 16,
        kind::LIST => 56 + 8 * v.downcast_ref::<List>().unwrap().len() as i64,
        kind::TUPLE => 40 + 8 * v.downcast_ref::<Tuple>().unwrap().0.len() as i64,
        kind::STR => {
            let s = &v.downcast_ref::<Str>().unwrap().s;
            let n = s.chars().count() as i64;
            match s.chars().map(|c| c as u32).max().unwrap_or(0) {
                0..=127 => 49 + n,
                128..=255 => 73 + n,
                256..=65535 => 74 + 2 * n,
                _ => 76 + 4 * n,
            }
        }
        kind::BYTES => 33 + v.downcast_ref::<Bytes>().map_or(0, |b| b.0.len()) as i64,
        kind::DICT => {
            let used = v.downcast_ref::<Dict>().unwrap().len() as i64;
            if used == 0 {
                64
            } else {
                // The smallest keys table (8, 16, 32 ... slots, 2/3 usable) that holds them.
                let mut size = 8i64;
                while size * 2 / 3 < used {
                    size *= 2;
                }
                let index_bytes = if size <= 128 { 1 } else if size <= 65536 { 2 } else { 4 };
                16 + 48 + 32 + size * index_bytes + (size * 2 / 3) * 24
            }
        }
        kind::SET => {
            let slots = v.downcast_ref::<Set>().unwrap().table.borrow().slots.len() as i64;
            if slots <= 8 {
                216
            } else {
                216 + 16 * slots
            }
        }
        // A bare object() has no dict and is not a GC object in CPython.
        kind::INSTANCE if vm.type_of(v).ptr_eq(&vm.types.object) => 16,
        kind::INSTANCE => 56,
        kind::FUNCTION => 152,
        kind::RANGE => 48,
        _ => 56,
    };
    Ok(vm.new_int(n))
}
fn intern(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("intern", args, 1, 1)?;
    match args[0].downcast_ref::<Str>() {
        Some(s) => {
            let text = s.s.to_string();
            Ok(vm.intern(&text))
        }
        None => {
            let tn = vm.type_name(&args[0]);
            Err(vm.type_error(format!("intern() argument must be str, not {tn}")))
        }
    }
}
/// Reached only through an indirect call (the interpreter answers direct calls of
/// `sys._getframe` from the calling frame): no frame is known here.
fn getframe(vm: &mut Vm, _args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Err(vm.new_exception("ValueError", "call stack is not deep enough"))
}
fn getdefaultencoding(vm: &mut Vm, _args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(vm.new_str("utf-8"))
}
fn exc_info(vm: &mut Vm, _args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let e = vm.exc_info.clone();
    if vm.is_none(&e) {
        let n = vm.none.clone();
        return Ok(vm.new_tuple([n.clone(), n.clone(), n]));
    }
    let t = vm.type_of(&e);
    let tb = vm.traceback_object(&e);
    Ok(vm.new_tuple([t, e, tb]))
}
fn unraisablehook(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    // The default hook, called explicitly: print as the VM does.
    if let Some(u) = args.first() {
        let v = vm.getattr_str(u, "exc_value")?;
        let o = vm.getattr_str(u, "object")?;
        let r = vm.repr(&o)?;
        let bn = vm.intern_static("unraisablehook");
        let _ = bn;
        let e = crate::vm::PyErr(v);
        let mut s = format!("Exception ignored in: {r}\n");
        s.push_str(&vm.format_exception(&e.0));
        vm.write_stderr(&s);
    }
    Ok(vm.none.clone())
}
fn exception(vm: &mut Vm, _args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(vm.exc_info.clone())
}

impl Vm {
    pub fn new_stream(&mut self, is_err: bool) -> Value {
        let f = self.types.file.clone();
        let w = self.intern_static("write");
        if self.lookup_mro(&f, &w).is_none() {
            self.add_method(&f, "write", stream_write);
            self.add_method(&f, "flush", stream_flush);
        }
        Value::new(Stream { is_err })
    }
}
fn stream_write(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    if args.first().is_some_and(|f| f.is::<crate::objects::file::FileObj>()) {
        return crate::methods::file::write(vm, args, kw);
    }
    vm.check_nargs("write", &args[1..], 1, 1)?;
    let Some(s) = args[1].downcast_ref::<Str>() else {
        let tn = vm.type_name(&args[1]);
        return Err(vm.type_error(format!("write() argument must be str, not {tn}")));
    };
    let text = s.s.to_string();
    let n = s.nchars;
    let is_err = args[0].downcast_ref::<Stream>().is_some_and(|s| s.is_err);
    if is_err {
        vm.write_stderr(&text);
    } else {
        vm.write_stdout(&text);
    }
    Ok(vm.new_int(n as i64))
}
fn stream_flush(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    if args.first().is_some_and(|f| f.is::<crate::objects::file::FileObj>()) {
        return crate::methods::file::flush(vm, args, kw);
    }
    vm.flush_stdout();
    Ok(vm.none.clone())
}
