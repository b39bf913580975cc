//! The tokenizer: source text to tokens, as CPython 3.11's `Parser/tokenizer.c`.
//!
//! Produces NEWLINE/INDENT/DEDENT from indentation (tabs to multiples of 8, with CPython's
//! tab-size-1 consistency check for TabError), joins lines inside brackets and after a
//! backslash, decodes string literals (`string.rs`) and splits f-strings into literal and
//! field parts (`fstring.rs`). Errors carry CPython's messages and caret positions.

mod fstring;
mod string;
mod unicode_names;
#[cfg(test)]
mod tests;

use crate::error::{SyntaxError, SyntaxErrorKind};
use crate::source::Source;
use crate::token::{Keyword, Op, Span, Token, TokenKind};

/// Bracket nesting beyond which CPython's tokenizer gives up.
const MAX_PAREN_DEPTH: usize = 200;

pub fn tokenize(src: &Source) -> Result<Vec<Token>, SyntaxError> {
    match tokenize_deferred(src)? {
        (tokens, None) => Ok(tokens),
        (_, Some(e)) => Err(e),
    }
}

/// Tokenize; an unclosed bracket at end of input is returned beside the tokens (which
/// then end with an EndMarker) instead of as the result. CPython's tokenizer is lazy:
/// that error only surfaces if the parser gets as far as the end of the input, so a
/// parse error before it (`def f(:`) is reported instead.
pub fn tokenize_deferred(src: &Source) -> Result<(Vec<Token>, Option<SyntaxError>), SyntaxError> {
    let mut lx = Lexer { src, text: src.text, pos: 0, tokens: Vec::new(), indents: vec![0], alt_indents: vec![0], brackets: Vec::new(), at_line_start: true };
    match lx.run() {
        Ok(()) => Ok((lx.tokens, None)),
        Err(e) if e.msg.ends_with("was never closed") => {
            let end = lx.text.len();
            lx.push(TokenKind::EndMarker, end, end);
            Ok((lx.tokens, Some(e)))
        }
        Err(e) => Err(e),
    }
}

struct Lexer<'s> {
    src: &'s Source<'s>,
    text: &'s str,
    pos: usize,
    tokens: Vec<Token>,
    indents: Vec<usize>,
    /// Indentation measured with tab size 1, to detect inconsistent tabs/spaces.
    alt_indents: Vec<usize>,
    /// Open brackets: (char, byte offset).
    brackets: Vec<(char, usize)>,
    at_line_start: bool,
}

fn is_id_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}
fn is_id_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric() || matches!(c, '\u{00B7}' | '\u{0300}'..='\u{036F}' | '\u{200C}' | '\u{200D}')
}

impl<'s> Lexer<'s> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.text[self.pos..].chars().nth(n)
    }
    fn line_of(&self, off: usize) -> u32 {
        self.src.line_of(off as u32)
    }
    /// Error with a caret from byte `start` to byte `end` (exclusive; equal for a point).
    pub(crate) fn err(&self, msg: impl Into<String>, start: usize, end: usize) -> SyntaxError {
        let line = self.line_of(start);
        let col = self.src.col_of(start as u32) + 1;
        let end_col = if end > start { self.src.col_of(end as u32) + 1 } else { col };
        let mut e = SyntaxError::new(msg, line, col, end_col);
        e.end_line = self.line_of(end.max(start));
        e
    }
    fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        let line = self.line_of(start);
        self.tokens.push(Token { kind, span: Span::new(start, end), line });
    }

    fn run(&mut self) -> Result<(), SyntaxError> {
        if let Some(i) = self.text.find('\0') {
            return Err(SyntaxError::new("source code cannot contain null bytes", self.line_of(i), 0, 0));
        }
        // A UTF-8 byte order mark is skipped.
        if self.text.starts_with('\u{feff}') {
            self.pos = 3;
        }
        loop {
            if self.at_line_start && self.brackets.is_empty() {
                if !self.indentation()? {
                    break;
                }
            }
            let Some(c) = self.peek() else { break };
            let start = self.pos;
            match c {
                ' ' | '\t' | '\x0c' => self.pos += 1,
                '#' => {
                    while let Some(c) = self.peek() {
                        if c == '\n' || c == '\r' {
                            break;
                        }
                        self.pos += c.len_utf8();
                    }
                }
                '\n' | '\r' => {
                    self.pos += 1;
                    if c == '\r' && self.peek() == Some('\n') {
                        self.pos += 1;
                    }
                    if self.brackets.is_empty() {
                        self.push(TokenKind::Newline, start, start + 1);
                        self.at_line_start = true;
                    }
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some('\r') => {
                            self.pos += 1;
                            if self.peek() == Some('\n') {
                                self.pos += 1;
                            }
                        }
                        None => return Err(self.err("unexpected EOF while parsing", self.pos, self.pos)),
                        Some(_) => {
                            let mut e = self.err("unexpected character after line continuation character", start + 1, start + 1);
                            e.end_col = 0;
                            return Err(e);
                        }
                    }
                    if self.peek().is_none() {
                        return Err(self.err("unexpected EOF while parsing", self.pos, self.pos));
                    }
                }
                c if c.is_ascii_digit() || (c == '.' && self.peek_at(1).is_some_and(|d| d.is_ascii_digit())) => self.number()?,
                '"' | '\'' => self.string(start, "")?,
                c if is_id_start(c) => {
                    // String prefixes: r, u, b, br, rb, f, fr, rf (any case).
                    let mut end = self.pos;
                    for ch in self.text[self.pos..].chars() {
                        if is_id_continue(ch) {
                            end += ch.len_utf8();
                        } else {
                            break;
                        }
                    }
                    let word = &self.text[self.pos..end];
                    let next = self.text[end..].chars().next();
                    let lw = word.to_ascii_lowercase();
                    if matches!(next, Some('"') | Some('\'')) && matches!(lw.as_str(), "r" | "u" | "b" | "br" | "rb" | "f" | "fr" | "rf") {
                        self.pos = end;
                        self.string(start, &lw)?;
                    } else {
                        self.pos = end;
                        let kind = match Keyword::from_str(word) {
                            Some(k) => TokenKind::Keyword(k),
                            None => TokenKind::Name(word.to_string()),
                        };
                        self.push(kind, start, end);
                    }
                }
                _ => self.operator(c, start)?,
            }
        }
        // End of input: close the last logical line, dedent to column 0.
        if let Some(&(ch, off)) = self.brackets.last() {
            let mut e = self.err(format!("'{ch}' was never closed"), off, off);
            e.end_col = 0;
            return Err(e);
        }
        let end = self.text.len();
        if !matches!(self.tokens.last().map(|t| &t.kind), None | Some(TokenKind::Newline) | Some(TokenKind::Dedent)) {
            self.push(TokenKind::Newline, end, end);
        }
        while self.indents.len() > 1 {
            self.indents.pop();
            self.push(TokenKind::Dedent, end, end);
        }
        self.push(TokenKind::EndMarker, end, end);
        Ok(())
    }

    /// Measure indentation at the start of a line; emits INDENT/DEDENT. Returns false at EOF.
    fn indentation(&mut self) -> Result<bool, SyntaxError> {
        loop {
            let line_start = self.pos;
            let mut col = 0usize;
            let mut alt = 0usize;
            while let Some(c) = self.peek() {
                match c {
                    ' ' => {
                        col += 1;
                        alt += 1;
                    }
                    '\t' => {
                        col = (col / 8 + 1) * 8;
                        alt += 1;
                    }
                    '\x0c' => {
                        col = 0;
                        alt = 0;
                    }
                    _ => break,
                }
                self.pos += 1;
            }
            match self.peek() {
                None => return Ok(false),
                Some('#') | Some('\n') | Some('\r') => {
                    // Blank or comment-only line: no tokens.
                    while let Some(c) = self.peek() {
                        if c == '\n' || c == '\r' {
                            break;
                        }
                        self.pos += c.len_utf8();
                    }
                    if self.peek() == Some('\r') {
                        self.pos += 1;
                    }
                    if self.peek() == Some('\n') {
                        self.pos += 1;
                    }
                    continue;
                }
                Some('\\') if matches!(self.peek_at(1), Some('\n') | Some('\r')) && false => {}
                _ => {}
            }
            self.at_line_start = false;
            let cur = *self.indents.last().unwrap();
            let cur_alt = *self.alt_indents.last().unwrap();
            if col > cur {
                if alt <= cur_alt && alt != 0 {
                    return Err(self.tab_error(line_start));
                }
                self.indents.push(col);
                self.alt_indents.push(alt);
                self.push(TokenKind::Indent, line_start, self.pos);
            } else if col < cur {
                while col < *self.indents.last().unwrap() {
                    self.indents.pop();
                    self.alt_indents.pop();
                    self.push(TokenKind::Dedent, self.pos, self.pos);
                }
                if col != *self.indents.last().unwrap() {
                    // CPython's caret goes just past the end of the offending line.
                    let eol = self.text[self.pos..].find(['\n', '\r']).map_or(self.text.len(), |k| self.pos + k);
                    let mut e = self.err("unindent does not match any outer indentation level", eol + 1, eol + 1);
                    e.line = self.line_of(self.pos);
                    e.end_line = e.line;
                    e.col = self.src.col_of(eol as u32) + 1;
                    e.end_col = 0;
                    return Err(e.with_kind(SyntaxErrorKind::IndentationError));
                }
                if alt != *self.alt_indents.last().unwrap() {
                    return Err(self.tab_error(line_start));
                }
            } else if alt != cur_alt {
                return Err(self.tab_error(line_start));
            }
            return Ok(true);
        }
    }

    fn tab_error(&self, line_start: usize) -> SyntaxError {
        // CPython reports no usable column (no caret is printed).
        let mut e = self.err("inconsistent use of tabs and spaces in indentation", line_start, line_start);
        e.col = 0;
        e.end_col = 0;
        e.with_kind(SyntaxErrorKind::TabError)
    }

    fn operator(&mut self, c: char, start: usize) -> Result<(), SyntaxError> {
        let rest = &self.text[self.pos..];
        let found = Op::ALL.iter().find(|(s, _)| rest.starts_with(s)).copied();
        let Some((s, op)) = found else {
            if c == '!' {
                return Err(self.err("invalid syntax", start, start + 1));
            }
            if c.is_ascii() && !c.is_ascii_control() {
                return Err(self.err("invalid syntax", start, start + 1));
            }
            if pyvm_printable(c) {
                return Err(self.err(format!("invalid character '{c}' (U+{:04X})", c as u32), start, start));
            }
            return Err(self.err(format!("invalid non-printable character U+{:04X}", c as u32), start, start));
        };
        if rest.starts_with("<>") {
            return Err(self.err("invalid syntax", start, start + 2));
        }
        match op {
            Op::LPar | Op::LSqb | Op::LBrace => {
                if self.brackets.len() >= MAX_PAREN_DEPTH {
                    return Err(self.err("too many nested parentheses", start, start + 1));
                }
                self.brackets.push((c, start));
            }
            Op::RPar | Op::RSqb | Op::RBrace => match self.brackets.pop() {
                None => return Err(self.err(format!("unmatched '{c}'"), start, start)),
                Some((open, off)) => {
                    let want = match open {
                        '(' => ')',
                        '[' => ']',
                        _ => '}',
                    };
                    if want != c {
                        let (l1, l2) = (self.line_of(off), self.line_of(start));
                        let msg = if l1 == l2 {
                            format!("closing parenthesis '{c}' does not match opening parenthesis '{open}'")
                        } else {
                            format!("closing parenthesis '{c}' does not match opening parenthesis '{open}' on line {l1}")
                        };
                        return Err(self.err(msg, start, start));
                    }
                }
            },
            _ => {}
        }
        self.pos += s.len();
        self.push(TokenKind::Op(op), start, self.pos);
        Ok(())
    }

    fn number(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        let b = self.text.as_bytes();
        let mut i = self.pos;
        let digits_with_underscores = |i: &mut usize, ok: &dyn Fn(u8) -> bool| -> Result<(), usize> {
            // Returns Err(offset to report) for a misplaced underscore: the first of a
            // doubled one, or a trailing one (CPython's caret positions).
            let mut last_us = false;
            let st = *i;
            while *i < b.len() && (ok(b[*i]) || b[*i] == b'_') {
                if b[*i] == b'_' {
                    if last_us {
                        return Err(*i - 1);
                    }
                    if *i == st {
                        return Err(*i);
                    }
                    last_us = true;
                } else {
                    last_us = false;
                }
                *i += 1;
            }
            if last_us {
                return Err(*i - 1);
            }
            Ok(())
        };
        if b[i] == b'0' && i + 1 < b.len() && matches!(b[i + 1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B') {
            let (radix, name) = match b[i + 1] {
                b'x' | b'X' => (16, "hexadecimal"),
                b'o' | b'O' => (8, "octal"),
                _ => (2, "binary"),
            };
            i += 2;
            if i < b.len() && b[i] == b'_' {
                i += 1;
            }
            let st = i;
            let ok = move |c: u8| (c as char).is_digit(radix);
            if let Err(at) = digits_with_underscores(&mut i, &ok) {
                return Err(self.err(format!("invalid {name} literal"), at, at));
            }
            if i == st {
                return Err(self.err(format!("invalid {name} literal"), i - 1, i - 1));
            }
            if i < b.len() && (b[i] as char).is_ascii_alphanumeric() {
                let c = b[i] as char;
                if c.is_ascii_digit() {
                    return Err(self.err(format!("invalid digit '{c}' in {name} literal"), i, i));
                }
                return Err(self.err(format!("invalid {name} literal"), i - 1, i - 1));
            }
            let digits: String = self.text[st..i].chars().filter(|c| *c != '_').collect();
            self.pos = i;
            self.push(TokenKind::Int { digits, radix }, start, i);
            return Ok(());
        }
        let dec = |c: u8| c.is_ascii_digit();
        let mut is_float = false;
        if b[i] != b'.' {
            if let Err(at) = digits_with_underscores(&mut i, &dec) {
                return Err(self.err("invalid decimal literal", at, at));
            }
        }
        if i < b.len() && b[i] == b'.' {
            is_float = true;
            i += 1;
            if i < b.len() && b[i].is_ascii_digit() {
                if let Err(at) = digits_with_underscores(&mut i, &dec) {
                    return Err(self.err("invalid decimal literal", at, at));
                }
            }
        }
        if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            i += 1;
            if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                i += 1;
            }
            if i < b.len() && b[i].is_ascii_digit() {
                is_float = true;
                if let Err(at) = digits_with_underscores(&mut i, &dec) {
                    return Err(self.err("invalid decimal literal", at, at));
                }
            } else {
                return Err(self.err("invalid decimal literal", start, start));
            }
        }
        let text: String = self.text[start..i].chars().filter(|c| *c != '_').collect();
        if i < b.len() && (b[i] == b'j' || b[i] == b'J') {
            i += 1;
            self.pos = i;
            let v: f64 = text.parse().unwrap_or(0.0);
            self.push(TokenKind::Imag(v), start, i);
            return self.check_number_end(start);
        }
        self.pos = i;
        if is_float {
            let v: f64 = text.parse().unwrap_or(f64::INFINITY);
            self.push(TokenKind::Float(v), start, i);
        } else {
            if text.len() > 1 && text.starts_with('0') && text.bytes().any(|c| c != b'0') {
                return Err(self.err(
                    "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                    start,
                    start,
                ));
            }
            self.push(TokenKind::Int { digits: text, radix: 10 }, start, i);
        }
        self.check_number_end(start)
    }

    /// `1abc` is an error; `1if x else y` is allowed (keywords directly after numbers).
    fn check_number_end(&mut self, start: usize) -> Result<(), SyntaxError> {
        if let Some(c) = self.peek() {
            if is_id_start(c) {
                let rest = &self.text[self.pos..];
                let kw = ["and", "else", "for", "if", "in", "is", "not", "or"].iter().any(|k| {
                    rest.starts_with(k) && !rest[k.len()..].chars().next().is_some_and(is_id_continue)
                });
                if !kw {
                    let _ = start;
                    return Err(self.err("invalid decimal literal", start, start));
                }
            }
        }
        Ok(())
    }

    /// A string literal starting at `start` (prefix already consumed; `self.pos` at the quote).
    fn string(&mut self, start: usize, prefix: &str) -> Result<(), SyntaxError> {
        let q = self.peek().unwrap();
        let triple = self.text[self.pos..].starts_with(&format!("{q}{q}{q}"));
        let qlen = if triple { 3 } else { 1 };
        let body_start = self.pos + qlen;
        let b = self.text.as_bytes();
        let mut i = body_start;
        let qb = q as u8;
        loop {
            if i >= b.len() {
                let line = self.line_of(self.text.len().saturating_sub(1).max(start));
                let msg = if triple {
                    format!("unterminated triple-quoted string literal (detected at line {line})")
                } else {
                    format!("unterminated string literal (detected at line {line})")
                };
                return Err(self.err(msg, start, start));
            }
            let c = b[i];
            if c == b'\\' {
                i += 2;
                continue;
            }
            if !triple && (c == b'\n' || c == b'\r') {
                let line = self.line_of(start);
                return Err(self.err(format!("unterminated string literal (detected at line {line})"), start, start));
            }
            if c == qb && (!triple || (i + 2 < b.len() + 0 && b.get(i + 1) == Some(&qb) && b.get(i + 2) == Some(&qb))) {
                break;
            }
            i += 1;
        }
        let body = &self.text[body_start..i];
        let end = i + qlen;
        let raw = prefix.contains('r');
        let kind = if prefix.contains('f') {
            // CPython 3.11 reports f-string errors just past the end of the literal.
            TokenKind::FString(fstring::split(self, body, body_start, raw).map_err(|mut e| {
                if e.msg.starts_with("f-string") {
                    e.line = self.line_of(end);
                    e.col = self.src.col_of(end as u32) + 2;
                    e.end_col = e.col;
                }
                e
            })?)
        } else if prefix.contains('b') {
            if let Some(pos) = body.char_indices().find(|(_, c)| !c.is_ascii()).map(|(p, _)| p) {
                let _ = pos;
                return Err(self.err("bytes can only contain ASCII literal characters", start, end));
            }
            TokenKind::Bytes(string::decode_bytes(self, body, body_start, raw)?)
        } else {
            TokenKind::Str(string::decode_str(self, body, body_start, raw)?)
        };
        self.pos = end;
        self.push(kind, start, end);
        Ok(())
    }
}

fn pyvm_printable(c: char) -> bool {
    crate::repr::is_printable(c)
}
