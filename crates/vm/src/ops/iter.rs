//! Iteration: `iter()`, `next()`, built-in iterator state machines, and generators
//! (resume with send/throw/close, delegation through `yield from`/`await`).

use crate::interp::{FrameExit, SendResult};
use crate::objects::iter::{DictPart, Iter, IterState};
use crate::objects::*;
use crate::objects::{AsyncGenAsend, AsyncGenWrapped};
use crate::vm::{PyErr, PyResult, Vm};
use pyvm_compiler::bytecode::Opcode;
use pyvm_gc::Value;

impl Vm {
    pub fn get_iter(&mut self, v: &Value) -> PyResult<Value> {
        if v.is::<WeakRef>() {
            let t = self.deproxy(v)?;
            if !t.ptr_eq(v) {
                return self.get_iter(&t);
            }
        }
        let state = match v.kind().unwrap_or(0) {
            kind::LIST => (IterState::Seq { seq: v.clone(), idx: 0 }, "list_iterator"),
            kind::TUPLE => (IterState::Seq { seq: v.clone(), idx: 0 }, "tuple_iterator"),
            kind::STR => (IterState::Str { s: v.clone(), byte: 0 }, "str_ascii_iterator"),
            kind::BYTES => (IterState::Seq { seq: v.clone(), idx: 0 }, "bytes_iterator"),
            kind::BYTEARRAY => (IterState::Seq { seq: v.clone(), idx: 0 }, "bytearray_iterator"),
            kind::RANGE => {
                let r = v.downcast_ref::<Range>().unwrap();
                let left = crate::ops::seq::range_len_wide(r.start, r.stop, r.step) as u64;
                (IterState::Range { cur: r.start, step: r.step, left }, "range_iterator")
            }
            // A range beyond 64 bits: item by item through range indexing.
            kind::BIGRANGE => (IterState::GetItem { obj: v.clone(), idx: 0 }, "longrange_iterator"),
            kind::DICT => {
                let len = v.downcast_ref::<Dict>().unwrap().len();
                (IterState::Dict { dict: v.clone(), pos: 0, part: DictPart::Keys, len }, "dict_keyiterator")
            }
            kind::DICTVIEW => {
                let dv = v.downcast_ref::<iter::DictView>().unwrap();
                let len = dv.dict.downcast_ref::<Dict>().map_or(0, |d| d.len());
                let name = match dv.part {
                    DictPart::Keys => "dict_keyiterator",
                    DictPart::Values => "dict_valueiterator",
                    DictPart::Items => "dict_itemiterator",
                };
                (IterState::Dict { dict: dv.dict.clone(), pos: 0, part: dv.part, len }, name)
            }
            kind::SET => {
                let len = v.downcast_ref::<Set>().unwrap().len();
                (IterState::Set { set: v.clone(), pos: 0, len }, "set_iterator")
            }
            kind::ITER | kind::GENERATOR => return Ok(v.clone()),
            _ => {
                if let Some(r) = self.call_special(v, "__iter__", &[])? {
                    let nn = self.intern_static("__next__");
                    let rt = self.type_of(&r);
                    if !r.is::<Iter>() && !r.is::<Generator>() && self.lookup_mro(&rt, &nn).is_none() {
                        let tn = self.type_name(&r);
                        return Err(self.type_error(format!("iter() returned non-iterator of type '{tn}'")));
                    }
                    return Ok(r);
                }
                let gi = self.intern_static("__getitem__");
                let ty = self.type_of(v);
                if self.lookup_mro(&ty, &gi).is_some() {
                    return Ok(Value::new(Iter::new(IterState::GetItem { obj: v.clone(), idx: 0 }, "iterator")));
                }
                let b = self.unwrap_base(v);
                if !b.ptr_eq(v) {
                    return self.get_iter(&b);
                }
                let tn = self.type_name(v);
                return Err(self.type_error(format!("'{tn}' object is not iterable")));
            }
        };
        let untracked = matches!(state.0, IterState::Range { .. });
        let it = Value::new(Iter::new(state.0, state.1));
        if untracked {
            // A range iterator holds only machine integers: CPython's is not a GC type.
            pyvm_gc::untrack(&it);
        }
        Ok(it)
    }

    /// Advance an iterator: `Ok(None)` when exhausted.
    pub fn next(&mut self, it: &Value) -> PyResult<Option<Value>> {
        if let Some(i) = it.downcast_ref::<Iter>() {
            return self.iter_next(i);
        }
        if it.is::<Generator>() {
            let none = self.none.clone();
            return match self.gen_send(it, none)? {
                SendResult::Yield(v) => Ok(Some(v)),
                SendResult::Return(_) => Ok(None),
            };
        }
        let n = self.intern_static("__next__");
        let ty = self.type_of(it);
        let Some(f) = self.lookup_mro(&ty, &n) else {
            let tn = self.type_name(it);
            return Err(self.type_error(format!("'{tn}' object is not an iterator")));
        };
        match self.call_method_value(&f, it, &[]) {
            Ok(v) => Ok(Some(v)),
            Err(e) if self.err_is(&e, "StopIteration") => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn iter_next(&mut self, it: &Iter) -> PyResult<Option<Value>> {
        let mut st = it.state.borrow_mut();
        match &mut *st {
            IterState::Seq { seq, idx } => {
                let v = if let Some(l) = seq.downcast_ref::<List>() {
                    l.get(*idx)
                } else if let Some(t) = seq.downcast_ref::<Tuple>() {
                    t.0.get(*idx).cloned()
                } else if let Some(b) = seq.downcast_ref::<Bytes>() {
                    b.0.get(*idx).map(|&x| Value::int(x as i64).unwrap())
                } else if let Some(b) = seq.downcast_ref::<ByteArray>() {
                    b.0.borrow().get(*idx).map(|&x| Value::int(x as i64).unwrap())
                } else {
                    None
                };
                match v {
                    Some(v) => {
                        *idx += 1;
                        Ok(Some(v))
                    }
                    None => {
                        *st = IterState::Exhausted;
                        Ok(None)
                    }
                }
            }
            IterState::Str { s, byte } => {
                let sv = s.downcast_ref::<Str>().unwrap();
                match sv.s[*byte..].chars().next() {
                    Some(c) => {
                        *byte += c.len_utf8();
                        drop(st);
                        let mut buf = [0u8; 4];
                        Ok(Some(self.new_str(&*c.encode_utf8(&mut buf))))
                    }
                    None => {
                        *st = IterState::Exhausted;
                        Ok(None)
                    }
                }
            }
            IterState::Range { cur, step, left } => {
                if *left == 0 {
                    return Ok(None);
                }
                let v = *cur;
                *left -= 1;
                // Exact while items remain; past the last one the value is never used.
                *cur = cur.wrapping_add(*step);
                Ok(Some(self.new_int(v)))
            }
            IterState::Dict { dict, pos, part, len } => {
                let d = dict.downcast_ref::<Dict>().unwrap();
                if d.len() != *len {
                    *st = IterState::Exhausted;
                    drop(st);
                    return Err(self.runtime_error("dictionary changed size during iteration"));
                }
                let t = d.table.borrow();
                match t.next_from(*pos) {
                    Some((p, e)) => {
                        *pos = p + 1;
                        let (k, v) = (e.key.clone(), e.value.clone());
                        let part = *part;
                        drop(t);
                        drop(st);
                        Ok(Some(match part {
                            DictPart::Keys => k,
                            DictPart::Values => v,
                            DictPart::Items => self.new_tuple([k, v]),
                        }))
                    }
                    None => Ok(None),
                }
            }
            IterState::Set { set, pos, len } => {
                let s = set.downcast_ref::<Set>().unwrap();
                if s.len() != *len {
                    *st = IterState::Exhausted;
                    drop(st);
                    return Err(self.runtime_error("Set changed size during iteration"));
                }
                let t = s.table.borrow();
                match t.next_from(*pos) {
                    Some((p, k)) => {
                        *pos = p + 1;
                        Ok(Some(k.clone()))
                    }
                    None => Ok(None),
                }
            }
            IterState::Enumerate { it: inner, n } => {
                let inner = inner.clone();
                let i = *n;
                *n += 1;
                drop(st);
                match self.next(&inner)? {
                    Some(v) => {
                        let iv = self.new_int(i);
                        Ok(Some(self.new_tuple([iv, v])))
                    }
                    None => Ok(None),
                }
            }
            IterState::Zip { its, strict } => {
                let its = its.clone();
                let strict = *strict;
                drop(st);
                if its.len() == 2 && !strict {
                    // The common pairwise zip: its pair is built in place.
                    let Some(a) = self.next(&its[0])? else {
                        *it.state.borrow_mut() = IterState::Exhausted;
                        return Ok(None);
                    };
                    let Some(b) = self.next(&its[1])? else {
                        *it.state.borrow_mut() = IterState::Exhausted;
                        return Ok(None);
                    };
                    return Ok(Some(self.new_tuple([a, b])));
                }
                let mut items = Vec::with_capacity(its.len());
                for (k, i) in its.iter().enumerate() {
                    match self.next(i)? {
                        Some(v) => items.push(v),
                        None => {
                            if strict && k > 0 {
                                return Err(self.value_error(format!("zip() argument {} is shorter than argument 1", k + 1)));
                            }
                            if strict && k == 0 {
                                for (j, other) in its.iter().enumerate().skip(1) {
                                    if self.next(other)?.is_some() {
                                        return Err(self.value_error(format!("zip() argument {} is longer than argument 1", j + 1)));
                                    }
                                }
                            }
                            *it.state.borrow_mut() = IterState::Exhausted;
                            return Ok(None);
                        }
                    }
                }
                if items.is_empty() {
                    return Ok(None);
                }
                Ok(Some(self.new_tuple(items)))
            }
            IterState::Map { f, its } => {
                let (f, its) = (f.clone(), its.clone());
                drop(st);
                let mut args = Vec::with_capacity(its.len());
                for i in its.iter() {
                    match self.next(i)? {
                        Some(v) => args.push(v),
                        None => return Ok(None),
                    }
                }
                self.call(&f, &args, &[]).map(Some)
            }
            IterState::Filter { f, it: inner } => {
                let (f, inner) = (f.clone(), inner.clone());
                drop(st);
                loop {
                    let Some(v) = self.next(&inner)? else { return Ok(None) };
                    let keep = if self.is_none(&f) {
                        self.is_true(&v)?
                    } else {
                        let r = self.call(&f, &[v.clone()], &[])?;
                        self.is_true(&r)?
                    };
                    if keep {
                        return Ok(Some(v));
                    }
                }
            }
            IterState::Reversed { seq, idx } => {
                if *idx < 0 {
                    return Ok(None);
                }
                let seq = seq.clone();
                let i = *idx;
                *idx -= 1;
                drop(st);
                let key = self.new_int(i as i64);
                match self.getitem(&seq, &key) {
                    Ok(v) => Ok(Some(v)),
                    Err(e) if self.err_is(&e, "IndexError") => Ok(None),
                    Err(e) => Err(e),
                }
            }
            IterState::CallIter { f, sentinel } => {
                let (f, sentinel) = (f.clone(), sentinel.clone());
                drop(st);
                let v = self.call(&f, &[], &[])?;
                if self.eq(&v, &sentinel)? {
                    *it.state.borrow_mut() = IterState::Exhausted;
                    return Ok(None);
                }
                Ok(Some(v))
            }
            IterState::GetItem { obj, idx } => {
                let obj = obj.clone();
                let i = *idx;
                *idx += 1;
                drop(st);
                let key = self.new_int(i);
                match self.getitem(&obj, &key) {
                    Ok(v) => Ok(Some(v)),
                    Err(e) if self.err_is(&e, "IndexError") || self.err_is(&e, "StopIteration") => {
                        *it.state.borrow_mut() = IterState::Exhausted;
                        Ok(None)
                    }
                    Err(e) => Err(e),
                }
            }
            IterState::Exhausted => Ok(None),
        }
    }

    /// SEND: resume a generator/coroutine, or call `__next__`/`send` on another iterator.
    pub fn send(&mut self, it: &Value, v: Value) -> PyResult<SendResult> {
        if it.is::<Generator>() {
            return self.gen_send(it, v);
        }
        let r = if self.is_none(&v) {
            if let Some(i) = it.downcast_ref::<crate::objects::iter::Iter>() {
                let _ = i;
                return match self.next(it) {
                    Ok(Some(y)) => Ok(SendResult::Yield(y)),
                    Ok(None) => Ok(SendResult::Return(self.none.clone())),
                    Err(e) => Err(e),
                };
            }
            self.call_special(it, "__next__", &[])
        } else {
            self.call_special(it, "send", &[v])
        };
        match r {
            Ok(Some(y)) => Ok(SendResult::Yield(y)),
            Ok(None) => {
                let tn = self.type_name(it);
                Err(self.attribute_error(format!("'{tn}' object has no attribute 'send'")))
            }
            Err(e) if self.err_is(&e, "StopIteration") => Ok(SendResult::Return(self.stop_iteration_value(&e))),
            Err(e) => Err(e),
        }
    }

    pub fn stop_iteration_value(&mut self, e: &PyErr) -> Value {
        let args = self.exc_data(&e.0).and_then(|d| d.borrow().args.clone());
        match args.and_then(|a| a.downcast_ref::<Tuple>().and_then(|t| t.0.first().cloned())) {
            Some(v) => v,
            None => self.none.clone(),
        }
    }

    /// Resume generator `g` with `v` (or with an exception thrown in).
    /// Resume a generator or coroutine. Its frame runs in a nested interpreter run, so
    /// it counts toward the recursion limit as a call does (as in CPython, where a
    /// chain of generators delegating to each other is a chain of C calls).
    pub fn gen_resume(&mut self, g: &Value, v: Value, throw: Option<PyErr>) -> PyResult<SendResult> {
        if self.depth + 1 >= self.recursion_limit || crate::stack::exhausted() {
            return Err(self.new_exception("RecursionError", "maximum recursion depth exceeded"));
        }
        self.depth += 1;
        let r = self.gen_resume_inner(g, v, throw);
        self.depth -= 1;
        r
    }

    fn gen_resume_inner(&mut self, g: &Value, v: Value, throw: Option<PyErr>) -> PyResult<SendResult> {
        let gen = g.downcast_ref::<Generator>().unwrap();
        if gen.running.get() {
            let what = if gen.kind == GenKind::Coroutine { "coroutine" } else { "generator" };
            return Err(self.value_error(format!("{what} already executing")));
        }
        let frame = gen.frame.borrow_mut().take();
        let Some(mut frame) = frame else {
            if let Some(e) = throw {
                return Err(e);
            }
            if gen.kind == GenKind::Coroutine {
                return Err(self.runtime_error("cannot reuse already awaited coroutine"));
            }
            return Ok(SendResult::Return(self.none.clone()));
        };
        if !gen.started.get() {
            if !self.is_none(&v) && throw.is_none() {
                *gen.frame.borrow_mut() = Some(frame);
                let what = if gen.kind == GenKind::Coroutine { "coroutine" } else { "generator" };
                return Err(self.type_error(format!("can't send non-None value to a just-started {what}")));
            }
        } else if throw.is_none() {
            frame.stack.push(v);
        }
        // A thrown exception goes first to a sub-iterator we are delegating to.
        let mut throw = throw;
        if let Some(e) = throw.take() {
            if gen.started.get() && is_delegating(&frame) {
                let sub = frame.stack.last().cloned();
                if let Some(sub) = sub {
                    match self.throw_into(&sub, e.clone()) {
                        Ok(SendResult::Yield(y)) => {
                            *gen.frame.borrow_mut() = Some(frame);
                            return Ok(SendResult::Yield(y));
                        }
                        Ok(SendResult::Return(r)) => {
                            // Sub-iterator finished: continue after the SEND loop with r.
                            let s = frame.stack.pop();
                            drop(s);
                            frame.stack.push(r);
                            let target = frame.code.instructions[frame.ip - 2].arg as usize;
                            let _ = target;
                            frame.ip = send_exit_target(&frame);
                            gen.started.set(true);
                            gen.running.set(true);
                            let r = self.run_frame(frame, None);
                            gen.running.set(false);
                            return self.finish_resume(g, r);
                        }
                        Err(e2) => throw = Some(e2),
                    }
                } else {
                    throw = Some(e);
                }
            } else {
                throw = Some(e);
            }
        }
        gen.started.set(true);
        gen.running.set(true);
        let r = self.run_frame(frame, throw);
        gen.running.set(false);
        self.finish_resume(g, r)
    }

    fn finish_resume(&mut self, g: &Value, r: PyResult<FrameExit>) -> PyResult<SendResult> {
        let gen = g.downcast_ref::<Generator>().unwrap();
        match r {
            Ok(FrameExit::Yield(y, frame)) => {
                *gen.frame.borrow_mut() = Some(frame);
                Ok(SendResult::Yield(y))
            }
            Ok(FrameExit::Return(v)) => Ok(SendResult::Return(v)),
            Err(e) => {
                // PEP 479: StopIteration raised inside a generator becomes RuntimeError.
                if self.err_is(&e, "StopIteration") {
                    let what = match gen.kind {
                        GenKind::Coroutine => "coroutine raised StopIteration",
                        GenKind::AsyncGenerator => "async generator raised StopIteration",
                        GenKind::Generator => "generator raised StopIteration",
                    };
                    let re = self.runtime_error(what);
                    if let Some(d) = self.exc_data(&re.0) {
                        let mut d = d.borrow_mut();
                        d.cause = Some(e.0.clone());
                        d.context = Some(e.0.clone());
                        d.suppress_context = true;
                    }
                    return Err(re);
                }
                Err(e)
            }
        }
    }

    fn throw_into(&mut self, sub: &Value, e: PyErr) -> PyResult<SendResult> {
        if sub.is::<Generator>() {
            let none = self.none.clone();
            return self.gen_resume(sub, none, Some(e));
        }
        let ty = self.type_of(&e.0);
        match self.call_special(sub, "throw", &[ty, e.0.clone()]) {
            Ok(Some(y)) => Ok(SendResult::Yield(y)),
            Ok(None) => Err(e),
            Err(e2) if self.err_is(&e2, "StopIteration") => Ok(SendResult::Return(self.stop_iteration_value(&e2))),
            Err(e2) => Err(e2),
        }
    }

    pub fn gen_send(&mut self, g: &Value, v: Value) -> PyResult<SendResult> {
        self.gen_resume(g, v, None)
    }

    /// `gen.close()`: throw GeneratorExit; a yield in response is an error.
    pub fn gen_close(&mut self, g: &Value) -> PyResult<()> {
        let gen = g.downcast_ref::<Generator>().unwrap();
        if gen.frame.borrow().is_none() || !gen.started.get() {
            let f = gen.frame.borrow_mut().take();
            drop(f);
            return Ok(());
        }
        let e = self.new_exception_noargs("GeneratorExit");
        let none = self.none.clone();
        match self.gen_resume(g, none, Some(e)) {
            Ok(SendResult::Yield(_)) => Err(self.runtime_error("generator ignored GeneratorExit")),
            Ok(SendResult::Return(_)) => Ok(()),
            Err(e) if self.err_is(&e, "GeneratorExit") || self.err_is(&e, "StopIteration") => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// GET_AWAITABLE: a coroutine itself, or the iterator from `__await__`.
    pub fn get_awaitable(&mut self, v: &Value, _where: u32) -> PyResult<Value> {
        if let Some(g) = v.downcast_ref::<Generator>() {
            if g.kind == GenKind::Coroutine {
                return Ok(v.clone());
            }
        }
        if let Some(r) = self.call_special(v, "__await__", &[])? {
            return Ok(r);
        }
        let tn = self.type_name(v);
        Err(self.type_error(format!("object {tn} can't be used in 'await' expression")))
    }
}

/// Is a suspended frame inside a `yield from`/`await` (its last instruction was the
/// YIELD_VALUE of a SEND loop)?
fn is_delegating(frame: &crate::frame::Frame) -> bool {
    frame.ip >= 2
        && frame.code.instructions.get(frame.ip - 1).is_some_and(|i| i.op == Opcode::YIELD_VALUE)
        && frame.code.instructions.get(frame.ip - 2).is_some_and(|i| i.op == Opcode::SEND)
}

/// Where the SEND loop exits (the SEND's jump target).
fn send_exit_target(frame: &crate::frame::Frame) -> usize {
    frame.code.instructions[frame.ip - 2].arg as usize
}

impl Vm {
    /// Resume the async generator behind an `asend` awaitable.
    pub fn asend_step(&mut self, aw: &Value, sent: Value, throw: Option<PyErr>) -> PyResult<Value> {
        let a = aw.downcast_ref::<AsyncGenAsend>().unwrap();
        if a.done.get() {
            return Err(self.runtime_error("cannot reuse already awaited __anext__()/asend()"));
        }
        let gen = a.gen.clone();
        let closing = a.closing;
        let mut value = sent;
        if let Some(p) = a.pending.borrow_mut().take() {
            value = p;
        }
        let mut throw = throw;
        if throw.is_none() {
            if let Some(t) = a.throw.borrow_mut().take() {
                throw = Some(PyErr(t));
            }
        }
        let r = self.gen_resume(&gen, value, throw);
        match r {
            Ok(SendResult::Yield(y)) => {
                if let Some(w) = y.downcast_ref::<AsyncGenWrapped>() {
                    a.done.set(true);
                    if closing {
                        return Err(self.runtime_error("async generator ignored GeneratorExit"));
                    }
                    let inner = w.0.clone();
                    let e = self.stop_iteration(Some(inner.clone()));
                    let name = self.intern_static("value");
                    let _ = self.generic_setattr(&e.0, &name, inner);
                    return Err(e);
                }
                Ok(y)
            }
            Ok(SendResult::Return(_)) => {
                a.done.set(true);
                if closing {
                    return Err(self.stop_iteration(None));
                }
                Err(self.new_exception_noargs("StopAsyncIteration"))
            }
            Err(e) => {
                a.done.set(true);
                if closing && (self.err_is(&e, "GeneratorExit") || self.err_is(&e, "StopAsyncIteration")) {
                    return Err(self.stop_iteration(None));
                }
                Err(e)
            }
        }
    }
}
