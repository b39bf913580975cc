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
        let h = str_hash(&self.s);
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

/// CPython's `hash(str)` with hash randomisation off (PYTHONHASHSEED=0): SipHash-1-3
/// with a zero key over the string's canonical storage (one byte per character when
/// all are below 256, else UTF-16 code units when all are below 65536, else UTF-32,
/// little-endian). Equal hashes make set and dict iteration orders match CPython's.
pub fn str_hash(s: &str) -> i64 {
    // ASCII text is its own Latin-1 encoding: hash the bytes in place.
    if s.is_ascii() {
        return bytes_hash(s.as_bytes());
    }
    let max = s.chars().map(|c| c as u32).max().unwrap_or(0);
    let mut data = Vec::with_capacity(s.len() * 2);
    if max < 256 {
        data.extend(s.chars().map(|c| c as u8));
    } else if max < 65536 {
        for c in s.chars() {
            data.extend_from_slice(&(c as u16).to_le_bytes());
        }
    } else {
        for c in s.chars() {
            data.extend_from_slice(&(c as u32).to_le_bytes());
        }
    }
    bytes_hash(&data)
}

/// CPython's `_Py_HashBytes` with a zero key: 0 for empty input, else SipHash-1-3.
pub fn bytes_hash(data: &[u8]) -> i64 {
    if data.is_empty() {
        return 0;
    }
    let h = siphash13(0, 0, data) as i64;
    if h == -1 {
        -2
    } else {
        h
    }
}

/// SipHash-1-3 (one compression round per word, three finalisation rounds).
fn siphash13(k0: u64, k1: u64, data: &[u8]) -> u64 {
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    fn round(v: &mut [u64; 4]) {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    }
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let m = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        v[3] ^= m;
        round(&mut v);
        v[0] ^= m;
    }
    let mut last = [0u8; 8];
    let rest = chunks.remainder();
    last[..rest.len()].copy_from_slice(rest);
    let t = u64::from_le_bytes(last) | ((data.len() as u64) << 56);
    v[3] ^= t;
    round(&mut v);
    v[0] ^= t;
    v[2] ^= 0xff;
    round(&mut v);
    round(&mut v);
    round(&mut v);
    v[0] ^ v[1] ^ v[2] ^ v[3]
}
