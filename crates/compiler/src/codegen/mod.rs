//! Code generation: AST + symbol table to one `CodeObject` per scope.
//!
//! Instructions are emitted into a `Unit` with symbolic labels. Exception handling uses
//! CPython 3.11's zero-cost scheme: while a `try`/`with` body is emitted, a handler is
//! "active" and every instruction records it; the assembler (`assemble.rs`) computes the
//! stack depth of every instruction from the opcode table's stack effects and turns the
//! per-instruction handlers into exception-table ranges whose depth is the stack depth
//! where the protected region starts.
//! Statements are in `stmt.rs`, expressions in `expr.rs`, `match` in `pattern.rs`.

mod assemble;
pub use expr::{cmp_number, CMP_NAMES};
mod expr;
mod pattern;
mod stmt;

use crate::ast::*;
use crate::bytecode::{CodeFlags, CodeObject, Const, Opcode, Position};
use crate::error::{CompileResult, SyntaxError};
use crate::source::Source;
use crate::symtable::{Binding, ScopeKind, SymbolTable};
use crate::token::Span;
use hashbrown::HashMap;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Label(u32);

/// An instruction before assembly.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PInstr {
    pub op: Opcode,
    pub arg: u32,
    pub target: Option<Label>,
    pub pos: Position,
    pub handler: Option<u32>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Handler {
    pub target: Label,
    pub lasti: bool,
    /// Index of the first instruction of the protected region.
    pub start: usize,
}

/// Enclosing constructs that `break`, `continue` and `return` must unwind.
#[derive(Clone, Copy, Debug)]
pub(crate) enum FBlock<'a> {
    /// A `for` loop: the iterator is on the stack.
    ForLoop { top: Label, exit: Label },
    WhileLoop { top: Label, exit: Label },
    /// Inside `try:` of a try/finally: unwinding runs the finally body.
    TryFinally { body: &'a [Stmt<'a>] },
    /// Inside a `finally:` handler or except handler: the exception info is on the stack.
    FinallyEnd,
    /// Inside an `except` handler body: pop the exception state.
    ExceptHandler { name: Option<&'a str> },
    /// Inside `with`: unwinding calls `__exit__(None, None, None)`.
    With { is_async: bool },
    /// Pushed while a handler has its own cleanup region.
    HandlerCleanup,
}

pub(crate) struct Unit<'a> {
    pub scope: usize,
    pub kind: ScopeKind,
    pub name: Rc<str>,
    pub qualname: Rc<str>,
    pub instrs: Vec<PInstr>,
    pub labels: Vec<Option<usize>>,
    pub handlers: Vec<Handler>,
    pub handler_stack: Vec<u32>,
    pub consts: Vec<Const>,
    pub names: Vec<Rc<str>>,
    name_index: HashMap<Rc<str>, u32>,
    pub varnames: Vec<Rc<str>>,
    pub cellvars: Vec<Rc<str>>,
    pub freevars: Vec<Rc<str>>,
    pub cur_pos: Position,
    pub fblocks: Vec<FBlock<'a>>,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub flags: CodeFlags,
    pub firstlineno: u32,
}

impl<'a> Unit<'a> {
    pub fn new_label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() as u32 - 1)
    }
    pub fn bind(&mut self, l: Label) {
        self.labels[l.0 as usize] = Some(self.instrs.len());
    }
    pub fn emit(&mut self, op: Opcode, arg: u32) {
        let handler = self.handler_stack.last().copied();
        self.instrs.push(PInstr { op, arg, target: None, pos: self.cur_pos, handler });
    }
    pub fn emit_jump(&mut self, op: Opcode, target: Label) {
        let handler = self.handler_stack.last().copied();
        self.instrs.push(PInstr { op, arg: 0, target: Some(target), pos: self.cur_pos, handler });
    }
    pub fn add_const(&mut self, c: Const) -> u32 {
        // Code objects are never shared; other constants are deduplicated by value and type.
        if !matches!(c, Const::Code(_)) {
            if let Some(i) = self.consts.iter().position(|x| const_identical(x, &c)) {
                return i as u32;
            }
        }
        self.consts.push(c);
        self.consts.len() as u32 - 1
    }
    pub fn add_name(&mut self, n: &str) -> u32 {
        if let Some(i) = self.name_index.get(n) {
            return *i;
        }
        let rc: Rc<str> = n.into();
        self.names.push(rc.clone());
        let i = self.names.len() as u32 - 1;
        self.name_index.insert(rc, i);
        i
    }
    pub fn local_index(&self, n: &str) -> Option<u32> {
        self.varnames.iter().position(|v| &**v == n).map(|i| i as u32)
    }
    pub fn cell_index(&self, n: &str) -> Option<u32> {
        if let Some(i) = self.cellvars.iter().position(|v| &**v == n) {
            return Some(i as u32);
        }
        self.freevars.iter().position(|v| &**v == n).map(|i| (self.cellvars.len() + i) as u32)
    }
    /// Start a protected region whose exceptions go to `target`.
    pub fn push_handler(&mut self, target: Label, lasti: bool) {
        self.handlers.push(Handler { target, lasti, start: self.instrs.len() });
        self.handler_stack.push(self.handlers.len() as u32 - 1);
    }
    pub fn pop_handler(&mut self) {
        self.handler_stack.pop();
    }
}

/// Constants are merged only when they are the same value of the same type
/// (`1`, `1.0` and `True` stay distinct; `0.0` and `-0.0` too).
fn const_identical(a: &Const, b: &Const) -> bool {
    match (a, b) {
        (Const::Float(x), Const::Float(y)) => x.to_bits() == y.to_bits(),
        (Const::Complex { re: a1, im: a2 }, Const::Complex { re: b1, im: b2 }) => {
            a1.to_bits() == b1.to_bits() && a2.to_bits() == b2.to_bits()
        }
        (Const::Tuple(x), Const::Tuple(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| const_identical(p, q)),
        (Const::Code(_), _) | (_, Const::Code(_)) => false,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b) && a == b,
    }
}

pub(crate) struct Compiler<'s, 'a> {
    pub src: &'s Source<'s>,
    pub st: SymbolTable,
    pub units: Vec<Unit<'a>>,
    pub filename: Rc<str>,
    /// Interactive mode: expression statements print their value.
    pub interactive: bool,
    /// `from __future__ import annotations` (PEP 563): annotations are stored as
    /// strings, never evaluated.
    pub future_annotations: bool,
    pub _arena: std::marker::PhantomData<&'a ()>,
}

/// Compile a parsed module to its code object.
pub fn compile_module<'a>(module: &Module<'a>, src: &Source, interactive: bool) -> CompileResult<Rc<CodeObject>> {
    let st = crate::symtable::build(module, src)?;
    let mut c = Compiler { src, st, units: Vec::new(), filename: src.filename.into(), interactive, future_annotations: false, _arena: std::marker::PhantomData };
    c.future_annotations = future_features(module.body, &c)?;
    c.enter_scope(0, "<module>", "<module>", 1);
    c.unit().cur_pos = Position { line: 1, end_line: 1, col: 0, end_col: 0 };
    c.compile_body(module.body, false)?;
    if !c.ends_with_return() {
        c.set_no_location();
        c.load_const(Const::None);
        c.emit(Opcode::RETURN_VALUE, 0);
    }
    c.leave_scope()
}

/// The `from __future__ import ...` statements at the top of a module (after the
/// docstring): whether `annotations` is among them. Unknown features, and future
/// imports after other statements, are SyntaxErrors as in CPython.
fn future_features(body: &[crate::ast::Stmt<'_>], c: &Compiler<'_, '_>) -> CompileResult<bool> {
    use crate::ast::{ExprKind, StmtKind};
    const KNOWN: &[&str] = &[
        "nested_scopes", "generators", "division", "absolute_import", "with_statement", "print_function",
        "unicode_literals", "barry_as_FLUFL", "generator_stop", "annotations",
    ];
    let mut annotations = false;
    let mut at_top = true;
    for (i, st) in body.iter().enumerate() {
        match st.kind {
            StmtKind::Expr(e) if i == 0 && matches!(e.kind, ExprKind::Constant(_)) => continue,
            StmtKind::ImportFrom { module: Some("__future__"), names, .. } => {
                if !at_top {
                    return Err(c.error("from __future__ imports must occur at the beginning of the file", st.span));
                }
                for a in names {
                    // CPython points at the start of the statement for both.
                    let at = crate::token::Span { start: st.span.start, end: st.span.start };
                    if a.name == "braces" {
                        return Err(c.error("not a chance", at));
                    }
                    if !KNOWN.contains(&a.name) {
                        return Err(c.error(&format!("future feature {} is not defined", a.name), at));
                    }
                    annotations |= a.name == "annotations";
                }
            }
            _ => at_top = false,
        }
    }
    Ok(annotations)
}

/// Compile a parsed module in `eval` mode: it must be a single expression, whose value
/// the code returns.
pub fn compile_eval<'a>(module: &Module<'a>, src: &Source) -> CompileResult<Rc<CodeObject>> {
    let st = crate::symtable::build(module, src)?;
    let mut c = Compiler { src, st, units: Vec::new(), filename: src.filename.into(), interactive: false, future_annotations: false, _arena: std::marker::PhantomData };
    c.enter_scope(0, "<module>", "<module>", 1);
    c.unit().cur_pos = Position { line: 1, end_line: 1, col: 0, end_col: 0 };
    match module.body {
        [crate::ast::Stmt { kind: crate::ast::StmtKind::Expr(e), .. }] => {
            c.set_pos(e.span);
            c.expr(e)?;
            c.emit(Opcode::RETURN_VALUE, 0);
        }
        [s, ..] => return Err(c.error("invalid syntax", s.span)),
        [] => {
            let mut e = SyntaxError::new("invalid syntax", 1, 1, 1);
            e.end_line = 1;
            return Err(e);
        }
    }
    c.leave_scope()
}

impl<'s, 'a> Compiler<'s, 'a> {
    pub fn unit(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("unit")
    }
    pub fn u(&self) -> &Unit<'a> {
        self.units.last().expect("unit")
    }
    pub fn emit(&mut self, op: Opcode, arg: u32) {
        self.unit().emit(op, arg)
    }
    pub fn emit_jump(&mut self, op: Opcode, l: Label) {
        self.unit().emit_jump(op, l)
    }
    pub fn new_label(&mut self) -> Label {
        self.unit().new_label()
    }
    pub fn bind(&mut self, l: Label) {
        self.unit().bind(l)
    }
    /// Push an annotation's value: the expression itself, or under
    /// `from __future__ import annotations` its source text (CPython stores the
    /// unparsed expression; the source text matches it for ordinarily written code).
    pub fn annotation(&mut self, e: &'a crate::ast::Expr<'a>) -> CompileResult<()> {
        if self.future_annotations {
            let text = match e.kind {
                // A string annotation shows as its repr ('Node', whatever quotes it had).
                crate::ast::ExprKind::Constant(crate::ast::Constant::Str(v)) => crate::repr::str_repr(v),
                _ => self.src.text.get(e.span.start as usize..e.span.end as usize).unwrap_or("").to_string(),
            };
            self.load_const(Const::Str(text.as_str().into()));
            return Ok(());
        }
        self.expr(e)
    }

    pub fn load_const(&mut self, c: Const) {
        let i = self.unit().add_const(c);
        self.emit(Opcode::LOAD_CONST, i);
    }

    pub fn error(&self, msg: &str, span: Span) -> SyntaxError {
        let line = self.src.line_of(span.start);
        let mut e = SyntaxError::new(msg, line, self.src.col_of(span.start) + 1, self.src.col_of(span.end) + 1);
        e.end_line = self.src.line_of(span.end);
        e
    }

    /// Make `span` the position of the instructions emitted next.
    pub fn set_pos(&mut self, span: Span) {
        let p = self.position(span);
        self.unit().cur_pos = p;
    }
    pub fn position(&self, span: Span) -> Position {
        Position {
            line: self.src.line_of(span.start),
            end_line: self.src.line_of(span.end.max(span.start)),
            col: self.src.col_of(span.start),
            end_col: self.src.col_of(span.end),
        }
    }
    pub fn set_no_location(&mut self) {
        // CPython gives implicit trailing instructions the last line seen.
        let p = self.u().cur_pos;
        self.unit().cur_pos = Position { line: p.line, end_line: p.line, col: 0, end_col: 0 };
    }

    fn ends_with_return(&self) -> bool {
        matches!(self.u().instrs.last(), Some(i) if i.op == Opcode::RETURN_VALUE && false)
    }

    pub fn enter_scope(&mut self, scope: usize, name: &str, qualname: &str, firstlineno: u32) {
        let sc = &self.st.scopes[scope];
        let kind = sc.kind;
        let mut flags = CodeFlags::empty();
        if kind.is_function_like() {
            flags |= CodeFlags::OPTIMIZED | CodeFlags::NEWLOCALS;
        }
        if sc.is_generator && sc.is_coroutine && kind == ScopeKind::Function {
            flags |= CodeFlags::ASYNC_GENERATOR;
        } else if sc.is_coroutine && kind == ScopeKind::Function {
            flags |= CodeFlags::COROUTINE;
        } else if sc.is_generator {
            flags |= CodeFlags::GENERATOR;
        }
        if sc.is_coroutine && kind == ScopeKind::Comprehension && sc.is_generator {
            flags.remove(CodeFlags::GENERATOR);
            flags |= CodeFlags::ASYNC_GENERATOR;
        } else if sc.is_coroutine && kind == ScopeKind::Comprehension {
            flags |= CodeFlags::COROUTINE;
        }
        if self.units.iter().any(|u| u.kind.is_function_like()) {
            flags |= CodeFlags::NESTED;
        }
        let unit = Unit {
            scope,
            kind,
            name: name.into(),
            qualname: qualname.into(),
            instrs: Vec::new(),
            labels: Vec::new(),
            handlers: Vec::new(),
            handler_stack: Vec::new(),
            consts: Vec::new(),
            names: Vec::new(),
            name_index: HashMap::new(),
            varnames: sc.varnames.iter().map(|s| Rc::from(s.as_str())).collect(),
            cellvars: sc.cellvars.iter().map(|s| Rc::from(s.as_str())).collect(),
            freevars: sc.freevars.iter().map(|s| Rc::from(s.as_str())).collect(),
            cur_pos: Position { line: firstlineno, end_line: firstlineno, col: 0, end_col: 0 },
            fblocks: Vec::new(),
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            flags,
            firstlineno,
        };
        self.units.push(unit);
        // Cells for parameters are created from the argument; others start empty.
        let ncells = self.u().cellvars.len();
        for i in 0..ncells {
            self.emit(Opcode::MAKE_CELL, i as u32);
        }
        if !self.u().freevars.is_empty() {
            let n = self.u().freevars.len() as u32;
            self.emit(Opcode::COPY_FREE_VARS, n);
        }
        if self.u().flags.intersects(CodeFlags::GENERATOR | CodeFlags::COROUTINE | CodeFlags::ASYNC_GENERATOR) {
            self.emit(Opcode::RETURN_GENERATOR, 0);
        }
    }

    pub fn leave_scope(&mut self) -> CompileResult<Rc<CodeObject>> {
        let unit = self.units.pop().expect("unit");
        let cell2arg = unit
            .cellvars
            .iter()
            .map(|c| unit.varnames.iter().take(unit_total_args(&unit)).position(|v| v == c).map(|i| i as u32))
            .collect();
        let code = assemble::assemble(unit, self.filename.clone(), cell2arg)?;
        Ok(Rc::new(code))
    }

    /// How a name is accessed in the current scope.
    pub fn binding(&self, name: &str) -> Binding {
        let u = self.u();
        let sc = &self.st.scopes[u.scope];
        sc.binding(name)
    }

    pub fn load_name(&mut self, name: &str) {
        let name = mangle(self.class_name().as_deref(), name);
        match self.binding(&name) {
            Binding::Local => {
                let i = self.u().local_index(&name).expect("local");
                self.emit(Opcode::LOAD_FAST, i);
            }
            Binding::Cell | Binding::Free => {
                let i = self.u().cell_index(&name).expect("cell");
                let op = if self.u().kind == ScopeKind::Class { Opcode::LOAD_CLASSDEREF } else { Opcode::LOAD_DEREF };
                self.emit(op, i);
            }
            Binding::Name => {
                let i = self.unit().add_name(&name);
                self.emit(Opcode::LOAD_NAME, i);
            }
            Binding::GlobalExplicit | Binding::GlobalImplicit => {
                if self.u().kind.is_function_like() {
                    let i = self.unit().add_name(&name);
                    self.emit(Opcode::LOAD_GLOBAL, i << 1);
                } else {
                    let i = self.unit().add_name(&name);
                    let op = if self.binding(&name) == Binding::GlobalExplicit { Opcode::LOAD_GLOBAL } else { Opcode::LOAD_NAME };
                    self.emit(op, if op == Opcode::LOAD_GLOBAL { i << 1 } else { i });
                }
            }
        }
    }

    pub fn store_name(&mut self, name: &str) {
        let name = mangle(self.class_name().as_deref(), name);
        match self.binding(&name) {
            Binding::Local => {
                let i = self.u().local_index(&name).expect("local");
                self.emit(Opcode::STORE_FAST, i);
            }
            Binding::Cell | Binding::Free => {
                let i = self.u().cell_index(&name).expect("cell");
                self.emit(Opcode::STORE_DEREF, i);
            }
            Binding::Name => {
                let i = self.unit().add_name(&name);
                self.emit(Opcode::STORE_NAME, i);
            }
            Binding::GlobalExplicit | Binding::GlobalImplicit => {
                let i = self.unit().add_name(&name);
                let op = if self.u().kind.is_function_like() || self.binding(&name) == Binding::GlobalExplicit {
                    Opcode::STORE_GLOBAL
                } else {
                    Opcode::STORE_NAME
                };
                self.emit(op, i);
            }
        }
    }

    pub fn delete_name(&mut self, name: &str) {
        let name = mangle(self.class_name().as_deref(), name);
        match self.binding(&name) {
            Binding::Local => {
                let i = self.u().local_index(&name).expect("local");
                self.emit(Opcode::DELETE_FAST, i);
            }
            Binding::Cell | Binding::Free => {
                let i = self.u().cell_index(&name).expect("cell");
                self.emit(Opcode::DELETE_DEREF, i);
            }
            Binding::Name => {
                let i = self.unit().add_name(&name);
                self.emit(Opcode::DELETE_NAME, i);
            }
            Binding::GlobalExplicit | Binding::GlobalImplicit => {
                let i = self.unit().add_name(&name);
                let op = if self.u().kind.is_function_like() || self.binding(&name) == Binding::GlobalExplicit {
                    Opcode::DELETE_GLOBAL
                } else {
                    Opcode::DELETE_NAME
                };
                self.emit(op, i);
            }
        }
    }

    /// The innermost enclosing class name, for private-name mangling.
    pub fn class_name(&self) -> Option<String> {
        self.units.iter().rev().find(|u| u.kind == ScopeKind::Class).map(|u| u.name.to_string())
    }

    /// Add an attribute name to `names`, mangled if private (`self.__x` in class `C` is
    /// `_C__x`).
    pub fn add_attr_name(&mut self, attr: &str) -> u32 {
        let m = mangle(self.class_name().as_deref(), attr);
        self.unit().add_name(&m)
    }

    /// `__qualname__` prefix for a new scope defined in the current one.
    pub fn qualname_for(&self, name: &str) -> String {
        let u = self.u();
        match u.kind {
            ScopeKind::Module => name.to_string(),
            ScopeKind::Class => format!("{}.{}", u.qualname, name),
            _ => {
                // A `global` declaration makes the qualname top-level.
                let sc = &self.st.scopes[u.scope];
                if sc.binding(name) == Binding::GlobalExplicit {
                    name.to_string()
                } else {
                    format!("{}.<locals>.{}", u.qualname, name)
                }
            }
        }
    }
}

fn unit_total_args(u: &Unit<'_>) -> usize {
    (u.argcount + u.kwonlyargcount) as usize
        + u.flags.contains(CodeFlags::VARARGS) as usize
        + u.flags.contains(CodeFlags::VARKEYWORDS) as usize
}

/// Private name mangling: `__x` inside class `C` becomes `_C__x` (not dunder names,
/// not dotted names, not when the class name is all underscores).
pub(crate) fn mangle(class: Option<&str>, name: &str) -> String {
    let Some(class) = class else { return name.to_string() };
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return name.to_string();
    }
    let stripped = class.trim_start_matches('_');
    if stripped.is_empty() {
        return name.to_string();
    }
    format!("_{stripped}{name}")
}
