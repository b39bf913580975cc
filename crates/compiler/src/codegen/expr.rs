//! Expressions: operators, displays, calls, comprehensions, f-strings, yield/await.

use super::stmt::binop_number;
use super::{Compiler, Label};
use crate::ast::*;
use crate::bytecode::{CodeFlags, Const, Opcode};
use crate::error::CompileResult;
use crate::symtable::ScopeKind;
use crate::token::Span;

/// COMPARE_OP operand numbers (CPython's Py_LT..Py_GE order).
pub fn cmp_number(op: CmpOp) -> u32 {
    match op {
        CmpOp::Lt => 0,
        CmpOp::LtE => 1,
        CmpOp::Eq => 2,
        CmpOp::NotEq => 3,
        CmpOp::Gt => 4,
        CmpOp::GtE => 5,
        _ => 0,
    }
}

pub const CMP_NAMES: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];

impl<'s, 'a> Compiler<'s, 'a> {
    /// A constant for a literal, or None if the expression is not a compile-time constant.
    pub(crate) fn const_of(&self, e: &Expr<'a>) -> Option<Const> {
        match e.kind {
            ExprKind::Constant(c) => Some(match c {
                Constant::None => Const::None,
                Constant::True => Const::True,
                Constant::False => Const::False,
                Constant::Ellipsis => Const::Ellipsis,
                Constant::Int { digits, radix } => int_const(digits, radix),
                Constant::Float(f) => Const::Float(f),
                Constant::Imag(f) => Const::Complex { re: 0.0, im: f },
                Constant::Str(s) => Const::Str(s.into()),
                Constant::Bytes(b) => Const::Bytes(b.into()),
            }),
            // Folded as CPython's AST optimizer does: negative numbers and constant tuples.
            ExprKind::UnaryOp { op: UnaryOp::USub, operand } => match self.const_of(operand)? {
                Const::Int(i) if i != i64::MIN => Some(Const::Int(-i)),
                Const::Float(f) => Some(Const::Float(-f)),
                Const::Complex { re, im } => Some(Const::Complex { re: -re, im: -im }),
                Const::BigInt(s) => Some(Const::BigInt(negate_digits(&s).into())),
                _ => None,
            },
            ExprKind::Tuple { elts, .. } => {
                let cs: Option<Vec<Const>> = elts.iter().map(|x| self.const_of(x)).collect();
                cs.map(|v| Const::Tuple(v.into()))
            }
            _ => None,
        }
    }

    pub(crate) fn expr(&mut self, e: &'a Expr<'a>) -> CompileResult<()> {
        self.set_pos(e.span);
        if let Some(c) = self.const_of(e) {
            self.load_const(c);
            return Ok(());
        }
        match e.kind {
            ExprKind::Constant(_) => unreachable!("constants handled above"),
            ExprKind::Name { id } => {
                if id == "__debug__" {
                    self.load_const(Const::True);
                } else {
                    self.load_name(id);
                }
            }
            ExprKind::BoolOp { op, values } => {
                let end = self.new_label();
                let jop = if op == BoolOp::And { Opcode::JUMP_IF_FALSE_OR_POP } else { Opcode::JUMP_IF_TRUE_OR_POP };
                for (i, v) in values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < values.len() {
                        self.set_pos(e.span);
                        self.emit_jump(jop, end);
                    }
                }
                self.bind(end);
            }
            ExprKind::NamedExpr { target, value } => {
                self.expr(value)?;
                self.emit(Opcode::COPY, 1);
                if let ExprKind::Name { id } = target.kind {
                    self.store_name(id);
                }
            }
            ExprKind::BinOp { left, op, right } => {
                self.expr(left)?;
                self.expr(right)?;
                self.set_pos(e.span);
                self.emit(Opcode::BINARY_OP, binop_number(op));
            }
            ExprKind::UnaryOp { op, operand } => {
                self.expr(operand)?;
                self.set_pos(e.span);
                self.emit(
                    match op {
                        UnaryOp::Invert => Opcode::UNARY_INVERT,
                        UnaryOp::Not => Opcode::UNARY_NOT,
                        UnaryOp::UAdd => Opcode::UNARY_POSITIVE,
                        UnaryOp::USub => Opcode::UNARY_NEGATIVE,
                    },
                    0,
                );
            }
            ExprKind::Lambda { args, body } => {
                let scope = self.st.scope_for(e);
                let qualname = self.qualname_for("<lambda>");
                let flags = self.function_prelude(args, None)?;
                let line = self.src.line_of(e.span.start);
                self.enter_scope(scope, "<lambda>", &qualname, line);
                self.set_arg_counts(args);
                self.unit().add_const(Const::None);
                self.expr(body)?;
                self.set_pos(body.span);
                self.emit(Opcode::RETURN_VALUE, 0);
                let code = self.leave_scope()?;
                self.set_pos(e.span);
                self.make_function(code, flags)?;
            }
            ExprKind::IfExp { test, body, orelse } => {
                let end = self.new_label();
                let else_l = self.new_label();
                self.jump_if(test, false, else_l)?;
                self.expr(body)?;
                self.emit_jump(Opcode::JUMP_FORWARD, end);
                self.bind(else_l);
                self.expr(orelse)?;
                self.bind(end);
            }
            ExprKind::Dict { keys, values } => self.dict_display(keys, values, e.span)?,
            ExprKind::Set { elts } => self.sequence_display(elts, Opcode::BUILD_SET, e.span)?,
            ExprKind::List { elts } => self.sequence_display(elts, Opcode::BUILD_LIST, e.span)?,
            ExprKind::Tuple { elts, .. } => self.sequence_display(elts, Opcode::BUILD_TUPLE, e.span)?,
            ExprKind::ListComp { generators, .. }
            | ExprKind::SetComp { generators, .. }
            | ExprKind::DictComp { generators, .. }
            | ExprKind::GeneratorExp { generators, .. } => self.comprehension(e, generators)?,
            ExprKind::Await { value } => {
                if !self.in_async_context() {
                    let msg = if self.u().kind.is_function_like() && self.u().kind != crate::symtable::ScopeKind::Comprehension {
                        "'await' outside async function"
                    } else {
                        "'await' outside function"
                    };
                    return Err(self.error(msg, e.span));
                }
                self.expr(value)?;
                self.set_pos(e.span);
                self.emit(Opcode::GET_AWAITABLE, 0);
                self.load_const(Const::None);
                self.yield_from_loop();
            }
            ExprKind::Yield { value } => {
                match value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Const::None),
                }
                self.set_pos(e.span);
                if self.u().flags.contains(CodeFlags::ASYNC_GENERATOR) {
                    self.emit(Opcode::ASYNC_GEN_WRAP, 0);
                }
                self.emit(Opcode::YIELD_VALUE, 0);
            }
            ExprKind::YieldFrom { value } => {
                if self.u().flags.contains(CodeFlags::COROUTINE) && self.u().kind == ScopeKind::Function {
                    return Err(self.error("'yield from' inside async function", e.span));
                }
                self.expr(value)?;
                self.set_pos(e.span);
                self.emit(Opcode::GET_YIELD_FROM_ITER, 0);
                self.load_const(Const::None);
                self.yield_from_loop();
            }
            ExprKind::Compare { left, ops, comparators } => self.compare(left, ops, comparators, e.span)?,
            ExprKind::Call { func, args, keywords } => self.call(func, args, keywords, e.span)?,
            ExprKind::FormattedValue { value, conversion, format_spec } => {
                self.expr(value)?;
                let mut flags = match conversion {
                    Some('s') => 1,
                    Some('r') => 2,
                    Some('a') => 3,
                    _ => 0,
                };
                if let Some(spec) = format_spec {
                    self.expr(spec)?;
                    flags |= 4;
                }
                self.set_pos(e.span);
                self.emit(Opcode::FORMAT_VALUE, flags);
            }
            ExprKind::JoinedStr { values } => {
                if values.len() == 1 && matches!(values[0].kind, ExprKind::FormattedValue { .. }) {
                    self.expr(&values[0])?;
                } else if values.is_empty() {
                    self.load_const(Const::Str("".into()));
                } else {
                    for v in values {
                        self.expr(v)?;
                    }
                    self.emit(Opcode::BUILD_STRING, values.len() as u32);
                }
            }
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let i = self.add_attr_name(attr);
                self.set_pos(e.span);
                self.emit(Opcode::LOAD_ATTR, i);
            }
            ExprKind::Subscript { value, slice } => {
                self.expr(value)?;
                self.expr(slice)?;
                self.set_pos(e.span);
                self.emit(Opcode::BINARY_SUBSCR, 0);
            }
            ExprKind::Starred { .. } => return Err(self.error("can't use starred expression here", e.span)),
            ExprKind::Slice { lower, upper, step } => {
                let mut n = 2;
                match lower {
                    Some(x) => self.expr(x)?,
                    None => self.load_const(Const::None),
                }
                match upper {
                    Some(x) => self.expr(x)?,
                    None => self.load_const(Const::None),
                }
                if let Some(x) = step {
                    self.expr(x)?;
                    n = 3;
                }
                self.emit(Opcode::BUILD_SLICE, n);
            }
        }
        Ok(())
    }

    fn in_async_context(&self) -> bool {
        let u = self.u();
        u.flags.intersects(CodeFlags::COROUTINE | CodeFlags::ASYNC_GENERATOR)
    }

    /// The `SEND`/`YIELD_VALUE` loop of `yield from` and `await`: [iter, value] -> [result].
    pub(crate) fn yield_from_loop(&mut self) {
        let top = self.new_label();
        let exit = self.new_label();
        self.bind(top);
        self.emit_jump(Opcode::SEND, exit);
        self.emit(Opcode::YIELD_VALUE, 0);
        self.emit_jump(Opcode::JUMP_BACKWARD, top);
        self.bind(exit);
    }

    fn compare(&mut self, left: &'a Expr<'a>, ops: &[CmpOp], comparators: &'a [Expr<'a>], span: Span) -> CompileResult<()> {
        self.expr(left)?;
        if ops.len() == 1 {
            self.expr(&comparators[0])?;
            self.set_pos(span);
            self.emit_compare(ops[0]);
            return Ok(());
        }
        // a < b < c: keep b for the next comparison, short-circuit on false.
        let cleanup = self.new_label();
        let end = self.new_label();
        for (i, (op, c)) in ops.iter().zip(comparators.iter()).enumerate() {
            self.expr(c)?;
            self.set_pos(span);
            if i + 1 < ops.len() {
                self.emit(Opcode::SWAP, 2);
                self.emit(Opcode::COPY, 2);
                self.emit_compare(*op);
                self.emit_jump(Opcode::JUMP_IF_FALSE_OR_POP, cleanup);
            } else {
                self.emit_compare(*op);
            }
        }
        self.emit_jump(Opcode::JUMP_FORWARD, end);
        self.bind(cleanup);
        self.emit(Opcode::SWAP, 2);
        self.emit(Opcode::POP_TOP, 0);
        self.bind(end);
        Ok(())
    }

    fn emit_compare(&mut self, op: CmpOp) {
        match op {
            CmpOp::Is => self.emit(Opcode::IS_OP, 0),
            CmpOp::IsNot => self.emit(Opcode::IS_OP, 1),
            CmpOp::In => self.emit(Opcode::CONTAINS_OP, 0),
            CmpOp::NotIn => self.emit(Opcode::CONTAINS_OP, 1),
            _ => self.emit(Opcode::COMPARE_OP, cmp_number(op)),
        }
    }

    /// Jump to `target` when `test` is `cond` (falls through otherwise).
    pub(crate) fn jump_if(&mut self, test: &'a Expr<'a>, cond: bool, target: Label) -> CompileResult<()> {
        match test.kind {
            ExprKind::UnaryOp { op: UnaryOp::Not, operand } => return self.jump_if(operand, !cond, target),
            ExprKind::BoolOp { op, values } => {
                let is_and = op == BoolOp::And;
                if is_and == cond {
                    // and-jump-if-true / or-jump-if-false: all must pass.
                    let skip = self.new_label();
                    for (i, v) in values.iter().enumerate() {
                        if i + 1 < values.len() {
                            self.jump_if(v, !cond, skip)?;
                        } else {
                            self.jump_if(v, cond, target)?;
                        }
                    }
                    self.bind(skip);
                } else {
                    for v in values {
                        self.jump_if(v, cond, target)?;
                    }
                }
                return Ok(());
            }
            _ => {}
        }
        self.expr(test)?;
        self.set_pos(test.span);
        self.emit_jump(if cond { Opcode::POP_JUMP_IF_TRUE } else { Opcode::POP_JUMP_IF_FALSE }, target);
        Ok(())
    }

    fn sequence_display(&mut self, elts: &'a [Expr<'a>], build: Opcode, span: Span) -> CompileResult<()> {
        let has_star = elts.iter().any(|e| matches!(e.kind, ExprKind::Starred { .. }));
        if !has_star {
            // Lists and sets of 3+ constants load a constant tuple (frozenset) and
            // extend an empty one, as CPython's starunpack_helper does.
            if elts.len() > 2 && matches!(build, Opcode::BUILD_LIST | Opcode::BUILD_SET) {
                let consts: Option<Vec<Const>> = elts.iter().map(|x| self.const_of(x)).collect();
                if let Some(items) = consts {
                    self.set_pos(span);
                    let (c, extend) = if build == Opcode::BUILD_SET {
                        (Const::FrozenSet(items.into()), Opcode::SET_UPDATE)
                    } else {
                        (Const::Tuple(items.into()), Opcode::LIST_EXTEND)
                    };
                    self.emit(build, 0);
                    self.load_const(c);
                    self.emit(extend, 1);
                    return Ok(());
                }
            }
            for x in elts {
                self.expr(x)?;
            }
            self.set_pos(span);
            self.emit(build, elts.len() as u32);
            return Ok(());
        }
        let (start_op, extend_op, add_op) = match build {
            Opcode::BUILD_SET => (Opcode::BUILD_SET, Opcode::SET_UPDATE, Opcode::SET_ADD),
            _ => (Opcode::BUILD_LIST, Opcode::LIST_EXTEND, Opcode::LIST_APPEND),
        };
        self.emit(start_op, 0);
        for x in elts {
            match x.kind {
                ExprKind::Starred { value } => {
                    self.expr(value)?;
                    self.emit(extend_op, 1);
                }
                _ => {
                    self.expr(x)?;
                    self.emit(add_op, 1);
                }
            }
        }
        self.set_pos(span);
        if build == Opcode::BUILD_TUPLE {
            self.emit(Opcode::LIST_TO_TUPLE, 0);
        }
        Ok(())
    }

    fn dict_display(&mut self, keys: &'a [Option<Expr<'a>>], values: &'a [Expr<'a>], span: Span) -> CompileResult<()> {
        let mut pending = 0u32;
        let mut built = false;
        for (k, v) in keys.iter().zip(values.iter()) {
            match k {
                Some(k) => {
                    self.expr(k)?;
                    self.expr(v)?;
                    pending += 1;
                }
                None => {
                    if pending > 0 || !built {
                        self.emit(Opcode::BUILD_MAP, pending);
                        if built {
                            self.emit(Opcode::DICT_UPDATE, 1);
                        }
                        built = true;
                        pending = 0;
                    }
                    self.expr(v)?;
                    self.emit(Opcode::DICT_UPDATE, 1);
                }
            }
        }
        self.set_pos(span);
        if !built {
            self.emit(Opcode::BUILD_MAP, pending);
        } else if pending > 0 {
            self.emit(Opcode::BUILD_MAP, pending);
            self.emit(Opcode::DICT_UPDATE, 1);
        }
        Ok(())
    }

    fn call(&mut self, func: &'a Expr<'a>, args: &'a [Expr<'a>], keywords: &'a [Keyword<'a>], span: Span) -> CompileResult<()> {
        // Zero-argument super(): pass the class cell and the first argument explicitly
        // (CPython finds them in the frame at run time).
        if let ExprKind::Name { id: "super" } = func.kind {
            if args.is_empty() && keywords.is_empty() && self.u().kind.is_function_like() {
                let first = self.st.scopes[self.u().scope].params.first().cloned();
                if let (Some(first), Some(_)) = (first, self.u().cell_index("__class__")) {
                    self.set_pos(func.span);
                    self.emit(Opcode::PUSH_NULL, 0);
                    self.load_name("super");
                    let i = self.u().cell_index("__class__").unwrap_or(0);
                    self.emit(Opcode::LOAD_DEREF, i);
                    self.load_name(&first);
                    self.set_pos(span);
                    self.emit(Opcode::CALL, 2);
                    return Ok(());
                }
            }
        }
        let simple = !args.iter().any(|a| matches!(a.kind, ExprKind::Starred { .. })) && keywords.iter().all(|k| k.arg.is_some());
        // Method call: obj.meth(args) -> LOAD_METHOD; CALL.
        if let ExprKind::Attribute { value, attr } = func.kind {
            if simple {
                self.expr(value)?;
                let i = self.add_attr_name(attr);
                self.set_pos(func.span);
                self.emit(Opcode::LOAD_METHOD, i);
                return self.call_args(args, keywords, span);
            }
        }
        if let ExprKind::Name { id } = func.kind {
            if matches!(self.binding(id), crate::symtable::Binding::GlobalImplicit | crate::symtable::Binding::GlobalExplicit)
                && self.u().kind.is_function_like()
            {
                let i = self.unit().add_name(id);
                self.set_pos(func.span);
                self.emit(Opcode::LOAD_GLOBAL, (i << 1) | 1);
                return self.call_args_or_ex(args, keywords, span);
            }
        }
        self.emit(Opcode::PUSH_NULL, 0);
        self.expr(func)?;
        self.call_args_or_ex(args, keywords, span)
    }

    fn call_args_or_ex(&mut self, args: &'a [Expr<'a>], keywords: &'a [Keyword<'a>], span: Span) -> CompileResult<()> {
        let simple = !args.iter().any(|a| matches!(a.kind, ExprKind::Starred { .. })) && keywords.iter().all(|k| k.arg.is_some());
        if simple {
            self.call_args(args, keywords, span)
        } else {
            self.call_ex(args, keywords, span)
        }
    }

    /// Positional args then keyword values, KW_NAMES, CALL.
    fn call_args(&mut self, args: &'a [Expr<'a>], keywords: &'a [Keyword<'a>], span: Span) -> CompileResult<()> {
        for a in args {
            self.expr(a)?;
        }
        for k in keywords {
            self.expr(&k.value)?;
        }
        self.set_pos(span);
        if !keywords.is_empty() {
            let names: Vec<Const> = keywords.iter().map(|k| Const::Str(k.arg.unwrap_or("").into())).collect();
            let i = self.unit().add_const(Const::Tuple(names.into()));
            self.emit(Opcode::KW_NAMES, i);
        }
        self.emit(Opcode::CALL, (args.len() + keywords.len()) as u32);
        Ok(())
    }

    /// `f(*a, **k)`: build an args tuple and a kwargs dict, then CALL_FUNCTION_EX.
    fn call_ex(&mut self, args: &'a [Expr<'a>], keywords: &'a [Keyword<'a>], span: Span) -> CompileResult<()> {
        if args.len() == 1 && matches!(args[0].kind, ExprKind::Starred { .. }) {
            if let ExprKind::Starred { value } = args[0].kind {
                self.expr(value)?;
                self.emit(Opcode::BUILD_LIST, 0);
                self.emit(Opcode::SWAP, 2);
                self.emit(Opcode::LIST_EXTEND, 1);
                self.emit(Opcode::LIST_TO_TUPLE, 0);
            }
        } else {
            self.sequence_display(args, Opcode::BUILD_TUPLE, span)?;
            if !args.iter().any(|a| matches!(a.kind, ExprKind::Starred { .. })) {
                // sequence_display already built a tuple.
            }
        }
        let mut flag = 0;
        if !keywords.is_empty() {
            flag = 1;
            self.emit(Opcode::BUILD_MAP, 0);
            let mut pending = 0u32;
            for k in keywords {
                match k.arg {
                    Some(name) => {
                        self.load_const(Const::Str(name.into()));
                        self.expr(&k.value)?;
                        pending += 1;
                    }
                    None => {
                        if pending > 0 {
                            self.emit(Opcode::BUILD_MAP, pending);
                            self.emit(Opcode::DICT_MERGE, 1);
                            pending = 0;
                        }
                        self.expr(&k.value)?;
                        self.emit(Opcode::DICT_MERGE, 1);
                    }
                }
            }
            if pending > 0 {
                self.emit(Opcode::BUILD_MAP, pending);
                self.emit(Opcode::DICT_MERGE, 1);
            }
        }
        self.set_pos(span);
        self.emit(Opcode::CALL_FUNCTION_EX, flag);
        Ok(())
    }

    /// Class creation call: `__build_class__(func, name, *bases, **keywords)`; the function
    /// and name are already on the stack after PUSH_NULL + LOAD_BUILD_CLASS.
    pub(crate) fn call_helper(&mut self, already: u32, args: &'a [Expr<'a>], keywords: &'a [Keyword<'a>]) -> CompileResult<()> {
        let simple = !args.iter().any(|a| matches!(a.kind, ExprKind::Starred { .. })) && keywords.iter().all(|k| k.arg.is_some());
        if simple {
            for a in args {
                self.expr(a)?;
            }
            for k in keywords {
                self.expr(&k.value)?;
            }
            if !keywords.is_empty() {
                let names: Vec<Const> = keywords.iter().map(|k| Const::Str(k.arg.unwrap_or("").into())).collect();
                let i = self.unit().add_const(Const::Tuple(names.into()));
                self.emit(Opcode::KW_NAMES, i);
            }
            self.emit(Opcode::CALL, already + (args.len() + keywords.len()) as u32);
            return Ok(());
        }
        // Rare: starred bases. Pack the two fixed arguments in front.
        self.emit(Opcode::BUILD_LIST, already);
        for a in args {
            match a.kind {
                ExprKind::Starred { value } => {
                    self.expr(value)?;
                    self.emit(Opcode::LIST_EXTEND, 1);
                }
                _ => {
                    self.expr(a)?;
                    self.emit(Opcode::LIST_APPEND, 1);
                }
            }
        }
        self.emit(Opcode::LIST_TO_TUPLE, 0);
        let mut flag = 0;
        if !keywords.is_empty() {
            flag = 1;
            self.emit(Opcode::BUILD_MAP, 0);
            for k in keywords {
                match k.arg {
                    Some(name) => {
                        self.load_const(Const::Str(name.into()));
                        self.expr(&k.value)?;
                        self.emit(Opcode::BUILD_MAP, 1);
                        self.emit(Opcode::DICT_MERGE, 1);
                    }
                    None => {
                        self.expr(&k.value)?;
                        self.emit(Opcode::DICT_MERGE, 1);
                    }
                }
            }
        }
        self.emit(Opcode::CALL_FUNCTION_EX, flag);
        Ok(())
    }

    /// Comprehensions are functions called at once with the first iterator (CPython 3.11).
    fn comprehension(&mut self, e: &'a Expr<'a>, generators: &'a [Comprehension<'a>]) -> CompileResult<()> {
        let scope = self.st.scope_for(e);
        let (name, kind) = match e.kind {
            ExprKind::ListComp { .. } => ("<listcomp>", 0),
            ExprKind::SetComp { .. } => ("<setcomp>", 1),
            ExprKind::DictComp { .. } => ("<dictcomp>", 2),
            _ => ("<genexpr>", 3),
        };
        let qualname = self.qualname_for(name);
        let line = self.src.line_of(e.span.start);
        self.enter_scope(scope, name, &qualname, line);
        self.unit().argcount = 1;
        self.set_pos(e.span);
        match kind {
            0 => self.emit(Opcode::BUILD_LIST, 0),
            1 => self.emit(Opcode::BUILD_SET, 0),
            2 => self.emit(Opcode::BUILD_MAP, 0),
            _ => {}
        }
        self.comp_generator(e, generators, 0, kind)?;
        self.set_pos(e.span);
        if kind == 3 {
            self.load_const(Const::None);
        }
        self.emit(Opcode::RETURN_VALUE, 0);
        let code = self.leave_scope()?;
        let is_async_gen = code.flags.contains(CodeFlags::ASYNC_GENERATOR);
        let is_coro = code.flags.contains(CodeFlags::COROUTINE);
        self.set_pos(e.span);
        self.make_function(code, 0)?;
        self.expr(generators[0].iter)?;
        self.set_pos(e.span);
        if generators[0].is_async {
            self.emit(Opcode::GET_AITER, 0);
        } else {
            self.emit(Opcode::GET_ITER, 0);
        }
        self.emit(Opcode::CALL, 0);
        if is_coro && kind != 3 && !is_async_gen {
            self.emit(Opcode::GET_AWAITABLE, 0);
            self.load_const(Const::None);
            self.yield_from_loop();
        }
        Ok(())
    }

    fn comp_generator(&mut self, e: &'a Expr<'a>, gens: &'a [Comprehension<'a>], idx: usize, kind: u8) -> CompileResult<()> {
        let g = &gens[idx];
        let top = self.new_label();
        let cleanup = self.new_label();
        let if_cleanup = self.new_label();
        if idx == 0 {
            self.emit(Opcode::LOAD_FAST, 0);
        } else {
            self.expr(g.iter)?;
            self.emit(if g.is_async { Opcode::GET_AITER } else { Opcode::GET_ITER }, 0);
        }
        self.bind(top);
        let except = self.new_label();
        if g.is_async {
            self.unit().push_handler(except, false);
            self.emit(Opcode::GET_ANEXT, 0);
            self.load_const(Const::None);
            self.yield_from_loop();
            self.unit().pop_handler();
        } else {
            self.emit_jump(Opcode::FOR_ITER, cleanup);
        }
        self.store_target(g.target)?;
        for cond in g.ifs {
            self.jump_if(cond, false, if_cleanup)?;
        }
        if idx + 1 < gens.len() {
            self.comp_generator(e, gens, idx + 1, kind)?;
        } else {
            let depth = (gens.len() + 1) as u32;
            match e.kind {
                ExprKind::ListComp { elt, .. } => {
                    self.expr(elt)?;
                    self.emit(Opcode::LIST_APPEND, depth);
                }
                ExprKind::SetComp { elt, .. } => {
                    self.expr(elt)?;
                    self.emit(Opcode::SET_ADD, depth);
                }
                ExprKind::DictComp { key, value, .. } => {
                    self.expr(key)?;
                    self.expr(value)?;
                    self.emit(Opcode::MAP_ADD, depth);
                }
                ExprKind::GeneratorExp { elt, .. } => {
                    self.expr(elt)?;
                    if self.u().flags.contains(CodeFlags::ASYNC_GENERATOR) {
                        self.emit(Opcode::ASYNC_GEN_WRAP, 0);
                    }
                    self.emit(Opcode::YIELD_VALUE, 0);
                    self.emit(Opcode::POP_TOP, 0);
                }
                _ => {}
            }
        }
        self.bind(if_cleanup);
        self.emit_jump(Opcode::JUMP_BACKWARD, top);
        if g.is_async {
            self.bind(except);
            self.emit(Opcode::END_ASYNC_FOR, 0);
        } else {
            self.bind(cleanup);
        }
        Ok(())
    }
}

/// An int literal as a constant: i64 when it fits, else decimal digits.
fn int_const(digits: &str, radix: u32) -> Const {
    if let Ok(v) = i64::from_str_radix(digits, radix) {
        return Const::Int(v);
    }
    Const::BigInt(to_decimal(digits, radix).into())
}

/// Convert digits in `radix` to a decimal string (schoolbook, base 10^9 limbs).
fn to_decimal(digits: &str, radix: u32) -> String {
    let mut limbs: Vec<u64> = vec![0]; // little-endian base 1e9
    for ch in digits.chars() {
        let d = ch.to_digit(radix).unwrap_or(0) as u64;
        let mut carry = d;
        for l in limbs.iter_mut() {
            let v = *l * radix as u64 + carry;
            *l = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push(carry % 1_000_000_000);
            carry /= 1_000_000_000;
        }
    }
    let mut s = limbs.last().copied().unwrap_or(0).to_string();
    for l in limbs.iter().rev().skip(1) {
        s.push_str(&format!("{l:09}"));
    }
    s
}

fn negate_digits(s: &str) -> String {
    match s.strip_prefix('-') {
        Some(rest) => rest.to_string(),
        None => format!("-{s}"),
    }
}
