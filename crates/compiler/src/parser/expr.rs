//! Expression grammar: precedence climbing from `named_expression` down to atoms,
//! plus displays, comprehensions, call arguments, slices and string literals.

use super::{PResult, Parser};
use crate::ast::*;
use crate::lexer::tokenize;
use crate::source::Source;
use crate::token::{FStringPart, Keyword as Kw, Op, Span, TokenKind as T};

impl<'a, 's> Parser<'a, 's> {
    fn mk(&self, kind: ExprKind<'a>, span: Span) -> Expr<'a> {
        Expr { kind, span }
    }

    /// `star_expressions`: one or more (possibly starred) expressions; a tuple if commas.
    pub(crate) fn parse_star_expressions(&mut self) -> PResult<Expr<'a>> {
        let first = self.parse_star_expr_or_expr()?;
        if !self.at_op(Op::Comma) {
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat_op(Op::Comma) {
            if !self.starts_expression() {
                break;
            }
            elts.push(self.parse_star_expr_or_expr()?);
        }
        let span = first.span.to(self.prev_span());
        Ok(self.mk(ExprKind::Tuple { elts: self.alloc_slice(elts), parenthesized: false }, span))
    }

    fn parse_star_expr_or_expr(&mut self) -> PResult<Expr<'a>> {
        if self.at_op(Op::Star) {
            self.parse_star_expr()
        } else {
            self.parse_expression()
        }
    }

    /// `'*' bitwise_or`
    pub(crate) fn parse_star_expr(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        self.bump();
        let value = self.parse_bitwise_or()?;
        Ok(self.mk(ExprKind::Starred { value: self.alloc(value) }, start.to(value.span)))
    }

    /// Could the current token begin an expression?
    pub(crate) fn starts_expression(&self) -> bool {
        match self.kind() {
            T::Name(_) | T::Int { .. } | T::Float(_) | T::Imag(_) | T::Str(_) | T::Bytes(_) | T::FString(_) => true,
            T::Keyword(k) => matches!(
                k,
                Kw::None | Kw::True | Kw::False | Kw::Not | Kw::Lambda | Kw::Await | Kw::Yield
            ),
            T::Op(o) => matches!(
                o,
                Op::LPar | Op::LSqb | Op::LBrace | Op::Minus | Op::Plus | Op::Tilde | Op::Star | Op::Ellipsis | Op::StarStar
            ),
            _ => false,
        }
    }

    /// `named_expression: NAME ':=' expression | expression`
    pub(crate) fn parse_named_expression(&mut self) -> PResult<Expr<'a>> {
        if matches!(self.kind(), T::Name(_)) && matches!(self.peek_kind(1), T::Op(Op::ColonEq)) {
            let start = self.span();
            let name = self.expect_name()?;
            let target = self.mk(ExprKind::Name { id: name }, start);
            self.bump();
            let value = self.parse_expression()?;
            let span = start.to(value.span);
            return Ok(self.mk(ExprKind::NamedExpr { target: self.alloc(target), value: self.alloc(value) }, span));
        }
        let e = self.parse_expression()?;
        if self.at_op(Op::Eq) {
            // `if x = 1:` — CPython's invalid_named_expression rule.
            let save = self.pos;
            self.bump();
            if self.starts_expression() {
                if let Ok(rhs) = self.parse_bitwise_or() {
                    if !self.at_op(Op::Eq) && !self.at_op(Op::ColonEq) {
                        return Err(match e.kind {
                            ExprKind::Name { .. } => self.error_at_span(
                                "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                                e.span.to(rhs.span),
                            ),
                            _ => {
                                let what = super::target::expr_name(&e);
                                self.error_at_span(&format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?"), e.span)
                            }
                        });
                    }
                }
            }
            self.pos = save;
        }
        if self.at_op(Op::ColonEq) {
            let what = super::target::expr_name(&e);
            return Err(self.error_at_span(&format!("cannot use assignment expressions with {what}"), e.span));
        }
        Ok(e)
    }

    /// `expression: disjunction ['if' disjunction 'else' expression] | lambdef`
    pub(crate) fn parse_expression(&mut self) -> PResult<Expr<'a>> {
        self.enter()?;
        let r = self.parse_expression_inner();
        self.leave();
        r
    }

    fn parse_expression_inner(&mut self) -> PResult<Expr<'a>> {
        if self.at_kw(Kw::Lambda) {
            return self.parse_lambda();
        }
        let body = self.parse_disjunction()?;
        if self.at_kw(Kw::If) {
            self.bump();
            let test = self.parse_disjunction()?;
            if !self.eat_kw(Kw::Else) {
                return Err(self.error_at_span("expected 'else' after 'if' expression", body.span.to(test.span)));
            }
            let orelse = self.parse_expression()?;
            let span = body.span.to(orelse.span);
            return Ok(self.mk(
                ExprKind::IfExp { test: self.alloc(test), body: self.alloc(body), orelse: self.alloc(orelse) },
                span,
            ));
        }
        Ok(body)
    }

    fn parse_lambda(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        self.bump();
        let args = self.parse_parameters(Op::Colon, false)?;
        self.expect_op(Op::Colon)?;
        let body = self.parse_expression()?;
        let span = start.to(body.span);
        Ok(self.mk(ExprKind::Lambda { args: self.alloc(args), body: self.alloc(body) }, span))
    }

    // Composite nodes span from their first token to their last one, parentheses of
    // their operands included (`(a) + (b)` starts at the first '('), as CPython's
    // grammar actions locate them; tracebacks' carets depend on it.
    fn parse_disjunction(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        let first = self.parse_conjunction()?;
        if !self.at_kw(Kw::Or) {
            return Ok(first);
        }
        let mut values = vec![first];
        while self.eat_kw(Kw::Or) {
            values.push(self.parse_conjunction()?);
        }
        let span = start.to(self.prev_span());
        Ok(self.mk(ExprKind::BoolOp { op: BoolOp::Or, values: self.alloc_slice(values) }, span))
    }

    fn parse_conjunction(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        let first = self.parse_inversion()?;
        if !self.at_kw(Kw::And) {
            return Ok(first);
        }
        let mut values = vec![first];
        while self.eat_kw(Kw::And) {
            values.push(self.parse_inversion()?);
        }
        let span = start.to(self.prev_span());
        Ok(self.mk(ExprKind::BoolOp { op: BoolOp::And, values: self.alloc_slice(values) }, span))
    }

    fn parse_inversion(&mut self) -> PResult<Expr<'a>> {
        if self.at_kw(Kw::Not) {
            let start = self.span();
            self.bump();
            self.enter()?;
            let operand = self.parse_inversion();
            self.leave();
            let operand = operand?;
            let span = start.to(self.prev_span());
            return Ok(self.mk(ExprKind::UnaryOp { op: UnaryOp::Not, operand: self.alloc(operand) }, span));
        }
        self.parse_comparison()
    }

    fn comparison_op(&self) -> Option<(CmpOp, usize)> {
        Some(match self.kind() {
            T::Op(Op::EqEq) => (CmpOp::Eq, 1),
            T::Op(Op::NotEq) => (CmpOp::NotEq, 1),
            T::Op(Op::Lt) => (CmpOp::Lt, 1),
            T::Op(Op::LtEq) => (CmpOp::LtE, 1),
            T::Op(Op::Gt) => (CmpOp::Gt, 1),
            T::Op(Op::GtEq) => (CmpOp::GtE, 1),
            T::Keyword(Kw::In) => (CmpOp::In, 1),
            T::Keyword(Kw::Is) => {
                if matches!(self.peek_kind(1), T::Keyword(Kw::Not)) {
                    (CmpOp::IsNot, 2)
                } else {
                    (CmpOp::Is, 1)
                }
            }
            T::Keyword(Kw::Not) if matches!(self.peek_kind(1), T::Keyword(Kw::In)) => (CmpOp::NotIn, 2),
            _ => return None,
        })
    }

    fn parse_comparison(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        let left = self.parse_bitwise_or()?;
        let Some(_) = self.comparison_op() else { return Ok(left) };
        let mut ops = Vec::new();
        let mut comparators = Vec::new();
        while let Some((op, n)) = self.comparison_op() {
            for _ in 0..n {
                self.bump();
            }
            ops.push(op);
            comparators.push(self.parse_bitwise_or()?);
        }
        let span = start.to(self.prev_span());
        Ok(self.mk(
            ExprKind::Compare { left: self.alloc(left), ops: self.alloc_slice(ops), comparators: self.alloc_slice(comparators) },
            span,
        ))
    }

    /// A `del` target or `for` target element: `'*' bitwise_or | bitwise_or`.
    pub(crate) fn parse_bitwise_or_or_star(&mut self) -> PResult<Expr<'a>> {
        if self.at_op(Op::Star) {
            self.parse_star_expr()
        } else {
            self.parse_bitwise_or()
        }
    }

    /// Binary operators by precedence level (lowest first).
    fn binop_at(&self, level: u8) -> Option<BinOp> {
        let T::Op(op) = self.kind() else { return None };
        Some(match (level, op) {
            (0, Op::Pipe) => BinOp::Or,
            (1, Op::Caret) => BinOp::BitXor,
            (2, Op::Amp) => BinOp::And,
            (3, Op::Shl) => BinOp::LShift,
            (3, Op::Shr) => BinOp::RShift,
            (4, Op::Plus) => BinOp::Add,
            (4, Op::Minus) => BinOp::Sub,
            (5, Op::Star) => BinOp::Mult,
            (5, Op::Slash) => BinOp::Div,
            (5, Op::SlashSlash) => BinOp::FloorDiv,
            (5, Op::Percent) => BinOp::Mod,
            (5, Op::At) => BinOp::MatMult,
            _ => return None,
        })
    }

    pub(crate) fn parse_bitwise_or(&mut self) -> PResult<Expr<'a>> {
        self.parse_binary(0)
    }

    fn parse_binary(&mut self, level: u8) -> PResult<Expr<'a>> {
        if level == 6 {
            return self.parse_factor();
        }
        let start = self.span();
        let mut left = self.parse_binary(level + 1)?;
        while let Some(op) = self.binop_at(level) {
            self.bump();
            let right = self.parse_binary(level + 1)?;
            let span = start.to(self.prev_span());
            left = self.mk(ExprKind::BinOp { left: self.alloc(left), op, right: self.alloc(right) }, span);
        }
        Ok(left)
    }

    fn parse_factor(&mut self) -> PResult<Expr<'a>> {
        let op = match self.kind() {
            T::Op(Op::Minus) => UnaryOp::USub,
            T::Op(Op::Plus) => UnaryOp::UAdd,
            T::Op(Op::Tilde) => UnaryOp::Invert,
            _ => return self.parse_power(),
        };
        let start = self.span();
        self.bump();
        self.enter()?;
        let operand = self.parse_factor();
        self.leave();
        let operand = operand?;
        let span = start.to(self.prev_span());
        Ok(self.mk(ExprKind::UnaryOp { op, operand: self.alloc(operand) }, span))
    }

    fn parse_power(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        let base = if self.at_kw(Kw::Await) {
            let start = self.span();
            self.bump();
            let v = self.parse_primary()?;
            let span = start.to(v.span);
            self.mk(ExprKind::Await { value: self.alloc(v) }, span)
        } else {
            self.parse_primary()?
        };
        if self.eat_op(Op::StarStar) {
            self.enter()?;
            let exp = self.parse_factor();
            self.leave();
            let exp = exp?;
            let span = start.to(self.prev_span());
            return Ok(self.mk(ExprKind::BinOp { left: self.alloc(base), op: BinOp::Pow, right: self.alloc(exp) }, span));
        }
        Ok(base)
    }

    /// `primary: atom ('.' NAME | '(' args ')' | '[' slices ']')*`
    fn parse_primary(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        let mut e = self.parse_atom()?;
        loop {
            if self.eat_op(Op::Dot) {
                let attr = self.expect_name()?;
                let span = start.to(self.prev_span());
                e = self.mk(ExprKind::Attribute { value: self.alloc(e), attr }, span);
            } else if self.at_op(Op::LPar) {
                self.bump();
                self.enter()?;
                let r = self.parse_call_args();
                self.leave();
                let (args, keywords) = r?;
                self.expect_op(Op::RPar)?;
                let span = start.to(self.prev_span());
                e = self.mk(ExprKind::Call { func: self.alloc(e), args, keywords }, span);
            } else if self.at_op(Op::LSqb) {
                self.bump();
                self.enter()?;
                let r = self.parse_slices();
                self.leave();
                let slice = r?;
                self.expect_op(Op::RSqb)?;
                let span = start.to(self.prev_span());
                e = self.mk(ExprKind::Subscript { value: self.alloc(e), slice: self.alloc(slice) }, span);
            } else {
                return Ok(e);
            }
        }
    }

    fn parse_slices(&mut self) -> PResult<Expr<'a>> {
        let first = self.parse_slice()?;
        if !self.at_op(Op::Comma) {
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat_op(Op::Comma) {
            if self.at_op(Op::RSqb) {
                break;
            }
            elts.push(self.parse_slice()?);
        }
        let span = first.span.to(self.prev_span());
        Ok(self.mk(ExprKind::Tuple { elts: self.alloc_slice(elts), parenthesized: false }, span))
    }

    fn parse_slice(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        let lower = if self.at_op(Op::Colon) {
            None
        } else if self.at_op(Op::Star) {
            return self.parse_star_expr();
        } else {
            let e = self.parse_named_expression()?;
            if !self.at_op(Op::Colon) {
                return Ok(e);
            }
            Some(self.alloc(e))
        };
        self.bump(); // ':'
        let upper = if self.at_op(Op::Colon) || self.at_op(Op::Comma) || self.at_op(Op::RSqb) {
            None
        } else {
            Some({ let v = self.parse_expression()?; self.alloc(v) })
        };
        let mut step = None;
        if self.eat_op(Op::Colon) && !(self.at_op(Op::Comma) || self.at_op(Op::RSqb)) {
            step = Some({ let v = self.parse_expression()?; self.alloc(v) });
        }
        let span = start.to(self.prev_span());
        Ok(self.mk(ExprKind::Slice { lower, upper, step }, span))
    }

    /// Arguments of a call or class definition, after `(` and up to (not including) `)`.
    pub(crate) fn parse_call_args(&mut self) -> PResult<(&'a [Expr<'a>], &'a [Keyword<'a>])> {
        let mut args: Vec<Expr<'a>> = Vec::new();
        let mut keywords: Vec<Keyword<'a>> = Vec::new();
        let mut seen_kwargs_unpack = false;
        while !self.at_op(Op::RPar) {
            let start = self.span();
            if self.at_op(Op::Star) {
                let e = self.parse_star_expr()?;
                if seen_kwargs_unpack {
                    return Err(self.error_at_span("iterable argument unpacking follows keyword argument unpacking", e.span));
                }
                args.push(e);
            } else if self.eat_op(Op::StarStar) {
                let value = self.parse_expression()?;
                seen_kwargs_unpack = true;
                keywords.push(Keyword { arg: None, value, span: start.to(value.span) });
            } else if matches!(self.kind(), T::Name(_)) && matches!(self.peek_kind(1), T::Op(Op::Eq)) {
                let name = self.expect_name()?;
                self.bump();
                let value = self.parse_expression()?;
                if keywords.iter().any(|k| k.arg == Some(name)) {
                    return Err(self.error_at_span(&format!("keyword argument repeated: {name}"), start.to(value.span)));
                }
                keywords.push(Keyword { arg: Some(name), value, span: start.to(value.span) });
            } else {
                let e = self.parse_named_expression()?;
                if self.at_op(Op::Eq) {
                    let what = super::target::expr_name(&e);
                    let msg = if matches!(e.kind, ExprKind::Constant(_)) || what == "expression" {
                        "expression cannot contain assignment, perhaps you meant \"==\"?".to_string()
                    } else {
                        "expression cannot contain assignment, perhaps you meant \"==\"?".to_string()
                    };
                    return Err(self.error_at_span(&msg, e.span.to(self.span())));
                }
                let e = if self.at_kw(Kw::For) || self.at_kw(Kw::Async) {
                    let g = self.parse_comprehension_tail(e, CompKind::Gen, start)?;
                    if !args.is_empty() || !keywords.is_empty() || self.at_op(Op::Comma) && !matches!(self.peek_kind(1), T::Op(Op::RPar)) {
                        return Err(self.error_at_span("Generator expression must be parenthesized", g.span));
                    }
                    g
                } else {
                    e
                };
                if !keywords.is_empty() {
                    let msg = if seen_kwargs_unpack {
                        "positional argument follows keyword argument unpacking"
                    } else {
                        "positional argument follows keyword argument"
                    };
                    return Err(self.error_at_span(msg, Span { start: e.span.end, end: e.span.end }));
                }
                if let Some(prev) = args.last() {
                    if matches!(prev.kind, ExprKind::GeneratorExp { .. }) && !self.src_starts_paren(prev) {
                        return Err(self.error_at_span("Generator expression must be parenthesized", prev.span));
                    }
                }
                args.push(e);
            }
            if !self.eat_op(Op::Comma) {
                if self.starts_expression() && !self.at_op(Op::RPar) {
                    let last = args.last().map(|e| e.span).or(keywords.last().map(|k| k.span));
                    if let Some(ls) = last {
                        let next = self.parse_expression()?;
                        return Err(self.error_at_span("invalid syntax. Perhaps you forgot a comma?", ls.to(next.span)));
                    }
                }
                break;
            }
        }
        Ok((self.alloc_slice(args), self.alloc_slice(keywords)))
    }

    fn src_starts_paren(&self, e: &Expr<'a>) -> bool {
        self.src.text.as_bytes().get(e.span.start as usize) == Some(&b'(')
    }

    pub(crate) fn parse_yield_expr(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        self.bump(); // 'yield'
        if self.eat_kw(Kw::From) {
            let v = self.parse_expression()?;
            let span = start.to(v.span);
            return Ok(self.mk(ExprKind::YieldFrom { value: self.alloc(v) }, span));
        }
        if self.at_stmt_end() || self.at_op(Op::RPar) || self.at_op(Op::Eq) || self.at_op(Op::RSqb) || self.at_op(Op::RBrace) {
            return Ok(self.mk(ExprKind::Yield { value: None }, start));
        }
        let v = self.parse_star_expressions()?;
        let span = start.to(v.span);
        Ok(self.mk(ExprKind::Yield { value: Some(self.alloc(v)) }, span))
    }

    /// `star_targets` for `for` loops and comprehensions: stops before `in`.
    pub(crate) fn parse_target_list(&mut self) -> PResult<Expr<'a>> {
        let first = self.parse_bitwise_or_or_star()?;
        if !self.at_op(Op::Comma) {
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat_op(Op::Comma) {
            if self.at_kw(Kw::In) || self.at_op(Op::Eq) {
                break;
            }
            elts.push(self.parse_bitwise_or_or_star()?);
        }
        let span = first.span.to(self.prev_span());
        Ok(self.mk(ExprKind::Tuple { elts: self.alloc_slice(elts), parenthesized: false }, span))
    }

    /// A single `with ... as` target.
    pub(crate) fn parse_target(&mut self) -> PResult<Expr<'a>> {
        self.parse_bitwise_or_or_star()
    }

    // ----- atoms --------------------------------------------------------------------

    fn parse_atom(&mut self) -> PResult<Expr<'a>> {
        let span = self.span();
        let kind = match self.kind().clone() {
            T::Name(n) => {
                self.bump();
                ExprKind::Name { id: self.arena.alloc_str(&n) }
            }
            T::Keyword(Kw::None) => {
                self.bump();
                ExprKind::Constant(Constant::None)
            }
            T::Keyword(Kw::True) => {
                self.bump();
                ExprKind::Constant(Constant::True)
            }
            T::Keyword(Kw::False) => {
                self.bump();
                ExprKind::Constant(Constant::False)
            }
            T::Op(Op::Ellipsis) => {
                self.bump();
                ExprKind::Constant(Constant::Ellipsis)
            }
            T::Int { digits, radix } => {
                self.bump();
                ExprKind::Constant(Constant::Int { digits: self.arena.alloc_str(&digits), radix })
            }
            T::Float(f) => {
                self.bump();
                ExprKind::Constant(Constant::Float(f))
            }
            T::Imag(f) => {
                self.bump();
                ExprKind::Constant(Constant::Imag(f))
            }
            T::Str(_) | T::Bytes(_) | T::FString(_) => return self.parse_strings(),
            T::Op(Op::LPar) => return self.parse_paren(),
            T::Op(Op::LSqb) => return self.parse_list_display(),
            T::Op(Op::LBrace) => return self.parse_brace_display(),
            T::Keyword(Kw::Yield) => {
                return Err(self.error_at_span("invalid syntax", span));
            }
            _ => return Err(self.invalid_syntax()),
        };
        Ok(self.mk(kind, span))
    }

    fn parse_paren(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        self.bump();
        self.enter()?;
        let r = self.parse_paren_inner(start);
        self.leave();
        r
    }

    fn parse_paren_inner(&mut self, start: Span) -> PResult<Expr<'a>> {
        if self.eat_op(Op::RPar) {
            let span = start.to(self.prev_span());
            return Ok(self.mk(ExprKind::Tuple { elts: &[], parenthesized: true }, span));
        }
        if self.at_kw(Kw::Yield) {
            let y = self.parse_yield_expr()?;
            self.expect_op(Op::RPar)?;
            return Ok(Expr { kind: y.kind, span: start.to(self.prev_span()) });
        }
        let first = if self.at_op(Op::Star) { self.parse_star_expr()? } else { self.parse_named_expression()? };
        if self.at_kw(Kw::For) || self.at_kw(Kw::Async) {
            let g = self.parse_comprehension_tail(first, CompKind::Gen, start)?;
            self.expect_op(Op::RPar)?;
            return Ok(Expr { kind: g.kind, span: start.to(self.prev_span()) });
        }
        if self.eat_op(Op::RPar) {
            if let ExprKind::Starred { .. } = first.kind {
                return Err(self.error_at_span("cannot use starred expression here", first.span));
            }
            // Keep the inner span (CPython positions a parenthesized expression at its
            // contents), but remember parentheses for tuples.
            if let ExprKind::Tuple { elts, .. } = first.kind {
                return Ok(self.mk(ExprKind::Tuple { elts, parenthesized: true }, first.span));
            }
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat_op(Op::Comma) {
            if self.at_op(Op::RPar) {
                break;
            }
            elts.push(if self.at_op(Op::Star) { self.parse_star_expr()? } else { self.parse_named_expression()? });
        }
        if !self.at_op(Op::RPar) {
            return Err(self.missing_comma_error(&elts));
        }
        self.bump();
        let span = start.to(self.prev_span());
        Ok(self.mk(ExprKind::Tuple { elts: self.alloc_slice(elts), parenthesized: true }, span))
    }

    /// Inside a display, an expression directly followed by another: CPython suggests a comma.
    fn missing_comma_error(&mut self, elts: &[Expr<'a>]) -> crate::error::SyntaxError {
        if self.starts_expression() {
            if let Some(last) = elts.last().copied() {
                let save = self.pos;
                if let Ok(next) = self.parse_expression() {
                    return self.error_at_span("invalid syntax. Perhaps you forgot a comma?", last.span.to(next.span));
                }
                self.pos = save;
            }
        }
        self.invalid_syntax()
    }

    fn parse_list_display(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        self.bump();
        self.enter()?;
        let r = self.parse_list_inner(start);
        self.leave();
        r
    }

    fn parse_list_inner(&mut self, start: Span) -> PResult<Expr<'a>> {
        let mut elts = Vec::new();
        if !self.at_op(Op::RSqb) {
            let first = if self.at_op(Op::Star) { self.parse_star_expr()? } else { self.parse_named_expression()? };
            if self.at_kw(Kw::For) || self.at_kw(Kw::Async) {
                let c = self.parse_comprehension_tail(first, CompKind::List, start)?;
                self.expect_op(Op::RSqb)?;
                return Ok(Expr { kind: c.kind, span: start.to(self.prev_span()) });
            }
            elts.push(first);
            while self.eat_op(Op::Comma) {
                if self.at_op(Op::RSqb) {
                    break;
                }
                elts.push(if self.at_op(Op::Star) { self.parse_star_expr()? } else { self.parse_named_expression()? });
            }
        }
        if !self.at_op(Op::RSqb) {
            return Err(self.missing_comma_error(&elts));
        }
        self.bump();
        let span = start.to(self.prev_span());
        Ok(self.mk(ExprKind::List { elts: self.alloc_slice(elts) }, span))
    }

    fn parse_brace_display(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        self.bump();
        self.enter()?;
        let r = self.parse_brace_inner(start);
        self.leave();
        r
    }

    fn parse_brace_inner(&mut self, start: Span) -> PResult<Expr<'a>> {
        if self.eat_op(Op::RBrace) {
            let span = start.to(self.prev_span());
            return Ok(self.mk(ExprKind::Dict { keys: &[], values: &[] }, span));
        }
        // First item decides dict vs set.
        if self.eat_op(Op::StarStar) {
            let v = self.parse_bitwise_or()?;
            return self.parse_dict_rest(start, vec![None], vec![v]);
        }
        let first = if self.at_op(Op::Star) { self.parse_star_expr()? } else { self.parse_named_expression()? };
        if self.eat_op(Op::Colon) {
            if self.at_op(Op::RBrace) || self.at_op(Op::Comma) {
                let colon = self.prev_span();
                return Err(self.error_at_span("expression expected after dictionary key and ':'", colon));
            }
            let value = self.parse_expression()?;
            if self.at_kw(Kw::For) || self.at_kw(Kw::Async) {
                let gens = self.parse_comp_for()?;
                self.expect_op(Op::RBrace)?;
                let span = start.to(self.prev_span());
                return Ok(self.mk(
                    ExprKind::DictComp { key: self.alloc(first), value: self.alloc(value), generators: gens },
                    span,
                ));
            }
            return self.parse_dict_rest(start, vec![Some(first)], vec![value]);
        }
        if self.at_kw(Kw::For) || self.at_kw(Kw::Async) {
            let c = self.parse_comprehension_tail(first, CompKind::Set, start)?;
            self.expect_op(Op::RBrace)?;
            return Ok(Expr { kind: c.kind, span: start.to(self.prev_span()) });
        }
        let mut elts = vec![first];
        while self.eat_op(Op::Comma) {
            if self.at_op(Op::RBrace) {
                break;
            }
            elts.push(if self.at_op(Op::Star) { self.parse_star_expr()? } else { self.parse_named_expression()? });
        }
        if !self.at_op(Op::RBrace) {
            return Err(self.missing_comma_error(&elts));
        }
        self.bump();
        let span = start.to(self.prev_span());
        Ok(self.mk(ExprKind::Set { elts: self.alloc_slice(elts) }, span))
    }

    fn parse_dict_rest(&mut self, start: Span, mut keys: Vec<Option<Expr<'a>>>, mut values: Vec<Expr<'a>>) -> PResult<Expr<'a>> {
        while self.eat_op(Op::Comma) {
            if self.at_op(Op::RBrace) {
                break;
            }
            if self.eat_op(Op::StarStar) {
                keys.push(None);
                values.push(self.parse_bitwise_or()?);
                continue;
            }
            let k = self.parse_expression()?;
            if self.at_op(Op::Colon) && matches!(self.peek_kind(1), T::Op(Op::RBrace) | T::Op(Op::Comma)) {
                self.bump();
                let colon = self.prev_span();
                return Err(self.error_at_span("expression expected after dictionary key and ':'", colon));
            }
            if !self.eat_op(Op::Colon) {
                let mut e = self.error_at_span("':' expected after dictionary key", k.span);
                e.end_col = 0;
                return Err(e);
            }
            keys.push(Some(k));
            values.push(self.parse_expression()?);
        }
        if !self.at_op(Op::RBrace) {
            return Err(self.invalid_syntax());
        }
        self.bump();
        let span = start.to(self.prev_span());
        Ok(self.mk(ExprKind::Dict { keys: self.alloc_slice(keys), values: self.alloc_slice(values) }, span))
    }

    fn parse_comprehension_tail(&mut self, elt: Expr<'a>, kind: CompKind, start: Span) -> PResult<Expr<'a>> {
        if let ExprKind::Starred { .. } = elt.kind {
            let what = match kind {
                CompKind::List => "iterable unpacking cannot be used in comprehension",
                _ => "iterable unpacking cannot be used in comprehension",
            };
            return Err(self.error_at_span(what, elt.span));
        }
        let generators = self.parse_comp_for()?;
        let span = start.to(self.prev_span());
        let elt = self.alloc(elt);
        let kind = match kind {
            CompKind::List => ExprKind::ListComp { elt, generators },
            CompKind::Set => ExprKind::SetComp { elt, generators },
            CompKind::Gen => ExprKind::GeneratorExp { elt, generators },
        };
        Ok(self.mk(kind, span))
    }

    fn parse_comp_for(&mut self) -> PResult<&'a [Comprehension<'a>]> {
        let mut gens = Vec::new();
        loop {
            let is_async = self.eat_kw(Kw::Async);
            if !self.eat_kw(Kw::For) {
                if is_async {
                    return Err(self.invalid_syntax());
                }
                break;
            }
            let target = self.parse_target_list()?;
            self.check_target(&target, super::target::Ctx::Store)?;
            if !self.eat_kw(Kw::In) {
                return Err(self.invalid_syntax());
            }
            let iter = self.parse_disjunction()?;
            let mut ifs = Vec::new();
            while self.eat_kw(Kw::If) {
                ifs.push(self.parse_disjunction()?);
            }
            gens.push(Comprehension {
                target: self.alloc(target),
                iter: self.alloc(iter),
                ifs: self.alloc_slice(ifs),
                is_async,
            });
        }
        Ok(self.alloc_slice(gens))
    }

    // ----- strings ------------------------------------------------------------------

    /// Adjacent string literals concatenated; f-strings make a `JoinedStr`.
    pub(crate) fn parse_strings(&mut self) -> PResult<Expr<'a>> {
        let start = self.span();
        let mut bytes: Option<Vec<u8>> = None;
        let mut has_str = false;
        let mut has_fstring = false;
        let mut parts: Vec<Expr<'a>> = Vec::new();
        let mut text = String::new();
        loop {
            let tspan = self.span();
            match self.kind().clone() {
                T::Str(s) => {
                    has_str = true;
                    text.push_str(&s);
                }
                T::Bytes(b) => bytes.get_or_insert_with(Vec::new).extend_from_slice(&b),
                T::FString(fparts) => {
                    has_fstring = true;
                    self.flatten_fstring(&fparts, &mut text, &mut parts, tspan)?;
                }
                _ => break,
            }
            self.bump();
        }
        let span = start.to(self.prev_span());
        if bytes.is_some() && (has_str || has_fstring) {
            return Err(self.error_at_span("cannot mix bytes and nonbytes literals", span));
        }
        if let Some(b) = bytes {
            return Ok(self.mk(ExprKind::Constant(Constant::Bytes(self.arena.alloc_slice_copy(&b))), span));
        }
        if !has_fstring {
            return Ok(self.mk(ExprKind::Constant(Constant::Str(self.arena.alloc_str(&text))), span));
        }
        if !text.is_empty() {
            parts.push(self.mk(ExprKind::Constant(Constant::Str(self.arena.alloc_str(&text))), span));
        }
        Ok(self.mk(ExprKind::JoinedStr { values: self.alloc_slice(parts) }, span))
    }

    /// Append an f-string's pieces: literal text accumulates in `text` (so adjacent
    /// literals merge, as CPython does), fields become `FormattedValue`s.
    fn flatten_fstring(&mut self, fparts: &[FStringPart], text: &mut String, out: &mut Vec<Expr<'a>>, span: Span) -> PResult<()> {
        for part in fparts {
            match part {
                FStringPart::Literal(s) => text.push_str(s),
                FStringPart::Field(f) => {
                    if let Some(d) = &f.debug_text {
                        text.push_str(d);
                    }
                    if !text.is_empty() {
                        out.push(self.mk(ExprKind::Constant(Constant::Str(self.arena.alloc_str(text))), span));
                        text.clear();
                    }
                    let value = self.parse_fstring_expr(&f.expr_src, f.expr_offset)?;
                    let format_spec = match &f.format_spec {
                        Some(spec) => {
                            let mut stext = String::new();
                            let mut sparts = Vec::new();
                            self.flatten_fstring(spec, &mut stext, &mut sparts, span)?;
                            if !stext.is_empty() {
                                sparts.push(self.mk(ExprKind::Constant(Constant::Str(self.arena.alloc_str(&stext))), span));
                            }
                            Some(self.alloc(self.mk(ExprKind::JoinedStr { values: self.alloc_slice(sparts) }, span)))
                        }
                        None => None,
                    };
                    out.push(self.mk(
                        ExprKind::FormattedValue { value: self.alloc(value), conversion: f.conversion, format_spec },
                        span,
                    ));
                }
            }
        }
        Ok(())
    }

    /// Parse an f-string replacement field's expression, as CPython 3.11 does: the text is
    /// wrapped in parentheses and parsed as an expression on its own.
    fn parse_fstring_expr(&mut self, src_text: &str, offset: u32) -> PResult<Expr<'a>> {
        let wrapped = format!("({src_text})");
        let sub_src = Source::new(self.src.filename, &wrapped);
        let tokens = match tokenize(&sub_src) {
            Ok(t) => t,
            Err(mut e) => {
                e.msg = format!("f-string: {}", e.msg);
                e.line = self.src.line_of(offset);
                return Err(e);
            }
        };
        let mut sub = Parser::new(self.arena, self.src, tokens);
        sub.span_shift = offset as i64 - 1;
        sub.depth = self.depth;
        let e = sub.parse_star_expressions().map_err(|mut e| {
            if !e.msg.starts_with("f-string") {
                e.msg = format!("f-string: {}", e.msg);
            }
            e
        })?;
        if !matches!(sub.kind(), T::Newline | T::EndMarker) {
            return Err(sub.invalid_syntax());
        }
        Ok(e)
    }
}

#[derive(Clone, Copy)]
enum CompKind {
    List,
    Set,
    Gen,
}
