//! `int`, `bool`, `float` and `complex`: constructors and methods.

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use num_bigint::BigInt;
use num_traits::{Signed, Zero};
use pyvm_compiler::repr::float_repr;
use pyvm_gc::Value;

pub fn install(vm: &mut Vm) {
    let i = vm.types.int.clone();
    vm.add_static(&i, "__new__", int_new);
    vm.add_method(&i, "bit_length", int_bit_length);
    vm.add_method(&i, "bit_count", int_bit_count);
    vm.add_method(&i, "to_bytes", int_to_bytes);
    vm.add_method(&i, "conjugate", int_conjugate);
    vm.add_method(&i, "as_integer_ratio", int_as_integer_ratio);
    vm.add_method(&i, "__index__", int_conjugate);
    vm.add_method(&i, "__int__", int_conjugate);
    vm.add_method(&i, "__float__", num_float);
    vm.add_method(&i, "__abs__", num_abs);
    vm.add_method(&i, "__repr__", num_repr);
    vm.add_method(&i, "__str__", bool_repr);
    vm.add_method(&i, "__format__", num_format);
    vm.add_method(&i, "__hash__", num_hash);
    vm.add_classmethod(&i, "from_bytes", int_from_bytes);
    let b = vm.types.bool_.clone();
    vm.add_static(&b, "__new__", bool_new);
    vm.add_method(&b, "__repr__", bool_repr);
    let f = vm.types.float.clone();
    vm.add_static(&f, "__new__", float_new);
    vm.add_method(&f, "is_integer", float_is_integer);
    vm.add_method(&f, "as_integer_ratio", float_as_integer_ratio);
    vm.add_method(&f, "hex", float_hex);
    vm.add_method(&f, "conjugate", float_conjugate);
    vm.add_method(&f, "__int__", float_int);
    vm.add_method(&f, "__float__", num_float);
    vm.add_method(&f, "__abs__", num_abs);
    vm.add_method(&f, "__repr__", num_repr);
    vm.add_method(&f, "__str__", num_repr);
    vm.add_method(&f, "__format__", num_format);
    vm.add_method(&f, "__hash__", num_hash);
    vm.add_classmethod(&f, "fromhex", float_fromhex);
    let c = vm.types.complex.clone();
    vm.add_static(&c, "__new__", complex_new);
    vm.add_method(&c, "conjugate", complex_conjugate);
    // Numeric dunders callable explicitly (e.g. int.__add__(1, 2)).
    for ty in [vm.types.int.clone(), vm.types.float.clone()] {
        vm.add_method(&ty, "__add__", num_add);
        vm.add_method(&ty, "__sub__", num_sub);
        vm.add_method(&ty, "__mul__", num_mul);
        vm.add_method(&ty, "__truediv__", num_truediv);
        vm.add_method(&ty, "__floordiv__", num_floordiv);
        vm.add_method(&ty, "__mod__", num_mod);
        vm.add_method(&ty, "__pow__", num_pow);
        vm.add_method(&ty, "__neg__", num_neg);
        vm.add_method(&ty, "__lt__", num_lt);
        vm.add_method(&ty, "__eq__", num_eq);
        vm.add_method(&ty, "__bool__", num_bool);
        vm.add_method(&ty, "__radd__", num_radd);
        vm.add_method(&ty, "__rsub__", num_rsub);
        vm.add_method(&ty, "__rmul__", num_rmul);
        vm.add_method(&ty, "__rtruediv__", num_rtruediv);
        vm.add_method(&ty, "__rfloordiv__", num_rfloordiv);
        vm.add_method(&ty, "__rmod__", num_rmod);
        vm.add_method(&ty, "__rpow__", num_rpow);
    }
    let i = vm.types.int.clone();
    vm.add_method(&i, "__and__", num_and);
    vm.add_method(&i, "__or__", num_or);
    vm.add_method(&i, "__xor__", num_xor);
    vm.add_method(&i, "__lshift__", num_lshift);
    vm.add_method(&i, "__rshift__", num_rshift);
    let b = vm.types.bool_.clone();
    vm.add_method(&b, "__and__", bool_and);
    vm.add_method(&b, "__or__", bool_or);
    vm.add_method(&b, "__xor__", bool_xor);
}

macro_rules! binop_method {
    ($name:ident, $op:expr) => {
        fn $name(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
            vm.check_nargs(stringify!($name), &args[1..], 1, 1)?;
            let (a, b) = (vm.unwrap_base(&args[0]), vm.unwrap_base(&args[1]));
            match vm.num_binop(&a, &b, $op)? {
                Some(v) => Ok(v),
                None => Ok(vm.not_implemented.clone()),
            }
        }
    };
}
use pyvm_compiler::ast::BinOp;
binop_method!(num_add, BinOp::Add);
binop_method!(num_sub, BinOp::Sub);
binop_method!(num_mul, BinOp::Mult);
binop_method!(num_truediv, BinOp::Div);
binop_method!(num_floordiv, BinOp::FloorDiv);
binop_method!(num_mod, BinOp::Mod);
binop_method!(num_pow, BinOp::Pow);
binop_method!(num_and, BinOp::And);
binop_method!(num_or, BinOp::Or);
binop_method!(num_xor, BinOp::BitXor);
binop_method!(num_lshift, BinOp::LShift);
binop_method!(num_rshift, BinOp::RShift);

macro_rules! rbinop_method {
    ($name:ident, $op:expr) => {
        fn $name(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
            vm.check_nargs(stringify!($name), &args[1..], 1, 1)?;
            let (a, b) = (vm.unwrap_base(&args[1]), vm.unwrap_base(&args[0]));
            match vm.num_binop(&a, &b, $op)? {
                Some(v) => Ok(v),
                None => Ok(vm.not_implemented.clone()),
            }
        }
    };
}
rbinop_method!(num_radd, BinOp::Add);
rbinop_method!(num_rsub, BinOp::Sub);
rbinop_method!(num_rmul, BinOp::Mult);
rbinop_method!(num_rtruediv, BinOp::Div);
rbinop_method!(num_rfloordiv, BinOp::FloorDiv);
rbinop_method!(num_rmod, BinOp::Mod);
rbinop_method!(num_rpow, BinOp::Pow);

fn bool_bitop(vm: &mut Vm, args: &[Value], op: BinOp) -> PyResult<Value> {
    vm.check_nargs("bool op", &args[1..], 1, 1)?;
    vm.binary_op(&args[0], &args[1], op)
}
fn bool_and(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    bool_bitop(vm, args, BinOp::And)
}
fn bool_or(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    bool_bitop(vm, args, BinOp::Or)
}
fn bool_xor(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    bool_bitop(vm, args, BinOp::BitXor)
}

fn num_neg(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let a = vm.unwrap_base(&args[0]);
    vm.unary_op(&a, pyvm_compiler::bytecode::Opcode::UNARY_NEGATIVE)
}
fn num_lt(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (a, b) = (vm.unwrap_base(&args[0]), vm.unwrap_base(&args[1]));
    // int's comparisons take ints only (float's handle the mixed case), as CPython's.
    if vm.num(&b).is_none() || (!a.is::<Float>() && b.is::<Float>()) {
        return Ok(vm.not_implemented.clone());
    }
    vm.rich_compare(&a, &b, 0)
}
fn num_eq(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (a, b) = (vm.unwrap_base(&args[0]), vm.unwrap_base(&args[1]));
    // int's comparisons take ints only (float's handle the mixed case), as CPython's.
    if vm.num(&b).is_none() || (!a.is::<Float>() && b.is::<Float>()) {
        return Ok(vm.not_implemented.clone());
    }
    vm.rich_compare(&a, &b, 2)
}
fn num_bool(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let a = vm.unwrap_base(&args[0]);
    let t = vm.is_true(&a)?;
    Ok(vm.new_bool(t))
}
fn num_repr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let a = vm.unwrap_base(&args[0]);
    // int.__repr__(True) is '1': the int's digits, not bool's name.
    if let Some(b) = a.downcast_ref::<Bool>() {
        return Ok(vm.new_str(if b.0 { "1" } else { "0" }));
    }
    let s = vm.repr(&a)?;
    Ok(vm.new_str(s))
}
fn bool_repr(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let a = vm.unwrap_base(&args[0]);
    let s = vm.repr(&a)?;
    Ok(vm.new_str(s))
}
fn num_format(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__format__", &args[1..], 1, 1)?;
    let spec = vm.str_val(&args[1]);
    // An empty spec is str(self), which a subclass's __str__ may answer.
    if spec.is_empty() && args[0].is::<Instance>() {
        let s = vm.to_str(&args[0])?;
        return Ok(vm.new_str(s));
    }
    let a = vm.unwrap_base(&args[0]);
    let s = vm.format(&a, &spec)?;
    Ok(vm.new_str(s))
}
fn num_hash(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let a = vm.unwrap_base(&args[0]);
    let h = vm.hash(&a)?;
    Ok(vm.new_int(h))
}
fn num_float(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let a = vm.unwrap_base(&args[0]);
    let f = vm.as_f64(&a).unwrap_or(0.0);
    Ok(vm.new_float(f))
}
fn num_abs(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let a = vm.unwrap_base(&args[0]);
    vm.abs(&a)
}

impl Vm {
    pub fn abs(&mut self, a: &Value) -> PyResult<Value> {
        if let Some(i) = a.as_int() {
            return Ok(match i.checked_abs() {
                Some(x) => self.new_int(x),
                None => self.new_bigint(BigInt::from(i).abs()),
            });
        }
        if let Some(f) = a.downcast_ref::<Float>() {
            return Ok(self.new_float(f.0.abs()));
        }
        if let Some(c) = a.downcast_ref::<Complex>() {
            return Ok(self.new_float(c.re.hypot(c.im)));
        }
        if !a.is::<Instance>() {
            if let Some(b) = self.as_bigint(a) {
                return Ok(self.new_bigint(b.abs()));
            }
        }
        if let Some(r) = self.call_special(a, "__abs__", &[])? {
            return Ok(r);
        }
        let tn = self.type_name(a);
        Err(self.type_error(format!("bad operand type for abs(): '{tn}'")))
    }

    /// `int(x)`.
    pub fn to_int(&mut self, v: &Value) -> PyResult<Value> {
        if v.is_int() || v.is::<BigIntObj>() {
            return Ok(v.clone());
        }
        if let Some(b) = v.downcast_ref::<Bool>() {
            return Ok(self.new_int(b.0 as i64));
        }
        if let Some(f) = v.downcast_ref::<Float>() {
            return self.float_to_int(f.0);
        }
        if let Some(s) = v.downcast_ref::<Str>() {
            let t = s.s.to_string();
            return self.parse_int(&t, 10);
        }
        if let Some(b) = v.downcast_ref::<Bytes>() {
            let t = String::from_utf8_lossy(&b.0).into_owned();
            return self.parse_int(&t, 10);
        }
        for m in ["__int__", "__index__", "__trunc__"] {
            if let Some(r) = self.call_special(v, m, &[])? {
                return Ok(r);
            }
        }
        let b = self.unwrap_base(v);
        if !b.ptr_eq(v) {
            return self.to_int(&b);
        }
        let tn = self.type_name(v);
        Err(self.type_error(format!("int() argument must be a string, a bytes-like object or a real number, not '{tn}'")))
    }

    pub fn float_to_int(&mut self, f: f64) -> PyResult<Value> {
        if f.is_nan() {
            return Err(self.value_error("cannot convert float NaN to integer"));
        }
        if f.is_infinite() {
            return Err(self.overflow_error("cannot convert float infinity to integer"));
        }
        let t = f.trunc();
        if t.abs() < 9.0e18 {
            return Ok(self.new_int(t as i64));
        }
        Ok(self.new_bigint(float_to_bigint(t)))
    }

    pub fn parse_int(&mut self, s: &str, base: u32) -> PyResult<Value> {
        let orig = s;
        let ascii = to_ascii_digits(s);
        let s = ascii.as_str();
        let t = s.trim();
        let (neg, t) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let mut base = base;
        let mut digits = t;
        let lower = t.to_ascii_lowercase();
        if base == 16 || base == 0 {
            if lower.starts_with("0x") {
                digits = &t[2..];
                base = 16;
            }
        }
        if base == 8 || base == 0 {
            if lower.starts_with("0o") {
                digits = &t[2..];
                base = 8;
            }
        }
        if base == 2 || base == 0 {
            if lower.starts_with("0b") {
                digits = &t[2..];
                base = 2;
            }
        }
        if base == 0 {
            base = 10;
            if digits.len() > 1 && digits.starts_with('0') && digits.chars().any(|c| c != '0' && c != '_') {
                return Err(self.value_error(format!("invalid literal for int() with base 0: {}", pyvm_compiler::repr::str_repr(orig))));
            }
        }
        let clean: String = digits.chars().filter(|c| *c != '_').collect();
        let valid_underscores = !digits.starts_with('_') && !digits.ends_with('_') && !digits.contains("__");
        let parsed = if clean.is_empty() || !valid_underscores { None } else { BigInt::parse_bytes(clean.as_bytes(), base) };
        match parsed {
            Some(b) => Ok(self.new_bigint(if neg { -b } else { b })),
            None => Err(self.value_error(format!(
                "invalid literal for int() with base {base}: {}",
                pyvm_compiler::repr::str_repr(orig)
            ))),
        }
    }

    pub fn to_float(&mut self, v: &Value) -> PyResult<f64> {
        if let Some(f) = self.as_f64(v) {
            if !v.is::<Instance>() {
                if f.is_infinite() && v.is::<BigIntObj>() {
                    return Err(self.overflow_error("int too large to convert to float"));
                }
                return Ok(f);
            }
        }
        if let Some(s) = v.downcast_ref::<Str>() {
            let t = to_ascii_digits(s.s.trim()).replace('_', "");
            let low = t.to_ascii_lowercase();
            let r = match low.as_str() {
                "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
                "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                "nan" | "+nan" | "-nan" => Some(f64::NAN),
                _ => {
                    if t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')) {
                        t.parse::<f64>().ok()
                    } else {
                        None
                    }
                }
            };
            return match r {
                Some(f) => Ok(f),
                None => Err(self.value_error(format!("could not convert string to float: {}", pyvm_compiler::repr::str_repr(&s.s)))),
            };
        }
        if let Some(r) = self.call_special(v, "__float__", &[])? {
            return self.as_f64(&r).ok_or_else(|| self.type_error("__float__ returned non-float"));
        }
        if let Some(r) = self.call_special(v, "__index__", &[])? {
            return self.as_f64(&r).ok_or_else(|| self.type_error("__index__ returned non-int"));
        }
        let b = self.unwrap_base(v);
        if !b.ptr_eq(v) {
            return self.to_float(&b);
        }
        let tn = self.type_name(v);
        Err(self.type_error(format!("float() argument must be a string or a real number, not '{tn}'")))
    }
}

/// First code points of the Unicode decimal digit runs (category Nd) that int() and
/// float() accept, as CPython does (`int("٣") == 3`).
const DIGIT_ZEROS: &[u32] = &[
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0, 0xF20,
    0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0,
    0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];

/// Replace non-ASCII decimal digits with their ASCII equivalents.
pub fn to_ascii_digits(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            let v = c as u32;
            match DIGIT_ZEROS.iter().find(|&&z| v >= z && v < z + 10) {
                Some(z) => char::from_digit(v - z, 10).unwrap_or(c),
                None => c,
            }
        })
        .collect()
}

pub fn float_to_bigint(f: f64) -> BigInt {
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let mant = (bits & ((1 << 52) - 1)) | (1 << 52);
    let mut b = BigInt::from(mant);
    if exp > 0 {
        b <<= exp as usize;
    } else {
        b >>= (-exp) as usize;
    }
    if f < 0.0 {
        -b
    } else {
        b
    }
}

fn int_new(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let cls = args[0].clone();
    let a = vm.bind_args("int", &args[1..], kw, &["x", "base"], 0)?;
    let r = match (&a[0], &a[1]) {
        (None, None) => vm.new_int(0),
        (Some(x), None) => vm.to_int(x)?,
        (x, Some(b)) => {
            let base = vm.as_i64(b).unwrap_or(10);
            if base != 0 && !(2..=36).contains(&base) {
                return Err(vm.value_error("int() base must be >= 2 and <= 36, or 0"));
            }
            let Some(x) = x else { return Err(vm.type_error("int() missing string argument")) };
            let Some(s) = x.downcast_ref::<Str>() else {
                return Err(vm.type_error("int() can't convert non-string with explicit base"));
            };
            let t = s.s.to_string();
            vm.parse_int(&t, base as u32)?
        }
    };
    if !cls.ptr_eq(&vm.types.int) {
        return subclass_instance(vm, &cls, r);
    }
    Ok(r)
}

/// An instance of a user subclass of a built-in type, wrapping `base`.
pub fn subclass_instance(_vm: &mut Vm, cls: &Value, base: Value) -> PyResult<Value> {
    let inst = Instance::new(cls.clone(), false);
    inst.set_base_value(Some(base));
    Ok(Value::new(inst))
}

fn bool_new(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.no_kwargs("bool", kw)?;
    vm.check_nargs("bool", &args[1..], 0, 1)?;
    match args.get(1) {
        Some(v) => {
            let b = vm.is_true(v)?;
            Ok(vm.new_bool(b))
        }
        None => Ok(vm.false_.clone()),
    }
}
fn float_new(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.no_kwargs("float", kw)?;
    vm.check_nargs("float", &args[1..], 0, 1)?;
    let f = match args.get(1) {
        Some(v) => vm.to_float(v)?,
        None => 0.0,
    };
    let r = vm.new_float(f);
    if !args[0].ptr_eq(&vm.types.float) {
        return subclass_instance(vm, &args[0].clone(), r);
    }
    Ok(r)
}
fn complex_new(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("complex", &args[1..], kw, &["real", "imag"], 0)?;
    let (mut re, mut im) = (0.0, 0.0);
    if let Some(r) = &a[0] {
        if r.is::<Str>() {
            if a[1].is_some() {
                return Err(vm.type_error("complex() can't take second arg if first is a string"));
            }
            let text = vm.str_val(r);
            let (x, y) = parse_complex(vm, &text)?;
            return Ok(Value::new(Complex { re: x, im: y }));
        }
        let (x, y) = match vm.as_complex(r) {
            Some(c) => c,
            None => complex_dunder(vm, r)?.ok_or_else(|| {
                let tn = vm.type_name(r);
                vm.type_error(format!("complex() first argument must be a string or a number, not '{tn}'"))
            })?,
        };
        re = x;
        im = y;
    }
    if let Some(i) = &a[1] {
        if i.is::<Str>() {
            return Err(vm.type_error("complex() second arg can't be a string"));
        }
        let (x, y) = vm.as_complex(i).ok_or_else(|| {
            let tn = vm.type_name(i);
            vm.type_error(format!("complex() second argument must be a number, not '{tn}'"))
        })?;
        re -= y;
        im += x;
    }
    Ok(Value::new(Complex { re, im }))
}
/// `__complex__`, else `__float__`/`__index__`, of an object that is not a number.
fn complex_dunder(vm: &mut Vm, v: &Value) -> PyResult<Option<(f64, f64)>> {
    if let Some(r) = vm.call_special(v, "__complex__", &[])? {
        return match vm.as_complex(&r).filter(|_| r.is::<Complex>()) {
            Some(c) => Ok(Some(c)),
            None => {
                let tn = vm.type_name(&r);
                Err(vm.type_error(format!("__complex__ returned non-complex (type {tn})")))
            }
        };
    }
    for name in ["__float__", "__index__"] {
        if let Some(r) = vm.call_special(v, name, &[])? {
            if let Some(f) = vm.as_f64(&r) {
                return Ok(Some((f, 0.0)));
            }
        }
    }
    Ok(None)
}

/// complex('1+2j'), '(1-2.5e3j)', 'j', '-inf+nanj', ' 3 ': CPython's grammar, with the
/// float parts read by float().
fn parse_complex(vm: &mut Vm, text: &str) -> PyResult<(f64, f64)> {
    let malformed = |vm: &mut Vm| vm.value_error("complex() arg is a malformed string");
    let mut s = text.trim();
    if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        s = inner.trim();
    }
    if s.is_empty() || s.chars().any(char::is_whitespace) {
        return Err(malformed(vm));
    }
    let float = |vm: &mut Vm, part: &str| -> PyResult<f64> {
        match part {
            "" | "+" => Ok(1.0),
            "-" => Ok(-1.0),
            _ if part.ends_with(|c: char| c.is_ascii_digit() || c == '.' || c.is_ascii_alphabetic()) => {
                let ft = vm.types.float.clone();
                let sv = vm.new_str(part);
                match vm.call(&ft, &[sv], &[]) {
                    Ok(f) => Ok(vm.as_f64(&f).unwrap_or(0.0)),
                    Err(_) => Err(vm.value_error("complex() arg is a malformed string")),
                }
            }
            _ => Err(vm.value_error("complex() arg is a malformed string")),
        }
    };
    let Some(body) = s.strip_suffix(['j', 'J']) else {
        let x = float(vm, s)?;
        if matches!(s, "+" | "-") {
            return Err(malformed(vm));
        }
        return Ok((x, 0.0));
    };
    // The real/imaginary split: the last sign not at the start and not an exponent's.
    let bytes = body.as_bytes();
    let split = (1..bytes.len()).rev().find(|&i| (bytes[i] == b'+' || bytes[i] == b'-') && !matches!(bytes[i - 1], b'e' | b'E'));
    match split {
        Some(i) => {
            let (r, m) = (&body[..i], &body[i..]);
            if r.is_empty() || r.ends_with(['+', '-']) {
                return Err(malformed(vm));
            }
            let re = float(vm, r)?;
            let im = float(vm, m)?;
            Ok((re, im))
        }
        None => Ok((0.0, float(vm, body)?)),
    }
}

fn complex_conjugate(_vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let c = args[0].downcast_ref::<Complex>().unwrap();
    Ok(Value::new(Complex { re: c.re, im: -c.im }))
}
fn int_bit_length(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.as_bigint(&args[0]).unwrap_or_default();
    Ok(vm.new_int(b.abs().bits() as i64))
}
fn int_bit_count(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.as_bigint(&args[0]).unwrap_or_default();
    let n: u64 = b.abs().to_u64_digits().1.iter().map(|d| d.count_ones() as u64).sum();
    Ok(vm.new_int(n as i64))
}
fn int_conjugate(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.as_bigint(&args[0]).unwrap_or_default();
    Ok(vm.new_bigint(b))
}
fn int_as_integer_ratio(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let b = vm.as_bigint(&args[0]).unwrap_or_default();
    let v = vec![vm.new_bigint(b), vm.new_int(1)];
    Ok(vm.new_tuple(v))
}
fn int_to_bytes(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("to_bytes", &args[1..], kw, &["length", "byteorder", "signed"], 0)?;
    let b = vm.as_bigint(&args[0]).unwrap_or_default();
    let len = a[0].as_ref().and_then(|v| vm.as_i64(v)).unwrap_or(1) as usize;
    let big = a[1].as_ref().map(|v| vm.str_val(v) != "little").unwrap_or(true);
    let signed = match &a[2] {
        Some(v) => vm.is_true(v)?,
        None => false,
    };
    if b.is_negative() && !signed {
        return Err(vm.overflow_error("can't convert negative int to unsigned"));
    }
    let mut bytes = if signed { b.to_signed_bytes_le() } else { b.to_bytes_le().1 };
    if b.is_zero() {
        // Zero needs no bytes at all: (0).to_bytes(0, 'little') == b''.
        bytes = Vec::new();
    }
    if len > 1 << 34 {
        return Err(vm.memory_error());
    }
    if bytes.len() > len {
        return Err(vm.overflow_error("int too big to convert"));
    }
    let fill = if b.is_negative() { 0xff } else { 0 };
    bytes.resize(len, fill);
    if big {
        bytes.reverse();
    }
    Ok(vm.new_bytes(bytes))
}
fn int_from_bytes(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("from_bytes", &args[1..], kw, &["bytes", "byteorder", "signed"], 1)?;
    let data = vm.to_vec(a[0].as_ref().unwrap())?;
    let mut bytes: Vec<u8> = data.iter().map(|v| vm.as_i64(v).unwrap_or(0) as u8).collect();
    let big = a[1].as_ref().map(|v| vm.str_val(v) != "little").unwrap_or(true);
    let signed = match &a[2] {
        Some(v) => vm.is_true(v)?,
        None => false,
    };
    if big {
        bytes.reverse();
    }
    let b = if signed { BigInt::from_signed_bytes_le(&bytes) } else { BigInt::from_bytes_le(num_bigint::Sign::Plus, &bytes) };
    Ok(vm.new_bigint(b))
}
fn float_is_integer(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let f = vm.as_f64(&args[0]).unwrap_or(0.0);
    Ok(vm.new_bool(f.is_finite() && f.fract() == 0.0))
}
fn float_conjugate(_vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    Ok(args[0].clone())
}
fn float_int(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let f = vm.as_f64(&args[0]).unwrap_or(0.0);
    vm.float_to_int(f)
}
fn float_as_integer_ratio(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let f = vm.as_f64(&args[0]).unwrap_or(0.0);
    if !f.is_finite() {
        return Err(vm.overflow_error("cannot convert Infinity to integer ratio"));
    }
    let mut num = f;
    let mut den = BigInt::from(1);
    let mut e = 0;
    while num.fract() != 0.0 && e < 1100 {
        num *= 2.0;
        e += 1;
    }
    den <<= e as usize;
    let mut n = float_to_bigint(num);
    let g = num_integer::Integer::gcd(&n, &den);
    if !g.is_zero() {
        n /= &g;
        den /= &g;
    }
    let v = vec![vm.new_bigint(n), vm.new_bigint(den)];
    Ok(vm.new_tuple(v))
}
fn float_hex(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let f = vm.as_f64(&args[0]).unwrap_or(0.0);
    if f == 0.0 {
        return Ok(vm.new_str(if f.is_sign_negative() { "-0x0.0p+0" } else { "0x0.0p+0" }));
    }
    let bits = f.to_bits();
    let sign = if f < 0.0 { "-" } else { "" };
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mant = bits & ((1 << 52) - 1);
    let s = format!("{sign}0x1.{:013x}p{:+}", mant, exp - 1023);
    Ok(vm.new_str(s))
}
fn float_fromhex(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let s = vm.str_val(&args[1]);
    let _ = float_repr(0.0);
    match parse_hex_float(s.trim()) {
        Some(f) => Ok(vm.new_float(f)),
        None => Err(vm.value_error("invalid hexadecimal floating-point string")),
    }
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let low = s.to_ascii_lowercase();
    if low == "inf" || low == "infinity" {
        return Some(if neg { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    let s = low.strip_prefix("0x").unwrap_or(&low);
    let (mant, exp) = match s.split_once('p') {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (ip, fp) = mant.split_once('.').unwrap_or((mant, ""));
    if ip.is_empty() && fp.is_empty() {
        return None;
    }
    let mut v = 0.0f64;
    for c in ip.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in fp.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    let r = v * 2f64.powi(exp);
    Some(if neg { -r } else { r })
}
