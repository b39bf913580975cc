//! Buffered standard output and error. Output to a closed pipe ends quietly, as
//! CPython does when stdout is closed early (`pyvm run x.py | head -1`).

use std::io::Write;

pub struct Output {
    buf: Vec<u8>,
    is_err: bool,
    pub broken: bool,
}

impl Output {
    pub fn new(is_err: bool) -> Output {
        Output { buf: Vec::with_capacity(8192), is_err, broken: false }
    }
    pub fn write(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
        if self.is_err || self.buf.len() > 64 * 1024 {
            self.flush();
        }
    }
    pub fn flush(&mut self) {
        if self.buf.is_empty() || self.broken {
            self.buf.clear();
            return;
        }
        let r = if self.is_err {
            std::io::stderr().write_all(&self.buf).and_then(|_| std::io::stderr().flush())
        } else {
            std::io::stdout().write_all(&self.buf).and_then(|_| std::io::stdout().flush())
        };
        if r.is_err() {
            self.broken = true;
        }
        self.buf.clear();
    }
}

impl crate::vm::Vm {
    pub fn write_stdout(&mut self, s: &str) {
        self.stdout.write(s);
    }
    pub fn write_stderr(&mut self, s: &str) {
        self.stdout.flush();
        self.stderr.write(s);
    }
    pub fn flush_stdout(&mut self) {
        self.stdout.flush();
    }
}
