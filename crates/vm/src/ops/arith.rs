//! Binary, in-place and unary operators: numeric fast paths, sequence concatenation and
//! repetition, set algebra, then `__op__`/`__rop__` dispatch with CPython's rules (the
//! reflected method of a subclass is tried first) and error messages.

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_compiler::ast::BinOp;
use pyvm_compiler::bytecode::Opcode;
use pyvm_gc::Value;

pub fn dunder(op: BinOp) -> (&'static str, &'static str, &'static str) {
    match op {
        BinOp::Add => ("__add__", "__radd__", "__iadd__"),
        BinOp::Sub => ("__sub__", "__rsub__", "__isub__"),
        BinOp::Mult => ("__mul__", "__rmul__", "__imul__"),
        BinOp::Div => ("__truediv__", "__rtruediv__", "__itruediv__"),
        BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
        BinOp::Mod => ("__mod__", "__rmod__", "__imod__"),
        BinOp::Pow => ("__pow__", "__rpow__", "__ipow__"),
        BinOp::LShift => ("__lshift__", "__rlshift__", "__ilshift__"),
        BinOp::RShift => ("__rshift__", "__rrshift__", "__irshift__"),
        BinOp::And => ("__and__", "__rand__", "__iand__"),
        BinOp::Or => ("__or__", "__ror__", "__ior__"),
        BinOp::BitXor => ("__xor__", "__rxor__", "__ixor__"),
        BinOp::MatMult => ("__matmul__", "__rmatmul__", "__imatmul__"),
    }
}

impl Vm {
    pub fn binary_op(&mut self, a: &Value, b: &Value, op: BinOp) -> PyResult<Value> {
        if a.is::<WeakRef>() || b.is::<WeakRef>() {
            let (x, y) = (self.deproxy(a)?, self.deproxy(b)?);
            if !x.ptr_eq(a) || !y.ptr_eq(b) {
                return self.binary_op(&x, &y, op);
            }
        }
        if let Some(r) = self.builtin_binop(a, b, op)? {
            return Ok(r);
        }
        if let Some(r) = self.dunder_binop(a, b, op)? {
            return Ok(r);
        }
        Err(self.binop_type_error(a, b, op.symbol()))
    }

    pub fn binop_type_error(&mut self, a: &Value, b: &Value, sym: &str) -> crate::vm::PyErr {
        let (ta, tb) = (self.type_name(a), self.type_name(b));
        if sym == "+" && (a.is::<Str>() || b.is::<Str>()) && a.is::<Str>() {
            return self.type_error(format!("can only concatenate str (not \"{tb}\") to str"));
        }
        if sym == "+" && a.is::<List>() {
            return self.type_error(format!("can only concatenate list (not \"{tb}\") to list"));
        }
        if sym == "+" && a.is::<Tuple>() {
            return self.type_error(format!("can only concatenate tuple (not \"{tb}\") to tuple"));
        }
        if sym == "*" && (a.is::<Str>() || a.is::<List>() || a.is::<Tuple>() || b.is::<Str>() || b.is::<List>() || b.is::<Tuple>()) {
            let other = if a.is::<Str>() || a.is::<List>() || a.is::<Tuple>() { tb } else { ta };
            return self.type_error(format!("can't multiply sequence by non-int of type '{other}'"));
        }
        if sym == "**" {
            return self.type_error(format!("unsupported operand type(s) for {sym} or pow(): '{ta}' and '{tb}'"));
        }
        self.type_error(format!("unsupported operand type(s) for {sym}: '{ta}' and '{tb}'"))
    }

    /// Operators on built-in types; `None` if not applicable.
    pub(crate) fn builtin_binop(&mut self, a: &Value, b: &Value, op: BinOp) -> PyResult<Option<Value>> {
        if a.is::<Instance>() || b.is::<Instance>() {
            return Ok(None);
        }
        if let (Some(x), Some(y)) = (a.downcast_ref::<Bool>(), b.downcast_ref::<Bool>()) {
            match op {
                BinOp::And => return Ok(Some(self.new_bool(x.0 & y.0))),
                BinOp::Or => return Ok(Some(self.new_bool(x.0 | y.0))),
                BinOp::BitXor => return Ok(Some(self.new_bool(x.0 ^ y.0))),
                _ => {}
            }
        }
        if a.is::<Complex>() || b.is::<Complex>() {
            if let (Some(x), Some(y)) = (self.as_complex(a), self.as_complex(b)) {
                return self.complex_binop(x, y, op);
            }
        }
        if let Some(r) = self.num_binop(a, b, op)? {
            return Ok(Some(r));
        }
        match (a.kind().unwrap_or(0), op) {
            (kind::STR, BinOp::Add) => {
                if let (Some(x), Some(y)) = (a.downcast_ref::<Str>(), b.downcast_ref::<Str>()) {
                    let mut s = String::with_capacity(x.s.len() + y.s.len());
                    s.push_str(&x.s);
                    s.push_str(&y.s);
                    return Ok(Some(self.new_str(s)));
                }
            }
            (kind::LIST, BinOp::Add) => {
                if let (Some(x), Some(y)) = (a.downcast_ref::<List>(), b.downcast_ref::<List>()) {
                    let mut v = x.snapshot();
                    v.extend(y.snapshot());
                    return Ok(Some(self.new_list(v)));
                }
            }
            (kind::TUPLE, BinOp::Add) => {
                if let (Some(x), Some(y)) = (a.downcast_ref::<Tuple>(), b.downcast_ref::<Tuple>()) {
                    let mut v = x.0.to_vec();
                    v.extend(y.0.iter().cloned());
                    return Ok(Some(self.new_tuple(v)));
                }
            }
            // bytes and bytearray concatenate with each other; the left operand's
            // type wins.
            (kind::BYTES | kind::BYTEARRAY, BinOp::Add) if matches!(b.kind(), Some(kind::BYTES | kind::BYTEARRAY)) => {
                let mut v = crate::methods::bytes_of(a).unwrap_or_default();
                v.extend(crate::methods::bytes_of(b).unwrap_or_default());
                return Ok(Some(if a.is::<ByteArray>() { Value::new(ByteArray(std::cell::RefCell::new(v))) } else { self.new_bytes(v) }));
            }
            (kind::BYTES | kind::BYTEARRAY, BinOp::Add) => {
                let (ta, tb) = (self.type_name(a), self.type_name(b));
                return Err(self.type_error(format!("can't concat {tb} to {ta}")));
            }
            (kind::STR, BinOp::Mod) => {
                let r = self.percent_format(a, b)?;
                return Ok(Some(r));
            }
            (kind::BYTES, BinOp::Mod) => {
                // printf-style formatting through a Latin-1 view of the bytes.
                let fmt: String = a.downcast_ref::<Bytes>().unwrap().0.iter().map(|&c| c as char).collect();
                let conv = |vm: &mut Vm, v: &Value| -> Value {
                    match crate::methods::bytes_of(v) {
                        Some(bb) => vm.new_str(bb.iter().map(|&c| c as char).collect::<String>()),
                        None => v.clone(),
                    }
                };
                let args = match b.downcast_ref::<Tuple>() {
                    Some(t) => {
                        let items: Vec<Value> = t.0.to_vec().iter().map(|x| conv(self, x)).collect();
                        self.new_tuple(items)
                    }
                    None => conv(self, b),
                };
                let fv = self.new_str(fmt);
                let r = self.percent_format(&fv, &args)?;
                let out: Vec<u8> = r.downcast_ref::<Str>().unwrap().s.chars().map(|c| c as u32 as u8).collect();
                return Ok(Some(self.new_bytes(out)));
            }
            (kind::SET, BinOp::Or | BinOp::And | BinOp::Sub | BinOp::BitXor) if b.is::<Set>() => {
                return self.set_binop(a, b, op).map(Some);
            }
            // Keys and items views take any iterable on either side; the result is a set.
            (_, BinOp::Or | BinOp::And | BinOp::Sub | BinOp::BitXor)
                if crate::ops::compare::is_set_like(a) && a.is::<crate::objects::iter::DictView>()
                    || crate::ops::compare::is_set_like(b) && b.is::<crate::objects::iter::DictView>() =>
            {
                let sa = self.to_vec(a)?;
                let sa = self.new_set_from(sa, false)?;
                let sb = self.to_vec(b)?;
                let sb = self.new_set_from(sb, false)?;
                return self.set_binop(&sa, &sb, op).map(Some);
            }
            (kind::DICT, BinOp::Or) => {
                if b.is::<Dict>() {
                    let d = self.new_dict();
                    self.dict_update_from(&d, a, false)?;
                    self.dict_update_from(&d, b, false)?;
                    return Ok(Some(d));
                }
            }
            _ => {}
        }
        if op == BinOp::Mult {
            // Sequence repetition, either order.
            let (seq, n) = if self.is_int_like(b) && !b.is::<Float>() { (a, b) } else if self.is_int_like(a) && !a.is::<Float>() { (b, a) } else { return Ok(None) };
            let Some(k) = self.as_bigint(n) else { return Ok(None) };
            use num_traits::ToPrimitive;
            let count = k.to_i64().unwrap_or(if k.sign() == num_bigint::Sign::Minus { 0 } else { i64::MAX }).max(0) as usize;
            match seq.kind().unwrap_or(0) {
                kind::STR => {
                    let s = seq.downcast_ref::<Str>().unwrap();
                    self.check_room(s.s.len().saturating_mul(count))?;
                    return Ok(Some(self.new_str(s.s.repeat(count))));
                }
                kind::LIST | kind::TUPLE => {
                    let items = if let Some(l) = seq.downcast_ref::<List>() { l.snapshot() } else { seq.downcast_ref::<Tuple>().unwrap().0.to_vec() };
                    self.check_room(items.len().saturating_mul(count).saturating_mul(8))?;
                    let mut v = Vec::new();
                    if v.try_reserve(items.len() * count).is_err() {
                        return Err(self.memory_error());
                    }
                    for _ in 0..count {
                        v.extend(items.iter().cloned());
                    }
                    return Ok(Some(if seq.is::<List>() { self.new_list(v) } else { self.new_tuple(v) }));
                }
                kind::BYTES => {
                    let b = &seq.downcast_ref::<Bytes>().unwrap().0;
                    self.check_room(b.len().saturating_mul(count))?;
                    return Ok(Some(self.new_bytes(b.repeat(count))));
                }
                kind::BYTEARRAY => {
                    let b = seq.downcast_ref::<ByteArray>().unwrap().0.borrow().clone();
                    self.check_room(b.len().saturating_mul(count))?;
                    return Ok(Some(Value::new(ByteArray(std::cell::RefCell::new(b.repeat(count))))));
                }
                _ => {}
            }
        }
        Ok(None)
    }

    fn complex_binop(&mut self, (a, b): (f64, f64), (c, d): (f64, f64), op: BinOp) -> PyResult<Option<Value>> {
        let (re, im) = match op {
            BinOp::Add => (a + c, b + d),
            BinOp::Sub => (a - c, b - d),
            BinOp::Mult => (a * c - b * d, a * d + b * c),
            BinOp::Div => {
                let den = c * c + d * d;
                if den == 0.0 {
                    return Err(self.zero_division("complex division by zero"));
                }
                ((a * c + b * d) / den, (b * c - a * d) / den)
            }
            BinOp::Pow => {
                if a == 0.0 && b == 0.0 {
                    if d == 0.0 && c >= 0.0 {
                        (if c == 0.0 { 1.0 } else { 0.0 }, 0.0)
                    } else {
                        return Err(self.zero_division("0.0 to a negative or complex power"));
                    }
                } else if d == 0.0 && c.fract() == 0.0 && c.abs() < 100.0 {
                    // Integer powers by repeated multiplication, as CPython does.
                    let n = c as i64;
                    let (mut rr, mut ri) = (1.0f64, 0.0f64);
                    let (mut br, mut bi) = (a, b);
                    let mut k = n.unsigned_abs();
                    while k > 0 {
                        if k & 1 == 1 {
                            let t = rr * br - ri * bi;
                            ri = rr * bi + ri * br;
                            rr = t;
                        }
                        let t = br * br - bi * bi;
                        bi = 2.0 * br * bi;
                        br = t;
                        k >>= 1;
                    }
                    if n < 0 {
                        let den = rr * rr + ri * ri;
                        (rr / den, -ri / den)
                    } else {
                        (rr, ri)
                    }
                } else {
                    let r = a.hypot(b);
                    let th = b.atan2(a);
                    let lr = r.ln();
                    let nr = (c * lr - d * th).exp();
                    let nt = d * lr + c * th;
                    (nr * nt.cos(), nr * nt.sin())
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(Value::new(Complex { re, im })))
    }

    fn set_binop(&mut self, a: &Value, b: &Value, op: BinOp) -> PyResult<Value> {
        let frozen = a.downcast_ref::<Set>().is_some_and(|s| s.frozen);
        if let (Some(sa), Some(sb)) = (a.downcast_ref::<Set>(), b.downcast_ref::<Set>()) {
            // Both operands are sets: their entries carry their hashes, so nothing is
            // hashed again. (Snapshots: an `__eq__` run by a lookup may mutate them.)
            let out = Value::new(Set::new(frozen));
            if op == BinOp::And {
                // CPython's set_intersection walks the smaller set (the right one when
                // the sizes are equal) and keeps its keys.
                let (walk, probe) = if sb.len() > sa.len() { (sa, b) } else { (sb, a) };
                let walk = walk.table.borrow().entries();
                for (h, v) in walk {
                    if self.set_find(probe, &v, h)?.is_some() {
                        self.set_add_hashed(&out, v, h)?;
                    }
                }
                return Ok(out);
            }
            let ea = sa.table.borrow().entries();
            // (a - b never walks b.)
            let eb = if op == BinOp::Sub { Vec::new() } else { sb.table.borrow().entries() };
            match op {
                BinOp::Or => {
                    for (h, v) in ea.into_iter().chain(eb) {
                        self.set_add_hashed(&out, v, h)?;
                    }
                }
                _ => {
                    // a - b, and for ^ then b - a.
                    for (h, v) in ea {
                        if self.set_find(b, &v, h)?.is_none() {
                            self.set_add_hashed(&out, v, h)?;
                        }
                    }
                    if op == BinOp::Sub {
                        return Ok(out);
                    }
                    for (h, v) in eb {
                        if self.set_find(a, &v, h)?.is_none() {
                            self.set_add_hashed(&out, v, h)?;
                        }
                    }
                }
            }
            return Ok(out);
        }
        let xa = self.to_vec(a)?;
        let xb = self.to_vec(b)?;
        let out = Value::new(Set::new(frozen));
        match op {
            BinOp::Or => {
                for v in xa.into_iter().chain(xb) {
                    self.set_add(&out, v)?;
                }
            }
            BinOp::And => {
                for v in xa {
                    if self.set_contains(b, &v)? {
                        self.set_add(&out, v)?;
                    }
                }
            }
            BinOp::Sub => {
                for v in xa {
                    if !self.set_contains(b, &v)? {
                        self.set_add(&out, v)?;
                    }
                }
            }
            _ => {
                for v in xa {
                    if !self.set_contains(b, &v)? {
                        self.set_add(&out, v)?;
                    }
                }
                for v in xb {
                    if !self.set_contains(a, &v)? {
                        self.set_add(&out, v)?;
                    }
                }
            }
        }
        Ok(out)
    }

    /// `__op__` / `__rop__` dispatch.
    fn dunder_binop(&mut self, a: &Value, b: &Value, op: BinOp) -> PyResult<Option<Value>> {
        let (name, rname, _) = dunder(op);
        let ta = self.type_of(a);
        let tb = self.type_of(b);
        let n = self.intern(name);
        let rn = self.intern(rname);
        let fa = self.lookup_mro(&ta, &n);
        let fb = if ta.ptr_eq(&tb) { None } else { self.lookup_mro(&tb, &rn) };
        // A subclass's reflected method wins.
        if let Some(fb) = &fb {
            if self.is_subtype(&tb, &ta) && !tb.ptr_eq(&ta) {
                let r = self.call_method_value(fb, b, &[a.clone()])?;
                if !r.ptr_eq(&self.not_implemented) {
                    return Ok(Some(r));
                }
            }
        }
        if let Some(fa) = fa {
            let r = self.call_method_value(&fa, a, &[b.clone()])?;
            if !r.ptr_eq(&self.not_implemented) {
                return Ok(Some(r));
            }
        }
        if let Some(fb) = fb {
            let r = self.call_method_value(&fb, b, &[a.clone()])?;
            if !r.ptr_eq(&self.not_implemented) {
                return Ok(Some(r));
            }
        }
        // Subclasses of built-ins: operate on the underlying value.
        let ua = self.unwrap_base(a);
        let ub = self.unwrap_base(b);
        if !ua.ptr_eq(a) || !ub.ptr_eq(b) {
            if let Some(r) = self.builtin_binop(&ua, &ub, op)? {
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    /// The built-in value inside an instance of a subclass of a built-in type.
    pub fn unwrap_base(&self, v: &Value) -> Value {
        if let Some(i) = v.downcast_ref::<Instance>() {
            if let Some(b) = i.base_value() {
                return b;
            }
        }
        v.clone()
    }

    pub fn inplace_op(&mut self, a: &Value, b: &Value, op: BinOp) -> PyResult<Value> {
        // bytearray += bytes-like extends in place.
        if op == BinOp::Add {
            if let Some(ba) = a.downcast_ref::<ByteArray>() {
                if let Some(more) = crate::methods::bytes_of(b) {
                    ba.0.borrow_mut().extend(more);
                    return Ok(a.clone());
                }
            }
        }
        // list += iterable extends in place.
        if op == BinOp::Add {
            if let Some(l) = a.downcast_ref::<List>() {
                if b.ptr_eq(a) {
                    let items = self.to_vec(b)?;
                    l.items.borrow_mut().extend(items);
                } else {
                    self.for_each(b, |_, x| {
                        l.items.borrow_mut().push(x);
                        Ok(())
                    })?;
                }
                return Ok(a.clone());
            }
        }
        if op == BinOp::Mult {
            if let (Some(l), Some(n)) = (a.downcast_ref::<List>(), self.as_i64(b)) {
                let items = l.snapshot();
                let mut v = Vec::new();
                for _ in 0..n.max(0) {
                    v.extend(items.iter().cloned());
                }
                *l.items.borrow_mut() = v;
                return Ok(a.clone());
            }
        }
        if let Some(s) = a.downcast_ref::<Set>() {
            if !s.frozen && b.is::<Set>() && matches!(op, BinOp::Or | BinOp::And | BinOp::Sub | BinOp::BitXor) {
                let r = self.set_binop(a, b, op)?;
                let items = r.downcast_ref::<Set>().unwrap().items();
                let old = s.table.borrow_mut().clear();
                drop(old);
                for it in items {
                    self.set_add(a, it)?;
                }
                return Ok(a.clone());
            }
        }
        if op == BinOp::Or {
            if a.is::<Dict>() {
                self.dict_update_from(a, b, false)?;
                return Ok(a.clone());
            }
        }
        if a.is::<Instance>() {
            let (_, _, iname) = dunder(op);
            if let Some(r) = self.call_special(a, iname, &[b.clone()])? {
                if !r.ptr_eq(&self.not_implemented) {
                    return Ok(r);
                }
            }
        }
        if let Some(r) = self.builtin_binop(a, b, op)? {
            return Ok(r);
        }
        if let Some(r) = self.dunder_binop(a, b, op)? {
            return Ok(r);
        }
        Err(self.binop_type_error(a, b, op.inplace_symbol()))
    }

    pub fn unary_op(&mut self, v: &Value, op: Opcode) -> PyResult<Value> {
        use num_bigint::BigInt;
        if let Some(i) = v.as_int() {
            return Ok(match op {
                Opcode::UNARY_NEGATIVE => match i.checked_neg() {
                    Some(n) => self.new_int(n),
                    None => self.new_bigint(-BigInt::from(i)),
                },
                Opcode::UNARY_POSITIVE => v.clone(),
                _ => self.new_int(!i),
            });
        }
        if let Some(f) = v.downcast_ref::<Float>() {
            match op {
                Opcode::UNARY_NEGATIVE => return Ok(self.new_float(-f.0)),
                Opcode::UNARY_POSITIVE => return Ok(v.clone()),
                _ => {}
            }
        }
        if let Some(c) = v.downcast_ref::<Complex>() {
            match op {
                Opcode::UNARY_NEGATIVE => return Ok(Value::new(Complex { re: -c.re, im: -c.im })),
                Opcode::UNARY_POSITIVE => return Ok(v.clone()),
                _ => {}
            }
        }
        if !v.is::<Instance>() {
            if let Some(b) = self.as_bigint(v) {
                return Ok(match op {
                    Opcode::UNARY_NEGATIVE => self.new_bigint(-b),
                    Opcode::UNARY_POSITIVE => self.new_bigint(b),
                    _ => self.new_bigint(-b - 1),
                });
            }
        }
        let (name, sym) = match op {
            Opcode::UNARY_NEGATIVE => ("__neg__", "-"),
            Opcode::UNARY_POSITIVE => ("__pos__", "+"),
            _ => ("__invert__", "~"),
        };
        if let Some(r) = self.call_special(v, name, &[])? {
            return Ok(r);
        }
        let base = self.unwrap_base(v);
        if !base.ptr_eq(v) {
            return self.unary_op(&base, op);
        }
        let tn = self.type_name(v);
        Err(self.type_error(format!("bad operand type for unary {sym}: '{tn}'")))
    }
}
