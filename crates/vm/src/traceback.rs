//! Exceptions as Python sees them (raising, matching, chaining) and their printed form:
//! CPython 3.11's traceback layout with `~~~^^^` position markers, `raise ... from`
//! and implicit chaining sections, and the `Exception ignored in:` block.

use crate::objects::*;
use crate::vm::{PyErr, PyResult, Vm};
use pyvm_gc::Value;

impl Vm {
    pub fn is_exception_type(&self, v: &Value) -> bool {
        v.downcast_ref::<Type>().is_some_and(|t| t.flags.get().is_exception)
    }
    pub fn is_exception_instance(&self, v: &Value) -> bool {
        v.downcast_ref::<Instance>().is_some_and(|i| i.exc().is_some())
    }

    /// `raise X`: instantiate a class, check it derives from BaseException.
    pub fn make_raisable(&mut self, exc: Value) -> PyResult<PyErr> {
        if self.is_exception_type(&exc) {
            let inst = self.call(&exc, &[], &[])?;
            if !self.is_exception_instance(&inst) {
                return Err(self.type_error("exceptions must derive from BaseException"));
            }
            return Ok(PyErr(inst));
        }
        if self.is_exception_instance(&exc) {
            return Ok(PyErr(exc));
        }
        Err(self.type_error("exceptions must derive from BaseException"))
    }

    /// `except T:` matching (T may be a tuple of classes).
    /// CHECK_EXC_MATCH: does `exc` match the class or tuple of classes `ty`? As in
    /// CPython 3.11, a tuple is checked whole first (every item an exception class; a
    /// nested tuple is not one), so `except (KeyError, 5)` is a TypeError even for a
    /// KeyError.
    pub fn exception_matches(&mut self, exc: &Value, ty: &Value) -> PyResult<bool> {
        let classes: &[Value] = match ty.downcast_ref::<Tuple>() {
            Some(t) => &t.0,
            None => std::slice::from_ref(ty),
        };
        if !classes.iter().all(|c| self.is_exception_type(c)) {
            return Err(self.type_error("catching classes that do not inherit from BaseException is not allowed"));
        }
        Ok(classes.iter().any(|c| self.isinstance(exc, c)))
    }

    /// `exc.__traceback__`: a traceback object (opaque), or None.
    pub fn traceback_object(&mut self, exc: &Value) -> Value {
        match self.exc_data(exc) {
            Some(d) if !d.borrow().traceback.is_empty() => Value::new(TracebackObj(exc.clone(), 0)),
            _ => self.none.clone(),
        }
    }

    /// The full printed form of an uncaught exception, chain included.
    pub fn format_exception(&mut self, exc: &Value) -> String {
        let mut seen = Vec::new();
        let mut out = String::new();
        self.format_chain(exc, &mut out, &mut seen);
        out
    }

    fn format_chain(&mut self, exc: &Value, out: &mut String, seen: &mut Vec<usize>) {
        seen.push(exc.raw());
        if let Some(d) = self.exc_data(exc) {
            let (cause, context, suppress) = {
                let d = d.borrow();
                (d.cause.clone(), d.context.clone(), d.suppress_context)
            };
            if let Some(c) = cause {
                if !seen.contains(&c.raw()) {
                    self.format_chain(&c, out, seen);
                    out.push_str("\nThe above exception was the direct cause of the following exception:\n\n");
                }
            } else if let Some(c) = context {
                if !suppress && !seen.contains(&c.raw()) {
                    self.format_chain(&c, out, seen);
                    out.push_str("\nDuring handling of the above exception, another exception occurred:\n\n");
                }
            }
        }
        self.format_single(exc, out);
    }

    fn format_single(&mut self, exc: &Value, out: &mut String) {
        let entries = self.exc_data(exc).map(|d| d.borrow().traceback.clone()).unwrap_or_default();
        if !entries.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
            // Runs of the same (file, line, function) collapse after 3, as in CPython.
            const CUTOFF: usize = 3;
            let key = |e: &TbEntry| {
                let line = e.code.positions.get(e.lasti as usize).map_or(0, |p| p.line);
                (e.code.filename.clone(), line, e.code.name.clone())
            };
            let mut last = None;
            let mut count = 0usize;
            let flush = |count: usize, out: &mut String| {
                if count > CUTOFF {
                    let n = count - CUTOFF;
                    out.push_str(&format!("  [Previous line repeated {n} more time{}]\n", if n > 1 { "s" } else { "" }));
                }
            };
            for e in entries.iter().rev() {
                let k = key(e);
                if last.as_ref() != Some(&k) {
                    flush(count, out);
                    last = Some(k);
                    count = 0;
                }
                count += 1;
                if count > CUTOFF {
                    continue;
                }
                self.format_tb_entry(e, out);
            }
            flush(count, out);
        }
        out.push_str(&self.exception_line(exc));
        out.push('\n');
    }

    /// `TypeName: message` (module-qualified outside builtins and __main__).
    pub fn exception_line(&mut self, exc: &Value) -> String {
        let ty = self.type_of(exc);
        let t = ty.downcast_ref::<Type>().unwrap();
        let qn = t.qualname.borrow().to_string();
        let module = t.module.borrow().clone().map(|m| self.str_val(&m)).unwrap_or_else(|| "builtins".into());
        let name = if module == "builtins" || module == "__main__" { qn } else { format!("{module}.{qn}") };
        if self.is_subtype(&ty, &self.exc["SyntaxError"].clone()) {
            if let Some(block) = self.syntax_error_block(exc, &name) {
                return block;
            }
        }
        let msg = match self.to_str(exc) {
            Ok(s) => s,
            Err(_) => "<exception str() failed>".into(),
        };
        if msg.is_empty() {
            name
        } else {
            format!("{name}: {msg}")
        }
    }

    /// CPython's `File/line/caret` block for a SyntaxError raised by an import.
    fn syntax_error_block(&mut self, exc: &Value, name: &str) -> Option<String> {
        let get = |vm: &mut Vm, k: &str| {
            let k = vm.intern(k);
            vm.getattr(exc, &k).ok()
        };
        let filename = get(self, "filename").filter(|v| v.is::<Str>())?;
        let msg = get(self, "msg").filter(|v| v.is::<Str>())?;
        let lineno = get(self, "lineno").and_then(|v| v.as_int())?;
        let offset = get(self, "offset").and_then(|v| v.as_int()).unwrap_or(0);
        let end_offset = get(self, "end_offset").and_then(|v| v.as_int()).unwrap_or(0);
        let end_lineno = get(self, "end_lineno").and_then(|v| v.as_int()).unwrap_or(lineno);
        let text = get(self, "text").filter(|v| v.is::<Str>()).map(|t| self.str_val(&t)).unwrap_or_default();
        let e = pyvm_compiler::error::SyntaxError {
            kind: pyvm_compiler::error::SyntaxErrorKind::SyntaxError,
            msg: self.str_val(&msg),
            line: lineno as u32,
            col: offset.max(0) as u32,
            end_col: end_offset.max(0) as u32,
            end_line: end_lineno.max(0) as u32,
        };
        // The source as far as the error line (only that line is shown).
        let source = format!("{}{}", "\n".repeat((lineno as usize).saturating_sub(1)), text);
        let block = crate::format_syntax_error(&e, &self.str_val(&filename), &source);
        // format_syntax_error ends with "SyntaxError: msg\n"; use the real type name.
        let body = block.rsplit_once("SyntaxError: ").map(|(b, _)| b.to_string()).unwrap_or(block);
        Some(format!("{body}{name}: {}", e.msg))
    }

    fn format_tb_entry(&mut self, e: &TbEntry, out: &mut String) {
        let pos = e.code.positions.get(e.lasti as usize).copied().unwrap_or_default();
        let line = if pos.line == 0 { e.code.firstlineno } else { pos.line };
        out.push_str(&format!("  File \"{}\", line {}, in {}\n", e.code.filename, line, e.code.name));
        let Some(src) = self.sources.get(&*e.code.filename).cloned() else { return };
        let Some(text) = src.lines().nth(line as usize - 1) else { return };
        let stripped = text.trim_start();
        let indent = text.chars().count() - stripped.chars().count();
        let stripped_r = stripped.trim_end();
        if stripped_r.is_empty() {
            return;
        }
        out.push_str("    ");
        out.push_str(stripped_r);
        out.push('\n');
        if pos.line == 0 {
            return;
        }
        let line_len = text.trim_end().chars().count();
        let start = pos.col as usize;
        let mut end = pos.end_col as usize;
        let multiline = pos.end_line != pos.line;
        if multiline {
            end = line_len;
        }
        if start < indent || end > line_len || end <= start {
            return;
        }
        let segment: String = text.chars().skip(start).take(end - start).collect();
        let anchors = if multiline { None } else { pyvm_compiler::caret_anchors(&segment) };
        // No markers when they would be all `^` under the whole line.
        if start == indent && end == line_len && anchors.is_none() {
            return;
        }
        let mut carets = String::new();
        for _ in 0..(start - indent) {
            carets.push(' ');
        }
        for i in 0..(end - start) {
            let c = match anchors {
                Some((a, b)) if i < a || i >= b => '~',
                _ => '^',
            };
            carets.push(c);
        }
        out.push_str("    ");
        out.push_str(&carets);
        out.push('\n');
    }

    /// Print an exception that cannot propagate (from `__del__`, weakref callbacks, gc
    /// callbacks) as CPython's default `sys.unraisablehook` does.
    pub fn write_unraisable(&mut self, e: &PyErr, obj_repr: &str) {
        self.write_unraisable_obj(e, None, obj_repr);
    }

    /// Report through `sys.unraisablehook` when the program replaced it (the hook gets
    /// an object with exc_type, exc_value, exc_traceback, err_msg and object), else print
    /// CPython's default text.
    pub fn write_unraisable_obj(&mut self, e: &PyErr, obj: Option<Value>, obj_repr: &str) {
        if let Some(sys) = self.sys.clone() {
            let name = self.intern_static("unraisablehook");
            let d = sys.downcast_ref::<Module>().map(|m| m.dict.clone());
            if let Some(hook) = d.and_then(|d| self.dict_get_str(&d, &name)) {
                if !hook.is::<BuiltinFn>() {
                    let ty = self.new_internal_type("UnraisableHookArgs", None, kind::INSTANCE, true);
                    let args = Value::new(Instance::new(ty, false));
                    let exc_type = self.type_of(&e.0);
                    let tb = self.traceback_object(&e.0);
                    let none = self.none.clone();
                    let fields = [("exc_type", exc_type), ("exc_value", e.0.clone()), ("exc_traceback", tb), ("err_msg", none.clone()), ("object", obj.unwrap_or(none))];
                    for (k, v) in fields {
                        let kn = self.intern(k);
                        let _ = self.generic_setattr(&args, &kn, v);
                    }
                    if let Err(e2) = self.call(&hook, &[args], &[]) {
                        let t = self.format_exception(&e2.0);
                        let hr = self.repr(&hook).unwrap_or_default();
                        self.write_stderr(&format!("Exception ignored in sys.unraisablehook: {hr}\n{t}"));
                    }
                    return;
                }
            }
        }
        if let Some((code, lasti)) = self.unraisable_site.clone() {
            if let Some(d) = self.exc_data(&e.0) {
                let mut d = d.borrow_mut();
                if d.traceback.is_empty() {
                    d.traceback.push(TbEntry { code, lasti });
                }
            }
        }
        let mut s = format!("Exception ignored in: {obj_repr}\n");
        let mut body = String::new();
        self.format_single(&e.0.clone(), &mut body);
        s.push_str(&body);
        self.flush_stdout();
        self.write_stderr(&s);
    }
}

