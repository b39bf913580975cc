//! Heap statistics: per-generation collection stats (`gc.get_stats()`), pause times, and allocation/free counters per payload kind.

use crate::heap::{heap, NUM_GENERATIONS};
use std::cell::Cell;
use std::time::Duration;

/// Kinds at or above this share the last counter slot.
pub const MAX_KINDS: usize = 256;

/// One entry of `gc.get_stats()`, plus pause times (pyvm diagnostics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GenStats {
    /// Number of collections of this generation.
    pub collections: usize,
    /// Objects found unreachable and collected (`m`).
    pub collected: usize,
    /// Objects found uncollectable (`n`; always 0 in pyvm: no legacy `tp_del`).
    pub uncollectable: usize,
    /// Sum of the pause times of these collections.
    pub total_pause: Duration,
    /// Longest pause.
    pub max_pause: Duration,
    /// Pause of the most recent collection.
    pub last_pause: Duration,
    /// Objects examined (the collected generations' sizes at the start).
    pub examined: usize,
}

/// What one collection did (`pyvm run --trace-gc` prints one line of it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CollectionReport {
    pub generation: usize,
    /// Objects in the collected generations when the collection started.
    pub examined: usize,
    /// Objects found unreachable by the first reachability analysis.
    pub unreachable: usize,
    /// `__del__` finalizers called.
    pub finalizers: usize,
    /// Unreachable objects that finalizers made reachable again (they survive).
    pub resurrected: usize,
    /// Objects cleared and freed (`gc.collect()`'s return value).
    pub collected: usize,
    pub pause: Duration,
}

/// Allocation and free counts of one payload kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindCount {
    pub allocated: u64,
    pub freed: u64,
}

#[derive(Default)]
pub(crate) struct Stats {
    pub gens: [Cell<GenStats>; NUM_GENERATIONS],
    pub last: Cell<CollectionReport>,
}

struct KindStats {
    allocated: [Cell<u64>; MAX_KINDS],
    freed: [Cell<u64>; MAX_KINDS],
    names: [Cell<&'static str>; MAX_KINDS],
    live: Cell<usize>,
    immortal: Cell<usize>,
}

thread_local! {
    // Const-initialised and without destructor: the cheapest TLS access, done on every
    // allocation and free.
    static KINDS: KindStats = const {
        KindStats {
            allocated: [const { Cell::new(0) }; MAX_KINDS],
            freed: [const { Cell::new(0) }; MAX_KINDS],
            names: [const { Cell::new("") }; MAX_KINDS],
            live: Cell::new(0),
            immortal: Cell::new(0),
        }
    };
}

#[inline]
fn slot(kind: u32) -> usize {
    (kind as usize).min(MAX_KINDS - 1)
}

#[inline]
pub(crate) fn count_alloc(kind: u32, name: &'static str, immortal: bool) {
    KINDS.with(|k| {
        let c = &k.allocated[slot(kind)];
        c.set(c.get() + 1);
        k.names[slot(kind)].set(name);
        k.live.set(k.live.get() + 1);
        if immortal {
            k.immortal.set(k.immortal.get() + 1);
        }
    });
}

#[inline]
pub(crate) fn count_free(kind: u32) {
    KINDS.with(|k| {
        let c = &k.freed[slot(kind)];
        c.set(c.get() + 1);
        k.live.set(k.live.get().saturating_sub(1));
    });
}

/// An immortal object was freed (by `teardown::release_thread_heap`), after `count_free`.
pub(crate) fn count_immortal_free() {
    KINDS.with(|k| k.immortal.set(k.immortal.get().saturating_sub(1)));
}

/// Record the outcome of one collection (generation `report.generation`).
pub(crate) fn record_collection(report: CollectionReport, uncollectable: usize) {
    let (g, collected, pause) = (report.generation, report.collected, report.pause);
    heap().stats.last.set(report);
    let cell = &heap().stats.gens[g];
    let mut s = cell.get();
    s.collections += 1;
    s.examined += report.examined;
    s.collected += collected;
    s.uncollectable += uncollectable;
    s.total_pause += pause;
    s.max_pause = s.max_pause.max(pause);
    s.last_pause = pause;
    cell.set(s);
}

/// The report of the most recent collection.
pub fn last_collection() -> CollectionReport {
    heap().stats.last.get()
}

/// `gc.get_stats()` (with pause times).
pub fn get_stats() -> [GenStats; NUM_GENERATIONS] {
    let h = heap();
    [
        h.stats.gens[0].get(),
        h.stats.gens[1].get(),
        h.stats.gens[2].get(),
    ]
}

/// Number of heap objects allocated and not yet freed on this thread (immortals included).
pub fn live_objects() -> usize {
    KINDS.with(|k| k.live.get())
}

/// Number of immortal objects (never freed: None, True, built-in types, ...).
pub fn immortal_objects() -> usize {
    KINDS.with(|k| k.immortal.get())
}

/// The payload type name (`Trace::NAME`) of kind `kind`, once one was allocated.
pub fn kind_name(kind: u32) -> &'static str {
    KINDS.with(|k| k.names[slot(kind)].get())
}

/// Allocation and free counts of one kind (kinds ≥ `MAX_KINDS` share the last slot).
pub fn kind_count(kind: u32) -> KindCount {
    KINDS.with(|k| KindCount {
        allocated: k.allocated[slot(kind)].get(),
        freed: k.freed[slot(kind)].get(),
    })
}

/// Every kind with at least one allocation: `(kind, counts)`.
pub fn kind_counts() -> Vec<(u32, KindCount)> {
    (0..MAX_KINDS as u32)
        .map(|k| (k, kind_count(k)))
        .filter(|(_, c)| c.allocated > 0)
        .collect()
}
