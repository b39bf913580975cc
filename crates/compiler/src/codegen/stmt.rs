//! Statements: assignments, control flow, `try`/`with` (with their exception-table
//! regions), function and class definitions, imports.

use super::{Compiler, FBlock};
use crate::ast::*;
use crate::bytecode::{CodeFlags, Const, Opcode};
use crate::error::CompileResult;
use crate::symtable::ScopeKind;
use crate::token::Span;

impl<'s, 'a> Compiler<'s, 'a> {
    pub(crate) fn compile_body(&mut self, body: &'a [Stmt<'a>], _is_function: bool) -> CompileResult<()> {
        let kind = self.u().kind;
        if matches!(kind, ScopeKind::Module | ScopeKind::Class) {
            if self.st.scopes[self.u().scope].has_annotations {
                self.emit(Opcode::SETUP_ANNOTATIONS, 0);
            }
            // Interactive input has no module docstring: a string statement is echoed.
            let doc_allowed = !(self.interactive && kind == ScopeKind::Module);
            if let Some(first) = body.first().filter(|_| doc_allowed) {
                if let Some(doc) = docstring(first) {
                    self.set_pos(first.span);
                    self.load_const(Const::Str(doc.into()));
                    self.store_name("__doc__");
                    return self.stmts(&body[1..]);
                }
            }
        }
        self.stmts(body)
    }

    pub(crate) fn stmts(&mut self, body: &'a [Stmt<'a>]) -> CompileResult<()> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &'a Stmt<'a>) -> CompileResult<()> {
        self.set_pos(s.span);
        match s.kind {
            StmtKind::FunctionDef(f) => self.function_def(f, s.span),
            StmtKind::ClassDef(c) => self.class_def(c, s.span),
            StmtKind::Return(v) => {
                if !self.u().kind.is_function_like() {
                    return Err(self.error("'return' outside function", s.span));
                }
                let is_asyncgen = self.u().flags.contains(CodeFlags::ASYNC_GENERATOR);
                if is_asyncgen && v.is_some() {
                    return Err(self.error("'return' with value in async generator", s.span));
                }
                let restore = match v {
                    Some(v) => {
                        self.expr(v)?;
                        self.unwind_all(true)?
                    }
                    None => {
                        let r = self.unwind_all(false)?;
                        self.load_const(Const::None);
                        r
                    }
                };
                self.set_pos(s.span);
                self.emit(Opcode::RETURN_VALUE, 0);
                self.unit().handler_stack = restore;
                Ok(())
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.delete_target(t)?;
                }
                Ok(())
            }
            StmtKind::Assign { targets, value } => {
                self.expr(value)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.emit(Opcode::COPY, 1);
                    }
                    self.store_target(t)?;
                }
                Ok(())
            }
            StmtKind::AugAssign { target, op, value } => self.aug_assign(target, op, value, s.span),
            StmtKind::AnnAssign { target, annotation, value, simple } => {
                if let Some(v) = value {
                    self.expr(v)?;
                    self.store_target(target)?;
                }
                if let ExprKind::Name { id } = target.kind {
                    if simple && !self.u().kind.is_function_like() {
                        self.set_pos(s.span);
                        self.annotation(annotation)?;
                        self.load_name("__annotations__");
                        self.load_const(Const::Str(id.into()));
                        self.emit(Opcode::STORE_SUBSCR, 0);
                    }
                } else if !self.u().kind.is_function_like() && !self.future_annotations {
                    // Non-simple targets evaluate the annotation for side effects only.
                    self.expr(annotation)?;
                    self.emit(Opcode::POP_TOP, 0);
                }
                Ok(())
            }
            StmtKind::For { target, iter, body, orelse, is_async } => {
                if is_async {
                    self.async_for(target, iter, body, orelse, s.span)
                } else {
                    self.for_loop(target, iter, body, orelse, s.span)
                }
            }
            StmtKind::While { test, body, orelse } => {
                let top = self.new_label();
                let exit = self.new_label();
                let orelse_l = self.new_label();
                self.bind(top);
                self.jump_if(test, false, orelse_l)?;
                self.unit().fblocks.push(FBlock::WhileLoop { top, exit });
                self.stmts(body)?;
                self.unit().fblocks.pop();
                self.set_pos(test.span);
                self.emit_jump(Opcode::JUMP_BACKWARD, top);
                self.bind(orelse_l);
                self.stmts(orelse)?;
                self.bind(exit);
                Ok(())
            }
            StmtKind::If { test, body, orelse } => {
                let end = self.new_label();
                let next = if orelse.is_empty() { end } else { self.new_label() };
                self.jump_if(test, false, next)?;
                self.stmts(body)?;
                if !orelse.is_empty() {
                    self.emit_jump(Opcode::JUMP_FORWARD, end);
                    self.bind(next);
                    self.stmts(orelse)?;
                }
                self.bind(end);
                Ok(())
            }
            StmtKind::With { items, body, is_async } => self.with_stmt(items, body, is_async, s.span),
            StmtKind::Match { subject, cases } => self.match_stmt(subject, cases),
            StmtKind::Raise { exc, cause } => {
                let mut n = 0;
                if let Some(e) = exc {
                    self.expr(e)?;
                    n = 1;
                    if let Some(c) = cause {
                        self.expr(c)?;
                        n = 2;
                    }
                }
                self.set_pos(s.span);
                self.emit(Opcode::RAISE_VARARGS, n);
                Ok(())
            }
            StmtKind::Try { body, handlers, orelse, finalbody, is_star } => {
                if is_star {
                    if finalbody.is_empty() {
                        self.try_except_star(body, handlers, orelse)
                    } else {
                        self.try_finally_star(body, handlers, orelse, finalbody, s.span)
                    }
                } else if finalbody.is_empty() {
                    self.try_except(body, handlers, orelse)
                } else if handlers.is_empty() {
                    self.try_finally(body, &[], &[], finalbody, s.span)
                } else {
                    self.try_finally(body, handlers, orelse, finalbody, s.span)
                }
            }
            StmtKind::Assert { test, msg } => {
                let end = self.new_label();
                self.jump_if(test, true, end)?;
                // The failure is attributed to the test expression, as in CPython.
                self.set_pos(test.span);
                self.emit(Opcode::LOAD_ASSERTION_ERROR, 0);
                if let Some(m) = msg {
                    self.expr(m)?;
                    self.emit(Opcode::CALL, 0);
                }
                self.set_pos(test.span);
                self.emit(Opcode::RAISE_VARARGS, 1);
                self.bind(end);
                Ok(())
            }
            StmtKind::Import(names) => {
                for a in names {
                    // CPython locates every instruction of an import at the statement.
                    self.set_pos(s.span);
                    self.load_const(Const::Int(0));
                    self.load_const(Const::None);
                    let i = self.unit().add_name(a.name);
                    self.emit(Opcode::IMPORT_NAME, i);
                    match a.asname {
                        Some(asname) => {
                            // `import a.b.c as d` binds the innermost module.
                            for part in a.name.split('.').skip(1) {
                                let j = self.unit().add_name(part);
                                self.emit(Opcode::IMPORT_FROM, j);
                                self.emit(Opcode::SWAP, 2);
                                self.emit(Opcode::POP_TOP, 0);
                            }
                            self.store_name(asname);
                        }
                        None => {
                            let top = a.name.split('.').next().unwrap_or(a.name);
                            self.store_name(top);
                        }
                    }
                }
                Ok(())
            }
            StmtKind::ImportFrom { module, names, level } => {
                self.load_const(Const::Int(level as i64));
                let fromlist: Vec<Const> = names.iter().map(|a| Const::Str(a.name.into())).collect();
                self.load_const(Const::Tuple(fromlist.into()));
                let i = self.unit().add_name(module.unwrap_or(""));
                self.emit(Opcode::IMPORT_NAME, i);
                if names.len() == 1 && names[0].name == "*" {
                    self.emit(Opcode::IMPORT_STAR, 0);
                    return Ok(());
                }
                for a in names {
                    let j = self.unit().add_name(a.name);
                    self.emit(Opcode::IMPORT_FROM, j);
                    self.store_name(a.asname.unwrap_or(a.name));
                }
                self.emit(Opcode::POP_TOP, 0);
                Ok(())
            }
            StmtKind::Global(_) | StmtKind::Nonlocal(_) | StmtKind::Pass => {
                self.emit(Opcode::NOP, 0);
                Ok(())
            }
            StmtKind::Expr(e) => {
                if self.interactive && self.u().kind == ScopeKind::Module {
                    self.expr(e)?;
                    self.emit(Opcode::PRINT_EXPR, 0);
                    return Ok(());
                }
                if let ExprKind::Constant(_) = e.kind {
                    // A bare constant has no effect; CPython emits nothing but a NOP.
                    self.emit(Opcode::NOP, 0);
                    return Ok(());
                }
                self.expr(e)?;
                self.set_pos(s.span);
                self.emit(Opcode::POP_TOP, 0);
                Ok(())
            }
            StmtKind::Break => self.break_continue(true, s.span),
            StmtKind::Continue => self.break_continue(false, s.span),
        }
    }

    fn for_loop(&mut self, target: &'a Expr<'a>, iter: &'a Expr<'a>, body: &'a [Stmt<'a>], orelse: &'a [Stmt<'a>], span: Span) -> CompileResult<()> {
        let top = self.new_label();
        let cleanup = self.new_label();
        let exit = self.new_label();
        self.expr(iter)?;
        // CPython gives GET_ITER/FOR_ITER the position of the whole `for` statement.
        self.set_pos(span);
        self.emit(Opcode::GET_ITER, 0);
        self.bind(top);
        self.emit_jump(Opcode::FOR_ITER, cleanup);
        self.store_target(target)?;
        self.unit().fblocks.push(FBlock::ForLoop { top, exit });
        self.stmts(body)?;
        self.unit().fblocks.pop();
        self.set_pos(iter.span);
        self.emit_jump(Opcode::JUMP_BACKWARD, top);
        self.bind(cleanup);
        self.stmts(orelse)?;
        self.bind(exit);
        Ok(())
    }

    fn async_for(&mut self, target: &'a Expr<'a>, iter: &'a Expr<'a>, body: &'a [Stmt<'a>], orelse: &'a [Stmt<'a>], span: Span) -> CompileResult<()> {
        if !self.u().flags.intersects(CodeFlags::COROUTINE | CodeFlags::ASYNC_GENERATOR) && self.u().kind != ScopeKind::Comprehension {
            return Err(self.error("'async for' outside async function", span));
        }
        let top = self.new_label();
        let except = self.new_label();
        let exit = self.new_label();
        self.expr(iter)?;
        self.emit(Opcode::GET_AITER, 0);
        self.bind(top);
        self.unit().push_handler(except, false);
        self.emit(Opcode::GET_ANEXT, 0);
        self.load_const(Const::None);
        self.yield_from_loop();
        self.unit().pop_handler();
        self.store_target(target)?;
        self.unit().fblocks.push(FBlock::ForLoop { top, exit });
        self.stmts(body)?;
        self.unit().fblocks.pop();
        self.emit_jump(Opcode::JUMP_BACKWARD, top);
        self.bind(except);
        self.emit(Opcode::END_ASYNC_FOR, 0);
        self.stmts(orelse)?;
        self.bind(exit);
        Ok(())
    }

    fn break_continue(&mut self, is_break: bool, span: Span) -> CompileResult<()> {
        let saved_handlers = self.u().handler_stack.clone();
        let saved_fblocks = self.u().fblocks.clone();
        let mut found = None;
        for (idx, fb) in saved_fblocks.iter().enumerate().rev() {
            match *fb {
                FBlock::ForLoop { top, exit } | FBlock::WhileLoop { top, exit } => {
                    found = Some((idx, top, exit, matches!(fb, FBlock::ForLoop { .. })));
                    break;
                }
                _ => {}
            }
        }
        let Some((loop_idx, top, exit, is_for)) = found else {
            let msg = if is_break { "'break' outside loop" } else { "'continue' not properly in loop" };
            return Err(self.error(msg, span));
        };
        // Unwind everything inside the loop.
        for idx in (loop_idx + 1..saved_fblocks.len()).rev() {
            let fb = saved_fblocks[idx];
            self.unit().fblocks.truncate(idx);
            self.unwind_fblock(fb, false)?;
        }
        self.set_pos(span);
        if is_break {
            if is_for {
                self.emit(Opcode::POP_TOP, 0);
            }
            self.emit_jump(Opcode::JUMP_FORWARD, exit);
        } else {
            self.emit_jump(Opcode::JUMP_BACKWARD, top);
        }
        self.unit().fblocks = saved_fblocks;
        self.unit().handler_stack = saved_handlers;
        Ok(())
    }

    /// Unwind every enclosing block before `return`; `preserve_tos` keeps the return value on top.
    /// Returns the handler stack to restore once the RETURN_VALUE is emitted: the statements
    /// after the `return` still belong to their protected regions.
    fn unwind_all(&mut self, preserve_tos: bool) -> CompileResult<Vec<u32>> {
        let saved_handlers = self.u().handler_stack.clone();
        let saved_fblocks = self.u().fblocks.clone();
        for idx in (0..saved_fblocks.len()).rev() {
            let fb = saved_fblocks[idx];
            self.unit().fblocks.truncate(idx);
            self.unwind_fblock(fb, preserve_tos)?;
        }
        self.unit().fblocks = saved_fblocks;
        Ok(saved_handlers)
    }

    /// Emit the cleanup for leaving `fb` early.
    fn unwind_fblock(&mut self, fb: FBlock<'a>, preserve_tos: bool) -> CompileResult<()> {
        match fb {
            FBlock::WhileLoop { .. } => {}
            FBlock::ForLoop { .. } => {
                if preserve_tos {
                    self.emit(Opcode::SWAP, 2);
                }
                self.emit(Opcode::POP_TOP, 0);
            }
            FBlock::TryFinally { body } => {
                self.unit().pop_handler();
                self.stmts(body)?;
            }
            FBlock::FinallyEnd => {
                if preserve_tos {
                    self.emit(Opcode::SWAP, 2);
                }
                self.emit(Opcode::POP_TOP, 0);
                if preserve_tos {
                    self.emit(Opcode::SWAP, 2);
                }
                self.unit().pop_handler();
                self.emit(Opcode::POP_EXCEPT, 0);
            }
            FBlock::ExceptHandler { name } => {
                if name.is_some() {
                    self.unit().pop_handler();
                }
                if preserve_tos {
                    self.emit(Opcode::SWAP, 2);
                }
                self.unit().pop_handler();
                self.emit(Opcode::POP_EXCEPT, 0);
                if let Some(n) = name {
                    self.load_const(Const::None);
                    self.store_name(n);
                    self.delete_name(n);
                }
            }
            FBlock::HandlerCleanup => {}
            FBlock::With { is_async } => {
                self.unit().pop_handler();
                if preserve_tos {
                    self.emit(Opcode::SWAP, 2);
                }
                self.load_const(Const::None);
                self.load_const(Const::None);
                self.load_const(Const::None);
                self.emit(Opcode::CALL, 2);
                if is_async {
                    self.emit(Opcode::GET_AWAITABLE, 2);
                    self.load_const(Const::None);
                    self.yield_from_loop();
                }
                self.emit(Opcode::POP_TOP, 0);
            }
        }
        Ok(())
    }

    fn try_except(&mut self, body: &'a [Stmt<'a>], handlers: &'a [ExceptHandler<'a>], orelse: &'a [Stmt<'a>]) -> CompileResult<()> {
        let handler_l = self.new_label();
        let end = self.new_label();
        let cleanup = self.new_label();
        self.emit(Opcode::NOP, 0);
        self.unit().push_handler(handler_l, false);
        self.unit().fblocks.push(FBlock::HandlerCleanup);
        self.stmts(body)?;
        self.unit().fblocks.pop();
        self.unit().pop_handler();
        self.stmts(orelse)?;
        self.set_no_location();
        self.emit_jump(Opcode::JUMP_FORWARD, end);

        self.bind(handler_l);
        self.unit().push_handler(cleanup, true);
        self.emit(Opcode::PUSH_EXC_INFO, 0);
        for (i, h) in handlers.iter().enumerate() {
            self.set_pos(h.span);
            let next = self.new_label();
            match h.typ {
                Some(t) => {
                    self.expr(t)?;
                    self.emit(Opcode::CHECK_EXC_MATCH, 0);
                    self.emit_jump(Opcode::POP_JUMP_IF_FALSE, next);
                }
                None => {
                    if i + 1 != handlers.len() {
                        return Err(self.error("default 'except:' must be last", h.span));
                    }
                }
            }
            match h.name {
                Some(name) => {
                    self.store_name(name);
                    let cleanup_name = self.new_label();
                    self.unit().push_handler(cleanup_name, true);
                    self.unit().fblocks.push(FBlock::ExceptHandler { name: Some(name) });
                    self.stmts(h.body)?;
                    self.unit().fblocks.pop();
                    self.unit().pop_handler();
                    self.set_no_location();
                    self.emit(Opcode::POP_EXCEPT, 0);
                    self.load_const(Const::None);
                    self.store_name(name);
                    self.delete_name(name);
                    self.emit_jump(Opcode::JUMP_FORWARD, end);
                    // Exception inside the handler body: unbind the name, re-raise.
                    self.bind(cleanup_name);
                    self.load_const(Const::None);
                    self.store_name(name);
                    self.delete_name(name);
                    self.emit(Opcode::RERAISE, 1);
                }
                None => {
                    self.emit(Opcode::POP_TOP, 0);
                    self.unit().fblocks.push(FBlock::ExceptHandler { name: None });
                    self.stmts(h.body)?;
                    self.unit().fblocks.pop();
                    self.set_no_location();
                    self.emit(Opcode::POP_EXCEPT, 0);
                    self.emit_jump(Opcode::JUMP_FORWARD, end);
                }
            }
            self.bind(next);
        }
        self.set_no_location();
        self.emit(Opcode::RERAISE, 0);
        self.unit().pop_handler();
        self.bind(cleanup);
        self.emit(Opcode::COPY, 3);
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit(Opcode::RERAISE, 1);
        self.bind(end);
        Ok(())
    }

    /// `try ... except* T:` — each handler takes the part of the exception group that
    /// matches (via the builtins helper `__pyvm_eg_split__`, which also wraps a plain
    /// exception in `ExceptionGroup('', (exc,))`); what no handler took is re-raised.
    /// Exceptions raised inside a handler propagate at once (CPython would merge them
    /// into a new group with the unhandled rest).
    fn try_except_star(&mut self, body: &'a [Stmt<'a>], handlers: &'a [ExceptHandler<'a>], orelse: &'a [Stmt<'a>]) -> CompileResult<()> {
        let handler_l = self.new_label();
        let end = self.new_label();
        let cleanup = self.new_label();
        self.emit(Opcode::NOP, 0);
        self.unit().push_handler(handler_l, false);
        self.unit().fblocks.push(FBlock::HandlerCleanup);
        self.stmts(body)?;
        self.unit().fblocks.pop();
        self.unit().pop_handler();
        self.stmts(orelse)?;
        self.set_no_location();
        self.emit_jump(Opcode::JUMP_FORWARD, end);

        self.bind(handler_l);
        self.unit().push_handler(cleanup, true);
        self.emit(Opcode::PUSH_EXC_INFO, 0); // [prev, exc]
        self.emit(Opcode::COPY, 1); // [prev, exc, rest]
        for h in handlers {
            self.set_pos(h.span);
            let Some(t) = h.typ else {
                return Err(self.error("expected 'except' or 'finally' block", h.span));
            };
            let skip = self.new_label();
            let next = self.new_label();
            self.emit(Opcode::PUSH_NULL, 0);
            self.load_name("__pyvm_eg_split__");
            self.emit(Opcode::COPY, 3);
            self.expr(t)?;
            self.emit(Opcode::CALL, 2); // [prev, exc, rest, (match, rest2)]
            self.emit(Opcode::UNPACK_SEQUENCE, 2); // [.., rest, rest2, match]
            self.emit(Opcode::SWAP, 3); // [.., match, rest2, rest]
            self.emit(Opcode::POP_TOP, 0);
            self.emit(Opcode::SWAP, 2); // [prev, exc, rest2, match]
            self.emit(Opcode::COPY, 1);
            self.emit_jump(Opcode::POP_JUMP_IF_NONE, skip);
            match h.name {
                Some(n) => self.store_name(n),
                None => self.emit(Opcode::POP_TOP, 0),
            }
            self.stmts(h.body)?;
            if let Some(n) = h.name {
                self.load_const(Const::None);
                self.store_name(n);
                self.delete_name(n);
            }
            self.emit_jump(Opcode::JUMP_FORWARD, next);
            self.bind(skip);
            self.emit(Opcode::POP_TOP, 0);
            self.bind(next);
        }
        // [prev, exc, rest]: re-raise what is left, if anything.
        let done = self.new_label();
        self.emit(Opcode::COPY, 1);
        self.emit_jump(Opcode::POP_JUMP_IF_NONE, done);
        self.emit(Opcode::RERAISE, 0);
        self.bind(done);
        self.emit(Opcode::POP_TOP, 0);
        self.emit(Opcode::POP_TOP, 0);
        self.unit().pop_handler();
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit_jump(Opcode::JUMP_FORWARD, end);
        self.bind(cleanup);
        self.emit(Opcode::COPY, 3);
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit(Opcode::RERAISE, 1);
        self.bind(end);
        Ok(())
    }

    fn try_finally_star(
        &mut self,
        body: &'a [Stmt<'a>],
        handlers: &'a [ExceptHandler<'a>],
        orelse: &'a [Stmt<'a>],
        finalbody: &'a [Stmt<'a>],
        span: Span,
    ) -> CompileResult<()> {
        let final_l = self.new_label();
        let end = self.new_label();
        let cleanup = self.new_label();
        self.emit(Opcode::NOP, 0);
        self.unit().push_handler(final_l, false);
        self.unit().fblocks.push(FBlock::TryFinally { body: finalbody });
        self.try_except_star(body, handlers, orelse)?;
        self.unit().fblocks.pop();
        self.unit().pop_handler();
        self.stmts(finalbody)?;
        self.set_no_location();
        self.emit_jump(Opcode::JUMP_FORWARD, end);
        self.bind(final_l);
        self.set_pos(span);
        self.set_no_location();
        self.unit().push_handler(cleanup, true);
        self.emit(Opcode::PUSH_EXC_INFO, 0);
        self.unit().fblocks.push(FBlock::FinallyEnd);
        self.stmts(finalbody)?;
        self.unit().fblocks.pop();
        self.emit(Opcode::RERAISE, 0);
        self.unit().pop_handler();
        self.bind(cleanup);
        self.emit(Opcode::COPY, 3);
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit(Opcode::RERAISE, 1);
        self.bind(end);
        Ok(())
    }

    fn try_finally(
        &mut self,
        body: &'a [Stmt<'a>],
        handlers: &'a [ExceptHandler<'a>],
        orelse: &'a [Stmt<'a>],
        finalbody: &'a [Stmt<'a>],
        span: Span,
    ) -> CompileResult<()> {
        let final_l = self.new_label();
        let end = self.new_label();
        let cleanup = self.new_label();
        self.emit(Opcode::NOP, 0);
        self.unit().push_handler(final_l, false);
        self.unit().fblocks.push(FBlock::TryFinally { body: finalbody });
        if handlers.is_empty() {
            self.stmts(body)?;
        } else {
            self.try_except(body, handlers, orelse)?;
        }
        self.unit().fblocks.pop();
        self.unit().pop_handler();
        self.stmts(finalbody)?;
        self.set_no_location();
        self.emit_jump(Opcode::JUMP_FORWARD, end);

        self.bind(final_l);
        self.set_pos(span);
        self.set_no_location();
        self.unit().push_handler(cleanup, true);
        self.emit(Opcode::PUSH_EXC_INFO, 0);
        self.unit().fblocks.push(FBlock::FinallyEnd);
        self.stmts(finalbody)?;
        self.unit().fblocks.pop();
        self.set_no_location();
        self.emit(Opcode::RERAISE, 0);
        self.unit().pop_handler();
        self.bind(cleanup);
        self.emit(Opcode::COPY, 3);
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit(Opcode::RERAISE, 1);
        self.bind(end);
        Ok(())
    }

    fn with_stmt(&mut self, items: &'a [WithItem<'a>], body: &'a [Stmt<'a>], is_async: bool, span: Span) -> CompileResult<()> {
        let Some((item, rest)) = items.split_first() else { return self.stmts(body) };
        if is_async && !self.u().flags.intersects(CodeFlags::COROUTINE | CodeFlags::ASYNC_GENERATOR) {
            return Err(self.error("'async with' outside async function", span));
        }
        let exit_l = self.new_label();
        let end = self.new_label();
        let cleanup = self.new_label();
        self.expr(&item.context_expr)?;
        self.set_pos(item.context_expr.span);
        if is_async {
            self.emit(Opcode::BEFORE_ASYNC_WITH, 0);
            self.emit(Opcode::GET_AWAITABLE, 1);
            self.load_const(Const::None);
            self.yield_from_loop();
        } else {
            self.emit(Opcode::BEFORE_WITH, 0);
        }
        // The protected region starts once the __enter__ result is stored, so that its
        // recorded stack depth holds just __exit__ (CPython's SETUP_WITH depth).
        match item.optional_vars {
            Some(t) => self.store_target(t)?,
            None => self.emit(Opcode::POP_TOP, 0),
        }
        self.unit().push_handler(exit_l, true);
        self.unit().fblocks.push(FBlock::With { is_async });
        if rest.is_empty() {
            self.stmts(body)?;
        } else {
            self.with_stmt(rest, body, is_async, span)?;
        }
        self.unit().fblocks.pop();
        self.unit().pop_handler();
        self.set_pos(span);
        self.set_no_location();
        self.load_const(Const::None);
        self.load_const(Const::None);
        self.load_const(Const::None);
        self.emit(Opcode::CALL, 2);
        if is_async {
            self.emit(Opcode::GET_AWAITABLE, 2);
            self.load_const(Const::None);
            self.yield_from_loop();
        }
        self.emit(Opcode::POP_TOP, 0);
        self.emit_jump(Opcode::JUMP_FORWARD, end);

        self.bind(exit_l);
        self.unit().push_handler(cleanup, true);
        self.emit(Opcode::PUSH_EXC_INFO, 0);
        self.emit(Opcode::WITH_EXCEPT_START, 0);
        if is_async {
            self.emit(Opcode::GET_AWAITABLE, 2);
            self.load_const(Const::None);
            self.yield_from_loop();
        }
        let suppress = self.new_label();
        self.emit_jump(Opcode::POP_JUMP_IF_TRUE, suppress);
        self.emit(Opcode::RERAISE, 2);
        self.bind(suppress);
        self.emit(Opcode::POP_TOP, 0);
        self.unit().pop_handler();
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit(Opcode::POP_TOP, 0);
        self.emit(Opcode::POP_TOP, 0);
        self.emit_jump(Opcode::JUMP_FORWARD, end);
        self.bind(cleanup);
        self.emit(Opcode::COPY, 3);
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit(Opcode::RERAISE, 1);
        self.bind(end);
        Ok(())
    }

    fn aug_assign(&mut self, target: &'a Expr<'a>, op: BinOp, value: &'a Expr<'a>, span: Span) -> CompileResult<()> {
        let opnum = binop_number(op) + 13;
        match target.kind {
            ExprKind::Name { id } => {
                self.set_pos(target.span);
                self.load_name(id);
                self.expr(value)?;
                self.set_pos(span);
                self.emit(Opcode::BINARY_OP, opnum);
                self.set_pos(target.span);
                self.store_name(id);
            }
            ExprKind::Attribute { value: obj, attr } => {
                self.expr(obj)?;
                self.emit(Opcode::COPY, 1);
                let i = self.add_attr_name(attr);
                self.set_pos(target.span);
                self.emit(Opcode::LOAD_ATTR, i);
                self.expr(value)?;
                self.set_pos(span);
                self.emit(Opcode::BINARY_OP, opnum);
                self.emit(Opcode::SWAP, 2);
                self.set_pos(target.span);
                self.emit(Opcode::STORE_ATTR, i);
            }
            ExprKind::Subscript { value: obj, slice } => {
                self.expr(obj)?;
                self.expr(slice)?;
                self.emit(Opcode::COPY, 2);
                self.emit(Opcode::COPY, 2);
                self.set_pos(target.span);
                self.emit(Opcode::BINARY_SUBSCR, 0);
                self.expr(value)?;
                self.set_pos(span);
                self.emit(Opcode::BINARY_OP, opnum);
                self.emit(Opcode::SWAP, 3);
                self.emit(Opcode::SWAP, 2);
                self.set_pos(target.span);
                self.emit(Opcode::STORE_SUBSCR, 0);
            }
            _ => return Err(self.error("illegal expression for augmented assignment", target.span)),
        }
        Ok(())
    }

    pub(crate) fn store_target(&mut self, t: &'a Expr<'a>) -> CompileResult<()> {
        match t.kind {
            ExprKind::Name { id } => {
                self.set_pos(t.span);
                self.store_name(id);
            }
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let i = self.add_attr_name(attr);
                self.set_pos(t.span);
                self.emit(Opcode::STORE_ATTR, i);
            }
            ExprKind::Subscript { value, slice } => {
                self.expr(value)?;
                self.expr(slice)?;
                self.set_pos(t.span);
                self.emit(Opcode::STORE_SUBSCR, 0);
            }
            ExprKind::Tuple { elts, .. } | ExprKind::List { elts } => {
                self.set_pos(t.span);
                let star = elts.iter().position(|e| matches!(e.kind, ExprKind::Starred { .. }));
                match star {
                    Some(si) => {
                        let before = si as u32;
                        let after = (elts.len() - si - 1) as u32;
                        if before > 255 {
                            return Err(self.error("too many expressions in star-unpacking assignment", t.span));
                        }
                        self.emit(Opcode::UNPACK_EX, before | (after << 8));
                    }
                    None => self.emit(Opcode::UNPACK_SEQUENCE, elts.len() as u32),
                }
                for e in elts {
                    match e.kind {
                        ExprKind::Starred { value } => self.store_target(value)?,
                        _ => self.store_target(e)?,
                    }
                }
            }
            ExprKind::Starred { .. } => {
                return Err(self.error("starred assignment target must be in a list or tuple", t.span));
            }
            _ => return Err(self.error("cannot assign to expression", t.span)),
        }
        Ok(())
    }

    fn delete_target(&mut self, t: &'a Expr<'a>) -> CompileResult<()> {
        self.set_pos(t.span);
        match t.kind {
            ExprKind::Name { id } => self.delete_name(id),
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let i = self.add_attr_name(attr);
                self.set_pos(t.span);
                self.emit(Opcode::DELETE_ATTR, i);
            }
            ExprKind::Subscript { value, slice } => {
                self.expr(value)?;
                self.expr(slice)?;
                self.set_pos(t.span);
                self.emit(Opcode::DELETE_SUBSCR, 0);
            }
            ExprKind::Tuple { elts, .. } | ExprKind::List { elts } => {
                for e in elts {
                    self.delete_target(e)?;
                }
            }
            _ => return Err(self.error("cannot delete expression", t.span)),
        }
        Ok(())
    }

    fn function_def(&mut self, f: &'a FunctionDef<'a>, span: Span) -> CompileResult<()> {
        for d in f.decorators {
            self.expr(d)?;
        }
        let firstline = self.src.line_of(span.start);
        let scope = self.st.scope_for(f);
        let qualname = self.qualname_for(f.name);
        self.set_pos(span);
        let flags = self.function_prelude(f.args, Some(f.returns))?;
        self.enter_scope(scope, f.name, &qualname, firstline);
        self.set_arg_counts(f.args);
        // The docstring is the first constant (CPython's co_consts[0]), else None.
        match f.body.first().and_then(docstring) {
            Some(doc) => {
                self.unit().add_const(Const::Str(doc.into()));
            }
            None => {
                self.unit().add_const(Const::None);
            }
        }
        let body = if f.body.first().and_then(docstring).is_some() { &f.body[1..] } else { f.body };
        self.stmts(body)?;
        self.implicit_return();
        let code = self.leave_scope()?;
        self.set_pos(span);
        self.make_function(code, flags)?;
        for _ in f.decorators {
            self.emit(Opcode::CALL, 0);
        }
        self.store_name(f.name);
        Ok(())
    }

    pub(crate) fn implicit_return(&mut self) {
        self.set_no_location();
        self.load_const(Const::None);
        self.emit(Opcode::RETURN_VALUE, 0);
    }

    pub(crate) fn set_arg_counts(&mut self, a: &'a Arguments<'a>) {
        let u = self.unit();
        u.posonlyargcount = a.posonlyargs.len() as u32;
        u.argcount = (a.posonlyargs.len() + a.args.len()) as u32;
        u.kwonlyargcount = a.kwonlyargs.len() as u32;
        if a.vararg.is_some() {
            u.flags |= CodeFlags::VARARGS;
        }
        if a.kwarg.is_some() {
            u.flags |= CodeFlags::VARKEYWORDS;
        }
    }

    /// Push defaults, keyword defaults and annotations; returns the MAKE_FUNCTION flags.
    pub(crate) fn function_prelude(&mut self, a: &'a Arguments<'a>, returns: Option<Option<&'a Expr<'a>>>) -> CompileResult<u32> {
        let mut flags = 0;
        if !a.defaults.is_empty() {
            for d in a.defaults {
                self.expr(d)?;
            }
            self.emit(Opcode::BUILD_TUPLE, a.defaults.len() as u32);
            flags |= 1;
        }
        let kw: Vec<(&str, &'a Expr<'a>)> =
            a.kwonlyargs.iter().zip(a.kw_defaults.iter()).filter_map(|(arg, d)| d.as_ref().map(|d| (arg.name, d))).collect();
        if !kw.is_empty() {
            for (name, d) in &kw {
                self.load_const(Const::Str((*name).into()));
                self.expr(d)?;
            }
            self.emit(Opcode::BUILD_MAP, kw.len() as u32);
            flags |= 2;
        }
        if let Some(returns) = returns {
            let mut n = 0;
            // CPython's order: positional, *args, keyword-only, **kwargs.
            let order = a.posonlyargs.iter().chain(a.args.iter()).chain(a.vararg).chain(a.kwonlyargs.iter()).chain(a.kwarg);
            for arg in order {
                if let Some(ann) = arg.annotation {
                    self.load_const(Const::Str(arg.name.into()));
                    self.annotation(ann)?;
                    n += 1;
                }
            }
            if let Some(r) = returns {
                self.load_const(Const::Str("return".into()));
                self.annotation(r)?;
                n += 1;
            }
            if n > 0 {
                self.emit(Opcode::BUILD_TUPLE, n * 2);
                flags |= 4;
            }
        }
        Ok(flags)
    }

    /// Push the closure (if any) and the code, then MAKE_FUNCTION.
    pub(crate) fn make_function(&mut self, code: std::rc::Rc<crate::bytecode::CodeObject>, mut flags: u32) -> CompileResult<()> {
        if !code.freevars.is_empty() {
            for name in code.freevars.iter() {
                // In a class body, `__class__` is the class's own cell.
                let i = self.u().cell_index(name).ok_or_else(|| self.error(&format!("internal: no cell for {name}"), Span::default()))?;
                self.emit(Opcode::LOAD_CLOSURE, i);
            }
            self.emit(Opcode::BUILD_TUPLE, code.freevars.len() as u32);
            flags |= 8;
        }
        self.load_const(Const::Code(code));
        self.emit(Opcode::MAKE_FUNCTION, flags);
        Ok(())
    }

    fn class_def(&mut self, c: &'a ClassDef<'a>, span: Span) -> CompileResult<()> {
        for d in c.decorators {
            self.expr(d)?;
        }
        let firstline = self.src.line_of(span.start);
        let scope = self.st.scope_for(c);
        let qualname = self.qualname_for(c.name);
        self.set_pos(span);
        self.emit(Opcode::PUSH_NULL, 0);
        self.emit(Opcode::LOAD_BUILD_CLASS, 0);
        self.enter_scope(scope, c.name, &qualname, firstline);
        self.set_pos(span);
        self.load_name("__name__");
        self.store_name("__module__");
        self.load_const(Const::Str(qualname.as_str().into()));
        self.store_name("__qualname__");
        self.compile_body(c.body, false)?;
        self.set_no_location();
        if self.st.scopes[scope].needs_class_cell {
            let i = self.u().cell_index("__class__").expect("__class__ cell");
            self.emit(Opcode::LOAD_CLOSURE, i);
            self.emit(Opcode::COPY, 1);
            self.store_name("__classcell__");
            self.emit(Opcode::RETURN_VALUE, 0);
        } else {
            self.load_const(Const::None);
            self.emit(Opcode::RETURN_VALUE, 0);
        }
        let code = self.leave_scope()?;
        self.set_pos(span);
        self.make_function(code, 0)?;
        self.load_const(Const::Str(c.name.into()));
        self.call_helper(2, c.bases, c.keywords)?;
        for _ in c.decorators {
            self.emit(Opcode::CALL, 0);
        }
        self.store_name(c.name);
        Ok(())
    }
}

pub(crate) fn docstring<'a>(s: &Stmt<'a>) -> Option<&'a str> {
    if let StmtKind::Expr(e) = s.kind {
        if let ExprKind::Constant(Constant::Str(doc)) = e.kind {
            return Some(doc);
        }
    }
    None
}

pub(crate) fn binop_number(op: BinOp) -> u32 {
    BinOp::ALL.iter().position(|o| *o == op).unwrap_or(0) as u32
}
