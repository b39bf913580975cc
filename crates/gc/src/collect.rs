//! The cycle collector (CPython 3.11 `Modules/gcmodule.c`): entry points, then `collect_main` — read it to understand how a collection works — then one small function per phase.

use crate::finalize::{finalize_garbage, handle_resurrected_objects};
use crate::header::{header_of, GcFlags, GcLinks, Header};
use crate::heap::{
    heap, Heap, DEBUG_COLLECTABLE, DEBUG_SAVEALL, DEBUG_STATS, NUM_GENERATIONS, PENDING,
};
use crate::list::{self, GcList};
use crate::stats;
use crate::trace::Untrack;
use crate::value::Value;
use crate::weakref::handle_weakrefs;
use std::mem::ManuallyDrop;
use std::time::Instant;

/// Sets `collecting` for the duration of a collection, and clears it even if a hook
/// panics.
struct CollectingGuard<'a>(&'a Heap);

impl<'a> CollectingGuard<'a> {
    fn enter(heap: &'a Heap) -> Option<CollectingGuard<'a>> {
        if heap.collecting.get() {
            return None;
        }
        heap.collecting.set(true);
        Some(CollectingGuard(heap))
    }
}

impl Drop for CollectingGuard<'_> {
    fn drop(&mut self) {
        self.0.collecting.set(false);
    }
}

/// `gc.collect(generation)`: collect generations `0..=generation`, even when automatic
/// collection is disabled. Returns the number of unreachable objects found (collected +
/// uncollectable, CPython's `n + m`), or 0 if a collection is already running (e.g. when
/// called from a finalizer or a gc callback). Fires the `on_collect` hook.
///
/// Panics if `generation >= 3` (the VM raises `ValueError: invalid generation` first).
/// What a collection asks of the VM while it runs (see [`collect_with`]).
pub enum GcWork<'a> {
    /// Run this object's finalizer (`__del__`): called at most once per object.
    Finalize(&'a Value),
    /// This garbage object was just cleared (it is still alive: the collector holds a
    /// reference). Objects freed by refcount as a consequence have finalizers queued;
    /// the VM runs them now, while the cleared object still exists, as CPython's
    /// synchronous deallocation would.
    Cleared(&'a Value),
}

pub fn collect(generation: usize) -> usize {
    let hook = heap().hooks().finalize;
    collect_with(generation, &mut |w: GcWork<'_>| {
        if let GcWork::Finalize(v) = w {
            hook(v)
        }
    })
}

/// [`collect`] with the finalizer passed in rather than taken from [`Hooks`]: the VM
/// passes a closure that borrows the interpreter, so `__del__` methods of garbage run
/// synchronously inside the collection, as PEP 442 requires (all finalizers of a
/// collection run before any object is cleared, and resurrection is detected right
/// after). `finalize` is called at most once per object.
///
/// [`Hooks`]: crate::Hooks
pub fn collect_with(generation: usize, finalize: &mut dyn FnMut(GcWork<'_>)) -> usize {
    assert!(generation < NUM_GENERATIONS, "invalid generation");
    let heap = heap();
    match CollectingGuard::enter(heap) {
        Some(_guard) => collect_with_callback(heap, generation, finalize),
        None => 0,
    }
}

/// Run the automatic collection scheduled by an allocation, if any (CPython 3.12's
/// `_Py_RunGC`, called by the VM at safe points: backward jumps, calls, returns).
/// Collects the oldest generation over its threshold (`gc_collect_generations`).
pub fn collect_if_pending() -> usize {
    let hook = heap().hooks().finalize;
    collect_if_pending_with(&mut |w: GcWork<'_>| {
        if let GcWork::Finalize(v) = w {
            hook(v)
        }
    })
}

/// [`collect_if_pending`] with the finalizer passed in (see [`collect_with`]).
pub fn collect_if_pending_with(finalize: &mut dyn FnMut(GcWork<'_>)) -> usize {
    if !PENDING.with(|p| p.replace(false)) {
        return 0;
    }
    let heap = heap();
    if !heap.enabled.get() {
        return 0;
    }
    let Some(_guard) = CollectingGuard::enter(heap) else {
        return 0;
    };
    if cfg!(feature = "gc-stress") {
        return collect_with_callback(heap, 0, finalize);
    }
    collect_generations(heap, finalize)
}

/// The generation an automatic collection would collect now, if one is pending (consumes
/// the pending flag). Lets the VM run `gc.callbacks` around [`collect_with`].
pub fn take_pending_generation() -> Option<usize> {
    if !PENDING.with(|p| p.replace(false)) {
        return None;
    }
    let heap = heap();
    if !heap.enabled.get() || heap.collecting.get() {
        return None;
    }
    if cfg!(feature = "gc-stress") {
        return Some(0);
    }
    (0..NUM_GENERATIONS).rev().find(|&g| {
        heap.counts[g].get() > heap.thresholds[g].get()
            && !(g == NUM_GENERATIONS - 1 && heap.long_lived_pending.get() < heap.long_lived_total.get() / 4)
    })
}

/// `gc_collect_generations`: pick the oldest generation whose count exceeds its threshold;
/// generation 2 additionally needs `long_lived_pending >= long_lived_total / 4`
/// (issue #4074: keeps full collections amortised linear).
fn collect_generations(heap: &Heap, finalize: &mut dyn FnMut(GcWork<'_>)) -> usize {
    for g in (0..NUM_GENERATIONS).rev() {
        if heap.counts[g].get() > heap.thresholds[g].get() {
            if g == NUM_GENERATIONS - 1
                && heap.long_lived_pending.get() < heap.long_lived_total.get() / 4
            {
                continue;
            }
            return collect_with_callback(heap, g, finalize);
        }
    }
    0
}

/// `gc_collect_with_callback`: `on_collect("start")`, the collection, `on_collect("stop")`.
fn collect_with_callback(heap: &Heap, generation: usize, finalize: &mut dyn FnMut(GcWork<'_>)) -> usize {
    (heap.hooks().on_collect)("start", generation, 0, 0);
    let (collected, uncollectable) = collect_main(heap, generation, finalize);
    (heap.hooks().on_collect)("stop", generation, collected, uncollectable);
    collected + uncollectable
}

/// One collection of generations `0..=generation` (CPython `gc_collect_main`). Returns
/// `(m, n)`: objects collected, objects uncollectable (always 0: pyvm has no legacy
/// `tp_del` finalizers, so nothing is ever uncollectable).
///
/// This is the whole algorithm, as a list of phases:
fn collect_main(heap: &Heap, generation: usize, finalize: &mut dyn FnMut(GcWork<'_>)) -> (usize, usize) {
    let debug = heap.debug.get();
    let verify = crate::verify::enabled();
    if verify {
        crate::verify::verify_refcounts(heap, "before");
    }
    let start = Instant::now();
    if debug & DEBUG_STATS != 0 {
        print_generation_sizes(heap, generation);
    }

    // 1. Counts: one more collection of `generation` counts towards the next older one;
    //    this and all younger generations start afresh.
    if generation + 1 < NUM_GENERATIONS {
        let c = &heap.counts[generation + 1];
        c.set(c.get() + 1);
    }
    for c in &heap.counts[..=generation] {
        c.set(0);
    }

    // 2. Merge the younger generations at the end of the collected one: `young`.
    //    Survivors will go to `old` (the collected generation itself for a full collection).
    for g in 0..generation {
        heap.gens[g].merge_into(&heap.gens[generation]);
    }
    let young = &heap.gens[generation];
    let old = &heap.gens[(generation + 1).min(NUM_GENERATIONS - 1)];
    old.validate(Some(false), Some(false));

    // 3. Find the unreachable objects: those referenced only from inside `young`.
    let unreachable = GcList::new();
    let examined = deduce_unreachable(young, &unreachable);
    let unreachable_found = unreachable.len();

    // 4. Survivors that are tuples of untracked objects need no tracking any more.
    let survivors = untrack_survivors(young, Untrack::AnyCollection);

    // 5. Survivors are promoted to the older generation.
    if !std::ptr::eq(young, old) {
        if generation == NUM_GENERATIONS - 2 {
            heap.long_lived_pending
                .set(heap.long_lived_pending.get() + survivors);
        }
        young.merge_into(old);
    } else {
        // Dicts are only untracked by full collections (issue #14775).
        let survivors = untrack_survivors(young, Untrack::FullCollection);
        heap.long_lived_pending.set(0);
        heap.long_lived_total.set(survivors);
    }

    // 6. (CPython: legacy `tp_del` finalizers make their cycles uncollectable. pyvm has
    //    none.) The unreachable list becomes an ordinary list: clear the tentative mark.
    unreachable.set_flag_all(GcFlags::UNREACHABLE, false);
    unreachable.validate(Some(true), Some(false));
    if debug & DEBUG_COLLECTABLE != 0 {
        print_objects(heap, "collectable", &unreachable);
    }

    // 7. Weak references to garbage are cleared and their callbacks run — before any
    //    finalizer, so finalizers see dead weakrefs.
    let mut m = handle_weakrefs(heap, &unreachable, old);
    old.validate(Some(false), Some(false));
    unreachable.validate(Some(true), Some(false));

    // 8. Finalizers (`__del__`), each at most once per object, all before anything is
    //    cleared. This runs Python code.
    let finalizers = finalize_garbage(&unreachable, finalize);

    // 9. Some finalizers may have resurrected objects: those, and all they reach, survive.
    //    Without finalizers nothing can have been (weakref callbacks never see garbage),
    //    so the second reachability pass is skipped: the members already carry the state
    //    it would leave (COLLECTING set, UNREACHABLE clear).
    let final_unreachable = GcList::new();
    let resurrected = if finalizers > 0 {
        handle_resurrected_objects(&unreachable, &final_unreachable, old)
    } else {
        unreachable.merge_into(&final_unreachable);
        0
    };
    old.validate(Some(false), Some(false));

    // 10. Break the cycles: `clear` each remaining object, which lets refcounting free
    //     them all (or, under DEBUG_SAVEALL, keep them in `garbage`).
    m += final_unreachable.len();
    if let Some(report) = heap.extra().on_garbage {
        let mut objs = Vec::new();
        final_unreachable.for_each(|l| {
            // SAFETY: members are live; the new strong references are dropped below,
            // before the objects are cleared.
            objs.push(unsafe { Value::from_borrowed_raw(header_of(l) as usize) });
        });
        report(&objs);
        // Dropping these references cannot free anything: the list still owns nothing,
        // but every object is still referenced by its cycle.
        drop(objs);
    }
    delete_garbage(heap, &final_unreachable, old, finalize);
    old.validate(Some(false), Some(false));

    // 10b. A full collection empties the free lists (CPython's clear_freelists), so the
    //      next allocations of those types are counted again.
    if generation == NUM_GENERATIONS - 1 {
        for c in &heap.virtual_free {
            c.set(0);
        }
    }

    if verify {
        crate::verify::verify_refcounts(heap, "after");
    }

    // 11. Statistics.
    let n = 0;
    let pause = start.elapsed();
    if debug & DEBUG_STATS != 0 {
        heap.write_stderr(&format!(
            "gc: done, {} unreachable, {} uncollectable, {:.4}s elapsed\n",
            n + m,
            n,
            pause.as_secs_f64()
        ));
    }
    let report = stats::CollectionReport {
        generation,
        examined,
        unreachable: unreachable_found,
        finalizers,
        resurrected,
        collected: m,
        pause,
    };
    stats::record_collection(report, n);
    (m, n)
}

/// `deduce_unreachable`: move to `unreachable` every object of `base` that is not
/// reachable from outside `base`. Survivors keep their order, except those only
/// reachable from other members, which end up in traversal order (observable: it is the
/// finalizer order of a later collection).
///
/// Returns the number of objects examined (the size of `base` on entry).
pub(crate) fn deduce_unreachable(base: &GcList, unreachable: &GcList) -> usize {
    base.validate(Some(false), Some(false));
    let examined = update_refs(base);
    subtract_refs(base);
    move_unreachable(base, unreachable);
    base.validate(Some(false), Some(false));
    unreachable.validate(Some(true), Some(true));
    examined
}

/// The links of `v` if it is a container (the only objects the collector looks at).
#[inline]
fn container_links(v: &Value) -> Option<&GcLinks> {
    v.header().and_then(Header::links)
}

/// Call `trace` on the object whose links are `l`.
///
/// # Safety
/// `l` must be the links of a live container.
#[inline]
unsafe fn traverse(l: *const GcLinks, visit: &mut dyn FnMut(&Value)) {
    // SAFETY: per the contract, `header_of(l)` is a live object of its vtable.
    unsafe {
        let h = header_of(l);
        ((*h).vtable().trace)(h, visit);
    }
}

/// `update_refs`: `gc_refs = refcnt` and COLLECTING for every member.
fn update_refs(base: &GcList) -> usize {
    let mut n = 0;
    base.for_each(|l| {
        n += 1;
        // SAFETY: members are live containers; nothing runs that could free them.
        let (links, refcnt) = unsafe { (&*l, (*header_of(l)).refcnt()) };
        debug_assert!(refcnt != 0, "update_refs: a tracked object has refcount 0");
        links.set_gc_refs(refcnt.max(0) as usize);
        links.set(GcFlags::COLLECTING, true);
    });
    n
}

/// `subtract_refs`: subtract every reference from a member to a member. Afterwards
/// `gc_refs > 0` ⇔ referenced from outside the set.
fn subtract_refs(base: &GcList) {
    let mut visit_decref = |v: &Value| {
        if let Some(l) = container_links(v) {
            if l.has(GcFlags::COLLECTING) {
                l.dec_gc_refs();
            }
        }
    };
    base.for_each(|l| {
        // SAFETY: members are live; `trace` frees nothing (Trace contract rule 3).
        unsafe { traverse(l, &mut visit_decref) };
    });
}

/// `move_unreachable`: walk `young` front to back. An object with `gc_refs > 0` is
/// reachable: everything it references in the set is marked reachable too (moved back to
/// the tail of `young` if it was already moved to `unreachable`) and it leaves the set
/// (COLLECTING cleared). An object with `gc_refs == 0` is tentatively moved to the tail of
/// `unreachable` (UNREACHABLE set); a later reachable object may bring it back.
fn move_unreachable(young: &GcList, unreachable: &GcList) {
    let young_head = young.head();
    let mut visit_reachable = |v: &Value| {
        let Some(l) = container_links(v) else { return };
        // Objects of other generations, and members already scanned, are not COLLECTING.
        if !l.has(GcFlags::COLLECTING) {
            return;
        }
        if l.has(GcFlags::UNREACHABLE) {
            // Reachable after all: back to the tail of young, where the walk will see it.
            // SAFETY: `l` is linked in `unreachable`; `young_head` is a live sentinel.
            unsafe { list::move_to(l, young_head) };
            l.set(GcFlags::UNREACHABLE, false);
            l.set_gc_refs(1);
        } else if l.gc_refs() == 0 {
            // Not scanned yet: tell the walk it is reachable.
            l.set_gc_refs(1);
        }
    };
    // SAFETY: every node visited is a live member of `young` (the walk reads `next` only
    // after `trace`, which may append to `young`); nothing frees objects here.
    unsafe {
        let mut cur = (*young_head).next.get();
        while cur != young_head {
            let links = &*cur;
            if links.gc_refs() > 0 {
                traverse(cur, &mut visit_reachable);
                links.set(GcFlags::COLLECTING, false);
                cur = links.next.get();
            } else {
                let next = links.next.get();
                list::move_to(cur, unreachable.head());
                links.set(GcFlags::UNREACHABLE, true);
                cur = next;
            }
        }
    }
}

/// `untrack_tuples` / `untrack_dicts`: untrack the survivors of `policy` whose children
/// are all atomic or untracked (a child whose type is untracked by every collection
/// counts as tracked only while it is tracked: `_PyObject_GC_MAY_BE_TRACKED`).
fn untrack_survivors(young: &GcList, policy: Untrack) -> usize {
    let heap = heap();
    let mut remaining = 0;
    young.for_each(|l| {
        // SAFETY: members are live; nothing here frees objects.
        let h = unsafe { header_of(l) };
        // SAFETY: as above.
        let vt = unsafe { (*h).vtable() };
        if vt.untrack != policy {
            remaining += 1;
            return;
        }
        let mut may_be_tracked = false;
        let mut visit = |v: &Value| {
            if let Some(c) = v.header() {
                if c.is_container()
                    && (c.vtable().untrack != Untrack::AnyCollection || c.is_tracked())
                {
                    may_be_tracked = true;
                }
            }
        };
        // SAFETY: live member, tracing frees nothing.
        unsafe { traverse(l, &mut visit) };
        if may_be_tracked {
            remaining += 1;
        } else {
            // SAFETY: live, tracked member; `for_each` allows unlinking the current one.
            unsafe { heap.untrack_links(l) };
        }
    });
    remaining
}

/// `delete_garbage`: for each object (always the head of the list, which may change
/// under our feet): hold a reference, `clear` it, let go. An object still at the head
/// afterwards is alive (something outside kept it): it will go to `old`, "it may die
/// later". Under DEBUG_SAVEALL objects are appended to `garbage` instead of being cleared.
///
/// Survivors wait in a private list, still COLLECTING, until every object has been
/// cleared: a garbage weakref that survives must stay recognisable as garbage while its
/// referent may still die by refcount (see `weakref.rs`).
fn delete_garbage(heap: &Heap, collectable: &GcList, old: &GcList, work: &mut dyn FnMut(GcWork<'_>)) {
    let saveall = heap.debug.get() & DEBUG_SAVEALL != 0;
    let survivors = GcList::new();
    while let Some(l) = collectable.first() {
        // SAFETY: `l` is a live member of `collectable`.
        let h = unsafe { header_of(l) };
        // SAFETY: live object: take a strong reference for the duration of `clear`.
        let obj = unsafe { Value::from_borrowed_raw(h as usize) };
        if saveall {
            heap.garbage.borrow_mut().push(obj);
        } else {
            // SAFETY: `obj` keeps `h` alive during the call.
            unsafe { ((*h).vtable().clear)(h) };
            work(GcWork::Cleared(&obj));
            drop(obj);
        }
        if collectable.first() == Some(l) {
            // Still alive (pointer comparison only: `l` may have been freed).
            // SAFETY: `l` is at the head of `collectable`, hence live and linked.
            unsafe { list::move_to(l, survivors.head()) };
        }
    }
    survivors.set_flag_all(GcFlags::COLLECTING, false);
    survivors.merge_into(old);
}

/// DEBUG_STATS header lines.
fn print_generation_sizes(heap: &Heap, generation: usize) {
    let sizes: String = heap.gens.iter().map(|g| format!(" {}", g.len())).collect();
    heap.write_stderr(&format!(
        "gc: collecting generation {generation}...\ngc: objects in each generation:{sizes}\ngc: objects in permanent generation: {}\n",
        heap.permanent.len()
    ));
}

/// `debug_cycle`: `gc: collectable <type 0xADDR>` for each member.
fn print_objects(heap: &Heap, msg: &str, list: &GcList) {
    let type_name = heap.extra().type_name;
    for l in list.members() {
        // SAFETY: members are live; the borrowed view does not change the refcount.
        let obj = ManuallyDrop::new(unsafe { Value::from_raw(header_of(l) as usize) });
        let line = format!("gc: {msg} <{} {:#x}>\n", type_name(&obj), obj.raw());
        heap.write_stderr(&line);
    }
}
