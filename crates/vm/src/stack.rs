//! The native-stack guard. Python-to-Python calls never recurse on the Rust stack, but
//! some paths do: resuming a generator runs its frame in a nested interpreter run, and
//! native code calls back into Python (sort keys, `__eq__` in dict lookups, `__repr__`,
//! ...). With a raised recursion limit those chains could exhaust the thread's stack;
//! instead, once the stack in use passes the budget, they raise RecursionError as CPython
//! 3.12's C-stack check does.

use std::cell::Cell;

thread_local! {
    /// The lowest stack address nested runs may reach (the stack grows down); 0 means
    /// no budget was set on this thread.
    static LIMIT: Cell<usize> = const { Cell::new(0) };
}

/// An address inside the current stack frame (a local's address; never dereferenced).
#[inline(always)]
fn stack_pointer() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// Allow nested runs to use `budget` bytes of stack below the caller's frame. The CLI
/// calls this at the top of its interpreter thread with most of that thread's size.
pub fn set_budget(budget: usize) {
    let sp = stack_pointer();
    LIMIT.with(|l| l.set(sp.saturating_sub(budget)));
}

/// Whether the current thread has used up its stack budget.
#[inline]
pub fn exhausted() -> bool {
    let limit = LIMIT.with(|l| l.get());
    limit != 0 && stack_pointer() < limit
}
