//! `os` and `os.path` basics, on Rust's `std::fs`/`std::env`: the working directory,
//! directory listings, environment, file removal/renaming/creation of directories, and
//! the path functions scripts use most (join, exists, isfile, isdir, basename, dirname,
//! split, splitext, abspath, getsize). POSIX semantics, as CPython's `posixpath`.
//!
//! Also file descriptors (open/close/read/write/lseek/fstat/dup/fsync/ftruncate/isatty),
//! stat/lstat with `os.stat_result`, chmod, access, utime, symlink/readlink/link and
//! scandir with `os.DirEntry`. This crate forbids `unsafe`, so there are no raw libc
//! calls: a descriptor from `os.open` is the real descriptor of a `std::fs::File` kept in
//! a table here (see `FDS`), and the other calls go through `std::fs`. Without libc
//! there is no `umask`, and `access` decides from the permission bits (see `access`).
//! Only Linux is targeted: descriptors that are not in the table (the standard streams,
//! `dir_fd` arguments) are reached through `/proc/self/fd`.

use pyvm_gc::Value;
use pyvm_vm::objects::{Bytes, Instance, Module, Str};
use pyvm_vm::{PyErr, PyResult, Vm};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::File;
use std::io::{IsTerminal, Read, Seek, SeekFrom, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, DirEntryExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::io::AsRawFd;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

// Linux's values (x86_64 and the generic ABI; aarch64 differs in a few O_ flags).
const O_RDONLY: i64 = 0;
const O_WRONLY: i64 = 1;
const O_RDWR: i64 = 2;
const O_ACCMODE: i64 = 3;
#[cfg(target_arch = "aarch64")]
const O_DIRECTORY: i64 = 0o40000;
#[cfg(not(target_arch = "aarch64"))]
const O_DIRECTORY: i64 = 0o200000;
#[cfg(target_arch = "aarch64")]
const O_NOFOLLOW: i64 = 0o100000;
#[cfg(not(target_arch = "aarch64"))]
const O_NOFOLLOW: i64 = 0o400000;
#[cfg(target_arch = "aarch64")]
const O_DIRECT: i64 = 0o200000;
#[cfg(not(target_arch = "aarch64"))]
const O_DIRECT: i64 = 0o40000;
const OPEN_FLAGS: &[(&str, i64)] = &[
    ("O_RDONLY", O_RDONLY),
    ("O_WRONLY", O_WRONLY),
    ("O_RDWR", O_RDWR),
    ("O_ACCMODE", O_ACCMODE),
    ("O_CREAT", 0o100),
    ("O_EXCL", 0o200),
    ("O_NOCTTY", 0o400),
    ("O_TRUNC", 0o1000),
    ("O_APPEND", 0o2000),
    ("O_NONBLOCK", 0o4000),
    ("O_NDELAY", 0o4000),
    ("O_DSYNC", 0o10000),
    ("O_SYNC", 0o4010000),
    ("O_RSYNC", 0o4010000),
    ("O_DIRECT", O_DIRECT),
    ("O_DIRECTORY", O_DIRECTORY),
    ("O_NOFOLLOW", O_NOFOLLOW),
    ("O_NOATIME", 0o1000000),
    ("O_CLOEXEC", 0o2000000),
    ("O_PATH", 0o10000000),
    ("O_TMPFILE", 0o20000000 | O_DIRECTORY),
];

const EBADF: i32 = 9;
const EINVAL: i32 = 22;
const ESPIPE: i32 = 29;
const EOPNOTSUPP: i32 = 95;

const S_IFMT: i64 = 0o170000;
const S_IFDIR: i64 = 0o040000;
const S_IFREG: i64 = 0o100000;
const S_IFLNK: i64 = 0o120000;

// How a path parameter is described in its TypeError, as CPython words it.
const PATH: &str = "string, bytes or os.PathLike";
const PATH_OR_FD: &str = "string, bytes, os.PathLike or integer";

thread_local! {
    /// The files `os.open` opened, by descriptor number (their real descriptor, so the
    /// numbers are the ones CPython would show). `os.close` drops the `File`, which
    /// closes the descriptor; the standard streams are never in the table.
    static FDS: RefCell<HashMap<i32, File>> = RefCell::new(HashMap::new());
}

/// The classes of `os` that are simplest in Python, run in the module's namespace when
/// `os` is first imported. The `DirEntry` methods that touch the file system are
/// native (added in `init_os`), so their errors show no Python frame, as with CPython's
/// C implementation.
const OS_PY: &str = r#"
class stat_result(tuple):
    """The result of stat, lstat and fstat: a 10-tuple (mode, ino, dev, nlink, uid,
    gid, size, and the three times in whole seconds) with the st_* attributes."""

    n_sequence_fields = 10
    n_fields = 19
    n_unnamed_fields = 3
    _named = ("st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size")
    _extra = ("st_atime", "st_mtime", "st_ctime", "st_atime_ns", "st_mtime_ns",
              "st_ctime_ns", "st_blksize", "st_blocks", "st_rdev")

    def __new__(cls, sequence, dict=None):
        seq = tuple(sequence)
        n = len(seq)
        if n < 10:
            raise TypeError("os.stat_result() takes an at least 10-sequence (%d-sequence given)" % n)
        if n > 19:
            raise TypeError("os.stat_result() takes an at most 19-sequence (%d-sequence given)" % n)
        self = tuple.__new__(cls, seq[:10])
        for i, name in enumerate(cls._named):
            setattr(self, name, seq[i])
        for i, name in enumerate(cls._extra):
            if 10 + i < n:
                value = seq[10 + i]
            elif dict is not None:
                value = dict.get(name)
            else:
                value = None
            setattr(self, name, value)
        # As CPython's statresult_new: float times not given are the integer ones.
        for i, name in ((7, "st_atime"), (8, "st_mtime"), (9, "st_ctime")):
            if getattr(self, name) is None:
                setattr(self, name, seq[i])
        return self

    def __repr__(self):
        names = type(self)._named + ("st_atime", "st_mtime", "st_ctime")
        return "os.stat_result(" + ", ".join(["%s=%r" % (k, v) for k, v in zip(names, self)]) + ")"

    def __reduce__(self):
        return (type(self), (tuple(self), {k: getattr(self, k) for k in type(self)._extra}))


class DirEntry:
    """An entry of os.scandir(): name, path, and is_dir/is_file/is_symlink/stat/inode
    answered from the directory listing where it can, as CPython does."""

    __module__ = "posix"

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 'posix.DirEntry' instances")

    def __repr__(self):
        return "<DirEntry %r>" % (self.name,)

    def __fspath__(self):
        return self.path


class ScandirIterator:
    """What os.scandir() returns: an iterator of DirEntry objects and a context
    manager whose exit closes it."""

    __module__ = "posix"

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 'posix.ScandirIterator' instances")

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)

    def close(self):
        self._it = iter(())

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()


# Not an attribute of CPython's os; kept under a private name for scandir().
_ScandirIterator = ScandirIterator
del ScandirIterator
"#;

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
        ("replace", replace),
        ("getpid", getpid),
        ("cpu_count", cpu_count),
        ("fspath", fspath),
        ("open", os_open),
        ("close", close),
        ("read", read),
        ("write", write),
        ("lseek", lseek),
        ("fstat", fstat),
        ("dup", dup),
        ("fsync", fsync),
        ("ftruncate", ftruncate),
        ("isatty", isatty),
        ("stat", stat),
        ("lstat", lstat),
        ("chmod", chmod),
        ("access", access),
        ("utime", utime),
        ("symlink", symlink),
        ("readlink", readlink),
        ("link", link),
        ("scandir", scandir),
    ] {
        vm.module_add_fn(&m, name, f);
    }
    for (k, v) in [("sep", "/"), ("linesep", "\n"), ("name", "posix"), ("curdir", "."), ("pardir", ".."), ("extsep", ".")] {
        let s = vm.new_str(v);
        vm.module_add(&m, k, s);
    }
    let consts = [("F_OK", 0), ("X_OK", 1), ("W_OK", 2), ("R_OK", 4), ("SEEK_SET", 0), ("SEEK_CUR", 1), ("SEEK_END", 2)];
    for (k, v) in consts.iter().chain(OPEN_FLAGS.iter()) {
        let n = vm.new_int(*v);
        vm.module_add(&m, k, n);
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
    crate::os_proc::install(vm, &m);
    run_python_part(vm, &m, OS_PY, "<pyvm-lib>/os.py")?;
    run_python_part(vm, &m, OS_EXTRA_PY, "<pyvm-lib>/os_extra.py")?;
    let entry = module_attr(vm, &m, "DirEntry")?;
    for (name, f) in [
        ("is_dir", entry_is_dir as pyvm_vm::vm::NativeFn),
        ("is_file", entry_is_file),
        ("is_symlink", entry_is_symlink),
        ("stat", entry_stat),
        ("inode", entry_inode),
    ] {
        vm.add_method(&entry, name, f);
    }
    Ok(m)
}

/// The parts of `os` (walk, makedirs, fsencode, PathLike, ...) and `os.path`
/// (normpath, relpath, realpath, expanduser, ...) written in Python, run in the native
/// module's namespace after its native functions are installed.
const OS_EXTRA_PY: &str = include_str!("os_extra.py");
const POSIXPATH_PY: &str = include_str!("posixpath.py");

/// Compile and run Python source in a native module's namespace (its classes get
/// `__module__` from the namespace's `__name__`, unless they set their own).
fn run_python_part(vm: &mut Vm, m: &Value, src: &str, file: &str) -> PyResult<()> {
    let ns = m.downcast_ref::<Module>().expect("a native module").dict.clone();
    vm.run_source_in(&ns, src, file)
}

fn module_attr(vm: &mut Vm, m: &Value, name: &str) -> PyResult<Value> {
    let d = m.downcast_ref::<Module>().map(|m| m.dict.clone());
    let k = vm.intern(name);
    match d.and_then(|d| vm.dict_get_str(&d, &k)) {
        Some(v) => Ok(v),
        None => Err(vm.runtime_error(format!("os.{name} is missing"))),
    }
}

/// A class defined by `OS_PY`, found through the imported `os` module (the native
/// functions have no other link to their module).
fn os_class(vm: &mut Vm, name: &str) -> PyResult<Value> {
    let modules = vm.modules.clone();
    let k = vm.intern("os");
    match vm.dict_get_str(&modules, &k) {
        Some(m) => module_attr(vm, &m, name),
        None => Err(vm.runtime_error(format!("os.{name} is missing: os is not imported"))),
    }
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
    run_python_part(vm, &m, POSIXPATH_PY, "<pyvm-lib>/posixpath.py")?;
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

/// `mkdir(path, mode=0o777, *, dir_fd=None)`: the mode is applied (less the umask).
fn mkdir(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "mkdir", args, kw, &["path", "mode", "dir_fd"], 1)?;
    let p = path_str(vm, "mkdir", "path", arg(&a, 0), PATH)?;
    let mode = match &a[1] {
        Some(v) => int_arg(vm, v)?,
        None => 0o777,
    };
    let at = at_path(vm, &a[2], &p)?;
    match std::fs::DirBuilder::new().mode(mode as u32).create(&at) {
        Ok(()) => Ok(vm.none.clone()),
        Err(e) => Err(os_err(vm, &e, Some(&p), None)),
    }
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

fn rename(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    rename_as(vm, "rename", args, kw)
}

/// `replace(src, dst)`: rename(2) replaces an existing dst, so it is rename.
fn replace(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    rename_as(vm, "replace", args, kw)
}

fn rename_as(vm: &mut Vm, fname: &str, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, fname, args, kw, &["src", "dst"], 2)?;
    let src = path_str(vm, fname, "src", arg(&a, 0), PATH)?;
    let dst = path_str(vm, fname, "dst", arg(&a, 1), PATH)?;
    match std::fs::rename(&src, &dst) {
        Ok(()) => Ok(vm.none.clone()),
        // CPython names both paths: "[Errno 2] No such file or directory: 'a' -> 'b'".
        Err(e) => Err(os_err(vm, &e, Some(&src), Some(&dst))),
    }
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
    Ok(vm.new_tuple([h, t]))
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
    Ok(vm.new_tuple([r, e]))
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

// ----- arguments and errors -------------------------------------------------------------

/// `vm.bind_args` with argument clinic's wording when positional arguments are
/// missing, as these functions have in CPython: "open() missing required argument
/// 'flags' (pos 2)".
fn bind(vm: &mut Vm, fname: &str, args: &[Value], kw: &[Value], params: &[&str], min: usize) -> PyResult<Vec<Option<Value>>> {
    let npos = args.len() - kw.len();
    if npos < min && kw.is_empty() {
        return Err(vm.type_error(format!("{fname}() missing required argument '{}' (pos {})", params[npos], npos + 1)));
    }
    vm.bind_args(fname, args, kw, params, min)
}

/// A bound argument that `bind_args` guarantees (a required parameter).
fn arg(a: &[Option<Value>], i: usize) -> &Value {
    a[i].as_ref().expect("required argument")
}

/// An integer argument (`operator.index`), worded as CPython's converters.
fn int_arg(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    match vm.index_value(v)? {
        Some(i) => Ok(i),
        None => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
        }
    }
}

/// A C `int` argument: a descriptor, flags.
fn c_int_arg(vm: &mut Vm, v: &Value) -> PyResult<i32> {
    let i = int_arg(vm, v)?;
    i32::try_from(i).map_err(|_| vm.overflow_error("Python int too large to convert to C int"))
}

/// The text of a str or bytes value (bytes paths are taken as UTF-8).
fn path_text(v: &Value) -> Option<String> {
    if let Some(s) = v.downcast_ref::<Str>() {
        return Some(s.s.to_string());
    }
    v.downcast_ref::<Bytes>().map(|b| String::from_utf8_lossy(&b.0).into_owned())
}

/// A path parameter: str, bytes (or subclasses), or an os.PathLike whose `__fspath__`
/// gives one of those. `kinds` words what the parameter accepts for the TypeError.
fn path_str(vm: &mut Vm, fname: &str, argname: &str, v: &Value, kinds: &str) -> PyResult<String> {
    let base = vm.unwrap_base(v);
    let s = match path_text(&base) {
        Some(s) => s,
        None => match vm.call_special(v, "__fspath__", &[])? {
            Some(r) => match path_text(&vm.unwrap_base(&r)) {
                Some(s) => s,
                None => {
                    let (tn, rn) = (vm.type_name(v), vm.type_name(&r));
                    return Err(vm.type_error(format!("expected {tn}.__fspath__() to return str or bytes, not {rn}")));
                }
            },
            None => {
                let tn = vm.type_name(v);
                return Err(vm.type_error(format!("{fname}: {argname} should be {kinds}, not {tn}")));
            }
        },
    };
    if s.contains('\0') {
        return Err(vm.value_error("embedded null byte"));
    }
    Ok(s)
}

/// What a path-or-descriptor parameter named.
enum Target {
    Path(String),
    Fd(i32),
}

fn path_or_fd(vm: &mut Vm, fname: &str, v: &Value, kinds: &str) -> PyResult<Target> {
    let base = vm.unwrap_base(v);
    if !base.is::<Str>() && vm.is_int_like(&base) {
        return Ok(Target::Fd(c_int_arg(vm, v)?));
    }
    Ok(Target::Path(path_str(vm, fname, "path", v, kinds)?))
}

/// The path to use for `path` relative to the directory descriptor `dir_fd` (None:
/// the working directory), through /proc since there is no openat without libc.
fn at_path(vm: &mut Vm, dir_fd: &Option<Value>, path: &str) -> PyResult<String> {
    let Some(d) = dir_fd.as_ref().filter(|d| !vm.is_none(d)) else {
        return Ok(path.to_string());
    };
    let fd = c_int_arg(vm, d)?;
    if path.starts_with('/') {
        return Ok(path.to_string());
    }
    let dir = proc_fd(fd);
    if !std::path::Path::new(&dir).exists() {
        return Err(os_err(vm, &errno(EBADF), Some(path), None));
    }
    Ok(format!("{dir}/{path}"))
}

fn proc_fd(fd: i32) -> String {
    format!("/proc/self/fd/{fd}")
}

fn errno(n: i32) -> std::io::Error {
    std::io::Error::from_raw_os_error(n)
}

/// The errno and strerror text of an I/O error (std's own errors carry only a kind).
fn errno_text(e: &std::io::Error) -> (i32, String) {
    use std::io::ErrorKind as K;
    match (e.raw_os_error(), e.kind()) {
        (Some(n), _) => (n, e.to_string().split(" (os error").next().unwrap_or("").to_string()),
        (None, K::NotFound) => (2, "No such file or directory".to_string()),
        (None, K::PermissionDenied) => (13, "Permission denied".to_string()),
        (None, K::AlreadyExists) => (17, "File exists".to_string()),
        (None, K::InvalidInput) => (EINVAL, "Invalid argument".to_string()),
        (None, _) => (0, e.to_string()),
    }
}

/// The OSError CPython raises: `OSError(errno, strerror[, filename[, None, filename2]])`,
/// which picks the subclass (FileNotFoundError, ...) and sets the attributes, with
/// `args == (errno, strerror)`. Descriptor errors name no file.
fn os_err(vm: &mut Vm, e: &std::io::Error, filename: Option<&str>, filename2: Option<&str>) -> PyErr {
    let (n, text) = errno_text(e);
    let mut args = vec![vm.new_int(n as i64), vm.new_str(text)];
    if let Some(f) = filename {
        args.push(vm.new_str(f));
        if let Some(f2) = filename2 {
            args.push(vm.none.clone());
            args.push(vm.new_str(f2));
        }
    }
    os_err_args(vm, args)
}

/// As `os_err`, with a descriptor number as the filename (`os.stat(99)`: "[Errno 9] Bad
/// file descriptor: 99").
fn fd_err(vm: &mut Vm, e: &std::io::Error, fd: i32) -> PyErr {
    let (n, text) = errno_text(e);
    let args = vec![vm.new_int(n as i64), vm.new_str(text), vm.new_int(fd as i64)];
    os_err_args(vm, args)
}

fn os_err_args(vm: &mut Vm, args: Vec<Value>) -> PyErr {
    let cls = vm.exc["OSError"].clone();
    match vm.call(&cls, &args, &[]) {
        Ok(exc) => PyErr(exc),
        Err(e) => e,
    }
}

/// An unsigned value as an int (inode and device numbers can pass i64::MAX).
fn uint(vm: &mut Vm, x: u64) -> PyResult<Value> {
    match i64::try_from(x) {
        Ok(i) => Ok(vm.new_int(i)),
        Err(_) => vm.parse_int(&x.to_string(), 10),
    }
}

fn set_attr(vm: &mut Vm, obj: &Value, name: &str, v: Value) -> PyResult<()> {
    let k = vm.intern(name);
    vm.generic_setattr(obj, &k, v)
}

// ----- fspath ---------------------------------------------------------------------------

/// `fspath(path)`: str and bytes as they are, else `path.__fspath__()`.
fn fspath(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "fspath", args, kw, &["path"], 1)?;
    let v = arg(&a, 0).clone();
    let base = vm.unwrap_base(&v);
    if base.is::<Str>() || base.is::<Bytes>() {
        return Ok(v);
    }
    match vm.call_special(&v, "__fspath__", &[])? {
        Some(r) => {
            let rb = vm.unwrap_base(&r);
            if rb.is::<Str>() || rb.is::<Bytes>() {
                Ok(r)
            } else {
                let (tn, rn) = (vm.type_name(&v), vm.type_name(&r));
                Err(vm.type_error(format!("expected {tn}.__fspath__() to return str or bytes, not {rn}")))
            }
        }
        None => {
            let tn = vm.type_name(&v);
            Err(vm.type_error(format!("expected str, bytes or os.PathLike object, not {tn}")))
        }
    }
}

// ----- file descriptors -----------------------------------------------------------------

/// Run `f` on the file of descriptor `fd` if `os.open` made it.
fn with_file<T>(fd: i32, f: impl FnOnce(&mut File) -> std::io::Result<T>) -> Option<std::io::Result<T>> {
    FDS.with(|t| t.borrow_mut().get_mut(&fd).map(f))
}

/// Open with open(2)'s flags: std wants the access mode as read/write, and passes every
/// other flag (O_CREAT, O_EXCL, O_TRUNC, O_APPEND, ...) on unchanged as custom flags.
/// std always adds O_CLOEXEC, which matches CPython's non-inheritable descriptors.
fn open_file(path: &str, flags: i64, mode: u32) -> std::io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    match flags & O_ACCMODE {
        O_RDONLY => o.read(true),
        O_WRONLY => o.write(true),
        // O_RDWR, and 3, which Linux accepts (it checks read and write permission).
        _ => o.read(true).write(true),
    };
    o.custom_flags((flags & !O_ACCMODE) as i32).mode(mode).open(path)
}

/// `open(path, flags, mode=0o777, *, dir_fd=None)` -> descriptor.
fn os_open(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "open", args, kw, &["path", "flags", "mode", "dir_fd"], 2)?;
    let path = path_str(vm, "open", "path", arg(&a, 0), PATH)?;
    let flags = c_int_arg(vm, arg(&a, 1))? as i64;
    let mode = match &a[2] {
        Some(v) => c_int_arg(vm, v)?,
        None => 0o777,
    };
    let at = at_path(vm, &a[3], &path)?;
    match open_file(&at, flags, mode as u32) {
        Ok(f) => {
            let fd = f.as_raw_fd();
            FDS.with(|t| t.borrow_mut().insert(fd, f));
            Ok(vm.new_int(fd as i64))
        }
        Err(e) => Err(os_err(vm, &e, Some(&path), None)),
    }
}

/// `close(fd)`.
fn close(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "close", args, kw, &["fd"], 1)?;
    let fd = c_int_arg(vm, arg(&a, 0))?;
    let file = FDS.with(|t| t.borrow_mut().remove(&fd));
    match file {
        Some(f) => {
            drop(f);
            Ok(vm.none.clone())
        }
        // The standard streams stay open (CPython would close them; here that would
        // need libc, and sys.stdout would break anyway).
        None if (0..=2).contains(&fd) => Ok(vm.none.clone()),
        None => Err(os_err(vm, &errno(EBADF), None, None)),
    }
}

/// `write(fd, data, /)` -> the number of bytes written (one write(2), so possibly fewer).
fn write(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.no_kwargs("write", kw)?;
    vm.check_nargs("write", args, 2, 2)?;
    let fd = c_int_arg(vm, &args[0])?;
    let Some(data) = pyvm_vm::methods::bytes_of(&args[1]) else {
        let tn = vm.type_name(&args[1]);
        return Err(vm.type_error(format!("a bytes-like object is required, not '{tn}'")));
    };
    let r = match with_file(fd, |f| f.write(&data)) {
        Some(r) => r,
        // What print() buffered goes out first, so the two keep their order.
        None if fd == 1 => {
            vm.flush_stdout();
            let mut out = std::io::stdout();
            out.write(&data).and_then(|n| out.flush().map(|_| n))
        }
        None if fd == 2 => {
            vm.flush_stdout();
            std::io::stderr().write(&data)
        }
        None => Err(errno(EBADF)),
    };
    match r {
        Ok(n) => Ok(vm.new_int(n as i64)),
        Err(e) => Err(os_err(vm, &e, None, None)),
    }
}

/// `read(fd, length, /)` -> bytes (one read(2): at most length bytes, b"" at the end).
fn read(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.no_kwargs("read", kw)?;
    vm.check_nargs("read", args, 2, 2)?;
    let fd = c_int_arg(vm, &args[0])?;
    let n = int_arg(vm, &args[1])?;
    if n < 0 {
        // CPython: errno = EINVAL, then an OSError naming no file.
        return Err(os_err(vm, &errno(EINVAL), None, None));
    }
    vm.check_room(n as usize)?;
    let mut buf = vec![0u8; n as usize];
    let r = match with_file(fd, |f| f.read(&mut buf)) {
        Some(r) => r,
        None if fd == 0 => std::io::stdin().read(&mut buf),
        None => Err(errno(EBADF)),
    };
    match r {
        Ok(got) => {
            buf.truncate(got);
            Ok(vm.new_bytes(buf))
        }
        Err(e) => Err(os_err(vm, &e, None, None)),
    }
}

/// `lseek(fd, position, whence, /)` -> the new offset.
fn lseek(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.no_kwargs("lseek", kw)?;
    vm.check_nargs("lseek", args, 3, 3)?;
    let fd = c_int_arg(vm, &args[0])?;
    let pos = int_arg(vm, &args[1])?;
    let how = c_int_arg(vm, &args[2])?;
    let to = match how {
        0 if pos >= 0 => Some(SeekFrom::Start(pos as u64)),
        1 => Some(SeekFrom::Current(pos)),
        2 => Some(SeekFrom::End(pos)),
        // A negative absolute offset, and SEEK_DATA/SEEK_HOLE (not in std).
        _ => None,
    };
    let r = match with_file(fd, |f| match to {
        Some(to) => f.seek(to),
        None => Err(errno(EINVAL)),
    }) {
        Some(r) => r,
        // The standard streams are not in the table; usually terminals or pipes.
        None if (0..=2).contains(&fd) => Err(errno(ESPIPE)),
        None => Err(errno(EBADF)),
    };
    match r {
        Ok(off) => uint(vm, off),
        Err(e) => Err(os_err(vm, &e, None, None)),
    }
}

/// The metadata of a descriptor: the table's file, or else the /proc link (which
/// stat(2) follows to the open file, as fstat does).
fn fd_metadata(fd: i32) -> std::io::Result<std::fs::Metadata> {
    if let Some(r) = with_file(fd, |f| f.metadata()) {
        return r;
    }
    if fd < 0 {
        return Err(errno(EBADF));
    }
    std::fs::metadata(proc_fd(fd)).map_err(|e| if e.kind() == std::io::ErrorKind::NotFound { errno(EBADF) } else { e })
}

/// `fstat(fd)` -> stat_result.
fn fstat(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "fstat", args, kw, &["fd"], 1)?;
    let fd = c_int_arg(vm, arg(&a, 0))?;
    match fd_metadata(fd) {
        Ok(md) => make_stat(vm, &md),
        Err(e) => Err(os_err(vm, &e, None, None)),
    }
}

/// `dup(fd, /)` -> a new descriptor for the same open file.
fn dup(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.no_kwargs("dup", kw)?;
    vm.check_nargs("dup", args, 1, 1)?;
    let fd = c_int_arg(vm, &args[0])?;
    match with_file(fd, |f| f.try_clone()).unwrap_or_else(|| Err(errno(EBADF))) {
        Ok(f) => {
            let new_fd = f.as_raw_fd();
            FDS.with(|t| t.borrow_mut().insert(new_fd, f));
            Ok(vm.new_int(new_fd as i64))
        }
        Err(e) => Err(os_err(vm, &e, None, None)),
    }
}

/// `fsync(fd)`.
fn fsync(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "fsync", args, kw, &["fd"], 1)?;
    let fd = c_int_arg(vm, arg(&a, 0))?;
    match with_file(fd, |f| f.sync_all()).unwrap_or_else(|| Err(errno(EBADF))) {
        Ok(()) => Ok(vm.none.clone()),
        Err(e) => Err(os_err(vm, &e, None, None)),
    }
}

/// `ftruncate(fd, length, /)`.
fn ftruncate(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.no_kwargs("ftruncate", kw)?;
    vm.check_nargs("ftruncate", args, 2, 2)?;
    let fd = c_int_arg(vm, &args[0])?;
    let len = int_arg(vm, &args[1])?;
    let r = match u64::try_from(len) {
        Ok(len) => with_file(fd, |f| f.set_len(len)).unwrap_or_else(|| Err(errno(EBADF))),
        Err(_) => Err(errno(EINVAL)),
    };
    match r {
        Ok(()) => Ok(vm.none.clone()),
        Err(e) => Err(os_err(vm, &e, None, None)),
    }
}

/// `isatty(fd, /)`: False for anything that is not an open terminal.
fn isatty(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.no_kwargs("isatty", kw)?;
    vm.check_nargs("isatty", args, 1, 1)?;
    let fd = c_int_arg(vm, &args[0])?;
    let tty = match FDS.with(|t| t.borrow().get(&fd).map(|f| f.is_terminal())) {
        Some(b) => b,
        None => match fd {
            0 => std::io::stdin().is_terminal(),
            1 => std::io::stdout().is_terminal(),
            2 => std::io::stderr().is_terminal(),
            _ => false,
        },
    };
    Ok(vm.new_bool(tty))
}

// ----- stat -----------------------------------------------------------------------------

/// An `os.stat_result` for `md`: the 10-tuple (times in whole seconds) with the st_*
/// attributes, float times as CPython computes them (sec + nsec * 1e-9).
fn make_stat(vm: &mut Vm, md: &std::fs::Metadata) -> PyResult<Value> {
    let cls = os_class(vm, "stat_result")?;
    let times = [(md.atime(), md.atime_nsec()), (md.mtime(), md.mtime_nsec()), (md.ctime(), md.ctime_nsec())];
    let mut seq = vec![vm.new_int(md.mode() as i64), uint(vm, md.ino())?, uint(vm, md.dev())?, uint(vm, md.nlink())?];
    seq.extend([vm.new_int(md.uid() as i64), vm.new_int(md.gid() as i64), uint(vm, md.size())?]);
    seq.extend(times.iter().map(|&(s, _)| vm.new_int(s)));
    let mut attrs: Vec<(&str, Value)> = ["st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size"]
        .into_iter()
        .zip(seq.iter().cloned())
        .collect();
    for ((s, ns), name) in times.iter().zip(["st_atime", "st_mtime", "st_ctime"]) {
        attrs.push((name, vm.new_float(*s as f64 + *ns as f64 * 1e-9)));
    }
    for ((s, ns), name) in times.iter().zip(["st_atime_ns", "st_mtime_ns", "st_ctime_ns"]) {
        let total = *s as i128 * 1_000_000_000 + *ns as i128;
        let v = match i64::try_from(total) {
            Ok(t) => vm.new_int(t),
            Err(_) => vm.parse_int(&total.to_string(), 10)?,
        };
        attrs.push((name, v));
    }
    attrs.push(("st_blksize", uint(vm, md.blksize())?));
    attrs.push(("st_blocks", uint(vm, md.blocks())?));
    attrs.push(("st_rdev", uint(vm, md.rdev())?));
    let tuple = vm.new_tuple(seq);
    let st = pyvm_vm::methods::subclass_instance(&cls, tuple);
    for (name, v) in attrs {
        set_attr(vm, &st, name, v)?;
    }
    Ok(st)
}

/// `stat(path, *, dir_fd=None, follow_symlinks=True)`; path may be a descriptor.
fn stat(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "stat", args, kw, &["path", "dir_fd", "follow_symlinks"], 1)?;
    let follow = match &a[2] {
        Some(v) => vm.is_true(v)?,
        None => true,
    };
    match path_or_fd(vm, "stat", arg(&a, 0), PATH_OR_FD)? {
        Target::Fd(fd) => match fd_metadata(fd) {
            Ok(md) => make_stat(vm, &md),
            Err(e) => Err(fd_err(vm, &e, fd)),
        },
        Target::Path(p) => stat_path(vm, &a[1], &p, follow),
    }
}

/// `lstat(path, *, dir_fd=None)`.
fn lstat(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "lstat", args, kw, &["path", "dir_fd"], 1)?;
    let p = path_str(vm, "lstat", "path", arg(&a, 0), PATH)?;
    stat_path(vm, &a[1], &p, false)
}

fn stat_path(vm: &mut Vm, dir_fd: &Option<Value>, p: &str, follow: bool) -> PyResult<Value> {
    let at = at_path(vm, dir_fd, p)?;
    let r = if follow { std::fs::metadata(&at) } else { std::fs::symlink_metadata(&at) };
    match r {
        Ok(md) => make_stat(vm, &md),
        Err(e) => Err(os_err(vm, &e, Some(p), None)),
    }
}

/// `chmod(path, mode, *, dir_fd=None, follow_symlinks=True)`; path may be a descriptor.
fn chmod(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "chmod", args, kw, &["path", "mode", "dir_fd", "follow_symlinks"], 2)?;
    let mode = c_int_arg(vm, arg(&a, 1))? as u32;
    let perms = std::fs::Permissions::from_mode(mode);
    let follow = match &a[3] {
        Some(v) => vm.is_true(v)?,
        None => true,
    };
    match path_or_fd(vm, "chmod", arg(&a, 0), PATH_OR_FD)? {
        Target::Fd(fd) => {
            let r = match with_file(fd, |f| f.set_permissions(perms.clone())) {
                Some(r) => r,
                None if fd >= 0 => std::fs::set_permissions(proc_fd(fd), perms)
                    .map_err(|e| if e.kind() == std::io::ErrorKind::NotFound { errno(EBADF) } else { e }),
                None => Err(errno(EBADF)),
            };
            match r {
                Ok(()) => Ok(vm.none.clone()),
                Err(e) => Err(fd_err(vm, &e, fd)),
            }
        }
        Target::Path(p) => {
            let at = at_path(vm, &a[2], &p)?;
            // follow_symlinks=False: Linux cannot change a link's own mode (glibc's
            // fchmodat fails with EOPNOTSUPP); other files are changed as usual.
            let r = match std::fs::symlink_metadata(&at) {
                Ok(md) if !follow && md.file_type().is_symlink() => Err(errno(EOPNOTSUPP)),
                _ => std::fs::set_permissions(&at, perms),
            };
            match r {
                Ok(()) => Ok(vm.none.clone()),
                Err(e) => Err(os_err(vm, &e, Some(&p), None)),
            }
        }
    }
}

/// The real user id, group id and supplementary groups of this process, from
/// /proc/self/status (std has no getuid/getgroups).
fn process_ids() -> Option<(u32, u32, Vec<u32>)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<Vec<u32>> {
        let rest = status.lines().find_map(|l| l.strip_prefix(name))?;
        Some(rest.split_whitespace().filter_map(|x| x.parse().ok()).collect())
    };
    let uid = *field("Uid:")?.first()?;
    let gid = *field("Gid:")?.first()?;
    Some((uid, gid, field("Groups:").unwrap_or_default()))
}

/// `access(path, mode, *, dir_fd=None, effective_ids=False, follow_symlinks=True)`.
/// Without access(2) (libc), the answer comes from the permission bits as the kernel
/// reads them: root may read and write anything and execute what has an x bit (or is
/// a directory); others get the owner, group or other bits that apply to them.
/// Read-only mounts and ACLs are not seen.
fn access(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "access", args, kw, &["path", "mode", "dir_fd", "effective_ids", "follow_symlinks"], 2)?;
    let p = path_str(vm, "access", "path", arg(&a, 0), PATH)?;
    let mode = c_int_arg(vm, arg(&a, 1))? as u32 & 7;
    let follow = match &a[4] {
        Some(v) => vm.is_true(v)?,
        None => true,
    };
    let at = at_path(vm, &a[2], &p)?;
    let md = if follow { std::fs::metadata(&at) } else { std::fs::symlink_metadata(&at) };
    let Ok(md) = md else {
        return Ok(vm.new_bool(false));
    };
    if mode == 0 {
        return Ok(vm.new_bool(true));
    }
    let perm = md.mode();
    let ok = match process_ids() {
        Some((0, _, _)) => mode & 1 == 0 || md.is_dir() || perm & 0o111 != 0,
        ids => {
            let bits = match ids {
                Some((uid, _, _)) if uid == md.uid() => perm >> 6,
                Some((_, gid, groups)) if gid == md.gid() || groups.contains(&md.gid()) => perm >> 3,
                _ => perm,
            } & 7;
            bits & mode == mode
        }
    };
    Ok(vm.new_bool(ok))
}

/// A time in seconds since the epoch as a SystemTime (None if out of range).
fn time_from_secs(secs: f64) -> Option<SystemTime> {
    if secs >= 0.0 {
        UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(secs).ok()?)
    } else {
        UNIX_EPOCH.checked_sub(Duration::try_from_secs_f64(-secs).ok()?)
    }
}

fn time_from_ns(ns: i64) -> Option<SystemTime> {
    if ns >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_nanos(ns as u64))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_nanos(ns.unsigned_abs()))
    }
}

/// The two items of an exact 2-tuple.
fn pair(v: &Value) -> Option<(Value, Value)> {
    let t = v.downcast_ref::<pyvm_vm::objects::Tuple>()?;
    match &t.0[..] {
        [a, b] => Some((a.clone(), b.clone())),
        _ => None,
    }
}

/// `utime(path, times=None, *, ns=None, dir_fd=None, follow_symlinks=True)`: set the
/// access and modification times (now, `times` in seconds, or `ns` in nanoseconds).
fn utime(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "utime", args, kw, &["path", "times", "ns", "dir_fd", "follow_symlinks"], 1)?;
    let target = path_or_fd(vm, "utime", arg(&a, 0), PATH_OR_FD)?;
    let times = a[1].clone().filter(|v| !vm.is_none(v));
    if times.is_some() && a[2].is_some() {
        return Err(vm.value_error("utime: you may specify either 'times' or 'ns' but not both"));
    }
    let (atime, mtime) = if let Some(t) = times {
        let Some((x, y)) = pair(&t) else {
            return Err(vm.type_error("utime: 'times' must be either a tuple of two ints or None"));
        };
        let mut out = Vec::new();
        for v in [x, y] {
            let secs = match vm.as_f64(&v) {
                Some(f) => f,
                None => int_arg(vm, &v)? as f64,
            };
            match time_from_secs(secs) {
                Some(t) => out.push(t),
                None => return Err(vm.overflow_error("timestamp out of range for platform time_t")),
            }
        }
        (out[0], out[1])
    } else if let Some(ns) = &a[2] {
        let Some((x, y)) = pair(ns) else {
            return Err(vm.type_error("utime: 'ns' must be a tuple of two ints"));
        };
        let (x, y) = (int_arg(vm, &x)?, int_arg(vm, &y)?);
        match (time_from_ns(x), time_from_ns(y)) {
            (Some(x), Some(y)) => (x, y),
            _ => return Err(vm.overflow_error("timestamp out of range for platform time_t")),
        }
    } else {
        let now = SystemTime::now();
        (now, now)
    };
    let follow = match &a[4] {
        Some(v) => vm.is_true(v)?,
        None => true,
    };
    let times = std::fs::FileTimes::new().set_accessed(atime).set_modified(mtime);
    let r = match &target {
        Target::Fd(fd) => with_file(*fd, |f| f.set_times(times)).unwrap_or_else(|| Err(errno(EBADF))),
        Target::Path(p) => {
            let at = at_path(vm, &a[3], p)?;
            match std::fs::symlink_metadata(&at) {
                // std sets times through an open file, which follows links.
                Ok(md) if !follow && md.file_type().is_symlink() => Err(errno(EOPNOTSUPP)),
                Ok(_) => File::open(&at)
                    .or_else(|_| std::fs::OpenOptions::new().write(true).open(&at))
                    .and_then(|f| f.set_times(times)),
                Err(e) => Err(e),
            }
        }
    };
    match r {
        Ok(()) => Ok(vm.none.clone()),
        // CPython's utime errors name no file: "[Errno 2] No such file or directory".
        Err(e) => Err(os_err(vm, &e, None, None)),
    }
}

// ----- links ----------------------------------------------------------------------------

/// `symlink(src, dst, target_is_directory=False, *, dir_fd=None)`.
fn symlink(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "symlink", args, kw, &["src", "dst", "target_is_directory", "dir_fd"], 2)?;
    let src = path_str(vm, "symlink", "src", arg(&a, 0), PATH)?;
    let dst = path_str(vm, "symlink", "dst", arg(&a, 1), PATH)?;
    let at = at_path(vm, &a[3], &dst)?;
    match std::os::unix::fs::symlink(&src, &at) {
        Ok(()) => Ok(vm.none.clone()),
        Err(e) => Err(os_err(vm, &e, Some(&src), Some(&dst))),
    }
}

/// `readlink(path, *, dir_fd=None)`: the link's text, as bytes for a bytes path.
fn readlink(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "readlink", args, kw, &["path", "dir_fd"], 1)?;
    let p = path_str(vm, "readlink", "path", arg(&a, 0), PATH)?;
    let at = at_path(vm, &a[1], &p)?;
    match std::fs::read_link(&at) {
        Ok(t) if vm.unwrap_base(arg(&a, 0)).is::<Bytes>() => Ok(vm.new_bytes(t.as_os_str().as_bytes().to_vec())),
        Ok(t) => Ok(vm.new_str(t.to_string_lossy().into_owned())),
        Err(e) => Err(os_err(vm, &e, Some(&p), None)),
    }
}

/// `link(src, dst, *, src_dir_fd=None, dst_dir_fd=None, follow_symlinks=True)`: a hard
/// link. (std links a symlink itself, where CPython's default follows it.)
fn link(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "link", args, kw, &["src", "dst", "src_dir_fd", "dst_dir_fd", "follow_symlinks"], 2)?;
    let src = path_str(vm, "link", "src", arg(&a, 0), PATH)?;
    let dst = path_str(vm, "link", "dst", arg(&a, 1), PATH)?;
    let (src_at, dst_at) = (at_path(vm, &a[2], &src)?, at_path(vm, &a[3], &dst)?);
    match std::fs::hard_link(&src_at, &dst_at) {
        Ok(()) => Ok(vm.none.clone()),
        Err(e) => Err(os_err(vm, &e, Some(&src), Some(&dst))),
    }
}

// ----- scandir --------------------------------------------------------------------------

// A DirEntry's type as the directory listing gave it (CPython's d_type).
const DT_UNKNOWN: i64 = 0;
const DT_DIR: i64 = 1;
const DT_REG: i64 = 2;
const DT_LNK: i64 = 3;
const DT_OTHER: i64 = 4;

/// `scandir(path='.')`: the entries of a directory (read at once) as DirEntry objects,
/// in an iterator that is also a context manager. An entry's path is path + '/' + name
/// ('./name' by default); for a descriptor it is the bare name, as in CPython.
fn scandir(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = bind(vm, "scandir", args, kw, &["path"], 0)?;
    let (dir, prefix, shown) = match a[0].as_ref().filter(|v| !vm.is_none(v)) {
        None => (".".to_string(), Some(".".to_string()), ".".to_string()),
        Some(v) => match path_or_fd(vm, "scandir", v, "string, bytes, os.PathLike, integer or None")? {
            Target::Path(p) => (p.clone(), Some(p.clone()), p),
            Target::Fd(fd) => (proc_fd(fd), None, fd.to_string()),
        },
    };
    let rd = match std::fs::read_dir(&dir) {
        Ok(rd) => rd,
        Err(e) if prefix.is_none() && e.kind() == std::io::ErrorKind::NotFound => return Err(os_err(vm, &errno(EBADF), None, None)),
        Err(e) => return Err(os_err(vm, &e, Some(&shown), None)),
    };
    let cls = os_class(vm, "DirEntry")?;
    let mut entries = Vec::new();
    for ent in rd {
        let ent = match ent {
            Ok(ent) => ent,
            Err(e) => return Err(os_err(vm, &e, Some(&shown), None)),
        };
        let name = ent.file_name().to_string_lossy().into_owned();
        let path = match &prefix {
            Some(p) if p.is_empty() || p.ends_with('/') => format!("{p}{name}"),
            Some(p) => format!("{p}/{name}"),
            None => name.clone(),
        };
        // std gives the listing's d_type, or lstat's answer when the listing has none.
        let d_type = match ent.file_type() {
            Ok(t) if t.is_symlink() => DT_LNK,
            Ok(t) if t.is_dir() => DT_DIR,
            Ok(t) if t.is_file() => DT_REG,
            Ok(_) => DT_OTHER,
            Err(_) => DT_UNKNOWN,
        };
        let e = Value::new(Instance::new(cls.clone(), false));
        let fields = [
            ("name", vm.new_str(name)),
            ("path", vm.new_str(path)),
            ("_d_type", vm.new_int(d_type)),
            ("_ino", uint(vm, ent.ino())?),
            ("_stat", vm.none.clone()),
            ("_lstat", vm.none.clone()),
        ];
        for (k, v) in fields {
            set_attr(vm, &e, k, v)?;
        }
        entries.push(e);
    }
    let list = vm.new_list(entries);
    let it = vm.get_iter(&list)?;
    let itcls = os_class(vm, "_ScandirIterator")?;
    let obj = Value::new(Instance::new(itcls, false));
    set_attr(vm, &obj, "_it", it)?;
    Ok(obj)
}

/// The DirEntry a method was called on (self, before any keyword arguments).
fn entry_self<'a>(vm: &mut Vm, fname: &str, args: &'a [Value], kw: &[Value]) -> PyResult<&'a Value> {
    if args.len() <= kw.len() {
        return Err(vm.type_error(format!("descriptor '{fname}' of 'posix.DirEntry' object needs an argument")));
    }
    Ok(&args[0])
}

/// The `follow_symlinks` keyword of a DirEntry method (default True).
fn follow_arg(vm: &mut Vm, fname: &str, args: &[Value], kw: &[Value]) -> PyResult<bool> {
    let a = bind(vm, fname, &args[1..], kw, &["follow_symlinks"], 0)?;
    match &a[0] {
        Some(v) => vm.is_true(v),
        None => Ok(true),
    }
}

fn entry_int(vm: &mut Vm, e: &Value, name: &str) -> PyResult<i64> {
    let v = vm.getattr_str(e, name)?;
    int_arg(vm, &v)
}

/// stat or lstat of the entry's path, cached in `slot` as CPython's DirEntry caches.
fn entry_fetch(vm: &mut Vm, e: &Value, slot: &str, follow: bool) -> PyResult<Value> {
    let cached = vm.getattr_str(e, slot)?;
    if !vm.is_none(&cached) {
        return Ok(cached);
    }
    let pv = vm.getattr_str(e, "path")?;
    let path = vm.str_val(&pv);
    let r = if follow { std::fs::metadata(&path) } else { std::fs::symlink_metadata(&path) };
    let st = match r {
        Ok(md) => make_stat(vm, &md)?,
        Err(err) => return Err(os_err(vm, &err, Some(&path), None)),
    };
    set_attr(vm, e, slot, st.clone())?;
    Ok(st)
}

/// CPython's DirEntry_get_stat: lstat unless following a symlink.
fn entry_get_stat(vm: &mut Vm, e: &Value, follow: bool) -> PyResult<Value> {
    if follow && entry_symlink(vm, e)? {
        entry_fetch(vm, e, "_stat", true)
    } else {
        entry_fetch(vm, e, "_lstat", false)
    }
}

/// CPython's DirEntry_test_mode: the listing's type when it is known and final (not a
/// link to follow), else the mode from stat; a file gone since the listing is neither
/// a file nor a directory.
fn entry_test_mode(vm: &mut Vm, e: &Value, follow: bool, bits: i64) -> PyResult<bool> {
    let d_type = entry_int(vm, e, "_d_type")?;
    let need_stat = d_type == DT_UNKNOWN || (follow && d_type == DT_LNK);
    if need_stat {
        let st = match entry_get_stat(vm, e, follow) {
            Ok(st) => st,
            Err(err) if vm.err_is(&err, "FileNotFoundError") => return Ok(false),
            Err(err) => return Err(err),
        };
        let mode = vm.getattr_str(&st, "st_mode")?;
        let mode = int_arg(vm, &mode)?;
        Ok(mode & S_IFMT == bits)
    } else if d_type == DT_LNK {
        Ok(false)
    } else if bits == S_IFDIR {
        Ok(d_type == DT_DIR)
    } else {
        Ok(d_type == DT_REG)
    }
}

fn entry_symlink(vm: &mut Vm, e: &Value) -> PyResult<bool> {
    let d_type = entry_int(vm, e, "_d_type")?;
    if d_type != DT_UNKNOWN {
        return Ok(d_type == DT_LNK);
    }
    entry_test_mode(vm, e, false, S_IFLNK)
}

/// `DirEntry.is_dir(*, follow_symlinks=True)`.
fn entry_is_dir(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let e = entry_self(vm, "is_dir", args, kw)?;
    let follow = follow_arg(vm, "is_dir", args, kw)?;
    let r = entry_test_mode(vm, e, follow, S_IFDIR)?;
    Ok(vm.new_bool(r))
}

/// `DirEntry.is_file(*, follow_symlinks=True)`.
fn entry_is_file(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let e = entry_self(vm, "is_file", args, kw)?;
    let follow = follow_arg(vm, "is_file", args, kw)?;
    let r = entry_test_mode(vm, e, follow, S_IFREG)?;
    Ok(vm.new_bool(r))
}

/// `DirEntry.is_symlink()`.
fn entry_is_symlink(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let e = entry_self(vm, "is_symlink", args, kw)?;
    bind(vm, "is_symlink", &args[1..], kw, &[], 0)?;
    let r = entry_symlink(vm, e)?;
    Ok(vm.new_bool(r))
}

/// `DirEntry.stat(*, follow_symlinks=True)`, cached.
fn entry_stat(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let e = entry_self(vm, "stat", args, kw)?;
    let follow = follow_arg(vm, "stat", args, kw)?;
    entry_get_stat(vm, e, follow)
}

/// `DirEntry.inode()`: the inode number from the listing.
fn entry_inode(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let e = entry_self(vm, "inode", args, kw)?;
    bind(vm, "inode", &args[1..], kw, &[], 0)?;
    vm.getattr_str(e, "_ino")
}
