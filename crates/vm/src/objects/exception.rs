//! Exception state carried by exception instances: args, traceback entries, chaining.

use pyvm_compiler::bytecode::CodeObject;
use pyvm_gc::Value;
use std::rc::Rc;

/// One traceback line: the code and the instruction that was executing.
#[derive(Clone)]
pub struct TbEntry {
    pub code: Rc<CodeObject>,
    pub lasti: u32,
}

#[derive(Default)]
pub struct ExcData {
    pub args: Option<Value>,
    /// Innermost frame last (entries are appended as the exception propagates outward,
    /// so they are printed in reverse).
    pub traceback: Vec<TbEntry>,
    pub cause: Option<Value>,
    pub context: Option<Value>,
    pub suppress_context: bool,
    /// The frames the exception propagated out of. As in CPython (where the traceback
    /// holds frame objects), their locals stay alive as long as the exception does.
    pub frames: Vec<Box<crate::frame::Frame>>,
}

impl Drop for ExcData {
    fn drop(&mut self) {
        // The frames die in order, as before, but their buffers go back for reuse.
        for mut f in std::mem::take(&mut self.frames) {
            f.release_detached();
            crate::frame::give_spare(f);
        }
    }
}

impl ExcData {
    pub fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        for v in [&self.args, &self.cause, &self.context].into_iter().flatten() {
            visit(v);
        }
        for f in &self.frames {
            f.trace(visit);
        }
    }
    /// Take every reference out (tp_clear).
    pub fn take_refs(&mut self) -> Vec<Value> {
        let frames = std::mem::take(&mut self.frames);
        drop(frames);
        [self.args.take(), self.cause.take(), self.context.take()].into_iter().flatten().collect()
    }
}
