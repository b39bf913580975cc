//! Source text with a line index: maps byte offsets to lines and character columns.

/// A source file being compiled: its name (as shown in tracebacks) and text.
pub struct Source<'s> {
    pub filename: &'s str,
    pub text: &'s str,
    line_starts: Vec<u32>,
}

impl<'s> Source<'s> {
    pub fn new(filename: &'s str, text: &'s str) -> Source<'s> {
        let mut line_starts = vec![0u32];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i as u32 + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    line_starts.push(i as u32 + 1);
                }
                _ => {}
            }
            i += 1;
        }
        Source { filename, text, line_starts }
    }

    /// 1-based line containing byte `offset`.
    pub fn line_of(&self, offset: u32) -> u32 {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> u32 {
        let i = (line.max(1) - 1) as usize;
        *self.line_starts.get(i).unwrap_or(&(self.text.len() as u32))
    }

    /// 0-based character column of byte `offset` within its line.
    pub fn col_of(&self, offset: u32) -> u32 {
        let line = self.line_of(offset);
        let start = self.line_start(line) as usize;
        let end = (offset as usize).min(self.text.len());
        if start >= end {
            return 0;
        }
        // Offsets produced by the lexer are char boundaries; be lenient anyway.
        let slice = &self.text.as_bytes()[start..end];
        slice.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32
    }

    /// The text of 1-based `line` without its line terminator.
    pub fn line_text(&self, line: u32) -> &'s str {
        let start = self.line_start(line) as usize;
        let end = if (line as usize) < self.line_starts.len() {
            self.line_starts[line as usize] as usize
        } else {
            self.text.len()
        };
        let s = &self.text[start.min(self.text.len())..end.min(self.text.len())];
        s.trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }
}
