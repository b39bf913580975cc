//! The thread-local heap state (CPython's `GCState`): generation lists, counts, thresholds, flags, hooks installed by the VM, the garbage list and statistics.
//!
//! The state is created lazily on first use and leaked, so it outlives every object of the
//! thread (objects dropped from other thread-local destructors still find it). Fields are
//! `Cell`s, or `RefCell`s borrowed only for a few statements, never across a hook call:
//! hooks run Python code that re-enters this module freely.

use crate::header::{links_of, GcFlags, GcLinks, Header};
use crate::list::{self, GcList};
use crate::stats::Stats;
use crate::value::Value;
use std::cell::{Cell, RefCell};

/// Number of generations (CPython `NUM_GENERATIONS`).
pub const NUM_GENERATIONS: usize = 3;

/// `gc.DEBUG_STATS`: print statistics during collection.
pub const DEBUG_STATS: u32 = 1;
/// `gc.DEBUG_COLLECTABLE`: print collectable objects found.
pub const DEBUG_COLLECTABLE: u32 = 2;
/// `gc.DEBUG_UNCOLLECTABLE`: print uncollectable objects found.
pub const DEBUG_UNCOLLECTABLE: u32 = 4;
/// `gc.DEBUG_SAVEALL`: save all unreachable objects in `garbage` instead of freeing them.
pub const DEBUG_SAVEALL: u32 = 32;
/// `gc.DEBUG_LEAK` = COLLECTABLE | UNCOLLECTABLE | SAVEALL.
pub const DEBUG_LEAK: u32 = DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL;

/// Callbacks the VM installs with [`set_hooks`]; they run Python code. The defaults do nothing.
#[derive(Clone, Copy)]
pub struct Hooks {
    /// Run the finalizer (`__del__`) of `obj` (a temporary strong reference is passed).
    /// Called at most once per container object (the gc crate sets FINALIZED before
    /// calling). Errors are the VM's business (it prints "Exception ignored in").
    pub finalize: fn(&Value),
    /// The object has HAS_WEAKREFS: clear all weak references to it (their referent
    /// becomes None) and return the weakref objects whose callbacks should be called
    /// (strong refs), in the order they must be called. The gc crate clears the
    /// HAS_WEAKREFS flag afterwards.
    pub clear_weakrefs: fn(&Value) -> Vec<Value>,
    /// Call the callback of weakref `wr` (already cleared).
    pub call_weakref_callback: fn(&Value),
    /// Is this object a weakref object (bpo-38006: weakrefs in the garbage get cleared
    /// themselves, see [`ExtraHooks::clear_weakref`]).
    pub is_weakref: fn(&Value) -> bool,
    /// `gc.callbacks`: called with `"start"` before and `"stop"` after every automatic or
    /// explicit collection: `(phase, generation, collected, uncollectable)`.
    pub on_collect: fn(&str, usize, usize, usize),
}

impl Default for Hooks {
    fn default() -> Hooks {
        Hooks {
            finalize: |_| {},
            clear_weakrefs: |_| Vec::new(),
            call_weakref_callback: |_| {},
            is_weakref: |_| false,
            on_collect: |_, _, _, _| {},
        }
    }
}

/// Optional hooks beyond [`Hooks`], installed with [`set_extra_hooks`].
/// Build with `ExtraHooks { field: f, ..Default::default() }`.
#[derive(Clone, Copy)]
pub struct ExtraHooks {
    /// Clear the weakref object `wr` itself (`_PyWeakref_ClearRef`: referent → None,
    /// callback kept). Called in a collection for every unreachable object for which
    /// `is_weakref` is true (bpo-38006). Default: nothing — the gc crate then relies on
    /// never calling the callback of a weakref that is itself garbage (see `weakref.rs`).
    pub clear_weakref: fn(&Value),
    /// The type name shown by `gc: collectable <NAME 0x...>`. Default: `VTable::name`.
    pub type_name: fn(&Value) -> String,
    /// Where debug output (`DEBUG_STATS` etc.) goes: `sys.stderr`. Default: the process's stderr.
    pub write_stderr: fn(&str),
    /// When set, called in every collection with the objects about to be cleared and
    /// freed (after finalizers and resurrection), while they and their references are
    /// still intact: diagnostics (`pyvm run --cycles`) look at the cycles among them.
    pub on_garbage: Option<fn(&[Value])>,
}

impl Default for ExtraHooks {
    fn default() -> ExtraHooks {
        ExtraHooks {
            clear_weakref: |_| {},
            type_name: |v| v.type_name().to_string(),
            write_stderr: |s| eprint!("{s}"),
            on_garbage: None,
        }
    }
}

/// The state of one thread's heap (CPython `struct _gc_runtime_state`).
pub(crate) struct Heap {
    /// Generation lists 0, 1, 2 (`generations[i].head`).
    pub gens: [GcList; NUM_GENERATIONS],
    /// `permanent_generation` (`gc.freeze`).
    pub permanent: GcList,
    /// `generations[i].threshold`: (700, 10, 10).
    pub thresholds: [Cell<usize>; NUM_GENERATIONS],
    /// `generations[i].count` (see gc-spec 1.2).
    pub counts: [Cell<usize>; NUM_GENERATIONS],
    /// `enabled`: automatic collection on.
    pub enabled: Cell<bool>,
    /// `collecting`: a collection is running (re-entrant `collect` returns 0).
    pub collecting: Cell<bool>,
    /// Objects promoted into gen 2 since the last full collection.
    pub long_lived_pending: Cell<usize>,
    /// Size of gen 2 after the last full collection.
    pub long_lived_total: Cell<usize>,
    /// `gc.set_debug` flags.
    pub debug: Cell<u32>,
    /// Objects saved by `DEBUG_SAVEALL`, waiting for the VM to move them to `gc.garbage`.
    pub garbage: RefCell<Vec<Value>>,
    pub hooks: Cell<Hooks>,
    pub extra: Cell<ExtraHooks>,
    /// Nesting of deallocations in progress (trashcan).
    pub dealloc_depth: Cell<usize>,
    /// Objects whose deallocation was deferred by the trashcan (refcount 0, untracked).
    pub trash: RefCell<Vec<*const Header>>,
    /// Blocks of small objects (see `pool.rs`).
    pub small: crate::pool::SmallBlocks,
    /// Every immortal object allocated on this thread and not yet released (see
    /// `teardown.rs`).
    pub immortals: RefCell<Vec<*const Header>>,
    /// Occupancy of the virtual free lists (see `Trace::freelist`).
    pub virtual_free: [Cell<u32>; crate::trace::FREELIST_CLASSES],
    pub stats: Stats,
}

thread_local! {
    static HEAP: &'static Heap = Box::leak(Box::new(Heap::new()));
    /// `collection_pending`: kept apart so the check is one const-initialised TLS read.
    pub(crate) static PENDING: Cell<bool> = const { Cell::new(false) };
}

impl Heap {
    fn new() -> Heap {
        Heap {
            gens: [GcList::new(), GcList::new(), GcList::new()],
            permanent: GcList::new(),
            thresholds: [Cell::new(700), Cell::new(10), Cell::new(10)],
            counts: Default::default(),
            enabled: Cell::new(true),
            collecting: Cell::new(false),
            long_lived_pending: Cell::new(0),
            long_lived_total: Cell::new(0),
            debug: Cell::new(0),
            garbage: RefCell::new(Vec::new()),
            hooks: Cell::new(Hooks::default()),
            extra: Cell::new(ExtraHooks::default()),
            dealloc_depth: Cell::new(0),
            trash: RefCell::new(Vec::new()),
            small: crate::pool::SmallBlocks::new(),
            immortals: RefCell::new(Vec::new()),
            virtual_free: Default::default(),
            stats: Stats::default(),
        }
    }

    pub(crate) fn hooks(&self) -> Hooks {
        self.hooks.get()
    }

    pub(crate) fn extra(&self) -> ExtraHooks {
        self.extra.get()
    }

    /// Write debug output through the `write_stderr` hook.
    pub(crate) fn write_stderr(&self, s: &str) {
        (self.extra().write_stderr)(s)
    }

    /// `_PyObject_GC_Link` + `_PyObject_GC_TRACK` for a new container: append to gen 0,
    /// count it, and schedule a collection when gen 0 is over its threshold.
    ///
    /// # Safety
    /// `l` must be the unlinked links of a freshly allocated container.
    /// Does allocating an object with free-list behaviour `fl` count in `count[0]`?
    /// (No when CPython would have taken it from a free list.)
    pub(crate) fn count_alloc(&self, fl: crate::trace::FreeList) -> bool {
        use crate::trace::FreeList;
        match fl {
            FreeList::None => true,
            FreeList::Never => false,
            FreeList::Class(c) => {
                let n = &self.virtual_free[c as usize];
                if n.get() > 0 {
                    n.set(n.get() - 1);
                    false
                } else {
                    true
                }
            }
        }
    }

    /// Does freeing an object with free-list behaviour `fl` lower `count[0]`? (No when
    /// CPython would have put it on a free list: list and dict lists hold 80, tuple
    /// lists 2000 per length.)
    pub(crate) fn count_free(&self, fl: crate::trace::FreeList) -> bool {
        use crate::trace::FreeList;
        match fl {
            FreeList::None => true,
            FreeList::Never => false,
            FreeList::Class(c) => {
                let cap = if c < 2 { 80 } else { 2000 };
                let n = &self.virtual_free[c as usize];
                if n.get() < cap {
                    n.set(n.get() + 1);
                    false
                } else {
                    true
                }
            }
        }
    }

    pub(crate) unsafe fn link_new(&self, l: *const GcLinks, fl: crate::trace::FreeList) {
        // SAFETY: forwarded.
        unsafe { self.track_links(l) };
        if !self.count_alloc(fl) {
            return;
        }
        let c0 = self.counts[0].get() + 1;
        self.counts[0].set(c0);
        let t0 = self.thresholds[0].get();
        if cfg!(feature = "gc-stress")
            || (c0 > t0 && self.enabled.get() && t0 != 0 && !self.collecting.get())
        {
            PENDING.with(|p| p.set(true));
        }
    }

    /// After a collection and its callbacks: a collection is pending only if generation 0
    /// is over its threshold now. (Allocations made by `gc.callbacks` while the counts
    /// were still high must not schedule one: CPython's callbacks run while collecting.)
    pub(crate) fn recheck_pending(&self) {
        let (c0, t0) = (self.counts[0].get(), self.thresholds[0].get());
        let due = cfg!(feature = "gc-stress") || (c0 > t0 && self.enabled.get() && t0 != 0);
        PENDING.with(|p| p.set(due));
    }

    /// Link an untracked container at the tail of gen 0 (`_PyObject_GC_TRACK`).
    ///
    /// # Safety
    /// `l` must be the links of a live container.
    pub(crate) unsafe fn track_links(&self, l: *const GcLinks) {
        // SAFETY: forwarded.
        let links = unsafe { &*l };
        if links.has(GcFlags::TRACKED) {
            return;
        }
        // SAFETY: untracked links are unlinked; gen 0's sentinel is live.
        unsafe { list::append(l, self.gens[0].head()) };
        links.set(GcFlags::TRACKED, true);
    }

    /// Unlink a container from whatever list it is on (`_PyObject_GC_UNTRACK`) and clear
    /// its collection-time state (a container leaving a collection mid-way, e.g. freed by
    /// a finalizer, must not look COLLECTING afterwards).
    ///
    /// # Safety
    /// `l` must be the links of a live container.
    pub(crate) unsafe fn untrack_links(&self, l: *const GcLinks) {
        // SAFETY: forwarded.
        let links = unsafe { &*l };
        if !links.has(GcFlags::TRACKED) {
            return;
        }
        // SAFETY: tracked links are linked in some list.
        unsafe { list::remove(l) };
        links.set(
            GcFlags::TRACKED | GcFlags::COLLECTING | GcFlags::UNREACHABLE | GcFlags::FROZEN,
            false,
        );
        links.set_gc_refs(0);
    }
}

/// This thread's heap.
#[inline]
pub(crate) fn heap() -> &'static Heap {
    HEAP.with(|h| *h)
}

/// Install the VM's hooks (replacing the previous ones).
pub fn set_hooks(h: Hooks) {
    heap().hooks.set(h);
}

/// Install optional extra hooks.
/// The extra hooks currently installed.
pub fn extra_hooks() -> ExtraHooks {
    heap().extra()
}

pub fn set_extra_hooks(h: ExtraHooks) {
    heap().extra.set(h);
}

/// See [`Heap::recheck_pending`]: called by the VM when a collection and its callbacks
/// are over.
pub fn recheck_pending() {
    heap().recheck_pending();
}

/// True when an allocation pushed generation 0 over its threshold: the VM should call
/// [`crate::collect_if_pending`] at its next safe point (CPython 3.12's eval-breaker GC).
#[inline]
pub fn collection_pending() -> bool {
    PENDING.with(Cell::get)
}

/// Start tracking a container (`PyObject_GC_Track`): append it to generation 0.
/// No effect on atomic objects or on already tracked containers.
pub fn track(v: &Value) {
    if let Some(h) = v.header_ptr() {
        // SAFETY: `v` keeps the object alive; links exist for containers.
        unsafe {
            if (*h).is_container() {
                heap().track_links(links_of(h));
            }
        }
    }
}

/// Stop tracking a container (`PyObject_GC_UnTrack`), e.g. a tuple of atomic values or an
/// empty dict. No effect on atomic objects or untracked containers.
pub fn untrack(v: &Value) {
    if let Some(h) = v.header_ptr() {
        // SAFETY: as in `track`.
        unsafe {
            if (*h).is_container() {
                heap().untrack_links(links_of(h));
            }
        }
    }
}

/// `gc.is_tracked(obj)`.
pub fn is_tracked(v: &Value) -> bool {
    v.header().is_some_and(Header::is_tracked)
}

/// `gc.is_finalized(obj)`.
pub fn is_finalized(v: &Value) -> bool {
    v.header().is_some_and(Header::is_finalized)
}

/// `gc.get_count()`.
pub fn get_count() -> (usize, usize, usize) {
    let h = heap();
    (h.counts[0].get(), h.counts[1].get(), h.counts[2].get())
}

/// Start-up is over: the interpreter's own objects become old (generation 2), as
/// CPython's have after the collections its start-up runs, and the generation counts
/// become `counts`, what a program sees first in `gc.get_count()`. From here on,
/// automatic collections come after the same number of the program's allocations as
/// under CPython.
pub fn settle_startup(counts: (usize, usize, usize)) {
    let h = heap();
    // Collections the interpreter's own start-up set off are not the program's: the
    // statistics (gc.get_stats(), --gc-stats) start from zero with the program.
    for g in h.stats.gens.iter() {
        g.set(Default::default());
    }
    h.gens[0].merge_into(&h.gens[2]);
    h.gens[1].merge_into(&h.gens[2]);
    h.long_lived_pending.set(0);
    h.long_lived_total.set(h.gens[2].len());
    h.counts[0].set(counts.0);
    h.counts[1].set(counts.1);
    h.counts[2].set(counts.2);
    recheck_pending();
}

/// `gc.get_threshold()`.
pub fn get_threshold() -> (usize, usize, usize) {
    let h = heap();
    (
        h.thresholds[0].get(),
        h.thresholds[1].get(),
        h.thresholds[2].get(),
    )
}

/// `gc.set_threshold(t0[, t1[, t2]])`. `t0 == 0` disables automatic collection.
pub fn set_threshold(t0: usize, t1: Option<usize>, t2: Option<usize>) {
    let h = heap();
    h.thresholds[0].set(t0);
    if let Some(t) = t1 {
        h.thresholds[1].set(t);
    }
    if let Some(t) = t2 {
        h.thresholds[2].set(t);
    }
}

/// `gc.enable()`.
pub fn enable() {
    heap().enabled.set(true);
}

/// `gc.disable()`: automatic collection off; explicit [`crate::collect`] still works.
pub fn disable() {
    heap().enabled.set(false);
}

/// `gc.isenabled()`.
pub fn is_enabled() -> bool {
    heap().enabled.get()
}

/// `gc.set_debug(flags)`.
pub fn set_debug(flags: u32) {
    heap().debug.set(flags);
}

/// `gc.get_debug()`.
pub fn get_debug() -> u32 {
    heap().debug.get()
}

/// Take the objects saved by `DEBUG_SAVEALL` since the last call (the VM appends them to
/// its `gc.garbage` list, in order).
pub fn take_garbage() -> Vec<Value> {
    std::mem::take(&mut *heap().garbage.borrow_mut())
}

/// Number of objects waiting in the garbage list.
pub fn garbage_len() -> usize {
    heap().garbage.borrow().len()
}

/// `long_lived_pending` and `long_lived_total` (why a full collection was or was not run).
pub fn long_lived() -> (usize, usize) {
    let h = heap();
    (h.long_lived_pending.get(), h.long_lived_total.get())
}
