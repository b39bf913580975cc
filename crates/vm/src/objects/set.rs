//! `set` and `frozenset` payload: CPython's open-addressing table (linear probes, then
//! perturbation), so that iteration order — and therefore `print({3, 1, 2})` — matches
//! CPython exactly.

use super::kind;
use pyvm_gc::{Trace, Value};
use std::cell::RefCell;

const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;
const MIN_SIZE: usize = 8;

/// One table entry, laid out as CPython's `setentry` (16 bytes): a full slot has a key;
/// an unused one has no key and hash 0, a dummy (a deleted key, which must not break
/// probe chains) no key and hash -1 -- a hash no key has, so probing compares hashes
/// first and never mistakes a dummy for a match.
#[derive(Clone)]
pub struct Slot {
    pub hash: i64,
    pub key: Option<Value>,
}

impl Slot {
    pub const EMPTY: Slot = Slot { hash: 0, key: None };
    const DUMMY_HASH: i64 = -1;

    #[inline]
    fn is_empty(&self) -> bool {
        self.key.is_none() && self.hash == 0
    }
}

pub struct SetTable {
    pub slots: Vec<Slot>,
    /// Full + dummy slots.
    pub fill: usize,
    /// Full slots.
    pub used: usize,
    pub version: u64,
}

impl Default for SetTable {
    fn default() -> Self {
        SetTable { slots: vec![Slot::EMPTY; MIN_SIZE], fill: 0, used: 0, version: 0 }
    }
}

/// Result of probing for a key: either its slot, or where it would be inserted, plus the
/// slots holding equal-hash keys that need a Python-level comparison.
pub enum Probe {
    Found(usize),
    Vacant(usize),
    /// A slot with the same hash but a different object: the caller must compare.
    Compare(usize),
}

/// The verdict on a slot whose hash matches: the key itself, or equal by the fast
/// check (found), or a Python comparison the caller must make; None: go on probing.
#[inline(always)]
fn match_key(slot_key: &Value, idx: usize, key: &Value, rejected: &[usize], fast_eq: &dyn Fn(&Value, &Value) -> Option<bool>) -> Option<Probe> {
    if slot_key.ptr_eq(key) {
        return Some(Probe::Found(idx));
    }
    if rejected.contains(&idx) {
        return None;
    }
    match fast_eq(slot_key, key) {
        Some(true) => Some(Probe::Found(idx)),
        Some(false) => None,
        None => Some(Probe::Compare(idx)),
    }
}

impl SetTable {
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Probe for `hash`, skipping equal-hash slots the caller already compared and
    /// rejected (`rejected`). Absent keys yield the slot an insertion would use: the last
    /// dummy passed on the way to an unused slot, else that unused slot (CPython's
    /// `freeslot` in set_add_entry, which decides iteration order).
    pub fn probe(&self, hash: i64, key: &Value, rejected: &[usize], fast_eq: &dyn Fn(&Value, &Value) -> Option<bool>) -> Probe {
        let mask = self.mask();
        let slots = &self.slots[..];
        let mut perturb = hash as u64 as usize;
        let mut i = (hash as u64 as usize) & mask;
        let mut freeslot = None;
        loop {
            // CPython scans LINEAR_PROBES neighbours only when they do not wrap around.
            let last = if i + LINEAR_PROBES <= mask { i + LINEAR_PROBES } else { i };
            // An index walk (not an enumerated slice iterator): small tables, the common
            // case, visit one slot per perturbation step and paid the iterator's set-up
            // for each.
            let mut idx = i;
            loop {
                let slot = &slots[idx];
                // Hashes first (one load): no key hashes to -1, so a match is a full slot
                // or, for hash 0, the unused slot ending the chain.
                if slot.hash == hash {
                    let Some(k) = &slot.key else {
                        return Probe::Vacant(freeslot.unwrap_or(idx));
                    };
                    if let Some(p) = match_key(k, idx, key, rejected, fast_eq) {
                        return p;
                    }
                } else if slot.hash == 0 {
                    if slot.key.is_none() {
                        return Probe::Vacant(freeslot.unwrap_or(idx));
                    }
                } else if slot.hash == Slot::DUMMY_HASH {
                    freeslot = Some(idx);
                }
                if idx == last {
                    break;
                }
                idx += 1;
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        }
    }

    /// `probe` for a lookup that will not insert (membership, removal): CPython's
    /// set_lookkey, which need not remember the dummies it passes. `Vacant` then
    /// means only "absent" (its index is meaningless).
    pub fn find(&self, hash: i64, key: &Value, rejected: &[usize], fast_eq: &dyn Fn(&Value, &Value) -> Option<bool>) -> Probe {
        let mask = self.mask();
        let slots = &self.slots[..];
        let mut perturb = hash as u64 as usize;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let last = if i + LINEAR_PROBES <= mask { i + LINEAR_PROBES } else { i };
            for (k, slot) in slots[i..=last].iter().enumerate() {
                if slot.hash == hash {
                    let Some(sk) = &slot.key else { return Probe::Vacant(usize::MAX) };
                    if let Some(p) = match_key(sk, i + k, key, rejected, fast_eq) {
                        return p;
                    }
                } else if slot.hash == 0 && slot.key.is_none() {
                    return Probe::Vacant(usize::MAX);
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        }
    }

    /// Insert into a vacant slot found by `probe` (an unused slot or a dummy).
    pub fn insert_at(&mut self, idx: usize, hash: i64, key: Value) {
        let fresh = self.slots[idx].is_empty();
        self.fill += fresh as usize;
        self.slots[idx] = Slot { hash, key: Some(key) };
        self.used += 1;
        self.version += 1;
        if fresh && self.fill * 5 >= self.mask() * 3 {
            let minused = if self.used > 50000 { self.used * 2 } else { self.used * 4 };
            self.resize(minused);
        }
    }

    pub fn remove_at(&mut self, idx: usize) -> Option<Value> {
        let key = self.slots[idx].key.take()?;
        self.slots[idx].hash = Slot::DUMMY_HASH;
        self.used -= 1;
        self.version += 1;
        Some(key)
    }

    fn resize(&mut self, minused: usize) {
        let mut newsize = MIN_SIZE;
        while newsize <= minused {
            newsize <<= 1;
        }
        let old = std::mem::replace(&mut self.slots, vec![Slot::EMPTY; newsize]);
        self.fill = 0;
        self.used = 0;
        for s in old {
            if let Slot { hash, key: Some(key) } = s {
                // Re-insertion never meets equal keys: probe for the first empty slot.
                let mask = self.mask();
                let mut perturb = hash as u64 as usize;
                let mut i = (hash as u64 as usize) & mask;
                'outer: loop {
                    let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
                    for idx in i..=i + probes {
                        if self.slots[idx].is_empty() {
                            self.slots[idx] = Slot { hash, key: Some(key) };
                            self.fill += 1;
                            self.used += 1;
                            break 'outer;
                        }
                    }
                    perturb >>= PERTURB_SHIFT;
                    i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
                }
            }
        }
    }

    /// The keys with their stored hashes, in iteration order (set algebra re-inserts
    /// them without hashing again, as CPython's set_add_entry does).
    pub fn entries(&self) -> Vec<(i64, Value)> {
        self.slots.iter().filter_map(|s| s.key.as_ref().map(|k| (s.hash, k.clone()))).collect()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Value> {
        self.slots.iter().filter_map(|s| s.key.as_ref())
    }
    pub fn clear(&mut self) -> Vec<Slot> {
        self.fill = 0;
        self.used = 0;
        self.version += 1;
        std::mem::replace(&mut self.slots, vec![Slot::EMPTY; MIN_SIZE])
    }
    pub fn next_from(&self, mut pos: usize) -> Option<(usize, &Value)> {
        while pos < self.slots.len() {
            if let Some(key) = &self.slots[pos].key {
                return Some((pos, key));
            }
            pos += 1;
        }
        None
    }
}

pub struct Set {
    pub table: RefCell<SetTable>,
    pub frozen: bool,
}

impl Set {
    pub fn new(frozen: bool) -> Set {
        Set { table: RefCell::new(SetTable::default()), frozen }
    }
    pub fn len(&self) -> usize {
        self.table.borrow().used
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn items(&self) -> Vec<Value> {
        self.table.borrow().iter().cloned().collect()
    }
}

// SAFETY: visits every element; clear empties the table.
unsafe impl Trace for Set {
    const KIND: u32 = kind::SET;
    const NAME: &'static str = "set";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        if let Ok(t) = self.table.try_borrow() {
            for v in t.iter() {
                visit(v);
            }
        }
    }
    fn clear(&self) {
        let old = self.table.borrow_mut().clear();
        drop(old);
    }
}
