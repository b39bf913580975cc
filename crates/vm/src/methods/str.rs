//! `str` and `bytes` constructors and methods, including `str.format`.

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

pub fn install(vm: &mut Vm) {
    let s = vm.types.str_.clone();
    vm.add_static(&s, "__new__", str_new);
    let methods: &[(&'static str, crate::vm::NativeFn)] = &[
        ("split", str_split),
        ("rsplit", str_rsplit),
        ("join", str_join),
        ("strip", str_strip),
        ("lstrip", str_lstrip),
        ("rstrip", str_rstrip),
        ("replace", str_replace),
        ("find", str_find),
        ("rfind", str_rfind),
        ("index", str_index),
        ("rindex", str_rindex),
        ("count", str_count),
        ("startswith", str_startswith),
        ("endswith", str_endswith),
        ("upper", str_upper),
        ("lower", str_lower),
        ("casefold", str_casefold),
        ("title", str_title),
        ("capitalize", str_capitalize),
        ("swapcase", str_swapcase),
        ("center", str_center),
        ("ljust", str_ljust),
        ("rjust", str_rjust),
        ("zfill", str_zfill),
        ("isdigit", str_isdigit),
        ("isdecimal", str_isdecimal),
        ("isnumeric", str_isnumeric),
        ("isalpha", str_isalpha),
        ("isalnum", str_isalnum),
        ("isspace", str_isspace),
        ("isupper", str_isupper),
        ("islower", str_islower),
        ("istitle", str_istitle),
        ("isidentifier", str_isidentifier),
        ("isascii", str_isascii),
        ("isprintable", str_isprintable),
        ("partition", str_partition),
        ("rpartition", str_rpartition),
        ("splitlines", str_splitlines),
        ("format", str_format),
        ("format_map", str_format_map),
        ("encode", str_encode),
        ("expandtabs", str_expandtabs),
        ("removeprefix", str_removeprefix),
        ("removesuffix", str_removesuffix),
        ("__format__", str_dunder_format),
        ("__len__", str_len),
        ("__contains__", str_contains),
        ("__getitem__", str_getitem),
        ("__add__", str_add),
        ("__mul__", str_mul),
        ("__mod__", str_mod),
        ("__str__", str_str),
        ("__repr__", str_repr_m),
        ("__hash__", str_hash),
        ("__eq__", str_eq),
        ("__lt__", str_lt),
        ("__iter__", str_iter),
    ];
    for (n, f) in methods {
        vm.add_method(&s, n, *f);
    }
    vm.add_static(&s, "maketrans", str_maketrans);
    vm.add_method(&s, "translate", str_translate);
    let b = vm.types.bytes.clone();
    vm.add_static(&b, "__new__", bytes_new);
    vm.add_method(&b, "decode", bytes_decode);
}

/// The str payload of `self` (also for str subclasses).
/// A str argument borrowed from its object (no copy of the text).
struct StrRef(Value);

impl std::ops::Deref for StrRef {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0.downcast_ref::<Str>().expect("checked str").s
    }
}

impl StrRef {
    fn obj(&self) -> &Str {
        self.0.downcast_ref::<Str>().expect("checked str")
    }
}

impl std::fmt::Display for StrRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

fn this(vm: &mut Vm, v: &Value) -> PyResult<StrRef> {
    let b = vm.unwrap_base(v);
    match b.downcast_ref::<Str>() {
        Some(_) => Ok(StrRef(b)),
        None => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("descriptor requires a 'str' object but received a '{tn}'")))
        }
    }
}

fn arg_str(vm: &mut Vm, v: &Value, what: &str) -> PyResult<String> {
    match vm.unwrap_base(v).downcast_ref::<Str>() {
        Some(s) => Ok(s.s.to_string()),
        None => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("{what} must be str, not {tn}")))
        }
    }
}

fn arg_str_or_none(vm: &mut Vm, v: &Value) -> PyResult<String> {
    match vm.unwrap_base(v).downcast_ref::<Str>() {
        Some(s) => Ok(s.s.to_string()),
        None => {
            let tn = vm.type_name(v);
            Err(vm.type_error(format!("must be str or None, not {tn}")))
        }
    }
}

fn str_new(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("str", &args[1..], kw, &["object", "encoding", "errors"], 0)?;
    let r = match (&a[0], &a[1]) {
        (None, _) => vm.new_str(""),
        (Some(o), Some(enc)) => {
            let data = match (o.downcast_ref::<Bytes>(), o.downcast_ref::<ByteArray>()) {
                (Some(b), _) => b.0.to_vec(),
                (_, Some(b)) => b.0.borrow().clone(),
                _ if o.is::<Str>() => return Err(vm.type_error("decoding str is not supported")),
                _ => {
                    let tn = vm.type_name(o);
                    return Err(vm.type_error(format!("decoding to str: need a bytes-like object, {tn} found")));
                }
            };
            let mut rest = vec![enc.clone()];
            if let Some(e) = &a[2] {
                rest.push(e.clone());
            }
            decode_with(vm, &data, &rest, &[])?
        }
        (Some(o), None) => {
            if o.is::<Str>() {
                o.clone()
            } else {
                let s = vm.to_str(o)?;
                vm.new_str(s)
            }
        }
    };
    if !args[0].ptr_eq(&vm.types.str_) {
        return super::num::subclass_instance(vm, &args[0].clone(), r);
    }
    Ok(r)
}

fn opt_chars(vm: &mut Vm, args: &[Value], i: usize) -> PyResult<Option<String>> {
    match args.get(i) {
        Some(v) if !vm.is_none(v) => Ok(Some(arg_str(vm, v, "strip arg")?)),
        _ => Ok(None),
    }
}

fn str_strip(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let r = match opt_chars(vm, args, 1)? {
        Some(c) => s.trim_matches(|x| c.contains(x)).to_string(),
        None => s.trim().to_string(),
    };
    Ok(vm.new_str(r))
}
fn str_lstrip(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let r = match opt_chars(vm, args, 1)? {
        Some(c) => s.trim_start_matches(|x| c.contains(x)).to_string(),
        None => s.trim_start().to_string(),
    };
    Ok(vm.new_str(r))
}
fn str_rstrip(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let r = match opt_chars(vm, args, 1)? {
        Some(c) => s.trim_end_matches(|x| c.contains(x)).to_string(),
        None => s.trim_end().to_string(),
    };
    Ok(vm.new_str(r))
}

fn split_impl(vm: &mut Vm, args: &[Value], kw: &[Value], right: bool) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let a = vm.bind_args(if right { "rsplit" } else { "split" }, &args[1..], kw, &["sep", "maxsplit"], 0)?;
    let maxsplit = match &a[1] {
        Some(v) => vm.as_i64(v).unwrap_or(-1),
        None => -1,
    };
    let sep = match &a[0] {
        Some(v) if !vm.is_none(v) => Some(arg_str_or_none(vm, v)?),
        _ => None,
    };
    let parts: Vec<String> = match sep {
        Some(sep) => {
            if sep.is_empty() {
                return Err(vm.value_error("empty separator"));
            }
            if maxsplit < 0 {
                // The common `s.split(",")`: each piece becomes a str directly; a
                // one-byte (ASCII) separator is searched for as a char (memchr).
                let mut out = Vec::new();
                if let [b] = sep.as_bytes() {
                    // Sized once: one piece more than there are separators.
                    out.reserve(s.bytes().filter(|c| c == b).count() + 1);
                    for p in s.split(*b as char) {
                        out.push(vm.new_str(p));
                    }
                } else {
                    for p in s.split(sep.as_str()) {
                        out.push(vm.new_str(p));
                    }
                }
                return Ok(vm.new_list(out));
            }
            if right {
                let mut v: Vec<String> = s.rsplitn(maxsplit as usize + 1, sep.as_str()).map(String::from).collect();
                v.reverse();
                v
            } else {
                s.splitn(maxsplit as usize + 1, sep.as_str()).map(String::from).collect()
            }
        }
        None => {
            let mut out = Vec::new();
            if right {
                let mut rest = s.trim_end();
                let mut n = 0;
                while !rest.is_empty() {
                    if maxsplit >= 0 && n >= maxsplit {
                        out.push(rest.trim_end().to_string());
                        break;
                    }
                    match rest.rfind(char::is_whitespace) {
                        Some(i) => {
                            let w = &rest[i..];
                            let ch = w.chars().next().unwrap();
                            out.push(rest[i + ch.len_utf8()..].to_string());
                            rest = rest[..i].trim_end();
                        }
                        None => {
                            out.push(rest.to_string());
                            rest = "";
                        }
                    }
                    n += 1;
                }
                out.reverse();
            } else {
                let mut rest = s.trim_start();
                let mut n = 0;
                while !rest.is_empty() {
                    if maxsplit >= 0 && n >= maxsplit {
                        out.push(rest.to_string());
                        break;
                    }
                    match rest.find(char::is_whitespace) {
                        Some(i) => {
                            out.push(rest[..i].to_string());
                            rest = rest[i..].trim_start();
                        }
                        None => {
                            out.push(rest.to_string());
                            rest = "";
                        }
                    }
                    n += 1;
                }
            }
            out
        }
    };
    let v = parts.into_iter().map(|p| vm.new_str(p)).collect();
    Ok(vm.new_list(v))
}
fn str_split(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    split_impl(vm, args, kw, false)
}
fn str_rsplit(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    split_impl(vm, args, kw, true)
}
fn str_join(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let sep = this(vm, &args[0])?;
    vm.check_nargs("join", &args[1..], 1, 1)?;
    let items = match vm.to_vec(&args[1]) {
        Ok(v) => v,
        Err(e) if vm.err_is(&e, "TypeError") => return Err(vm.type_error("can only join an iterable")),
        Err(e) => return Err(e),
    };
    let mut out = String::new();
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        match vm.unwrap_base(it).downcast_ref::<Str>() {
            Some(s) => out.push_str(&s.s),
            None => {
                let tn = vm.type_name(it);
                return Err(vm.type_error(format!("sequence item {i}: expected str instance, {tn} found")));
            }
        }
    }
    Ok(vm.new_str(out))
}
fn str_replace(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    vm.check_nargs("replace", &args[1..], 2, 3)?;
    let old = arg_str(vm, &args[1], "replace() argument 1")?;
    let new = arg_str(vm, &args[2], "replace() argument 2")?;
    let count = args.get(3).and_then(|v| vm.as_i64(v)).unwrap_or(-1);
    let r = if count < 0 { s.replace(&old, &new) } else { s.replacen(&old, &new, count as usize) };
    Ok(vm.new_str(r))
}

/// Character-index window [start, end) from optional slice-like arguments.
fn window(vm: &mut Vm, s: &StrRef, args: &[Value], from: usize) -> PyResult<(usize, usize)> {
    let n = s.obj().nchars as i64;
    let norm = |i: i64| -> i64 {
        if i < 0 {
            (i + n).max(0)
        } else {
            i.min(n)
        }
    };
    let start = match args.get(from) {
        Some(v) if !vm.is_none(v) => norm(vm.as_i64(v).unwrap_or(0)),
        _ => 0,
    };
    let end = match args.get(from + 1) {
        Some(v) if !vm.is_none(v) => norm(vm.as_i64(v).unwrap_or(n)),
        _ => n,
    };
    Ok((start as usize, end as usize))
}

fn char_to_byte(s: &StrRef, c: usize) -> usize {
    s.obj().byte_offset(c)
}
fn byte_to_char(s: &str, b: usize) -> usize {
    s[..b].chars().count()
}

fn find_impl(vm: &mut Vm, args: &[Value], right: bool) -> PyResult<i64> {
    let s = this(vm, &args[0])?;
    let sub = arg_str(vm, &args[1], "must be str")?;
    let (start, end) = window(vm, &s, args, 2)?;
    if start > end {
        return Ok(-1);
    }
    let (bs, be) = (char_to_byte(&s, start), char_to_byte(&s, end));
    let hay = &s[bs..be];
    let r = match (sub.as_bytes(), right) {
        ([b], false) => hay.find(*b as char),
        ([b], true) => hay.rfind(*b as char),
        (_, false) => hay.find(&sub),
        (_, true) => hay.rfind(&sub),
    };
    Ok(match r {
        Some(b) if s.obj().is_ascii() => (start + b) as i64,
        Some(b) => (start + byte_to_char(hay, b)) as i64,
        None => -1,
    })
}
fn str_find(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let r = find_impl(vm, args, false)?;
    Ok(vm.new_int(r))
}
fn str_rfind(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let r = find_impl(vm, args, true)?;
    Ok(vm.new_int(r))
}
fn str_index(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let r = find_impl(vm, args, false)?;
    if r < 0 {
        return Err(vm.value_error("substring not found"));
    }
    Ok(vm.new_int(r))
}
fn str_rindex(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let r = find_impl(vm, args, true)?;
    if r < 0 {
        return Err(vm.value_error("substring not found"));
    }
    Ok(vm.new_int(r))
}
fn str_count(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let sub = arg_str(vm, &args[1], "must be str")?;
    let (start, end) = window(vm, &s, args, 2)?;
    if start > end {
        return Ok(vm.new_int(0));
    }
    let hay = &s[char_to_byte(&s, start)..char_to_byte(&s, end)];
    let n = match sub.as_bytes() {
        [] => hay.chars().count() + 1,
        [b] => hay.bytes().filter(|c| c == b).count(),
        _ => hay.matches(&sub).count(),
    };
    Ok(vm.new_int(n as i64))
}
fn affix(vm: &mut Vm, args: &[Value], ends: bool) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let (start, end) = window(vm, &s, args, 2)?;
    let hay: &str = if start <= end { &s[char_to_byte(&s, start)..char_to_byte(&s, end)] } else { "" };
    let cands: Vec<Value> = match args[1].downcast_ref::<Tuple>() {
        Some(t) => t.0.to_vec(),
        None => vec![args[1].clone()],
    };
    for c in cands {
        let Some(p) = c.downcast_ref::<Str>() else {
            let tn = vm.type_name(&c);
            let which = if ends { "endswith" } else { "startswith" };
            return Err(vm.type_error(format!("{which} first arg must be str or a tuple of str, not {tn}")));
        };
        if start > end {
            continue;
        }
        if (ends && hay.ends_with(&*p.s)) || (!ends && hay.starts_with(&*p.s)) {
            return Ok(vm.true_.clone());
        }
    }
    Ok(vm.false_.clone())
}
fn str_startswith(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    affix(vm, args, false)
}
fn str_endswith(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    affix(vm, args, true)
}
macro_rules! str_map {
    ($name:ident, $f:expr) => {
        fn $name(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
            let s = this(vm, &args[0])?;
            let f: fn(&str) -> String = $f;
            Ok(vm.new_str(f(&s)))
        }
    };
}
str_map!(str_upper, |s| s.to_uppercase());
str_map!(str_lower, |s| s.to_lowercase());
str_map!(str_swapcase, |s| s
    .chars()
    .flat_map(|c| if c.is_uppercase() { c.to_lowercase().collect::<Vec<_>>() } else { c.to_uppercase().collect::<Vec<_>>() })
    .collect());
str_map!(str_title, |s| {
    let mut out = String::new();
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        prev_cased = c.is_alphabetic();
    }
    out
});
str_map!(str_capitalize, |s| {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
        None => String::new(),
    }
});
fn justify(vm: &mut Vm, args: &[Value], how: char) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    vm.check_nargs("justify", &args[1..], 1, 2)?;
    let width = vm.as_i64(&args[1]).unwrap_or(0).max(0) as usize;
    let fill = match args.get(2) {
        Some(f) => {
            let fs = arg_str(vm, f, "fill character")?;
            if fs.chars().count() != 1 {
                return Err(vm.type_error("The fill character must be exactly one character long"));
            }
            fs.chars().next().unwrap()
        }
        None => ' ',
    };
    let n = s.chars().count();
    if n >= width {
        // Unchanged: an exact str is returned itself, as CPython does.
        return Ok(if args[0].is::<Str>() { args[0].clone() } else { vm.new_str(s.to_string()) });
    }
    vm.check_room(width.saturating_mul(fill.len_utf8()))?;
    let pad = width - n;
    let f = |k: usize| std::iter::repeat(fill).take(k).collect::<String>();
    let r = match how {
        '<' => format!("{s}{}", f(pad)),
        '>' => format!("{}{s}", f(pad)),
        _ => {
            // CPython's centering puts the extra character on the left when the
            // string length is odd... specifically: left = pad/2 + (pad & width & 1).
            let left = pad / 2 + (pad & width & 1);
            format!("{}{s}{}", f(left), f(pad - left))
        }
    };
    Ok(vm.new_str(r))
}
fn str_center(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    justify(vm, args, '^')
}
fn str_ljust(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    justify(vm, args, '<')
}
fn str_rjust(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    justify(vm, args, '>')
}
fn str_zfill(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let width = vm.as_i64(&args[1]).unwrap_or(0).max(0) as usize;
    let n = s.chars().count();
    if n >= width {
        // Unchanged: an exact str is returned itself, as CPython does.
        return Ok(if args[0].is::<Str>() { args[0].clone() } else { vm.new_str(s.to_string()) });
    }
    vm.check_room(width)?;
    let zeros = "0".repeat(width - n);
    let r = if s.starts_with('-') || s.starts_with('+') { format!("{}{}{}", &s[..1], zeros, &s[1..]) } else { format!("{zeros}{s}") };
    Ok(vm.new_str(r))
}
macro_rules! str_pred {
    ($name:ident, $f:expr) => {
        fn $name(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
            let s = this(vm, &args[0])?;
            let f: fn(&str) -> bool = $f;
            Ok(vm.new_bool(f(&s)))
        }
    };
}
str_pred!(str_isdecimal, |s| !s.is_empty() && super::num::to_ascii_digits(s).chars().all(|c| c.is_ascii_digit()));
// Digits also count superscripts, subscripts and the circled/parenthesized digits
// (Numeric_Type=Digit).
str_pred!(str_isdigit, |s| !s.is_empty()
    && super::num::to_ascii_digits(s).chars().all(|c| c.is_ascii_digit()
        || matches!(c, '²' | '³' | '¹' | '⁰' | '⁴'..='⁹' | '₀'..='₉' | '①'..='⑨' | '⑴'..='⑼' | '⒈'..='⒐' | '⓵'..='⓽' | '❶'..='❾' | '➀'..='➈' | '➊'..='➒' | '⓪')));
str_pred!(str_isnumeric, |s| !s.is_empty() && s.chars().all(|c| c.is_numeric()));
str_pred!(str_isalpha, |s| !s.is_empty() && s.chars().all(|c| c.is_alphabetic()));
str_pred!(str_isalnum, |s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric()));
// Python's whitespace adds the information separators \x1c-\x1f to Unicode's.
str_pred!(str_isspace, |s| !s.is_empty() && s.chars().all(|c| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)));
str_pred!(str_isupper, |s| s.chars().any(|c| c.is_uppercase()) && !s.chars().any(|c| c.is_lowercase()));
str_pred!(str_islower, |s| s.chars().any(|c| c.is_lowercase()) && !s.chars().any(|c| c.is_uppercase()));
str_pred!(str_isascii, |s| s.is_ascii());
str_pred!(str_isprintable, |s| s.chars().all(pyvm_compiler::repr::is_printable));
str_pred!(str_isidentifier, |s| {
    let mut c = s.chars();
    match c.next() {
        Some(f) if f == '_' || f.is_alphabetic() => c.all(|x| x == '_' || x.is_alphanumeric()),
        _ => false,
    }
});
str_pred!(str_istitle, |s| {
    let mut prev_cased = false;
    let mut any = false;
    for c in s.chars() {
        if c.is_uppercase() {
            if prev_cased {
                return false;
            }
            prev_cased = true;
            any = true;
        } else if c.is_lowercase() {
            if !prev_cased {
                return false;
            }
            prev_cased = true;
            any = true;
        } else {
            prev_cased = false;
        }
    }
    any
});
fn partition_impl(vm: &mut Vm, args: &[Value], right: bool) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let sep = arg_str(vm, &args[1], "must be str")?;
    if sep.is_empty() {
        return Err(vm.value_error("empty separator"));
    }
    let found = if right { s.rfind(&sep) } else { s.find(&sep) };
    let parts = match found {
        Some(i) => [s[..i].to_string(), sep.clone(), s[i + sep.len()..].to_string()],
        None if right => [String::new(), String::new(), s.to_string()],
        None => [s.to_string(), String::new(), String::new()],
    };
    let v: Vec<Value> = parts.into_iter().map(|p| vm.new_str(p)).collect();
    Ok(vm.new_tuple(v))
}
fn str_partition(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    partition_impl(vm, args, false)
}
fn str_rpartition(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    partition_impl(vm, args, true)
}
fn str_splitlines(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let a = vm.bind_args("splitlines", &args[1..], kw, &["keepends"], 0)?;
    let keep = match &a[0] {
        Some(v) => vm.is_true(v)?,
        None => false,
    };
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            let mut end = c.to_string();
            if c == '\r' && chars.get(i + 1) == Some(&'\n') {
                end.push('\n');
                i += 1;
            }
            if keep {
                cur.push_str(&end);
            }
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
        i += 1;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    let v = out.into_iter().map(|p| vm.new_str(p)).collect();
    Ok(vm.new_list(v))
}
fn str_expandtabs(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let ts = args.get(1).and_then(|v| vm.as_i64(v)).unwrap_or(8).max(0) as usize;
    let mut out = String::new();
    let mut col = 0;
    for c in s.chars() {
        match c {
            '\t' => {
                if ts > 0 {
                    let n = ts - col % ts;
                    out.push_str(&" ".repeat(n));
                    col += n;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Ok(vm.new_str(out))
}
fn str_removeprefix(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let p = arg_str(vm, &args[1], "removeprefix() argument")?;
    Ok(vm.new_str(s.strip_prefix(&*p).unwrap_or(&s).to_string()))
}
fn str_removesuffix(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let p = arg_str(vm, &args[1], "removesuffix() argument")?;
    Ok(vm.new_str(s.strip_suffix(&*p).unwrap_or(&s).to_string()))
}
/// Case folding: lower case plus the full foldings that expand (German sharp s, the
/// Latin ligatures, ...), as Unicode's CaseFolding.txt gives them.
fn str_casefold(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'ſ' => out.push('s'),
            'ﬀ' => out.push_str("ff"),
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            'ﬅ' | 'ﬆ' => out.push_str("st"),
            'ς' => out.push('σ'),
            'ŉ' => out.push_str("ʼn"),
            'ǰ' => out.push_str("ǰ"),
            'µ' => out.push('μ'),
            'ι' => out.push('ι'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    Ok(vm.new_str(out))
}

fn str_encode(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let a = vm.bind_args("encode", &args[1..], kw, &["encoding", "errors"], 0)?;
    let enc = match &a[0] {
        Some(e) => arg_str(vm, e, "encode() argument 'encoding'")?.to_string(),
        None => "utf-8".into(),
    };
    let errors = match &a[1] {
        Some(e) => arg_str(vm, e, "encode() argument 'errors'")?.to_string(),
        None => "strict".into(),
    };
    let out = super::codecs::encode(vm, &s.0, &s, &enc, &errors)?;
    Ok(vm.new_bytes(out))
}
fn str_dunder_format(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let spec = vm.str_val(&args[1]);
    let b = vm.unwrap_base(&args[0]);
    let r = vm.format(&b, &spec)?;
    Ok(vm.new_str(r))
}
fn str_len(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.unwrap_base(&args[0]);
    let n = vm.len(&b)?;
    Ok(vm.new_int(n as i64))
}
fn str_contains(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.unwrap_base(&args[0]);
    let r = vm.contains(&b, &args[1])?;
    Ok(vm.new_bool(r))
}
fn str_getitem(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.unwrap_base(&args[0]);
    vm.getitem(&b, &args[1])
}
fn str_add(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (a, b) = (vm.unwrap_base(&args[0]), vm.unwrap_base(&args[1]));
    if !b.is::<Str>() {
        return Ok(vm.not_implemented.clone());
    }
    vm.binary_op(&a, &b, pyvm_compiler::ast::BinOp::Add)
}
fn str_mul(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let a = vm.unwrap_base(&args[0]);
    if args[1].is::<Float>() || !vm.is_int_like(&args[1]) {
        return Ok(vm.not_implemented.clone());
    }
    vm.binary_op(&a, &args[1], pyvm_compiler::ast::BinOp::Mult)
}
fn str_mod(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let a = vm.unwrap_base(&args[0]);
    vm.percent_format(&a, &args[1])
}
fn str_str(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    Ok(if args[0].is::<Str>() { args[0].clone() } else { vm.new_str(s.to_string()) })
}
fn str_repr_m(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    Ok(vm.new_str(pyvm_compiler::repr::str_repr(&s)))
}
fn str_hash(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.unwrap_base(&args[0]);
    let h = vm.hash(&b)?;
    Ok(vm.new_int(h))
}
fn str_eq(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (a, b) = (vm.unwrap_base(&args[0]), vm.unwrap_base(&args[1]));
    if !b.is::<Str>() {
        return Ok(vm.not_implemented.clone());
    }
    vm.rich_compare(&a, &b, 2)
}
fn str_lt(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (a, b) = (vm.unwrap_base(&args[0]), vm.unwrap_base(&args[1]));
    if !b.is::<Str>() {
        return Ok(vm.not_implemented.clone());
    }
    vm.rich_compare(&a, &b, 0)
}
fn str_iter(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.unwrap_base(&args[0]);
    vm.get_iter(&b)
}
fn str_maketrans(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let d = vm.new_dict();
    match args.len() {
        1 => {
            vm.dict_update_from(&d, &args[0], false)?;
            let items = d.downcast_ref::<Dict>().unwrap().items();
            let out = vm.new_dict();
            for (k, v) in items {
                let k = match k.downcast_ref::<Str>() {
                    Some(s) => vm.new_int(s.s.chars().next().map_or(0, |c| c as i64)),
                    None => k,
                };
                vm.dict_set(&out, k, v)?;
            }
            Ok(out)
        }
        2 | 3 => {
            let x: Vec<char> = vm.str_val(&args[0]).chars().collect();
            let y: Vec<char> = vm.str_val(&args[1]).chars().collect();
            if x.len() != y.len() {
                return Err(vm.value_error("the first two maketrans arguments must have equal length"));
            }
            for (a, b) in x.into_iter().zip(y) {
                let k = vm.new_int(a as i64);
                let v = vm.new_int(b as i64);
                vm.dict_set(&d, k, v)?;
            }
            if let Some(z) = args.get(2) {
                for c in vm.str_val(z).chars() {
                    let k = vm.new_int(c as i64);
                    let none = vm.none.clone();
                    vm.dict_set(&d, k, none)?;
                }
            }
            Ok(d)
        }
        _ => Err(vm.type_error("maketrans() takes at most 3 arguments")),
    }
}
fn str_translate(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let table = args[1].clone();
    let mut out = String::new();
    for c in s.chars() {
        let k = vm.new_int(c as i64);
        match vm.getitem(&table, &k) {
            Ok(v) => {
                if vm.is_none(&v) {
                    continue;
                }
                if let Some(i) = vm.as_i64(&v) {
                    if let Some(ch) = char::from_u32(i as u32) {
                        out.push(ch);
                    }
                } else {
                    out.push_str(&vm.str_val(&v));
                }
            }
            Err(e) if vm.err_is(&e, "LookupError") => out.push(c),
            Err(e) => return Err(e),
        }
    }
    Ok(vm.new_str(out))
}

fn str_format(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let npos = args.len() - kw.len();
    let pos: Vec<Value> = args[1..npos].to_vec();
    let kwd = vm.new_dict();
    for (k, v) in kw.iter().zip(args[npos..].iter()) {
        vm.dict_set(&kwd, k.clone(), v.clone())?;
    }
    let r = vm.format_string(&s, &pos, &kwd)?;
    Ok(vm.new_str(r))
}
fn str_format_map(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = this(vm, &args[0])?;
    let r = vm.format_string(&s, &[], &args[1].clone())?;
    Ok(vm.new_str(r))
}

impl Vm {
    /// `str.format` field substitution.
    pub fn format_string(&mut self, s: &str, pos: &[Value], kw: &Value) -> PyResult<String> {
        let mut numbering = FieldNumbering::default();
        self.format_fields(s, pos, kw, &mut numbering)
    }

    /// `format_string` with the field-numbering state shared with nested fields of
    /// format specs (`'{:{}}'.format(x, 5)` numbers the inner field 1).
    fn format_fields(&mut self, s: &str, pos: &[Value], kw: &Value, numbering: &mut FieldNumbering) -> PyResult<String> {
        // Braces are ASCII, so the scan walks bytes and copies literal text between
        // fields as whole slices (`lit` is where the pending literal run starts).
        let chars = s.as_bytes();
        let mut out = String::with_capacity(s.len() + 16);
        let mut i = 0;
        let mut lit = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == b'{' {
                out.push_str(&s[lit..i]);
                if chars.get(i + 1) == Some(&b'{') {
                    out.push('{');
                    i += 2;
                    lit = i;
                    continue;
                }
                if i + 1 == chars.len() {
                    return Err(self.value_error("Single '{' encountered in format string"));
                }
                // Find the matching close brace (specs may nest one level).
                let mut depth = 1;
                let mut j = i + 1;
                while j < chars.len() && depth > 0 {
                    if chars[j] == b'{' {
                        depth += 1;
                    } else if chars[j] == b'}' {
                        depth -= 1;
                    }
                    j += 1;
                }
                if depth != 0 {
                    return Err(self.value_error("expected '}' before end of string"));
                }
                let field = &s[i + 1..j - 1];
                i = j;
                lit = i;
                let (name_conv, spec) = match field.find(':') {
                    Some(p) => (&field[..p], &field[p + 1..]),
                    None => (field, ""),
                };
                let (name, conv) = match name_conv.find('!') {
                    Some(p) => {
                        // CPython's parse_field: one conversion character, then the
                        // field's end or its ':'.
                        let mut cs = name_conv[p + 1..].chars();
                        let Some(c) = cs.next() else {
                            return Err(self.value_error("unmatched '{' in format spec"));
                        };
                        if cs.next().is_some() {
                            return Err(self.value_error("expected ':' after conversion specifier"));
                        }
                        (&name_conv[..p], Some(c))
                    }
                    None => (name_conv, None),
                };
                // Resolve the first part of the field name.
                let first_end = name.find(|c| c == '.' || c == '[').unwrap_or(name.len());
                let first = &name[..first_end];
                let mut v = if first.is_empty() {
                    if numbering.manual {
                        return Err(self.value_error("cannot switch from manual field specification to automatic field numbering"));
                    }
                    numbering.automatic = true;
                    let auto = numbering.next;
                    let v = pos.get(auto).cloned().ok_or_else(|| self.index_error(format!("Replacement index {auto} out of range for positional args tuple")))?;
                    numbering.next += 1;
                    v
                } else if let Ok(n) = first.parse::<usize>() {
                    if numbering.automatic {
                        return Err(self.value_error("cannot switch from automatic field numbering to manual field specification"));
                    }
                    numbering.manual = true;
                    pos.get(n).cloned().ok_or_else(|| self.index_error(format!("Replacement index {n} out of range for positional args tuple")))?
                } else {
                    let k = self.new_str(first);
                    match self.getitem(kw, &k) {
                        Ok(v) => v,
                        Err(_) => return Err(self.key_error(k)),
                    }
                };
                // Attribute and index accessors.
                let rest: Vec<char> = name[first_end..].chars().collect();
                let mut k = 0;
                while k < rest.len() {
                    if rest[k] == '.' {
                        let st = k + 1;
                        k += 1;
                        while k < rest.len() && rest[k] != '.' && rest[k] != '[' {
                            k += 1;
                        }
                        let attr: String = rest[st..k].iter().collect();
                        v = self.getattr_str(&v, &attr)?;
                    } else if rest[k] == '[' {
                        let st = k + 1;
                        while k < rest.len() && rest[k] != ']' {
                            k += 1;
                        }
                        let key: String = rest[st..k].iter().collect();
                        k += 1;
                        let kv = match key.parse::<i64>() {
                            Ok(n) => self.new_int(n),
                            Err(_) => self.new_str(key),
                        };
                        v = self.getitem(&v, &kv)?;
                    } else {
                        k += 1;
                    }
                }
                let v = match conv {
                    Some('r') => {
                        let s = self.repr(&v)?;
                        self.new_str(s)
                    }
                    Some('s') => {
                        let s = self.to_str(&v)?;
                        self.new_str(s)
                    }
                    Some('a') => {
                        let s = self.ascii(&v)?;
                        self.new_str(s)
                    }
                    // Checked once the field's object is found, as CPython's
                    // do_conversion does.
                    Some(c) => return Err(self.value_error(format!("Unknown conversion specifier {c}"))),
                    None => v,
                };
                let spec = if spec.contains('{') { self.format_fields(spec, pos, kw, numbering)? } else { spec.to_string() };
                out.push_str(&self.format(&v, &spec)?);
            } else if c == b'}' {
                out.push_str(&s[lit..i]);
                if chars.get(i + 1) == Some(&b'}') {
                    out.push('}');
                    i += 2;
                    lit = i;
                    continue;
                }
                return Err(self.value_error("Single '}' encountered in format string"));
            } else {
                i += 1;
            }
        }
        out.push_str(&s[lit..]);
        Ok(out)
    }
}

/// How `str.format` numbers its fields: automatically (`{}`) or manually (`{0}`),
/// never both.
#[derive(Default)]
struct FieldNumbering {
    next: usize,
    automatic: bool,
    manual: bool,
}

fn bytes_new(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    match args.get(1) {
        None => Ok(vm.new_bytes(vec![])),
        Some(v) => {
            if let Some(b) = v.downcast_ref::<ByteArray>() {
                let d = b.0.borrow().clone();
                return Ok(vm.new_bytes(d));
            }
            if v.is::<Str>() {
                if args.len() < 3 {
                    return Err(vm.type_error("string argument without an encoding"));
                }
                return str_encode(vm, &[v.clone(), args[2].clone()], &[]);
            }
            if let Some(n) = v.as_int() {
                if n < 0 {
                    return Err(vm.value_error("negative count"));
                }
                vm.check_room(n as usize)?;
                return Ok(vm.new_bytes(vec![0; n as usize]));
            }
            let items = vm.to_vec(v)?;
            let mut out = Vec::with_capacity(items.len());
            for it in items {
                match vm.as_i64(&it) {
                    Some(x) if (0..256).contains(&x) => out.push(x as u8),
                    Some(_) => return Err(vm.value_error("bytes must be in range(0, 256)")),
                    None => {
                        let tn = vm.type_name(&it);
                        return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
                    }
                }
            }
            Ok(vm.new_bytes(out))
        }
    }
}
fn bytes_decode(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let data = args[0].downcast_ref::<Bytes>().unwrap().0.to_vec();
    decode_with(vm, &data, &args[1..], kw)
}

/// `bytes.decode(encoding='utf-8', errors='strict')` (also bytearray's and
/// `str(b, encoding)`): UTF-8, ASCII and Latin-1, with 'strict', 'replace', 'ignore'.
pub fn decode_with(vm: &mut Vm, data: &[u8], args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("decode", args, kw, &["encoding", "errors"], 0)?;
    let enc = match &a[0] {
        Some(e) => arg_str(vm, e, "decode() argument 'encoding'")?.to_string(),
        None => "utf-8".into(),
    };
    let errors = match &a[1] {
        Some(e) => arg_str(vm, e, "decode() argument 'errors'")?.to_string(),
        None => "strict".into(),
    };
    let s = super::codecs::decode(vm, data, &enc, &errors)?;
    Ok(vm.new_str(s))
}

