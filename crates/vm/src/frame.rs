//! A frame: one activation of a code object — its fast locals, cells, value stack and
//! instruction pointer. Frames live on the interpreter's own frame stack (never on the
//! Rust stack), or inside a suspended generator.

use crate::objects::CodeRt;
use pyvm_gc::Value;
use std::cell::RefCell;
use std::rc::Rc;

pub struct Frame {
    /// The code being run, with its constants, names, global caches and quickened
    /// instructions (one `Rc` for all of them keeps calls cheap).
    pub code: Rc<CodeRt>,
    pub func: Option<Value>,
    pub globals: Value,
    /// The namespace of module and class bodies (LOAD_NAME/STORE_NAME).
    pub locals: Option<Value>,
    pub fast: Vec<Option<Value>>,
    pub cells: Vec<Value>,
    pub stack: Vec<Value>,
    pub ip: usize,
    /// Index of the instruction being executed (for tracebacks and exception lookup).
    pub lasti: usize,
    pub kwnames: Option<Value>,
    /// Set on the frame of an `__init__` run by an inlined class call: the new instance,
    /// which becomes the call's result when `__init__` returns None.
    pub init_self: Option<Value>,
    /// The dict `locals()` gives inside a function (CPython's `f_locals`): made on the
    /// first call and refreshed from the fast locals by each later one, so it is the
    /// same object every time and keeps what `exec` wrote into it.
    pub locals_snapshot: Option<Value>,
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
        if let Some(l) = &self.locals_snapshot {
            visit(l);
        }
    }

    /// Is the frame suspended inside a `try`/`with` region (so closing it runs code)?
    pub fn has_active_handlers(&self) -> bool {
        self.code.handler_for(self.lasti as u32).is_some()
    }

    /// Release every reference the frame holds, in the order `Drop` releases them, and
    /// keep its buffers (`fast`, `cells`, `stack` capacity) for reuse by the frame pool.
    /// `blank` replaces the code (whose constants are Python references the pooled
    /// frame must not keep alive), `none` the namespaces.
    #[inline]
    pub fn release(&mut self, blank: &Rc<CodeRt>, none: &Value) {
        self.release_into(blank.clone(), none.clone());
    }

    /// `release` for a frame the interpreter is not at hand for (one an exception kept):
    /// the code becomes this thread's blank code and the globals a small int (no
    /// object), until `Vm::new_frame` reuses it.
    pub fn release_detached(&mut self) {
        self.release_into(BLANK.with(|b| b.clone()), Value::int(0).expect("small int"));
    }

    #[inline]
    fn release_into(&mut self, code: Rc<CodeRt>, globals: Value) {
        // `clear` drops the locals in slot order (CPython's order); dropping one only
        // queues a finalizer, never touches this frame.
        self.fast.clear();
        while let Some(v) = self.stack.pop() {
            drop(v);
        }
        self.code = code;
        let func = self.func.take();
        drop(func);
        self.globals = globals;
        let locals = self.locals.take();
        drop(locals);
        self.cells.clear();
        let kw = self.kwnames.take();
        drop(kw);
        let s = self.init_self.take();
        drop(s);
        let snap = self.locals_snapshot.take();
        drop(snap);
        self.ip = 0;
        self.lasti = 0;
    }

    pub fn line(&self) -> u32 {
        self.code.positions.get(self.lasti).map_or(self.code.firstlineno, |p| p.line)
    }
}

thread_local! {
    /// The code of a frame waiting for reuse (no constants, no names).
    static BLANK: Rc<CodeRt> = Rc::new(CodeRt::blank());
    /// Frames released by the exceptions that kept them (see `ExcData`'s `Drop`), for
    /// `Vm::new_frame` when its own pool is empty: code that raises and catches in a
    /// loop reuses its frames instead of allocating four blocks per call.
    static SPARE: RefCell<Vec<Box<Frame>>> = const { RefCell::new(Vec::new()) };
}

/// Keep a released frame (`release_detached`) for reuse; at most 64 wait.
pub fn give_spare(f: Box<Frame>) {
    SPARE.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() < 64 {
            s.push(f);
        }
    });
}

/// A frame kept by `give_spare`, if any.
pub fn take_spare() -> Option<Box<Frame>> {
    SPARE.with(|s| s.borrow_mut().pop())
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
