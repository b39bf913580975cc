//! Synthetic payload types and recording hooks shared by the integration tests.
#![allow(dead_code)]

use pyvm_gc::{Hooks, Trace, Untrack, Value};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// A container with children, a name, and optionally a finalizer.
pub struct Node {
    pub children: RefCell<Vec<Value>>,
    pub name: String,
    pub has_del: bool,
}

// SAFETY: trace visits every child once; KIND is unique among the test types.
unsafe impl Trace for Node {
    const KIND: u32 = 1;
    const NAME: &'static str = "Node";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        if let Ok(c) = self.children.try_borrow() {
            for v in c.iter() {
                visit(v);
            }
        }
    }
    fn clear(&self) {
        let old = std::mem::take(&mut *self.children.borrow_mut());
        drop(old);
    }
    fn has_finalizer(&self) -> bool {
        self.has_del
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // Release children last to first, as CPython's list_dealloc.
        let c = self.children.get_mut();
        while let Some(v) = c.pop() {
            drop(v);
        }
    }
}

/// An atomic payload.
pub struct Atom(pub i64);
// SAFETY: holds no Value.
unsafe impl Trace for Atom {
    const KIND: u32 = 2;
    const NAME: &'static str = "Atom";
    const CONTAINER: bool = false;
}

/// A tuple-like container (untracked by any collection when its items are atomic).
pub struct Tup(pub Vec<Value>);
// SAFETY: trace visits every item.
unsafe impl Trace for Tup {
    const KIND: u32 = 3;
    const NAME: &'static str = "tuple";
    const CONTAINER: bool = true;
    const UNTRACK: Untrack = Untrack::AnyCollection;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        for v in self.0.iter().rev() {
            visit(v);
        }
    }
}

/// A dict-like container (untracked by full collections when its values are atomic).
pub struct Dct(pub RefCell<Vec<Value>>);
// SAFETY: trace visits every value.
unsafe impl Trace for Dct {
    const KIND: u32 = 4;
    const NAME: &'static str = "dict";
    const CONTAINER: bool = true;
    const UNTRACK: Untrack = Untrack::FullCollection;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        for v in self.0.borrow().iter() {
            visit(v);
        }
    }
    fn clear(&self) {
        let old = std::mem::take(&mut *self.0.borrow_mut());
        drop(old);
    }
}

/// A weak reference: `target` is a raw word (no ownership), 0 when dead.
pub struct WeakRef {
    pub target: Cell<usize>,
    pub me: Cell<usize>,
    pub has_callback: bool,
    pub label: String,
}
// SAFETY: holds no strong reference.
unsafe impl Trace for WeakRef {
    const KIND: u32 = 5;
    const NAME: &'static str = "weakref";
    const CONTAINER: bool = true;
}

impl Drop for WeakRef {
    fn drop(&mut self) {
        let t = self.target.get();
        if t != 0 {
            let me = self.me.get();
            WEAK.with(|w| {
                if let Some(l) = w.borrow_mut().get_mut(&t) {
                    l.retain(|&x| x != me);
                }
            });
        }
    }
}

/// Extra code run by a node's finalizer.
pub type DelAction = Box<dyn Fn(&Value)>;

thread_local! {
    /// Finalizer calls, by node name.
    pub static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Objects resurrected by finalizers.
    pub static KEEP: RefCell<Vec<Value>> = const { RefCell::new(Vec::new()) };
    /// Weakref lists: target word -> weakref words.
    pub static WEAK: RefCell<HashMap<usize, Vec<usize>>> = RefCell::new(HashMap::new());
    /// gc callback calls.
    pub static CALLBACKS: RefCell<Vec<(String, usize, usize, usize)>> = const { RefCell::new(Vec::new()) };
    /// Extra action for finalizers, by node name.
    pub static ON_DEL: RefCell<HashMap<String, DelAction>> = RefCell::new(HashMap::new());
}

pub fn node(name: &str, has_del: bool) -> Value {
    Value::new(Node {
        children: RefCell::new(Vec::new()),
        name: name.to_string(),
        has_del,
    })
}

pub fn add(parent: &Value, child: &Value) {
    parent
        .downcast_ref::<Node>()
        .unwrap()
        .children
        .borrow_mut()
        .push(child.clone());
}

pub fn name(v: &Value) -> String {
    v.downcast_ref::<Node>()
        .map(|n| n.name.clone())
        .unwrap_or_default()
}

pub fn log() -> Vec<String> {
    LOG.with(|l| l.borrow().clone())
}

pub fn take_log() -> Vec<String> {
    LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

/// Create a weakref to `target`.
pub fn weakref(target: &Value, label: &str, has_callback: bool) -> Value {
    let wr = Value::new(WeakRef {
        target: Cell::new(target.raw()),
        me: Cell::new(0),
        has_callback,
        label: label.to_string(),
    });
    wr.downcast_ref::<WeakRef>().unwrap().me.set(wr.raw());
    WEAK.with(|w| {
        w.borrow_mut()
            .entry(target.raw())
            .or_default()
            .push(wr.raw())
    });
    target.header().unwrap().set_has_weakrefs(true);
    wr
}

/// Is the weakref's referent still alive?
pub fn wr_alive(wr: &Value) -> bool {
    wr.downcast_ref::<WeakRef>().unwrap().target.get() != 0
}

fn finalize_hook(v: &Value) {
    let n = name(v);
    LOG.with(|l| l.borrow_mut().push(format!("del {n}")));
    if n.starts_with("resurrect") {
        KEEP.with(|k| k.borrow_mut().push(v.clone()));
    }
    let action = ON_DEL.with(|m| m.borrow_mut().remove(&n));
    if let Some(f) = action {
        f(v);
        ON_DEL.with(|m| m.borrow_mut().insert(n, f));
    }
}

fn clear_weakrefs_hook(v: &Value) -> Vec<Value> {
    let list = WEAK
        .with(|w| w.borrow_mut().remove(&v.raw()))
        .unwrap_or_default();
    let mut out = Vec::new();
    for w in list {
        // SAFETY: registered weakrefs are alive (they unregister in Drop).
        let wr = unsafe { Value::from_borrowed_raw(w) };
        let p = wr.downcast_ref::<WeakRef>().unwrap();
        p.target.set(0);
        if p.has_callback {
            out.push(wr);
        }
    }
    out
}

fn call_callback_hook(wr: &Value) {
    let p = wr.downcast_ref::<WeakRef>().unwrap();
    LOG.with(|l| {
        l.borrow_mut().push(format!(
            "callback {} alive={}",
            p.label,
            p.target.get() != 0
        ))
    });
}

fn on_collect_hook(phase: &str, g: usize, c: usize, u: usize) {
    CALLBACKS.with(|cb| cb.borrow_mut().push((phase.to_string(), g, c, u)));
}

/// Install the recording hooks and start from a clean heap (disabled automatic gc).
pub fn setup() {
    pyvm_gc::set_hooks(Hooks {
        finalize: finalize_hook,
        clear_weakrefs: clear_weakrefs_hook,
        call_weakref_callback: call_callback_hook,
        is_weakref: |v| v.is::<WeakRef>(),
        on_collect: on_collect_hook,
    });
    pyvm_gc::disable();
}
