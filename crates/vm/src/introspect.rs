//! Frame and traceback objects as Python sees them: `sys._getframe()`, `tb_frame`,
//! `tb_next`/`tb_lineno`, a generator's `gi_frame`.
//!
//! Running frames are Rust data on the interpreter's frame stack, not Python objects,
//! so a frame object here is a snapshot taken when it is asked for: `f_code`,
//! `f_lineno`, `f_lasti`, `f_globals`, `f_builtins`, `f_locals` (the namespace of a
//! module or class body itself; a dict of the fast locals and cells of a function, as
//! CPython's `locals()` gives) and `f_back`, the snapshot of the caller. Frames of Python
//! code called from Rust (a `key=` function, a `__del__`) are not linked to the frame
//! that made the Rust call, so their `f_back` chain stops at the Rust boundary.

use crate::frame::Frame;
use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;
use std::rc::Rc;

/// What a frame object shows, copied out of a frame.
pub struct FrameInfo {
    code: Rc<CodeRt>,
    line: u32,
    lasti: usize,
    globals: Option<Value>,
    builtins: Option<Value>,
    /// The body namespace of module and class frames.
    namespace: Option<Value>,
    /// Fast locals and cells of function frames, by name.
    locals: Vec<(Rc<str>, Value)>,
}

impl FrameInfo {
    pub fn of(f: &Frame) -> FrameInfo {
        let mut locals = Vec::new();
        if f.locals.is_none() {
            for (i, v) in f.fast.iter().enumerate() {
                if let (Some(v), Some(name)) = (v, f.code.varnames.get(i)) {
                    locals.push((name.clone(), v.clone()));
                }
            }
            for (i, c) in f.cells.iter().enumerate() {
                if let Some(v) = c.downcast_ref::<CellObj>().and_then(|c| c.0.borrow().clone()) {
                    locals.push((f.code.cell_name(i).into(), v));
                }
            }
        }
        FrameInfo {
            code: f.code.clone(),
            line: f.line(),
            lasti: f.lasti,
            globals: Some(f.globals.clone()),
            builtins: None,
            namespace: f.locals.clone(),
            locals,
        }
    }
}

impl Vm {
    /// A frame object for `info`, whose `f_back` is `back`.
    pub fn frame_object(&mut self, info: FrameInfo, back: Value) -> PyResult<Value> {
        let locals = match info.namespace {
            Some(ns) => ns,
            None => {
                let d = self.new_dict();
                for (k, v) in info.locals {
                    let k = self.intern(&k);
                    self.dict_set(&d, k, v)?;
                }
                d
            }
        };
        let fty = self.frame_type();
        let fo = Value::new(Instance::new(fty, false));
        let code = Value::new(CodeValue { code: info.code });
        let none = self.none.clone();
        let attrs = [
            ("f_code", code),
            ("f_lineno", self.new_int(info.line as i64)),
            ("f_lasti", self.new_int(info.lasti as i64 * 2)),
            ("f_globals", info.globals.unwrap_or_else(|| none.clone())),
            ("f_builtins", info.builtins.unwrap_or_else(|| self.builtins.clone())),
            ("f_locals", locals),
            ("f_back", back),
            ("f_trace", none),
        ];
        for (k, v) in attrs {
            let k = self.intern(k);
            self.generic_setattr(&fo, &k, v)?;
        }
        Ok(fo)
    }

    /// `sys._getframe(depth)` called directly from the running frame `f`: `f` itself
    /// is depth 0, its callers (on the frame stack) follow.
    pub fn getframe(&mut self, f: &Frame, args: &[Value]) -> PyResult<Value> {
        let depth = match args {
            [] => 0,
            [d] => match self.index_value(d)? {
                Some(i) => i,
                None => {
                    let tn = self.type_name(d);
                    return Err(self.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
                }
            },
            _ => return Err(self.type_error(format!("_getframe expected at most 1 argument, got {}", args.len()))),
        };
        let total = 1 + self.frame_stack.len();
        if depth < 0 || depth as usize >= total {
            return Err(self.new_exception("ValueError", "call stack is not deep enough"));
        }
        let depth = depth as usize;
        // Innermost first: f, then the waiting callers from the top of the stack down.
        let mut infos: Vec<FrameInfo> = Vec::with_capacity(total - depth);
        if depth == 0 {
            infos.push(FrameInfo::of(f));
        }
        let skip = depth.saturating_sub(1);
        for fr in self.frame_stack.iter().rev().skip(skip) {
            infos.push(FrameInfo::of(fr));
        }
        // Build from the outermost inward, so each frame's f_back exists.
        let mut back = self.none.clone();
        while let Some(info) = infos.pop() {
            back = self.frame_object(info, back)?;
        }
        Ok(back)
    }

    /// An attribute of a traceback object: `tb_next`, `tb_lineno`, `tb_lasti`, `tb_frame`.
    pub fn traceback_attr(&mut self, tb: &TracebackObj, name: &str) -> PyResult<Option<Value>> {
        let exc = tb.0.clone();
        let Some(data) = self.exc_data(&exc) else { return Ok(None) };
        // Entries are stored innermost first; traceback objects go outermost first.
        let (entry, n, kept) = {
            let d = data.borrow();
            let n = d.traceback.len();
            let Some(j) = n.checked_sub(tb.1 + 1) else { return Ok(None) };
            let entry = d.traceback[j].clone();
            let kept = d.frames.get(j).filter(|fr| Rc::ptr_eq(&fr.code.code, &entry.code)).map(|fr| FrameInfo::of(fr));
            (entry, n, kept)
        };
        let line = entry.code.positions.get(entry.lasti as usize).map_or(entry.code.firstlineno, |p| p.line);
        Ok(Some(match name {
            "tb_next" => {
                if tb.1 + 1 < n {
                    Value::new(TracebackObj(exc, tb.1 + 1))
                } else {
                    self.none.clone()
                }
            }
            "tb_lineno" => self.new_int(line as i64),
            "tb_lasti" => self.new_int(entry.lasti as i64 * 2),
            "tb_frame" => {
                let info = match kept {
                    Some(mut info) => {
                        info.line = line;
                        info
                    }
                    None => {
                        let cv = self.code_value(&entry.code);
                        let code = cv.downcast_ref::<CodeValue>().expect("code").code.clone();
                        FrameInfo { code, line, lasti: entry.lasti as usize, globals: None, builtins: None, namespace: None, locals: Vec::new() }
                    }
                };
                let none = self.none.clone();
                self.frame_object(info, none)?
            }
            _ => return Ok(None),
        }))
    }
}
