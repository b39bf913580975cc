//! PEP 442 in the collector: run the finalizers of unreachable objects (`finalize_garbage`), then find which of them were resurrected (`handle_resurrected_objects`).

use crate::collect::deduce_unreachable;
use crate::header::{header_of, GcFlags};
use crate::list::{self, GcList};
use crate::value::Value;

/// Call the finalizer of every object of `unreachable` that has one and has not been
/// finalized yet, in list order (the `__del__` order tests observe).
///
/// Finalizers run Python code, which may free objects of the list by refcount, resurrect
/// them, allocate or even call `collect()` (which returns 0). So, as CPython does, always
/// take the *first* object of `unreachable` and move it to a private `seen` list before
/// calling its finalizer; objects that vanish from either list are simply gone. At the
/// end `seen` (the survivors, in order) becomes `unreachable` again.
///
/// Returns how many finalizers ran (if none did, nothing can have been resurrected).
pub(crate) fn finalize_garbage(unreachable: &GcList, finalize: &mut dyn FnMut(crate::collect::GcWork<'_>)) -> usize {
    let seen = GcList::new();
    let mut ran = 0;
    while let Some(l) = unreachable.first() {
        // SAFETY: `l` is a live member of `unreachable`; `seen` is a live sentinel.
        let h = unsafe {
            list::move_to(l, seen.head());
            header_of(l)
        };
        // SAFETY: `h` is live (a member of a list); `l` its links.
        let (links, vt) = unsafe { (&*l, (*h).vtable()) };
        // SAFETY: `h` is a live object of vtable `vt`.
        if !links.has(GcFlags::FINALIZED) && unsafe { (vt.has_finalizer)(h) } {
            links.set(GcFlags::FINALIZED, true);
            // SAFETY: `h` is live; the new reference is released below, which may free it.
            let obj = unsafe { Value::from_borrowed_raw(h as usize) };
            finalize(crate::collect::GcWork::Finalize(&obj));
            drop(obj);
            ran += 1;
        }
    }
    seen.merge_into(unreachable);
    ran
}

/// After the finalizers: run the reachability analysis again on the unreachable set
/// alone. Whatever a finalizer made reachable from outside the set (resurrected), and
/// everything reachable from it, goes to `old`; the rest is moved to `still_unreachable`
/// (COLLECTING stays set on those: they are about to be cleared). Since 3.9 one
/// resurrection no longer saves the rest of the garbage.
///
/// Returns the number of resurrected objects.
pub(crate) fn handle_resurrected_objects(
    unreachable: &GcList,
    still_unreachable: &GcList,
    old: &GcList,
) -> usize {
    // deduce_unreachable expects members without COLLECTING.
    unreachable.set_flag_all(GcFlags::COLLECTING, false);
    deduce_unreachable(unreachable, still_unreachable);
    still_unreachable.set_flag_all(GcFlags::UNREACHABLE, false);
    // What remains in `unreachable` is resurrected (COLLECTING already cleared by
    // move_unreachable).
    let n = unreachable.len();
    unreachable.merge_into(old);
    n
}
