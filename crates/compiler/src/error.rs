//! SyntaxError and its subclasses as the compiler reports them.
//!
//! Positions follow CPython: `line` is 1-based, `col` is the 1-based character offset of
//! the caret start and `end_col` one past its end (both in characters of the line, as
//! `SyntaxError.offset`/`end_offset`). The CLI prints them in CPython's format.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    SyntaxError,
    IndentationError,
    TabError,
}

impl SyntaxErrorKind {
    pub fn name(self) -> &'static str {
        match self {
            SyntaxErrorKind::SyntaxError => "SyntaxError",
            SyntaxErrorKind::IndentationError => "IndentationError",
            SyntaxErrorKind::TabError => "TabError",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub msg: String,
    /// 1-based line number.
    pub line: u32,
    /// 1-based character column where the caret starts (0 = no caret).
    pub col: u32,
    /// 1-based character column one past the caret's end (`col + 1` for a single caret).
    pub end_col: u32,
    /// Line where the caret ends (multi-line ranges print only the first line).
    pub end_line: u32,
}

impl SyntaxError {
    pub fn new(msg: impl Into<String>, line: u32, col: u32, end_col: u32) -> SyntaxError {
        SyntaxError {
            kind: SyntaxErrorKind::SyntaxError,
            msg: msg.into(),
            line,
            col,
            end_col,
            end_line: line,
        }
    }
    pub fn with_kind(mut self, kind: SyntaxErrorKind) -> SyntaxError {
        self.kind = kind;
        self
    }
}

pub type CompileResult<T> = Result<T, SyntaxError>;
