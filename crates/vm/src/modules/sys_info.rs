//! The descriptive parts of `sys`: the struct sequences (`float_info`, `int_info`,
//! `hash_info`, `flags`, `thread_info`), `implementation`, the version numbers, the
//! interpreter's paths and the hooks and switches a program may read or set
//! (`excepthook`, `displayhook`, `settrace`, `getswitchinterval`, ...). Values are
//! CPython 3.11's on 64-bit Linux, except where pyvm names itself (`implementation`).

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

/// A CPython "struct sequence": a tuple subclass whose items are also named
/// attributes, printed as `sys.float_info(max=..., ...)`.
pub fn struct_seq(vm: &mut Vm, qualname: &str, fields: Vec<(&'static str, Value)>) -> PyResult<Value> {
    let (module, name) = qualname.rsplit_once('.').unwrap_or(("builtins", qualname));
    let base = vm.iter_types.get("structseq").cloned().unwrap_or_else(|| vm.types.tuple.clone());
    let ns = vm.new_dict();
    let names: Vec<Value> = fields.iter().map(|(k, _)| vm.new_str(*k)).collect();
    let names = vm.new_tuple(names);
    let k = vm.intern_static("_fields");
    vm.dict_set(&ns, k, names)?;
    let (k, v) = (vm.intern_static("__module__"), vm.new_str(module));
    vm.dict_set(&ns, k, v)?;
    let (k, v) = (vm.intern_static("n_fields"), vm.new_int(fields.len() as i64));
    vm.dict_set(&ns, k, v.clone())?;
    let k = vm.intern_static("n_sequence_fields");
    vm.dict_set(&ns, k, v)?;
    let (k, v) = (vm.intern_static("n_unnamed_fields"), vm.new_int(0));
    vm.dict_set(&ns, k, v)?;
    let meta = vm.types.type_.clone();
    let ty = vm.make_class(&meta, name, vec![base], &ns, Vec::new())?;
    crate::diagnostics::mark_internal(&ty);
    let items: Vec<Value> = fields.iter().map(|(_, v)| v.clone()).collect();
    let base = vm.new_tuple(items);
    let obj = crate::methods::subclass_instance(&ty, base);
    for (k, v) in fields {
        let kn = vm.intern(k);
        vm.generic_setattr(&obj, &kn, v)?;
    }
    Ok(obj)
}

/// 3.11.7 final, as `sys.version_info` says.
const HEXVERSION: i64 = 0x030b07f0;

pub fn install(vm: &mut Vm, m: &Value) -> PyResult<()> {
    let f = |vm: &mut Vm, x: f64| vm.new_float(x);
    let float_info = vec![
        ("max", f(vm, f64::MAX)),
        ("max_exp", vm.new_int(1024)),
        ("max_10_exp", vm.new_int(308)),
        ("min", f(vm, f64::MIN_POSITIVE)),
        ("min_exp", vm.new_int(-1021)),
        ("min_10_exp", vm.new_int(-307)),
        ("dig", vm.new_int(15)),
        ("mant_dig", vm.new_int(53)),
        ("epsilon", f(vm, f64::EPSILON)),
        ("radix", vm.new_int(2)),
        ("rounds", vm.new_int(1)),
    ];
    let v = struct_seq(vm, "sys.float_info", float_info)?;
    vm.module_add(m, "float_info", v);
    let int_info = vec![
        ("bits_per_digit", vm.new_int(30)),
        ("sizeof_digit", vm.new_int(4)),
        ("default_max_str_digits", vm.new_int(4300)),
        ("str_digits_check_threshold", vm.new_int(640)),
    ];
    let v = struct_seq(vm, "sys.int_info", int_info)?;
    vm.module_add(m, "int_info", v);
    let hash_info = vec![
        ("width", vm.new_int(64)),
        ("modulus", vm.new_int((1i64 << 61) - 1)),
        ("inf", vm.new_int(314159)),
        ("nan", vm.new_int(0)),
        ("imag", vm.new_int(1000003)),
        ("algorithm", vm.new_str("siphash13")),
        ("hash_bits", vm.new_int(64)),
        ("seed_bits", vm.new_int(128)),
        ("cutoff", vm.new_int(0)),
    ];
    let v = struct_seq(vm, "sys.hash_info", hash_info)?;
    vm.module_add(m, "hash_info", v);
    let zero = vm.new_int(0);
    let (f_, one) = (vm.new_bool(false), vm.new_int(1));
    let flags = vec![
        ("debug", zero.clone()),
        ("inspect", zero.clone()),
        ("interactive", zero.clone()),
        ("optimize", zero.clone()),
        ("dont_write_bytecode", zero.clone()),
        ("no_user_site", zero.clone()),
        ("no_site", zero.clone()),
        ("ignore_environment", zero.clone()),
        ("verbose", zero.clone()),
        ("bytes_warning", zero.clone()),
        ("quiet", zero.clone()),
        ("hash_randomization", one),
        ("isolated", zero.clone()),
        ("dev_mode", f_.clone()),
        ("utf8_mode", zero.clone()),
        ("warn_default_encoding", zero),
        ("safe_path", f_),
        ("int_max_str_digits", vm.new_int(-1)),
    ];
    let v = struct_seq(vm, "sys.flags", flags)?;
    vm.module_add(m, "flags", v);
    let thread_info = vec![("name", vm.new_str("pthread")), ("lock", vm.new_str("mutex+cond")), ("version", vm.none.clone())];
    let v = struct_seq(vm, "sys.thread_info", thread_info)?;
    vm.module_add(m, "thread_info", v);

    let hv = vm.new_int(HEXVERSION);
    vm.module_add(m, "hexversion", hv.clone());
    let imp = vec![
        ("name", vm.new_str("pyvm")),
        ("cache_tag", vm.none.clone()),
        ("version", vm.getattr_str(m, "version_info")?),
        ("hexversion", hv),
        ("_multiarch", vm.new_str("x86_64-linux-gnu")),
    ];
    let v = struct_seq(vm, "sys.implementation", imp)?;
    vm.module_add(m, "implementation", v);
    let exe = std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_default();
    let prefix = std::path::Path::new(&exe).parent().and_then(|p| p.parent()).map(|p| p.display().to_string()).unwrap_or_default();
    let strs: [(&str, &str); 9] = [
        ("executable", &exe),
        ("_base_executable", &exe),
        ("prefix", &prefix),
        ("base_prefix", &prefix),
        ("exec_prefix", &prefix),
        ("base_exec_prefix", &prefix),
        ("platlibdir", "lib"),
        ("abiflags", ""),
        ("float_repr_style", "short"),
    ];
    for (k, v) in strs {
        let s = vm.new_str(v);
        vm.module_add(m, k, s);
    }
    let copyright = vm.new_str("Copyright (c) 2001-2023 Python Software Foundation.\nAll Rights Reserved.\n\npyvm: a Python virtual machine written in Rust.");
    vm.module_add(m, "copyright", copyright);
    let ints = [("maxunicode", 0x10ffff), ("api_version", 1013)];
    for (k, v) in ints {
        let n = vm.new_int(v);
        vm.module_add(m, k, n);
    }
    let t = vm.new_bool(false);
    vm.module_add(m, "dont_write_bytecode", t);
    let none = vm.none.clone();
    vm.module_add(m, "pycache_prefix", none);
    for k in ["warnoptions", "meta_path", "path_hooks"] {
        let l = vm.new_list(vec![]);
        vm.module_add(m, k, l);
    }
    let d = vm.new_dict();
    vm.module_add(m, "path_importer_cache", d);
    let argv = vm.argv.clone();
    let mut orig = vec![vm.new_str("pyvm"), vm.new_str("run")];
    orig.extend(argv.into_iter().map(|a| vm.new_str(a)));
    let orig = vm.new_list(orig);
    vm.module_add(m, "orig_argv", orig);
    let names: Vec<Value> = ["atexit", "builtins", "gc", "math", "sys", "time", "_weakref", "posix", "_re"].iter().map(|s| vm.new_str(*s)).collect();
    let names = vm.new_tuple(names);
    vm.module_add(m, "builtin_module_names", names);
    let fns: [(&'static str, crate::vm::NativeFn); 18] = [
        ("getfilesystemencoding", utf8),
        ("getfilesystemencodeerrors", surrogateescape),
        ("getswitchinterval", getswitchinterval),
        ("setswitchinterval", setswitchinterval),
        ("gettrace", get_none),
        ("getprofile", get_none),
        ("settrace", settrace),
        ("setprofile", settrace),
        ("is_finalizing", is_finalizing),
        ("excepthook", excepthook),
        ("__excepthook__", excepthook),
        ("displayhook", displayhook),
        ("__displayhook__", displayhook),
        ("get_int_max_str_digits", get_int_max_str_digits),
        ("set_int_max_str_digits", set_int_max_str_digits),
        ("getallocatedblocks", getallocatedblocks),
        ("audit", get_none),
        ("addaudithook", get_none),
    ];
    for (k, f) in fns {
        vm.module_add_fn(m, k, f);
    }
    Ok(())
}

fn utf8(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_str("utf-8"))
}
fn surrogateescape(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_str("surrogateescape"))
}
fn get_none(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.none.clone())
}

thread_local! {
    static SWITCH_INTERVAL: std::cell::Cell<f64> = const { std::cell::Cell::new(0.005) };
    static MAX_STR_DIGITS: std::cell::Cell<i64> = const { std::cell::Cell::new(4300) };
}

/// pyvm runs one thread, so the interval is only remembered.
fn getswitchinterval(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_float(SWITCH_INTERVAL.with(|c| c.get())))
}
fn setswitchinterval(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("setswitchinterval", args, 1, 1)?;
    let x = vm.to_float(&args[0])?;
    if x <= 0.0 {
        return Err(vm.value_error("switch interval must be strictly positive"));
    }
    SWITCH_INTERVAL.with(|c| c.set(x));
    Ok(vm.none.clone())
}
/// Tracing is not supported: setting None is accepted, a trace function is refused
/// loudly rather than silently ignored.
fn settrace(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("settrace", args, 1, 1)?;
    if vm.is_none(&args[0]) {
        return Ok(vm.none.clone());
    }
    Err(vm.new_exception("NotImplementedError", "pyvm does not support trace or profile functions"))
}
fn is_finalizing(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_bool(false))
}
fn excepthook(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("excepthook", args, 3, 3)?;
    let s = vm.format_exception(&args[1]);
    vm.write_stderr(&s);
    Ok(vm.none.clone())
}
/// The interactive result printer: repr to stdout and `builtins._`, skipping None.
fn displayhook(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("displayhook", args, 1, 1)?;
    if vm.is_none(&args[0]) {
        return Ok(vm.none.clone());
    }
    let r = vm.repr(&args[0])?;
    let (builtins, k) = (vm.builtins.clone(), vm.intern_static("_"));
    vm.dict_set(&builtins, k, args[0].clone())?;
    let out = vm.new_str(format!("{r}\n"));
    let sys = vm.sys.clone();
    if let Some(sys) = sys {
        let stdout = vm.getattr_str(&sys, "stdout")?;
        let w = vm.getattr_str(&stdout, "write")?;
        vm.call(&w, &[out], &[])?;
    }
    Ok(vm.none.clone())
}
fn get_int_max_str_digits(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_int(MAX_STR_DIGITS.with(|c| c.get())))
}
fn set_int_max_str_digits(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("set_int_max_str_digits", args, kw, &["maxdigits"], 1)?;
    let n = a[0].as_ref().and_then(|v| vm.as_i64(v)).unwrap_or(-1);
    if n != 0 && n < 640 {
        return Err(vm.value_error("maxdigits must be 0 or larger than 640"));
    }
    MAX_STR_DIGITS.with(|c| c.set(n));
    Ok(vm.none.clone())
}
/// The number of objects alive on pyvm's heap (CPython counts its allocator's blocks).
fn getallocatedblocks(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_int(pyvm_gc::live_objects() as i64))
}
