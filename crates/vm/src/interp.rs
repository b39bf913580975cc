//! The interpreter loop.
//!
//! `run_frame` executes a frame and every Python function it calls without growing the
//! Rust stack: a call pushes the caller onto a local frame list and switches to the
//! callee; a return pops back. Exceptions consult the code's exception table (CPython
//! 3.11's zero-cost scheme), record a traceback entry per frame they leave, and propagate
//! to the caller frame. A generator frame returns to its resumer on `YIELD_VALUE`.
//! Backward jumps and calls are safe points where a pending cycle collection runs.

use crate::frame::Frame;
use crate::iter::{Iter, IterState};
use crate::objects::*;
use crate::vm::{PyErr, PyResult, Vm};
use pyvm_compiler::ast::BinOp;
use pyvm_compiler::bytecode::Opcode;
use pyvm_gc::Value;

pub enum FrameExit {
    Return(Value),
    Yield(Value, Box<Frame>),
}

macro_rules! pop {
    ($f:expr) => {
        $f.stack.pop().expect("stack underflow")
    };
}
macro_rules! top {
    ($f:expr) => {
        $f.stack.last().expect("stack underflow")
    };
}

impl Vm {
    /// Run `frame` to completion (or to its next yield). `throw` injects an exception at
    /// the current instruction (generator `throw()`).
    pub fn run_frame(&mut self, frame: Box<Frame>, throw: Option<PyErr>) -> PyResult<FrameExit> {
        if crate::stack::exhausted() {
            return Err(self.new_exception("RecursionError", "maximum recursion depth exceeded"));
        }
        let base_depth = self.depth;
        // Callers of the running frame live on `self.frame_stack` above `base`; frames
        // below belong to the runs this one is nested in (Rust-level calls).
        let base = self.frame_stack.len();
        let mut f = frame;
        let mut pending: Option<(PyErr, bool)> = throw.map(|e| (e, false));
        loop {
            let result = match pending.take() {
                Some((e, reraise)) => Err((e, reraise)),
                None => self.execute(&mut f, base),
            };
            match result {
                Ok(Exit::Return(v)) => {
                    match self.pop_caller(base) {
                        Some(caller) => {
                            let mut finished = std::mem::replace(&mut f, caller);
                            let init_self = finished.init_self.take();
                            self.recycle_frame(finished);
                            self.depth -= 1;
                            match init_self {
                                None => f.stack.push(v),
                                Some(obj) if self.is_none(&v) => f.stack.push(obj),
                                Some(obj) => {
                                    drop(obj);
                                    let tn = self.type_name(&v);
                                    let e = self.type_error(format!("__init__() should return None, not '{tn}'"));
                                    pending = Some((e, false));
                                }
                            }
                        }
                        None => {
                            self.recycle_frame(f);
                            self.depth = base_depth;
                            return Ok(FrameExit::Return(v));
                        }
                    }
                }
                Ok(Exit::Yield(v)) => {
                    // Only the outermost frame of this run can be a generator frame.
                    self.depth = base_depth;
                    return Ok(FrameExit::Yield(v, f));
                }
                Ok(Exit::Reraise(e)) => {
                    pending = Some((e, true));
                }
                Ok(Exit::Call(new_frame)) => {
                    self.depth += 1;
                    // The limit counts every Python frame, the module's included.
                    if self.depth >= self.recursion_limit {
                        self.depth -= 1;
                        let e = self.new_exception("RecursionError", "maximum recursion depth exceeded");
                        drop(new_frame);
                        pending = Some((e, false));
                        continue;
                    }
                    let caller = std::mem::replace(&mut f, new_frame);
                    self.frame_stack.push(caller);
                }
                Err((e, reraise)) => {
                    if !reraise {
                        self.chain_context(&e);
                        self.add_traceback(&e, &f);
                    }
                    if let Some(handler) = f.code.handler_for(f.lasti as u32).copied() {
                        f.stack.truncate(handler.depth as usize);
                        if handler.lasti {
                            let li = self.new_int(f.lasti as i64);
                            f.stack.push(li);
                        }
                        f.stack.push(e.0);
                        f.ip = handler.target as usize;
                        continue;
                    }
                    match self.pop_caller(base) {
                        Some(caller) => {
                            let dead = std::mem::replace(&mut f, caller);
                            self.keep_frame(&e, dead);
                            self.depth -= 1;
                            pending = Some((e, false));
                        }
                        None => {
                            self.keep_frame(&e, f);
                            self.depth = base_depth;
                            return Err(e);
                        }
                    }
                }
            }
        }
    }

    /// A frame an exception leaves is kept by the exception (its value stack is
    /// released now, its locals when the exception dies), as CPython's traceback does.
    fn keep_frame(&mut self, e: &PyErr, mut f: Box<Frame>) {
        let init_self = f.init_self.take();
        drop(init_self);
        while let Some(v) = f.stack.pop() {
            drop(v);
        }
        match self.exc_data(&e.0) {
            Some(d) => d.borrow_mut().frames.push(f),
            None => drop(f),
        }
    }

    fn add_traceback(&mut self, e: &PyErr, f: &Frame) {
        if let Some(data) = self.exc_data(&e.0) {
            let mut d = data.borrow_mut();
            d.traceback.push(TbEntry { code: f.code.code.clone(), lasti: f.lasti as u32 });
        }
    }

    /// Set `__context__` of a newly raised exception to the one being handled.
    pub fn chain_context(&mut self, e: &PyErr) {
        if self.is_none(&self.exc_info.clone()) || e.0.ptr_eq(&self.exc_info) {
            return;
        }
        let handled = self.exc_info.clone();
        // Avoid creating a cycle in the context chain.
        let mut cur = Some(handled.clone());
        while let Some(c) = cur {
            if c.ptr_eq(&e.0) {
                return;
            }
            cur = self.exc_data(&c).and_then(|d| d.borrow().context.clone());
        }
        if let Some(d) = self.exc_data(&e.0) {
            let mut d = d.borrow_mut();
            if d.context.is_none() {
                d.context = Some(handled);
            }
        }
    }

    /// Execute instructions of `f` until it returns, yields, calls a Python function or
    /// raises. Errors carry a flag: true for re-raises (no new traceback entry).
    fn execute(&mut self, f: &mut Box<Frame>, base: usize) -> Result<Exit, (PyErr, bool)> {
        match self.execute_inner(f, base) {
            Ok(Exit::Reraise(e)) => Err((e, true)),
            Ok(x) => Ok(x),
            Err(e) => Err((e, false)),
        }
    }

    /// The caller of the running frame, if it belongs to the run that started at `base`.
    fn pop_caller(&mut self, base: usize) -> Option<Box<Frame>> {
        if self.frame_stack.len() > base {
            self.frame_stack.pop()
        } else {
            None
        }
    }

    /// The dispatch loop proper: one `match` per instruction, inside one function (an
    /// instruction that raises returns `Err`; `execute` classifies the exit). Calls of
    /// Python functions and their returns switch `f` in place (the caller waits on
    /// `self.frame_stack`), without leaving the loop.
    fn execute_inner(&mut self, f: &mut Box<Frame>, base: usize) -> PyResult<Exit> {
        // The running frame's code, at hand (replaced when `f` switches frames).
        let mut code = f.code.clone();
        // The instruction pointer lives in a register; `f.ip` is brought up to date
        // whenever the frame is left (a call, a yield) and read back when it resumes.
        let mut ip = f.ip;
        loop {
            let instructions: &[pyvm_compiler::bytecode::Instr] = &code.quick;
            if crate::finalize::FINALIZERS_PENDING.load(std::sync::atomic::Ordering::Relaxed) {
                let outer = self.unraisable_site.replace((code.code.clone(), f.lasti as u32));
                self.run_pending_finalizers();
                self.unraisable_site = outer;
                if pyvm_gc::take_exhausted() {
                    return Err(self.memory_error());
                }
                if pyvm_gc::take_interrupt() {
                    return Err(self.new_exception_noargs("KeyboardInterrupt"));
                }
            }
            let i = ip;
            let Some(ins) = instructions.get(i).copied() else {
                return Ok(Exit::Return(self.none.clone()));
            };
            f.lasti = i;
            ip = i + 1;
            let arg = ins.arg;
            {
                match ins.op {
                    Opcode::NOP | Opcode::RETURN_GENERATOR | Opcode::MAKE_CELL | Opcode::COPY_FREE_VARS => {}
                    Opcode::POP_TOP => {
                        let v = pop!(f);
                        drop(v);
                    }
                    Opcode::PUSH_NULL => f.stack.push(self.null.clone()),
                    Opcode::COPY => {
                        let v = f.stack[f.stack.len() - arg as usize].clone();
                        f.stack.push(v);
                    }
                    Opcode::SWAP => {
                        let n = f.stack.len();
                        f.stack.swap(n - 1, n - arg as usize);
                    }
                    Opcode::LOAD_CONST => f.stack.push(code.consts[arg as usize].clone()),
                    Opcode::LOAD_FAST => match &f.fast[arg as usize] {
                        Some(v) => {
                            let v = v.clone();
                            f.stack.push(v)
                        }
                        None => return Err(self.unbound_local(f, arg as usize)),
                    },
                    Opcode::STORE_FAST => {
                        let v = pop!(f);
                        let old = f.fast[arg as usize].replace(v);
                        drop(old);
                    }
                    Opcode::DELETE_FAST => {
                        if f.fast[arg as usize].is_none() {
                            return Err(self.unbound_local(f, arg as usize));
                        }
                        let old = f.fast[arg as usize].take();
                        drop(old);
                    }
                    Opcode::LOAD_NAME => {
                        // At module level the namespace is the globals: LOAD_GLOBAL's cache.
                        let v = if f.locals.as_ref().is_some_and(|l| l.ptr_eq(&f.globals)) {
                            self.load_global_cached(f, arg as usize)?
                        } else {
                            let name = f.code.names[arg as usize].clone();
                            self.load_name(f, &name)?
                        };
                        f.stack.push(v);
                    }
                    Opcode::STORE_NAME => {
                        let v = pop!(f);
                        if let Err(v) = self.store_name_cached(f, arg as usize, v) {
                            let name = f.code.names[arg as usize].clone();
                            let ns = f.locals.clone().unwrap_or_else(|| f.globals.clone());
                            self.setitem(&ns, name, v)?;
                            self.fill_store_cache(f, arg as usize);
                        }
                    }
                    Opcode::DELETE_NAME => {
                        let name = f.code.names[arg as usize].clone();
                        let ns = f.locals.clone().unwrap_or_else(|| f.globals.clone());
                        if !ns.is::<Dict>() {
                            self.delitem(&ns, &name)?;
                        } else if self.dict_del_str(&ns, &name).is_none() {
                            let n = self.str_val(&name);
                            return Err(self.new_exception("NameError", format!("name '{n}' is not defined")));
                        }
                    }
                    Opcode::LOAD_GLOBAL => {
                        if arg & 1 == 1 {
                            f.stack.push(self.null.clone());
                        }
                        let v = self.load_global_cached(f, (arg >> 1) as usize)?;
                        f.stack.push(v);
                    }
                    Opcode::STORE_GLOBAL => {
                        let name = f.code.names[arg as usize].clone();
                        let v = pop!(f);
                        let g = f.globals.clone();
                        self.setitem(&g, name, v)?;
                    }
                    Opcode::DELETE_GLOBAL => {
                        let name = f.code.names[arg as usize].clone();
                        let g = f.globals.clone();
                        if self.dict_del_str(&g, &name).is_none() {
                            let n = self.str_val(&name);
                            return Err(self.new_exception("NameError", format!("name '{n}' is not defined")));
                        }
                    }
                    Opcode::LOAD_CLOSURE => f.stack.push(f.cells[arg as usize].clone()),
                    Opcode::LOAD_DEREF => {
                        let v = f.cells[arg as usize].downcast_ref::<CellObj>().and_then(|c| c.0.borrow().clone());
                        match v {
                            Some(v) => f.stack.push(v),
                            None => return Err(self.unbound_cell(f, arg as usize)),
                        }
                    }
                    Opcode::LOAD_CLASSDEREF => {
                        let name = self.intern(f.code.cell_name(arg as usize));
                        let found = match &f.locals {
                            Some(l) => self.dict_get_str(l, &name),
                            None => None,
                        };
                        match found {
                            Some(v) => f.stack.push(v),
                            None => {
                                let v = f.cells[arg as usize].downcast_ref::<CellObj>().and_then(|c| c.0.borrow().clone());
                                match v {
                                    Some(v) => f.stack.push(v),
                                    None => return Err(self.unbound_cell(f, arg as usize)),
                                }
                            }
                        }
                    }
                    Opcode::STORE_DEREF => {
                        let v = pop!(f);
                        if let Some(c) = f.cells[arg as usize].downcast_ref::<CellObj>() {
                            let old = c.0.borrow_mut().replace(v);
                            drop(old);
                        }
                    }
                    Opcode::DELETE_DEREF => {
                        let old = f.cells[arg as usize].downcast_ref::<CellObj>().and_then(|c| c.0.borrow_mut().take());
                        if old.is_none() {
                            return Err(self.unbound_cell(f, arg as usize));
                        }
                        drop(old);
                    }
                    Opcode::LOAD_ATTR => self.op_load_attr(f, &code, arg as usize, i)?,
                    Opcode::STORE_ATTR => self.op_store_attr(f, &code, arg as usize, i)?,
                    Opcode::DELETE_ATTR => {
                        let obj = pop!(f);
                        let name = f.code.names[arg as usize].clone();
                        self.delattr(&obj, &name)?;
                    }
                    Opcode::LOAD_METHOD => self.op_load_method(f, &code, arg as usize, i)?,
                    Opcode::BINARY_OP => {
                        let b = pop!(f);
                        let a = pop!(f);
                        // Fast path: small ints, no refcounting.
                        if let (Some(x), Some(y)) = (a.as_int(), b.as_int()) {
                            let op = BinOp::ALL[(arg % 13) as usize];
                            if let Some(r) = crate::ops::num::small_binop(x, y, op) {
                                if let Some(v) = Value::int(r) {
                                    f.stack.push(v);
                                    continue;
                                }
                            }
                        }
                        // Fast path: float arithmetic (exact float operands, or a float and a
                        // small int), as CPython's BINARY_OP_*_FLOAT specialisations.
                        if let Some(r) = float_binop(&a, &b, BinOp::ALL[(arg % 13) as usize]) {
                            f.stack.push(float_result(a, b, r));
                            continue;
                        }
                        let r = if arg >= 13 {
                            self.inplace_op(&a, &b, BinOp::ALL[(arg - 13) as usize])?
                        } else {
                            self.binary_op(&a, &b, BinOp::ALL[arg as usize])?
                        };
                        f.stack.push(r);
                    }
                    // Quickened forms (see `crate::quicken`).
                    Opcode::LOAD_FAST__LOAD_FAST | Opcode::LOAD_FAST__LOAD_CONST => {
                        let Some(v) = f.fast[arg as usize].clone() else {
                            return Err(self.unbound_local(f, arg as usize));
                        };
                        f.stack.push(v);
                        let arg2 = instructions[i + 1].arg as usize;
                        ip = i + 2;
                        if ins.op == Opcode::LOAD_FAST__LOAD_CONST {
                            f.stack.push(code.consts[arg2].clone());
                        } else {
                            let Some(v) = f.fast[arg2].clone() else {
                                f.lasti = i + 1;
                                return Err(self.unbound_local(f, arg2));
                            };
                            f.stack.push(v);
                        }
                    }
                    Opcode::LOAD_CONST__LOAD_FAST => {
                        f.stack.push(code.consts[arg as usize].clone());
                        let arg2 = instructions[i + 1].arg as usize;
                        ip = i + 2;
                        let Some(v) = f.fast[arg2].clone() else {
                            f.lasti = i + 1;
                            return Err(self.unbound_local(f, arg2));
                        };
                        f.stack.push(v);
                    }
                    Opcode::STORE_FAST__LOAD_FAST => {
                        let v = pop!(f);
                        let old = f.fast[arg as usize].replace(v);
                        drop(old);
                        let arg2 = instructions[i + 1].arg as usize;
                        ip = i + 2;
                        let Some(v) = f.fast[arg2].clone() else {
                            f.lasti = i + 1;
                            return Err(self.unbound_local(f, arg2));
                        };
                        f.stack.push(v);
                    }
                    Opcode::STORE_FAST__STORE_FAST => {
                        let v = pop!(f);
                        let old = f.fast[arg as usize].replace(v);
                        drop(old);
                        let arg2 = instructions[i + 1].arg as usize;
                        ip = i + 2;
                        let v = pop!(f);
                        let old = f.fast[arg2].replace(v);
                        drop(old);
                    }
                    Opcode::COMPARE_OP__POP_JUMP_IF_FALSE | Opcode::COMPARE_OP__POP_JUMP_IF_TRUE => {
                        let b = pop!(f);
                        let a = pop!(f);
                        let truth = match (a.as_int(), b.as_int()) {
                            (Some(x), Some(y)) => compare_op(arg, x, y),
                            _ => match (a.downcast_ref::<Float>(), b.downcast_ref::<Float>()) {
                                (Some(x), Some(y)) => compare_op(arg, x.0, y.0),
                                _ => {
                                    let r = self.rich_compare(&a, &b, arg)?;
                                    drop((a, b));
                                    // The truth test belongs to the jump instruction.
                                    f.lasti = i + 1;
                                    if r.ptr_eq(&self.true_) {
                                        true
                                    } else if r.ptr_eq(&self.false_) {
                                        false
                                    } else {
                                        self.is_true(&r)?
                                    }
                                }
                            },
                        };
                        let target = instructions[i + 1].arg as usize;
                        ip = if truth == (ins.op == Opcode::COMPARE_OP__POP_JUMP_IF_TRUE) { target } else { i + 2 };
                    }
                    Opcode::BINARY_OP_ADD | Opcode::BINARY_OP_SUBTRACT => {
                        let b = pop!(f);
                        let a = pop!(f);
                        if let (Some(x), Some(y)) = (a.as_int(), b.as_int()) {
                            let r = if ins.op == Opcode::BINARY_OP_ADD { x.checked_add(y) } else { x.checked_sub(y) };
                            if let Some(v) = r.and_then(Value::int) {
                                f.stack.push(v);
                                continue;
                            }
                        }
                        let op = if ins.op == Opcode::BINARY_OP_ADD { BinOp::Add } else { BinOp::Sub };
                        if let Some(r) = float_binop(&a, &b, op) {
                            f.stack.push(float_result(a, b, r));
                            continue;
                        }
                        let r = if arg >= 13 { self.inplace_op(&a, &b, op)? } else { self.binary_op(&a, &b, op)? };
                        f.stack.push(r);
                    }
                    Opcode::UNARY_POSITIVE | Opcode::UNARY_NEGATIVE | Opcode::UNARY_INVERT => {
                        let v = pop!(f);
                        let r = self.unary_op(&v, ins.op)?;
                        f.stack.push(r);
                    }
                    Opcode::UNARY_NOT => {
                        let v = pop!(f);
                        let b = self.is_true(&v)?;
                        f.stack.push(self.new_bool(!b));
                    }
                    Opcode::COMPARE_OP => {
                        let b = pop!(f);
                        let a = pop!(f);
                        // Fast paths: two small ints, or two exact floats.
                        let quick = match (a.as_int(), b.as_int()) {
                            (Some(x), Some(y)) => Some(compare_op(arg, x, y)),
                            _ => match (a.downcast_ref::<Float>(), b.downcast_ref::<Float>()) {
                                (Some(x), Some(y)) => Some(compare_op(arg, x.0, y.0)),
                                _ => None,
                            },
                        };
                        if let Some(r) = quick {
                            f.stack.push(self.new_bool(r));
                            continue;
                        }
                        let r = self.rich_compare(&a, &b, arg)?;
                        f.stack.push(r);
                    }
                    Opcode::IS_OP => {
                        let b = pop!(f);
                        let a = pop!(f);
                        f.stack.push(self.new_bool(a.ptr_eq(&b) != (arg == 1)));
                    }
                    Opcode::CONTAINS_OP => {
                        let container = pop!(f);
                        let item = pop!(f);
                        let r = self.contains(&container, &item)?;
                        f.stack.push(self.new_bool(r != (arg == 1)));
                    }
                    Opcode::BINARY_SUBSCR => {
                        let key = pop!(f);
                        let obj = pop!(f);
                        // Fast path: list or tuple indexed by a small int in range.
                        if let Some(i) = key.as_int() {
                            let hit = if let Some(l) = obj.downcast_ref::<List>() {
                                let items = l.items.borrow();
                                seq_index(items.len(), i).map(|k| items[k].clone())
                            } else if let Some(t) = obj.downcast_ref::<Tuple>() {
                                seq_index(t.0.len(), i).map(|k| t.0[k].clone())
                            } else {
                                None
                            };
                            if let Some(v) = hit {
                                f.stack.push(v);
                                continue;
                            }
                        }
                        let v = self.getitem(&obj, &key)?;
                        f.stack.push(v);
                    }
                    Opcode::STORE_SUBSCR => {
                        let key = pop!(f);
                        let obj = pop!(f);
                        let v = pop!(f);
                        // Fast path: list item assignment at a small int in range.
                        if let (Some(i), Some(l)) = (key.as_int(), obj.downcast_ref::<List>()) {
                            let k = seq_index(l.items.borrow().len(), i);
                            if let Some(k) = k {
                                let old = std::mem::replace(&mut l.items.borrow_mut()[k], v);
                                drop(old);
                                continue;
                            }
                        }
                        self.setitem(&obj, key, v)?;
                    }
                    Opcode::DELETE_SUBSCR => {
                        let key = pop!(f);
                        let obj = pop!(f);
                        self.delitem(&obj, &key)?;
                    }
                    Opcode::BUILD_SLICE => {
                        let step = if arg == 3 { pop!(f) } else { self.none.clone() };
                        let stop = pop!(f);
                        let start = pop!(f);
                        f.stack.push(Value::new(Slice { start, stop, step }));
                    }
                    Opcode::BUILD_TUPLE => {
                        let items = TupleItems::from_stack(&mut f.stack, arg as usize);
                        f.stack.push(self.new_tuple(items));
                    }
                    Opcode::BUILD_LIST => {
                        let items = f.stack.split_off(f.stack.len() - arg as usize);
                        let l = self.new_list(items);
                        if crate::diagnostics::recording_sites() {
                            crate::diagnostics::record_site(&l, &f.code.filename, f.line());
                        }
                        f.stack.push(l);
                    }
                    Opcode::BUILD_SET => {
                        let items = f.stack.split_off(f.stack.len() - arg as usize);
                        let s = Value::new(Set::new(false));
                        for it in items {
                            self.set_add(&s, it)?;
                        }
                        f.stack.push(s);
                    }
                    Opcode::BUILD_MAP => {
                        let items = f.stack.split_off(f.stack.len() - 2 * arg as usize);
                        let d = self.new_dict_sized(arg as usize);
                        let mut it = items.into_iter();
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            self.setitem(&d, k, v)?;
                        }
                        if crate::diagnostics::recording_sites() {
                            crate::diagnostics::record_site(&d, &f.code.filename, f.line());
                        }
                        f.stack.push(d);
                    }
                    Opcode::BUILD_CONST_KEY_MAP => {
                        let keys = pop!(f);
                        let vals = f.stack.split_off(f.stack.len() - arg as usize);
                        let d = self.new_dict_sized(arg as usize);
                        let ks = self.to_vec(&keys)?;
                        for (k, v) in ks.into_iter().zip(vals) {
                            self.setitem(&d, k, v)?;
                        }
                        f.stack.push(d);
                    }
                    Opcode::BUILD_STRING => {
                        let parts = f.stack.split_off(f.stack.len() - arg as usize);
                        let mut s = String::new();
                        for p in &parts {
                            s.push_str(&self.str_val(p));
                        }
                        f.stack.push(self.new_str(s));
                    }
                    Opcode::LIST_APPEND => {
                        let v = pop!(f);
                        let l = f.stack[f.stack.len() - arg as usize].clone();
                        if let Some(l) = l.downcast_ref::<List>() {
                            l.items.borrow_mut().push(v);
                        }
                    }
                    Opcode::SET_ADD => {
                        let v = pop!(f);
                        let s = f.stack[f.stack.len() - arg as usize].clone();
                        self.set_add(&s, v)?;
                    }
                    Opcode::MAP_ADD => {
                        let v = pop!(f);
                        let k = pop!(f);
                        let d = f.stack[f.stack.len() - arg as usize].clone();
                        self.setitem(&d, k, v)?;
                    }
                    Opcode::LIST_EXTEND => {
                        let it = pop!(f);
                        let l = f.stack[f.stack.len() - arg as usize].clone();
                        let items = match self.to_vec(&it) {
                            Ok(v) => v,
                            Err(e) if self.err_is(&e, "TypeError") => {
                                let tn = self.type_name(&it);
                                return Err(self.type_error(format!("Value after * must be an iterable, not {tn}")));
                            }
                            Err(e) => return Err(e),
                        };
                        if let Some(l) = l.downcast_ref::<List>() {
                            l.items.borrow_mut().extend(items);
                        }
                    }
                    Opcode::SET_UPDATE => {
                        let it = pop!(f);
                        let s = f.stack[f.stack.len() - arg as usize].clone();
                        // An empty set updated from a set with a table of the same size
                        // copies the table slot for slot (CPython's set_merge), which
                        // keeps the source's layout and hence its iteration order.
                        let copied = match (s.downcast_ref::<Set>(), it.downcast_ref::<Set>()) {
                            (Some(dst), Some(src)) => {
                                let src_t = src.table.borrow();
                                let mut dst_t = dst.table.borrow_mut();
                                if dst_t.fill == 0 && dst_t.slots.len() == src_t.slots.len() && src_t.fill == src_t.used {
                                    dst_t.slots = src_t.slots.clone();
                                    dst_t.fill = src_t.fill;
                                    dst_t.used = src_t.used;
                                    dst_t.version += 1;
                                    true
                                } else {
                                    false
                                }
                            }
                            _ => false,
                        };
                        if !copied {
                            for v in self.to_vec(&it)? {
                                self.set_add(&s, v)?;
                            }
                        }
                    }
                    Opcode::DICT_UPDATE => {
                        let other = pop!(f);
                        let d = f.stack[f.stack.len() - arg as usize].clone();
                        self.dict_update_from(&d, &other, false)?;
                    }
                    Opcode::DICT_MERGE => {
                        let other = pop!(f);
                        let d = f.stack[f.stack.len() - arg as usize].clone();
                        // The called function sits below the args tuple: name it in errors.
                        let func = f.stack[f.stack.len() - arg as usize - 2].clone();
                        if let Err(e) = self.dict_update_from(&d, &other, true) {
                            if self.err_is(&e, "TypeError") {
                                let msg = self.exception_str(&e.0).unwrap_or_default();
                                let fs = self.function_str(&func);
                                return Err(self.type_error(format!("{fs} {msg}")));
                            }
                            return Err(e);
                        }
                    }
                    Opcode::LIST_TO_TUPLE => {
                        let l = pop!(f);
                        let items = l.downcast_ref::<List>().map(|l| l.snapshot()).unwrap_or_default();
                        f.stack.push(self.new_tuple(items));
                    }
                    Opcode::UNPACK_SEQUENCE => {
                        let seq = pop!(f);
                        // A tuple or list of the right length (CPython's
                        // UNPACK_SEQUENCE_TUPLE/LIST): its items straight onto the stack.
                        if let Some(t) = seq.downcast_ref::<Tuple>() {
                            if t.0.len() == arg as usize {
                                f.stack.extend(t.0.iter().rev().cloned());
                                continue;
                            }
                        } else if let Some(l) = seq.downcast_ref::<List>() {
                            let items = l.items.borrow();
                            if items.len() == arg as usize {
                                f.stack.extend(items.iter().rev().cloned());
                                continue;
                            }
                        }
                        let items = self.unpack(&seq, arg as usize)?;
                        f.stack.extend(items.into_iter().rev());
                    }
                    Opcode::UNPACK_EX => {
                        let seq = pop!(f);
                        let before = (arg & 0xFF) as usize;
                        let after = (arg >> 8) as usize;
                        let items = self.to_vec(&seq)?;
                        if items.len() < before + after {
                            return Err(self.value_error(format!(
                                "not enough values to unpack (expected at least {}, got {})",
                                before + after,
                                items.len()
                            )));
                        }
                        let mut items = items;
                        let tail = items.split_off(items.len() - after);
                        let mid = items.split_off(before);
                        for v in tail.into_iter().rev() {
                            f.stack.push(v);
                        }
                        f.stack.push(self.new_list(mid));
                        for v in items.into_iter().rev() {
                            f.stack.push(v);
                        }
                    }
                    Opcode::FORMAT_VALUE => {
                        let spec = if arg & 4 != 0 { Some(pop!(f)) } else { None };
                        let v = pop!(f);
                        let v = match arg & 3 {
                            1 => {
                                let s = self.to_str(&v)?;
                                self.new_str(s)
                            }
                            2 => {
                                let s = self.repr(&v)?;
                                self.new_str(s)
                            }
                            3 => {
                                let s = self.ascii(&v)?;
                                self.new_str(s)
                            }
                            _ => v,
                        };
                        let spec_s = spec.map(|s| self.str_val(&s)).unwrap_or_default();
                        let r = self.format(&v, &spec_s)?;
                        f.stack.push(self.new_str(r));
                    }
                    Opcode::GET_ITER => {
                        let v = pop!(f);
                        let it = self.get_iter(&v)?;
                        f.stack.push(it);
                    }
                    Opcode::FOR_ITER => {
                        // Range, list and tuple iterators step here (CPython's
                        // FOR_ITER_RANGE, FOR_ITER_LIST, FOR_ITER_TUPLE); others through
                        // `next`.
                        let step = match top!(f).downcast_ref::<Iter>() {
                            Some(it) => match &mut *it.state.borrow_mut() {
                                IterState::Range { left: 0, .. } => Some(None),
                                IterState::Range { cur, step, left } => Value::int(*cur).map(|v| {
                                    *left -= 1;
                                    *cur = cur.wrapping_add(*step);
                                    Some(v)
                                }),
                                IterState::Seq { seq, idx } => match seq
                                    .downcast_ref::<List>()
                                    .map(|l| l.get(*idx))
                                    .or_else(|| seq.downcast_ref::<Tuple>().map(|t| t.0.get(*idx).cloned()))
                                {
                                    Some(Some(v)) => {
                                        *idx += 1;
                                        Some(Some(v))
                                    }
                                    _ => None,
                                },
                                _ => None,
                            },
                            None => None,
                        };
                        let next = match step {
                            Some(r) => r,
                            None => {
                                let it = top!(f).clone();
                                self.next(&it)?
                            }
                        };
                        match next {
                            Some(v) => f.stack.push(v),
                            None => {
                                let it = pop!(f);
                                drop(it);
                                ip = arg as usize;
                            }
                        }
                    }
                    Opcode::JUMP_FORWARD => ip = arg as usize,
                    Opcode::JUMP_BACKWARD => {
                        ip = arg as usize;
                        self.safe_point()?;
                    }
                    Opcode::POP_JUMP_IF_FALSE | Opcode::POP_JUMP_IF_TRUE => {
                        let v = pop!(f);
                        let b = if v.ptr_eq(&self.true_) {
                            true
                        } else if v.ptr_eq(&self.false_) {
                            false
                        } else {
                            self.is_true(&v)?
                        };
                        if b == (ins.op == Opcode::POP_JUMP_IF_TRUE) {
                            ip = arg as usize;
                        }
                    }
                    Opcode::POP_JUMP_IF_NONE | Opcode::POP_JUMP_IF_NOT_NONE => {
                        let v = pop!(f);
                        if self.is_none(&v) == (ins.op == Opcode::POP_JUMP_IF_NONE) {
                            ip = arg as usize;
                        }
                    }
                    Opcode::JUMP_IF_FALSE_OR_POP | Opcode::JUMP_IF_TRUE_OR_POP => {
                        let v = top!(f).clone();
                        let b = self.is_true(&v)?;
                        if b == (ins.op == Opcode::JUMP_IF_TRUE_OR_POP) {
                            ip = arg as usize;
                        } else {
                            let v = pop!(f);
                            drop(v);
                        }
                    }
                    Opcode::RETURN_VALUE => {
                        let v = pop!(f);
                        let Some(caller) = self.pop_caller(base) else {
                            return Ok(Exit::Return(v));
                        };
                        let mut finished = std::mem::replace(f, caller);
                        let init_self = finished.init_self.take();
                        self.recycle_frame(finished);
                        self.depth -= 1;
                        code = f.code.clone();
                        ip = f.ip;
                        match init_self {
                            None => f.stack.push(v),
                            Some(obj) if self.is_none(&v) => f.stack.push(obj),
                            Some(obj) => {
                                drop(obj);
                                let tn = self.type_name(&v);
                                return Err(self.type_error(format!("__init__() should return None, not '{tn}'")));
                            }
                        }
                    }
                    Opcode::ASYNC_GEN_WRAP => {
                        let v = pop!(f);
                        f.stack.push(Value::new(AsyncGenWrapped(v)));
                    }
                    Opcode::YIELD_VALUE => {
                        let v = pop!(f);
                        f.ip = ip;
                        return Ok(Exit::Yield(v));
                    }
                    Opcode::KW_NAMES => f.kwnames = Some(f.code.consts[arg as usize].clone()),
                    Opcode::CALL => {
                        let kwnames = f.kwnames.take();
                        match self.op_call(f, arg as usize, kwnames)? {
                            None => {}
                            Some(Exit::Call(callee)) => {
                                self.depth += 1;
                                if self.depth >= self.recursion_limit {
                                    self.depth -= 1;
                                    drop(callee);
                                    return Err(self.new_exception("RecursionError", "maximum recursion depth exceeded"));
                                }
                                f.ip = ip;
                                let caller = std::mem::replace(f, callee);
                                self.frame_stack.push(caller);
                                code = f.code.clone();
                                ip = f.ip;
                            }
                            Some(exit) => {
                                f.ip = ip;
                                return Ok(exit);
                            }
                        }
                    }
                    Opcode::CALL_FUNCTION_EX => {
                        let kwargs = if arg & 1 == 1 { Some(pop!(f)) } else { None };
                        let args = pop!(f);
                        let func = pop!(f);
                        let null = pop!(f);
                        drop(null);
                        let kwdict = kwargs.as_ref().and_then(|kw| kw.downcast_ref::<Dict>());
                        let nkw = kwdict.map_or(0, |d| d.len());
                        // Sized once: positional arguments, then the keyword values.
                        let mut argv = match args.downcast_ref::<Tuple>() {
                            Some(t) => {
                                let mut v = Vec::with_capacity(t.0.len() + nkw);
                                v.extend_from_slice(&t.0);
                                v
                            }
                            None => self.to_vec(&args)?,
                        };
                        let mut names = Vec::with_capacity(nkw);
                        if let Some(d) = kwdict {
                            argv.reserve(nkw);
                            // Only clones happen while the table is borrowed (no Python code).
                            for e in d.table.borrow().iter() {
                                names.push(e.key.clone());
                                argv.push(e.value.clone());
                            }
                        }
                        if let Some(func_obj) = func.downcast_ref::<Function>() {
                            if !func_obj.code.is_generator_like() {
                                let frame = self.make_frame_owned(&func, argv, &names)?;
                                self.safe_point()?;
                                f.ip = ip;
                                return Ok(Exit::Call(frame));
                            }
                        }
                        let r = self.call(&func, &argv, &names)?;
                        f.stack.push(r);
                    }
                    Opcode::MAKE_FUNCTION => {
                        let code = pop!(f);
                        let closure = if arg & 8 != 0 { Some(pop!(f)) } else { None };
                        let annotations = if arg & 4 != 0 { Some(pop!(f)) } else { None };
                        let kwdefaults = if arg & 2 != 0 { Some(pop!(f)) } else { None };
                        let defaults = if arg & 1 != 0 { Some(pop!(f)) } else { None };
                        let func = self.make_function(f, code, defaults, kwdefaults, annotations, closure)?;
                        f.stack.push(func);
                    }
                    Opcode::LOAD_BUILD_CLASS => {
                        let b = self.builtins.clone();
                        let name = self.intern_static("__build_class__");
                        let v = self.dict_get_str(&b, &name).ok_or_else(|| self.new_exception("NameError", "__build_class__ not found"))?;
                        f.stack.push(v);
                    }
                    Opcode::RAISE_VARARGS => {
                        let e = match arg {
                            0 => {
                                let cur = self.exc_info.clone();
                                if self.is_none(&cur) {
                                    return Err(self.runtime_error("No active exception to reraise"));
                                }
                                return Err(PyErr(cur)).map_err(|e| e);
                            }
                            1 => {
                                let exc = pop!(f);
                                self.make_raisable(exc)?
                            }
                            _ => {
                                let cause = pop!(f);
                                let exc = pop!(f);
                                let e = self.make_raisable(exc)?;
                                let cause = if self.is_none(&cause) {
                                    None
                                } else if self.is_exception_type(&cause) {
                                    Some(self.call(&cause, &[], &[])?)
                                } else if self.is_exception_instance(&cause) {
                                    Some(cause)
                                } else {
                                    return Err(self.type_error("exception causes must derive from BaseException"));
                                };
                                if let Some(d) = self.exc_data(&e.0) {
                                    let mut d = d.borrow_mut();
                                    d.cause = cause;
                                    d.suppress_context = true;
                                }
                                e
                            }
                        };
                        self.chain_context(&e);
                        return Err(e);
                    }
                    Opcode::RERAISE => {
                        // The handler is looked up from this instruction; the saved lasti
                        // below the exception only mattered for the traceback line, which
                        // was recorded when the exception was first raised.
                        let exc = pop!(f);
                        return Ok(Exit::Reraise(PyErr(exc)));
                    }
                    Opcode::PUSH_EXC_INFO => {
                        let exc = pop!(f);
                        let prev = std::mem::replace(&mut self.exc_info, exc.clone());
                        f.stack.push(prev);
                        f.stack.push(exc);
                    }
                    Opcode::POP_EXCEPT => {
                        let prev = pop!(f);
                        let old = std::mem::replace(&mut self.exc_info, prev);
                        drop(old);
                    }
                    Opcode::CHECK_EXC_MATCH => {
                        let ty = pop!(f);
                        let exc = top!(f).clone();
                        let m = self.exception_matches(&exc, &ty)?;
                        f.stack.push(self.new_bool(m));
                    }
                    Opcode::WITH_EXCEPT_START => {
                        let exc = top!(f).clone();
                        let exit = f.stack[f.stack.len() - 4].clone();
                        let ty = self.type_of(&exc);
                        let tb = self.traceback_object(&exc);
                        let r = self.call(&exit, &[ty, exc, tb], &[])?;
                        f.stack.push(r);
                    }
                    Opcode::BEFORE_WITH => {
                        let mgr = pop!(f);
                        let exit_name = self.intern_static("__exit__");
                        let enter_name = self.intern_static("__enter__");
                        let enter = self.lookup_special(&mgr, &enter_name);
                        let exit = self.lookup_special(&mgr, &exit_name);
                        let (Some(enter), Some(exit)) = (enter, exit) else {
                            let tn = self.type_name(&mgr);
                            let missing = if self.lookup_special(&mgr, &enter_name).is_none() { "" } else { " and __exit__" };
                            let _ = missing;
                            return Err(self.type_error(format!(
                                "'{tn}' object does not support the context manager protocol"
                            )));
                        };
                        f.stack.push(exit);
                        let r = self.call(&enter, &[], &[])?;
                        f.stack.push(r);
                    }
                    Opcode::BEFORE_ASYNC_WITH => {
                        let mgr = pop!(f);
                        let exit_name = self.intern_static("__aexit__");
                        let enter_name = self.intern_static("__aenter__");
                        let enter = self.lookup_special(&mgr, &enter_name);
                        let exit = self.lookup_special(&mgr, &exit_name);
                        let (Some(enter), Some(exit)) = (enter, exit) else {
                            let tn = self.type_name(&mgr);
                            return Err(self.type_error(format!(
                                "'{tn}' object does not support the asynchronous context manager protocol"
                            )));
                        };
                        f.stack.push(exit);
                        let r = self.call(&enter, &[], &[])?;
                        f.stack.push(r);
                    }
                    Opcode::GET_AWAITABLE => {
                        let v = pop!(f);
                        let it = self.get_awaitable(&v, arg)?;
                        f.stack.push(it);
                    }
                    Opcode::GET_AITER => {
                        let v = pop!(f);
                        let name = self.intern_static("__aiter__");
                        let Some(m) = self.lookup_special(&v, &name) else {
                            let tn = self.type_name(&v);
                            return Err(self.type_error(format!(
                                "'async for' requires an object with __aiter__ method, got {tn}"
                            )));
                        };
                        let it = self.call(&m, &[], &[])?;
                        f.stack.push(it);
                    }
                    Opcode::GET_ANEXT => {
                        let it = top!(f).clone();
                        let name = self.intern_static("__anext__");
                        let Some(m) = self.lookup_special(&it, &name) else {
                            let tn = self.type_name(&it);
                            return Err(self.type_error(format!(
                                "'async for' requires an iterator with __anext__ method, got {tn}"
                            )));
                        };
                        let aw = self.call(&m, &[], &[])?;
                        let aw = self.get_awaitable(&aw, 0)?;
                        f.stack.push(aw);
                    }
                    Opcode::END_ASYNC_FOR => {
                        let exc = pop!(f);
                        if self.err_is(&PyErr(exc.clone()), "StopAsyncIteration") {
                            let it = pop!(f);
                            drop(it);
                        } else {
                            return Ok(Exit::Reraise(PyErr(exc)));
                        }
                    }
                    Opcode::SEND => {
                        let v = pop!(f);
                        let it = top!(f).clone();
                        match self.send(&it, v)? {
                            SendResult::Yield(y) => f.stack.push(y),
                            SendResult::Return(r) => {
                                let it = pop!(f);
                                drop(it);
                                f.stack.push(r);
                                ip = arg as usize;
                            }
                        }
                    }
                    Opcode::GET_YIELD_FROM_ITER => {
                        let v = pop!(f);
                        let it = if v.is::<Generator>() { v } else { self.get_iter(&v)? };
                        f.stack.push(it);
                    }
                    Opcode::SETUP_ANNOTATIONS => {
                        let ns = f.locals.clone().unwrap_or_else(|| f.globals.clone());
                        let name = self.intern_static("__annotations__");
                        if self.dict_get_str(&ns, &name).is_none() {
                            let d = self.new_dict();
                            self.setitem(&ns, name, d)?;
                        }
                    }
                    Opcode::IMPORT_NAME => {
                        let fromlist = pop!(f);
                        let level = pop!(f);
                        let name = f.code.names[arg as usize].clone();
                        let ns = self.str_val(&name);
                        let g = f.globals.clone();
                        let m = self.import_module_from(&ns, &fromlist, &level, Some(&g))?;
                        f.stack.push(m);
                    }
                    Opcode::IMPORT_FROM => {
                        let m = top!(f).clone();
                        let name = f.code.names[arg as usize].clone();
                        let v = match self.getattr(&m, &name) {
                            Ok(v) => v,
                            Err(e) if self.err_is(&e, "AttributeError") => {
                                let mn = self.module_name(&m);
                                let n = self.str_val(&name);
                                // A submodule present in sys.modules but not (yet) set on
                                // its package, as CPython's import_from falls back to.
                                let full = self.intern(&format!("{mn}.{n}"));
                                let modules = self.modules.clone();
                                match self.dict_get_str(&modules, &full) {
                                    Some(sub) => sub,
                                    None => {
                                        let file_key = self.intern_static("__file__");
                                        let place = match m.downcast_ref::<Module>().and_then(|md| self.dict_get_str(&md.dict, &file_key)) {
                                            Some(f) if f.is::<Str>() => self.str_val(&f),
                                            _ => "unknown location".to_string(),
                                        };
                                        return Err(self.new_exception(
                                            "ImportError",
                                            format!("cannot import name '{n}' from '{mn}' ({place})"),
                                        ));
                                    }
                                }
                            }
                            Err(e) => return Err(e),
                        };
                        f.stack.push(v);
                    }
                    Opcode::IMPORT_STAR => {
                        let m = pop!(f);
                        let ns = f.locals.clone().unwrap_or_else(|| f.globals.clone());
                        if let Some(md) = m.downcast_ref::<Module>() {
                            // The module's __all__ when it has one, else its public names.
                            let all_key = self.intern_static("__all__");
                            let all = self.dict_get_str(&md.dict, &all_key);
                            match all {
                                Some(all) => {
                                    for k in self.to_vec(&all)? {
                                        let v = self.getattr(&m, &k)?;
                                        self.setitem(&ns, k, v)?;
                                    }
                                }
                                None => {
                                    let items = md.dict.downcast_ref::<Dict>().map(|d| d.items()).unwrap_or_default();
                                    for (k, v) in items {
                                        if !self.str_val(&k).starts_with('_') {
                                            self.setitem(&ns, k, v)?;
                                        }
                                    }
                                }
                            }
                        }
                    }
                    Opcode::PRINT_EXPR => {
                        let v = pop!(f);
                        if !self.is_none(&v) {
                            let s = self.repr(&v)?;
                            self.write_stdout(&format!("{s}\n"));
                            let b = self.builtins.clone();
                            let n = self.intern_static("_");
                            self.setitem(&b, n, v)?;
                        }
                    }
                    Opcode::LOAD_ASSERTION_ERROR => f.stack.push(self.exc["AssertionError"].clone()),
                    Opcode::GET_LEN => {
                        let v = top!(f).clone();
                        let n = self.len(&v)?;
                        f.stack.push(self.new_int(n as i64));
                    }
                    Opcode::MATCH_MAPPING => {
                        let v = top!(f).clone();
                        let b = self.is_mapping(&v);
                        f.stack.push(self.new_bool(b));
                    }
                    Opcode::MATCH_SEQUENCE => {
                        let v = top!(f).clone();
                        let b = self.is_sequence(&v);
                        f.stack.push(self.new_bool(b));
                    }
                    Opcode::MATCH_KEYS => {
                        let keys = top!(f).clone();
                        let subj = f.stack[f.stack.len() - 2].clone();
                        let r = self.match_keys(&subj, &keys)?;
                        f.stack.push(r);
                    }
                    Opcode::COPY_DICT_WITHOUT_KEYS => {
                        let keys = pop!(f);
                        let subj = top!(f).clone();
                        let d = self.new_dict();
                        self.dict_update_from(&d, &subj, false)?;
                        for k in self.to_vec(&keys)? {
                            let _ = self.delitem(&d, &k);
                        }
                        f.stack.push(d);
                    }
                    Opcode::MATCH_CLASS => {
                        let names = pop!(f);
                        let cls = pop!(f);
                        let subj = pop!(f);
                        let r = self.match_class(&subj, &cls, arg as usize, &names)?;
                        f.stack.push(r);
                    }
                }
            }
        }
    }

    /// A safe point: run a pending cycle collection.
    pub fn safe_point(&mut self) -> PyResult<()> {
        if pyvm_gc::collection_pending() {
            self.collect_garbage_auto();
        }
        Ok(())
    }
}

pub enum SendResult {
    Yield(Value),
    Return(Value),
}

pub(crate) enum Exit {
    Return(Value),
    Yield(Value),
    Call(Box<Frame>),
    Reraise(PyErr),
}

/// `i` as an index into a sequence of length `len` (negative counts from the end).
#[inline]
fn seq_index(len: usize, i: i64) -> Option<usize> {
    let k = if i < 0 { i + len as i64 } else { i };
    (0..len as i64).contains(&k).then_some(k as usize)
}

/// `a op b` for exact floats (or a float and a small int) when the result is a plain
/// IEEE operation: + - * and / by a non-zero divisor.
#[inline]
fn float_binop(a: &Value, b: &Value, op: BinOp) -> Option<f64> {
    let x = match (a.downcast_ref::<Float>(), a.as_int()) {
        (Some(f), _) => f.0,
        (None, Some(i)) if b.is::<Float>() => i as f64,
        _ => return None,
    };
    let y = match (b.downcast_ref::<Float>(), b.as_int()) {
        (Some(f), _) => f.0,
        (None, Some(i)) => i as f64,
        _ => return None,
    };
    match op {
        BinOp::Add => Some(x + y),
        BinOp::Sub => Some(x - y),
        BinOp::Mult => Some(x * y),
        BinOp::Div if y != 0.0 => Some(x / y),
        _ => None,
    }
}

/// The float result of an arithmetic fast path, written into an operand that is a
/// temporary (its only reference is the one popped) instead of a new object.
#[inline(always)]
fn float_result(mut a: Value, mut b: Value, r: f64) -> Value {
    if let Some(x) = a.get_mut::<Float>() {
        x.0 = r;
        drop(b);
        return a;
    }
    if let Some(x) = b.get_mut::<Float>() {
        x.0 = r;
        drop(a);
        return b;
    }
    Value::new(Float(r))
}

/// COMPARE_OP's argument (<, <=, ==, !=, >, >=) applied to two plain numbers.
#[inline]
fn compare_op<T: PartialOrd>(arg: u32, x: T, y: T) -> bool {
    match arg {
        0 => x < y,
        1 => x <= y,
        2 => x == y,
        3 => x != y,
        4 => x > y,
        _ => x >= y,
    }
}
