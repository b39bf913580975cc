//! A frame: one activation of a code object — its fast locals, cells, value stack and
//! instruction pointer. Frames live on the interpreter's own frame stack (never on the
//! Rust stack), or inside a suspended generator.

use pyvm_compiler::bytecode::CodeObject;
use pyvm_gc::Value;
use std::rc::Rc;

pub struct Frame {
    pub code: Rc<CodeObject>,
    pub consts: Rc<[Value]>,
    pub names: Rc<[Value]>,
    pub func: Option<Value>,
    pub globals: Value,
    pub builtins: Value,
    /// The namespace of module and class bodies (LOAD_NAME/STORE_NAME).
    pub locals: Option<Value>,
    pub fast: Vec<Option<Value>>,
    pub cells: Vec<Value>,
    pub stack: Vec<Value>,
    pub ip: usize,
    /// Index of the instruction being executed (for tracebacks and exception lookup).
    pub lasti: usize,
    pub kwnames: Option<Value>,
}

impl Frame {
    /// Visit every reference the frame owns (used when a generator is traced).
    pub fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        for v in self.fast.iter().flatten() {
            visit(v);
        }
        for v in &self.cells {
            visit(v);
        }
        for v in &self.stack {
            visit(v);
        }
        if let Some(f) = &self.func {
            visit(f);
        }
        visit(&self.globals);
        if let Some(l) = &self.locals {
            visit(l);
        }
    }

    /// Is the frame suspended inside a `try`/`with` region (so closing it runs code)?
    pub fn has_active_handlers(&self) -> bool {
        self.code.handler_for(self.lasti as u32).is_some()
    }

    pub fn line(&self) -> u32 {
        self.code.positions.get(self.lasti).map_or(self.code.firstlineno, |p| p.line)
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        // Locals die in slot order (CPython clears fast locals first to last), then the
        // value stack, then cells.
        for slot in self.fast.iter_mut() {
            let v = slot.take();
            drop(v);
        }
        while let Some(v) = self.stack.pop() {
            drop(v);
        }
    }
}
