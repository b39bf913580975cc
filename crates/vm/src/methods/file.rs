//! `open()` and the methods of file objects (`objects/file.rs`): read, readline,
//! readlines, iteration, write, writelines, seek, tell, flush, close, the context-manager
//! protocol and the `name`/`mode`/`closed` attributes.

use crate::objects::file::{Codec, FileObj, FileState, StdinObj};
use crate::objects::*;
use crate::vm::{PyErr, PyResult, Vm};
use pyvm_gc::Value;
use std::io::{Seek, SeekFrom};

pub fn install(vm: &mut Vm) {
    let f = vm.types.file.clone();
    for (name, func) in [
        ("read", read as crate::vm::NativeFn),
        ("readline", readline),
        ("readlines", readlines),
        ("writelines", writelines),
        ("seek", seek),
        ("tell", tell),
        ("close", close),
        ("readable", readable),
        ("writable", writable),
        ("seekable", seekable),
        ("isatty", isatty),
        ("fileno", fileno),
        ("truncate", truncate),
        ("__enter__", enter),
        ("__exit__", exit),
        ("__iter__", enter),
        ("__next__", next),
        ("__repr__", repr),
    ] {
        vm.add_method(&f, name, func);
    }
    for (name, getter) in [("closed", closed as crate::vm::NativeFn), ("name", name), ("mode", mode), ("encoding", encoding)] {
        let owner = f.downcast_ref::<Type>().map(|t| t.name.borrow().clone());
        let g = Value::new(BuiltinFn::new(name.into(), getter, None, owner));
        let p = Value::new(Property { fget: Some(g), fset: None, fdel: None, doc: None });
        let d = f.downcast_ref::<Type>().unwrap().dict.clone();
        let k = vm.intern(name);
        let _ = vm.dict_set(&d, k, p);
    }
}

impl Vm {
    /// An OSError subclass for an I/O error on `path`, worded as CPython's.
    pub fn os_error(&mut self, e: &std::io::Error, path: &str) -> PyErr {
        // The subclass comes from the errno, through the same map as OSError(errno, ...);
        // the system's message is strerror's, as CPython shows it.
        // Errors std makes itself (create_dir_all, say) carry only a kind.
        use std::io::ErrorKind as K;
        let (errno, text) = match (e.raw_os_error(), e.kind()) {
            (Some(n), _) => (n, e.to_string().split(" (os error").next().unwrap_or("").to_string()),
            (None, K::NotFound) => (2, "No such file or directory".to_string()),
            (None, K::PermissionDenied) => (13, "Permission denied".to_string()),
            (None, K::AlreadyExists) => (17, "File exists".to_string()),
            (None, _) => (0, e.to_string()),
        };
        let ty = crate::ops::call::oserror_subclass(errno as i64).unwrap_or("OSError");
        let err = self.new_exception(ty, format!("[Errno {errno}] {text}: '{path}'"));
        let attrs = [("errno", self.new_int(errno as i64)), ("strerror", self.new_str(text)), ("filename", self.new_str(path))];
        for (k, v) in attrs {
            let k = self.intern(k);
            let _ = self.generic_setattr(&err.0, &k, v);
        }
        err
    }
}

fn state<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a FileObj> {
    v.downcast_ref::<FileObj>().ok_or_else(|| vm.type_error("descriptor requires a file object"))
}

fn check_open(vm: &mut Vm, st: &FileState) -> PyResult<()> {
    if st.is_closed() {
        return Err(vm.value_error("I/O operation on closed file."));
    }
    Ok(())
}

/// The check of the raw-file queries (fileno, readable, seekable, ...): CPython words
/// it without the final period.
fn check_open_raw(vm: &mut Vm, st: &FileState) -> PyResult<()> {
    if st.is_closed() {
        return Err(vm.value_error("I/O operation on closed file"));
    }
    Ok(())
}

fn io_err(vm: &mut Vm, e: std::io::Error, st: &FileState) -> PyErr {
    let name = st.name.clone();
    vm.os_error(&e, &name)
}

/// `open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None)`.
pub fn open(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("open", args, kw, &["file", "mode", "buffering", "encoding", "errors", "newline"], 1)?;
    let path = match &a[0] {
        Some(p) if p.is::<Str>() => vm.str_val(p),
        Some(p) => {
            let tn = vm.type_name(p);
            return Err(vm.type_error(format!("expected str, bytes or os.PathLike object, not {tn}")));
        }
        None => unreachable!(),
    };
    let mode = match &a[1] {
        Some(m) => vm.str_val(m),
        None => "r".to_string(),
    };
    // CPython's checks, in its order and with its messages.
    let mut seen = std::collections::HashSet::new();
    if !mode.chars().all(|c| "rwaxbt+".contains(c) && seen.insert(c)) {
        return Err(vm.value_error(format!("invalid mode: '{mode}'")));
    }
    if mode.contains('b') && mode.contains('t') {
        return Err(vm.value_error("can't have text and binary mode at once"));
    }
    if mode.chars().filter(|c| "rwax".contains(*c)).count() != 1 {
        return Err(vm.value_error("must have exactly one of create/read/write/append mode"));
    }
    let binary = mode.contains('b');
    let given = a[3].clone().filter(|e| !vm.is_none(e));
    if binary && given.is_some() {
        return Err(vm.value_error("binary mode doesn't take an encoding argument"));
    }
    let encoding = match given {
        _ if binary => None,
        // The locale's encoding: UTF-8 here, named as CPython names it under a UTF-8 locale.
        None => Some(("UTF-8".to_string(), Codec::Utf8)),
        Some(e) => {
            let Some(name) = e.downcast_ref::<Str>().map(|s| s.s.to_string()) else {
                let tn = vm.type_name(&e);
                return Err(vm.type_error(format!("open() argument 'encoding' must be str or None, not {tn}")));
            };
            match Codec::lookup(&name) {
                Some(c) => Some((name, c)),
                None => return Err(vm.new_exception("LookupError", format!("unknown encoding: {name}"))),
            }
        }
    };
    let plus = mode.contains('+');
    let mut opts = std::fs::OpenOptions::new();
    let (readable, writable, append) = match mode.chars().find(|c| "rwax".contains(*c)) {
        Some('r') => {
            opts.read(true).write(plus);
            (true, plus, false)
        }
        Some('w') => {
            opts.write(true).create(true).truncate(true).read(plus);
            (plus, true, false)
        }
        Some('a') => {
            opts.append(true).create(true).read(plus);
            (plus, true, true)
        }
        _ => {
            opts.write(true).create_new(true).read(plus);
            (plus, true, false)
        }
    };
    let mut file = match opts.open(&path) {
        Ok(f) => f,
        Err(e) => return Err(vm.os_error(&e, &path)),
    };
    if append {
        // As CPython: an appending file starts at its end (tell() shows the size).
        let _ = file.seek(SeekFrom::End(0));
    }
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        let e = std::io::Error::from_raw_os_error(21);
        return Err(vm.os_error(&e, &path));
    }
    let st = FileState {
        file: Some(file),
        name: path,
        mode,
        binary,
        encoding,
        readable,
        writable,
        append,
        wbuf: Vec::new(),
        rbuf: Vec::new(),
        rpos: 0,
    };
    Ok(Value::new(FileObj { state: std::cell::RefCell::new(st) }))
}

/// Text read from a file in `codec`, with `\r\n` and `\r` read as `\n` (universal
/// newlines).
fn decode(vm: &mut Vm, bytes: Vec<u8>, codec: Codec) -> PyResult<String> {
    let text = match codec {
        Codec::Utf8 => bytes,
        Codec::Latin1 => return Ok(newlines(bytes.iter().map(|&b| b as char).collect())),
        Codec::Ascii => {
            if let Some(pos) = bytes.iter().position(|b| *b > 127) {
                let b = bytes[pos];
                return Err(vm.new_exception(
                    "UnicodeDecodeError",
                    format!("'ascii' codec can't decode byte 0x{b:02x} in position {pos}: ordinal not in range(128)"),
                ));
            }
            bytes
        }
    };
    match String::from_utf8(text) {
        Ok(s) => Ok(newlines(s)),
        Err(e) => {
            let pos = e.utf8_error().valid_up_to();
            let b = e.as_bytes()[pos];
            Err(vm.new_exception(
                "UnicodeDecodeError",
                format!("'utf-8' codec can't decode byte 0x{b:02x} in position {pos}: invalid start byte"),
            ))
        }
    }
}

fn newlines(s: String) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s
    }
}

/// Text to write in `codec` (UnicodeEncodeError as CPython words it).
fn encode(vm: &mut Vm, s: &str, codec: Codec) -> PyResult<Vec<u8>> {
    let limit = match codec {
        Codec::Utf8 => return Ok(s.as_bytes().to_vec()),
        Codec::Latin1 => 256u32,
        Codec::Ascii => 128u32,
    };
    let mut out = Vec::with_capacity(s.len());
    for (pos, c) in s.chars().enumerate() {
        if (c as u32) >= limit {
            let esc = if (c as u32) <= 0xff { format!("\\x{:02x}", c as u32) } else if (c as u32) <= 0xffff { format!("\\u{:04x}", c as u32) } else { format!("\\U{:08x}", c as u32) };
            return Err(vm.new_exception(
                "UnicodeEncodeError",
                format!("'{}' codec can't encode character '{esc}' in position {pos}: ordinal not in range({limit})", codec.name()),
            ));
        }
        out.push(c as u8);
    }
    Ok(out)
}

fn result_value(vm: &mut Vm, codec: Option<Codec>, bytes: Vec<u8>) -> PyResult<Value> {
    match codec {
        None => Ok(vm.new_bytes(bytes)),
        Some(c) => {
            let s = decode(vm, bytes, c)?;
            Ok(vm.new_str(s))
        }
    }
}

fn read(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    if args[0].is::<StdinObj>() {
        vm.flush_stdout();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|e| vm.os_error(&e, "<stdin>"))?;
        return Ok(vm.new_str(s));
    }
    let fo = state(vm, &args[0])?;
    let n = match args.get(1) {
        Some(v) if !vm.is_none(v) => vm.as_i64(v).filter(|n| *n >= 0).map(|n| n as usize),
        _ => None,
    };
    let mut st = fo.state.borrow_mut();
    check_open(vm, &st)?;
    if !st.readable {
        return Err(vm.new_exception("UnsupportedOperation", "not readable"));
    }
    let codec = st.encoding.as_ref().map(|e| e.1);
    // In UTF-8 text mode n counts characters: read byte by byte until there are n.
    let bytes = if codec != Some(Codec::Utf8) || n.is_none() {
        st.read_bytes(n).map_err(|e| io_err(vm, e, &st))?
    } else {
        let want = n.unwrap_or(0);
        let mut out = Vec::new();
        while String::from_utf8_lossy(&out).chars().count() < want {
            let more = st.read_bytes(Some(1)).map_err(|e| io_err(vm, e, &st))?;
            if more.is_empty() {
                break;
            }
            out.extend(more);
        }
        out
    };
    drop(st);
    result_value(vm, codec, bytes)
}

fn readline(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    if args[0].is::<StdinObj>() {
        vm.flush_stdout();
        let line = crate::objects::file::stdin_line().map_err(|e| vm.os_error(&e, "<stdin>"))?;
        return Ok(vm.new_str(line));
    }
    let limit = match args.get(1) {
        Some(v) if !vm.is_none(v) => match vm.as_i64(v) {
            Some(n) if n >= 0 => Some(n as usize),
            Some(_) => None,
            None => {
                let tn = vm.type_name(v);
                return Err(vm.type_error(format!("argument should be integer or None, not '{tn}'")));
            }
        },
        _ => None,
    };
    let fo = state(vm, &args[0])?;
    let mut st = fo.state.borrow_mut();
    check_open(vm, &st)?;
    let codec = st.encoding.as_ref().map(|e| e.1);
    let line = match limit {
        None => st.read_line_bytes().map_err(|e| io_err(vm, e, &st))?,
        // readline(size): at most `size` characters (bytes in binary mode).
        Some(n) => {
            let mut out = Vec::new();
            let mut chars = 0;
            while chars < n {
                let b = st.read_bytes(Some(1)).map_err(|e| io_err(vm, e, &st))?;
                let Some(&byte) = b.first() else { break };
                out.push(byte);
                // A UTF-8 continuation byte does not start a new character.
                if codec != Some(Codec::Utf8) || byte & 0xC0 != 0x80 {
                    chars += 1;
                }
                if byte == b'\n' {
                    break;
                }
            }
            // Finish a character whose first byte was the last one taken.
            if codec == Some(Codec::Utf8) {
                while st.peek_byte().is_some_and(|b| b & 0xC0 == 0x80) {
                    out.extend(st.read_bytes(Some(1)).map_err(|e| io_err(vm, e, &st))?);
                }
            }
            out
        }
    };
    drop(st);
    result_value(vm, codec, line)
}

/// `readlines(hint=-1)`: stop once the lines read hold `hint` characters or more.
fn readlines(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let hint = args.get(1).filter(|v| !vm.is_none(v)).and_then(|v| vm.as_i64(v)).filter(|n| *n > 0);
    let mut lines = Vec::new();
    let mut total = 0i64;
    loop {
        let l = readline(vm, &args[..1], &[])?;
        let n = vm.len(&l)? as i64;
        if n == 0 {
            break;
        }
        lines.push(l);
        total += n;
        if hint.is_some_and(|h| total >= h) {
            break;
        }
    }
    Ok(vm.new_list(lines))
}

fn next(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let l = readline(vm, &args[..1], &[])?;
    if vm.len(&l)? == 0 {
        return Err(vm.new_exception("StopIteration", ""));
    }
    Ok(l)
}

/// `write(s)` on a file (sys.stdout/stderr keep their own `write`).
pub fn write(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("write", &args[1..], 1, 1)?;
    let fo = state(vm, &args[0])?;
    let mut st = fo.state.borrow_mut();
    check_open(vm, &st)?;
    if !st.writable {
        return Err(vm.new_exception("UnsupportedOperation", "not writable"));
    }
    let (bytes, n) = if st.binary {
        match crate::methods::bytes_of(&args[1]) {
            Some(b) => {
                let n = b.len();
                (b, n)
            }
            None => {
                let tn = vm.type_name(&args[1]);
                return Err(vm.type_error(format!("a bytes-like object is required, not '{tn}'")));
            }
        }
    } else {
        match args[1].downcast_ref::<Str>() {
            Some(s) => {
                let codec = st.encoding.as_ref().map_or(Codec::Utf8, |e| e.1);
                (encode(vm, &s.s, codec)?, s.nchars)
            }
            None => {
                let tn = vm.type_name(&args[1]);
                return Err(vm.type_error(format!("write() argument must be str, not {tn}")));
            }
        }
    };
    st.write_bytes(&bytes).map_err(|e| io_err(vm, e, &st))?;
    drop(st);
    Ok(vm.new_int(n as i64))
}

fn writelines(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("writelines", &args[1..], 1, 1)?;
    for line in vm.to_vec(&args[1])? {
        write(vm, &[args[0].clone(), line], &[])?;
    }
    Ok(vm.none.clone())
}

/// `flush()` on a file (sys.stdout/stderr keep their own).
pub fn flush(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let fo = state(vm, &args[0])?;
    let mut st = fo.state.borrow_mut();
    check_open(vm, &st)?;
    st.flush().map_err(|e| io_err(vm, e, &st))?;
    Ok(vm.none.clone())
}

fn seek(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("seek", &args[1..], 1, 2)?;
    let fo = state(vm, &args[0])?;
    let off = vm.as_i64(&args[1]).unwrap_or(0);
    let whence = args.get(2).and_then(|w| vm.as_i64(w)).unwrap_or(0);
    let mut st = fo.state.borrow_mut();
    check_open(vm, &st)?;
    let pos = match whence {
        0 if off >= 0 => SeekFrom::Start(off as u64),
        0 => return Err(vm.value_error(format!("negative seek position {off}"))),
        1 => SeekFrom::Current(off),
        2 => SeekFrom::End(off),
        _ => return Err(vm.value_error(format!("invalid whence ({whence}, should be 0, 1 or 2)"))),
    };
    let p = st.seek(pos).map_err(|e| io_err(vm, e, &st))?;
    drop(st);
    Ok(vm.new_int(p as i64))
}

fn tell(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let fo = state(vm, &args[0])?;
    let mut st = fo.state.borrow_mut();
    check_open(vm, &st)?;
    let p = st.tell().map_err(|e| io_err(vm, e, &st))?;
    drop(st);
    Ok(vm.new_int(p as i64))
}

fn close(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    if let Some(fo) = args[0].downcast_ref::<FileObj>() {
        let mut st = fo.state.borrow_mut();
        st.close().map_err(|e| io_err(vm, e, &st))?;
    }
    Ok(vm.none.clone())
}

fn readable(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let fo = state(vm, &args[0])?;
    let st = fo.state.borrow();
    check_open_raw(vm, &st)?;
    Ok(vm.new_bool(st.readable))
}

fn writable(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let fo = state(vm, &args[0])?;
    let st = fo.state.borrow();
    check_open_raw(vm, &st)?;
    Ok(vm.new_bool(st.writable))
}

/// Regular files are seekable; pipes and terminals are not.
fn seekable(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let fo = state(vm, &args[0])?;
    let mut st = fo.state.borrow_mut();
    check_open_raw(vm, &st)?;
    let ok = st.file.as_mut().is_some_and(|f| f.stream_position().is_ok());
    Ok(vm.new_bool(ok))
}

fn isatty(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    use std::io::IsTerminal;
    let fo = state(vm, &args[0])?;
    let st = fo.state.borrow();
    check_open_raw(vm, &st)?;
    let tty = st.file.as_ref().is_some_and(|f| f.is_terminal());
    Ok(vm.new_bool(tty))
}

fn fileno(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    use std::os::unix::io::AsRawFd;
    let fo = state(vm, &args[0])?;
    let st = fo.state.borrow();
    check_open_raw(vm, &st)?;
    let fd = st.file.as_ref().map_or(-1, |f| f.as_raw_fd());
    Ok(vm.new_int(fd as i64))
}

/// `truncate(size=None)`: to `size` bytes, or to the current position.
fn truncate(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("truncate", &args[1..], 0, 1)?;
    let size = match args.get(1) {
        Some(v) if !vm.is_none(v) => match vm.as_i64(v) {
            Some(n) if n >= 0 => Some(n as u64),
            Some(n) => return Err(vm.value_error(format!("negative size value {n}"))),
            None => {
                let tn = vm.type_name(v);
                return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
            }
        },
        _ => None,
    };
    let fo = state(vm, &args[0])?;
    let mut st = fo.state.borrow_mut();
    check_open(vm, &st)?;
    if !st.writable {
        return Err(vm.new_exception("UnsupportedOperation", "File not open for writing"));
    }
    let n = st.truncate(size).map_err(|e| io_err(vm, e, &st))?;
    drop(st);
    Ok(vm.new_int(n as i64))
}

/// The `encoding` attribute: text files only (binary files have none).
fn encoding(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let enc = args[0].downcast_ref::<FileObj>().map(|f| f.state.borrow().encoding.as_ref().map(|e| e.0.clone()));
    match enc {
        Some(Some(e)) => Ok(vm.new_str(e)),
        Some(None) => Err(vm.attribute_error("'_io.BufferedReader' object has no attribute 'encoding'")),
        None => Ok(vm.new_str("utf-8")),
    }
}

fn enter(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    if let Some(fo) = args[0].downcast_ref::<FileObj>() {
        let st = fo.state.borrow();
        check_open(vm, &st)?;
    }
    Ok(args[0].clone())
}

fn exit(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    close(vm, &args[..1], &[])?;
    Ok(vm.none.clone())
}

/// `repr()` of a file or of sys.stdout/sys.stderr, as CPython's `_io` classes print.
pub fn repr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let Some(fo) = args[0].downcast_ref::<FileObj>() else {
        if args[0].is::<StdinObj>() {
            return Ok(vm.new_str("<_io.TextIOWrapper name='<stdin>' mode='r' encoding='utf-8'>"));
        }
        let err = args[0].downcast_ref::<Stream>().is_some_and(|s| s.is_err);
        let n = if err { "<stderr>" } else { "<stdout>" };
        return Ok(vm.new_str(format!("<_io.TextIOWrapper name='{n}' mode='w' encoding='utf-8'>")));
    };
    let st = fo.state.borrow();
    let name = st.name.replace('\\', "\\\\").replace('\'', "\\'");
    let s = if !st.binary {
        let enc = st.encoding.as_ref().map_or("UTF-8", |e| e.0.as_str());
        format!("<_io.TextIOWrapper name='{name}' mode='{}' encoding='{enc}'>", st.mode)
    } else if st.readable && !st.writable {
        format!("<_io.BufferedReader name='{name}'>")
    } else if st.writable && !st.readable {
        format!("<_io.BufferedWriter name='{name}'>")
    } else {
        format!("<_io.BufferedRandom name='{name}'>")
    };
    drop(st);
    Ok(vm.new_str(s))
}

fn closed(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let c = args[0].downcast_ref::<FileObj>().is_some_and(|f| f.state.borrow().is_closed());
    Ok(vm.new_bool(c))
}

fn name(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let n = args[0].downcast_ref::<FileObj>().map(|f| f.state.borrow().name.clone()).unwrap_or_else(|| "<stdout>".into());
    Ok(vm.new_str(n))
}

fn mode(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let m = args[0].downcast_ref::<FileObj>().map(|f| f.state.borrow().mode.clone()).unwrap_or_else(|| "w".into());
    Ok(vm.new_str(m))
}
