//! Heap queries and generation moves behind the Python `gc` module: `get_objects`, `get_referents`, `get_referrers`, `freeze`/`unfreeze`.

use crate::header::{header_of, GcFlags, Header};
use crate::heap::{heap, NUM_GENERATIONS};
use crate::list::GcList;
use crate::value::Value;

/// Strong references to the members of `list`, front to back.
fn values_of(list: &GcList, out: &mut Vec<Value>) {
    for l in list.members() {
        // SAFETY: members are live; creating references (increfs) frees nothing.
        out.push(unsafe { Value::from_borrowed_raw(header_of(l) as usize) });
    }
}

/// `gc.get_objects(generation)`: the tracked objects of one generation, or of all three
/// (`None`), in generation then list order. Frozen objects are not included.
///
/// Panics if `generation >= 3` (the VM raises its `ValueError` first).
pub fn get_objects(generation: Option<usize>) -> Vec<Value> {
    let heap = heap();
    let mut out = Vec::new();
    match generation {
        Some(g) => {
            assert!(
                g < NUM_GENERATIONS,
                "generation parameter must be less than the number of available generations (3)"
            );
            values_of(&heap.gens[g], &mut out);
        }
        None => {
            for g in &heap.gens {
                values_of(g, &mut out);
            }
        }
    }
    out
}

/// `gc.get_referents(obj)`: what `obj`'s `trace` visits, in that order (`[]` for atomic
/// objects and small ints).
pub fn get_referents(obj: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(h) = obj.header() {
        if h.is_container() {
            let mut visit = |v: &Value| out.push(v.clone());
            // SAFETY: `obj` keeps the object alive; `visit` only increfs.
            unsafe { (h.vtable().trace)(h, &mut visit) };
        }
    }
    out
}

/// `gc.get_referrers(*objs)`: every object of generations 0–2 whose `trace` visits one of
/// `targets` (by identity), each once, in generation order. Misses untracked and frozen
/// objects, as CPython does. O(heap).
pub fn get_referrers(targets: &[Value]) -> Vec<Value> {
    let heap = heap();
    let mut out = Vec::new();
    for g in &heap.gens {
        for l in g.members() {
            // SAFETY: members are live; tracing frees nothing.
            let h: *const Header = unsafe { header_of(l) };
            let mut found = false;
            let mut visit = |v: &Value| {
                if !found && targets.iter().any(|t| t.ptr_eq(v)) {
                    found = true;
                }
            };
            // SAFETY: as above.
            unsafe { ((*h).vtable().trace)(h, &mut visit) };
            if found {
                // SAFETY: live member.
                out.push(unsafe { Value::from_borrowed_raw(h as usize) });
            }
        }
    }
    out
}

/// `gc.freeze()`: move every tracked object to the permanent generation, where
/// collections never look (fork-friendly: `collect(); freeze()` before forking), and
/// reset all counts.
pub fn freeze() {
    let heap = heap();
    for g in &heap.gens {
        g.set_flag_all(GcFlags::FROZEN, true);
        g.merge_into(&heap.permanent);
    }
    for c in &heap.counts {
        c.set(0);
    }
}

/// `gc.unfreeze()`: move the permanent generation back into the oldest generation.
pub fn unfreeze() {
    let heap = heap();
    heap.permanent.set_flag_all(GcFlags::FROZEN, false);
    heap.permanent.merge_into(&heap.gens[NUM_GENERATIONS - 1]);
}

/// `gc.get_freeze_count()`: number of objects in the permanent generation.
pub fn get_freeze_count() -> usize {
    heap().permanent.len()
}

/// Number of objects in each generation (O(n); for diagnostics and tests).
pub fn generation_sizes() -> [usize; NUM_GENERATIONS] {
    let heap = heap();
    [heap.gens[0].len(), heap.gens[1].len(), heap.gens[2].len()]
}
