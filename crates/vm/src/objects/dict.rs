//! `dict` payload: an insertion-ordered entry vector indexed by a hashbrown table of
//! entry positions (CPython's compact dict layout); a small dict (at most
//! `SMALL_DICT` entries) has no index and is searched by comparing stored hashes in
//! entry order, which saves the index allocation that most dicts -- keyword arguments,
//! small records -- would otherwise carry. Key comparison may run Python
//! `__eq__`, so lookups collect candidate positions first and compare with no borrow
//! held; see `ops::dictops` for the VM-level operations.

use super::kind;
use hashbrown::HashTable;
use pyvm_gc::{Trace, Value};
use std::cell::RefCell;

pub struct Entry {
    pub hash: i64,
    pub key: Value,
    pub value: Value,
}

/// The most entries (live or deleted) a dict keeps without a hash index.
const SMALL_DICT: usize = 8;

#[derive(Default)]
pub struct DictTable {
    /// Entry positions by hash; none while the dict is small (boxed: an empty dict
    /// pays one word for it).
    index: Option<Box<HashTable<usize>>>,
    pub entries: Vec<Option<Entry>>,
    pub used: usize,
    /// Changed on every insertion/removal (never on a value update), to detect mutation
    /// during iteration and to validate the global-name caches. Versions come from one
    /// process-wide counter, so two states of two dicts never share a non-zero version.
    pub version: u64,
    /// The dict of a type: any change to it invalidates the type attribute cache.
    pub watched: bool,
}

thread_local! {
    static TYPE_EPOCH: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

/// The current type epoch: it changes whenever any type's dict, MRO or identity
/// changes, which invalidates every entry of the VM's type attribute cache at once
/// (a coarser version of CPython's per-type `tp_version_tag`).
#[inline]
pub fn type_epoch() -> u64 {
    TYPE_EPOCH.with(|c| c.get())
}

/// Invalidate the type attribute cache.
pub fn bump_type_epoch() {
    TYPE_EPOCH.with(|c| c.set(c.get() + 1));
}

thread_local! {
    static NEXT_VERSION: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

/// A version no dict state has had before.
fn next_version() -> u64 {
    NEXT_VERSION.with(|c| {
        let v = c.get();
        c.set(v + 1);
        v
    })
}

impl DictTable {
    /// The position of the entry with this hash whose entry satisfies `eq`, searching
    /// in index order (a small dict: entry order).
    #[inline]
    fn lookup(&self, hash: i64, mut eq: impl FnMut(&Entry) -> bool) -> Option<usize> {
        let entries = &self.entries;
        match &self.index {
            None => entries.iter().position(|e| matches!(e, Some(e) if e.hash == hash && eq(e))),
            Some(ix) => ix.find(hash as u64, |&i| matches!(&entries[i], Some(e) if e.hash == hash && eq(e))).copied(),
        }
    }

    /// Entry positions whose hash matches (candidates for key equality).
    pub fn candidates(&self, hash: i64) -> Vec<usize> {
        let mut out = Vec::new();
        match &self.index {
            None => out.extend(self.entries.iter().enumerate().filter(|(_, e)| matches!(e, Some(e) if e.hash == hash)).map(|(i, _)| i)),
            Some(ix) => {
                let _ = ix.find(hash as u64, |&i| {
                    if let Some(Some(e)) = self.entries.get(i) {
                        if e.hash == hash {
                            out.push(i);
                        }
                    }
                    false
                });
            }
        }
        out
    }

    /// Index every live entry (the dict outgrew `SMALL_DICT`).
    fn build_index(&mut self) {
        let mut ix = HashTable::with_capacity(self.entries.len());
        for (i, e) in self.entries.iter().enumerate() {
            if let Some(e) = e {
                ix.insert_unique(e.hash as u64, i, |&j| self.entries[j].as_ref().map_or(0, |e| e.hash as u64));
            }
        }
        self.index = Some(Box::new(ix));
    }

    /// The value at entry `pos` if that entry's key is `key` itself (a cached position
    /// stays right as long as the entry holds the same key object).
    #[inline]
    pub fn value_at_if_key(&self, pos: usize, key: &Value) -> Option<&Value> {
        match self.entries.get(pos) {
            Some(Some(e)) if e.key.ptr_eq(key) => Some(&e.value),
            _ => None,
        }
    }
    /// The position of the entry whose key is an exact `str` equal to `text`.
    pub fn find_str(&self, hash: i64, text: &str) -> Option<usize> {
        self.lookup(hash, |e| e.key.downcast_ref::<super::Str>().is_some_and(|k| &*k.s == text))
    }
    /// The entry with this hash whose key satisfies `matches` (probing stops there).
    #[inline]
    pub fn find_matching(&self, hash: i64, mut matches: impl FnMut(&Value) -> bool) -> Option<usize> {
        self.lookup(hash, |e| matches(&e.key))
    }
    /// Fast path: a candidate whose key is the identical object.
    pub fn find_identical(&self, hash: i64, key: &Value) -> Option<usize> {
        self.lookup(hash, |e| e.key.ptr_eq(key))
    }
    pub fn insert_new(&mut self, hash: i64, key: Value, value: Value) {
        let pos = self.entries.len();
        self.entries.push(Some(Entry { hash, key, value }));
        let entries = &self.entries;
        match &mut self.index {
            Some(ix) => {
                ix.insert_unique(hash as u64, pos, |&i| entries[i].as_ref().map_or(0, |e| e.hash as u64));
            }
            None if entries.len() > SMALL_DICT => self.build_index(),
            None => {}
        }
        self.used += 1;
        self.version = next_version();
        if self.watched {
            bump_type_epoch();
        }
    }
    /// Remove the entry at `pos`, returning it.
    pub fn remove_at(&mut self, pos: usize) -> Option<Entry> {
        let e = self.entries.get_mut(pos)?.take()?;
        if let Some(ix) = &mut self.index {
            if let Ok(entry) = ix.find_entry(e.hash as u64, |&i| i == pos) {
                entry.remove();
            }
        }
        self.used -= 1;
        self.version = next_version();
        if self.watched {
            bump_type_epoch();
        }
        // Holes at the end are dropped (positions of the other entries do not change), so
        // repeated popitem() stays O(1), as CPython shrinks its entry array.
        while self.entries.last().is_some_and(|e| e.is_none()) {
            self.entries.pop();
        }
        if self.entries.len() > 16 && self.used * 2 < self.entries.len() {
            self.compact();
        }
        Some(e)
    }
    fn compact(&mut self) {
        let old = std::mem::take(&mut self.entries);
        self.index = None;
        self.used = 0;
        for e in old.into_iter().flatten() {
            self.insert_new(e.hash, e.key, e.value);
        }
    }
    pub fn clear(&mut self) -> Vec<Option<Entry>> {
        self.index = None;
        self.used = 0;
        self.version = next_version();
        if self.watched {
            bump_type_epoch();
        }
        std::mem::take(&mut self.entries)
    }
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().flatten()
    }
    /// The n-th live entry position at or after `pos` (for iterators).
    pub fn next_from(&self, mut pos: usize) -> Option<(usize, &Entry)> {
        while pos < self.entries.len() {
            if let Some(e) = &self.entries[pos] {
                return Some((pos, e));
            }
            pos += 1;
        }
        None
    }
}

pub struct Dict {
    pub table: RefCell<DictTable>,
}

impl Dict {
    pub fn new() -> Dict {
        Dict { table: RefCell::new(DictTable::default()) }
    }
    /// An empty dict with room for `n` entries (a display or keyword arguments of known
    /// size, as CPython's `_PyDict_NewPresized`): a one-entry dict then holds one entry's
    /// worth of memory, not `Vec`'s minimum of four.
    pub fn with_capacity(n: usize) -> Dict {
        Dict { table: RefCell::new(DictTable { entries: Vec::with_capacity(n), ..DictTable::default() }) }
    }
    pub fn len(&self) -> usize {
        self.table.borrow().used
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// (key, value) pairs, cloned, in insertion order.
    pub fn items(&self) -> Vec<(Value, Value)> {
        self.table.borrow().iter().map(|e| (e.key.clone(), e.value.clone())).collect()
    }
    pub fn keys(&self) -> Vec<Value> {
        self.table.borrow().iter().map(|e| e.key.clone()).collect()
    }
    pub fn values(&self) -> Vec<Value> {
        self.table.borrow().iter().map(|e| e.value.clone()).collect()
    }
}

impl Default for Dict {
    fn default() -> Self {
        Dict::new()
    }
}

// SAFETY: visits every key and value; clear drops them all.
unsafe impl Trace for Dict {
    const KIND: u32 = kind::DICT;
    const NAME: &'static str = "dict";
    const CONTAINER: bool = true;
    /// CPython's dict free list (80).
    fn freelist(&self) -> pyvm_gc::FreeList {
        pyvm_gc::FreeList::Class(1)
    }
    /// Dicts of atoms are untracked again only by full collections (CPython issue #14775).
    const UNTRACK: pyvm_gc::Untrack = pyvm_gc::Untrack::FullCollection;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        if let Ok(t) = self.table.try_borrow() {
            // As CPython's dict_traverse: a table whose keys are all exact strs visits the
            // values only; otherwise each value, then its key.
            let unicode_only = t.iter().all(|e| e.key.kind() == Some(kind::STR));
            for e in t.iter() {
                visit(&e.value);
                if !unicode_only {
                    visit(&e.key);
                }
            }
        }
    }
    fn clear(&self) {
        let old = self.table.borrow_mut().clear();
        drop(old);
    }
}
