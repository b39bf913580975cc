//! `__del__` on the refcount path. The gc crate's finalize hook cannot borrow the VM (it
//! runs inside a decref, deep in some VM operation), so it queues the object (keeping it
//! alive: the gc crate sees it as resurrected) and the interpreter runs the queued
//! finalizers at the next instruction boundary. The object is already marked FINALIZED,
//! so when the queue drops it, it is freed without a second `__del__`.

use crate::objects::*;
use crate::vm::Vm;
use pyvm_gc::Value;
use std::cell::RefCell;
use std::sync::atomic::Ordering;

/// Cheap check for the interpreter loop: are finalizers waiting (or is the heap budget
/// exceeded)? One flag, shared with the gc crate's counting allocator.
pub use pyvm_gc::ATTENTION as FINALIZERS_PENDING;

/// Work the gc crate asked for while it could not borrow the VM.
enum Pending {
    /// Run `__del__` (the object is already marked FINALIZED).
    Finalize(Value),
    /// Call a cleared weakref's callback.
    WeakrefCallback(Value),
}

thread_local! {
    static QUEUE: RefCell<Vec<Pending>> = const { RefCell::new(Vec::new()) };
}

fn finalize_hook(obj: &Value) {
    QUEUE.with(|q| q.borrow_mut().push(Pending::Finalize(obj.clone())));
    FINALIZERS_PENDING.store(true, Ordering::Relaxed);
}

fn weakref_callback_hook(wr: &Value) {
    QUEUE.with(|q| q.borrow_mut().push(Pending::WeakrefCallback(wr.clone())));
    FINALIZERS_PENDING.store(true, Ordering::Relaxed);
}

pub fn install_hooks() {
    let hooks = pyvm_gc::Hooks {
        finalize: finalize_hook,
        clear_weakrefs: crate::modules::weakref::clear_weakrefs,
        call_weakref_callback: weakref_callback_hook,
        is_weakref: crate::modules::weakref::is_weakref,
        ..Default::default()
    };
    pyvm_gc::set_hooks(hooks);
    let extra = pyvm_gc::ExtraHooks { clear_weakref: crate::modules::weakref::clear_weakref, ..Default::default() };
    pyvm_gc::set_extra_hooks(extra);
}

impl Vm {
    /// Run every queued `__del__` (and those their deaths queue in turn).
    pub fn run_pending_finalizers(&mut self) {
        loop {
            FINALIZERS_PENDING.store(false, Ordering::Relaxed);
            let batch: Vec<Pending> = QUEUE.with(|q| std::mem::take(&mut *q.borrow_mut()));
            if batch.is_empty() {
                return;
            }
            for p in batch {
                match p {
                    Pending::Finalize(obj) => {
                        self.call_del(&obj);
                        drop(obj);
                    }
                    Pending::WeakrefCallback(wr) => {
                        self.call_weakref_callback(&wr);
                        drop(wr);
                    }
                }
            }
        }
    }

    /// `gc.collect(generation)`: finalizers of garbage run synchronously, with the VM.
    pub fn collect_garbage(&mut self, generation: usize) -> usize {
        self.collect_generation(generation)
    }

    /// An allocation-triggered collection, at a safe point of the interpreter loop.
    pub fn collect_garbage_auto(&mut self) {
        if self.gc_collecting {
            return;
        }
        if let Some(g) = pyvm_gc::take_pending_generation() {
            self.gc_reason = crate::diagnostics::GcReason::Threshold;
            self.collect_generation(g);
        }
    }

    pub(crate) fn call_del_now(&mut self, obj: &Value) {
        self.call_del(obj);
    }

    fn call_del(&mut self, obj: &Value) {
        if obj.is::<Generator>() {
            if let Err(e) = self.gen_close(obj) {
                let r = self.repr(obj).unwrap_or_default();
                self.write_unraisable(&e, &r);
            }
            return;
        }
        let ty = self.type_of(obj);
        let name = self.intern_static("__del__");
        let Some(del) = self.lookup_mro(&ty, &name) else { return };
        let saved = self.exc_info.clone();
        let r = self.call_method_value(&del, obj, &[]);
        self.exc_info = saved;
        if let Err(e) = r {
            let what = self.repr(&del).unwrap_or_default();
            self.write_unraisable_obj(&e, Some(del.clone()), &what);
        }
    }
}
