//! The instructions that run outside the dispatch loop (`interp.rs`): attribute
//! access with its inline caches, name and global lookups, and CALL -- the exact-argument
//! path that moves arguments into a pooled frame, inlined class construction, and the
//! built-ins that look at the calling frame (`locals()`, `eval`, `sys._getframe`).
//! Kept out of line, their code does not crowd the loop's register allocation.

use crate::frame::Frame;
use crate::interp::Exit;
use crate::objects::*;
use crate::vm::{PyErr, PyResult, Vm};
use pyvm_gc::Value;

macro_rules! pop {
    ($f:expr) => {
        $f.stack.pop().expect("stack underflow")
    };
}

impl Vm {
    // The attribute instructions live outside the dispatch loop: kept inline, their code
    // made the loop's register allocation worse for every other instruction.

    #[inline(never)]
    pub(crate) fn op_load_attr(&mut self, f: &mut Frame, code: &CodeRt, arg: usize, i: usize) -> PyResult<()> {
        let cache = code.attr_slot(i);
        // A hit replaces the object on top of the stack in place (no pop and push).
        let top = f.stack.last_mut().expect("stack underflow");
        if let Some(v) = self.load_attr_cached(top, &code.names[arg], cache) {
            *top = v;
            return Ok(());
        }
        let obj = pop!(f);
        let name = &code.names[arg];
        if cache.is_module() {
            if let Some(v) = module_attr_at(&obj, name, cache.index()) {
                f.stack.push(v);
                return Ok(());
            }
        }
        let v = self.getattr(&obj, name)?;
        if let Some(pos) = module_attr_pos(&obj, name, &v) {
            cache.set_module(pos);
        }
        f.stack.push(v);
        Ok(())
    }

    #[inline(never)]
    pub(crate) fn op_store_attr(&mut self, f: &mut Frame, code: &CodeRt, arg: usize, i: usize) -> PyResult<()> {
        let obj = pop!(f);
        let v = pop!(f);
        let v = match self.store_attr_cached(&obj, &code.names[arg], v, code.attr_slot(i)) {
            Ok(()) => return Ok(()),
            Err(v) => v,
        };
        let v = match self.store_attr_fast(&obj, &f.code.names[arg], v) {
            Ok(()) => return Ok(()),
            Err(v) => v,
        };
        let name = f.code.names[arg].clone();
        self.setattr(&obj, &name, v)
    }

    #[inline(never)]
    pub(crate) fn op_load_method(&mut self, f: &mut Frame, code: &CodeRt, arg: usize, i: usize) -> PyResult<()> {
        let obj = pop!(f);
        // Built-in value receivers: the per-instruction method cache.
        let cacheable = obj.is_int()
            || matches!(
                obj.kind(),
                Some(kind::STR | kind::LIST | kind::DICT | kind::SET | kind::TUPLE | kind::BYTES | kind::BYTEARRAY | kind::FLOAT | kind::INT | kind::COMPLEX | kind::DICTVIEW)
            );
        let cache = code.method_slot(i);
        if cacheable {
            if let Some(Some(slot)) = cache.map(|c| c.slot.borrow()).as_deref() {
                let ty = self.type_of(&obj);
                if let Some(func) = slot.func.as_ref().filter(|_| slot.ty == ty.raw() && slot.epoch == crate::objects::dict::type_epoch()) {
                    f.stack.push(func.clone());
                    f.stack.push(obj);
                    return Ok(());
                }
            }
        } else if let Some(inst) = obj.downcast_ref::<Instance>() {
            // A plain function on the class of an instance that keeps split values and
            // whose class has gained no shared key since: the instance cannot have an
            // attribute of the method's name (CPython's LOAD_METHOD_WITH_VALUES).
            if let Some(cache) = cache {
                let (ty, epoch) = (inst.cls_raw(), crate::objects::dict::type_epoch());
                if let Some(e) = cache.classes.iter().map(|c| c.get()).find(|e| e.ty == ty && e.epoch == epoch) {
                    // The cache holds no reference: the function is read from where the
                    // class's dict chain had it (unchanged while the epoch is).
                    if let Some(func) = inst.class_attr_if_keys(e.depth as usize, e.pos as usize, &code.names[arg], Some(e.nkeys as usize)) {
                        f.stack.push(func);
                        f.stack.push(obj);
                        return Ok(());
                    }
                }
            }
        } else if !obj.is::<Module>() {
            // The rest: no cache to consult.
        } else if let Some(Some(slot)) = cache.map(|c| c.slot.borrow()).as_deref() {
            // `math.sqrt(x)`: a module attribute at a remembered dict position.
            if slot.func.is_none() {
                if let Some(v) = module_attr_at(&obj, &code.names[arg], slot.pos) {
                    f.stack.push(self.null.clone());
                    f.stack.push(v);
                    return Ok(());
                }
            }
        }
        if let Some(func) = self.load_method_fast(&obj, &f.code.names[arg]) {
            if let Some(cell) = cache {
                self.method_cache_fill_instance(cell, &obj, &f.code.names[arg], &func);
            }
            f.stack.push(func);
            f.stack.push(obj);
            return Ok(());
        }
        let name = f.code.names[arg].clone();
        match self.get_method(&obj, &name)? {
            (Some(func), _) => {
                if cacheable && func.is::<BuiltinFn>() {
                    if let Some(cell) = cache {
                        let ty = self.type_of(&obj);
                        let slot = crate::objects::function::MethodSlot { ty: ty.raw(), epoch: crate::objects::dict::type_epoch(), func: Some(func.clone()), pos: 0 };
                        let old = cell.slot.replace(Some(slot));
                        drop(old);
                    }
                }
                f.stack.push(func);
                f.stack.push(obj);
            }
            (None, attr) => {
                if let (Some(cell), Some(pos)) = (cache, module_attr_pos(&obj, &name, &attr)) {
                    let slot = crate::objects::function::MethodSlot { ty: 0, epoch: 0, func: None, pos };
                    let old = cell.slot.replace(Some(slot));
                    drop(old);
                }
                f.stack.push(self.null.clone());
                f.stack.push(attr);
            }
        }
        Ok(())
    }

    /// Remember a method found by `load_method_fast` on an instance, when the class
    /// lets the cache prove the next instance lacks an attribute of that name: no
    /// `__slots__`, not an exception class, and the name is not one of the class's
    /// shared keys (which are append-only: the count is remembered too).
    fn method_cache_fill_instance(&self, cache: &crate::objects::function::MethodCache, obj: &Value, name: &Value, func: &Value) {
        let Some(inst) = obj.downcast_ref::<Instance>() else { return };
        // The class's own entry is refreshed (its shared keys may have grown); else an
        // entry that is free or stale (an older type epoch) takes the class. A site that
        // has seen more classes keeps the ones it has (until the epoch moves on) rather
        // than paying for a refill on every change of class.
        let epoch = crate::objects::dict::type_epoch();
        let ty = inst.cls_raw();
        let entry = cache.classes.iter().find(|c| c.get().ty == ty);
        let Some(entry) = entry.or_else(|| cache.classes.iter().find(|c| c.get().ty == 0 || c.get().epoch != epoch)) else { return };
        let cls = inst.cls();
        let Some(t) = cls.downcast_ref::<Type>() else { return };
        let fl = t.flags.get();
        if fl.is_exception || fl.slotted || !t.slot_names.borrow().is_empty() || inst.shared_key_index(name).is_some() {
            return;
        }
        let Some(nkeys) = inst.split_key_count() else { return };
        // Where `load_method_fast` just found it (the type attribute cache's entry).
        let Some((depth, pos)) = self.type_cache_position(&cls, name) else { return };
        if !inst.class_attr_at(depth, pos, name).is_some_and(|v| v.ptr_eq(func)) {
            return;
        }
        entry.set(crate::objects::function::InstanceMethod { ty: cls.raw(), epoch, pos: pos as u32, depth: depth as u32, nkeys: nkeys as u32 });
    }

    #[cold]
    pub(crate) fn unbound_local(&mut self, f: &Frame, i: usize) -> PyErr {
        let name = f.code.varnames[i].to_string();
        self.new_exception(
            "UnboundLocalError",
            format!("cannot access local variable '{name}' where it is not associated with a value"),
        )
    }

    pub(crate) fn unbound_cell(&mut self, f: &Frame, i: usize) -> PyErr {
        let name = f.code.cell_name(i).to_string();
        if i < f.code.cellvars.len() {
            self.new_exception(
                "UnboundLocalError",
                format!("cannot access local variable '{name}' where it is not associated with a value"),
            )
        } else {
            self.new_exception(
                "NameError",
                format!("cannot access free variable '{name}' where it is not associated with a value in enclosing scope"),
            )
        }
    }

    pub(crate) fn load_name(&mut self, f: &Frame, name: &Value) -> PyResult<Value> {
        if let Some(l) = &f.locals {
            if l.is::<Dict>() {
                if let Some(v) = self.dict_get_str(l, name) {
                    return Ok(v);
                }
            } else {
                // A class body run in the mapping a metaclass's __prepare__ returned.
                match self.getitem(l, name) {
                    Ok(v) => return Ok(v),
                    Err(e) if self.err_is(&e, "KeyError") => {}
                    Err(e) => return Err(e),
                }
            }
        }
        self.load_global(f, name)
    }

    /// LOAD_GLOBAL through the code's inline cache (see `GlobalSlot`).
    #[inline]
    pub(crate) fn load_global_cached(&mut self, f: &Frame, idx: usize) -> PyResult<Value> {
        let name = &f.code.names[idx];
        let (Some(cell), Some(g)) = (f.code.global_cache.get(idx), f.globals.downcast_ref::<Dict>()) else {
            let name = name.clone();
            return self.load_global(f, &name);
        };
        let slot = cell.get();
        if slot.pos != u32::MAX {
            if !slot.in_builtins {
                if let Some(v) = g.table.borrow().value_at_if_key(slot.pos as usize, name) {
                    return Ok(v.clone());
                }
            } else if g.table.borrow().version == slot.globals_version {
                if let Some(b) = self.builtins.downcast_ref::<Dict>() {
                    if let Some(v) = b.table.borrow().value_at_if_key(slot.pos as usize, name) {
                        return Ok(v.clone());
                    }
                }
            }
        }
        let Some(b) = self.builtins.downcast_ref::<Dict>() else {
            let name = name.clone();
            return self.load_global(f, &name);
        };
        // Miss: look the name up and remember where it was found (by identity only:
        // a key that is merely equal is looked up the slow way every time).
        let h = name.downcast_ref::<Str>().map(|s| s.hash());
        if let Some(h) = h {
            let gt = g.table.borrow();
            if let Some(p) = gt.find_identical(h, name) {
                cell.set(GlobalSlot { pos: p as u32, in_builtins: false, globals_version: 0 });
            } else if gt.version != 0 {
                if let Some(p) = b.table.borrow().find_identical(h, name) {
                    cell.set(GlobalSlot { pos: p as u32, in_builtins: true, globals_version: gt.version });
                }
            }
        }
        let name = name.clone();
        self.load_global(f, &name)
    }

    /// STORE_NAME at module level (the namespace is the globals dict) into a name the
    /// global cache has found before: the value is replaced in place. Gives the value
    /// back when the general path must run.
    #[inline]
    pub(crate) fn store_name_cached(&mut self, f: &Frame, idx: usize, v: Value) -> Result<(), Value> {
        let (Some(ns), Some(cell)) = (f.locals.as_ref(), f.code.global_cache.get(idx)) else { return Err(v) };
        let slot = cell.get();
        if slot.pos == u32::MAX || slot.in_builtins || !ns.ptr_eq(&f.globals) {
            return Err(v);
        }
        let Some(d) = ns.downcast_ref::<Dict>() else { return Err(v) };
        self.maintain_dict_tracking(ns, &v);
        let mut t = d.table.borrow_mut();
        let watched = t.watched;
        match t.entries.get_mut(slot.pos as usize) {
            Some(Some(e)) if e.key.ptr_eq(&f.code.names[idx]) => {
                if watched {
                    crate::objects::dict::bump_type_epoch();
                }
                let old = std::mem::replace(&mut e.value, v);
                // The old value's finalizer may look at the namespace: release it last.
                drop(t);
                drop(old);
                Ok(())
            }
            _ => Err(v),
        }
    }

    /// After a STORE_NAME at module level took the general path: remember where the
    /// name now is (the cache LOAD_NAME and LOAD_GLOBAL share).
    pub(crate) fn fill_store_cache(&mut self, f: &Frame, idx: usize) {
        let (Some(ns), Some(cell)) = (f.locals.as_ref(), f.code.global_cache.get(idx)) else { return };
        if !ns.ptr_eq(&f.globals) {
            return;
        }
        let name = &f.code.names[idx];
        let (Some(d), Some(h)) = (ns.downcast_ref::<Dict>(), name.downcast_ref::<Str>().map(|s| s.hash())) else { return };
        if let Some(p) = d.table.borrow().find_identical(h, name) {
            cell.set(GlobalSlot { pos: p as u32, in_builtins: false, globals_version: 0 });
        }
    }

    pub(crate) fn load_global(&mut self, f: &Frame, name: &Value) -> PyResult<Value> {
        if let Some(v) = self.dict_get_str(&f.globals, name) {
            return Ok(v);
        }
        let builtins = self.builtins.clone();
        if let Some(v) = self.dict_get_str(&builtins, name) {
            return Ok(v);
        }
        let n = self.str_val(name);
        Err(self.new_exception("NameError", format!("name '{n}' is not defined")))
    }

    /// CALL: `[NULL|method, callable|self, args...]`.
    pub(crate) fn op_call(&mut self, f: &mut Box<Frame>, argc: usize, kwnames: Option<Value>) -> PyResult<Option<Exit>> {
        let n = f.stack.len();
        let is_meth = !self.is_null(&f.stack[n - argc - 2]);
        let total = argc + is_meth as usize;
        // CALL_PY_EXACT_ARGS: arguments move from this stack straight into the callee.
        if kwnames.is_none() {
            let (callable, self_arg) = if is_meth {
                (&f.stack[n - argc - 2], None)
            } else {
                match f.stack[n - argc - 1].downcast_ref::<Method>() {
                    Some(m) => (&m.func, Some(&m.self_)),
                    None => (&f.stack[n - argc - 1], None),
                }
            };
            if let Some(func) = callable.downcast_ref::<Function>() {
                let nargs = total + self_arg.is_some() as usize;
                if !func.code.is_generator_like() && func.takes_exact_positional(nargs) {
                    let self_arg = self_arg.cloned();
                    let callable = callable.clone();
                    let func = callable.downcast_ref::<Function>().expect("function");
                    let mut fr = self.exact_args_frame(&callable, func, nargs);
                    let first = self_arg.is_some() as usize;
                    if let Some(s) = self_arg {
                        fr.fast[0] = Some(s);
                    }
                    // Pop the arguments straight into their slots, last first, then the
                    // callable and the NULL (or bound self) below them, released in stack
                    // order as `truncate` would.
                    for k in (first..first + total).rev() {
                        fr.fast[k] = f.stack.pop();
                    }
                    if is_meth {
                        let callable = f.stack.pop();
                        drop(callable);
                    } else {
                        let callable = f.stack.pop();
                        let null = f.stack.pop();
                        drop(null);
                        drop(callable);
                    }
                    debug_assert_eq!(f.stack.len(), n - argc - 2);
                    self.safe_point()?;
                    return Ok(Some(Exit::Call(fr)));
                }
            }
        }
        // Built-in functions and method descriptors (but the frame-aware few): called
        // with the arguments in place, ahead of the class and bound-method checks.
        let names: &[Value] = match &kwnames {
            Some(k) => k.downcast_ref::<Tuple>().map_or(&[], |t| &t.0[..]),
            None => &[],
        };
        let callable_slot = if is_meth { &f.stack[n - argc - 2] } else { &f.stack[n - argc - 1] };
        if let Some(b) = callable_slot.downcast_ref::<BuiltinFn>().filter(|b| !b.frame_aware) {
            // The stack slot keeps the built-in alive through the call; nothing but this
            // frame's own instructions touches the frame's stack.
            let r = self.call_builtin(b, &f.stack[n - total..], names);
            return self.finish_call_in_place(f, n - argc - 2, r);
        }
        // A class call whose `__init__` is a plain Python function: create the instance
        // here and run `__init__` as an ordinary frame (no Rust recursion); its return
        // hands back the instance (`init_self`).
        if kwnames.is_none() && !is_meth {
            if let Some(init) = self.inlinable_init(&f.stack[n - argc - 1], total) {
                let cls = f.stack[n - argc - 1].clone();
                let obj = self.object_new(&cls, &f.stack[n - total..], &[])?;
                let func = init.downcast_ref::<Function>().expect("function");
                let mut fr = self.exact_args_frame(&init, func, total + 1);
                fr.fast[0] = Some(obj.clone());
                for k in (1..=total).rev() {
                    fr.fast[k] = f.stack.pop();
                }
                let cls = f.stack.pop();
                let null = f.stack.pop();
                drop(null);
                drop(cls);
                if crate::diagnostics::recording_sites() {
                    crate::diagnostics::record_site(&obj, &f.code.filename, f.line());
                }
                fr.init_self = Some(obj);
                self.safe_point()?;
                return Ok(Some(Exit::Call(fr)));
            }
        }
        let callable = if is_meth { f.stack[n - argc - 2].clone() } else { f.stack[n - argc - 1].clone() };
        // Python-to-Python calls move the arguments into the new frame (no Rust recursion).
        if let Some(func) = callable.downcast_ref::<Function>() {
            if !func.code.is_generator_like() {
                let frame = self.make_frame_owned(&callable, f.stack.drain(n - total..), names);
                // Drop the callable slots (and NULL).
                f.stack.truncate(n - argc - 2);
                let frame = frame?;
                self.safe_point()?;
                return Ok(Some(Exit::Call(frame)));
            }
        }
        if let Some(m) = callable.downcast_ref::<Method>() {
            if let Some(func) = m.func.downcast_ref::<Function>() {
                if !func.code.is_generator_like() && !is_meth {
                    let mut args: Vec<Value> = Vec::with_capacity(total + 1);
                    args.push(m.self_.clone());
                    args.extend(f.stack.split_off(n - total));
                    let func_v = m.func.clone();
                    let frame = self.make_frame_owned(&func_v, args, names);
                    f.stack.truncate(n - argc - 2);
                    let frame = frame?;
                    self.safe_point()?;
                    return Ok(Some(Exit::Call(frame)));
                }
            }
        }
        // sys._getframe() looks at the running frame.
        if total <= 1 && names.is_empty() {
            if let Some(b) = callable.downcast_ref::<BuiltinFn>() {
                if b.frame_aware && &*b.name == "_getframe" {
                    let args: Vec<Value> = f.stack[n - total..].to_vec();
                    let r = self.getframe(f, &args);
                    f.stack.truncate(n - argc - 2);
                    f.stack.push(r?);
                    return Ok(None);
                }
            }
        }
        // eval(src) / exec(src) run in the caller's namespaces.
        if total == 1 && names.is_empty() {
            if let Some(b) = callable.downcast_ref::<BuiltinFn>() {
                if b.frame_aware && matches!(&*b.name, "eval" | "exec") {
                    let g = self.frame_namespace(f, "globals")?;
                    let l = self.frame_namespace(f, "locals")?;
                    let src = f.stack[n - 1].clone();
                    let r = self.call(&callable, &[src, g, l], &[]);
                    f.stack.truncate(n - argc - 2);
                    f.stack.push(r?);
                    return Ok(None);
                }
            }
        }
        if total == 0 {
            if let Some(b) = callable.downcast_ref::<BuiltinFn>() {
                if b.frame_aware && matches!(&*b.name, "locals" | "globals" | "vars" | "dir") {
                    let name = b.name.clone();
                    let v = self.frame_namespace(f, &name)?;
                    f.stack.truncate(n - argc - 2);
                    f.stack.push(v);
                    return Ok(None);
                }
            }
        }
        let args_start = n - total;
        // Built-ins see the arguments in place on the stack (no extra references:
        // `sys.getrefcount(x)` counts exactly the one stack slot, as in CPython).
        let r = self.call(&callable, &f.stack[args_start..], names);
        self.finish_call_in_place(f, n - argc - 2, r)
    }

    /// The end of a call whose arguments stayed on the stack: drop them and the
    /// callable (down to `base`), then push the result (remembering where it was made
    /// when `--cycles` records sites).
    #[inline(always)]
    fn finish_call_in_place(&mut self, f: &mut Frame, base: usize, r: PyResult<Value>) -> PyResult<Option<Exit>> {
        f.stack.truncate(base);
        let r = r?;
        if crate::diagnostics::recording_sites() && r.refcnt() == 1 {
            crate::diagnostics::record_site(&r, &f.code.filename, f.line());
        }
        f.stack.push(r);
        self.safe_point()?;
        Ok(None)
    }

    /// `locals()`, `globals()`, `vars()`, `dir()` without arguments need the caller's frame.
    pub(crate) fn frame_namespace(&mut self, f: &mut Frame, which: &str) -> PyResult<Value> {
        if which == "globals" {
            return Ok(f.globals.clone());
        }
        let ns = match &f.locals {
            Some(l) => l.clone(),
            None => {
                // PyFrame_FastToLocals: bound names are (re)set, unbound ones removed,
                // other keys (written by exec) stay.
                let d = match &f.locals_snapshot {
                    Some(d) => d.clone(),
                    None => {
                        let d = self.new_dict();
                        f.locals_snapshot = Some(d.clone());
                        d
                    }
                };
                for (i, v) in f.fast.iter().enumerate() {
                    let k = self.intern(&f.code.varnames[i]);
                    match v {
                        Some(v) => self.dict_set(&d, k, v.clone())?,
                        None => {
                            let old = self.dict_del_str(&d, &k);
                            drop(old);
                        }
                    }
                }
                for (i, c) in f.cells.iter().enumerate() {
                    let k = self.intern(f.code.cell_name(i));
                    match c.downcast_ref::<CellObj>().and_then(|c| c.0.borrow().clone()) {
                        Some(v) => self.dict_set(&d, k, v)?,
                        None => {
                            let old = self.dict_del_str(&d, &k);
                            drop(old);
                        }
                    }
                }
                d
            }
        };
        if which == "dir" {
            let mut keys: Vec<String> = ns.downcast_ref::<Dict>().map(|d| d.keys()).unwrap_or_default().iter().map(|k| self.str_val(k)).collect();
            keys.sort();
            let v = keys.into_iter().map(|k| self.new_str(k)).collect();
            return Ok(self.new_list(v));
        }
        Ok(ns)
    }

    /// `_PyObject_FunctionStr`: how a callable is named in call errors (`__main__.f()`).
    pub fn function_str(&mut self, func: &Value) -> String {
        if let Some(f) = func.downcast_ref::<Function>() {
            let q = f.qualname.borrow().clone();
            let m = f.module.borrow().clone();
            let qs = self.str_val(&q);
            let ms = m.map(|m| self.str_val(&m)).unwrap_or_default();
            if ms.is_empty() || ms == "builtins" {
                return format!("{qs}()");
            }
            return format!("{ms}.{qs}()");
        }
        if let Some(b) = func.downcast_ref::<BuiltinFn>() {
            return format!("{}()", b.name);
        }
        let tn = self.type_name(func);
        format!("{tn} object")
    }
}

/// The attribute `name` of module `obj` if its dict holds that very key at `pos`. A
/// module's type is a built-in one, whose attributes never change, so a dict entry
/// once found to be the attribute stays the attribute while it is there.
#[inline]
fn module_attr_at(obj: &Value, name: &Value, pos: u32) -> Option<Value> {
    let m = obj.downcast_ref::<Module>()?;
    let d = m.dict.downcast_ref::<Dict>()?;
    let t = d.table.borrow();
    t.value_at_if_key(pos as usize, name).cloned()
}

/// Where in module `obj`'s dict the attribute value `v` of `name` was found (None
/// when `obj` is no module, or the value did not come from its dict).
fn module_attr_pos(obj: &Value, name: &Value, v: &Value) -> Option<u32> {
    let m = obj.downcast_ref::<Module>()?;
    let d = m.dict.downcast_ref::<Dict>()?;
    let h = name.downcast_ref::<Str>()?.hash();
    let t = d.table.borrow();
    let p = t.find_identical(h, name)?;
    t.entries[p].as_ref().filter(|e| e.value.ptr_eq(v)).map(|_| p as u32)
}
