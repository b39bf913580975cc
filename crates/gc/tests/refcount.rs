//! Reference counting, the refcount-zero path and the trashcan.

mod common;
use common::*;
use pyvm_gc::{Value, IMMORTAL_REFCNT};
use std::cell::RefCell;

#[test]
fn sizes() {
    assert_eq!(std::mem::size_of::<Value>(), 8);
    assert_eq!(std::mem::size_of::<Option<Value>>(), 8);
    assert_eq!(std::mem::size_of::<pyvm_gc::Header>(), 16);
}

#[test]
fn clone_and_drop_count() {
    setup();
    let live = pyvm_gc::live_objects();
    let a = Value::new(Atom(7));
    assert_eq!(a.refcnt(), 1);
    assert!(a.is::<Atom>() && !a.is::<Node>());
    assert_eq!(a.kind(), Some(2));
    assert_eq!(a.downcast_ref::<Atom>().unwrap().0, 7);
    assert!(a.downcast_ref::<Node>().is_none());
    let b = a.clone();
    assert_eq!(a.refcnt(), 2);
    assert!(a.ptr_eq(&b) && a == b);
    drop(b);
    assert_eq!(a.refcnt(), 1);
    assert_eq!(pyvm_gc::live_objects(), live + 1);
    assert!(format!("{a:?}").starts_with("<Atom 0x"));
    drop(a);
    assert_eq!(pyvm_gc::live_objects(), live);
    let k = pyvm_gc::kind_count(2);
    assert_eq!((k.allocated, k.freed), (1, 1));
}

#[test]
fn raw_round_trips() {
    setup();
    let a = Value::new(Atom(1));
    let w = a.clone().into_raw();
    assert_eq!(a.refcnt(), 2);
    // SAFETY: `w` owns the reference made by the clone above.
    let b = unsafe { Value::from_raw(w) };
    assert_eq!(a.refcnt(), 2);
    // SAFETY: `w` is the address of a live object (kept by `a`).
    let c = unsafe { Value::from_borrowed_raw(w) };
    assert_eq!(a.refcnt(), 3);
    drop((b, c));
    assert_eq!(a.refcnt(), 1);
    // SAFETY: `a` owns a reference, which `decref` consumes; `a` is forgotten.
    unsafe { pyvm_gc::Header::decref(a.into_raw() as *const pyvm_gc::Header) };
}

#[test]
fn containers_are_tracked_and_counted() {
    setup();
    pyvm_gc::collect(2);
    assert_eq!(pyvm_gc::get_count(), (0, 0, 0));
    let n = node("n", false);
    let a = Value::new(Atom(1));
    assert!(pyvm_gc::is_tracked(&n));
    assert!(!pyvm_gc::is_tracked(&a));
    assert!(!pyvm_gc::is_tracked(&Value::int(3).unwrap()));
    assert_eq!(pyvm_gc::get_count().0, 1);
    pyvm_gc::untrack(&n);
    assert!(!pyvm_gc::is_tracked(&n));
    assert_eq!(pyvm_gc::get_count().0, 1, "untracking does not uncount");
    pyvm_gc::track(&n);
    assert!(pyvm_gc::is_tracked(&n));
    drop(n);
    assert_eq!(pyvm_gc::get_count().0, 0);
    drop(a);
    assert_eq!(pyvm_gc::get_count().0, 0, "count[0] is floored at 0");
}

#[test]
fn immortals_are_never_freed() {
    setup();
    let none = Value::new_immortal(Atom(0));
    assert_eq!(none.refcnt(), IMMORTAL_REFCNT);
    assert!(none.header().unwrap().is_immortal());
    let copies: Vec<Value> = (0..10).map(|_| none.clone()).collect();
    drop(copies);
    assert_eq!(none.refcnt(), IMMORTAL_REFCNT);
    let c = Value::new_immortal(Node {
        children: RefCell::new(vec![]),
        name: "imm".into(),
        has_del: true,
    });
    assert!(!pyvm_gc::is_tracked(&c));
    drop(c);
    assert!(log().is_empty());
}

#[test]
fn finalizer_on_refcount_zero_runs_once_before_weakref_callbacks() {
    setup();
    let a = node("a", true);
    let wr = weakref(&a, "wa", true);
    drop(a);
    assert_eq!(take_log(), vec!["del a", "callback wa alive=false"]);
    assert!(!wr_alive(&wr));
}

#[test]
fn resurrection_on_refcount_path() {
    setup();
    let a = node("resurrect-a", true);
    let raw = a.raw();
    drop(a);
    assert_eq!(take_log(), vec!["del resurrect-a"]);
    let kept = KEEP.with(|k| k.borrow_mut().pop().unwrap());
    assert_eq!(kept.raw(), raw);
    assert_eq!(kept.refcnt(), 1);
    assert!(pyvm_gc::is_finalized(&kept));
    assert!(
        pyvm_gc::is_tracked(&kept),
        "a resurrected object stays tracked"
    );
    drop(kept);
    assert!(log().is_empty(), "the finalizer runs at most once");
}

#[test]
fn children_released_in_drop_order() {
    setup();
    let parent = node("p", false);
    for i in 0..3 {
        add(&parent, &node(&format!("c{i}"), true));
    }
    drop(parent);
    assert_eq!(log(), vec!["del c2", "del c1", "del c0"]);
}

#[test]
fn trashcan_million_long_chain() {
    setup();
    let live = pyvm_gc::live_objects();
    let mut head = node("end", false);
    for _ in 0..1_000_000 {
        let n = node("link", false);
        add(&n, &head);
        head = n;
    }
    assert_eq!(pyvm_gc::live_objects(), live + 1_000_001);
    drop(head);
    assert_eq!(pyvm_gc::live_objects(), live);
    assert_eq!(pyvm_gc::get_count().0, 0);
}

#[test]
fn trashcan_deep_nesting_with_finalizers() {
    setup();
    let live = pyvm_gc::live_objects();
    let mut inner = node("innermost", true);
    for i in 0..100_000 {
        let n = node(&format!("n{i}"), i % 1000 == 0);
        add(&n, &inner);
        inner = n;
    }
    drop(inner);
    assert_eq!(pyvm_gc::live_objects(), live);
    let l = log();
    assert_eq!(l.len(), 101);
    assert_eq!(l.first().map(String::as_str), Some("del n99000"));
    assert!(l.contains(&"del innermost".to_string()));
}

#[test]
fn trashcan_wide_and_deep_tree() {
    setup();
    let live = pyvm_gc::live_objects();
    // A binary tree of depth 16 plus a long spine below every leaf of the left half.
    fn build(d: u32) -> Value {
        let n = node("t", false);
        if d > 0 {
            add(&n, &build(d - 1));
            add(&n, &build(d - 1));
        }
        n
    }
    let root = build(16);
    let mut spine = root.clone();
    for _ in 0..200_000 {
        let n = node("s", false);
        add(&spine, &n);
        spine = n;
    }
    drop(spine);
    drop(root);
    assert_eq!(pyvm_gc::live_objects(), live);
}

/// A container whose payload needs more alignment than the header.
#[repr(align(64))]
struct Aligned {
    child: RefCell<Option<Value>>,
    tag: u8,
}

// SAFETY: trace visits the only reference; KIND unique among the test types.
unsafe impl pyvm_gc::Trace for Aligned {
    const KIND: u32 = 40;
    const NAME: &'static str = "Aligned";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        if let Some(c) = &*self.child.borrow() {
            visit(c);
        }
    }
    fn clear(&self) {
        let c = self.child.borrow_mut().take();
        drop(c);
    }
}

#[test]
fn over_aligned_containers() {
    setup();
    pyvm_gc::collect(2);
    let live = pyvm_gc::live_objects();
    let a = Value::new(Aligned {
        child: RefCell::new(None),
        tag: 7,
    });
    let p = a.downcast_ref::<Aligned>().unwrap();
    assert_eq!(p as *const Aligned as usize % 64, 0);
    assert_eq!(p.tag, 7);
    *p.child.borrow_mut() = Some(a.clone());
    assert!(pyvm_gc::is_tracked(&a));
    drop(a);
    assert_eq!(pyvm_gc::collect(0), 1);
    assert_eq!(pyvm_gc::live_objects(), live);
}

#[test]
fn frozen_objects_can_die_by_refcount() {
    setup();
    let a = node("a", true);
    pyvm_gc::freeze();
    assert!(a.header().unwrap().is_frozen());
    let n = pyvm_gc::get_freeze_count();
    drop(a);
    assert_eq!(take_log(), vec!["del a"]);
    assert_eq!(pyvm_gc::get_freeze_count(), n - 1);
    pyvm_gc::unfreeze();
}
