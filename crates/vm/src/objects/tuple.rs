//! `tuple` payload. Most tuples are small (an `enumerate` pair, a function's `*args`, a
//! `dict.items()` entry), so up to three items are held in the object itself, as
//! CPython holds every tuple's items inline; longer ones keep a boxed slice. Either
//! way the items read as one `&[Value]` (`Deref`).

use super::kind;
use pyvm_gc::{Trace, Value};
use std::ops::Deref;

/// A tuple's items: in place up to three, else boxed.
#[derive(Clone)]
pub enum TupleItems {
    Empty,
    One([Value; 1]),
    Two([Value; 2]),
    Three([Value; 3]),
    Boxed(Box<[Value]>),
}

impl TupleItems {
    pub fn from_vec(items: Vec<Value>) -> TupleItems {
        if items.len() > 3 {
            return TupleItems::Boxed(items.into_boxed_slice());
        }
        let mut it = items.into_iter();
        match (it.next(), it.next(), it.next()) {
            (None, _, _) => TupleItems::Empty,
            (Some(a), None, _) => TupleItems::One([a]),
            (Some(a), Some(b), None) => TupleItems::Two([a, b]),
            (Some(a), Some(b), Some(c)) => TupleItems::Three([a, b, c]),
        }
    }
}

impl TupleItems {
    /// The top `n` values of `stack`, in stack order, taken off it (BUILD_TUPLE): a
    /// short tuple takes them without an intermediate vector.
    pub fn from_stack(stack: &mut Vec<Value>, n: usize) -> TupleItems {
        let mut pop = || stack.pop().expect("stack underflow");
        match n {
            0 => TupleItems::Empty,
            1 => TupleItems::One([pop()]),
            2 => {
                let b = pop();
                TupleItems::Two([pop(), b])
            }
            3 => {
                let c = pop();
                let b = pop();
                TupleItems::Three([pop(), b, c])
            }
            _ => TupleItems::Boxed(stack.split_off(stack.len() - n).into_boxed_slice()),
        }
    }
}

impl Deref for TupleItems {
    type Target = [Value];
    #[inline]
    fn deref(&self) -> &[Value] {
        match self {
            TupleItems::Empty => &[],
            TupleItems::One(a) => a,
            TupleItems::Two(a) => a,
            TupleItems::Three(a) => a,
            TupleItems::Boxed(b) => b,
        }
    }
}

impl From<[Value; 1]> for TupleItems {
    fn from(a: [Value; 1]) -> TupleItems {
        TupleItems::One(a)
    }
}

impl From<[Value; 2]> for TupleItems {
    fn from(a: [Value; 2]) -> TupleItems {
        TupleItems::Two(a)
    }
}

impl From<[Value; 3]> for TupleItems {
    fn from(a: [Value; 3]) -> TupleItems {
        TupleItems::Three(a)
    }
}

impl FromIterator<Value> for TupleItems {
    fn from_iter<I: IntoIterator<Item = Value>>(iter: I) -> TupleItems {
        let mut it = iter.into_iter();
        let Some(a) = it.next() else { return TupleItems::Empty };
        let Some(b) = it.next() else { return TupleItems::One([a]) };
        let Some(c) = it.next() else { return TupleItems::Two([a, b]) };
        let Some(d) = it.next() else { return TupleItems::Three([a, b, c]) };
        let mut v = Vec::with_capacity(4 + it.size_hint().0);
        v.extend([a, b, c, d]);
        v.extend(it);
        TupleItems::Boxed(v.into_boxed_slice())
    }
}

impl Default for TupleItems {
    fn default() -> TupleItems {
        TupleItems::Empty
    }
}

/// Clones of the values (a tuple of a few arguments: no vector in between).
impl From<&[Value]> for TupleItems {
    fn from(items: &[Value]) -> TupleItems {
        items.iter().cloned().collect()
    }
}

impl From<Vec<Value>> for TupleItems {
    fn from(items: Vec<Value>) -> TupleItems {
        TupleItems::from_vec(items)
    }
}

/// A tuple. Immutable, but tracked (it can be part of a cycle through its items).
pub struct Tuple(pub TupleItems);
// SAFETY: `trace` visits every item, in CPython's order (last to first).
unsafe impl Trace for Tuple {
    const KIND: u32 = kind::TUPLE;
    const NAME: &'static str = "tuple";
    const CONTAINER: bool = true;
    /// `()` is a singleton in CPython (never allocated); tuples of 1..=20 items come
    /// from per-length free lists (2000 each).
    fn freelist(&self) -> pyvm_gc::FreeList {
        match self.0.len() {
            0 => pyvm_gc::FreeList::Never,
            n @ 1..=20 => pyvm_gc::FreeList::Class(1 + n as u8),
            _ => pyvm_gc::FreeList::None,
        }
    }
    /// Tuples of atoms are untracked by the first collection that sees them.
    const UNTRACK: pyvm_gc::Untrack = pyvm_gc::Untrack::AnyCollection;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        for v in self.0.iter().rev() {
            visit(v);
        }
    }
}


impl Drop for Tuple {
    fn drop(&mut self) {
        // Tuples release their items last to first (as CPython's tupledealloc).
        match std::mem::take(&mut self.0) {
            TupleItems::Empty | TupleItems::One(_) => {}
            TupleItems::Two([a, b]) => {
                drop(b);
                drop(a);
            }
            TupleItems::Three([a, b, c]) => {
                drop(c);
                drop(b);
                drop(a);
            }
            TupleItems::Boxed(items) => {
                let mut v = items.into_vec();
                while let Some(x) = v.pop() {
                    drop(x);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_tuples_fit_in_place_and_read_as_slices() {
        // Four words: a tuple object stays a 64-byte pool block (links, header, items).
        assert_eq!(std::mem::size_of::<TupleItems>(), 32);
        for n in 0..6 {
            let items: Vec<Value> = (0..n).map(|i| Value::int(i).unwrap()).collect();
            let t = TupleItems::from_vec(items.clone());
            assert_eq!(t.len(), n as usize);
            assert!(t.iter().zip(&items).all(|(a, b)| a.ptr_eq(b)));
            assert_eq!(matches!(t, TupleItems::Boxed(_)), n > 3);
            let c: TupleItems = items.iter().cloned().collect();
            assert!(c.iter().zip(&items).all(|(a, b)| a.ptr_eq(b)) && c.len() == items.len());
            let mut stack = items.clone();
            stack.insert(0, Value::int(-1).unwrap());
            let s = TupleItems::from_stack(&mut stack, n as usize);
            assert!(s.iter().zip(&items).all(|(a, b)| a.ptr_eq(b)) && s.len() == items.len());
            assert_eq!(stack.len(), 1);
        }
    }
}
