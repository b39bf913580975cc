//! Subscription (`obj[key]`, slices), item assignment and deletion, `len`, unpacking.

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

impl Vm {
    pub fn len(&mut self, v: &Value) -> PyResult<usize> {
        if v.is::<WeakRef>() {
            let t = self.deproxy(v)?;
            if !t.ptr_eq(v) {
                return self.len(&t);
            }
        }
        Ok(match v.kind().unwrap_or(0) {
            kind::STR => v.downcast_ref::<Str>().unwrap().nchars,
            kind::LIST => v.downcast_ref::<List>().unwrap().len(),
            kind::TUPLE => v.downcast_ref::<Tuple>().unwrap().0.len(),
            kind::DICT => v.downcast_ref::<Dict>().unwrap().len(),
            kind::SET => v.downcast_ref::<Set>().unwrap().len(),
            kind::BYTES => v.downcast_ref::<Bytes>().unwrap().0.len(),
            kind::BYTEARRAY => v.downcast_ref::<ByteArray>().unwrap().0.borrow().len(),
            kind::RANGE => {
                let r = v.downcast_ref::<Range>().unwrap();
                let n = range_len_wide(r.start, r.stop, r.step);
                if n > isize::MAX as i128 {
                    return Err(self.overflow_error("Python int too large to convert to C ssize_t"));
                }
                n as usize
            }
            kind::DICTVIEW => v.downcast_ref::<iter::DictView>().unwrap().dict.downcast_ref::<Dict>().map_or(0, |d| d.len()),
            kind::BIGRANGE => {
                use num_traits::ToPrimitive;
                match big_range_len(v.downcast_ref::<BigRange>().unwrap()).to_usize() {
                    Some(n) if n <= isize::MAX as usize => n,
                    _ => return Err(self.overflow_error("Python int too large to convert to C ssize_t")),
                }
            }
            _ => {
                if let Some(r) = self.call_special(v, "__len__", &[])? {
                    let Some(n) = self.as_i64(&r) else {
                        let tn = self.type_name(&r);
                        return Err(self.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
                    };
                    if n < 0 {
                        return Err(self.value_error("__len__() should return >= 0"));
                    }
                    return Ok(n as usize);
                }
                let b = self.unwrap_base(v);
                if !b.ptr_eq(v) {
                    return self.len(&b);
                }
                let tn = self.type_name(v);
                return Err(self.type_error(format!("object of type '{tn}' has no len()")));
            }
        })
    }

    /// Normalise an index for a sequence of length `len` (IndexError message for `what`).
    pub fn seq_index(&mut self, key: &Value, len: usize, what: &str) -> PyResult<usize> {
        let Some(i) = self.index_value(key)? else {
            let tn = self.type_name(key);
            return Err(self.type_error(format!("{what} indices must be integers or slices, not {tn}")));
        };
        let i = if i < 0 { i + len as i64 } else { i };
        if i < 0 || i >= len as i64 {
            return Err(self.index_error(format!("{what} index out of range")));
        }
        Ok(i as usize)
    }

    /// `operator.index(v)` as i64 (None for non-integers); huge ints saturate.
    pub fn index_value(&mut self, v: &Value) -> PyResult<Option<i64>> {
        if let Some(i) = v.as_int() {
            return Ok(Some(i));
        }
        if v.is::<Float>() {
            return Ok(None);
        }
        if let Some(b) = self.as_bigint(v) {
            use num_traits::ToPrimitive;
            return Ok(Some(b.to_i64().unwrap_or(if b.sign() == num_bigint::Sign::Minus { i64::MIN } else { i64::MAX })));
        }
        if v.is::<Instance>() {
            if let Some(r) = self.call_special(v, "__index__", &[])? {
                return Ok(self.as_i64(&r));
            }
        }
        Ok(None)
    }

    /// `slice.indices(len)`: (start, stop, step) clamped as CPython does.
    pub fn slice_indices(&mut self, s: &Slice, len: usize) -> PyResult<(i64, i64, i64)> {
        let len = len as i64;
        let step = if self.is_none(&s.step) {
            1
        } else {
            match self.index_value(&s.step)? {
                Some(0) => return Err(self.value_error("slice step cannot be zero")),
                Some(v) => v,
                None => return Err(self.type_error("slice indices must be integers or None or have an __index__ method")),
            }
        };
        let get = |vm: &mut Vm, v: &Value, default: i64| -> PyResult<i64> {
            if vm.is_none(v) {
                return Ok(default);
            }
            let Some(mut i) = vm.index_value(v)? else {
                return Err(vm.type_error("slice indices must be integers or None or have an __index__ method"));
            };
            if i < 0 {
                i += len;
                if i < 0 {
                    i = if step < 0 { -1 } else { 0 };
                }
            } else if i >= len {
                i = if step < 0 { len - 1 } else { len };
            }
            Ok(i)
        };
        let start = get(self, &s.start, if step < 0 { len - 1 } else { 0 })?;
        let stop = get(self, &s.stop, if step < 0 { -1 } else { len })?;
        Ok((start, stop, step))
    }

    fn slice_positions(&mut self, s: &Slice, len: usize) -> PyResult<Vec<usize>> {
        let (start, stop, step) = self.slice_indices(s, len)?;
        let mut out = Vec::new();
        let mut i = start;
        if step > 0 {
            while i < stop {
                out.push(i as usize);
                i += step;
            }
        } else {
            while i > stop {
                out.push(i as usize);
                i += step;
            }
        }
        Ok(out)
    }

    pub fn getitem(&mut self, obj: &Value, key: &Value) -> PyResult<Value> {
        if obj.is::<WeakRef>() {
            let t = self.deproxy(obj)?;
            if !t.ptr_eq(obj) {
                return self.getitem(&t, key);
            }
        }
        match obj.kind().unwrap_or(0) {
            kind::LIST | kind::TUPLE => {
                let is_list = obj.is::<List>();
                let what = if is_list { "list" } else { "tuple" };
                if let Some(s) = key.downcast_ref::<Slice>() {
                    // Contiguous list slices copy only the slice.
                    if let Some(l) = obj.downcast_ref::<List>() {
                        let n = l.len();
                        let (a, b, c) = self.slice_indices(s, n)?;
                        // (An __index__ run by slice_indices may have resized the list.)
                        if l.len() == n {
                            let v = stepped_slice(&l.items.borrow(), a, b, c);
                            return Ok(self.new_list(v));
                        }
                    } else if let Some(t) = obj.downcast_ref::<Tuple>() {
                        let n = t.0.len();
                        let (a, b, c) = self.slice_indices(s, n)?;
                        if a == 0 && c == 1 && b >= n as i64 {
                            return Ok(obj.clone());
                        }
                        let v = stepped_slice(&t.0, a, b, c);
                        return Ok(self.new_tuple(v));
                    }
                    let items = self.to_vec(obj)?;
                    if !is_list {
                        // A full slice of a tuple is the tuple itself (CPython shares it).
                        let (a, b, c) = self.slice_indices(s, items.len())?;
                        if a == 0 && c == 1 && b >= items.len() as i64 {
                            return Ok(obj.clone());
                        }
                    }
                    let pos = self.slice_positions(s, items.len())?;
                    let v: Vec<Value> = pos.into_iter().map(|i| items[i].clone()).collect();
                    return Ok(if is_list { self.new_list(v) } else { self.new_tuple(v) });
                }
                let len = if is_list { obj.downcast_ref::<List>().unwrap().len() } else { obj.downcast_ref::<Tuple>().unwrap().0.len() };
                let i = self.seq_index(key, len, what)?;
                Ok(if is_list { obj.downcast_ref::<List>().unwrap().get(i).unwrap() } else { obj.downcast_ref::<Tuple>().unwrap().0[i].clone() })
            }
            kind::STR => {
                let s = obj.downcast_ref::<Str>().unwrap();
                if let Some(sl) = key.downcast_ref::<Slice>() {
                    let (start, stop, step) = self.slice_indices(sl, s.nchars)?;
                    if step == 1 {
                        let r = if stop > start { s.slice_chars(start as usize, stop as usize).to_string() } else { String::new() };
                        return Ok(self.new_str(r));
                    }
                    let chars: Vec<char> = s.s.chars().collect();
                    let pos = self.slice_positions(sl, chars.len())?;
                    let r: String = pos.into_iter().map(|i| chars[i]).collect();
                    return Ok(self.new_str(r));
                }
                let i = self.seq_index(key, s.nchars, "string")?;
                let c = s.char_at(i);
                Ok(self.new_str(c.to_string()))
            }
            kind::BYTES => {
                let b = obj.downcast_ref::<Bytes>().unwrap();
                if let Some(sl) = key.downcast_ref::<Slice>() {
                    let pos = self.slice_positions(sl, b.0.len())?;
                    let r: Vec<u8> = pos.into_iter().map(|i| b.0[i]).collect();
                    return Ok(self.new_bytes(r));
                }
                let i = self.seq_index(key, b.0.len(), "index")?;
                Ok(self.new_int(b.0[i] as i64))
            }
            kind::BIGRANGE => {
                let r = obj.downcast_ref::<BigRange>().unwrap();
                let n = big_range_len(r);
                let Some(mut i) = self.as_bigint(key).filter(|_| !key.is::<Float>()) else {
                    let tn = self.type_name(key);
                    return Err(self.type_error(format!("range indices must be integers or slices, not {tn}")));
                };
                if i.sign() == num_bigint::Sign::Minus {
                    i += &n;
                }
                if i.sign() == num_bigint::Sign::Minus || i >= n {
                    return Err(self.index_error("range object index out of range"));
                }
                let v = &r.start + i * &r.step;
                Ok(self.new_bigint(v))
            }
            kind::BYTEARRAY => {
                let data = obj.downcast_ref::<ByteArray>().unwrap().0.borrow().clone();
                if let Some(sl) = key.downcast_ref::<Slice>() {
                    let pos = self.slice_positions(sl, data.len())?;
                    let r: Vec<u8> = pos.into_iter().map(|i| data[i]).collect();
                    return Ok(Value::new(ByteArray(std::cell::RefCell::new(r))));
                }
                let i = self.seq_index(key, data.len(), "bytearray")?;
                Ok(self.new_int(data[i] as i64))
            }
            kind::RANGE => {
                let r = obj.downcast_ref::<Range>().unwrap();
                let (start, step) = (r.start, r.step);
                let len = range_len(r.start, r.stop, r.step) as usize;
                if let Some(sl) = key.downcast_ref::<Slice>() {
                    let (a, b, c) = self.slice_indices(sl, len)?;
                    // In 128 bits: the new stop (or step) may lie beyond i64 -- then the
                    // slice is a range of big ints, as in CPython.
                    let (s0, st) = (start as i128, step as i128);
                    let (ns, ne, nst) = (s0 + a as i128 * st, s0 + b as i128 * st, st * c as i128);
                    return Ok(match (i64::try_from(ns), i64::try_from(ne), i64::try_from(nst)) {
                        (Ok(start), Ok(stop), Ok(step)) => Value::new(Range { start, stop, step }),
                        _ => Value::new(BigRange { start: ns.into(), stop: ne.into(), step: nst.into() }),
                    });
                }
                let i = self.seq_index(key, len, "range object")?;
                // An item of the range: it fits in an i64.
                Ok(self.new_int((start as i128 + i as i128 * step as i128) as i64))
            }
            kind::DICT => match self.dict_get(obj, key)? {
                Some(v) => Ok(v),
                None => Err(self.key_error(key.clone())),
            },
            kind::TYPE => {
                // A metaclass's __getitem__ comes first (Enum's Color['RED']).
                let meta = self.type_of(obj);
                if !meta.ptr_eq(&self.types.type_) {
                    let gi = self.intern_static("__getitem__");
                    if let Some(f) = self.lookup_mro(&meta, &gi).filter(|f| f.is::<Function>()) {
                        return self.call(&f, &[obj.clone(), key.clone()], &[]);
                    }
                }
                let n = self.intern_static("__class_getitem__");
                if let Some(f) = self.lookup_mro(obj, &n) {
                    let f = match f.downcast_ref::<ClassMethod>() {
                        Some(c) => c.0.clone(),
                        None => f,
                    };
                    return self.call(&f, &[obj.clone(), key.clone()], &[]);
                }
                let tn = obj.downcast_ref::<Type>().unwrap().name.borrow().clone();
                Err(self.type_error(format!("type '{tn}' is not subscriptable")))
            }
            _ => {
                if let Some(r) = self.call_special(obj, "__getitem__", &[key.clone()])? {
                    return Ok(r);
                }
                if obj.is::<Instance>() && self.type_of(obj).downcast_ref::<Type>().is_some_and(|t| t.builtin_base == kind::DICT) {
                    let b = self.unwrap_base(obj);
                    return match self.dict_get(&b, key)? {
                        Some(v) => Ok(v),
                        None => {
                            if let Some(r) = self.call_special(obj, "__missing__", &[key.clone()])? {
                                return Ok(r);
                            }
                            Err(self.key_error(key.clone()))
                        }
                    };
                }
                let b = self.unwrap_base(obj);
                if !b.ptr_eq(obj) {
                    return self.getitem(&b, key);
                }
                let tn = self.type_name(obj);
                Err(self.type_error(format!("'{tn}' object is not subscriptable")))
            }
        }
    }

    pub fn setitem(&mut self, obj: &Value, key: Value, value: Value) -> PyResult<()> {
        match obj.kind().unwrap_or(0) {
            kind::BYTEARRAY => {
                let ba = obj.downcast_ref::<ByteArray>().unwrap();
                let n = ba.0.borrow().len();
                if let Some(s) = key.downcast_ref::<Slice>() {
                    // ba[i:j] = bytes-like (or an iterable of ints): replace the range.
                    let data = match crate::methods::bytes_of(&value) {
                        Some(d) => d,
                        None if value.is::<Str>() => return Err(self.type_error("can assign only bytes, buffers, or iterables of ints in range(0, 256)")),
                        None => {
                            let mut out = Vec::new();
                            for x in self.to_vec(&value)? {
                                match self.as_i64(&x) {
                                    Some(b) if (0..256).contains(&b) => out.push(b as u8),
                                    Some(_) => return Err(self.value_error("byte must be in range(0, 256)")),
                                    None => return Err(self.type_error("an integer is required")),
                                }
                            }
                            out
                        }
                    };
                    let (start, stop, step) = self.slice_indices(s, n)?;
                    if step == 1 {
                        let stop = stop.max(start) as usize;
                        ba.0.borrow_mut().splice(start as usize..stop, data);
                        return Ok(());
                    }
                    let pos = self.slice_positions(s, n)?;
                    if pos.len() != data.len() {
                        return Err(self.value_error(format!(
                            "attempt to assign bytes of size {} to extended slice of size {}",
                            data.len(),
                            pos.len()
                        )));
                    }
                    let mut v = ba.0.borrow_mut();
                    for (p, b) in pos.into_iter().zip(data) {
                        v[p] = b;
                    }
                    return Ok(());
                }
                let i = self.seq_index(&key, n, "bytearray")?;
                let b = match self.as_i64(&value) {
                    Some(x) if (0..256).contains(&x) => x as u8,
                    Some(_) => return Err(self.value_error("byte must be in range(0, 256)")),
                    None => return Err(self.type_error("an integer is required")),
                };
                ba.0.borrow_mut()[i] = b;
                Ok(())
            }
            kind::DICT => self.dict_set(obj, key, value),
            kind::LIST => {
                let l = obj.downcast_ref::<List>().unwrap();
                if let Some(s) = key.downcast_ref::<Slice>() {
                    // A list nobody else holds (`p[:k] = p[k::-1]`'s fresh slice) gives
                    // up its items instead of lending copies.
                    let mut new_items = match value.downcast_ref::<List>() {
                        Some(src) if value.refcnt() == 1 && !value.ptr_eq(obj) => std::mem::take(&mut *src.items.borrow_mut()),
                        _ => self.to_vec(&value)?,
                    };
                    let len = l.len();
                    let (start, stop, step) = self.slice_indices(s, len)?;
                    if step == 1 {
                        let stop = stop.max(start) as usize;
                        let start = start as usize;
                        // The old items are released after the list is let go (a
                        // `__del__` may look at it).
                        let mut old = if stop - start == new_items.len() {
                            l.items.borrow_mut()[start..stop].swap_with_slice(&mut new_items);
                            new_items
                        } else {
                            l.items.borrow_mut().splice(start..stop, new_items).collect()
                        };
                        // Last first, as CPython's list_ass_slice releases them.
                        while let Some(v) = old.pop() {
                            drop(v);
                        }
                        return Ok(());
                    }
                    let pos = self.slice_positions(s, len)?;
                    if pos.len() != new_items.len() {
                        return Err(self.value_error(format!(
                            "attempt to assign sequence of size {} to extended slice of size {}",
                            new_items.len(),
                            pos.len()
                        )));
                    }
                    let mut olds = Vec::new();
                    for (p, v) in pos.into_iter().zip(new_items) {
                        olds.push(std::mem::replace(&mut l.items.borrow_mut()[p], v));
                    }
                    drop(olds);
                    return Ok(());
                }
                let i = self.seq_index(&key, l.len(), "list assignment")?;
                let old = std::mem::replace(&mut l.items.borrow_mut()[i], value);
                drop(old);
                Ok(())
            }
            _ => {
                if self.call_special(obj, "__setitem__", &[key.clone(), value.clone()])?.is_some() {
                    return Ok(());
                }
                let b = self.unwrap_base(obj);
                if !b.ptr_eq(obj) {
                    return self.setitem(&b, key, value);
                }
                let tn = self.type_name(obj);
                Err(self.type_error(format!("'{tn}' object does not support item assignment")))
            }
        }
    }

    pub fn delitem(&mut self, obj: &Value, key: &Value) -> PyResult<()> {
        match obj.kind().unwrap_or(0) {
            kind::BYTEARRAY => {
                let ba = obj.downcast_ref::<ByteArray>().unwrap();
                let n = ba.0.borrow().len();
                if let Some(s) = key.downcast_ref::<Slice>() {
                    let mut pos = self.slice_positions(s, n)?;
                    pos.sort_unstable();
                    let mut v = ba.0.borrow_mut();
                    for p in pos.into_iter().rev() {
                        v.remove(p);
                    }
                    return Ok(());
                }
                let i = self.seq_index(key, n, "bytearray")?;
                ba.0.borrow_mut().remove(i);
                Ok(())
            }
            kind::DICT => match self.dict_remove(obj, key)? {
                Some(kv) => {
                    drop(kv);
                    Ok(())
                }
                None => Err(self.key_error(key.clone())),
            },
            kind::LIST => {
                let l = obj.downcast_ref::<List>().unwrap();
                if let Some(s) = key.downcast_ref::<Slice>() {
                    let (_, _, step) = self.slice_indices(s, l.len())?;
                    let mut pos = self.slice_positions(s, l.len())?;
                    pos.sort_unstable();
                    let mut removed = Vec::new();
                    for p in pos.into_iter().rev() {
                        removed.push(l.items.borrow_mut().remove(p));
                    }
                    // CPython releases a contiguous slice's items last first
                    // (list_ass_slice) and an extended slice's in index order.
                    if step != 1 {
                        removed.reverse();
                    }
                    drop(removed);
                    return Ok(());
                }
                let i = self.seq_index(key, l.len(), "list assignment")?;
                let old = l.items.borrow_mut().remove(i);
                drop(old);
                Ok(())
            }
            _ => {
                if self.call_special(obj, "__delitem__", &[key.clone()])?.is_some() {
                    return Ok(());
                }
                let b = self.unwrap_base(obj);
                if !b.ptr_eq(obj) {
                    return self.delitem(&b, key);
                }
                let tn = self.type_name(obj);
                Err(self.type_error(format!("'{tn}' object doesn't support item deletion")))
            }
        }
    }

    /// All items of an iterable.
    /// Run `f` on each item of `v` as it is taken: a consumer that extends a container
    /// from a generator lets the generator see the container grow, as in CPython. The
    /// built-in list, tuple, set and dict are read once up front (CPython's
    /// `PySequence_Fast` and merges take them whole too).
    pub fn for_each(&mut self, v: &Value, mut f: impl FnMut(&mut Vm, Value) -> PyResult<()>) -> PyResult<()> {
        if matches!(v.kind(), Some(kind::LIST | kind::TUPLE | kind::SET | kind::DICT)) {
            for x in self.to_vec(v)? {
                f(self, x)?;
            }
            return Ok(());
        }
        let it = self.get_iter(v)?;
        while let Some(x) = self.next(&it)? {
            f(self, x)?;
        }
        Ok(())
    }

    pub fn to_vec(&mut self, v: &Value) -> PyResult<Vec<Value>> {
        match v.kind().unwrap_or(0) {
            kind::LIST => return Ok(v.downcast_ref::<List>().unwrap().snapshot()),
            kind::TUPLE => return Ok(v.downcast_ref::<Tuple>().unwrap().0.to_vec()),
            kind::SET => return Ok(v.downcast_ref::<Set>().unwrap().items()),
            kind::DICT => return Ok(v.downcast_ref::<Dict>().unwrap().keys()),
            _ => {}
        }
        let it = self.get_iter(v)?;
        let mut out = Vec::new();
        while let Some(x) = self.next(&it)? {
            out.push(x);
        }
        Ok(out)
    }

    pub fn unpack(&mut self, seq: &Value, n: usize) -> PyResult<Vec<Value>> {
        if let Some(t) = seq.downcast_ref::<Tuple>() {
            if t.0.len() == n {
                return Ok(t.0.to_vec());
            }
        }
        let it = match self.get_iter(seq) {
            Ok(it) => it,
            Err(e) if self.err_is(&e, "TypeError") => {
                let tn = self.type_name(seq);
                return Err(self.type_error(format!("cannot unpack non-iterable {tn} object")));
            }
            Err(e) => return Err(e),
        };
        let mut out = Vec::with_capacity(n);
        while let Some(x) = self.next(&it)? {
            if out.len() == n {
                return Err(self.value_error(format!("too many values to unpack (expected {n})")));
            }
            out.push(x);
        }
        if out.len() < n {
            return Err(self.value_error(format!("not enough values to unpack (expected {n}, got {})", out.len())));
        }
        Ok(out)
    }
}

pub fn range_len(start: i64, stop: i64, step: i64) -> i64 {
    range_len_wide(start, stop, step).min(i64::MAX as i128) as i64
}

/// Number of items of a 64-bit range, computed without overflow (a range from -2**63
/// to 2**63 - 1 has more items than an i64 can count).
pub fn range_len_wide(start: i64, stop: i64, step: i64) -> i128 {
    let (start, stop, step) = (start as i128, stop as i128, step as i128);
    if step > 0 && start < stop {
        (stop - start - 1) / step + 1
    } else if step < 0 && start > stop {
        (start - stop - 1) / (-step) + 1
    } else {
        0
    }
}

/// Number of items of a big range (CPython's `compute_range_length`).
pub fn big_range_len(r: &BigRange) -> num_bigint::BigInt {
    use num_integer::Integer;
    let zero = num_bigint::BigInt::from(0);
    let one = num_bigint::BigInt::from(1);
    if r.step > zero && r.start < r.stop {
        (&r.stop - &r.start - &one).div_floor(&r.step) + one
    } else if r.step < zero && r.start > r.stop {
        (&r.start - &r.stop - &one).div_floor(&(-&r.step)) + one
    } else {
        zero
    }
}

/// The items `start, start + step, ...` short of `stop` (indices as `slice_indices`
/// gives them, within `items`), copied once into a vector of the exact length.
fn stepped_slice(items: &[Value], start: i64, stop: i64, step: i64) -> Vec<Value> {
    if step == 1 {
        return if stop > start { items[start as usize..stop as usize].to_vec() } else { Vec::new() };
    }
    // CPython's PySlice_AdjustIndices count.
    let count = if step > 0 {
        if start < stop { (stop - start - 1) / step + 1 } else { 0 }
    } else if stop < start {
        (start - stop - 1) / -step + 1
    } else {
        0
    };
    (0..count).map(|k| items[(start + k * step) as usize].clone()).collect()
}
