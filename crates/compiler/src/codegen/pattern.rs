//! `match` statements. Each pattern consumes the subject on top of the stack: on success
//! it falls through (names bound), on failure it jumps to `fail` with the subject gone.

use super::{Compiler, Label};
use crate::ast::*;
use crate::bytecode::{Const, Opcode};
use crate::error::CompileResult;

impl<'s, 'a> Compiler<'s, 'a> {
    pub(crate) fn match_stmt(&mut self, subject: &'a Expr<'a>, cases: &'a [MatchCase<'a>]) -> CompileResult<()> {
        self.expr(subject)?;
        let end = self.new_label();
        for (i, case) in cases.iter().enumerate() {
            let last = i + 1 == cases.len();
            let next = self.new_label();
            self.set_pos(case.pattern.span);
            if last {
                let fail = self.new_label();
                self.pattern(&case.pattern, fail)?;
                if let Some(g) = case.guard {
                    self.jump_if(g, false, end)?;
                }
                self.stmts(case.body)?;
                self.emit_jump(Opcode::JUMP_FORWARD, end);
                self.bind(fail);
                self.emit_jump(Opcode::JUMP_FORWARD, end);
            } else {
                let fail = self.new_label();
                self.emit(Opcode::COPY, 1);
                self.pattern(&case.pattern, fail)?;
                if let Some(g) = case.guard {
                    self.jump_if(g, false, next)?;
                }
                self.emit(Opcode::POP_TOP, 0);
                self.stmts(case.body)?;
                self.emit_jump(Opcode::JUMP_FORWARD, end);
                self.bind(fail);
                self.bind(next);
            }
        }
        if cases.is_empty() {
            self.emit(Opcode::POP_TOP, 0);
        }
        self.bind(end);
        Ok(())
    }

    /// Pop `n` items then jump to `fail`.
    fn pop_and_fail(&mut self, n: usize, fail: Label) -> Label {
        let l = self.new_label();
        let after = self.new_label();
        self.emit_jump(Opcode::JUMP_FORWARD, after);
        self.bind(l);
        for _ in 0..n {
            self.emit(Opcode::POP_TOP, 0);
        }
        self.emit_jump(Opcode::JUMP_FORWARD, fail);
        self.bind(after);
        l
    }

    fn pattern(&mut self, p: &'a Pattern<'a>, fail: Label) -> CompileResult<()> {
        self.set_pos(p.span);
        match p.kind {
            PatternKind::MatchAs { pattern: None, name } => match name {
                Some(n) => self.store_name(n),
                None => self.emit(Opcode::POP_TOP, 0),
            },
            PatternKind::MatchAs { pattern: Some(inner), name } => {
                let inner_fail = self.new_label();
                let ok = self.new_label();
                self.emit(Opcode::COPY, 1);
                self.pattern(inner, inner_fail)?;
                match name {
                    Some(n) => self.store_name(n),
                    None => self.emit(Opcode::POP_TOP, 0),
                }
                self.emit_jump(Opcode::JUMP_FORWARD, ok);
                self.bind(inner_fail);
                self.emit(Opcode::POP_TOP, 0);
                self.emit_jump(Opcode::JUMP_FORWARD, fail);
                self.bind(ok);
            }
            PatternKind::MatchValue(e) => {
                self.expr(e)?;
                self.emit(Opcode::COMPARE_OP, 2);
                self.emit_jump(Opcode::POP_JUMP_IF_FALSE, fail);
            }
            PatternKind::MatchSingleton(c) => {
                self.load_const(match c {
                    Constant::True => Const::True,
                    Constant::False => Const::False,
                    _ => Const::None,
                });
                self.emit(Opcode::IS_OP, 0);
                self.emit_jump(Opcode::POP_JUMP_IF_FALSE, fail);
            }
            PatternKind::MatchOr(alts) => {
                let ok = self.new_label();
                for (i, alt) in alts.iter().enumerate() {
                    if i + 1 == alts.len() {
                        self.pattern(alt, fail)?;
                    } else {
                        let next = self.new_label();
                        self.emit(Opcode::COPY, 1);
                        self.pattern(alt, next)?;
                        self.emit(Opcode::POP_TOP, 0);
                        self.emit_jump(Opcode::JUMP_FORWARD, ok);
                        self.bind(next);
                    }
                }
                self.bind(ok);
            }
            PatternKind::MatchStar(_) => {
                // Only valid inside a sequence pattern, handled there.
                self.emit(Opcode::POP_TOP, 0);
            }
            PatternKind::MatchSequence(items) => {
                let pop1 = self.pop_and_fail(1, fail);
                self.emit(Opcode::MATCH_SEQUENCE, 0);
                self.emit_jump(Opcode::POP_JUMP_IF_FALSE, pop1);
                let star = items.iter().position(|x| matches!(x.kind, PatternKind::MatchStar(_)));
                let n = items.len();
                self.emit(Opcode::GET_LEN, 0);
                match star {
                    None => {
                        self.load_const(Const::Int(n as i64));
                        self.emit(Opcode::COMPARE_OP, 2);
                    }
                    Some(_) => {
                        self.load_const(Const::Int(n as i64 - 1));
                        self.emit(Opcode::COMPARE_OP, 5);
                    }
                }
                self.emit_jump(Opcode::POP_JUMP_IF_FALSE, pop1);
                match star {
                    None => self.emit(Opcode::UNPACK_SEQUENCE, n as u32),
                    Some(si) => self.emit(Opcode::UNPACK_EX, (si as u32) | (((n - si - 1) as u32) << 8)),
                }
                for (i, item) in items.iter().enumerate() {
                    let remaining = n - i - 1;
                    let f = if remaining == 0 { fail } else { self.pop_and_fail(remaining, fail) };
                    match item.kind {
                        PatternKind::MatchStar(Some(name)) => self.store_name(name),
                        PatternKind::MatchStar(None) => self.emit(Opcode::POP_TOP, 0),
                        _ => self.pattern(item, f)?,
                    }
                }
            }
            PatternKind::MatchMapping { keys, patterns, rest } => {
                let pop1 = self.pop_and_fail(1, fail);
                self.emit(Opcode::MATCH_MAPPING, 0);
                self.emit_jump(Opcode::POP_JUMP_IF_FALSE, pop1);
                if !keys.is_empty() {
                    self.emit(Opcode::GET_LEN, 0);
                    self.load_const(Const::Int(keys.len() as i64));
                    self.emit(Opcode::COMPARE_OP, 5);
                    self.emit_jump(Opcode::POP_JUMP_IF_FALSE, pop1);
                }
                for k in keys {
                    self.expr(k)?;
                }
                self.emit(Opcode::BUILD_TUPLE, keys.len() as u32);
                self.emit(Opcode::MATCH_KEYS, 0);
                let pop3 = self.pop_and_fail(3, fail);
                self.emit(Opcode::COPY, 1);
                self.emit_jump(Opcode::POP_JUMP_IF_NONE, pop3);
                self.emit(Opcode::UNPACK_SEQUENCE, keys.len() as u32);
                let n = patterns.len();
                for (i, sub) in patterns.iter().enumerate() {
                    let remaining = n - i - 1 + 2;
                    let f = self.pop_and_fail(remaining, fail);
                    self.pattern(sub, f)?;
                }
                match rest {
                    Some(r) => {
                        self.emit(Opcode::COPY_DICT_WITHOUT_KEYS, 0);
                        self.store_name(r);
                        self.emit(Opcode::POP_TOP, 0);
                    }
                    None => {
                        self.emit(Opcode::POP_TOP, 0);
                        self.emit(Opcode::POP_TOP, 0);
                    }
                }
            }
            PatternKind::MatchClass { cls, patterns, kwd_attrs, kwd_patterns } => {
                self.expr(cls)?;
                let names: Vec<Const> = kwd_attrs.iter().map(|n| Const::Str((*n).into())).collect();
                self.load_const(Const::Tuple(names.into()));
                self.emit(Opcode::MATCH_CLASS, patterns.len() as u32);
                let pop1 = self.pop_and_fail(1, fail);
                self.emit(Opcode::COPY, 1);
                self.emit_jump(Opcode::POP_JUMP_IF_NONE, pop1);
                let all: Vec<&'a Pattern<'a>> = patterns.iter().chain(kwd_patterns.iter()).collect();
                let n = all.len();
                self.emit(Opcode::UNPACK_SEQUENCE, n as u32);
                for (i, sub) in all.into_iter().enumerate() {
                    let remaining = n - i - 1;
                    let f = if remaining == 0 { fail } else { self.pop_and_fail(remaining, fail) };
                    self.pattern(sub, f)?;
                }
            }
        }
        Ok(())
    }
}
