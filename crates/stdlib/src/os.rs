//! `os` and `os.path` basics, on Rust's `std::fs`/`std::env`: the working directory,
//! directory listings, environment, file removal/renaming/creation of directories, and
//! the path functions scripts use most (join, exists, isfile, isdir, basename, dirname,
//! split, splitext, abspath, getsize). POSIX semantics, as CPython's `posixpath`.

use pyvm_gc::Value;
use pyvm_vm::objects::Str;
use pyvm_vm::{PyResult, Vm};

pub fn init_os(vm: &mut Vm) -> PyResult<Value> {
    let m = vm.new_module("os");
    for (name, f) in [
        ("getcwd", getcwd as pyvm_vm::vm::NativeFn),
        ("listdir", listdir),
        ("getenv", getenv),
        ("remove", remove),
        ("unlink", remove),
        ("mkdir", mkdir),
        ("makedirs", makedirs),
        ("rmdir", rmdir),
        ("rename", rename),
        ("getpid", getpid),
        ("cpu_count", cpu_count),
    ] {
        vm.module_add_fn(&m, name, f);
    }
    for (k, v) in [("sep", "/"), ("linesep", "\n"), ("name", "posix"), ("curdir", "."), ("pardir", ".."), ("extsep", ".")] {
        let s = vm.new_str(v);
        vm.module_add(&m, k, s);
    }
    let env = vm.new_dict();
    for (k, v) in std::env::vars() {
        let (k, v) = (vm.new_str(k), vm.new_str(v));
        vm.dict_set(&env, k, v)?;
    }
    vm.module_add(&m, "environ", env);
    // `import os` makes os.path available, as CPython's os imports posixpath.
    let path = init_path(vm)?;
    let modules = vm.modules.clone();
    for name in ["os.path", "posixpath"] {
        let k = vm.new_str(name);
        vm.dict_set(&modules, k, path.clone())?;
    }
    vm.module_add(&m, "path", path);
    Ok(m)
}

pub fn init_path(vm: &mut Vm) -> PyResult<Value> {
    let m = vm.new_module("posixpath");
    for (name, f) in [
        ("join", join as pyvm_vm::vm::NativeFn),
        ("exists", exists),
        ("isfile", isfile),
        ("isdir", isdir),
        ("basename", basename),
        ("dirname", dirname),
        ("split", split),
        ("splitext", splitext),
        ("abspath", abspath),
        ("getsize", getsize),
        ("isabs", isabs),
    ] {
        vm.module_add_fn(&m, name, f);
    }
    let sep = vm.new_str("/");
    vm.module_add(&m, "sep", sep);
    Ok(m)
}

fn str_arg(vm: &mut Vm, fname: &str, args: &[Value], i: usize) -> PyResult<String> {
    match args.get(i) {
        Some(v) if v.is::<Str>() => Ok(vm.str_val(v)),
        Some(v) => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("{fname}: path should be string, bytes or os.PathLike, not {tn}")))
        }
        None => Err(vm.type_error(format!("{fname}() missing required argument 'path' (pos 1)"))),
    }
}

fn getcwd(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    let d = std::env::current_dir().map(|p| p.display().to_string()).unwrap_or_default();
    Ok(vm.new_str(d))
}

fn listdir(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let path = if args.is_empty() { ".".to_string() } else { str_arg(vm, "listdir", args, 0)? };
    let rd = match std::fs::read_dir(&path) {
        Ok(rd) => rd,
        Err(e) => return Err(vm.os_error(&e, &path)),
    };
    // CPython returns directory order (unsorted); callers sort. Keep the OS order.
    let names: Vec<Value> = rd.flatten().map(|e| vm.new_str(e.file_name().to_string_lossy().to_string())).collect();
    Ok(vm.new_list(names))
}

fn getenv(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let key = str_arg(vm, "getenv", args, 0)?;
    match std::env::var(&key) {
        Ok(v) => Ok(vm.new_str(v)),
        Err(_) => Ok(args.get(1).cloned().unwrap_or_else(|| vm.none.clone())),
    }
}

fn io_result(vm: &mut Vm, r: std::io::Result<()>, path: &str) -> PyResult<Value> {
    match r {
        Ok(()) => Ok(vm.none.clone()),
        Err(e) => Err(vm.os_error(&e, path)),
    }
}

fn remove(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "remove", args, 0)?;
    let r = std::fs::remove_file(&p);
    io_result(vm, r, &p)
}

fn mkdir(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "mkdir", args, 0)?;
    let r = std::fs::create_dir(&p);
    io_result(vm, r, &p)
}

fn makedirs(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "makedirs", args, 0)?;
    let npos = args.len() - kw.len();
    let exist_ok = match args.get(1) {
        Some(v) => vm.is_true(v)?,
        None => false,
    } || (kw.len() == 1 && npos == 1 && vm.is_true(&args[1])?);
    if std::path::Path::new(&p).is_dir() && !exist_ok {
        let e = std::io::Error::from(std::io::ErrorKind::AlreadyExists);
        return Err(vm.os_error(&e, &p));
    }
    let r = std::fs::create_dir_all(&p);
    io_result(vm, r, &p)
}

fn rmdir(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "rmdir", args, 0)?;
    let r = std::fs::remove_dir(&p);
    io_result(vm, r, &p)
}

fn rename(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let a = str_arg(vm, "rename", args, 0)?;
    let b = str_arg(vm, "rename", args, 1)?;
    let r = std::fs::rename(&a, &b);
    io_result(vm, r, &a)
}

fn getpid(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_int(std::process::id() as i64))
}

fn cpu_count(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    let n = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    Ok(vm.new_int(n as i64))
}

fn join(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let mut out = str_arg(vm, "join", args, 0)?;
    for i in 1..args.len() {
        let part = str_arg(vm, "join", args, i)?;
        if part.starts_with('/') {
            out = part;
        } else if out.is_empty() || out.ends_with('/') {
            out.push_str(&part);
        } else {
            out.push('/');
            out.push_str(&part);
        }
    }
    Ok(vm.new_str(out))
}

fn exists(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "exists", args, 0)?;
    Ok(vm.new_bool(std::path::Path::new(&p).exists()))
}

fn isfile(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "isfile", args, 0)?;
    Ok(vm.new_bool(std::path::Path::new(&p).is_file()))
}

fn isdir(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "isdir", args, 0)?;
    Ok(vm.new_bool(std::path::Path::new(&p).is_dir()))
}

fn isabs(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "isabs", args, 0)?;
    Ok(vm.new_bool(p.starts_with('/')))
}

/// posixpath.split: (head, tail) at the last '/'; the head loses trailing slashes
/// unless it is all slashes.
fn split_str(p: &str) -> (String, String) {
    let i = p.rfind('/').map_or(0, |i| i + 1);
    let (head, tail) = (&p[..i], &p[i..]);
    let trimmed = head.trim_end_matches('/');
    let head = if trimmed.is_empty() { head } else { trimmed };
    (head.to_string(), tail.to_string())
}

fn basename(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "basename", args, 0)?;
    let i = p.rfind('/').map_or(0, |i| i + 1);
    Ok(vm.new_str(&p[i..]))
}

fn dirname(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "dirname", args, 0)?;
    Ok(vm.new_str(split_str(&p).0))
}

fn split(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "split", args, 0)?;
    let (h, t) = split_str(&p);
    let (h, t) = (vm.new_str(h), vm.new_str(t));
    Ok(vm.new_tuple(vec![h, t]))
}

fn splitext(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "splitext", args, 0)?;
    let name_start = p.rfind('/').map_or(0, |i| i + 1);
    let name = &p[name_start..];
    // A leading run of dots is part of the name (".bashrc" has no extension).
    let lead = name.len() - name.trim_start_matches('.').len();
    let (root, ext) = match name[lead..].rfind('.') {
        Some(i) => {
            let cut = name_start + lead + i;
            (&p[..cut], &p[cut..])
        }
        None => (p.as_str(), ""),
    };
    let (r, e) = (vm.new_str(root), vm.new_str(ext));
    Ok(vm.new_tuple(vec![r, e]))
}

fn abspath(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "abspath", args, 0)?;
    let joined = if p.starts_with('/') {
        p
    } else {
        format!("{}/{}", std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default(), p)
    };
    // normpath: drop '.', resolve '..', collapse slashes.
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Ok(vm.new_str(format!("/{}", parts.join("/"))))
}

fn getsize(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    let p = str_arg(vm, "getsize", args, 0)?;
    match std::fs::metadata(&p) {
        Ok(m) => Ok(vm.new_int(m.len() as i64)),
        Err(e) => Err(vm.os_error(&e, &p)),
    }
}
