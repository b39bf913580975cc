//! `bytes` and `bytearray` methods. Most delegate to the `str` implementation through
//! a Latin-1 view (one char per byte), which preserves every byte; case changes and
//! predicates stay ASCII-only, as in CPython.

use crate::objects::*;
use crate::vm::{NativeFn, PyResult, Vm};
use pyvm_gc::Value;

pub fn install(vm: &mut Vm) {
    let b = vm.types.bytes.clone();
    let ba = vm.types.bytearray.clone();
    vm.add_static(&ba, "__new__", bytearray_new);
    let shared: &[(&'static str, NativeFn)] = &[
        ("split", b_split),
        ("rsplit", b_rsplit),
        ("replace", b_replace),
        ("find", b_find),
        ("rfind", b_rfind),
        ("index", b_index),
        ("rindex", b_rindex),
        ("count", b_count),
        ("startswith", b_startswith),
        ("endswith", b_endswith),
        ("strip", b_strip),
        ("lstrip", b_lstrip),
        ("rstrip", b_rstrip),
        ("partition", b_partition),
        ("rpartition", b_rpartition),
        ("center", b_center),
        ("ljust", b_ljust),
        ("rjust", b_rjust),
        ("zfill", b_zfill),
        ("expandtabs", b_expandtabs),
        ("removeprefix", b_removeprefix),
        ("removesuffix", b_removesuffix),
        ("splitlines", b_splitlines),
        ("upper", b_upper),
        ("lower", b_lower),
        ("swapcase", b_swapcase),
        ("capitalize", b_capitalize),
        ("title", b_title),
        ("isalnum", b_isalnum),
        ("isalpha", b_isalpha),
        ("isdigit", b_isdigit),
        ("isspace", b_isspace),
        ("islower", b_islower),
        ("isupper", b_isupper),
        ("istitle", b_istitle),
        ("isascii", b_isascii),
        ("translate", b_translate),
        ("join", b_join),
        ("hex", b_hex),
    ];
    for (n, f) in shared {
        vm.add_method(&b, n, *f);
        vm.add_method(&ba, n, *f);
    }
    vm.add_classmethod(&b, "fromhex", b_fromhex);
    vm.add_classmethod(&ba, "fromhex", b_fromhex);
    vm.add_static(&b, "maketrans", b_maketrans);
    vm.add_static(&ba, "maketrans", b_maketrans);
    vm.add_method(&ba, "decode", ba_decode);
    vm.add_method(&ba, "append", ba_append);
    vm.add_method(&ba, "extend", ba_extend);
    vm.add_method(&ba, "pop", ba_pop);
    vm.add_method(&ba, "insert", ba_insert);
    vm.add_method(&ba, "remove", ba_remove);
    vm.add_method(&ba, "reverse", ba_reverse);
    vm.add_method(&ba, "copy", ba_copy);
    vm.add_method(&ba, "clear", ba_clear);
}

/// The bytes of a bytes or bytearray value.
pub fn bytes_of(v: &Value) -> Option<Vec<u8>> {
    if let Some(b) = v.downcast_ref::<Bytes>() {
        return Some(b.0.to_vec());
    }
    v.downcast_ref::<ByteArray>().map(|b| b.0.borrow().clone())
}

fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}
fn unlatin1(s: &str) -> Vec<u8> {
    s.chars().map(|c| c as u32 as u8).collect()
}

/// Call the str method `name` on Latin-1 views of self and bytes arguments, mapping the
/// result back to bytes (bytearray when self is one). For the search methods an int
/// argument stands for one byte, as in CPython.
fn via_str(vm: &mut Vm, args: &[Value], kw: &[Value], name: &str) -> PyResult<Value> {
    let Some(me) = bytes_of(&args[0]) else { return Err(vm.type_error(format!("descriptor '{name}' requires a 'bytes' object"))) };
    let int_sub = matches!(name, "find" | "rfind" | "index" | "rindex" | "count");
    let mut conv = vec![vm.new_str(latin1(&me))];
    for (i, a) in args[1..].iter().enumerate() {
        if let Some(b) = bytes_of(a) {
            conv.push(vm.new_str(latin1(&b)));
        } else if let Some(t) = a.downcast_ref::<Tuple>() {
            let mut items = Vec::with_capacity(t.0.len());
            for x in t.0.iter() {
                match bytes_of(x) {
                    Some(b) => items.push(vm.new_str(latin1(&b))),
                    None => {
                        let tn = vm.type_name(x);
                        return Err(vm.type_error(format!("a bytes-like object is required, not '{tn}'")));
                    }
                }
            }
            conv.push(vm.new_tuple(items));
        } else if i == 0 && int_sub && vm.as_i64(a).is_some() {
            let byte = byte_arg(vm, a)?;
            conv.push(vm.new_str((byte as char).to_string()));
        } else if a.is::<Str>() && i == 0 && int_sub {
            return Err(vm.type_error("argument should be integer or bytes-like object, not 'str'"));
        } else if a.is::<Str>() && (i == 0 || matches!(name, "center" | "ljust" | "rjust" | "replace")) {
            let tn = vm.type_name(a);
            return Err(vm.type_error(format!("a bytes-like object is required, not '{tn}'")));
        } else {
            conv.push(a.clone());
        }
    }
    let m = vm.getattr_str(&conv[0], name)?;
    let r = match vm.call(&m, &conv[1..], kw) {
        Err(e) if matches!(name, "index" | "rindex") && vm.err_is(&e, "ValueError") => {
            return Err(vm.value_error("subsection not found"));
        }
        r => r?,
    };
    Ok(back(vm, r, args[0].is::<ByteArray>()))
}

fn new_like(vm: &mut Vm, data: Vec<u8>, bytearray: bool) -> Value {
    if bytearray {
        Value::new(ByteArray(std::cell::RefCell::new(data)))
    } else {
        vm.new_bytes(data)
    }
}

fn back(vm: &mut Vm, r: Value, bytearray: bool) -> Value {
    if let Some(s) = r.downcast_ref::<Str>() {
        let b = unlatin1(&s.s);
        return new_like(vm, b, bytearray);
    }
    if let Some(l) = r.downcast_ref::<List>() {
        let items: Vec<Value> = l.snapshot().into_iter().map(|x| back(vm, x, bytearray)).collect();
        return vm.new_list(items);
    }
    if let Some(t) = r.downcast_ref::<Tuple>() {
        let items: Vec<Value> = t.0.to_vec().into_iter().map(|x| back(vm, x, bytearray)).collect();
        return vm.new_tuple(items);
    }
    r
}

macro_rules! delegate {
    ($f:ident, $name:literal) => {
        fn $f(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
            via_str(vm, args, kw, $name)
        }
    };
}
delegate!(b_split, "split");
delegate!(b_rsplit, "rsplit");
delegate!(b_replace, "replace");
delegate!(b_find, "find");
delegate!(b_rfind, "rfind");
delegate!(b_index, "index");
delegate!(b_count, "count");
delegate!(b_startswith, "startswith");
delegate!(b_endswith, "endswith");
delegate!(b_strip, "strip");
delegate!(b_lstrip, "lstrip");
delegate!(b_rstrip, "rstrip");
delegate!(b_partition, "partition");
delegate!(b_rpartition, "rpartition");
delegate!(b_rindex, "rindex");
delegate!(b_center, "center");
delegate!(b_ljust, "ljust");
delegate!(b_rjust, "rjust");
delegate!(b_zfill, "zfill");
delegate!(b_expandtabs, "expandtabs");
delegate!(b_removeprefix, "removeprefix");
delegate!(b_removesuffix, "removesuffix");

fn map_bytes(vm: &mut Vm, args: &[Value], f: fn(u8) -> u8) -> PyResult<Value> {
    let me = bytes_of(&args[0]).unwrap_or_default();
    let out: Vec<u8> = me.into_iter().map(f).collect();
    if args[0].is::<ByteArray>() {
        return Ok(Value::new(ByteArray(std::cell::RefCell::new(out))));
    }
    Ok(vm.new_bytes(out))
}
fn b_upper(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    map_bytes(vm, args, |c| c.to_ascii_uppercase())
}
fn b_lower(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    map_bytes(vm, args, |c| c.to_ascii_lowercase())
}
fn pred(vm: &mut Vm, args: &[Value], f: fn(&u8) -> bool) -> PyResult<Value> {
    let me = bytes_of(&args[0]).unwrap_or_default();
    Ok(vm.new_bool(!me.is_empty() && me.iter().all(f)))
}
fn b_isalnum(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    pred(vm, args, u8::is_ascii_alphanumeric)
}
fn b_isalpha(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    pred(vm, args, u8::is_ascii_alphabetic)
}
fn b_isdigit(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    pred(vm, args, u8::is_ascii_digit)
}
fn b_isspace(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    pred(vm, args, u8::is_ascii_whitespace)
}
fn b_islower(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let me = bytes_of(&args[0]).unwrap_or_default();
    Ok(vm.new_bool(me.iter().any(u8::is_ascii_lowercase) && !me.iter().any(u8::is_ascii_uppercase)))
}
fn b_isupper(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let me = bytes_of(&args[0]).unwrap_or_default();
    Ok(vm.new_bool(me.iter().any(u8::is_ascii_uppercase) && !me.iter().any(u8::is_ascii_lowercase)))
}
fn b_isascii(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let me = bytes_of(&args[0]).unwrap_or_default();
    Ok(vm.new_bool(me.is_ascii()))
}
/// Title case: an uppercase letter may only follow an uncased byte, a lowercase one
/// only a cased byte; at least one cased byte.
fn b_istitle(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let me = bytes_of(&args[0]).unwrap_or_default();
    let (mut cased, mut prev_cased) = (false, false);
    for c in me {
        if c.is_ascii_uppercase() {
            if prev_cased {
                return Ok(vm.new_bool(false));
            }
            prev_cased = true;
            cased = true;
        } else if c.is_ascii_lowercase() {
            if !prev_cased {
                return Ok(vm.new_bool(false));
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    Ok(vm.new_bool(cased))
}
fn b_swapcase(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    map_bytes(vm, args, |c| if c.is_ascii_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
}
fn b_capitalize(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let me = bytes_of(&args[0]).unwrap_or_default();
    let out: Vec<u8> = me.iter().enumerate().map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }).collect();
    Ok(new_like(vm, out, args[0].is::<ByteArray>()))
}
fn b_title(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let me = bytes_of(&args[0]).unwrap_or_default();
    let mut prev_cased = false;
    let mut out = Vec::with_capacity(me.len());
    for c in me {
        let cased = c.is_ascii_alphabetic();
        out.push(if !cased { c } else if prev_cased { c.to_ascii_lowercase() } else { c.to_ascii_uppercase() });
        prev_cased = cased;
    }
    Ok(new_like(vm, out, args[0].is::<ByteArray>()))
}
/// bytes.splitlines breaks at \n, \r and \r\n only (unlike str's wider set).
fn b_splitlines(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let me = bytes_of(&args[0]).unwrap_or_default();
    let a = vm.bind_args("splitlines", &args[1..], kw, &["keepends"], 0)?;
    let keep = match &a[0] {
        Some(v) => vm.is_true(v)?,
        None => false,
    };
    let ba = args[0].is::<ByteArray>();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < me.len() {
        let c = me[i];
        if c == b'\n' || c == b'\r' {
            let mut end = i + 1;
            if c == b'\r' && me.get(i + 1) == Some(&b'\n') {
                end += 1;
            }
            let line = if keep { me[start..end].to_vec() } else { me[start..i].to_vec() };
            out.push(new_like(vm, line, ba));
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    if start < me.len() {
        out.push(new_like(vm, me[start..].to_vec(), ba));
    }
    Ok(vm.new_list(out))
}
fn bytes_like_arg(vm: &mut Vm, v: &Value) -> PyResult<Vec<u8>> {
    match bytes_of(v) {
        Some(b) => Ok(b),
        None => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("a bytes-like object is required, not '{tn}'")))
        }
    }
}
fn b_maketrans(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("maketrans", args, 2, 2)?;
    let (from, to) = (bytes_like_arg(vm, &args[0])?, bytes_like_arg(vm, &args[1])?);
    if from.len() != to.len() {
        return Err(vm.value_error("maketrans arguments must have same length"));
    }
    let mut table: Vec<u8> = (0..=255u8).collect();
    for (f, t) in from.iter().zip(&to) {
        table[*f as usize] = *t;
    }
    Ok(vm.new_bytes(table))
}
fn b_translate(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let me = bytes_of(&args[0]).unwrap_or_default();
    let a = vm.bind_args("translate", &args[1..], kw, &["", "delete"], 1)?;
    let table = match &a[0] {
        Some(t) if vm.is_none(t) => None,
        Some(t) => {
            let t = bytes_like_arg(vm, t)?;
            if t.len() != 256 {
                return Err(vm.value_error("translation table must be 256 characters long"));
            }
            Some(t)
        }
        None => None,
    };
    let delete = match &a[1] {
        Some(d) => bytes_like_arg(vm, d)?,
        None => Vec::new(),
    };
    let out: Vec<u8> = me.iter().filter(|c| !delete.contains(c)).map(|&c| table.as_ref().map_or(c, |t| t[c as usize])).collect();
    Ok(new_like(vm, out, args[0].is::<ByteArray>()))
}
fn b_join(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("join", &args[1..], 1, 1)?;
    let sep = bytes_of(&args[0]).unwrap_or_default();
    let items = vm.to_vec(&args[1])?;
    let mut out = Vec::new();
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(&sep);
        }
        match bytes_of(it) {
            Some(b) => out.extend_from_slice(&b),
            None => {
                let tn = vm.type_name(it);
                return Err(vm.type_error(format!("sequence item {i}: expected a bytes-like object, {tn} found")));
            }
        }
    }
    Ok(new_like(vm, out, args[0].is::<ByteArray>()))
}
/// hex([sep[, bytes_per_sep]]): a positive group size counts from the right, a
/// negative one from the left.
fn b_hex(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let me = bytes_of(&args[0]).unwrap_or_default();
    let a = vm.bind_args("hex", &args[1..], kw, &["sep", "bytes_per_sep"], 0)?;
    let sep = match &a[0] {
        None => None,
        Some(v) => {
            let s = if let Some(b) = bytes_of(v) {
                latin1(&b)
            } else if v.is::<Str>() {
                vm.str_val(v)
            } else {
                return Err(vm.type_error("sep must be str or bytes."));
            };
            if s.chars().count() != 1 {
                return Err(vm.value_error("sep must be length 1."));
            }
            if !s.is_ascii() {
                return Err(vm.value_error("sep must be ASCII."));
            }
            Some(s)
        }
    };
    let per = match &a[1] {
        Some(v) => vm.as_i64(v).unwrap_or(1),
        None => 1,
    };
    let digits: Vec<String> = me.iter().map(|x| format!("{x:02x}")).collect();
    let out = match sep {
        Some(sep) if per != 0 && !digits.is_empty() => {
            let n = per.unsigned_abs() as usize;
            let groups: Vec<String> = if per > 0 {
                let first = digits.len() % n;
                let mut g = Vec::new();
                if first > 0 {
                    g.push(digits[..first].concat());
                }
                g.extend(digits[first..].chunks(n).map(|c| c.concat()));
                g
            } else {
                digits.chunks(n).map(|c| c.concat()).collect()
            };
            groups.join(&sep)
        }
        _ => digits.concat(),
    };
    Ok(vm.new_str(out))
}
fn b_fromhex(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("fromhex", &args[1..], 1, 1)?;
    if !args[1].is::<Str>() {
        let tn = vm.type_name(&args[1]);
        return Err(vm.type_error(format!("fromhex() argument must be str, not {tn}")));
    }
    let s = vm.str_val(&args[1]);
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let hi = chars[i].to_digit(16);
        let lo = chars.get(i + 1).and_then(|c| c.to_digit(16));
        match (hi, lo) {
            (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
            _ => {
                let pos = if hi.is_some() { i + 1 } else { i };
                return Err(vm.value_error(format!("non-hexadecimal number found in fromhex() arg at position {pos}")));
            }
        }
        i += 2;
    }
    let is_ba = args[0].ptr_eq(&vm.types.bytearray);
    let v = new_like(vm, out, is_ba);
    if is_ba || args[0].ptr_eq(&vm.types.bytes) {
        return Ok(v);
    }
    let cls = args[0].clone();
    vm.call(&cls, &[v], &[])
}
fn bytearray_new(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let data = match args.get(1) {
        None => Vec::new(),
        Some(v) => {
            let bt = vm.types.bytes.clone();
            let b = vm.call(&bt, &args[1..], &[])?;
            let _ = v;
            bytes_of(&b).unwrap_or_default()
        }
    };
    Ok(Value::new(ByteArray(std::cell::RefCell::new(data))))
}
fn ba_decode(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let me = bytes_of(&args[0]).unwrap_or_default();
    super::str::decode_with(vm, &me, &args[1..], kw)
}
fn byte_arg(vm: &mut Vm, v: &Value) -> PyResult<u8> {
    match vm.as_i64(v) {
        Some(x) if (0..256).contains(&x) => Ok(x as u8),
        Some(_) => Err(vm.value_error("byte must be in range(0, 256)")),
        None => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
        }
    }
}
fn ba_append(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = byte_arg(vm, &args[1])?;
    if let Some(ba) = args[0].downcast_ref::<ByteArray>() {
        ba.0.borrow_mut().push(b);
    }
    Ok(vm.none.clone())
}
fn ba_extend(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let data = match bytes_of(&args[1]) {
        Some(d) => d,
        None => {
            let items = vm.to_vec(&args[1])?;
            let mut out = Vec::new();
            for it in items {
                out.push(byte_arg(vm, &it)?);
            }
            out
        }
    };
    if let Some(ba) = args[0].downcast_ref::<ByteArray>() {
        ba.0.borrow_mut().extend(data);
    }
    Ok(vm.none.clone())
}
fn ba_pop(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("pop", &args[1..], 0, 1)?;
    let Some(ba) = args[0].downcast_ref::<ByteArray>() else {
        return Err(vm.type_error("descriptor 'pop' requires a 'bytearray' object"));
    };
    let n = ba.0.borrow().len();
    if n == 0 {
        return Err(vm.index_error("pop from empty bytearray"));
    }
    let i = match args.get(1) {
        Some(k) => vm.seq_index(k, n, "pop")?,
        None => n - 1,
    };
    let b = ba.0.borrow_mut().remove(i);
    Ok(vm.new_int(b as i64))
}

fn this_ba<'a>(vm: &mut Vm, v: &'a Value, name: &str) -> PyResult<&'a ByteArray> {
    match v.downcast_ref::<ByteArray>() {
        Some(b) => Ok(b),
        None => Err(vm.type_error(format!("descriptor '{name}' requires a 'bytearray' object"))),
    }
}
fn ba_insert(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("insert", &args[1..], 2, 2)?;
    let ba = this_ba(vm, &args[0], "insert")?;
    let i = vm.as_i64(&args[1]).ok_or_else(|| vm.type_error("'{}' object cannot be interpreted as an integer"))?;
    let b = byte_arg(vm, &args[2])?;
    let n = ba.0.borrow().len() as i64;
    let at = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
    ba.0.borrow_mut().insert(at, b);
    Ok(vm.none.clone())
}
fn ba_remove(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("remove", &args[1..], 1, 1)?;
    let ba = this_ba(vm, &args[0], "remove")?;
    let b = byte_arg(vm, &args[1])?;
    let pos = ba.0.borrow().iter().position(|&x| x == b);
    match pos {
        Some(p) => {
            ba.0.borrow_mut().remove(p);
            Ok(vm.none.clone())
        }
        None => Err(vm.value_error("value not found in bytearray")),
    }
}
fn ba_reverse(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("reverse", &args[1..], 0, 0)?;
    this_ba(vm, &args[0], "reverse")?.0.borrow_mut().reverse();
    Ok(vm.none.clone())
}
fn ba_clear(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("clear", &args[1..], 0, 0)?;
    this_ba(vm, &args[0], "clear")?.0.borrow_mut().clear();
    Ok(vm.none.clone())
}
fn ba_copy(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("copy", &args[1..], 0, 0)?;
    let d = this_ba(vm, &args[0], "copy")?.0.borrow().clone();
    Ok(new_like(vm, d, true))
}
