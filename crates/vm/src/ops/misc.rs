//! Imports of built-in modules, pattern-matching helpers, automatic collections.

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

impl Vm {
    pub fn import_module(&mut self, name: &str, _fromlist: &Value, _level: &Value) -> PyResult<Value> {
        let top = name.split('.').next().unwrap_or(name).to_string();
        let key = self.new_str(name);
        if let Some(m) = self.dict_get(&self.modules.clone(), &key)? {
            if name.contains('.') {
                let tk = self.new_str(top.as_str());
                if let Some(t) = self.dict_get(&self.modules.clone(), &tk)? {
                    return Ok(t);
                }
            }
            return Ok(m);
        }
        let Some(init) = self.native_modules.get(name).copied() else {
            return Err(self.new_exception("ModuleNotFoundError", format!("No module named '{name}'")));
        };
        let m = init(self)?;
        let modules = self.modules.clone();
        self.dict_set(&modules, key, m.clone())?;
        Ok(m)
    }

    pub fn module_name(&mut self, m: &Value) -> String {
        m.downcast_ref::<Module>().map(|m| m.name.to_string()).unwrap_or_default()
    }

    /// A new module object with `__name__` set.
    pub fn new_module(&mut self, name: &str) -> Value {
        let d = self.new_dict();
        let n = self.intern("__name__");
        let nv = self.new_str(name);
        let _ = self.dict_set(&d, n, nv);
        let doc = self.intern("__doc__");
        let none = self.none.clone();
        let _ = self.dict_set(&d, doc, none);
        Value::new(Module { name: name.into(), dict: d })
    }

    pub fn module_add(&mut self, m: &Value, name: &str, v: Value) {
        let d = m.downcast_ref::<Module>().unwrap().dict.clone();
        let k = self.intern(name);
        let _ = self.dict_set(&d, k, v);
    }

    pub fn module_add_fn(&mut self, m: &Value, name: &'static str, f: crate::vm::NativeFn) {
        let b = Value::new(BuiltinFn { name: name.into(), f, self_: None, owner: None });
        self.module_add(m, name, b);
    }

    pub fn is_mapping(&mut self, v: &Value) -> bool {
        if v.is::<Dict>() {
            return true;
        }
        if v.is::<Instance>() {
            let ty = self.type_of(v);
            if ty.downcast_ref::<Type>().is_some_and(|t| t.builtin_base == kind::DICT) {
                return true;
            }
            return self.lookup_user(&ty, "keys").is_some() && self.lookup_user(&ty, "__getitem__").is_some();
        }
        false
    }

    pub fn is_sequence(&mut self, v: &Value) -> bool {
        match v.kind().unwrap_or(0) {
            kind::LIST | kind::TUPLE | kind::RANGE => true,
            kind::INSTANCE => {
                let ty = self.type_of(v);
                let t = ty.downcast_ref::<Type>().unwrap();
                matches!(t.builtin_base, kind::LIST | kind::TUPLE)
                    || (self.lookup_user(&ty, "__getitem__").is_some() && self.lookup_user(&ty, "__len__").is_some() && self.lookup_user(&ty, "keys").is_none())
            }
            _ => false,
        }
    }

    /// MATCH_KEYS: a tuple of the subject's values for `keys`, or None if any is missing.
    pub fn match_keys(&mut self, subj: &Value, keys: &Value) -> PyResult<Value> {
        let ks = self.to_vec(keys)?;
        let mut vals = Vec::with_capacity(ks.len());
        for k in ks {
            let v = if let Some(_) = subj.downcast_ref::<Dict>() {
                self.dict_get(subj, &k)?
            } else {
                let get = self.getattr_str(subj, "get")?;
                let marker = self.null.clone();
                let r = self.call(&get, &[k, marker.clone()], &[])?;
                if r.ptr_eq(&marker) {
                    None
                } else {
                    Some(r)
                }
            };
            match v {
                Some(v) => vals.push(v),
                None => return Ok(self.none.clone()),
            }
        }
        Ok(self.new_tuple(vals))
    }

    /// MATCH_CLASS: attributes for positional (via `__match_args__`) and keyword
    /// sub-patterns, or None if the subject is not an instance or lacks one.
    pub fn match_class(&mut self, subj: &Value, cls: &Value, npos: usize, names: &Value) -> PyResult<Value> {
        if !cls.is::<Type>() {
            return Err(self.type_error("called match pattern must be a class"));
        }
        if !self.isinstance(subj, cls) {
            return Ok(self.none.clone());
        }
        let mut out = Vec::new();
        if npos > 0 {
            let t = cls.downcast_ref::<Type>().unwrap();
            // Built-in types like int/str match the subject itself positionally.
            let self_match = !t.heap && t.builtin_base == 0 && matches!(t.instance_kind, kind::INT | kind::FLOAT | kind::STR | kind::BOOL | kind::LIST | kind::TUPLE | kind::DICT | kind::SET | kind::BYTES);
            if self_match {
                if npos > 1 {
                    let tn = t.name.borrow().clone();
                    return Err(self.type_error(format!("{tn}() accepts 1 positional sub-pattern ({npos} given)")));
                }
                out.push(subj.clone());
            } else {
                let ma = self.intern("__match_args__");
                let args = match self.lookup_mro(cls, &ma) {
                    Some(a) => self.to_vec(&a)?,
                    None => Vec::new(),
                };
                if npos > args.len() {
                    let tn = t.name.borrow().clone();
                    return Err(self.type_error(format!(
                        "{tn}() accepts {} positional sub-pattern{} ({npos} given)",
                        args.len(),
                        if args.len() == 1 { "" } else { "s" }
                    )));
                }
                for a in args.into_iter().take(npos) {
                    match self.getattr(subj, &a) {
                        Ok(v) => out.push(v),
                        Err(e) if self.err_is(&e, "AttributeError") => return Ok(self.none.clone()),
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        for n in self.to_vec(names)? {
            match self.getattr(subj, &n) {
                Ok(v) => out.push(v),
                Err(e) if self.err_is(&e, "AttributeError") => return Ok(self.none.clone()),
                Err(e) => return Err(e),
            }
        }
        Ok(self.new_tuple(out))
    }
}
