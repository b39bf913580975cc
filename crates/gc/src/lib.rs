//! pyvm's memory manager: tagged values, inline reference counts and CPython 3.11's three-generation cycle collector with PEP 442 finalization.
//!
//! # Overview
//!
//! Every Python value is a [`Value`]: one machine word that is either a small int (low bit
//! set) or an owned strong reference to a heap object (low bit clear). Cloning a `Value` increfs,
//! dropping it decrefs; when a count reaches zero the object is finalized, its weakrefs are
//! cleared, its payload dropped and its memory freed — immediately, as in CPython.
//!
//! A heap object is a [`Header`] (`refcnt` + a `&'static` [`VTable`]) followed by a payload
//! of some Rust type implementing [`Trace`]. This crate knows nothing about Python types:
//! the VM defines payload types (list, dict, instance, ...) and implements `Trace` for them
//! (visit children, clear them, has-a-finalizer); the collector works through the vtable.
//! *Container* types (those that can hold references) carry a [`GcLinks`] prefix just before
//! the header and live in one of three intrusive generation lists, like CPython's
//! `PyGC_Head`.
//!
//! Reference counting cannot free cycles; the collector ([`collect`]) does, following
//! `Modules/gcmodule.c` phase by phase: compute `gc_refs = refcnt − internal references`
//! over the collected generations, treat objects with external references as roots,
//! move everything they reach back, then for the unreachable rest: clear weakrefs and run
//! their callbacks, run finalizers (`__del__`, once per object ever), re-check for
//! resurrection, and finally `clear` each object so refcounting frees the cycle.
//! `collect.rs` reads as that list of phases.
//!
//! ## How the VM uses it
//!
//! - Allocate with [`Value::new`] / [`Value::try_new`]; singletons with [`Value::new_immortal`].
//! - Install callbacks into Python with [`set_hooks`] ([`Hooks`]: finalizer, weakref
//!   clearing and callbacks, `gc.callbacks`) and optionally [`set_extra_hooks`].
//! - Allocation never collects: when generation 0 goes over its threshold it sets a flag
//!   ([`collection_pending`]); the VM calls [`collect_if_pending`] at safe points (CPython
//!   3.12's behaviour: no Python code runs in the middle of an allocation).
//! - The `gc` module wraps [`collect`], [`get_count`], [`set_threshold`], [`get_objects`],
//!   [`get_referrers`], [`freeze`], [`get_stats`], [`set_debug`], [`take_garbage`], ...
//!
//! Objects of up to 128 bytes live in pymalloc-style pools (`pool.rs`); larger ones are
//! malloc blocks. `PYVM_MALLOC=malloc` makes every object a malloc block (for sanitizers).
//!
//! ## Threads
//!
//! The heap is thread-local and `Value` is neither `Send` nor `Sync`. Incref/decref touch
//! only the object; only deallocation and container allocation reach the thread-local state.
//!
//! ## Safety
//!
//! All pointer-level `unsafe` code of pyvm lives in this crate, and every `unsafe` block
//! says why it is sound (`// SAFETY:`). Outside it, the only obligations are the numbered
//! rules of the `unsafe trait` [`Trace`] (visit every owned reference, never run code while
//! tracing, distinct `KIND`s), and the contracts of the few `unsafe fn`s for raw words
//! ([`Value::from_raw`], [`Value::from_borrowed_raw`], [`Header::decref`]) used by the
//! interpreter's explicit refcount fast paths.
//!
//! # Module map
//!
//! | module | contents |
//! |---|---|
//! | `header` | [`Header`], [`GcLinks`], [`GcFlags`]: layout, flag bits with their CPython names, incref/decref |
//! | `value` | [`Value`]: the tagged word, ints, ownership, downcasts |
//! | `trace` | the [`Trace`] trait (contract), [`VTable`], [`Obj`] |
//! | `alloc` | allocation, the refcount-zero path, the trashcan |
//! | `list` | intrusive circular doubly linked lists (generations, temporary lists) |
//! | `heap` | thread-local state: generations, counts, thresholds, hooks, debug flags, garbage |
//! | `collect` | the collection algorithm, one function per phase |
//! | `weakref` | weakref clearing and callbacks (refcount path and collection) |
//! | `finalize` | finalizers in a collection, resurrection |
//! | `query` | `get_objects`, `get_referents`, `get_referrers`, `freeze` |
//! | `budget` | the counting global allocator behind `--max-heap` |
//! | `verify` | the whole-heap refcount-invariant check (`PYVM_VERIFY_REFCOUNTS`) |
//! | `interrupt` | SIGINT and watchdog interrupts (KeyboardInterrupt at the next instruction) |
//! | `stats` | per-generation stats and pause times, per-kind allocation counters |
//!
//! # Cargo features
//!
//! `gc-stress`: every container allocation schedules a collection, and
//! [`collect_if_pending`] then collects generation 0 (when enabled) — shakes out missing
//! `trace` edges and refcount bugs.

#![deny(clippy::undocumented_unsafe_blocks)]

mod alloc;
mod budget;
mod collect;
mod finalize;
mod header;
mod interrupt;
mod heap;
mod list;
mod pool;
mod query;
mod stats;
mod teardown;
mod trace;
mod value;
mod verify;
mod weakaddr;
mod weakref;

pub use alloc::{AllocError, TRASHCAN_LIMIT};
pub use verify::set_verify;
pub use interrupt::{default_sigint_and_raise, install_sigint_handler, interrupt_pending, request_interrupt, take_interrupt};
pub use budget::{heap_in_use, room, set_heap_limit, take_exhausted, CountingAlloc, ATTENTION};
pub use collect::{collect, collect_if_pending, collect_if_pending_with, collect_with, take_pending_generation, GcWork};
pub use header::{GcFlags, GcLinks, Header, IMMORTAL_REFCNT};
pub use heap::{
    collection_pending, recheck_pending, disable, enable, garbage_len, get_count, get_debug, get_threshold,
    extra_hooks, is_enabled, is_finalized, is_tracked, long_lived, set_debug, set_extra_hooks, set_hooks,
    set_threshold, settle_startup, take_garbage, track, untrack, ExtraHooks, Hooks, DEBUG_COLLECTABLE, DEBUG_LEAK,
    DEBUG_SAVEALL, DEBUG_STATS, DEBUG_UNCOLLECTABLE, NUM_GENERATIONS,
};
pub use query::{
    freeze, generation_sizes, get_freeze_count, get_objects, get_referents, get_referrers, unfreeze,
};
pub use stats::{
    get_stats, immortal_objects, kind_count, kind_counts, kind_name, last_collection, live_objects, CollectionReport, GenStats,
    KindCount, MAX_KINDS,
};
pub use teardown::{release_thread_heap, Released};
pub use trace::{vtable_of, FreeList, Obj, Trace, TraceFn, Untrack, VTable, VTableOf, FREELIST_CLASSES};
pub use value::Value;
pub use weakaddr::WeakAddr;
