//! Intrusive circular doubly linked lists of container objects (generations and the collector's temporary lists), as CPython's `gc_list_*` functions.
//!
//! A list is a boxed sentinel [`GcLinks`] (its address never changes, even when the
//! `GcList` value moves); members are the `GcLinks` prefixes of tracked containers.
//! Node-level functions take raw pointers because a node can be unlinked at any moment by
//! a deallocation that runs while the collector executes Python code.

use crate::header::{GcFlags, GcLinks};
use std::ptr;

/// A list with its own sentinel head.
pub(crate) struct GcList {
    head: Box<GcLinks>,
}

impl GcList {
    /// An empty list (`gc_list_init`).
    pub(crate) fn new() -> GcList {
        let head = Box::new(GcLinks::new());
        let p: *const GcLinks = &*head;
        head.next.set(p);
        head.prev.set(p);
        GcList { head }
    }

    /// The sentinel.
    #[inline]
    pub(crate) fn head(&self) -> *const GcLinks {
        &*self.head
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.head.next.get() == self.head()
    }

    /// The first member (`GC_NEXT(list)`), if any.
    #[inline]
    pub(crate) fn first(&self) -> Option<*const GcLinks> {
        let n = self.head.next.get();
        (n != self.head()).then_some(n)
    }

    /// Number of members (`gc_list_size`), O(n).
    pub(crate) fn len(&self) -> usize {
        let mut n = 0;
        let mut cur = self.head.next.get();
        while cur != self.head() {
            n += 1;
            // SAFETY: members of a list are live links (dead objects unlink themselves).
            cur = unsafe { (*cur).next.get() };
        }
        n
    }

    /// Has the list at least `n` members? (Walks at most `n` links.)
    #[cfg(debug_assertions)]
    pub(crate) fn len_at_least(&self, n: usize) -> bool {
        let mut k = 0;
        let mut cur = self.head.next.get();
        while cur != self.head() {
            k += 1;
            if k >= n {
                return true;
            }
            // SAFETY: as in `len`.
            cur = unsafe { (*cur).next.get() };
        }
        false
    }

    /// Snapshot of the members, front to back. Only valid until code that may free
    /// objects runs.
    pub(crate) fn members(&self) -> Vec<*const GcLinks> {
        let mut v = Vec::new();
        let mut cur = self.head.next.get();
        while cur != self.head() {
            v.push(cur);
            // SAFETY: as in `len`.
            cur = unsafe { (*cur).next.get() };
        }
        v
    }

    /// Call `f` on every member, front to back, without materialising a snapshot. Each
    /// member's successor is read before `f` sees it, so `f` may unlink the member it is
    /// given; it must not unlink or free any other member.
    #[inline]
    pub(crate) fn for_each(&self, mut f: impl FnMut(*const GcLinks)) {
        let head = self.head();
        let mut cur = self.head.next.get();
        while cur != head {
            // SAFETY: `cur` is a live member: only `f`'s own argument may have been
            // unlinked, and its successor was read before the call.
            let next = unsafe { (*cur).next.get() };
            f(cur);
            cur = next;
        }
    }

    /// Append every member of `self` to the tail of `to`, in order; `self` becomes empty
    /// (`gc_list_merge(from, to)`).
    pub(crate) fn merge_into(&self, to: &GcList) {
        if self.is_empty() || ptr::eq(self.head(), to.head()) {
            return;
        }
        let first = self.head.next.get();
        let last = self.head.prev.get();
        let tail = to.head.prev.get();
        // SAFETY: `first`, `last` and `tail` are live members or sentinels of the two lists.
        unsafe {
            (*tail).next.set(first);
            (*first).prev.set(tail);
            (*last).next.set(to.head());
        }
        to.head.prev.set(last);
        self.head.next.set(self.head());
        self.head.prev.set(self.head());
    }

    /// Set or clear `flag` on every member.
    pub(crate) fn set_flag_all(&self, flag: GcFlags, on: bool) {
        let mut cur = self.head.next.get();
        while cur != self.head() {
            // SAFETY: as in `len`.
            unsafe {
                (*cur).set(flag, on);
                cur = (*cur).next.get();
            }
        }
    }

    /// Debug builds: check that every `next`/`prev` pair agrees and that every member
    /// carries exactly the expected COLLECTING / UNREACHABLE state (CPython
    /// `validate_list`). `None` means "don't care". Under gc-stress, where a collection
    /// runs after nearly every allocation, walking the old generation each time would make
    /// every program quadratic: only the generation being collected is checked there.
    #[cfg(debug_assertions)]
    pub(crate) fn validate(&self, collecting: Option<bool>, unreachable: Option<bool>) {
        if cfg!(feature = "gc-stress") && self.len_at_least(10_000) {
            return;
        }
        let head = self.head();
        let mut prev = head;
        // SAFETY: as in `len`.
        unsafe {
            let mut cur = (*head).next.get();
            while cur != head {
                assert!(!cur.is_null(), "gc list: null link");
                assert!(
                    ptr::eq((*cur).prev.get(), prev),
                    "gc list: prev/next mismatch"
                );
                assert!((*cur).has(GcFlags::TRACKED), "gc list: untracked member");
                if let Some(c) = collecting {
                    assert_eq!(
                        (*cur).has(GcFlags::COLLECTING),
                        c,
                        "gc list: COLLECTING flag"
                    );
                }
                if let Some(u) = unreachable {
                    assert_eq!(
                        (*cur).has(GcFlags::UNREACHABLE),
                        u,
                        "gc list: UNREACHABLE flag"
                    );
                }
                prev = cur;
                cur = (*cur).next.get();
            }
            assert!(
                ptr::eq((*head).prev.get(), prev),
                "gc list: head prev mismatch"
            );
        }
    }

    /// Release builds: no validation.
    #[cfg(not(debug_assertions))]
    #[inline(always)]
    pub(crate) fn validate(&self, _collecting: Option<bool>, _unreachable: Option<bool>) {}
}

impl Drop for GcList {
    /// A temporary list is normally empty when it dies. If a hook panicked in the middle
    /// of a collection, hand the remaining members to the oldest generation instead of
    /// leaving them linked to a freed sentinel.
    fn drop(&mut self) {
        if !self.is_empty() {
            self.set_flag_all(GcFlags::COLLECTING | GcFlags::UNREACHABLE, false);
            self.merge_into(&crate::heap::heap().gens[crate::heap::NUM_GENERATIONS - 1]);
        }
    }
}

/// Append `node` (currently unlinked) at the tail of the list `head` (`gc_list_append`).
///
/// # Safety
/// `node` must be the unlinked links of a live container; `head` a live sentinel.
#[inline]
pub(crate) unsafe fn append(node: *const GcLinks, head: *const GcLinks) {
    // SAFETY: per the contract all three nodes are live.
    unsafe {
        let last = (*head).prev.get();
        (*last).next.set(node);
        (*node).prev.set(last);
        (*node).next.set(head);
        (*head).prev.set(node);
    }
}

/// Unlink `node` from whatever list it is on (`gc_list_remove`); its links become null.
///
/// # Safety
/// `node` must be the linked links of a live container.
#[inline]
pub(crate) unsafe fn remove(node: *const GcLinks) {
    // SAFETY: a linked node's neighbours are live members or sentinels.
    unsafe {
        let prev = (*node).prev.get();
        let next = (*node).next.get();
        (*prev).next.set(next);
        (*next).prev.set(prev);
        (*node).next.set(ptr::null());
        (*node).prev.set(ptr::null());
    }
}

/// Move a linked `node` to the tail of the list `head` (`gc_list_move`).
///
/// # Safety
/// As [`remove`] and [`append`].
#[inline]
pub(crate) unsafe fn move_to(node: *const GcLinks, head: *const GcLinks) {
    // SAFETY: forwarded contracts.
    unsafe {
        remove(node);
        append(node, head);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_remove_merge() {
        let nodes: Vec<Box<GcLinks>> = (0..4).map(|_| Box::new(GcLinks::new())).collect();
        let a = GcList::new();
        let b = GcList::new();
        for n in &nodes {
            n.set(GcFlags::TRACKED, true);
        }
        // SAFETY: the nodes are boxed (stable) and unlinked.
        unsafe {
            append(&*nodes[0], a.head());
            append(&*nodes[1], a.head());
            append(&*nodes[2], b.head());
            append(&*nodes[3], b.head());
        }
        a.validate(None, None);
        assert_eq!(a.len(), 2);
        a.merge_into(&b);
        assert!(a.is_empty());
        let order: Vec<*const GcLinks> = nodes.iter().map(|n| &**n as *const GcLinks).collect();
        assert_eq!(b.members(), vec![order[2], order[3], order[0], order[1]]);
        // SAFETY: node 3 is linked in `b`.
        unsafe { move_to(order[3], a.head()) };
        assert_eq!(a.members(), vec![order[3]]);
        assert_eq!(b.members(), vec![order[2], order[0], order[1]]);
        b.validate(None, None);
        // SAFETY: linked nodes of `b`.
        unsafe { remove(order[0]) };
        assert_eq!(b.len(), 2);
        b.validate(None, None);
        // Unlink everything before the boxes die.
        for &n in &[order[2], order[1], order[3]] {
            // SAFETY: still linked.
            unsafe { remove(n) };
        }
    }
}
