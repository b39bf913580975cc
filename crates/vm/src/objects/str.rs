//! `str` payload: UTF-8 text with a cached hash and character count.

use super::kind;
use pyvm_gc::Trace;
use std::cell::Cell;

pub struct Str {
    pub s: Box<str>,
    /// Number of characters (code points); equals the byte length for ASCII text.
    pub nchars: usize,
    hash: Cell<i64>,
}

// SAFETY: str holds no references.
unsafe impl Trace for Str {
    const KIND: u32 = kind::STR;
    const NAME: &'static str = "str";
    const CONTAINER: bool = false;
}

impl Str {
    pub fn new(s: impl Into<Box<str>>) -> Str {
        let s: Box<str> = s.into();
        let nchars = if s.is_ascii() { s.len() } else { s.chars().count() };
        Str { s, nchars, hash: Cell::new(-1) }
    }
    pub fn is_ascii(&self) -> bool {
        self.nchars == self.s.len()
    }
    pub fn as_str(&self) -> &str {
        &self.s
    }
    /// A deterministic string hash (FNV-1a folded into CPython's hash range).
    /// CPython randomizes str hashes per process, so no program can depend on them.
    pub fn hash(&self) -> i64 {
        let h = self.hash.get();
        if h != -1 {
            return h;
        }
        let mut x: u64 = 0xcbf29ce484222325;
        for b in self.s.bytes() {
            x ^= b as u64;
            x = x.wrapping_mul(0x100000001b3);
        }
        let mut h = (x >> 1) as i64;
        if h == -1 {
            h = -2;
        }
        self.hash.set(h);
        h
    }
    /// The character at character index `i` (caller checked bounds).
    pub fn char_at(&self, i: usize) -> char {
        if self.is_ascii() {
            self.s.as_bytes()[i] as char
        } else {
            self.s.chars().nth(i).unwrap_or('\0')
        }
    }
    /// Byte offset of character index `i` (clamped to the end).
    pub fn byte_offset(&self, i: usize) -> usize {
        if self.is_ascii() {
            i.min(self.s.len())
        } else {
            self.s.char_indices().nth(i).map_or(self.s.len(), |(b, _)| b)
        }
    }
    /// Substring by character indices `[start, end)`.
    pub fn slice_chars(&self, start: usize, end: usize) -> &str {
        if end <= start {
            return "";
        }
        let a = self.byte_offset(start);
        let b = self.byte_offset(end);
        &self.s[a..b]
    }
}
