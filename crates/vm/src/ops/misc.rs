//! Imports of built-in modules, pattern-matching helpers, automatic collections.

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

impl Vm {
    /// IMPORT_NAME / `__import__`: load `name` (and its parent packages) if needed;
    /// the result is the top-level package for `import a.b`, the module itself when a
    /// `from` list is given. Names of the from-list that are submodules not yet
    /// imported are imported (`from pkg import mod`). The 3-argument form (no
    /// importing namespace) knows no package, so relative imports fail there.
    pub fn import_module(&mut self, name: &str, fromlist: &Value, level: &Value) -> PyResult<Value> {
        self.import_module_from(name, fromlist, level, None)
    }

    /// `import_module` for code running with globals `globals` (relative imports are
    /// resolved against its `__package__`, or `__name__`, as CPython's
    /// `resolve_name` does).
    pub fn import_module_from(&mut self, name: &str, fromlist: &Value, level: &Value, globals: Option<&Value>) -> PyResult<Value> {
        let level = self.as_i64(level).unwrap_or(0);
        let resolved;
        let name = if level > 0 {
            resolved = self.resolve_relative(name, level as usize, globals)?;
            resolved.as_str()
        } else {
            name
        };
        let m = self.load_module(name)?;
        let wanted = if self.is_none(fromlist) { Vec::new() } else { self.to_vec(fromlist).unwrap_or_default() };
        if !wanted.is_empty() {
            self.import_fromlist(&m, name, &wanted)?;
            return Ok(m);
        }
        if level > 0 || !name.contains('.') {
            return Ok(m);
        }
        let top = name.split('.').next().unwrap_or(name);
        self.load_module(top)
    }

    /// The absolute name of a relative import of `name` at `level` from `globals`.
    fn resolve_relative(&mut self, name: &str, level: usize, globals: Option<&Value>) -> PyResult<String> {
        let get = |vm: &mut Vm, k: &str| -> Option<Value> {
            let g = globals?;
            let k = vm.intern(k);
            vm.dict_get_str(g, &k).filter(|v| !vm.is_none(v))
        };
        let package = match get(self, "__package__") {
            Some(p) => self.str_val(&p),
            None => match get(self, "__name__") {
                Some(n) => {
                    let n = self.str_val(&n);
                    if get(self, "__path__").is_some() {
                        n
                    } else {
                        n.rsplit_once('.').map(|(p, _)| p.to_string()).unwrap_or_default()
                    }
                }
                None => String::new(),
            },
        };
        if package.is_empty() {
            return Err(self.new_exception("ImportError", "attempted relative import with no known parent package"));
        }
        let parts: Vec<&str> = package.split('.').collect();
        if level > parts.len() {
            return Err(self.new_exception("ImportError", "attempted relative import beyond top-level package"));
        }
        let base = parts[..parts.len() + 1 - level].join(".");
        Ok(if name.is_empty() { base } else { format!("{base}.{name}") })
    }

    /// `from package import name, ...`: import the names that are submodules the
    /// package does not have yet (`*` means the package's `__all__`).
    fn import_fromlist(&mut self, m: &Value, name: &str, wanted: &[Value]) -> PyResult<()> {
        let path_key = self.intern_static("__path__");
        if self.getattr(m, &path_key).is_err() {
            return Ok(());
        }
        for w in wanted {
            let Some(s) = w.downcast_ref::<Str>().map(|s| s.s.to_string()) else { continue };
            if s == "*" {
                let all_key = self.intern_static("__all__");
                if let Ok(all) = self.getattr(m, &all_key) {
                    let names = self.to_vec(&all)?;
                    let names: Vec<Value> = names.into_iter().filter(|n| n.downcast_ref::<Str>().is_some_and(|x| &*x.s != "*")).collect();
                    self.import_fromlist(m, name, &names)?;
                }
                continue;
            }
            let attr = self.intern(&s);
            if self.getattr(m, &attr).is_ok() {
                continue;
            }
            let full = format!("{name}.{s}");
            match self.load_module(&full) {
                Ok(_) => {}
                // Not a submodule: IMPORT_FROM reports the missing name.
                Err(e) if self.err_is(&e, "ModuleNotFoundError") && self.module_not_found_is(&e, &full) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Is `e` the ModuleNotFoundError for module `name` itself (not for something
    /// that module imports)?
    fn module_not_found_is(&mut self, e: &crate::vm::PyErr, name: &str) -> bool {
        let msg = self.exception_str(&e.0).unwrap_or_default();
        msg == format!("No module named '{name}'")
    }

    /// The module `name` from `sys.modules`, or found and executed: a native module, a
    /// Python module embedded in the binary (pyvm-stdlib's lib/), or `<dir>/<name>.py`
    /// (or a package `<dir>/<name>/__init__.py`) for each directory of `sys.path`.
    pub fn load_module(&mut self, name: &str) -> PyResult<Value> {
        let key = self.new_str(name);
        let modules = self.modules.clone();
        if let Some(m) = self.dict_get(&modules, &key)? {
            return Ok(m);
        }
        let (parent, leaf) = match name.rsplit_once('.') {
            Some((p, l)) => (Some(self.load_module(p)?), l),
            None => (None, name),
        };
        // The parent's import may have loaded us already.
        if let Some(m) = self.dict_get(&modules, &key)? {
            return Ok(m);
        }
        let m = if let Some(init) = self.native_modules.get(name).copied() {
            // A native module whose initialisation imports itself (directly or not)
            // would recurse forever: report the cycle instead.
            if self.native_importing.iter().any(|n| n == name) {
                return Err(self.new_exception(
                    "ImportError",
                    format!("cannot import name '{name}' (most likely due to a circular import)"),
                ));
            }
            self.native_importing.push(name.to_string());
            let m = init(self);
            self.native_importing.pop();
            let m = m?;
            self.dict_set(&modules, key.clone(), m.clone())?;
            m
        } else if let Some(src) = self.source_modules.get(name).copied() {
            let filename = format!("<pyvm-lib>/{}.py", name.replace('.', "/"));
            self.exec_source_module(name, &filename, src, false)?
        } else {
            match self.find_module_file(name, leaf, parent.as_ref())? {
                Some((path, is_pkg)) => {
                    let src = match std::fs::read_to_string(&path) {
                        Ok(s) => s,
                        Err(e) => return Err(self.new_exception("ImportError", format!("cannot read {path}: {e}"))),
                    };
                    self.exec_source_module(name, &path, &src, is_pkg)?
                }
                None => return Err(self.new_exception("ModuleNotFoundError", format!("No module named '{name}'"))),
            }
        };
        if let Some(p) = parent {
            let lk = self.intern(leaf);
            self.setattr(&p, &lk, m.clone())?;
        }
        Ok(m)
    }

    /// Where the source of `name` lives: inside the parent package's directory for a
    /// submodule, else in the directories of `sys.path` (the script's directory first).
    fn find_module_file(&mut self, name: &str, leaf: &str, parent: Option<&Value>) -> PyResult<Option<(String, bool)>> {
        let dirs: Vec<String> = match parent {
            Some(p) => {
                let k = self.intern_static("__path__");
                match self.getattr(p, &k) {
                    Ok(v) => self.to_vec(&v)?.iter().map(|d| self.str_val(d)).collect(),
                    Err(_) => return Ok(None),
                }
            }
            None => {
                let sys = self.sys.clone();
                let path = match sys {
                    Some(s) => {
                        let k = self.intern_static("path");
                        self.getattr(&s, &k).ok()
                    }
                    None => None,
                };
                match path {
                    Some(p) => self.to_vec(&p)?.iter().filter(|d| d.is::<Str>()).map(|d| self.str_val(d)).collect(),
                    None => Vec::new(),
                }
            }
        };
        let _ = name;
        for d in dirs {
            let base = if d.is_empty() { std::path::PathBuf::from(".") } else { std::path::PathBuf::from(&d) };
            let file = base.join(format!("{leaf}.py"));
            if file.is_file() {
                return Ok(Some((file.display().to_string(), false)));
            }
            let init = base.join(leaf).join("__init__.py");
            if init.is_file() {
                return Ok(Some((init.display().to_string(), true)));
            }
        }
        Ok(None)
    }

    /// Create module `name`, register it in `sys.modules` (before running it, so circular
    /// imports see the partial module, as CPython does), and run `source` in it. On
    /// failure the module is removed from `sys.modules` again.
    fn exec_source_module(&mut self, name: &str, filename: &str, source: &str, is_pkg: bool) -> PyResult<Value> {
        let code = match pyvm_compiler::compile(source, filename) {
            Ok(c) => c,
            Err(e) => return Err(self.syntax_error_value(&e, filename, source)),
        };
        self.sources.insert(filename.to_string(), source.into());
        let m = self.new_module(name);
        let f = self.new_str(filename);
        self.module_add(&m, "__file__", f);
        let package = if is_pkg { name } else { name.rsplit_once('.').map_or("", |(p, _)| p) };
        let p = self.new_str(package);
        self.module_add(&m, "__package__", p);
        for k in ["__loader__", "__spec__"] {
            let none = self.none.clone();
            self.module_add(&m, k, none);
        }
        if is_pkg {
            let dir = std::path::Path::new(filename).parent().map(|p| p.display().to_string()).unwrap_or_default();
            let d = self.new_str(dir);
            let l = self.new_list(vec![d]);
            self.module_add(&m, "__path__", l);
        }
        let modules = self.modules.clone();
        let key = self.new_str(name);
        self.dict_set(&modules, key.clone(), m.clone())?;
        let g = m.downcast_ref::<Module>().expect("module").dict.clone();
        if let Err(e) = self.run_code(&code, g) {
            let _ = self.dict_remove(&modules, &key);
            return Err(e);
        }
        // The module may have replaced itself in sys.modules.
        Ok(self.dict_get(&modules, &key)?.unwrap_or(m))
    }

    /// A SyntaxError (or IndentationError/TabError) exception for a compile error in an
    /// imported file, with CPython's attributes (`msg`, `filename`, `lineno`, `offset`,
    /// `text`, `end_lineno`, `end_offset`); its traceback shows the caret block.
    pub fn syntax_error_value(&mut self, e: &pyvm_compiler::error::SyntaxError, filename: &str, source: &str) -> crate::vm::PyErr {
        let base = std::path::Path::new(filename).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let err = self.new_exception(e.kind.name(), format!("{} ({}, line {})", e.msg, base, e.line));
        let text = source.lines().nth((e.line as usize).saturating_sub(1)).map(|l| format!("{l}\n"));
        let text = match text {
            Some(t) => self.new_str(t),
            None => self.none.clone(),
        };
        let attrs: Vec<(&str, Value)> = vec![
            ("msg", self.new_str(e.msg.as_str())),
            ("filename", self.new_str(filename)),
            ("lineno", self.new_int(e.line as i64)),
            ("offset", self.new_int(e.col as i64)),
            ("text", text),
            ("end_lineno", self.new_int(e.end_line as i64)),
            ("end_offset", self.new_int(e.end_col as i64)),
        ];
        for (k, v) in attrs {
            let k = self.intern(k);
            let _ = self.generic_setattr(&err.0, &k, v);
        }
        err
    }

    pub fn module_name(&mut self, m: &Value) -> String {
        m.downcast_ref::<Module>().map(|m| m.name.to_string()).unwrap_or_default()
    }

    /// A new module object with `__name__` set.
    pub fn new_module(&mut self, name: &str) -> Value {
        let d = self.new_dict();
        let n = self.intern_static("__name__");
        let nv = self.new_str(name);
        let _ = self.dict_set(&d, n, nv);
        let doc = self.intern_static("__doc__");
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
        let b = Value::new(BuiltinFn::new(name.into(), f, None, None));
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
                let ma = self.intern_static("__match_args__");
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
