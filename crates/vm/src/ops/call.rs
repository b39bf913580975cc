//! Calls: binding arguments to a Python function's frame (CPython's error messages for
//! missing/unexpected arguments), calling any callable, creating instances (`__new__`
//! then `__init__`), `__build_class__`, functions from code objects.

use crate::frame::Frame;
use crate::interp::FrameExit;
use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_compiler::bytecode::CodeFlags;
use pyvm_gc::Value;
use std::rc::Rc;

impl Vm {
    /// Call any callable with positional args followed by keyword values named by `kwnames`.
    pub fn call(&mut self, callable: &Value, args: &[Value], kwnames: &[Value]) -> PyResult<Value> {
        match callable.kind().unwrap_or(0) {
            kind::FUNCTION => {
                self.depth += 1;
                if self.depth >= self.recursion_limit {
                    self.depth -= 1;
                    return Err(self.new_exception("RecursionError", "maximum recursion depth exceeded"));
                }
                let r = self.call_function(callable, args.iter().cloned(), kwnames);
                self.depth -= 1;
                r
            }
            kind::BUILTIN => {
                let b = callable.downcast_ref::<BuiltinFn>().unwrap();
                self.call_builtin(b, args, kwnames)
            }
            kind::METHOD => {
                let m = callable.downcast_ref::<Method>().unwrap();
                let (func, self_) = (m.func.clone(), m.self_.clone());
                with_first(&self_, args, |full| self.call(&func, full, kwnames))
            }
            kind::TYPE => self.call_type(callable, args, kwnames),
            kind::WEAKREF if callable.downcast_ref::<WeakRef>().is_some_and(|w| w.proxy) => {
                let t = self.deproxy(callable)?;
                self.call(&t, args, kwnames)
            }
            _ => {
                let n = self.intern_static("__call__");
                let ty = self.type_of(callable);
                match self.lookup_mro(&ty, &n) {
                    Some(f) if !callable.is::<Type>() => with_first(callable, args, |full| self.call(&f, full, kwnames)),
                    _ => {
                        let tn = self.type_name(callable);
                        Err(self.type_error(format!("'{tn}' object is not callable")))
                    }
                }
            }
        }
    }

    /// Call a function implemented in Rust.
    #[inline]
    pub fn call_builtin(&mut self, b: &BuiltinFn, args: &[Value], kwnames: &[Value]) -> PyResult<Value> {
        // Built-ins may call back into Python: bound the Rust recursion too.
        self.depth += 1;
        if self.depth > self.recursion_limit + 50 {
            self.depth -= 1;
            return Err(self.new_exception("RecursionError", "maximum recursion depth exceeded"));
        }
        let r = b.call(self, args, kwnames);
        self.depth -= 1;
        r
    }

    /// Call a Python function from Rust: run its frame in a nested interpreter loop.
    pub fn call_function(
        &mut self,
        func: &Value,
        args: impl IntoIterator<Item = Value, IntoIter: ExactSizeIterator>,
        kwnames: &[Value],
    ) -> PyResult<Value> {
        let frame = self.make_frame_owned(func, args, kwnames)?;
        let f = func.downcast_ref::<Function>().unwrap();
        if f.code.is_generator_like() {
            return Ok(self.make_generator(func, frame));
        }
        match self.run_frame(frame, None)? {
            FrameExit::Return(v) => Ok(v),
            FrameExit::Yield(v, _) => Ok(v),
        }
    }

    pub fn make_generator(&mut self, func: &Value, frame: Box<Frame>) -> Value {
        let f = func.downcast_ref::<Function>().unwrap();
        let kind = if f.code.flags.contains(CodeFlags::COROUTINE) {
            GenKind::Coroutine
        } else if f.code.flags.contains(CodeFlags::ASYNC_GENERATOR) {
            GenKind::AsyncGenerator
        } else {
            GenKind::Generator
        };
        Value::new(Generator {
            code: f.code.code.clone(),
            frame: std::cell::RefCell::new(Some(frame)),
            name: f.name.borrow().clone(),
            qualname: f.qualname.borrow().clone(),
            running: std::cell::Cell::new(false),
            started: std::cell::Cell::new(false),
            kind,
        })
    }

    pub fn make_frame(&mut self, func: &Value, args: &[Value], kwnames: &[Value]) -> PyResult<Box<Frame>> {
        self.make_frame_owned(func, args.iter().cloned(), kwnames)
    }

    /// A frame for `code`, reusing a pooled one when there is one. `fast` has one empty
    /// slot per local; the stack has room for `stacksize` values.
    #[allow(clippy::too_many_arguments)]
    pub fn new_frame(
        &mut self,
        code: &Rc<CodeRt>,
        func: Option<Value>,
        globals: Value,
        locals: Option<Value>,
        cells: &[Value],
    ) -> Box<Frame> {
        let nfast = code.varnames.len();
        match self.frame_pool.pop().or_else(crate::frame::take_spare) {
            Some(mut fr) => {
                fr.code = code.clone();
                fr.func = func;
                fr.globals = globals;
                fr.locals = locals;
                fr.fast.resize(nfast, None);
                // The pooled frame's cell buffer is empty and keeps its allocation, so a
                // closure call allocates nothing for its cells.
                fr.cells.extend_from_slice(cells);
                fr.stack.reserve(code.stacksize as usize);
                fr
            }
            None => Box::new(Frame {
                code: code.clone(),
                func,
                globals,
                locals,
                fast: vec![None; nfast],
                cells: cells.to_vec(),
                stack: Vec::with_capacity(code.stacksize as usize),
                ip: 0,
                lasti: 0,
                kwnames: None,
                init_self: None,
                locals_snapshot: None,
            }),
        }
    }

    /// Return a finished frame to the pool (its references released now, in `Drop` order).
    #[inline]
    pub fn recycle_frame(&mut self, mut fr: Box<Frame>) {
        fr.release(&self.blank_code, &self.none);
        if self.frame_pool.len() < 64 {
            self.frame_pool.push(fr);
        }
    }

    /// A frame for a call of `f` (the function object `func`) that passes exactly its
    /// positional parameters (`Function::takes_exact_positional`); the caller moves the
    /// arguments into `fast[..argcount]`. CPython's CALL_PY_EXACT_ARGS.
    #[inline]
    pub fn exact_args_frame(&mut self, func: &Value, f: &Function, nargs: usize) -> Box<Frame> {
        let cells: &[Value] = match f.closure.as_ref().and_then(|cl| cl.downcast_ref::<Tuple>()) {
            Some(t) => &t.0,
            None => &[],
        };
        let mut fr = self.new_frame(&f.code, Some(func.clone()), f.globals.clone(), None, cells);
        // Parameters without an argument take their defaults; the caller fills the
        // others (it may only pass fewer arguments than parameters when defaults exist).
        if nargs < f.code.argcount as usize {
            if let Some(t) = f.defaults.borrow().as_ref().and_then(|d| d.downcast_ref::<Tuple>()) {
                let argc = f.code.argcount as usize;
                let first = argc - t.0.len().min(argc);
                for (slot, v) in fr.fast[first..argc].iter_mut().zip(t.0.iter()) {
                    *slot = Some(v.clone());
                }
            }
        }
        fr
    }

    /// Bind arguments (moved in, so the frame owns them: `sys.getrefcount` inside the
    /// callee sees no extra reference from the caller's stack).
    /// `args` are the positional arguments, then the values of the keyword ones: a
    /// vector, or drained straight off the caller's value stack (no vector at all).
    pub fn make_frame_owned(
        &mut self,
        func: &Value,
        args: impl IntoIterator<Item = Value, IntoIter: ExactSizeIterator>,
        kwnames: &[Value],
    ) -> PyResult<Box<Frame>> {
        let mut args = args.into_iter();
        let f = func.downcast_ref::<Function>().expect("function");
        // The common case: exactly the positional parameters, nothing else to bind.
        if kwnames.is_empty() && f.takes_exact_positional(args.len()) {
            let mut fr = self.exact_args_frame(func, f, args.len());
            for (slot, a) in fr.fast.iter_mut().zip(args.by_ref()) {
                *slot = Some(a);
            }
            return Ok(fr);
        }
        let code = f.code.clone();
        let nkw = kwnames.len();
        let npos = args.len() - nkw;
        let argcount = code.argcount as usize;
        let kwonly = code.kwonlyargcount as usize;
        // Bind straight into the (pooled) frame's fast locals.
        let mut fr = self.new_frame(&code, Some(func.clone()), f.globals.clone(), None, &[]);
        let fast = &mut fr.fast;
        // Positional arguments, then any surplus (for *args), then the keyword values:
        // taken in order from one iterator, without splitting `args` into new vectors.
        for slot in fast[..npos.min(argcount)].iter_mut() {
            *slot = args.next();
        }
        let extra: TupleItems = if npos > argcount { args.by_ref().take(npos - argcount).collect() } else { TupleItems::Empty };
        let kwvalues = args;
        // The qualified name is only needed for error messages: build it only then.
        macro_rules! qual_name {
            () => {
                f.qualname.borrow().downcast_ref::<Str>().map(|s| s.s.to_string()).unwrap_or_default()
            };
        }
        let has_varargs = code.flags.contains(CodeFlags::VARARGS);
        let has_varkw = code.flags.contains(CodeFlags::VARKEYWORDS);
        let varargs_idx = argcount + kwonly;
        let varkw_idx = varargs_idx + has_varargs as usize;
        if !extra.is_empty() && !has_varargs {
            let ndefaults = f.defaults.borrow().as_ref().and_then(|d| d.downcast_ref::<Tuple>().map(|t| t.0.len())).unwrap_or(0);
            let given = npos;
            let kw_given = kwnames.iter().filter(|k| {
                let ks = k.downcast_ref::<Str>().map_or("", |s| &s.s);
                code.varnames[argcount..argcount + kwonly].iter().any(|v| **v == *ks)
            }).count();
            let takes = if ndefaults > 0 {
                format!("from {} to {} positional arguments", argcount - ndefaults, argcount)
            } else {
                format!("{} positional argument{}", argcount, if argcount == 1 { "" } else { "s" })
            };
            let kwpart = if kw_given > 0 {
                format!(" positional argument{} (and {} keyword-only argument{})", if given == 1 { "" } else { "s" }, kw_given, if kw_given == 1 { "" } else { "s" })
            } else {
                String::new()
            };
            let was = if given == 1 && kw_given == 0 { "was" } else { "were" };
            let msg = if kw_given > 0 {
                format!("{q}() takes {takes} but {given}{kwpart} were given", q = qual_name!())
            } else {
                format!("{q}() takes {takes} but {given} {was} given", q = qual_name!())
            };
            return Err(self.type_error(msg));
        }
        if has_varargs {
            fast[varargs_idx] = Some(self.new_tuple(extra));
        }
        let kwdict = if has_varkw { Some(self.new_dict_sized(nkw)) } else { None };
        let posonly = code.posonlyargcount as usize;
        let mut posonly_as_kw: Vec<String> = Vec::new();
        for (name, value) in kwnames.iter().zip(kwvalues) {
            let ns: &str = name.downcast_ref::<Str>().map_or("", |s| &s.s);
            let idx = code
                .param_names
                .iter()
                .position(|v| v.ptr_eq(name))
                .or_else(|| code.varnames[..argcount + kwonly].iter().position(|v| **v == *ns));
            match idx {
                Some(i) if i >= posonly => {
                    if fast[i].is_some() {
                        return Err(self.type_error(format!("{q}() got multiple values for argument '{ns}'", q = qual_name!())));
                    }
                    fast[i] = Some(value);
                }
                _ => match &kwdict {
                    Some(d) => {
                        let d = d.clone();
                        self.dict_set(&d, name.clone(), value)?;
                    }
                    None => {
                        if idx.is_some() {
                            posonly_as_kw.push(ns.to_string());
                            continue;
                        }
                        return Err(self.type_error(format!("{q}() got an unexpected keyword argument '{ns}'", q = qual_name!())));
                    }
                },
            }
        }
        if !posonly_as_kw.is_empty() {
            let names = posonly_as_kw.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ");
            return Err(self.type_error(format!(
                "{}() got some positional-only arguments passed as keyword arguments: {names}",
                qual_name!()
            )));
        }
        if let Some(d) = kwdict {
            fast[varkw_idx] = Some(d);
        }
        // Defaults for missing positional parameters.
        let defaults_obj = f.defaults.borrow().clone();
        let defaults: &[Value] = defaults_obj.as_ref().and_then(|d| d.downcast_ref::<Tuple>()).map_or(&[], |t| &t.0);
        let first_default = argcount - defaults.len().min(argcount);
        let mut missing: Vec<String> = Vec::new();
        for i in 0..argcount {
            if fast[i].is_none() {
                if i >= first_default {
                    fast[i] = Some(defaults[i - first_default].clone());
                } else {
                    missing.push(code.varnames[i].to_string());
                }
            }
        }
        if !missing.is_empty() {
            return Err(self.type_error(format!(
                "{}() missing {} required positional argument{}: {}",
                qual_name!(),
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                join_names(&missing)
            )));
        }
        let kwdefaults = f.kwdefaults.borrow().clone();
        let mut missing_kw = Vec::new();
        for i in argcount..argcount + kwonly {
            if fast[i].is_none() {
                let d = kwdefaults.as_ref().and_then(|kd| self.dict_get_str(kd, &code.param_names[i]));
                match d {
                    Some(v) => fast[i] = Some(v),
                    None => missing_kw.push(code.varnames[i].to_string()),
                }
            }
        }
        if !missing_kw.is_empty() {
            return Err(self.type_error(format!(
                "{}() missing {} required keyword-only argument{}: {}",
                qual_name!(),
                missing_kw.len(),
                if missing_kw.len() == 1 { "" } else { "s" },
                join_names(&missing_kw)
            )));
        }
        // Cells (into the pooled frame's empty buffer): parameters captured by inner
        // functions move into their cell.
        let fr_ref = &mut *fr;
        fr_ref.cells.reserve(code.ncells());
        for (i, _) in code.cellvars.iter().enumerate() {
            let init = code.cell2arg.get(i).copied().flatten().and_then(|a| fr_ref.fast[a as usize].take());
            fr_ref.cells.push(Value::new(CellObj(std::cell::RefCell::new(init))));
        }
        if let Some(cl) = &f.closure {
            if let Some(t) = cl.downcast_ref::<Tuple>() {
                fr_ref.cells.extend(t.0.iter().cloned());
            }
        }
        Ok(fr)
    }

    /// MAKE_FUNCTION.
    pub fn make_function(
        &mut self,
        f: &Frame,
        code: Value,
        defaults: Option<Value>,
        kwdefaults: Option<Value>,
        annotations: Option<Value>,
        closure: Option<Value>,
    ) -> PyResult<Value> {
        let cv = code.downcast_ref::<CodeValue>().expect("code");
        let c = cv.code.clone();
        let name = self.new_str(&*c.name);
        let qualname = self.new_str(&*c.qualname);
        let doc = match cv.code.consts.first() {
            Some(d) if d.is::<Str>() && c.flags.contains(CodeFlags::OPTIMIZED) && &*c.name != "<lambda>" => d.clone(),
            _ => self.none.clone(),
        };
        let modname_key = self.intern_static("__name__");
        let module = self.dict_get_str(&f.globals, &modname_key).unwrap_or_else(|| self.none.clone());
        let annotations = match annotations {
            Some(t) => {
                let d = self.new_dict();
                let items = self.to_vec(&t)?;
                let mut it = items.into_iter();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    self.dict_set(&d, k, v)?;
                }
                Some(d)
            }
            None => None,
        };
        Ok(Value::new(Function {
            code: c,
            code_obj: code.clone(),
            globals: f.globals.clone(),
            name: std::cell::RefCell::new(name),
            qualname: std::cell::RefCell::new(qualname),
            defaults: std::cell::RefCell::new(defaults),
            kwdefaults: std::cell::RefCell::new(kwdefaults),
            closure,
            doc: std::cell::RefCell::new(doc),
            dict: std::cell::RefCell::new(None),
            annotations: std::cell::RefCell::new(annotations),
            module: std::cell::RefCell::new(if self.is_none(&module) { None } else { Some(module) }),
        }))
    }

    /// Calling a class: `type(x)`, metaclass `__call__`, or `__new__` + `__init__`.
    pub fn call_type(&mut self, cls: &Value, args: &[Value], kwnames: &[Value]) -> PyResult<Value> {
        if cls.ptr_eq(&self.types.type_) && args.len() == 1 && kwnames.is_empty() {
            return Ok(self.type_of(&args[0]));
        }
        // A user metaclass with its own __call__.
        let meta = self.type_of(cls);
        if !meta.ptr_eq(&self.types.type_) {
            let n = self.intern_static("__call__");
            if let Some(c) = self.lookup_mro(&meta, &n) {
                if c.is::<Function>() {
                    let mut full = vec![cls.clone()];
                    full.extend_from_slice(args);
                    return self.call(&c, &full, kwnames);
                }
            }
        }
        // OSError(errno, strerror, ...) builds the subclass for errno, as CPython's
        // oserror_use_init/errnomap: OSError(2, 'x') is a FileNotFoundError.
        if args.len() - kwnames.len() >= 2 && self.exc.get("OSError").is_some_and(|t| t.ptr_eq(cls)) {
            let sub = args[0].as_int().and_then(oserror_subclass);
            if let Some(t) = sub.and_then(|n| self.exc.get(n).cloned()) {
                return self.type_call_default(&t, args, kwnames);
            }
        }
        self.type_call_default(cls, args, kwnames)
    }

    /// For a call of class `cls` with `nargs` positional arguments and no keywords: the
    /// `__init__` function to run in a frame of its own after `object.__new__`, when
    /// nothing else would run (metaclass `type`, `__new__` inherited from object, a
    /// plain Python `__init__` taking exactly these arguments).
    pub fn inlinable_init(&self, cls: &Value, nargs: usize) -> Option<Value> {
        let t = cls.downcast_ref::<Type>()?;
        if !t.heap || (t.builtin_base != 0 && t.builtin_base != kind::INSTANCE) {
            return None;
        }
        if !self.type_of(cls).ptr_eq(&self.types.type_) {
            return None;
        }
        // `__new__` must be object's own (recognised by its function, as in
        // `type_call_default`, without looking `object` up as well).
        if let Some(n) = self.lookup_mro(cls, &self.s_new) {
            let is_object_new = n
                .downcast_ref::<BuiltinFn>()
                .is_some_and(|b| b.self_.is_none() && std::ptr::fn_addr_eq(b.f, crate::methods::object::OBJECT_NEW));
            if !is_object_new {
                return None;
            }
        }
        let init = self.lookup_mro(cls, &self.s_init)?;
        let f = init.downcast_ref::<Function>()?;
        (!f.code.is_generator_like() && f.takes_exact_positional(nargs + 1)).then_some(init)
    }

    /// `type.__call__`: `obj = cls.__new__(cls, *args)`, then `obj.__init__(*args)`.
    pub fn type_call_default(&mut self, cls: &Value, args: &[Value], kwnames: &[Value]) -> PyResult<Value> {
        let new_name = self.s_new.clone();
        let new = self.lookup_mro(cls, &new_name);
        let obj = match new {
            // `object.__new__` itself (what exceptions and plain classes inherit): no
            // argument vector, no generic call.
            Some(n) if n.downcast_ref::<BuiltinFn>().is_some_and(|b| b.self_.is_none() && std::ptr::fn_addr_eq(b.f, crate::methods::object::OBJECT_NEW)) => {
                self.object_new(cls, args, kwnames)?
            }
            Some(n) => {
                let n = match n.downcast_ref::<StaticMethod>() {
                    Some(s) => s.0.clone(),
                    None => n,
                };
                with_first(cls, args, |full| self.call(&n, full, kwnames))?
            }
            None => self.object_new(cls, args, kwnames)?,
        };
        if !self.isinstance(&obj, cls) {
            return Ok(obj);
        }
        let init_name = self.s_init.clone();
        let ty = self.type_of(&obj);
        if let Some(init) = self.lookup_mro(&ty, &init_name) {
            if init.is::<Function>() {
                let r = with_first(&obj, args, |full| self.call(&init, full, kwnames))?;
                if !self.is_none(&r) {
                    let tn = self.type_name(&r);
                    return Err(self.type_error(format!("__init__() should return None, not '{tn}'")));
                }
            } else if let Some(b) = init.downcast_ref::<BuiltinFn>() {
                // Built-in __init__ of a built-in base (e.g. exceptions store args).
                if &*b.name != "__init__" || b.owner.as_deref() != Some("object") {
                    with_first(&obj, args, |full| self.call(&init, full, kwnames))?;
                }
            }
        }
        Ok(obj)
    }

    /// `object.__new__(cls)`: a bare instance (with exception state for exception types).
    pub fn object_new(&mut self, cls: &Value, args: &[Value], kwnames: &[Value]) -> PyResult<Value> {
        let t = cls.downcast_ref::<Type>().ok_or_else(|| self.type_error("object.__new__(X): X is not a type object"))?;
        let is_exc = t.flags.get().is_exception;
        if !t.heap && !is_exc && !cls.ptr_eq(&self.types.object) {
            let n = t.name.borrow().clone();
            return Err(self.type_error(format!("cannot create '{n}' instances")));
        }
        let inst = Instance::new(cls.clone(), is_exc);
        if is_exc {
            let a = self.new_tuple(&args[..args.len() - kwnames.len()]);
            inst.exc().unwrap().borrow_mut().args = Some(a);
        } else if !args.is_empty() {
            // object() takes no arguments unless __init__ is overridden.
            let init = self.intern_static("__init__");
            let new = self.intern_static("__new__");
            let init_overridden = self.lookup_mro(cls, &init).is_some_and(|f| f.is::<Function>());
            let new_overridden = self.lookup_mro(cls, &new).is_some_and(|f| !f.is::<BuiltinFn>());
            if !init_overridden && !new_overridden {
                let n = t.name.borrow().clone();
                return Err(self.type_error(format!("{n}() takes no arguments")));
            }
        }
        // Only object.__new__ itself checks (BaseException.__new__, int.__new__ ... do not).
        if t.flags.get().is_abstract && !is_exc && (t.builtin_base == 0 || t.builtin_base == kind::INSTANCE) {
            return Err(self.abstract_instantiation_error(cls));
        }
        if t.builtin_base != 0 && t.builtin_base != kind::INSTANCE && !is_exc {
            // Subclass of a built-in: build the underlying value with the base constructor.
            let base = self.builtin_type_for_kind(t.builtin_base);
            if let Some(base) = base {
                let bv = self.call_type(&base, &args[..args.len() - kwnames.len()], &[])?;
                inst.set_base_value(Some(bv));
            }
        }
        let v = Value::new(inst);
        if cls.ptr_eq(&self.types.object) {
            // A bare object() has no references to anyone: CPython's object type is not
            // a GC type, so it is never tracked.
            pyvm_gc::untrack(&v);
        }
        Ok(v)
    }

    /// CPython's object.__new__ refuses a class whose `__abstractmethods__` is not empty.
    #[cold]
    fn abstract_instantiation_error(&mut self, cls: &Value) -> crate::vm::PyErr {
        let k = self.intern_static("__abstractmethods__");
        let d = cls.downcast_ref::<Type>().expect("type").dict.clone();
        let mut names: Vec<String> = match self.dict_get_str(&d, &k) {
            Some(v) => match self.to_vec(&v) {
                Ok(items) => items.iter().map(|n| self.str_val(n).to_string()).collect(),
                Err(e) => return e,
            },
            None => Vec::new(),
        };
        names.sort();
        let n = cls.downcast_ref::<Type>().expect("type").name.borrow().clone();
        let s = if names.len() == 1 { "" } else { "s" };
        self.type_error(format!("Can't instantiate abstract class {n} with abstract method{s} {}", names.join(", ")))
    }

    pub fn builtin_type_for_kind(&self, k: u32) -> Option<Value> {
        let t = &self.types;
        Some(match k {
            kind::LIST => t.list.clone(),
            kind::DICT => t.dict.clone(),
            kind::INT => t.int.clone(),
            kind::FLOAT => t.float.clone(),
            kind::STR => t.str_.clone(),
            kind::TUPLE => t.tuple.clone(),
            kind::SET => t.set.clone(),
            kind::BYTES => t.bytes.clone(),
            _ => return None,
        })
    }

    /// `__build_class__(func, name, *bases, metaclass=..., **kwds)`.
    pub fn build_class(&mut self, args: &[Value], kwnames: &[Value]) -> PyResult<Value> {
        let npos = args.len() - kwnames.len();
        if npos < 2 {
            return Err(self.type_error("__build_class__: not enough arguments"));
        }
        let func = args[0].clone();
        let name = self.str_val(&args[1]);
        let mut bases: Vec<Value> = args[2..npos].to_vec();
        let mut meta: Option<Value> = None;
        let mut kw: Vec<(Value, Value)> = Vec::new();
        for (k, v) in kwnames.iter().zip(args[npos..].iter()) {
            if self.str_val(k) == "metaclass" {
                meta = Some(v.clone());
            } else {
                kw.push((k.clone(), v.clone()));
            }
        }
        // PEP 560: a base that is not a class names its replacements through
        // __mro_entries__ (list[int] stands for list); the originals are kept as
        // __orig_bases__.
        let orig_bases = bases.clone();
        let mut replaced = false;
        let mut resolved = Vec::with_capacity(bases.len());
        for b in &orig_bases {
            if !b.is::<Type>() {
                let ty = self.type_of(b);
                let k = self.intern_static("__mro_entries__");
                if let Some(f) = self.lookup_mro(&ty, &k) {
                    let bt = self.new_tuple(orig_bases.clone());
                    let r = self.call_method_value(&f, b, &[bt])?;
                    let Some(t) = r.downcast_ref::<Tuple>() else {
                        return Err(self.type_error("__mro_entries__ must return a tuple"));
                    };
                    resolved.extend(t.0.iter().cloned());
                    replaced = true;
                    continue;
                }
            }
            resolved.push(b.clone());
        }
        bases = resolved;
        // Metaclass: explicit, else the most derived metaclass of the bases.
        let meta = match meta {
            Some(m) => m,
            None => {
                let mut m = self.types.type_.clone();
                for b in &bases {
                    let bm = self.type_of(b);
                    if self.is_subtype(&bm, &m) {
                        m = bm;
                    }
                }
                m
            }
        };
        // __prepare__ → namespace (any mapping a metaclass's __prepare__ returns).
        let ns = {
            let prepare = if meta.ptr_eq(&self.types.type_) { None } else { self.getattr_str(&meta, "__prepare__").ok() };
            match prepare {
                Some(p) => {
                    let name_v = self.new_str(name.as_str());
                    let bases_t = self.new_tuple(bases.clone());
                    let mut pargs = vec![name_v, bases_t];
                    let mut pnames = Vec::new();
                    for (k, v) in &kw {
                        pargs.push(v.clone());
                        pnames.push(k.clone());
                    }
                    self.call(&p, &pargs, &pnames)?
                }
                None => self.new_dict(),
            }
        };
        let fo = func.downcast_ref::<Function>().ok_or_else(|| self.type_error("__build_class__: func must be a function"))?;
        let mut cells = Vec::new();
        for _ in fo.code.cellvars.iter() {
            cells.push(Value::new(CellObj(std::cell::RefCell::new(None))));
        }
        if let Some(cl) = &fo.closure {
            if let Some(t) = cl.downcast_ref::<Tuple>() {
                cells.extend(t.0.iter().cloned());
            }
        }
        let frame = self.new_frame(&fo.code, Some(func.clone()), fo.globals.clone(), Some(ns.clone()), &cells);
        drop(cells);
        let classcell = match self.run_frame(frame, None)? {
            FrameExit::Return(v) => v,
            FrameExit::Yield(v, _) => v,
        };
        if replaced {
            let k = self.intern_static("__orig_bases__");
            let ob = self.new_tuple(orig_bases);
            self.setitem(&ns, k, ob)?;
        }
        if bases.is_empty() {
            bases.push(self.types.object.clone());
        }
        let name_v = self.new_str(name.as_str());
        let bases_t = self.new_tuple(bases);
        let mut cargs = vec![name_v, bases_t, ns];
        let mut cnames = Vec::new();
        for (k, v) in kw {
            cargs.push(v);
            cnames.push(k);
        }
        let cls = self.call(&meta, &cargs, &cnames)?;
        if let Some(cell) = classcell.downcast_ref::<CellObj>() {
            *cell.0.borrow_mut() = Some(cls.clone());
        }
        Ok(cls)
    }

    /// `type(name, bases, ns)`: create a class.
    pub fn make_class(&mut self, meta: &Value, name: &str, bases: Vec<Value>, ns: &Value, kw: Vec<(Value, Value)>) -> PyResult<Value> {
        let bases = if bases.is_empty() { vec![self.types.object.clone()] } else { bases };
        for b in &bases {
            if !b.is::<Type>() {
                return Err(self.type_error("bases must be types"));
            }
        }
        let dict = self.new_dict();
        self.dict_update_from(&dict, ns, false)?;
        let cls = self.new_type(name, bases.clone(), dict.clone(), kind::INSTANCE, true);
        let mro = self.compute_mro(&cls, &bases)?;
        let t = cls.downcast_ref::<Type>().unwrap();
        // The stored MRO omits the class itself (which would be a self-reference).
        *t.mro.borrow_mut() = mro;
        crate::objects::dict::bump_type_epoch();
        if let Some(me) = pyvm_gc::WeakAddr::new(&cls) {
            for b in &bases {
                if let Some(bt) = b.downcast_ref::<Type>() {
                    bt.subclasses.borrow_mut().push(me);
                }
            }
        }
        if !meta.ptr_eq(&self.types.type_) {
            *t.meta.borrow_mut() = Some(meta.clone());
        }
        let qn = self.intern_static("__qualname__");
        if let Some(q) = self.dict_get_str(&dict, &qn) {
            *t.qualname.borrow_mut() = self.str_val(&q).into();
            self.dict_del_str(&dict, &qn);
        }
        let mn = self.intern_static("__module__");
        if let Some(m) = self.dict_get_str(&dict, &mn) {
            *t.module.borrow_mut() = Some(m);
        }
        // Every class dict has __doc__ (None without a docstring), as in CPython.
        let dn = self.intern_static("__doc__");
        if self.dict_get_str(&dict, &dn).is_none() {
            let none = self.none.clone();
            self.dict_set(&dict, dn, none)?;
        }
        let cc = self.intern_static("__classcell__");
        self.dict_del_str(&dict, &cc);
        // __slots__ without __dict__ removes instance dicts.
        let slots_name = self.intern_static("__slots__");
        let mut flags = t.flags.get();
        if let Some(slots) = self.dict_get_str(&dict, &slots_name) {
            let names = if slots.is::<Str>() { vec![slots] } else { self.to_vec(&slots)? };
            // Private names are mangled with the class name, as the compiler mangles
            // `self.__x` in the class body (_Py_Mangle).
            let cls_trim = name.trim_start_matches('_').to_string();
            let names: Vec<Value> = names
                .into_iter()
                .map(|n| {
                    let s = self.str_val(&n);
                    if s.starts_with("__") && !s.ends_with("__") && !cls_trim.is_empty() {
                        self.new_str(format!("_{cls_trim}{s}"))
                    } else {
                        n
                    }
                })
                .collect();
            let has_dict = names.iter().any(|n| self.str_val(n) == "__dict__");
            let base_has_dict = bases.iter().any(|b| b.downcast_ref::<Type>().is_some_and(|bt| bt.heap && bt.flags.get().has_dict));
            flags.has_dict = has_dict || base_has_dict;
            flags.slotted = true;
            let mut allowed: Vec<String> = names.iter().map(|n| self.str_val(n)).collect();
            for b in &bases {
                if let Some(bt) = b.downcast_ref::<Type>() {
                    allowed.extend(bt.slot_names.borrow().iter().cloned());
                }
            }
            *t.slot_names.borrow_mut() = allowed;
        }
        // Slots declared by base classes stay slots in subclasses.
        if !flags.slotted {
            let mut inherited = Vec::new();
            for b in &bases {
                if let Some(bt) = b.downcast_ref::<Type>() {
                    inherited.extend(bt.slot_names.borrow().iter().cloned());
                }
            }
            *t.slot_names.borrow_mut() = inherited;
        }
        // Defining __eq__ without __hash__ makes instances unhashable.
        let eq_name = self.intern_static("__eq__");
        let hash_name = self.intern_static("__hash__");
        if self.dict_get_str(&dict, &eq_name).is_some() && self.dict_get_str(&dict, &hash_name).is_none() {
            let none = self.none.clone();
            self.dict_set(&dict, hash_name, none)?;
        }
        t.flags.set(flags);
        self.refresh_type_flags(&cls);
        {
            // CPython's companions of a class: __mro__ and __bases__ tuples, and the
            // __dict__/__weakref__ getset descriptors of classes whose instances have them.
            let mut mro_items = vec![cls.clone()];
            mro_items.extend(t.mro.borrow().iter().cloned());
            let mut extras = vec![self.new_tuple(mro_items), self.new_tuple(bases.clone())];
            let own_dict = flags.has_dict && !bases.iter().any(|b| b.downcast_ref::<Type>().is_some_and(|bt| bt.heap && bt.flags.get().has_dict));
            if own_dict {
                for _ in 0..2 {
                    extras.push(Value::new(crate::objects::typeobj::GetSetDescr { owner: cls.clone() }));
                }
            }
            *t.gc_extras.borrow_mut() = extras;
        }
        // Wrap __new__/__init_subclass__/__class_getitem__ implicitly as CPython does.
        for special in ["__new__"] {
            let n = self.intern(special);
            if let Some(f) = self.dict_get_str(&dict, &n) {
                if f.is::<Function>() {
                    self.dict_set(&dict, n, Value::new(StaticMethod(f)))?;
                }
            }
        }
        for special in ["__init_subclass__", "__class_getitem__"] {
            let n = self.intern(special);
            if let Some(f) = self.dict_get_str(&dict, &n) {
                if f.is::<Function>() {
                    self.dict_set(&dict, n, Value::new(ClassMethod(f)))?;
                }
            }
        }
        // __set_name__ on descriptors.
        for (k, v) in dict.downcast_ref::<Dict>().unwrap().items() {
            if v.is::<Instance>() {
                let sname = self.intern_static("__set_name__");
                if let Some(sn) = self.lookup_special(&v, &sname) {
                    if let Err(e) = self.call(&sn, &[cls.clone(), k.clone()], &[]) {
                        // As CPython 3.11's type_new_set_names: a RuntimeError caused by it.
                        let (tn, kr) = (self.type_name(&v), self.repr(&k)?);
                        let cn = cls.downcast_ref::<Type>().map(|t| t.name.borrow().to_string()).unwrap_or_default();
                        let err = self.runtime_error(format!("Error calling __set_name__ on '{tn}' instance {kr} in '{cn}'"));
                        let cause = self.intern_static("__cause__");
                        self.generic_setattr(&err.0, &cause, e.0)?;
                        return Err(err);
                    }
                }
            }
        }
        // super(cls).__init_subclass__(**kw): the first definition after cls in its MRO.
        let isc = self.intern_static("__init_subclass__");
        let mro = cls.downcast_ref::<Type>().map(|t| t.mro.borrow().clone()).unwrap_or_default();
        let found = mro.iter().find_map(|t| t.downcast_ref::<Type>().and_then(|t| self.dict_get_str(&t.dict, &isc)));
        if let Some(cm) = found.as_ref().and_then(|f| f.downcast_ref::<ClassMethod>()) {
            let func = cm.0.clone();
            let mut args = vec![cls.clone()];
            let mut names = Vec::new();
            for (k, v) in kw {
                args.push(v);
                names.push(k);
            }
            self.call(&func, &args, &names)?;
        }
        Ok(cls)
    }

    /// C3 linearization (without the class itself).
    pub fn compute_mro(&mut self, _cls: &Value, bases: &[Value]) -> PyResult<Vec<Value>> {
        let mut seqs: Vec<Vec<Value>> = Vec::new();
        for b in bases {
            let bt = b.downcast_ref::<Type>().unwrap();
            let mut full = vec![b.clone()];
            full.extend(bt.mro.borrow().iter().cloned());
            seqs.push(full);
        }
        seqs.push(bases.to_vec());
        let mut out: Vec<Value> = Vec::new();
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                return Ok(out);
            }
            let mut cand = None;
            for s in &seqs {
                let h = &s[0];
                if !seqs.iter().any(|o| o[1..].iter().any(|x| x.ptr_eq(h))) {
                    cand = Some(h.clone());
                    break;
                }
            }
            let Some(c) = cand else {
                let names: Vec<String> = bases.iter().map(|b| b.downcast_ref::<Type>().unwrap().name.borrow().to_string()).collect();
                return Err(self.type_error(format!(
                    "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                    names.join(", ")
                )));
            };
            for s in seqs.iter_mut() {
                if s[0].ptr_eq(&c) {
                    s.remove(0);
                }
            }
            out.push(c);
        }
    }
}

fn join_names(names: &[String]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        1 => q[0].clone(),
        2 => format!("{} and {}", q[0], q[1]),
        _ => format!("{}, and {}", q[..q.len() - 1].join(", "), q[q.len() - 1]),
    }
}

pub fn rc_str(s: &str) -> Rc<str> {
    s.into()
}

/// The OSError subclass CPython uses for an errno (its errnomap), if any.
pub fn oserror_subclass(errno: i64) -> Option<&'static str> {
    Some(match errno {
        1 | 13 => "PermissionError",
        2 => "FileNotFoundError",
        3 => "ProcessLookupError",
        4 => "InterruptedError",
        10 => "ChildProcessError",
        11 | 114 | 115 => "BlockingIOError",
        17 => "FileExistsError",
        20 => "NotADirectoryError",
        21 => "IsADirectoryError",
        32 | 108 => "BrokenPipeError",
        103 => "ConnectionAbortedError",
        104 => "ConnectionResetError",
        110 => "TimeoutError",
        111 => "ConnectionRefusedError",
        _ => return None,
    })
}

/// Run `f` on `first` followed by `args` as one slice (a bound self, or the class
/// handed to `__new__`): up to three arguments the slice is on the stack, beyond
/// that a vector. The values are released in slice order afterwards, as a vector's are.
pub fn with_first<R>(first: &Value, args: &[Value], f: impl FnOnce(&[Value]) -> R) -> R {
    match args {
        [] => f(&[first.clone()]),
        [a] => f(&[first.clone(), a.clone()]),
        [a, b] => f(&[first.clone(), a.clone(), b.clone()]),
        [a, b, c] => f(&[first.clone(), a.clone(), b.clone(), c.clone()]),
        _ => {
            let mut full = Vec::with_capacity(args.len() + 1);
            full.push(first.clone());
            full.extend_from_slice(args);
            f(&full)
        }
    }
}
