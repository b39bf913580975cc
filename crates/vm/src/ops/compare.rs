//! Rich comparison (with reflected `__lt__`/`__gt__` pairs and identity defaults for
//! `==`), truth testing, membership.

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use num_bigint::BigInt;
use pyvm_gc::Value;
use std::cmp::Ordering;

const NAMES: [&str; 6] = ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"];
const SYMS: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];
/// The reflected operator of each comparison.
const SWAPPED: [u32; 6] = [4, 5, 2, 3, 0, 1];

fn ord_result(o: Ordering, op: u32) -> bool {
    match op {
        0 => o == Ordering::Less,
        1 => o != Ordering::Greater,
        2 => o == Ordering::Equal,
        3 => o != Ordering::Equal,
        4 => o == Ordering::Greater,
        _ => o != Ordering::Less,
    }
}

impl Vm {
    /// `a <op> b` as a truth value: built-in operands settle it without making a bool
    /// object; anything else goes through `rich_compare` and truth testing.
    pub fn compare_bool(&mut self, a: &Value, b: &Value, op: u32) -> PyResult<bool> {
        if let Some(r) = self.builtin_compare(a, b, op)? {
            return Ok(r);
        }
        let r = self.rich_compare(a, b, op)?;
        self.is_true(&r)
    }

    pub fn rich_compare(&mut self, a: &Value, b: &Value, op: u32) -> PyResult<Value> {
        if let Some(r) = self.builtin_compare(a, b, op)? {
            return Ok(self.new_bool(r));
        }
        let ta = self.type_of(a);
        let tb = self.type_of(b);
        let n = self.intern(NAMES[op as usize]);
        let rn = self.intern(NAMES[SWAPPED[op as usize] as usize]);
        let fa = self.lookup_mro(&ta, &n).filter(|f| !f.is::<BuiltinFn>());
        let fb = self.lookup_mro(&tb, &rn).filter(|f| !f.is::<BuiltinFn>());
        if let Some(fb) = &fb {
            if !ta.ptr_eq(&tb) && self.is_subtype(&tb, &ta) {
                let r = self.call_method_value(fb, b, &[a.clone()])?;
                if !r.ptr_eq(&self.not_implemented) {
                    return Ok(r);
                }
            }
        }
        if let Some(fa) = fa {
            let r = self.call_method_value(&fa, a, &[b.clone()])?;
            if !r.ptr_eq(&self.not_implemented) {
                return Ok(r);
            }
        }
        if let Some(fb) = fb {
            let r = self.call_method_value(&fb, b, &[a.clone()])?;
            if !r.ptr_eq(&self.not_implemented) {
                return Ok(r);
            }
        }
        // __ne__ defaults to the inverse of __eq__.
        if op == 3 {
            let eq = self.intern_static("__eq__");
            if let Some(f) = self.lookup_mro(&ta, &eq).filter(|f| !f.is::<BuiltinFn>()) {
                let r = self.call_method_value(&f, a, &[b.clone()])?;
                if !r.ptr_eq(&self.not_implemented) {
                    let t = self.is_true(&r)?;
                    return Ok(self.new_bool(!t));
                }
            }
        }
        let ua = self.unwrap_base(a);
        let ub = self.unwrap_base(b);
        if !ua.ptr_eq(a) || !ub.ptr_eq(b) {
            if let Some(r) = self.builtin_compare(&ua, &ub, op)? {
                return Ok(self.new_bool(r));
            }
        }
        match op {
            2 => Ok(self.new_bool(a.ptr_eq(b))),
            3 => Ok(self.new_bool(!a.ptr_eq(b))),
            _ => {
                let (x, y) = (self.type_name(a), self.type_name(b));
                let s = SYMS[op as usize];
                Err(self.type_error(format!("'{s}' not supported between instances of '{x}' and '{y}'")))
            }
        }
    }

    /// Comparisons among built-in types; `None` when not applicable.
    pub(crate) fn builtin_compare(&mut self, a: &Value, b: &Value, op: u32) -> PyResult<Option<bool>> {
        if a.is::<Instance>() || b.is::<Instance>() {
            return Ok(None);
        }
        // Weak references compare their referents while both are alive, else identity.
        if (op == 2 || op == 3) && a.is::<WeakRef>() && b.is::<WeakRef>() {
            let same = match (self.weakref_target(a), self.weakref_target(b)) {
                (Some(x), Some(y)) => self.eq(&x, &y)?,
                _ => a.ptr_eq(b),
            };
            return Ok(Some(same == (op == 2)));
        }
        let (ka, kb) = (kind_of(a), kind_of(b));
        let numeric = |k: u32| matches!(k, kind::INT | kind::BOOL | kind::FLOAT);
        if numeric(ka) && numeric(kb) {
            if ka == kind::FLOAT || kb == kind::FLOAT {
                // An int and a float compare exactly, as CPython's float_richcompare does
                // (no rounding of the int: 2**53 + 1 > 2.0**53, 10**400 < inf).
                if ka != kind::FLOAT || kb != kind::FLOAT {
                    let (bi, f, flip) = if ka == kind::FLOAT {
                        (self.as_bigint(b).unwrap(), self.as_f64(a).unwrap_or(0.0), true)
                    } else {
                        (self.as_bigint(a).unwrap(), self.as_f64(b).unwrap_or(0.0), false)
                    };
                    if f.is_nan() {
                        return Ok(Some(op == 3));
                    }
                    // The ordering of the int against the float.
                    let o = if f.is_infinite() {
                        if f > 0.0 { Ordering::Less } else { Ordering::Greater }
                    } else {
                        use num_traits::FromPrimitive;
                        let fl = f.floor();
                        match bi.cmp(&BigInt::from_f64(fl).unwrap_or_default()) {
                            Ordering::Equal if f > fl => Ordering::Less,
                            o => o,
                        }
                    };
                    let o = if flip { o.reverse() } else { o };
                    return Ok(Some(ord_result(o, op)));
                }
                let (x, y) = (self.as_f64(a).unwrap_or(0.0), self.as_f64(b).unwrap_or(0.0));
                return Ok(Some(match x.partial_cmp(&y) {
                    Some(o) => ord_result(o, op),
                    None => op == 3,
                }));
            }
            if let (Some(x), Some(y)) = (a.as_int(), b.as_int()) {
                return Ok(Some(ord_result(x.cmp(&y), op)));
            }
            let (x, y) = (self.as_bigint(a).unwrap(), self.as_bigint(b).unwrap());
            return Ok(Some(ord_result(x.cmp(&y), op)));
        }
        if ka == kind::COMPLEX || kb == kind::COMPLEX {
            if op == 2 || op == 3 {
                let ca = self.as_complex(a);
                let cb = self.as_complex(b);
                if let (Some(x), Some(y)) = (ca, cb) {
                    return Ok(Some((x == y) == (op == 2)));
                }
            }
            return Ok(None);
        }
        if (ka == kind::BYTES || ka == kind::BYTEARRAY) && (kb == kind::BYTES || kb == kind::BYTEARRAY) {
            let (x, y) = (crate::methods::bytes_of(a).unwrap_or_default(), crate::methods::bytes_of(b).unwrap_or_default());
            return Ok(Some(ord_result(x.cmp(&y), op)));
        }
        // Keys and items views compare as sets, with each other and with sets.
        if (ka == kind::DICTVIEW || kb == kind::DICTVIEW) && is_set_like(a) && is_set_like(b) {
            let sa = self.as_frozen_set(a)?;
            let sb = self.as_frozen_set(b)?;
            return self.builtin_compare(&sa, &sb, op);
        }
        if ka != kb {
            return Ok(None);
        }
        match ka {
            kind::STR => {
                let (x, y) = (a.downcast_ref::<Str>().unwrap(), b.downcast_ref::<Str>().unwrap());
                Ok(Some(ord_result(x.s.cmp(&y.s), op)))
            }
            kind::BYTES => {
                let (x, y) = (a.downcast_ref::<Bytes>().unwrap(), b.downcast_ref::<Bytes>().unwrap());
                Ok(Some(ord_result(x.0.cmp(&y.0), op)))
            }
            kind::LIST | kind::TUPLE => {
                let xa = self.to_vec(a)?;
                let xb = self.to_vec(b)?;
                if (op == 2 || op == 3) && xa.len() != xb.len() {
                    return Ok(Some(op == 3));
                }
                for (x, y) in xa.iter().zip(xb.iter()) {
                    if x.ptr_eq(y) {
                        continue;
                    }
                    if !self.eq(x, y)? {
                        if op == 2 {
                            return Ok(Some(false));
                        }
                        if op == 3 {
                            return Ok(Some(true));
                        }
                        let r = self.rich_compare(x, y, op)?;
                        return Ok(Some(self.is_true(&r)?));
                    }
                }
                Ok(Some(ord_result(xa.len().cmp(&xb.len()), op)))
            }
            kind::DICT => {
                if op != 2 && op != 3 {
                    return Ok(None);
                }
                let (da, db) = (a.downcast_ref::<Dict>().unwrap(), b.downcast_ref::<Dict>().unwrap());
                if da.len() != db.len() {
                    return Ok(Some(op == 3));
                }
                for (k, v) in da.items() {
                    match self.dict_get(b, &k)? {
                        Some(v2) => {
                            if !self.eq(&v, &v2)? {
                                return Ok(Some(op == 3));
                            }
                        }
                        None => return Ok(Some(op == 3)),
                    }
                }
                Ok(Some(op == 2))
            }
            kind::SET => {
                let (la, lb) = (a.downcast_ref::<Set>().unwrap().len(), b.downcast_ref::<Set>().unwrap().len());
                let a_in_b = {
                    let mut ok = true;
                    for v in self.to_vec(a)? {
                        if !self.set_contains(b, &v)? {
                            ok = false;
                            break;
                        }
                    }
                    ok
                };
                let b_in_a = {
                    let mut ok = true;
                    for v in self.to_vec(b)? {
                        if !self.set_contains(a, &v)? {
                            ok = false;
                            break;
                        }
                    }
                    ok
                };
                Ok(Some(match op {
                    0 => a_in_b && la < lb,
                    1 => a_in_b,
                    2 => a_in_b && la == lb,
                    3 => !(a_in_b && la == lb),
                    4 => b_in_a && la > lb,
                    _ => b_in_a,
                }))
            }
            kind::RANGE => {
                if op != 2 && op != 3 {
                    return Ok(None);
                }
                let xa = self.to_vec(a)?;
                let xb = self.to_vec(b)?;
                let same = xa.len() == xb.len() && xa.iter().zip(xb.iter()).all(|(x, y)| x.as_int() == y.as_int());
                Ok(Some(same == (op == 2)))
            }
            kind::METHOD => {
                if op != 2 && op != 3 {
                    return Ok(None);
                }
                let (x, y) = (a.downcast_ref::<Method>().unwrap(), b.downcast_ref::<Method>().unwrap());
                let same = x.func.ptr_eq(&y.func) && x.self_.ptr_eq(&y.self_);
                Ok(Some(same == (op == 2)))
            }
            kind::BUILTIN => {
                if op != 2 && op != 3 {
                    return Ok(None);
                }
                let (x, y) = (a.downcast_ref::<BuiltinFn>().unwrap(), b.downcast_ref::<BuiltinFn>().unwrap());
                let same = a.ptr_eq(b) || (x.f as usize == y.f as usize && x.name == y.name && match (&x.self_, &y.self_) {
                    (Some(p), Some(q)) => p.ptr_eq(q),
                    (None, None) => true,
                    _ => false,
                });
                Ok(Some(same == (op == 2)))
            }
            kind::NONE | kind::ELLIPSIS | kind::NOTIMPLEMENTED => {
                if op == 2 || op == 3 {
                    Ok(Some(a.ptr_eq(b) == (op == 2)))
                } else {
                    Ok(None)
                }
            }
            _ => Ok(None),
        }
    }

    pub fn as_complex(&self, v: &Value) -> Option<(f64, f64)> {
        if let Some(c) = v.downcast_ref::<Complex>() {
            return Some((c.re, c.im));
        }
        self.as_f64(v).map(|f| (f, 0.0))
    }

    /// Truth value (`bool(v)`).
    pub fn is_true(&mut self, v: &Value) -> PyResult<bool> {
        if let Some(i) = v.as_int() {
            return Ok(i != 0);
        }
        match kind_of(v) {
            kind::BOOL => Ok(v.downcast_ref::<Bool>().unwrap().0),
            kind::NONE => Ok(false),
            kind::FLOAT => Ok(v.downcast_ref::<Float>().unwrap().0 != 0.0),
            kind::INT => Ok(true),
            kind::STR => Ok(!v.downcast_ref::<Str>().unwrap().s.is_empty()),
            kind::LIST => Ok(!v.downcast_ref::<List>().unwrap().is_empty()),
            kind::TUPLE => Ok(!v.downcast_ref::<Tuple>().unwrap().0.is_empty()),
            kind::DICT => Ok(!v.downcast_ref::<Dict>().unwrap().is_empty()),
            kind::BYTEARRAY => Ok(!v.downcast_ref::<ByteArray>().unwrap().0.borrow().is_empty()),
            kind::SET => Ok(!v.downcast_ref::<Set>().unwrap().is_empty()),
            kind::BYTES => Ok(!v.downcast_ref::<Bytes>().unwrap().0.is_empty()),
            kind::COMPLEX => {
                let c = v.downcast_ref::<Complex>().unwrap();
                Ok(c.re != 0.0 || c.im != 0.0)
            }
            kind::RANGE => Ok(self.len(v)? > 0),
            kind::INSTANCE => {
                if let Some(r) = self.call_special(v, "__bool__", &[])? {
                    return match r.downcast_ref::<Bool>() {
                        Some(b) => Ok(b.0),
                        None => {
                            let tn = self.type_name(&r);
                            Err(self.type_error(format!("__bool__ should return bool, returned {tn}")))
                        }
                    };
                }
                if let Some(r) = self.call_special(v, "__len__", &[])? {
                    let n = self.as_i64(&r).unwrap_or(0);
                    if n < 0 {
                        return Err(self.value_error("__len__() should return >= 0"));
                    }
                    return Ok(n != 0);
                }
                let b = self.unwrap_base(v);
                if !b.ptr_eq(v) {
                    return self.is_true(&b);
                }
                Ok(true)
            }
            kind::DICTVIEW => Ok(self.len(v)? > 0),
            _ => Ok(true),
        }
    }

    /// `item in container`.
    pub fn contains(&mut self, container: &Value, item: &Value) -> PyResult<bool> {
        match kind_of(container) {
            kind::STR => {
                let Some(s) = item.downcast_ref::<Str>() else {
                    let tn = self.type_name(item);
                    return Err(self.type_error(format!("'in <string>' requires string as left operand, not {tn}")));
                };
                Ok(container.downcast_ref::<Str>().unwrap().s.contains(&*s.s))
            }
            kind::BYTES | kind::BYTEARRAY => {
                let hay = crate::methods::bytes_of(container).unwrap_or_default();
                if !item.is::<Float>() {
                    if let Some(i) = self.as_i64(item) {
                        if !(0..256).contains(&i) {
                            return Err(self.value_error("byte must be in range(0, 256)"));
                        }
                        return Ok(hay.contains(&(i as u8)));
                    }
                }
                let Some(needle) = crate::methods::bytes_of(item) else {
                    let tn = self.type_name(item);
                    return Err(self.type_error(format!("a bytes-like object is required, not '{tn}'")));
                };
                Ok(needle.is_empty() || hay.windows(needle.len()).any(|w| w == &needle[..]))
            }
            kind::DICT => Ok(self.dict_get(container, item)?.is_some()),
            kind::SET => self.set_contains(container, item),
            kind::BIGRANGE => {
                let r = container.downcast_ref::<BigRange>().unwrap();
                let Some(i) = self.as_bigint(item).filter(|_| !item.is::<Float>()) else { return Ok(false) };
                let zero = num_bigint::BigInt::from(0);
                let inside = if r.step > zero { i >= r.start && i < r.stop } else { i <= r.start && i > r.stop };
                use num_integer::Integer;
                Ok(inside && (&i - &r.start).mod_floor(&r.step) == zero)
            }
            kind::RANGE => {
                let r = container.downcast_ref::<Range>().unwrap();
                match item.as_int() {
                    Some(i) if !item.is::<Float>() => {
                        let (start, stop, step) = (r.start, r.stop, r.step);
                        Ok(if step > 0 { i >= start && i < stop && (i - start) % step == 0 } else { i <= start && i > stop && (start - i) % (-step) == 0 })
                    }
                    _ => {
                        for v in self.to_vec(container)? {
                            if self.eq(&v, item)? {
                                return Ok(true);
                            }
                        }
                        Ok(false)
                    }
                }
            }
            kind::LIST | kind::TUPLE => {
                let items = self.to_vec(container)?;
                for v in items {
                    if v.ptr_eq(item) || self.eq(&v, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            kind::DICTVIEW => {
                let dv = container.downcast_ref::<iter::DictView>().unwrap();
                let d = dv.dict.clone();
                match dv.part {
                    iter::DictPart::Keys => Ok(self.dict_get(&d, item)?.is_some()),
                    _ => {
                        for v in self.to_vec(container)? {
                            if self.eq(&v, item)? {
                                return Ok(true);
                            }
                        }
                        Ok(false)
                    }
                }
            }
            _ => {
                if let Some(r) = self.call_special(container, "__contains__", &[item.clone()])? {
                    return self.is_true(&r);
                }
                let base = self.unwrap_base(container);
                if !base.ptr_eq(container) {
                    return self.contains(&base, item);
                }
                let it = match self.get_iter(container) {
                    Ok(it) => it,
                    Err(e) if self.err_is(&e, "TypeError") => {
                        let tn = self.type_name(container);
                        return Err(self.type_error(format!("argument of type '{tn}' is not iterable")));
                    }
                    Err(e) => return Err(e),
                };
                while let Some(v) = self.next(&it)? {
                    if v.ptr_eq(item) || self.eq(&v, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }
}

pub fn kind_of(v: &Value) -> u32 {
    if v.is_int() {
        kind::INT
    } else {
        v.kind().unwrap_or(0)
    }
}

/// A set, or a dict view that behaves as one (keys, items; not values).
pub fn is_set_like(v: &Value) -> bool {
    v.is::<Set>() || v.downcast_ref::<iter::DictView>().is_some_and(|d| !matches!(d.part, iter::DictPart::Values))
}

impl Vm {
    /// `v` as a set (itself when it is one), for set operations on dict views.
    pub fn as_frozen_set(&mut self, v: &Value) -> PyResult<Value> {
        if v.is::<Set>() {
            return Ok(v.clone());
        }
        let items = self.to_vec(v)?;
        self.new_set_from(items, true)
    }
}
