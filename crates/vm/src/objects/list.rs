//! `list` payload. Items are released last to first when the list dies, as CPython's
//! `list_dealloc` does (observable through `__del__` order).

use super::kind;
use pyvm_gc::{Trace, Value};
use std::cell::RefCell;

pub struct List {
    pub items: RefCell<Vec<Value>>,
}

impl List {
    pub fn new(items: Vec<Value>) -> List {
        List { items: RefCell::new(items) }
    }
    pub fn len(&self) -> usize {
        self.items.borrow().len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// A snapshot of the items (cloned references), safe to iterate while calling Python.
    pub fn snapshot(&self) -> Vec<Value> {
        self.items.borrow().clone()
    }
    pub fn get(&self, i: usize) -> Option<Value> {
        self.items.borrow().get(i).cloned()
    }
}

impl Drop for List {
    fn drop(&mut self) {
        let items = self.items.get_mut();
        while let Some(v) = items.pop() {
            drop(v);
        }
    }
}

// SAFETY: visits every item (reverse order, as CPython's list traverse); clear empties the list.
unsafe impl Trace for List {
    const KIND: u32 = kind::LIST;
    const NAME: &'static str = "list";
    const CONTAINER: bool = true;
    /// CPython's list free list (80).
    fn freelist(&self) -> pyvm_gc::FreeList {
        pyvm_gc::FreeList::Class(0)
    }
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        if let Ok(items) = self.items.try_borrow() {
            for v in items.iter().rev() {
                visit(v);
            }
        }
    }
    fn clear(&self) {
        let mut old = std::mem::take(&mut *self.items.borrow_mut());
        while let Some(v) = old.pop() {
            drop(v);
        }
    }
}
