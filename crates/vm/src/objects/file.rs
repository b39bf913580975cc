//! File objects returned by `open()`: text (`str`, UTF-8, universal newlines on read)
//! or binary (`bytes`), buffered writes, and -- as in CPython -- flushed and closed
//! when the last reference goes away, so a file freed by refcounting has its data on
//! disk at once.

use super::kind;
use pyvm_gc::Trace;
use std::cell::RefCell;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};

/// The text codecs files support (CPython's names for them are in `Codec::lookup`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    Utf8,
    Latin1,
    Ascii,
}

impl Codec {
    /// The codec for an `encoding=` name, as Python's codec registry normalises it.
    pub fn lookup(name: &str) -> Option<Codec> {
        let n = name.to_ascii_lowercase().replace(['-', ' '], "_");
        match n.as_str() {
            "utf_8" | "utf8" | "u8" | "utf" | "cp65001" => Some(Codec::Utf8),
            "latin_1" | "latin1" | "iso_8859_1" | "iso8859_1" | "8859" | "cp819" | "l1" | "latin" => Some(Codec::Latin1),
            "ascii" | "us_ascii" | "646" => Some(Codec::Ascii),
            _ => None,
        }
    }

    /// Python's canonical name of the codec (used in error messages).
    pub fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Latin1 => "latin-1",
            Codec::Ascii => "ascii",
        }
    }
}

pub struct FileState {
    pub file: Option<File>,
    pub name: String,
    pub mode: String,
    pub binary: bool,
    /// Text files: the encoding as given to `open` (shown by `.encoding` and repr)
    /// and its codec.
    pub encoding: Option<(String, Codec)>,
    pub readable: bool,
    pub writable: bool,
    pub append: bool,
    /// Bytes written but not yet handed to the OS.
    pub wbuf: Vec<u8>,
    /// Bytes read from the OS but not yet consumed, from `rpos`.
    pub rbuf: Vec<u8>,
    pub rpos: usize,
}

pub struct FileObj {
    pub state: RefCell<FileState>,
}

// SAFETY: a file holds no Python references.
unsafe impl Trace for FileObj {
    const KIND: u32 = kind::FILEIO;
    const NAME: &'static str = "TextIOWrapper";
    const CONTAINER: bool = false;
}

impl Drop for FileObj {
    fn drop(&mut self) {
        // CPython's iobase finalizer: flush and close.
        let _ = self.state.get_mut().close();
    }
}

impl FileState {
    pub fn is_closed(&self) -> bool {
        self.file.is_none()
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        if let Some(f) = self.file.as_mut() {
            if !self.wbuf.is_empty() {
                f.write_all(&self.wbuf)?;
                self.wbuf.clear();
            }
        }
        Ok(())
    }

    pub fn close(&mut self) -> std::io::Result<()> {
        let r = self.flush();
        self.file = None;
        self.rbuf.clear();
        self.rpos = 0;
        r
    }

    /// Forget read-ahead, moving the OS position back to the logical one.
    fn drop_readahead(&mut self) -> std::io::Result<()> {
        let unread = (self.rbuf.len() - self.rpos) as i64;
        if unread > 0 {
            if let Some(f) = self.file.as_mut() {
                f.seek(SeekFrom::Current(-unread))?;
            }
        }
        self.rbuf.clear();
        self.rpos = 0;
        Ok(())
    }

    fn fill(&mut self) -> std::io::Result<bool> {
        self.flush()?;
        let Some(f) = self.file.as_mut() else { return Ok(false) };
        if self.rpos > 0 {
            self.rbuf.drain(..self.rpos);
            self.rpos = 0;
        }
        let mut chunk = [0u8; 8192];
        let n = f.read(&mut chunk)?;
        self.rbuf.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }

    /// Up to `n` bytes (all remaining when `None`).
    pub fn read_bytes(&mut self, n: Option<usize>) -> std::io::Result<Vec<u8>> {
        loop {
            let avail = self.rbuf.len() - self.rpos;
            if n.is_some_and(|n| avail >= n) {
                break;
            }
            if !self.fill()? {
                break;
            }
        }
        let avail = self.rbuf.len() - self.rpos;
        let take = n.map_or(avail, |n| n.min(avail));
        let out = self.rbuf[self.rpos..self.rpos + take].to_vec();
        self.rpos += take;
        Ok(out)
    }

    /// The next byte without consuming it.
    pub fn peek_byte(&mut self) -> Option<u8> {
        if self.rpos >= self.rbuf.len() && !self.fill().ok()? {
            return None;
        }
        self.rbuf.get(self.rpos).copied()
    }

    /// The next line, newline included (empty at end of file).
    pub fn read_line_bytes(&mut self) -> std::io::Result<Vec<u8>> {
        loop {
            if let Some(i) = self.rbuf[self.rpos..].iter().position(|&b| b == b'\n') {
                let out = self.rbuf[self.rpos..self.rpos + i + 1].to_vec();
                self.rpos += i + 1;
                return Ok(out);
            }
            if !self.fill()? {
                let out = self.rbuf[self.rpos..].to_vec();
                self.rpos = self.rbuf.len();
                return Ok(out);
            }
        }
    }

    pub fn write_bytes(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.drop_readahead()?;
        if self.append {
            if let Some(f) = self.file.as_mut() {
                f.seek(SeekFrom::End(0))?;
            }
        }
        self.wbuf.extend_from_slice(b);
        if self.wbuf.len() >= 8192 {
            self.flush()?;
        }
        Ok(())
    }

    pub fn tell(&mut self) -> std::io::Result<u64> {
        self.flush()?;
        let unread = (self.rbuf.len() - self.rpos) as u64;
        let pos = match self.file.as_mut() {
            Some(f) => f.stream_position()?,
            None => 0,
        };
        Ok(pos - unread)
    }

    /// Cut (or extend) the file to `size` bytes; the position does not move.
    pub fn truncate(&mut self, size: Option<u64>) -> std::io::Result<u64> {
        self.flush()?;
        let size = match size {
            Some(n) => n,
            None => self.tell()?,
        };
        self.drop_readahead()?;
        if let Some(f) = self.file.as_mut() {
            f.set_len(size)?;
        }
        Ok(size)
    }

    pub fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.flush()?;
        self.drop_readahead()?;
        match self.file.as_mut() {
            Some(f) => f.seek(pos),
            None => Ok(0),
        }
    }
}

/// `sys.stdin`: reads lines from the process's standard input.
pub struct StdinObj;
// SAFETY: no Python references.
unsafe impl Trace for StdinObj {
    const KIND: u32 = kind::STDIN;
    const NAME: &'static str = "TextIOWrapper";
    const CONTAINER: bool = false;
}

/// One line from standard input, newline included ("" at end of input).
pub fn stdin_line() -> std::io::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line)
}
