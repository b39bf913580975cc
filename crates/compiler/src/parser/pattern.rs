//! `match` statement patterns (PEP 634).

use super::{PResult, Parser};
use crate::ast::*;
use crate::token::{Keyword as Kw, Op, Span, TokenKind as T};

impl<'a, 's> Parser<'a, 's> {
    fn pat(&self, kind: PatternKind<'a>, span: Span) -> Pattern<'a> {
        Pattern { kind, span }
    }

    /// `patterns: open_sequence_pattern | pattern`
    pub(crate) fn parse_patterns(&mut self) -> PResult<Pattern<'a>> {
        let start = self.span();
        let first = self.parse_maybe_star_pattern()?;
        if !self.at_op(Op::Comma) {
            if let PatternKind::MatchStar(_) = first.kind {
                return Ok(self.pat(PatternKind::MatchSequence(self.alloc_slice(vec![first])), first.span));
            }
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(Op::Comma) {
            if self.at_op(Op::Colon) || self.at_kw(Kw::If) {
                break;
            }
            items.push(self.parse_maybe_star_pattern()?);
        }
        Ok(self.pat(PatternKind::MatchSequence(self.alloc_slice(items)), start.to(self.prev_span())))
    }

    fn parse_maybe_star_pattern(&mut self) -> PResult<Pattern<'a>> {
        if self.at_op(Op::Star) {
            let start = self.span();
            self.bump();
            let name = self.expect_name()?;
            let name = if name == "_" { None } else { Some(name) };
            return Ok(self.pat(PatternKind::MatchStar(name), start.to(self.prev_span())));
        }
        self.parse_pattern()
    }

    /// `pattern: or_pattern ['as' NAME]`
    fn parse_pattern(&mut self) -> PResult<Pattern<'a>> {
        self.enter()?;
        let r = self.parse_pattern_inner();
        self.leave();
        r
    }

    fn parse_pattern_inner(&mut self) -> PResult<Pattern<'a>> {
        let start = self.span();
        let p = self.parse_or_pattern()?;
        if self.eat_kw(Kw::As) {
            let nspan = self.span();
            let name = self.expect_name()?;
            if name == "_" {
                return Err(self.error_at_span("cannot use '_' as a target", nspan));
            }
            return Ok(self.pat(PatternKind::MatchAs { pattern: Some(self.alloc(p)), name: Some(name) }, start.to(self.prev_span())));
        }
        Ok(p)
    }

    fn parse_or_pattern(&mut self) -> PResult<Pattern<'a>> {
        let start = self.span();
        let first = self.parse_closed_pattern()?;
        if !self.at_op(Op::Pipe) {
            return Ok(first);
        }
        let mut alts = vec![first];
        while self.eat_op(Op::Pipe) {
            alts.push(self.parse_closed_pattern()?);
        }
        Ok(self.pat(PatternKind::MatchOr(self.alloc_slice(alts)), start.to(self.prev_span())))
    }

    fn parse_closed_pattern(&mut self) -> PResult<Pattern<'a>> {
        let start = self.span();
        match self.kind().clone() {
            T::Keyword(Kw::None) => {
                self.bump();
                Ok(self.pat(PatternKind::MatchSingleton(Constant::None), start))
            }
            T::Keyword(Kw::True) => {
                self.bump();
                Ok(self.pat(PatternKind::MatchSingleton(Constant::True), start))
            }
            T::Keyword(Kw::False) => {
                self.bump();
                Ok(self.pat(PatternKind::MatchSingleton(Constant::False), start))
            }
            T::Int { .. } | T::Float(_) | T::Imag(_) | T::Str(_) | T::Bytes(_) | T::Op(Op::Minus) => {
                let e = self.parse_literal_pattern_expr()?;
                Ok(self.pat(PatternKind::MatchValue(self.alloc(e)), e.span))
            }
            T::FString(_) => Err(self.error_at_span("patterns may only match literals and attribute lookups", start)),
            T::Name(_) => self.parse_name_pattern(),
            T::Op(Op::LPar) => {
                self.bump();
                if self.eat_op(Op::RPar) {
                    return Ok(self.pat(PatternKind::MatchSequence(&[]), start.to(self.prev_span())));
                }
                let first = self.parse_maybe_star_pattern()?;
                if self.eat_op(Op::RPar) {
                    if let PatternKind::MatchStar(_) = first.kind {
                        return Ok(self.pat(PatternKind::MatchSequence(self.alloc_slice(vec![first])), start.to(self.prev_span())));
                    }
                    return Ok(first);
                }
                let mut items = vec![first];
                while self.eat_op(Op::Comma) {
                    if self.at_op(Op::RPar) {
                        break;
                    }
                    items.push(self.parse_maybe_star_pattern()?);
                }
                self.expect_op(Op::RPar)?;
                Ok(self.pat(PatternKind::MatchSequence(self.alloc_slice(items)), start.to(self.prev_span())))
            }
            T::Op(Op::LSqb) => {
                self.bump();
                let mut items = Vec::new();
                while !self.at_op(Op::RSqb) {
                    items.push(self.parse_maybe_star_pattern()?);
                    if !self.eat_op(Op::Comma) {
                        break;
                    }
                }
                self.expect_op(Op::RSqb)?;
                Ok(self.pat(PatternKind::MatchSequence(self.alloc_slice(items)), start.to(self.prev_span())))
            }
            T::Op(Op::LBrace) => self.parse_mapping_pattern(),
            _ => Err(self.invalid_syntax()),
        }
    }

    /// Literal patterns: numbers (optionally negative, optionally `a + bj`) and strings.
    fn parse_literal_pattern_expr(&mut self) -> PResult<Expr<'a>> {
        // The expression grammar handles strings, unary minus and `+`/`-` complex forms.
        let start = self.span();
        let e = match self.kind() {
            T::Str(_) | T::Bytes(_) => self.parse_strings()?,
            _ => {
                let neg = self.eat_op(Op::Minus);
                let num = self.parse_bitwise_or_atom_number()?;
                let mut e = num;
                if neg {
                    e = Expr { kind: ExprKind::UnaryOp { op: UnaryOp::USub, operand: self.alloc(num) }, span: start.to(num.span) };
                }
                if self.at_op(Op::Plus) || self.at_op(Op::Minus) {
                    let op = if self.at_op(Op::Plus) { BinOp::Add } else { BinOp::Sub };
                    self.bump();
                    let imag = self.parse_bitwise_or_atom_number()?;
                    e = Expr { kind: ExprKind::BinOp { left: self.alloc(e), op, right: self.alloc(imag) }, span: start.to(imag.span) };
                }
                e
            }
        };
        Ok(e)
    }

    fn parse_bitwise_or_atom_number(&mut self) -> PResult<Expr<'a>> {
        let span = self.span();
        let kind = match self.kind().clone() {
            T::Int { digits, radix } => ExprKind::Constant(Constant::Int { digits: self.arena.alloc_str(&digits), radix }),
            T::Float(f) => ExprKind::Constant(Constant::Float(f)),
            T::Imag(f) => ExprKind::Constant(Constant::Imag(f)),
            _ => return Err(self.invalid_syntax()),
        };
        self.bump();
        Ok(Expr { kind, span })
    }

    /// Capture (`x`), wildcard (`_`), value (`a.b`) and class (`Point(x=0)`) patterns.
    fn parse_name_pattern(&mut self) -> PResult<Pattern<'a>> {
        let start = self.span();
        let first = self.expect_name()?;
        let mut e = Expr { kind: ExprKind::Name { id: first }, span: start };
        let mut dotted = false;
        while self.eat_op(Op::Dot) {
            let attr = self.expect_name()?;
            e = Expr { kind: ExprKind::Attribute { value: self.alloc(e), attr }, span: start.to(self.prev_span()) };
            dotted = true;
        }
        if self.at_op(Op::LPar) {
            self.bump();
            let mut patterns = Vec::new();
            let mut kwd_attrs = Vec::new();
            let mut kwd_patterns = Vec::new();
            while !self.at_op(Op::RPar) {
                if matches!(self.kind(), T::Name(_)) && matches!(self.peek_kind(1), T::Op(Op::Eq)) {
                    let k = self.expect_name()?;
                    self.bump();
                    kwd_attrs.push(k);
                    kwd_patterns.push(self.parse_pattern()?);
                } else {
                    let p = self.parse_pattern()?;
                    if !kwd_attrs.is_empty() {
                        return Err(self.error_at_span("positional patterns follow keyword patterns", p.span));
                    }
                    patterns.push(p);
                }
                if !self.eat_op(Op::Comma) {
                    break;
                }
            }
            self.expect_op(Op::RPar)?;
            return Ok(self.pat(
                PatternKind::MatchClass {
                    cls: self.alloc(e),
                    patterns: self.alloc_slice(patterns),
                    kwd_attrs: self.alloc_slice(kwd_attrs),
                    kwd_patterns: self.alloc_slice(kwd_patterns),
                },
                start.to(self.prev_span()),
            ));
        }
        if dotted {
            return Ok(self.pat(PatternKind::MatchValue(self.alloc(e)), e.span));
        }
        let name = if first == "_" { None } else { Some(first) };
        Ok(self.pat(PatternKind::MatchAs { pattern: None, name }, start))
    }

    fn parse_mapping_pattern(&mut self) -> PResult<Pattern<'a>> {
        let start = self.span();
        self.bump(); // '{'
        let mut keys = Vec::new();
        let mut patterns = Vec::new();
        let mut rest = None;
        while !self.at_op(Op::RBrace) {
            if self.eat_op(Op::StarStar) {
                rest = Some(self.expect_name()?);
                self.eat_op(Op::Comma);
                break;
            }
            let key = match self.kind() {
                T::Name(_) => {
                    let kstart = self.span();
                    let n = self.expect_name()?;
                    let mut e = Expr { kind: ExprKind::Name { id: n }, span: kstart };
                    while self.eat_op(Op::Dot) {
                        let attr = self.expect_name()?;
                        e = Expr { kind: ExprKind::Attribute { value: self.alloc(e), attr }, span: kstart.to(self.prev_span()) };
                    }
                    e
                }
                T::Keyword(Kw::None) | T::Keyword(Kw::True) | T::Keyword(Kw::False) => {
                    let s = self.span();
                    let c = match self.bump().kind {
                        T::Keyword(Kw::None) => Constant::None,
                        T::Keyword(Kw::True) => Constant::True,
                        _ => Constant::False,
                    };
                    Expr { kind: ExprKind::Constant(c), span: s }
                }
                _ => self.parse_literal_pattern_expr()?,
            };
            self.expect_op(Op::Colon)?;
            keys.push(key);
            patterns.push(self.parse_pattern()?);
            if !self.eat_op(Op::Comma) {
                break;
            }
        }
        self.expect_op(Op::RBrace)?;
        Ok(self.pat(
            PatternKind::MatchMapping { keys: self.alloc_slice(keys), patterns: self.alloc_slice(patterns), rest },
            start.to(self.prev_span()),
        ))
    }
}
