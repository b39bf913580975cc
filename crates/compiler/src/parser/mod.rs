//! Recursive-descent parser: tokens to an arena-allocated AST.
//!
//! Statements live here, expressions in `expr.rs`, match patterns in `pattern.rs` and
//! assignment-target validation (with CPython's "cannot assign to ..." messages) in
//! `target.rs`. The grammar is Python 3.11's (`Grammar/python.gram`), written as
//! precedence climbing instead of PEG; where CPython's PEG parser reports a specialised
//! error ("expected ':'", "Perhaps you forgot a comma?") we reproduce the message.

mod expr;
mod pattern;
mod target;

use crate::ast::*;
use crate::error::{CompileResult, SyntaxError, SyntaxErrorKind};
use crate::source::Source;
use crate::token::{Keyword as Kw, Op, Span, Token, TokenKind as T};
use bumpalo::Bump;

/// Nesting depth beyond which the parser gives up (bounds recursion in every later pass).
const MAX_DEPTH: u32 = 1000;

/// Parse a whole module.
pub fn parse_module<'a>(arena: &'a Bump, src: &Source) -> CompileResult<Module<'a>> {
    let (tokens, deferred) = crate::lexer::tokenize_deferred(src)?;
    let last = tokens.len().saturating_sub(1);
    let mut p = Parser::new(arena, src, tokens);
    let parsed = p.parse_file();
    match deferred {
        // The parser failed before reaching the end of the input: its error wins.
        Some(e) if p.furthest.get() >= last => Err(e),
        // CPython then tokenizes the rest: an unclosed bracket opened on an earlier
        // line than the parse error is reported instead.
        Some(e) => {
            let furthest_line = p.tokens[p.furthest.get().min(last)].line;
            match parsed.err() {
                Some(pe) if furthest_line <= e.line => Err(pe),
                _ => Err(e),
            }
        }
        None => Ok(Module { body: parsed? }),
    }
}

pub(crate) struct Parser<'a, 's> {
    pub(crate) arena: &'a Bump,
    pub(crate) src: &'s Source<'s>,
    tokens: Vec<Token>,
    pos: usize,
    depth: u32,
    /// Byte offset added to spans when parsing an f-string field extracted from a literal.
    span_shift: i64,
    /// The furthest token index looked at (errors past it come from the lexer).
    furthest: std::cell::Cell<usize>,
}

type PResult<T> = CompileResult<T>;

impl<'a, 's> Parser<'a, 's> {
    fn new(arena: &'a Bump, src: &'s Source<'s>, tokens: Vec<Token>) -> Self {
        Parser { arena, src, tokens, pos: 0, depth: 0, span_shift: 0, furthest: std::cell::Cell::new(0) }
    }

    // ----- token access -------------------------------------------------------------

    pub(crate) fn tok(&self) -> &Token {
        let i = self.pos.min(self.tokens.len() - 1);
        if i > self.furthest.get() {
            self.furthest.set(i);
        }
        &self.tokens[i]
    }
    pub(crate) fn kind(&self) -> &T {
        &self.tok().kind
    }
    pub(crate) fn peek_kind(&self, n: usize) -> &T {
        &self.tokens[(self.pos + n).min(self.tokens.len() - 1)].kind
    }
    pub(crate) fn span(&self) -> Span {
        self.shift(self.tok().span)
    }
    fn shift(&self, s: Span) -> Span {
        if self.span_shift == 0 {
            return s;
        }
        let f = |x: u32| (x as i64 + self.span_shift).max(0) as u32;
        Span { start: f(s.start), end: f(s.end) }
    }
    /// Span of the previously consumed token.
    pub(crate) fn prev_span(&self) -> Span {
        self.shift(self.tokens[self.pos.saturating_sub(1)].span)
    }
    pub(crate) fn bump(&mut self) -> Token {
        let t = self.tok().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }
    pub(crate) fn at_op(&self, op: Op) -> bool {
        matches!(self.kind(), T::Op(o) if *o == op)
    }
    pub(crate) fn at_kw(&self, kw: Kw) -> bool {
        matches!(self.kind(), T::Keyword(k) if *k == kw)
    }
    pub(crate) fn eat_op(&mut self, op: Op) -> bool {
        if self.at_op(op) {
            self.bump();
            true
        } else {
            false
        }
    }
    pub(crate) fn eat_kw(&mut self, kw: Kw) -> bool {
        if self.at_kw(kw) {
            self.bump();
            true
        } else {
            false
        }
    }
    pub(crate) fn at_name(&self, s: &str) -> bool {
        matches!(self.kind(), T::Name(n) if n == s)
    }
    pub(crate) fn expect_op(&mut self, op: Op) -> PResult<Span> {
        if self.at_op(op) {
            Ok({ let t = self.bump(); self.shift(t.span) })
        } else if op == Op::Colon {
            // CPython points just past the previous token: `if x` -> caret after `x`.
            let prev = self.prev_span();
            Err(self.error_at_span("expected ':'", Span { start: prev.end, end: prev.end }))
        } else {
            Err(self.invalid_syntax())
        }
    }
    pub(crate) fn expect_name(&mut self) -> PResult<&'a str> {
        match self.kind() {
            T::Name(n) => {
                let s = self.arena.alloc_str(n);
                self.bump();
                Ok(s)
            }
            _ => Err(self.invalid_syntax()),
        }
    }
    pub(crate) fn alloc<T>(&self, v: T) -> &'a T {
        self.arena.alloc(v)
    }
    pub(crate) fn alloc_slice<T: Copy>(&self, v: Vec<T>) -> &'a [T] {
        self.arena.alloc_slice_copy(&v)
    }
    pub(crate) fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at_span("too many nested parentheses", self.span()));
        }
        Ok(())
    }
    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    // ----- errors -------------------------------------------------------------------

    /// A SyntaxError whose caret covers `span`.
    pub(crate) fn error_at_span(&self, msg: &str, span: Span) -> SyntaxError {
        let line = self.src.line_of(span.start);
        let col = self.src.col_of(span.start) + 1;
        let end_line = self.src.line_of(span.end);
        let end_col = self.src.col_of(span.end) + 1;
        let mut e = SyntaxError::new(msg, line, col, end_col);
        e.end_line = end_line;
        e
    }
    /// An IndentationError at the current token: one caret at its start, or — at the end
    /// of the file — the last line and no caret, as CPython prints them.
    pub(crate) fn indentation_error_here(&self, msg: &str) -> SyntaxError {
        let span = self.span();
        let mut e = self.error_at_span(msg, Span { start: span.start, end: span.start });
        if span.start as usize >= self.src.text.trim_end().len() {
            let last = self.src.line_of(self.src.text.trim_end_matches(['\n', '\r']).len().saturating_sub(1) as u32);
            e.line = last.max(1);
            e.end_line = e.line;
            e.col = 0;
            e.end_col = 0;
        }
        e.with_kind(SyntaxErrorKind::IndentationError)
    }

    /// "invalid syntax" at the current token, as CPython reports an unexpected token.
    pub(crate) fn invalid_syntax(&self) -> SyntaxError {
        let t = self.tok();
        let span = self.shift(t.span);
        match &t.kind {
            T::Indent => {
                // CPython gives no caret: the position is in the leading whitespace.
                let mut e = self.error_at_span("unexpected indent", span);
                e.col = 0;
                e.end_col = 0;
                return e.with_kind(SyntaxErrorKind::IndentationError);
            }
            T::Dedent | T::EndMarker if span.start == span.end => {}
            _ => {}
        }
        self.error_at_span("invalid syntax", span)
    }

    // ----- statements ---------------------------------------------------------------

    fn parse_file(&mut self) -> PResult<&'a [Stmt<'a>]> {
        let mut body = Vec::new();
        loop {
            match self.kind() {
                T::EndMarker => break,
                T::Newline => {
                    self.bump();
                }
                _ => self.parse_statement(&mut body)?,
            }
        }
        Ok(self.alloc_slice(body))
    }

    /// One statement (a compound one, or a line of `;`-separated simple ones) appended to `out`.
    fn parse_statement(&mut self, out: &mut Vec<Stmt<'a>>) -> PResult<()> {
        if let Some(s) = self.parse_compound()? {
            out.push(s);
            return Ok(());
        }
        self.parse_simple_stmts(out)
    }

    fn parse_simple_stmts(&mut self, out: &mut Vec<Stmt<'a>>) -> PResult<()> {
        loop {
            let s = self.parse_simple_stmt()?;
            out.push(s);
            if self.eat_op(Op::Semi) {
                if matches!(self.kind(), T::Newline) {
                    break;
                }
                continue;
            }
            break;
        }
        if !matches!(self.kind(), T::Newline | T::EndMarker) {
            return Err(self.statement_tail_error(out.last().copied()));
        }
        self.bump();
        Ok(())
    }

    /// The error for garbage after a complete simple statement: CPython special-cases
    /// `print "x"` and juxtaposed expressions.
    fn statement_tail_error(&self, last: Option<Stmt<'a>>) -> SyntaxError {
        if let Some(Stmt { kind: StmtKind::Expr(e), span }) = last {
            if let ExprKind::Name { id } = e.kind {
                if (id == "print" || id == "exec")
                    && matches!(self.kind(), T::Str(_) | T::FString(_) | T::Int { .. } | T::Name(_))
                {
                    let end = self.tok_line_end();
                    return self.error_at_span(
                        &format!("Missing parentheses in call to '{id}'. Did you mean {id}(...)?"),
                        Span { start: span.start, end },
                    );
                }
            }
        }
        self.invalid_syntax()
    }

    /// Byte offset of the end of the last token on the current logical line.
    fn tok_line_end(&self) -> u32 {
        let mut i = self.pos;
        let mut end = self.tok().span.end;
        while i < self.tokens.len() && !matches!(self.tokens[i].kind, T::Newline | T::EndMarker) {
            end = self.tokens[i].span.end;
            i += 1;
        }
        self.shift(Span { start: end, end }).end
    }

    /// `block: NEWLINE INDENT statements DEDENT | simple_stmts`. `what` names the
    /// statement for "expected an indented block after ..." messages.
    fn parse_block(&mut self, what: &str, header_line: u32) -> PResult<&'a [Stmt<'a>]> {
        let mut body = Vec::new();
        if matches!(self.kind(), T::Newline) {
            self.bump();
            if !matches!(self.kind(), T::Indent) {
                let msg = format!("expected an indented block after {what} on line {header_line}");
                return Err(self.indentation_error_here(&msg));
            }
            self.bump();
            while !matches!(self.kind(), T::Dedent | T::EndMarker) {
                if matches!(self.kind(), T::Newline) {
                    self.bump();
                    continue;
                }
                self.parse_statement(&mut body)?;
            }
            self.bump();
        } else {
            self.parse_simple_stmts(&mut body)?;
        }
        Ok(self.alloc_slice(body))
    }

    fn line_of_span(&self, s: Span) -> u32 {
        self.src.line_of(s.start)
    }

    fn parse_compound(&mut self) -> PResult<Option<Stmt<'a>>> {
        let start = self.span();
        let stmt = match self.kind() {
            T::Keyword(Kw::If) => self.parse_if()?,
            T::Keyword(Kw::While) => self.parse_while()?,
            T::Keyword(Kw::For) => self.parse_for(false, start)?,
            T::Keyword(Kw::Try) => self.parse_try()?,
            T::Keyword(Kw::With) => self.parse_with(false, start)?,
            T::Keyword(Kw::Def) => self.parse_funcdef(&[], false, start)?,
            T::Keyword(Kw::Class) => self.parse_classdef(&[], start)?,
            T::Op(Op::At) => self.parse_decorated()?,
            T::Keyword(Kw::Async) => {
                self.bump();
                match self.kind() {
                    T::Keyword(Kw::Def) => self.parse_funcdef(&[], true, start)?,
                    T::Keyword(Kw::For) => self.parse_for(true, start)?,
                    T::Keyword(Kw::With) => self.parse_with(true, start)?,
                    _ => return Err(self.invalid_syntax()),
                }
            }
            T::Name(n) if n == "match" => match self.try_parse_match()? {
                Some(s) => s,
                None => return Ok(None),
            },
            T::Keyword(Kw::Elif) | T::Keyword(Kw::Else) | T::Keyword(Kw::Except) | T::Keyword(Kw::Finally) => {
                return Err(self.invalid_syntax())
            }
            T::Indent => return Err(self.invalid_syntax()),
            _ => return Ok(None),
        };
        Ok(Some(stmt))
    }

    fn parse_if(&mut self) -> PResult<Stmt<'a>> {
        let start = self.bump().span;
        let start = self.shift(start);
        let line = self.line_of_span(start);
        let test = self.parse_named_expression()?;
        self.expect_op(Op::Colon)?;
        let body = self.parse_block("'if' statement", line)?;
        let orelse = self.parse_elif_else()?;
        Ok(self.stmt_from(start, StmtKind::If { test: self.alloc(test), body, orelse }))
    }

    fn parse_elif_else(&mut self) -> PResult<&'a [Stmt<'a>]> {
        if self.at_kw(Kw::Elif) {
            let start = self.span();
            let line = self.line_of_span(start);
            self.bump();
            let test = self.parse_named_expression()?;
            self.expect_op(Op::Colon)?;
            let body = self.parse_block("'elif' statement", line)?;
            let orelse = self.parse_elif_else()?;
            let s = self.stmt_from(start, StmtKind::If { test: self.alloc(test), body, orelse });
            return Ok(self.alloc_slice(vec![s]));
        }
        self.parse_else("'else' statement")
    }

    fn parse_else(&mut self, what: &str) -> PResult<&'a [Stmt<'a>]> {
        if self.at_kw(Kw::Else) {
            let line = self.line_of_span(self.span());
            self.bump();
            self.expect_op(Op::Colon)?;
            return self.parse_block(what, line);
        }
        Ok(&[])
    }

    /// A statement spanning from `start` to the end of the previous token.
    fn stmt_from(&self, start: Span, kind: StmtKind<'a>) -> Stmt<'a> {
        Stmt { kind, span: start.to(self.prev_span()) }
    }

    fn parse_while(&mut self) -> PResult<Stmt<'a>> {
        let start = { let t = self.bump(); self.shift(t.span) };
        let line = self.line_of_span(start);
        let test = self.parse_named_expression()?;
        self.expect_op(Op::Colon)?;
        let body = self.parse_block("'while' statement", line)?;
        let orelse = self.parse_else("'else' statement")?;
        Ok(self.stmt_from(start, StmtKind::While { test: self.alloc(test), body, orelse }))
    }

    fn parse_for(&mut self, is_async: bool, start: Span) -> PResult<Stmt<'a>> {
        let line = self.line_of_span(start);
        self.bump(); // 'for'
        let target = self.parse_target_list()?;
        self.check_target(&target, target::Ctx::Store)?;
        if !self.eat_kw(Kw::In) {
            return Err(self.invalid_syntax());
        }
        let iter = self.parse_star_expressions()?;
        self.expect_op(Op::Colon)?;
        let body = self.parse_block("'for' statement", line)?;
        let orelse = self.parse_else("'else' statement")?;
        Ok(self.stmt_from(
            start,
            StmtKind::For { target: self.alloc(target), iter: self.alloc(iter), body, orelse, is_async },
        ))
    }

    fn parse_try(&mut self) -> PResult<Stmt<'a>> {
        let start = { let t = self.bump(); self.shift(t.span) };
        let line = self.line_of_span(start);
        self.expect_op(Op::Colon)?;
        let body = self.parse_block("'try' statement", line)?;
        let mut handlers = Vec::new();
        let mut is_star = false;
        let mut bare_header: Option<Span> = None;
        while self.at_kw(Kw::Except) {
            let hstart = self.span();
            let hline = self.line_of_span(hstart);
            self.bump();
            if self.eat_op(Op::Star) {
                is_star = true;
            }
            let mut typ = None;
            let mut name = None;
            if !self.at_op(Op::Colon) {
                let t = self.parse_expression()?;
                let t = if self.at_op(Op::Comma) {
                    // `except A, B:` is an error in Python 3.
                    return Err(self.error_at_span(
                        "multiple exception types must be parenthesized",
                        t.span.to(self.tok_span_to_colon()),
                    ));
                } else {
                    t
                };
                typ = Some(self.alloc(t));
                if self.eat_kw(Kw::As) {
                    name = Some(self.expect_name()?);
                }
            }
            self.expect_op(Op::Colon)?;
            let header = hstart.to(self.prev_span());
            if let Some(prev) = handlers.last() {
                let prev: &ExceptHandler = prev;
                if prev.typ.is_none() {
                    return Err(self.error_at_span("default 'except:' must be last", bare_header.unwrap_or(prev.span)));
                }
            }
            if typ.is_none() {
                bare_header = Some(header);
            }
            let what = if is_star { "'except*' statement" } else { "'except' statement" };
            let hbody = self.parse_block(what, hline)?;
            handlers.push(ExceptHandler { typ, name, body: hbody, span: hstart.to(self.prev_span()) });
        }
        let orelse = if !handlers.is_empty() { self.parse_else("'else' statement")? } else { &[] };
        let mut finalbody: &[Stmt] = &[];
        if self.at_kw(Kw::Finally) {
            let fline = self.line_of_span(self.span());
            self.bump();
            self.expect_op(Op::Colon)?;
            finalbody = self.parse_block("'finally' statement", fline)?;
        }
        if handlers.is_empty() && finalbody.is_empty() {
            let span = self.span();
            return Err(self.error_at_span("expected 'except' or 'finally' block", span));
        }
        Ok(self.stmt_from(
            start,
            StmtKind::Try { body, handlers: self.alloc_slice(handlers), orelse, finalbody, is_star },
        ))
    }

    fn tok_span_to_colon(&self) -> Span {
        let mut i = self.pos;
        let mut end = self.tok().span;
        while i < self.tokens.len() && !matches!(self.tokens[i].kind, T::Op(Op::Colon) | T::Newline | T::EndMarker)
        {
            end = self.tokens[i].span;
            i += 1;
        }
        self.shift(end)
    }

    fn parse_with(&mut self, is_async: bool, start: Span) -> PResult<Stmt<'a>> {
        let line = self.line_of_span(start);
        self.bump(); // 'with'
        let mut items = Vec::new();
        // `with (a as b, c as d):` — a parenthesized item list, told apart from a
        // parenthesized expression by backtracking.
        let mut parsed = false;
        if self.at_op(Op::LPar) {
            let save = self.pos;
            self.bump();
            let mut ok = true;
            let mut tmp = Vec::new();
            loop {
                if self.at_op(Op::RPar) {
                    break;
                }
                match self.parse_with_item() {
                    Ok(it) => tmp.push(it),
                    Err(_) => {
                        ok = false;
                        break;
                    }
                }
                if !self.eat_op(Op::Comma) {
                    break;
                }
            }
            if ok && self.at_op(Op::RPar) && matches!(self.peek_kind(1), T::Op(Op::Colon)) && !tmp.is_empty() {
                self.bump();
                items = tmp;
                parsed = true;
            } else {
                self.pos = save;
            }
        }
        if !parsed {
            loop {
                items.push(self.parse_with_item()?);
                if !self.eat_op(Op::Comma) {
                    break;
                }
            }
        }
        self.expect_op(Op::Colon)?;
        let body = self.parse_block("'with' statement", line)?;
        Ok(self.stmt_from(start, StmtKind::With { items: self.alloc_slice(items), body, is_async }))
    }

    fn parse_with_item(&mut self) -> PResult<WithItem<'a>> {
        let context_expr = self.parse_expression()?;
        let mut optional_vars = None;
        if self.eat_kw(Kw::As) {
            let t = self.parse_target()?;
            self.check_target(&t, target::Ctx::Store)?;
            optional_vars = Some(self.alloc(t));
        }
        Ok(WithItem { context_expr, optional_vars })
    }

    fn parse_decorated(&mut self) -> PResult<Stmt<'a>> {
        let start = self.span();
        let mut decorators = Vec::new();
        while self.eat_op(Op::At) {
            let d = self.parse_named_expression()?;
            decorators.push(d);
            if !matches!(self.kind(), T::Newline) {
                return Err(self.invalid_syntax());
            }
            self.bump();
        }
        let decorators = self.alloc_slice(decorators);
        let def_start = self.span();
        match self.kind() {
            T::Keyword(Kw::Def) => self.parse_funcdef(decorators, false, def_start).map(|s| self.restart(s, start)),
            T::Keyword(Kw::Class) => self.parse_classdef(decorators, def_start).map(|s| self.restart(s, start)),
            T::Keyword(Kw::Async) => {
                self.bump();
                if !self.at_kw(Kw::Def) {
                    return Err(self.invalid_syntax());
                }
                self.parse_funcdef(decorators, true, def_start).map(|s| self.restart(s, start))
            }
            _ => Err(self.invalid_syntax()),
        }
    }

    /// Decorated definitions keep the `def` line as their position (CPython 3.8+), so the
    /// span is left alone; this hook exists so that callers read uniformly.
    fn restart(&self, s: Stmt<'a>, _decorator_start: Span) -> Stmt<'a> {
        s
    }

    fn parse_funcdef(&mut self, decorators: &'a [Expr<'a>], is_async: bool, start: Span) -> PResult<Stmt<'a>> {
        let line = self.line_of_span(start);
        self.bump(); // 'def'
        let name = self.expect_name()?;
        if !self.at_op(Op::LPar) {
            let prev = self.prev_span();
            return Err(self.error_at_span("expected '('", Span { start: prev.end, end: prev.end }));
        }
        self.bump();
        let args = self.parse_parameters(Op::RPar, true)?;
        self.expect_op(Op::RPar)?;
        let mut returns = None;
        if self.eat_op(Op::Arrow) {
            returns = Some({ let v = self.parse_expression()?; self.alloc(v) });
        }
        self.expect_op(Op::Colon)?;
        let what = format!("function definition");
        let body = self.parse_block(&what, line)?;
        let f = FunctionDef { name, args: self.alloc(args), body, decorators, returns, is_async };
        Ok(self.stmt_from(start, StmtKind::FunctionDef(self.alloc(f))))
    }

    fn parse_classdef(&mut self, decorators: &'a [Expr<'a>], start: Span) -> PResult<Stmt<'a>> {
        let line = self.line_of_span(start);
        self.bump(); // 'class'
        let name = self.expect_name()?;
        let (mut bases, mut keywords): (&[Expr], &[Keyword]) = (&[], &[]);
        if self.eat_op(Op::LPar) {
            let (b, k) = self.parse_call_args()?;
            bases = b;
            keywords = k;
            self.expect_op(Op::RPar)?;
        }
        self.expect_op(Op::Colon)?;
        let body = self.parse_block("class definition", line)?;
        let c = ClassDef { name, bases, keywords, body, decorators };
        Ok(self.stmt_from(start, StmtKind::ClassDef(self.alloc(c))))
    }

    /// Parameters of a `def` (annotations allowed) or a `lambda` (ended by `:`).
    pub(crate) fn parse_parameters(&mut self, end: Op, annotations: bool) -> PResult<Arguments<'a>> {
        let mut posonly = Vec::new();
        let mut args: Vec<Arg<'a>> = Vec::new();
        let mut defaults = Vec::new();
        let mut vararg = None;
        let mut kwonly = Vec::new();
        let mut kw_defaults = Vec::new();
        let mut kwarg = None;
        let mut seen_star = false;
        let mut seen_slash = false;
        let mut names: Vec<&str> = Vec::new();
        let check_dup = |p: &Parser<'a, 's>, names: &mut Vec<&'a str>, a: &Arg<'a>| -> PResult<()> {
            if names.contains(&a.name) {
                return Err(p.error_at_span(&format!("duplicate argument '{}' in function definition", a.name), a.span));
            }
            names.push(a.name);
            Ok(())
        };
        while !self.at_op(end) {
            if self.eat_op(Op::Slash) {
                if seen_slash || seen_star || args.is_empty() {
                    let msg = if seen_slash {
                        "/ may appear only once"
                    } else if seen_star {
                        "/ must be ahead of *"
                    } else {
                        "at least one argument must precede /"
                    };
                    return Err(self.error_at_span(msg, self.prev_span()));
                }
                seen_slash = true;
                posonly.append(&mut args);
            } else if self.eat_op(Op::StarStar) {
                let a = self.parse_param(annotations)?;
                check_dup(self, &mut names, &a)?;
                kwarg = Some(self.alloc(a));
                self.eat_op(Op::Comma);
                if !self.at_op(end) {
                    return Err(self.error_at_span("arguments cannot follow var-keyword argument", self.span()));
                }
                break;
            } else if self.eat_op(Op::Star) {
                if seen_star {
                    return Err(self.error_at_span("* argument may appear only once", self.prev_span()));
                }
                seen_star = true;
                if !self.at_op(Op::Comma) && !self.at_op(end) {
                    let a = self.parse_param(annotations)?;
                    check_dup(self, &mut names, &a)?;
                    vararg = Some(self.alloc(a));
                } else if self.at_op(end) || matches!(self.peek_kind(1), T::Op(o) if *o == end) {
                    return Err(self.error_at_span("named arguments must follow bare *", self.prev_span()));
                }
            } else {
                let a = self.parse_param(annotations)?;
                check_dup(self, &mut names, &a)?;
                let default = if self.eat_op(Op::Eq) { Some(self.parse_expression()?) } else { None };
                if seen_star {
                    kwonly.push(a);
                    kw_defaults.push(default);
                } else {
                    match default {
                        Some(d) => defaults.push(d),
                        None if !defaults.is_empty() => {
                            return Err(self.error_at_span("non-default argument follows default argument", a.span));
                        }
                        None => {}
                    }
                    args.push(a);
                }
            }
            if !self.eat_op(Op::Comma) {
                break;
            }
        }
        Ok(Arguments {
            posonlyargs: self.alloc_slice(posonly),
            args: self.alloc_slice(args),
            vararg,
            kwonlyargs: self.alloc_slice(kwonly),
            kw_defaults: self.alloc_slice(kw_defaults),
            kwarg,
            defaults: self.alloc_slice(defaults),
        })
    }

    fn parse_param(&mut self, annotations: bool) -> PResult<Arg<'a>> {
        let span = self.span();
        let name = self.expect_name()?;
        let mut annotation = None;
        if annotations && self.eat_op(Op::Colon) {
            annotation = Some({ let v = self.parse_expression()?; self.alloc(v) });
        }
        Ok(Arg { name, annotation, span })
    }

    fn parse_simple_stmt(&mut self) -> PResult<Stmt<'a>> {
        let start = self.span();
        let kind = match self.kind() {
            T::Keyword(Kw::Pass) => {
                self.bump();
                StmtKind::Pass
            }
            T::Keyword(Kw::Break) => {
                self.bump();
                StmtKind::Break
            }
            T::Keyword(Kw::Continue) => {
                self.bump();
                StmtKind::Continue
            }
            T::Keyword(Kw::Return) => {
                self.bump();
                if self.at_stmt_end() {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some({ let v = self.parse_star_expressions()?; self.alloc(v) }))
                }
            }
            T::Keyword(Kw::Raise) => {
                self.bump();
                if self.at_stmt_end() {
                    StmtKind::Raise { exc: None, cause: None }
                } else {
                    let exc = { let v = self.parse_expression()?; self.alloc(v) };
                    let cause = if self.eat_kw(Kw::From) { Some({ let v = self.parse_expression()?; self.alloc(v) }) } else { None };
                    StmtKind::Raise { exc: Some(exc), cause }
                }
            }
            T::Keyword(Kw::Global) | T::Keyword(Kw::Nonlocal) => {
                let global = self.at_kw(Kw::Global);
                self.bump();
                let mut names = vec![self.expect_name()?];
                while self.eat_op(Op::Comma) {
                    names.push(self.expect_name()?);
                }
                let names = self.alloc_slice(names);
                if global {
                    StmtKind::Global(names)
                } else {
                    StmtKind::Nonlocal(names)
                }
            }
            T::Keyword(Kw::Del) => {
                self.bump();
                let mut targets = Vec::new();
                loop {
                    if self.at_stmt_end() {
                        break;
                    }
                    let t = self.parse_bitwise_or_or_star()?;
                    self.check_target(&t, target::Ctx::Del)?;
                    targets.push(t);
                    if !self.eat_op(Op::Comma) {
                        break;
                    }
                }
                if targets.is_empty() {
                    return Err(self.invalid_syntax());
                }
                StmtKind::Delete(self.alloc_slice(targets))
            }
            T::Keyword(Kw::Assert) => {
                self.bump();
                let test = { let v = self.parse_expression()?; self.alloc(v) };
                let msg = if self.eat_op(Op::Comma) { Some({ let v = self.parse_expression()?; self.alloc(v) }) } else { None };
                StmtKind::Assert { test, msg }
            }
            T::Keyword(Kw::Import) => {
                self.bump();
                let mut names = Vec::new();
                loop {
                    let aspan = self.span();
                    let name = self.parse_dotted_name()?;
                    let asname = if self.eat_kw(Kw::As) { Some(self.expect_name()?) } else { None };
                    names.push(Alias { name, asname, span: aspan.to(self.prev_span()) });
                    if !self.eat_op(Op::Comma) {
                        break;
                    }
                }
                StmtKind::Import(self.alloc_slice(names))
            }
            T::Keyword(Kw::From) => self.parse_import_from()?,
            _ => return self.parse_expr_stmt(),
        };
        Ok(self.stmt_from(start, kind))
    }

    pub(crate) fn at_stmt_end(&self) -> bool {
        matches!(self.kind(), T::Newline | T::EndMarker | T::Op(Op::Semi))
    }

    fn parse_dotted_name(&mut self) -> PResult<&'a str> {
        let mut s = String::from(self.expect_name()?);
        while self.eat_op(Op::Dot) {
            s.push('.');
            s.push_str(self.expect_name()?);
        }
        Ok(self.arena.alloc_str(&s))
    }

    fn parse_import_from(&mut self) -> PResult<StmtKind<'a>> {
        self.bump(); // 'from'
        let mut level = 0;
        loop {
            if self.eat_op(Op::Dot) {
                level += 1;
            } else if self.eat_op(Op::Ellipsis) {
                level += 3;
            } else {
                break;
            }
        }
        let module = if self.at_kw(Kw::Import) && level > 0 { None } else { Some(self.parse_dotted_name()?) };
        if !self.eat_kw(Kw::Import) {
            return Err(self.invalid_syntax());
        }
        let mut names = Vec::new();
        if self.at_op(Op::Star) {
            let span = self.span();
            self.bump();
            names.push(Alias { name: "*", asname: None, span });
        } else {
            let paren = self.eat_op(Op::LPar);
            loop {
                let aspan = self.span();
                let name = self.expect_name()?;
                let asname = if self.eat_kw(Kw::As) { Some(self.expect_name()?) } else { None };
                names.push(Alias { name, asname, span: aspan.to(self.prev_span()) });
                if !self.eat_op(Op::Comma) {
                    break;
                }
                if paren && self.at_op(Op::RPar) {
                    break;
                }
                if !paren && self.at_stmt_end() {
                    return Err(self.error_at_span("trailing comma not allowed without surrounding parentheses", self.prev_span()));
                }
            }
            if paren {
                self.expect_op(Op::RPar)?;
            }
        }
        Ok(StmtKind::ImportFrom { module, names: self.alloc_slice(names), level })
    }

    fn parse_expr_stmt(&mut self) -> PResult<Stmt<'a>> {
        let start = self.span();
        let first = if self.at_kw(Kw::Yield) { self.parse_yield_expr()? } else { self.parse_star_expressions()? };
        // Annotated assignment.
        if self.at_op(Op::Colon) {
            self.bump();
            self.check_ann_target(&first)?;
            let annotation = { let v = self.parse_expression()?; self.alloc(v) };
            let value = if self.eat_op(Op::Eq) { Some({ let v = self.parse_rhs()?; self.alloc(v) }) } else { None };
            let simple = matches!(first.kind, ExprKind::Name { .. }) && !self.src_is_parenthesized(&first);
            return Ok(self.stmt_from(start, StmtKind::AnnAssign { target: self.alloc(first), annotation, value, simple }));
        }
        // Augmented assignment.
        if let T::Op(op) = self.kind() {
            if let Some(binop) = aug_op(*op) {
                self.check_aug_target(&first)?;
                self.bump();
                let value = { let v = self.parse_rhs()?; self.alloc(v) };
                return Ok(self.stmt_from(start, StmtKind::AugAssign { target: self.alloc(first), op: binop, value }));
            }
        }
        if self.at_op(Op::Eq) {
            let mut exprs = vec![first];
            while self.eat_op(Op::Eq) {
                exprs.push(self.parse_rhs()?);
            }
            let value = exprs.pop().unwrap_or(first);
            for t in &exprs {
                self.check_assign_target(t)?;
            }
            return Ok(self.stmt_from(start, StmtKind::Assign { targets: self.alloc_slice(exprs), value: self.alloc(value) }));
        }
        if let ExprKind::Starred { .. } = first.kind {
            return Err(self.error_at_span("can't use starred expression here", first.span));
        }
        if matches!(self.kind(), T::Op(Op::ColonEq)) {
            return Err(self.invalid_syntax());
        }
        Ok(self.stmt_from(start, StmtKind::Expr(self.alloc(first))))
    }

    fn src_is_parenthesized(&self, e: &Expr<'a>) -> bool {
        let s = e.span.start as usize;
        s > 0 && self.src.text.as_bytes().get(s) == Some(&b'(')
    }

    /// Right-hand side of `=`: a yield expression or star expressions.
    fn parse_rhs(&mut self) -> PResult<Expr<'a>> {
        if self.at_kw(Kw::Yield) {
            self.parse_yield_expr()
        } else {
            self.parse_star_expressions()
        }
    }

    /// Statement-level `match` (a soft keyword): returns None when the line is not a
    /// match statement after all (e.g. `match = 3`), leaving the position untouched.
    fn try_parse_match(&mut self) -> PResult<Option<Stmt<'a>>> {
        let save = self.pos;
        let start = self.span();
        let line = self.line_of_span(start);
        self.bump();
        let subject = match self.parse_match_subject() {
            Ok(s) if self.at_op(Op::Colon) => s,
            _ => {
                self.pos = save;
                return Ok(None);
            }
        };
        self.bump(); // ':'
        if !matches!(self.kind(), T::Newline) {
            return Err(self.invalid_syntax());
        }
        self.bump();
        if !matches!(self.kind(), T::Indent) {
            let msg = format!("expected an indented block after 'match' statement on line {line}");
            return Err(self.indentation_error_here(&msg));
        }
        self.bump();
        let mut cases = Vec::new();
        while !matches!(self.kind(), T::Dedent | T::EndMarker) {
            if !self.at_name("case") {
                return Err(self.invalid_syntax());
            }
            let cline = self.line_of_span(self.span());
            self.bump();
            let pattern = self.parse_patterns()?;
            let guard = if self.eat_kw(Kw::If) { Some({ let v = self.parse_named_expression()?; self.alloc(v) }) } else { None };
            self.expect_op(Op::Colon)?;
            let body = self.parse_block("'case' statement", cline)?;
            cases.push(MatchCase { pattern, guard, body });
        }
        self.bump();
        Ok(Some(self.stmt_from(start, StmtKind::Match { subject: self.alloc(subject), cases: self.alloc_slice(cases) })))
    }

    fn parse_match_subject(&mut self) -> PResult<Expr<'a>> {
        let first = if self.at_op(Op::Star) { self.parse_star_expr()? } else { self.parse_named_expression()? };
        if self.at_op(Op::Comma) {
            let mut elts = vec![first];
            while self.eat_op(Op::Comma) {
                if self.at_op(Op::Colon) {
                    break;
                }
                elts.push(if self.at_op(Op::Star) { self.parse_star_expr()? } else { self.parse_named_expression()? });
            }
            let span = first.span.to(self.prev_span());
            return Ok(Expr { kind: ExprKind::Tuple { elts: self.alloc_slice(elts), parenthesized: false }, span });
        }
        Ok(first)
    }
}

fn aug_op(op: Op) -> Option<BinOp> {
    Some(match op {
        Op::PlusEq => BinOp::Add,
        Op::MinusEq => BinOp::Sub,
        Op::StarEq => BinOp::Mult,
        Op::SlashEq => BinOp::Div,
        Op::SlashSlashEq => BinOp::FloorDiv,
        Op::PercentEq => BinOp::Mod,
        Op::StarStarEq => BinOp::Pow,
        Op::ShlEq => BinOp::LShift,
        Op::ShrEq => BinOp::RShift,
        Op::AmpEq => BinOp::And,
        Op::PipeEq => BinOp::Or,
        Op::CaretEq => BinOp::BitXor,
        Op::AtEq => BinOp::MatMult,
        _ => return None,
    })
}
