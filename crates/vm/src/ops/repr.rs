//! `repr()`, `str()`, `ascii()`: CPython's text forms of every built-in type, with
//! recursion guards for self-containing containers (`[[...]]`).

use crate::objects::iter::DictPart;
use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_compiler::repr::{bytes_repr, float_repr, str_repr};
use pyvm_gc::Value;

impl Vm {
    /// The text of a str value (or the str() of anything else, best effort).
    pub fn str_val(&mut self, v: &Value) -> String {
        if let Some(s) = v.downcast_ref::<Str>() {
            return s.s.to_string();
        }
        self.to_str(v).unwrap_or_default()
    }

    pub fn to_str(&mut self, v: &Value) -> PyResult<String> {
        if v.downcast_ref::<WeakRef>().is_some_and(|w| w.proxy) {
            let t = self.deproxy(v)?;
            return self.to_str(&t);
        }
        match v.kind().unwrap_or(0) {
            kind::STR => Ok(v.downcast_ref::<Str>().unwrap().s.to_string()),
            kind::INSTANCE => {
                let ty = self.type_of(v);
                let n = self.intern_static("__str__");
                if let Some(f) = self.lookup_mro(&ty, &n) {
                    if !f.is::<BuiltinFn>() {
                        let r = self.call_method_value(&f, v, &[])?;
                        return match r.downcast_ref::<Str>() {
                            Some(s) => Ok(s.s.to_string()),
                            None => {
                                let tn = self.type_name(&r);
                                Err(self.type_error(format!("__str__ returned non-string (type {tn})")))
                            }
                        };
                    }
                }
                if let Some(i) = v.downcast_ref::<Instance>() {
                    if i.exc().is_some() && self.lookup_user(&ty, "__repr__").is_none() {
                        return self.exception_str(v);
                    }
                    if let Some(b) = i.base_value() {
                        if self.lookup_user(&ty, "__repr__").is_none() {
                            return self.to_str(&b);
                        }
                    }
                }
                self.repr(v)
            }
            _ => self.repr(v),
        }
    }

    /// A user-defined (not built-in) attribute found on the type.
    pub fn lookup_user(&mut self, ty: &Value, name: &'static str) -> Option<Value> {
        let n = self.intern_static(name);
        self.lookup_mro(ty, &n).filter(|f| !f.is::<BuiltinFn>())
    }

    pub fn exception_str(&mut self, v: &Value) -> PyResult<String> {
        // OSError with errno and strerror: "[Errno 2] No such file: 'f.txt'".
        let os_error = self.exc["OSError"].clone();
        if self.isinstance(v, &os_error) && v.is::<Instance>() {
            let get = |vm: &mut Vm, k: &str| {
                let k = vm.intern(k);
                vm.getattr(v, &k).ok().filter(|x| !vm.is_none(x))
            };
            if let (Some(errno), Some(strerror)) = (get(self, "errno"), get(self, "strerror")) {
                let mut s = format!("[Errno {}] {}", self.to_str(&errno)?, self.to_str(&strerror)?);
                if let Some(f) = get(self, "filename") {
                    s.push_str(&format!(": {}", self.repr(&f)?));
                    if let Some(f2) = get(self, "filename2") {
                        s.push_str(&format!(" -> {}", self.repr(&f2)?));
                    }
                }
                return Ok(s);
            }
        }
        let args = self.exc_data(v).and_then(|d| d.borrow().args.clone());
        let items = args.and_then(|a| a.downcast_ref::<Tuple>().map(|t| t.0.to_vec())).unwrap_or_default();
        // KeyError shows the repr of a single key.
        let is_key_error = self.isinstance(v, &self.exc["KeyError"].clone());
        for kind in ["UnicodeDecodeError", "UnicodeEncodeError"] {
            if items.len() == 5 && self.isinstance(v, &self.exc[kind].clone()) {
                if let Some(s) = crate::methods::codecs::unicode_error_str(self, kind, &items) {
                    return Ok(s);
                }
            }
        }
        match items.len() {
            0 => Ok(String::new()),
            1 if is_key_error => self.repr(&items[0]),
            1 => self.to_str(&items[0]),
            _ => {
                let t = self.new_tuple(items);
                self.repr(&t)
            }
        }
    }

    pub fn repr(&mut self, v: &Value) -> PyResult<String> {
        if let Some(i) = v.as_int() {
            return Ok(i.to_string());
        }
        Ok(match v.kind().unwrap_or(0) {
            kind::NONE => "None".into(),
            kind::BOOL => if v.downcast_ref::<Bool>().unwrap().0 { "True".into() } else { "False".into() },
            kind::INT => v.downcast_ref::<BigIntObj>().unwrap().0.to_string(),
            kind::FLOAT => float_repr(v.downcast_ref::<Float>().unwrap().0),
            kind::COMPLEX => {
                let c = v.downcast_ref::<Complex>().unwrap();
                complex_repr(c.re, c.im)
            }
            kind::STR => str_repr(&v.downcast_ref::<Str>().unwrap().s),
            kind::BYTES => bytes_repr(&v.downcast_ref::<Bytes>().unwrap().0),
            kind::BYTEARRAY => format!("bytearray({})", bytes_repr(&v.downcast_ref::<ByteArray>().unwrap().0.borrow())),
            kind::ELLIPSIS => "Ellipsis".into(),
            kind::NOTIMPLEMENTED => "NotImplemented".into(),
            kind::LIST | kind::TUPLE | kind::SET | kind::DICT | kind::DICTVIEW => return self.container_repr(v),
            kind::RANGE => {
                let r = v.downcast_ref::<Range>().unwrap();
                if r.step == 1 {
                    format!("range({}, {})", r.start, r.stop)
                } else {
                    format!("range({}, {}, {})", r.start, r.stop, r.step)
                }
            }
            kind::BIGRANGE => {
                let r = v.downcast_ref::<BigRange>().unwrap();
                if r.step == num_bigint::BigInt::from(1) {
                    format!("range({}, {})", r.start, r.stop)
                } else {
                    format!("range({}, {}, {})", r.start, r.stop, r.step)
                }
            }
            kind::SLICE => {
                let s = v.downcast_ref::<Slice>().unwrap();
                let (a, b, c) = (s.start.clone(), s.stop.clone(), s.step.clone());
                format!("slice({}, {}, {})", self.repr(&a)?, self.repr(&b)?, self.repr(&c)?)
            }
            kind::TYPE => {
                // A metaclass may define how its classes print.
                let meta = self.type_of(v);
                if !meta.ptr_eq(&self.types.type_) {
                    let rn = self.intern_static("__repr__");
                    if let Some(f) = self.lookup_mro(&meta, &rn).filter(|f| f.is::<Function>()) {
                        let r = self.call(&f, std::slice::from_ref(v), &[])?;
                        return Ok(self.str_val(&r));
                    }
                }
                let t = v.downcast_ref::<Type>().unwrap();
                let module = t.module.borrow().clone();
                let qn = t.qualname.borrow().clone();
                match module {
                    Some(m) if !self.is_none(&m) => {
                        let ms = self.str_val(&m);
                        if ms == "builtins" {
                            format!("<class '{qn}'>")
                        } else {
                            format!("<class '{ms}.{qn}'>")
                        }
                    }
                    _ => format!("<class '{qn}'>"),
                }
            }
            kind::FUNCTION => {
                let f = v.downcast_ref::<Function>().unwrap();
                let qn = f.qualname.borrow().clone();
                format!("<function {} at {}>", self.str_val(&qn), addr(v))
            }
            kind::BUILTIN => {
                let b = v.downcast_ref::<BuiltinFn>().unwrap();
                match &b.self_ {
                    Some(s) => {
                        let tn = self.type_name(s);
                        format!("<built-in method {} of {} object at {}>", b.name, tn, addr(s))
                    }
                    None => format!("<built-in function {}>", b.name),
                }
            }
            kind::METHOD => {
                let m = v.downcast_ref::<Method>().unwrap();
                let (func, s) = (m.func.clone(), m.self_.clone());
                let qn = match func.downcast_ref::<Function>() {
                    Some(f) => {
                        let q = f.qualname.borrow().clone();
                        self.str_val(&q)
                    }
                    None => "?".into(),
                };
                let sr = self.repr(&s)?;
                format!("<bound method {qn} of {sr}>")
            }
            kind::MODULE => {
                let m = v.downcast_ref::<Module>().unwrap();
                if self.native_modules.contains_key(&*m.name) || &*m.name == "sys" || &*m.name == "builtins" {
                    format!("<module '{}' (built-in)>", m.name)
                } else {
                    format!("<module '{}'>", m.name)
                }
            }
            kind::CELL => format!("<cell at {}>", addr(v)),
            kind::CODE => {
                let c = v.downcast_ref::<CodeValue>().unwrap();
                format!("<code object {} at {}, file \"{}\", line {}>", c.code.name, addr(v), c.code.filename, c.code.firstlineno)
            }
            kind::GENERATOR => {
                let g = v.downcast_ref::<Generator>().unwrap();
                let what = match g.kind {
                    GenKind::Generator => "generator",
                    GenKind::Coroutine => "coroutine",
                    GenKind::AsyncGenerator => "async_generator",
                };
                let q = g.qualname.downcast_ref::<Str>().map_or("", |s| &s.s);
                format!("<{what} object {q} at {}>", addr(v))
            }
            kind::PROPERTY => format!("<property object at {}>", addr(v)),
            kind::STATICMETHOD => format!("<staticmethod(...) at {}>", addr(v)),
            kind::CLASSMETHOD => format!("<classmethod(...) at {}>", addr(v)),
            kind::ITER => {
                let tn = self.type_name(v);
                format!("<{tn} object at {}>", addr(v))
            }
            kind::INSTANCE => return self.instance_repr(v),
            kind::WEAKREF => self.weakref_repr(v),
            kind::FILE | kind::FILEIO | kind::STDIN => {
                let r = crate::methods::file::repr(self, std::slice::from_ref(v), &[])?;
                self.str_val(&r)
            }
            _ => {
                let tn = self.type_name(v);
                format!("<{tn} object at {}>", addr(v))
            }
        })
    }

    fn instance_repr(&mut self, v: &Value) -> PyResult<String> {
        let ty = self.type_of(v);
        let n = self.intern_static("__repr__");
        if let Some(f) = self.lookup_mro(&ty, &n) {
            if !f.is::<BuiltinFn>() {
                if self.repr_stack.len() > 900 {
                    return Err(self.new_exception("RecursionError", "maximum recursion depth exceeded while getting the repr of an object"));
                }
                let r = self.call_method_value(&f, v, &[])?;
                return match r.downcast_ref::<Str>() {
                    Some(s) => Ok(s.s.to_string()),
                    None => {
                        let tn = self.type_name(&r);
                        Err(self.type_error(format!("__repr__ returned non-string (type {tn})")))
                    }
                };
            }
        }
        let inst = v.downcast_ref::<Instance>().unwrap();
        if inst.exc().is_some() {
            let tn = self.type_name(v);
            let args = inst.exc().unwrap().borrow().args.clone();
            let items = args.and_then(|a| a.downcast_ref::<Tuple>().map(|t| t.0.to_vec())).unwrap_or_default();
            let inner = if items.len() == 1 {
                self.repr(&items[0])?
            } else {
                let parts: PyResult<Vec<String>> = items.iter().map(|x| self.repr(x)).collect();
                parts?.join(", ")
            };
            return Ok(format!("{tn}({inner})"));
        }
        if let Some(b) = inst.base_value() {
            let r = self.repr(&b)?;
            if b.is::<Set>() {
                // Set and frozenset subclasses name their type: MySet({1}), MyFS().
                let inner = match r.strip_prefix("frozenset(") {
                    Some(rest) => rest.strip_suffix(')').unwrap_or(rest).to_string(),
                    None if r == "set()" => String::new(),
                    None => r,
                };
                let tn = ty.downcast_ref::<Type>().map(|t| t.name.borrow().clone()).unwrap_or_else(|| "set".into());
                return Ok(format!("{tn}({inner})"));
            }
            return Ok(r);
        }
        let t = ty.downcast_ref::<Type>().unwrap();
        let qn = t.qualname.borrow().clone();
        let module = t.module.borrow().clone();
        let prefix = match module {
            Some(m) if !self.is_none(&m) => {
                let ms = self.str_val(&m);
                if ms == "builtins" {
                    String::new()
                } else {
                    format!("{ms}.")
                }
            }
            _ => String::new(),
        };
        Ok(format!("<{prefix}{qn} object at {}>", addr(v)))
    }

    fn container_repr(&mut self, v: &Value) -> PyResult<String> {
        let id = v.raw();
        if self.repr_stack.contains(&id) {
            return Ok(match v.kind().unwrap_or(0) {
                kind::LIST => "[...]".into(),
                kind::DICT => "{...}".into(),
                kind::TUPLE => "(...)".into(),
                _ => "...".into(),
            });
        }
        if self.repr_stack.len() > 2000 {
            return Err(self.new_exception("RecursionError", "maximum recursion depth exceeded while getting the repr of an object"));
        }
        self.repr_stack.push(id);
        let r = self.container_repr_inner(v);
        self.repr_stack.pop();
        r
    }

    fn container_repr_inner(&mut self, v: &Value) -> PyResult<String> {
        let join = |vm: &mut Vm, items: &[Value]| -> PyResult<String> {
            let mut parts = Vec::with_capacity(items.len());
            for x in items {
                parts.push(vm.repr(x)?);
            }
            Ok(parts.join(", "))
        };
        Ok(match v.kind().unwrap_or(0) {
            kind::LIST => {
                let items = v.downcast_ref::<List>().unwrap().snapshot();
                format!("[{}]", join(self, &items)?)
            }
            kind::TUPLE => {
                let items = v.downcast_ref::<Tuple>().unwrap().0.to_vec();
                if items.len() == 1 {
                    format!("({},)", self.repr(&items[0])?)
                } else {
                    format!("({})", join(self, &items)?)
                }
            }
            kind::SET => {
                let s = v.downcast_ref::<Set>().unwrap();
                let items = s.items();
                let frozen = s.frozen;
                if items.is_empty() {
                    return Ok(if frozen { "frozenset()".into() } else { "set()".into() });
                }
                let inner = join(self, &items)?;
                if frozen {
                    format!("frozenset({{{inner}}})")
                } else {
                    format!("{{{inner}}}")
                }
            }
            kind::DICT => {
                let items = v.downcast_ref::<Dict>().unwrap().items();
                let mut parts = Vec::with_capacity(items.len());
                for (k, val) in items {
                    parts.push(format!("{}: {}", self.repr(&k)?, self.repr(&val)?));
                }
                format!("{{{}}}", parts.join(", "))
            }
            kind::DICTVIEW => {
                let dv = v.downcast_ref::<iter::DictView>().unwrap();
                let part = dv.part;
                let items = self.to_vec(v)?;
                let inner = join(self, &items)?;
                let name = match part {
                    DictPart::Keys => "dict_keys",
                    DictPart::Values => "dict_values",
                    DictPart::Items => "dict_items",
                };
                format!("{name}([{inner}])")
            }
            _ => unreachable!(),
        })
    }

    pub fn ascii(&mut self, v: &Value) -> PyResult<String> {
        let r = self.repr(v)?;
        let mut out = String::with_capacity(r.len());
        for c in r.chars() {
            let n = c as u32;
            if n < 128 {
                out.push(c);
            } else if n < 0x100 {
                out.push_str(&format!("\\x{n:02x}"));
            } else if n < 0x10000 {
                out.push_str(&format!("\\u{n:04x}"));
            } else {
                out.push_str(&format!("\\U{n:08x}"));
            }
        }
        Ok(out)
    }
}

/// An object's address as CPython prints it (`0x7f...`).
pub fn addr(v: &Value) -> String {
    format!("0x{:x}", v.raw())
}

pub fn complex_repr(re: f64, im: f64) -> String {
    let fmt = |x: f64| {
        let s = float_repr(x);
        s.strip_suffix(".0").map(|t| t.to_string()).unwrap_or(s)
    };
    if re == 0.0 && !re.is_sign_negative() {
        return format!("{}j", fmt(im));
    }
    let sign = if im < 0.0 || (im == 0.0 && im.is_sign_negative()) { "-" } else { "+" };
    format!("({}{}{}j)", fmt(re), sign, fmt(im.abs()))
}
