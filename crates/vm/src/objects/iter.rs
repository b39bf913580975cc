//! Built-in iterator objects (list/tuple/str/range/dict/set iterators, enumerate, zip,
//! map, filter, reversed, callable-iterator) and dict views, as one payload kind whose
//! state says which iterator it is. `ops::iter` advances them.

use super::kind;
use pyvm_gc::{Trace, Value};
use std::cell::RefCell;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DictPart {
    Keys,
    Values,
    Items,
}

pub enum IterState {
    /// list or tuple (by index, re-reading the length each step).
    Seq { seq: Value, idx: usize },
    Str { s: Value, byte: usize },
    /// The next item, the step, and how many items are left (counting, not comparing
    /// with the stop, so no step can overflow past it).
    Range { cur: i64, step: i64, left: u64 },
    Dict { dict: Value, pos: usize, part: DictPart, len: usize },
    Set { set: Value, pos: usize, len: usize },
    Enumerate { it: Value, n: i64 },
    Zip { its: std::rc::Rc<[Value]>, strict: bool },
    Map { f: Value, its: std::rc::Rc<[Value]> },
    Filter { f: Value, it: Value },
    Reversed { seq: Value, idx: isize },
    CallIter { f: Value, sentinel: Value },
    /// `iter(obj)` on an object with `__getitem__` only.
    GetItem { obj: Value, idx: i64 },
    Exhausted,
}

pub struct Iter {
    pub state: RefCell<IterState>,
    pub type_name: &'static str,
}

impl Iter {
    pub fn new(state: IterState, type_name: &'static str) -> Iter {
        Iter { state: RefCell::new(state), type_name }
    }
}

// SAFETY: visits every reference of the state.
unsafe impl Trace for Iter {
    const KIND: u32 = kind::ITER;
    const NAME: &'static str = "iterator";
    const CONTAINER: bool = true;
    /// A range iterator is not a GC object in CPython: its allocation and free never
    /// move `gc.get_count()` (it is also untracked at birth).
    fn freelist(&self) -> pyvm_gc::FreeList {
        match self.state.try_borrow().as_deref() {
            Ok(IterState::Range { .. }) => pyvm_gc::FreeList::Never,
            _ => pyvm_gc::FreeList::None,
        }
    }
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        if let Ok(s) = self.state.try_borrow() {
            match &*s {
                IterState::Seq { seq: v, .. }
                | IterState::Str { s: v, .. }
                | IterState::Dict { dict: v, .. }
                | IterState::Set { set: v, .. }
                | IterState::Enumerate { it: v, .. }
                | IterState::Reversed { seq: v, .. }
                | IterState::GetItem { obj: v, .. } => visit(v),
                IterState::Zip { its, .. } => its.iter().for_each(|v| visit(v)),
                IterState::Map { f, its } => {
                    visit(f);
                    its.iter().for_each(|v| visit(v));
                }
                IterState::Filter { f, it } => {
                    visit(f);
                    visit(it);
                }
                IterState::CallIter { f, sentinel } => {
                    visit(f);
                    visit(sentinel);
                }
                IterState::Range { .. } | IterState::Exhausted => {}
            }
        }
    }
    fn clear(&self) {
        let old = std::mem::replace(&mut *self.state.borrow_mut(), IterState::Exhausted);
        drop(old);
    }
}

/// `dict.keys()`, `dict.values()`, `dict.items()`.
pub struct DictView {
    pub dict: Value,
    pub part: DictPart,
}

// SAFETY: visits the dict.
unsafe impl Trace for DictView {
    const KIND: u32 = kind::DICTVIEW;
    const NAME: &'static str = "dict_view";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.dict);
    }
}
