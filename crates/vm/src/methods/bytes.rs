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
        ("count", b_count),
        ("startswith", b_startswith),
        ("endswith", b_endswith),
        ("strip", b_strip),
        ("lstrip", b_lstrip),
        ("rstrip", b_rstrip),
        ("partition", b_partition),
        ("upper", b_upper),
        ("lower", b_lower),
        ("isalnum", b_isalnum),
        ("isalpha", b_isalpha),
        ("isdigit", b_isdigit),
        ("isspace", b_isspace),
    ];
    for (n, f) in shared {
        vm.add_method(&b, n, *f);
        vm.add_method(&ba, n, *f);
    }
    vm.add_static(&b, "fromhex", b_fromhex);
    vm.add_method(&ba, "decode", ba_decode);
    vm.add_method(&ba, "append", ba_append);
    vm.add_method(&ba, "extend", ba_extend);
    vm.add_method(&ba, "pop", ba_pop);
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
/// result back to bytes.
fn via_str(vm: &mut Vm, args: &[Value], kw: &[Value], name: &str) -> PyResult<Value> {
    let Some(me) = bytes_of(&args[0]) else { return Err(vm.type_error("descriptor requires a 'bytes' object")) };
    let mut conv = vec![vm.new_str(latin1(&me))];
    for a in &args[1..] {
        if let Some(b) = bytes_of(a) {
            conv.push(vm.new_str(latin1(&b)));
        } else if let Some(t) = a.downcast_ref::<Tuple>() {
            let items: Vec<Value> = t.0.iter().map(|x| bytes_of(x).map(|b| vm.new_str(latin1(&b))).unwrap_or_else(|| x.clone())).collect();
            conv.push(vm.new_tuple(items));
        } else {
            conv.push(a.clone());
        }
    }
    let m = vm.getattr_str(&conv[0], name)?;
    let r = vm.call(&m, &conv[1..], kw)?;
    Ok(back(vm, r))
}

fn back(vm: &mut Vm, r: Value) -> Value {
    if let Some(s) = r.downcast_ref::<Str>() {
        let b = unlatin1(&s.s);
        return vm.new_bytes(b);
    }
    if let Some(l) = r.downcast_ref::<List>() {
        let items: Vec<Value> = l.snapshot().into_iter().map(|x| back(vm, x)).collect();
        return vm.new_list(items);
    }
    if let Some(t) = r.downcast_ref::<Tuple>() {
        let items: Vec<Value> = t.0.to_vec().into_iter().map(|x| back(vm, x)).collect();
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
fn b_fromhex(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = vm.str_val(args.last().unwrap());
    let digits: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() % 2 != 0 || !digits.iter().all(|c| c.is_ascii_hexdigit()) {
        return Err(vm.value_error("non-hexadecimal number found in fromhex() arg"));
    }
    let out: Vec<u8> = digits.chunks(2).map(|p| u8::from_str_radix(&p.iter().collect::<String>(), 16).unwrap_or(0)).collect();
    Ok(vm.new_bytes(out))
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
