//! Blocks for small objects, as CPython's pymalloc hands them out: objects of up to 128
//! bytes (header and GC links included: floats, strs, big ints, lists, tuples, dicts,
//! instances, ...) get exact-size blocks instead of malloc chunks (a float is 24 bytes,
//! not 32), and a block freed in a loop is the next one handed out.
//!
//! Memory comes in 256 KiB arenas, cut into 16 KiB pools. A pool serves one size class
//! at a time: a small header, then blocks carved in order, with freed blocks threaded
//! into the pool's free list through their first word. Each size class keeps a list of
//! its pools that have room; a pool whose last block is freed goes to a shared list of
//! empty pools that any size class can take. So after a program drops 100,000 lists and
//! builds 100,000 dicts, the dicts reuse the lists' pages, as with malloc. (Arenas are
//! kept for the life of the heap; CPython returns wholly empty arenas.)
//!
//! `PYVM_MALLOC=malloc` (CPython's `PYTHONMALLOC=malloc`) bypasses all of this: every
//! object is its own malloc block, freed when the object dies, so that AddressSanitizer
//! and valgrind see each one.

use std::alloc::Layout;
use std::cell::Cell;

/// Size classes: blocks of 8, 16, ..., 128 bytes (class `c` holds `8 * c` bytes).
pub(crate) const SMALL_CLASSES: usize = 17;
const POOL_SIZE: usize = 16 * 1024;
const ARENA_SIZE: usize = 256 * 1024;
/// Bytes at the start of a pool taken by its header (a multiple of 8).
const POOL_HEADER: usize = std::mem::size_of::<PoolHeader>();

/// The size class of an object of this layout, if it is small.
#[inline]
pub(crate) fn small_class(size: usize, align: usize) -> Option<usize> {
    (align <= 8 && size % 8 == 0 && size / 8 < SMALL_CLASSES).then_some(size / 8)
}

/// At the start of every pool.
#[repr(C)]
struct PoolHeader {
    /// First free block (0: none); a free block's first word is the next one.
    free: usize,
    /// Offset of the first never-used block.
    fresh: usize,
    /// Blocks handed out and not yet freed.
    used: usize,
    /// Block size in bytes (the size class times 8).
    size: usize,
    /// Neighbours in the size class's list of pools with room (0: none), or in the
    /// list of empty pools (`next` only).
    prev: usize,
    next: usize,
}

/// Blocks per size class kept on the class's hot list (see `SmallBlocks::hot`).
const HOT_MAX: u32 = 64;

pub(crate) struct SmallBlocks {
    /// Per size class: the last blocks freed, threaded through their first word (0:
    /// none), handed out again first (CPython's float and tuple free lists, for every
    /// small object): a float that dies in a loop and the next one born skip the pool
    /// bookkeeping. At most `HOT_MAX` per class; their pools count them as in use.
    hot: [Cell<usize>; SMALL_CLASSES],
    hot_len: [Cell<u32>; SMALL_CLASSES],
    /// Per size class: the first pool with room (0: none).
    usable: [Cell<usize>; SMALL_CLASSES],
    /// Empty pools, ready for any size class.
    empty: Cell<usize>,
    /// The not yet used rest of the newest arena: `[next, end)`, pool-aligned.
    next: Cell<usize>,
    end: Cell<usize>,
    /// `PYVM_MALLOC=malloc`: one malloc block per object.
    system: bool,
    /// The arenas allocated (their addresses), for `release_all`.
    arenas: std::cell::RefCell<Vec<usize>>,
}

impl SmallBlocks {
    pub(crate) fn new() -> SmallBlocks {
        SmallBlocks {
            hot: Default::default(),
            hot_len: Default::default(),
            usable: Default::default(),
            empty: Cell::new(0),
            next: Cell::new(0),
            end: Cell::new(0),
            system: std::env::var_os("PYVM_MALLOC").is_some_and(|v| v == "malloc"),
            arenas: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// A block of class `c` (`8 * c` bytes, 8-aligned), or null when memory is exhausted.
    #[inline]
    pub(crate) fn take(&self, c: usize) -> *mut u8 {
        if self.system {
            // SAFETY: non-zero size (a block holds at least an object header).
            return unsafe { std::alloc::alloc(Layout::from_size_align_unchecked(8 * c, 8)) };
        }
        let b = self.hot[c].get();
        if b != 0 {
            // SAFETY: a block on the hot list is unused; its first word is the next one.
            self.hot[c].set(unsafe { (b as *const usize).read() });
            self.hot_len[c].set(self.hot_len[c].get() - 1);
            return b as *mut u8;
        }
        let mut p = self.usable[c].get();
        if p == 0 {
            p = self.new_pool(c);
            if p == 0 {
                return std::ptr::null_mut();
            }
        }
        // SAFETY: `p` is a live pool of class `c` with room (it is on `usable[c]`).
        let pool = unsafe { &mut *(p as *mut PoolHeader) };
        let b = if pool.free != 0 {
            let b = pool.free;
            // SAFETY: `b` is a free block of this pool; its first word is the next one.
            pool.free = unsafe { (b as *const usize).read() };
            b
        } else {
            let b = p + pool.fresh;
            pool.fresh += pool.size;
            b
        };
        pool.used += 1;
        if pool.free == 0 && pool.fresh + pool.size > POOL_SIZE {
            // Full: off the list of pools with room.
            // SAFETY: `pool` is on `usable[c]`.
            unsafe { self.unlink(c, pool) };
        }
        b as *mut u8
    }

    /// Return block `b` of class `c`.
    ///
    /// # Safety
    /// `b` came from `take(c)` and nothing uses it any more.
    #[inline]
    pub(crate) unsafe fn give(&self, c: usize, b: *mut u8) {
        if self.system {
            // SAFETY: in system mode every block is its own malloc allocation.
            unsafe { std::alloc::dealloc(b, Layout::from_size_align_unchecked(8 * c, 8)) };
            return;
        }
        let n = self.hot_len[c].get();
        if n < HOT_MAX {
            // SAFETY: the block is at least 8 bytes, 8-aligned, and unused.
            unsafe { (b as *mut usize).write(self.hot[c].get()) };
            self.hot[c].set(b as usize);
            self.hot_len[c].set(n + 1);
            return;
        }
        let p = b as usize & !(POOL_SIZE - 1);
        // SAFETY: blocks live inside their pool, which starts at a POOL_SIZE boundary
        // with its header.
        let pool = unsafe { &mut *(p as *mut PoolHeader) };
        let was_full = pool.free == 0 && pool.fresh + pool.size > POOL_SIZE;
        // SAFETY: the block is at least 8 bytes, 8-aligned, and unused.
        unsafe { (b as *mut usize).write(pool.free) };
        pool.free = b as usize;
        pool.used -= 1;
        if pool.used == 0 {
            if !was_full {
                // SAFETY: a pool with room is on `usable[c]`.
                unsafe { self.unlink(c, pool) };
            }
            pool.next = self.empty.get();
            self.empty.set(p);
        } else if was_full {
            // SAFETY: a full pool is on no list.
            unsafe { self.link(c, pool) };
        }
    }

    /// Give every arena back to the system and start again empty; returns how many
    /// arenas there were. (CPython frees each arena once it is empty; this allocator
    /// keeps them while the heap lives and returns them all when a thread's heap is
    /// torn down.)
    ///
    /// # Safety
    /// No block handed out by `take` is still in use.
    pub(crate) unsafe fn release_all(&self) -> usize {
        let arenas = std::mem::take(&mut *self.arenas.borrow_mut());
        for &a in &arenas {
            // SAFETY: `a` came from `alloc` with this layout in `new_pool`, and (the
            // caller's promise) none of its blocks is in use.
            unsafe { std::alloc::dealloc(a as *mut u8, Layout::from_size_align_unchecked(ARENA_SIZE, POOL_SIZE)) };
        }
        for u in &self.usable {
            u.set(0);
        }
        for (h, n) in self.hot.iter().zip(&self.hot_len) {
            h.set(0);
            n.set(0);
        }
        self.empty.set(0);
        self.next.set(0);
        self.end.set(0);
        arenas.len()
    }

    /// A fresh pool for class `c`, already on `usable[c]` (0: out of memory).
    #[cold]
    fn new_pool(&self, c: usize) -> usize {
        let p = match self.empty.get() {
            0 => {
                if self.next.get() == self.end.get() {
                    // SAFETY: non-zero size; the alignment is a power of two.
                    let arena = unsafe { std::alloc::alloc(Layout::from_size_align_unchecked(ARENA_SIZE, POOL_SIZE)) };
                    if arena.is_null() {
                        return 0;
                    }
                    self.arenas.borrow_mut().push(arena as usize);
                    self.next.set(arena as usize);
                    self.end.set(arena as usize + ARENA_SIZE);
                }
                let p = self.next.get();
                self.next.set(p + POOL_SIZE);
                p
            }
            p => {
                // SAFETY: pools on the empty list are unused but for their header.
                self.empty.set(unsafe { (*(p as *const PoolHeader)).next });
                p
            }
        };
        // SAFETY: `p` is POOL_SIZE bytes of memory owned by this allocator and unused.
        let pool = unsafe { &mut *(p as *mut PoolHeader) };
        *pool = PoolHeader { free: 0, fresh: POOL_HEADER, used: 0, size: 8 * c, prev: 0, next: 0 };
        // SAFETY: a new pool is on no list.
        unsafe { self.link(c, pool) };
        p
    }

    /// Put `pool` at the front of `usable[c]`.
    ///
    /// # Safety
    /// `pool` is a live pool of class `c` on no list.
    unsafe fn link(&self, c: usize, pool: &mut PoolHeader) {
        let head = self.usable[c].get();
        pool.prev = 0;
        pool.next = head;
        if head != 0 {
            // SAFETY: pools on the list are live.
            unsafe { (*(head as *mut PoolHeader)).prev = pool as *mut PoolHeader as usize };
        }
        self.usable[c].set(pool as *mut PoolHeader as usize);
    }

    /// Take `pool` off `usable[c]`.
    ///
    /// # Safety
    /// `pool` is on `usable[c]`.
    unsafe fn unlink(&self, c: usize, pool: &mut PoolHeader) {
        if pool.prev == 0 {
            self.usable[c].set(pool.next);
        } else {
            // SAFETY: list neighbours are live pools.
            unsafe { (*(pool.prev as *mut PoolHeader)).next = pool.next };
        }
        if pool.next != 0 {
            // SAFETY: as above.
            unsafe { (*(pool.next as *mut PoolHeader)).prev = pool.prev };
        }
        pool.prev = 0;
        pool.next = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pools() -> SmallBlocks {
        SmallBlocks { system: false, ..SmallBlocks::new() }
    }

    #[test]
    fn blocks_are_distinct_aligned_and_recycled_last_in_first_out() {
        let sb = pools();
        let blocks: Vec<usize> = (0..5000).map(|_| sb.take(3) as usize).collect();
        let mut sorted = blocks.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), blocks.len());
        assert!(sorted.windows(2).all(|w| w[1] - w[0] >= 24));
        assert!(blocks.iter().all(|b| b % 8 == 0 && b % POOL_SIZE >= POOL_HEADER));
        // SAFETY: each block came from take(3) and is given back once.
        unsafe { sb.give(3, blocks[17] as *mut u8) };
        assert_eq!(sb.take(3) as usize, blocks[17]);
        for &b in &blocks {
            // SAFETY: as above.
            unsafe { sb.give(3, b as *mut u8) };
        }
    }

    #[test]
    fn empty_pools_serve_other_size_classes() {
        let sb = pools();
        let lists: Vec<usize> = (0..100_000).map(|_| sb.take(9) as usize).collect();
        let arenas = sb.arenas.borrow().len();
        for &b in &lists {
            // SAFETY: each block came from take(9) and is given back once.
            unsafe { sb.give(9, b as *mut u8) };
        }
        // The same bytes in a larger class fit in the pools just emptied.
        let dicts: Vec<usize> = (0..60_000).map(|_| sb.take(13) as usize).collect();
        assert_eq!(sb.arenas.borrow().len(), arenas, "emptied pools were not reused");
        for &b in &dicts {
            // SAFETY: as above.
            unsafe { sb.give(13, b as *mut u8) };
        }
    }
}
