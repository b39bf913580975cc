//! PEP 442 in the collector: finalizer order, once-only, resurrection, weakrefs, re-entrancy.

mod common;
use common::*;
use pyvm_gc::{collect, get_objects, Value};

fn ring(names: &[&str], has_del: bool) -> Vec<Value> {
    let nodes: Vec<Value> = names.iter().map(|n| node(n, has_del)).collect();
    for i in 0..nodes.len() {
        add(&nodes[i], &nodes[(i + 1) % nodes.len()]);
    }
    nodes
}

#[test]
fn finalizer_order_is_creation_order() {
    setup();
    collect(2);
    let r = ring(&["a", "b", "c"], true);
    drop(r);
    assert_eq!(collect(2), 3);
    assert_eq!(take_log(), vec!["del a", "del b", "del c"]);

    // Links in the other direction, dropped in another order: still creation order.
    let (a, b, c) = (node("a", true), node("b", true), node("c", true));
    add(&c, &b);
    add(&b, &a);
    add(&a, &c);
    drop(b);
    drop(c);
    drop(a);
    assert_eq!(collect(0), 3);
    assert_eq!(take_log(), vec!["del a", "del b", "del c"]);
}

#[test]
fn finalizer_order_after_survival_is_traversal_order() {
    setup();
    collect(2);
    // z, y, x created before a holder that traces x, y, z: the walk of the young
    // generation first moves z, y, x to the unreachable list, then the holder brings them
    // back in its traversal order, x, y, z — the finalizer order of a later collection.
    let z = node("z", true);
    let y = node("y", true);
    let x = node("x", true);
    let holder = node("holder", false);
    for n in [&x, &y, &z] {
        add(&holder, n);
        add(n, n);
    }
    drop((x, y, z));
    assert_eq!(collect(0), 0);
    holder
        .downcast_ref::<Node>()
        .unwrap()
        .children
        .borrow_mut()
        .clear();
    assert_eq!(collect(1), 3);
    assert_eq!(take_log(), vec!["del x", "del y", "del z"]);
}

#[test]
fn finalizers_all_run_before_any_clear_and_only_once() {
    setup();
    collect(2);
    // Every finalizer sees its neighbour intact.
    fn check(v: &Value) {
        let kids = v.downcast_ref::<Node>().unwrap().children.borrow().len();
        LOG.with(|l| l.borrow_mut().push(format!("kids {kids}")));
    }
    for n in ["a", "b"] {
        ON_DEL.with(|m| m.borrow_mut().insert(n.to_string(), Box::new(check)));
    }
    let r = ring(&["a", "b"], true);
    drop(r);
    assert_eq!(collect(2), 2);
    assert_eq!(take_log(), vec!["del a", "kids 1", "del b", "kids 1"]);
    ON_DEL.with(|m| m.borrow_mut().clear());
}

#[test]
fn resurrection_keeps_everything_reachable_and_finalizes_once() {
    setup();
    collect(2);
    let r = node("resurrect-r", true);
    let cargo = node("cargo", true);
    add(&r, &r);
    add(&r, &cargo);
    add(&cargo, &Value::new(Atom(42)));
    drop(cargo);
    drop(r);
    assert_eq!(
        collect(2),
        0,
        "nothing freed: the whole set was resurrected"
    );
    assert_eq!(take_log(), vec!["del resurrect-r", "del cargo"]);
    let kept = KEEP.with(|k| k.borrow_mut().pop().unwrap());
    let kids = kept
        .downcast_ref::<Node>()
        .unwrap()
        .children
        .borrow()
        .clone();
    assert_eq!(name(&kids[1]), "cargo");
    assert_eq!(
        kids[1]
            .downcast_ref::<Node>()
            .unwrap()
            .children
            .borrow()
            .len(),
        1,
        "cargo intact"
    );
    assert!(
        get_objects(Some(2)).iter().any(|v| v.ptr_eq(&kept)),
        "resurrected objects go to old"
    );
    assert!(pyvm_gc::is_finalized(&kept));
    drop(kids);
    drop(kept);
    assert_eq!(collect(2), 2);
    assert!(log().is_empty(), "finalizers are not called again");
}

#[test]
fn resurrection_does_not_block_cleanup() {
    setup();
    collect(2);
    let stats = pyvm_gc::get_stats()[2].collected;
    let mut all = Vec::new();
    for i in 0..50 {
        let a = node(&format!("resurrect-{i}"), true);
        add(&a, &a);
        let b = node(&format!("plain-{i}"), false);
        add(&b, &b);
        all.push(a);
        all.push(b);
    }
    drop(all);
    assert_eq!(collect(2), 50, "the 50 plain ones are collected");
    assert_eq!(pyvm_gc::get_stats()[2].collected - stats, 50);
    KEEP.with(|k| k.borrow_mut().clear());
    assert_eq!(collect(2), 50, "then the resurrected ones, silently");
    assert_eq!(take_log().len(), 50);
}

#[test]
fn finalizer_that_breaks_the_cycle_frees_by_refcount_and_counts_nothing() {
    setup();
    collect(2);
    // Breaker: a's __del__ clears a's children; b is freed by refcount during
    // finalization, a is freed when the collector lets go: neither is counted.
    fn breaker(v: &Value) {
        pyvm_gc::Trace::clear(v.downcast_ref::<Node>().unwrap());
    }
    ON_DEL.with(|m| m.borrow_mut().insert("a".into(), Box::new(breaker)));
    let live = pyvm_gc::live_objects();
    let a = node("a", true);
    let b = node("b", false);
    add(&a, &b);
    add(&b, &a);
    drop((a, b));
    assert_eq!(pyvm_gc::live_objects(), live + 2);
    assert_eq!(collect(2), 0);
    assert_eq!(pyvm_gc::live_objects(), live);
    ON_DEL.with(|m| m.borrow_mut().clear());
}

#[test]
fn finalizer_may_free_other_garbage_allocate_and_recurse_into_collect() {
    setup();
    collect(2);
    fn busy(v: &Value) {
        // Free the next node by refcount (it is garbage too), allocate, collect re-entrantly.
        let next = v
            .downcast_ref::<Node>()
            .unwrap()
            .children
            .borrow_mut()
            .pop();
        drop(next);
        let fresh = node("fresh", false);
        add(&fresh, &fresh);
        drop(fresh);
        let n = collect(2);
        LOG.with(|l| l.borrow_mut().push(format!("nested collect {n}")));
    }
    ON_DEL.with(|m| m.borrow_mut().insert("a".into(), Box::new(busy)));
    let r = ring(&["a", "b", "c"], true);
    drop(r);
    let n = collect(2);
    // a's finalizer unlinks b: b and c die by refcount during finalization (each
    // finalized on the refcount path first); a then dies when the collector lets go.
    assert_eq!(
        take_log(),
        vec!["del a", "del b", "del c", "nested collect 0"]
    );
    assert_eq!(n, 0);
    assert_eq!(collect(2), 1, "the cycle allocated inside the finalizer");
    ON_DEL.with(|m| m.borrow_mut().clear());
}

#[test]
fn weakref_callbacks_run_before_finalizers_and_see_dead_referents() {
    setup();
    collect(2);
    let a = node("a", true);
    add(&a, &a);
    let wr = weakref(&a, "outside", true);
    let wr_nocb = weakref(&a, "nocb", false);
    drop(a);
    assert_eq!(collect(2), 1);
    assert_eq!(take_log(), vec!["callback outside alive=false", "del a"]);
    assert!(!wr_alive(&wr) && !wr_alive(&wr_nocb));
}

#[test]
fn weakref_stays_dead_even_if_the_finalizer_resurrects() {
    setup();
    collect(2);
    let a = node("resurrect-a", true);
    add(&a, &a);
    let wr = weakref(&a, "w", false);
    drop(a);
    assert_eq!(collect(2), 0);
    assert!(!wr_alive(&wr));
    KEEP.with(|k| k.borrow_mut().clear());
    assert_eq!(collect(2), 1);
}

#[test]
fn callbacks_of_garbage_weakrefs_never_run() {
    setup();
    collect(2);
    let a = node("a", false);
    let wr = weakref(&a, "trash", true);
    add(&a, &a);
    add(&a, &wr); // the weakref is part of the garbage
    drop(wr);
    drop(a);
    assert_eq!(collect(2), 2);
    assert!(log().is_empty(), "{:?}", log());
}

#[test]
fn freed_callback_weakrefs_are_counted() {
    setup();
    collect(2);
    let a = node("a", false);
    add(&a, &a);
    let wr = weakref(&a, "solo", true);
    // Keep the weakref alive only through a reference the callback drops.
    KEEP.with(|k| k.borrow_mut().push(wr));
    fn drop_keep(_: &Value) {
        KEEP.with(|k| k.borrow_mut().clear());
    }
    fn clear_all(v: &Value) -> Vec<Value> {
        let list = WEAK
            .with(|w| w.borrow_mut().remove(&v.raw()))
            .unwrap_or_default();
        list.into_iter()
            .map(|w| {
                // SAFETY: registered weakrefs are alive.
                let wr = unsafe { Value::from_borrowed_raw(w) };
                wr.downcast_ref::<WeakRef>().unwrap().target.set(0);
                wr
            })
            .collect()
    }
    pyvm_gc::set_hooks(pyvm_gc::Hooks {
        clear_weakrefs: clear_all,
        call_weakref_callback: drop_keep,
        ..Default::default()
    });
    drop(a);
    assert_eq!(
        collect(2),
        2,
        "the cycle plus the weakref freed after its callback"
    );
}

#[test]
fn finalizer_is_called_from_gc_only_once_across_collections() {
    setup();
    collect(2);
    let a = node("resurrect-once", true);
    add(&a, &a);
    drop(a);
    collect(2);
    assert_eq!(take_log(), vec!["del resurrect-once"]);
    // Resurrected again by nobody: the next collection frees it without calling __del__.
    KEEP.with(|k| k.borrow_mut().clear());
    assert_eq!(collect(2), 1);
    assert!(log().is_empty());
}

#[test]
fn garbage_weakref_to_an_object_dying_during_clear_stays_silent() {
    setup();
    collect(2);
    // bpo-38006: `target` is an untracked container owned only by the garbage node `g`;
    // the weakref `w` (with a callback) to it is garbage as well. Clearing `g` frees
    // `target` by refcount while `w` still exists: its callback must not run.
    let target = node("target", false);
    pyvm_gc::untrack(&target);
    let w = weakref(&target, "w", true);
    let g = node("g", false);
    add(&g, &g);
    add(&g, &target);
    add(&g, &w);
    drop((target, w, g));
    assert_eq!(
        collect(2),
        2,
        "g and w (target is untracked: freed, not counted)"
    );
    assert!(log().is_empty(), "{:?}", log());
}

#[test]
fn garbage_weakrefs_are_cleared_through_the_extra_hook() {
    setup();
    collect(2);
    fn clear_weakref(v: &Value) {
        let p = v.downcast_ref::<WeakRef>().unwrap();
        let t = p.target.replace(0);
        WEAK.with(|w| {
            if let Some(l) = w.borrow_mut().get_mut(&t) {
                l.retain(|&x| x != v.raw());
            }
        });
        LOG.with(|l| l.borrow_mut().push(format!("cleared {}", p.label)));
    }
    pyvm_gc::set_extra_hooks(pyvm_gc::ExtraHooks {
        clear_weakref,
        ..Default::default()
    });
    let target = node("target", false); // reachable: stays alive
    let w = weakref(&target, "w", true);
    let g = node("g", false);
    add(&g, &g);
    add(&g, &w);
    drop((w, g));
    assert_eq!(collect(2), 2);
    assert_eq!(take_log(), vec!["cleared w"]);
    drop(target);
    assert!(
        log().is_empty(),
        "no callback: the weakref was cleared and is gone"
    );
}
