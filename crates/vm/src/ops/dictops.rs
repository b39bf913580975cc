//! Dict and set operations that may call back into Python (`__hash__`, `__eq__`).

use crate::objects::set::Probe;
use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

/// Key equality that needs no Python code: identity, or two built-in atoms of the same kind.
pub fn fast_eq(a: &Value, b: &Value) -> Option<bool> {
    if a.ptr_eq(b) {
        return Some(true);
    }
    if let (Some(x), Some(y)) = (a.downcast_ref::<Str>(), b.downcast_ref::<Str>()) {
        return Some(x.s == y.s);
    }
    if a.is_int() && b.is_int() {
        return Some(false);
    }
    None
}

/// The hash of a float, equal to the int's for integral values (as CPython's).
fn float_hash(f: f64) -> i64 {
    if f.fract() == 0.0 && f.abs() < 9.2e18 {
        return crate::ops::num::hash_i64(f as i64);
    }
    crate::ops::num::hash_f64(f)
}

impl Vm {
    /// The hash a `__hash__` method returned, as CPython's slot_tp_hash takes it: a
    /// result that fits in Py_hash_t is used as it is (-1 becomes -2); only a larger
    /// int is reduced by the int hash.
    fn hash_result(&mut self, r: &Value) -> PyResult<i64> {
        use num_traits::ToPrimitive;
        match self.as_bigint(r) {
            Some(b) => Ok(match b.to_i64() {
                Some(-1) => -2,
                Some(h) => h,
                None => crate::ops::num::hash_bigint(&b),
            }),
            None => Err(self.type_error("__hash__ method should return an integer")),
        }
    }

    #[inline]
    pub fn hash(&mut self, v: &Value) -> PyResult<i64> {
        // Small ints and strs (with their cached hash) without a call.
        if let Some(i) = v.as_int() {
            return Ok(crate::ops::num::hash_i64(i));
        }
        if let Some(s) = v.downcast_ref::<Str>() {
            return Ok(s.hash());
        }
        self.hash_object(v)
    }

    fn hash_object(&mut self, v: &Value) -> PyResult<i64> {
        match v.kind().unwrap_or(0) {
            kind::INT => return Ok(crate::ops::num::hash_bigint(&v.downcast_ref::<BigIntObj>().unwrap().0)),
            kind::BOOL => return Ok(v.downcast_ref::<Bool>().unwrap().0 as i64),
            kind::FLOAT => return Ok(float_hash(v.downcast_ref::<Float>().unwrap().0)),
            kind::COMPLEX => {
                // CPython: hash(real) + 1000003 * hash(imag), in unsigned arithmetic.
                let c = v.downcast_ref::<Complex>().unwrap();
                let h = (float_hash(c.re) as u64).wrapping_add(1000003u64.wrapping_mul(float_hash(c.im) as u64)) as i64;
                return Ok(if h == -1 { -2 } else { h });
            }
            kind::TYPE => {
                // A metaclass may define __hash__ for its classes.
                let meta = self.type_of(v);
                if !meta.ptr_eq(&self.types.type_) {
                    if let Some(f) = self.lookup_user(&meta, "__hash__") {
                        let r = self.call_method_value(&f, v, &[])?;
                        return self.hash_result(&r);
                    }
                }
                return Ok(id_hash(v));
            }
            kind::NONE | kind::ELLIPSIS | kind::NOTIMPLEMENTED | kind::FUNCTION | kind::BUILTIN
            | kind::MODULE | kind::CODE | kind::GENERATOR | kind::CELL => return Ok(id_hash(v)),
            kind::TUPLE => {
                let items = v.downcast_ref::<Tuple>().unwrap().0.to_vec();
                return self.hash_tuple(&items);
            }
            kind::BYTES => {
                let b = &v.downcast_ref::<Bytes>().unwrap().0;
                return Ok(crate::objects::str::bytes_hash(b));
            }
            kind::SET => {
                let s = v.downcast_ref::<Set>().unwrap();
                if s.frozen {
                    let items = s.items();
                    let mut h: u64 = 0;
                    for it in items {
                        let x = self.hash(&it)? as u64;
                        h ^= (x ^ (x << 16) ^ 89869747).wrapping_mul(3644798167);
                    }
                    return Ok((h as i64).max(-2));
                }
                return Err(self.type_error("unhashable type: 'set'"));
            }
            kind::LIST | kind::DICT => {
                let tn = self.type_name(v);
                return Err(self.type_error(format!("unhashable type: '{tn}'")));
            }
            kind::DICTVIEW if crate::ops::compare::is_set_like(v) => {
                let tn = self.type_name(v);
                return Err(self.type_error(format!("unhashable type: '{tn}'")));
            }
            _ => {}
        }
        // A weak reference hashes as its referent (remembered once computed).
        if let Some(w) = v.downcast_ref::<WeakRef>() {
            if let Some(h) = w.hash.get() {
                return Ok(h);
            }
            return match self.weakref_target(v) {
                Some(t) => {
                    let h = self.hash(&t)?;
                    w.hash.set(Some(h));
                    Ok(h)
                }
                None => Err(self.type_error("weak object has gone away")),
            };
        }
        // User-defined __hash__ (or __eq__ without __hash__ making it unhashable).
        let ty = self.type_of(v);
        let hname = self.intern_static("__hash__");
        match self.lookup_mro(&ty, &hname) {
            Some(h) if self.is_none(&h) => {
                let tn = self.type_name(v);
                Err(self.type_error(format!("unhashable type: '{tn}'")))
            }
            Some(h) if !h.is::<BuiltinFn>() => {
                let r = self.call_method_value(&h, v, &[])?;
                self.hash_result(&r)
            }
            _ => {
                if let Some(i) = v.downcast_ref::<Instance>() {
                    if let Some(b) = i.base_value() {
                        return self.hash(&b);
                    }
                }
                Ok(id_hash(v))
            }
        }
    }

    fn hash_tuple(&mut self, items: &[Value]) -> PyResult<i64> {
        // CPython 3.8+ tuple hash (xxHash-based).
        const P1: u64 = 11400714785074694791;
        const P2: u64 = 14029467366897019727;
        const P5: u64 = 2870177450012600261;
        let mut acc: u64 = P5;
        for it in items {
            let lane = self.hash(it)? as u64;
            acc = acc.wrapping_add(lane.wrapping_mul(P2));
            acc = acc.rotate_left(31);
            acc = acc.wrapping_mul(P1);
        }
        acc = acc.wrapping_add((items.len() as u64) ^ (P5 ^ 3527539));
        if acc == u64::MAX {
            return Ok(1546275796);
        }
        Ok(acc as i64)
    }

    /// Python `==` as a bool.
    pub fn eq(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if let Some(r) = fast_eq(a, b) {
            if r || !(a.is_int() && b.is_int()) {
                return Ok(r);
            }
            return Ok(false);
        }
        let r = self.rich_compare(a, b, 2)?;
        self.is_true(&r)
    }

    /// Find the entry position of `key` in dict `d`.
    pub fn dict_lookup(&mut self, d: &Value, key: &Value, hash: i64) -> PyResult<Option<usize>> {
        let dict = d.downcast_ref::<Dict>().expect("dict");
        // One probe that settles identical keys and keys compared without Python code
        // (str, small int); only a candidate needing `__eq__` takes the slow path,
        // which must not hold the table borrowed while Python code runs.
        {
            let t = dict.table.borrow();
            let mut needs_eq = false;
            let found = t.find_matching(hash, |k| match fast_eq(k, key) {
                Some(r) => r,
                None => {
                    needs_eq = true;
                    false
                }
            });
            if let Some(p) = found {
                return Ok(Some(p));
            }
            if !needs_eq {
                return Ok(None);
            }
        }
        let cands = dict.table.borrow().candidates(hash);
        for pos in cands {
            let k = match dict.table.borrow().entries.get(pos) {
                Some(Some(e)) => e.key.clone(),
                _ => continue,
            };
            let same = match fast_eq(&k, key) {
                Some(r) => r,
                None => self.eq(&k, key)?,
            };
            if same {
                return Ok(Some(pos));
            }
        }
        Ok(None)
    }

    pub fn dict_get(&mut self, d: &Value, key: &Value) -> PyResult<Option<Value>> {
        let h = self.hash(key)?;
        let dict = d.downcast_ref::<Dict>().expect("dict");
        match self.dict_lookup(d, key, h)? {
            Some(p) => Ok(dict.table.borrow().entries[p].as_ref().map(|e| e.value.clone())),
            None => Ok(None),
        }
    }

    pub fn dict_set(&mut self, d: &Value, key: Value, value: Value) -> PyResult<()> {
        self.maintain_dict_tracking(d, &key);
        self.maintain_dict_tracking(d, &value);
        let h = self.hash(&key)?;
        let pos = self.dict_lookup(d, &key, h)?;
        let dict = d.downcast_ref::<Dict>().expect("dict");
        let mut t = dict.table.borrow_mut();
        match pos {
            Some(p) => {
                if t.watched {
                    crate::objects::dict::bump_type_epoch();
                }
                if let Some(e) = t.entries[p].as_mut() {
                    let old = std::mem::replace(&mut e.value, value);
                    drop(t);
                    drop(old);
                }
            }
            None => t.insert_new(h, key, value),
        }
        Ok(())
    }

    pub fn dict_remove(&mut self, d: &Value, key: &Value) -> PyResult<Option<(Value, Value)>> {
        let h = self.hash(key)?;
        let pos = self.dict_lookup(d, key, h)?;
        let dict = d.downcast_ref::<Dict>().expect("dict");
        Ok(pos.and_then(|p| {
            let e = dict.table.borrow_mut().remove_at(p);
            e.map(|e| (e.key, e.value))
        }))
    }

    /// Lookup by a str key without running Python code (namespaces, attribute dicts).
    pub fn dict_get_str(&self, d: &Value, key: &Value) -> Option<Value> {
        let dict = d.downcast_ref::<Dict>()?;
        let ks = key.downcast_ref::<Str>()?;
        let h = ks.hash();
        let t = dict.table.borrow();
        if let Some(p) = t.find_identical(h, key) {
            return t.entries[p].as_ref().map(|e| e.value.clone());
        }
        // Equal but not identical keys: compare the text (exact str keys only, so no
        // Python `__eq__` can run and no candidate list is needed).
        t.find_str(h, &ks.s).map(|p| t.entries[p].as_ref().expect("live entry").value.clone())
    }

    pub fn dict_del_str(&self, d: &Value, key: &Value) -> Option<Value> {
        let dict = d.downcast_ref::<Dict>()?;
        let ks = key.downcast_ref::<Str>()?;
        let h = ks.hash();
        let pos = {
            let t = dict.table.borrow();
            t.candidates(h).into_iter().find(|&p| {
                t.entries[p].as_ref().is_some_and(|e| e.key.downcast_ref::<Str>().is_some_and(|k| k.s == ks.s))
            })
        }?;
        let e = dict.table.borrow_mut().remove_at(pos)?;
        Some(e.value)
    }

    /// Where `key` is (Ok) or would be inserted (Err) in set `s`.
    pub fn set_lookup(&mut self, s: &Value, key: &Value, hash: i64) -> PyResult<Result<usize, usize>> {
        self.set_search(s, key, hash, true)
    }

    /// Where `key` is in set `s`, if it is there (a lookup that will not insert).
    pub fn set_find(&mut self, s: &Value, key: &Value, hash: i64) -> PyResult<Option<usize>> {
        Ok(self.set_search(s, key, hash, false)?.ok())
    }

    fn set_search(&mut self, s: &Value, key: &Value, hash: i64, insert: bool) -> PyResult<Result<usize, usize>> {
        let set = s.downcast_ref::<Set>().expect("set");
        let mut rejected = Vec::new();
        loop {
            let probe = if insert {
                set.table.borrow().probe(hash, key, &rejected, &fast_eq)
            } else {
                set.table.borrow().find(hash, key, &rejected, &fast_eq)
            };
            match probe {
                Probe::Found(i) => return Ok(Ok(i)),
                Probe::Vacant(i) => return Ok(Err(i)),
                Probe::Compare(i) => {
                    let Some(k) = set.table.borrow().slots[i].key.clone() else {
                        continue;
                    };
                    if self.eq(&k, key)? {
                        return Ok(Ok(i));
                    }
                    rejected.push(i);
                }
            }
        }
    }

    pub fn set_add(&mut self, s: &Value, key: Value) -> PyResult<()> {
        let h = self.hash(&key)?;
        self.set_add_hashed(s, key, h)
    }

    /// `set_add` for a key whose hash is known (taken from another set's entry).
    pub fn set_add_hashed(&mut self, s: &Value, key: Value, h: i64) -> PyResult<()> {
        if let Err(vacant) = self.set_lookup(s, &key, h)? {
            let set = s.downcast_ref::<Set>().expect("set");
            set.table.borrow_mut().insert_at(vacant, h, key);
        }
        Ok(())
    }

    pub fn set_contains(&mut self, s: &Value, key: &Value) -> PyResult<bool> {
        let h = self.hash(key)?;
        Ok(self.set_find(s, key, h)?.is_some())
    }

    pub fn set_discard(&mut self, s: &Value, key: &Value) -> PyResult<bool> {
        let h = self.hash(key)?;
        match self.set_find(s, key, h)? {
            Some(i) => {
                let set = s.downcast_ref::<Set>().expect("set");
                let old = set.table.borrow_mut().remove_at(i);
                drop(old);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    pub fn new_set_from(&mut self, items: Vec<Value>, frozen: bool) -> PyResult<Value> {
        let s = Value::new(Set::new(frozen));
        for it in items {
            self.set_add(&s, it)?;
        }
        Ok(s)
    }

    /// `d.update(other)` for a mapping or an iterable of pairs; `merge` makes duplicate
    /// keys an error (`f(**a, **b)`).
    pub fn dict_update_from(&mut self, d: &Value, other: &Value, merge: bool) -> PyResult<()> {
        if let Some(od) = other.downcast_ref::<Dict>() {
            // Into an empty dict (`f(**kw)`, `dict(d)`, `{**d}`): the source's keys are
            // distinct and hashed already, so the entries are copied without lookups
            // and no Python code runs while the tables are borrowed.
            if let Some(dd) = d.downcast_ref::<Dict>().filter(|_| !d.ptr_eq(other)) {
                let mut dst = dd.table.borrow_mut();
                if dst.used == 0 && dst.entries.is_empty() {
                    let src = od.table.borrow();
                    dst.entries.reserve(src.used);
                    for e in src.iter() {
                        // An untracked dict becomes tracked when it gains a container.
                        self.maintain_dict_tracking(d, &e.key);
                        self.maintain_dict_tracking(d, &e.value);
                        dst.insert_new(e.hash, e.key.clone(), e.value.clone());
                    }
                    return Ok(());
                }
            }
            for (k, v) in od.items() {
                if merge && self.dict_get(d, &k)?.is_some() {
                    let ks = self.to_str(&k)?;
                    return Err(self.type_error(format!("got multiple values for keyword argument '{ks}'")));
                    // (DICT_MERGE prefixes the function name.)
                }
                self.dict_set(d, k, v)?;
            }
            return Ok(());
        }
        let keys_name = self.intern_static("keys");
        if let Ok(keys) = self.getattr(other, &keys_name) {
            let ks = self.call(&keys, &[], &[])?;
            for k in self.to_vec(&ks)? {
                let v = self.getitem(other, &k)?;
                self.dict_set(d, k, v)?;
            }
            return Ok(());
        }
        if merge {
            let tn = self.type_name(other);
            return Err(self.type_error(format!("argument after ** must be a mapping, not {tn}")));
        }
        // Pair by pair as they are taken (CPython's dict_merge_from_seq2).
        let mut i = 0usize;
        self.for_each(other, |vm, pair| {
            let kv = match vm.to_vec(&pair) {
                Ok(kv) => kv,
                Err(e) if vm.err_is(&e, "TypeError") => {
                    return Err(vm.type_error(format!("cannot convert dictionary update sequence element #{i} to a sequence")));
                }
                Err(e) => return Err(e),
            };
            if kv.len() != 2 {
                return Err(vm.value_error(format!(
                    "dictionary update sequence element #{i} has length {}; 2 is required",
                    kv.len()
                )));
            }
            i += 1;
            let mut it = kv.into_iter();
            let (k, v) = (it.next().unwrap(), it.next().unwrap());
            vm.dict_set(d, k, v)
        })
    }
}

/// Identity hash, as CPython's `_Py_HashPointer` (address rotated by 4 bits).
pub fn id_hash(v: &Value) -> i64 {
    let a = v.raw() as u64;
    a.rotate_right(4) as i64
}
