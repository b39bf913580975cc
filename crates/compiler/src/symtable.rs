//! Symbol table: decides for every name in every scope whether it is a fast local, a
//! cell, a free variable, a global, or looked up by name — as CPython's symtable.c does.
//!
//! Pass 1 (`Builder`) walks the AST and records, per scope, how each name is used.
//! Pass 2 (`analyze`) resolves bindings top-down (which enclosing function binds a free
//! name) and bottom-up (which locals become cells because an inner scope uses them).
//! Scopes are keyed by the address of their AST node, which is stable in the arena.

use crate::ast::*;
use crate::error::{CompileResult, SyntaxError};
use crate::source::Source;
use crate::token::Span;
use hashbrown::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
}

impl ScopeKind {
    pub fn is_function_like(self) -> bool {
        matches!(self, ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension)
    }
}

/// Where a name lives, once analysed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    /// Function scopes: a fast local slot.
    Local,
    /// A local captured by an inner scope: lives in a cell.
    Cell,
    /// Bound in an enclosing function: reached through the closure.
    Free,
    /// Module or class namespace (LOAD_NAME / STORE_NAME).
    Name,
    /// Declared `global`.
    GlobalExplicit,
    /// Used but never bound in any enclosing function.
    GlobalImplicit,
}

const DEF_LOCAL: u16 = 1;
const DEF_PARAM: u16 = 2;
const DEF_GLOBAL: u16 = 4;
const DEF_NONLOCAL: u16 = 8;
const USE: u16 = 16;
/// Comprehension-scope name bound by a walrus: it belongs to the enclosing function.
const DEF_COMP_WALRUS: u16 = 32;

#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub name: String,
    /// Symbols in first-mention order with their usage flags.
    order: Vec<String>,
    flags: HashMap<String, u16>,
    pub bindings: HashMap<String, Binding>,
    pub params: Vec<String>,
    /// Fast locals in slot order (parameters first).
    pub varnames: Vec<String>,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    pub children: Vec<usize>,
    pub is_generator: bool,
    pub is_coroutine: bool,
    /// Class scopes: a method uses `super`/`__class__`, so the class needs a `__class__` cell.
    pub needs_class_cell: bool,
    pub has_annotations: bool,
    pub lineno_span: Span,
    /// Where each `nonlocal` name was declared (for "no binding" errors).
    nonlocal_spans: HashMap<String, Span>,
}

impl Scope {
    fn new(kind: ScopeKind, name: &str, span: Span) -> Scope {
        Scope {
            kind,
            name: name.to_string(),
            order: Vec::new(),
            flags: HashMap::new(),
            bindings: HashMap::new(),
            params: Vec::new(),
            varnames: Vec::new(),
            cellvars: Vec::new(),
            freevars: Vec::new(),
            children: Vec::new(),
            is_generator: false,
            is_coroutine: false,
            needs_class_cell: false,
            has_annotations: false,
            lineno_span: span,
            nonlocal_spans: HashMap::new(),
        }
    }
    fn add(&mut self, name: &str, flag: u16) -> u16 {
        let prev = match self.flags.get_mut(name) {
            Some(f) => {
                let p = *f;
                *f |= flag;
                p
            }
            None => {
                self.flags.insert(name.to_string(), flag);
                self.order.push(name.to_string());
                0
            }
        };
        prev
    }
    pub fn binding(&self, name: &str) -> Binding {
        if let Some(b) = self.bindings.get(name) {
            return *b;
        }
        match self.kind {
            ScopeKind::Module | ScopeKind::Class => Binding::Name,
            _ => Binding::GlobalImplicit,
        }
    }
}

pub struct SymbolTable {
    pub scopes: Vec<Scope>,
    /// AST node address -> scope index.
    by_node: HashMap<usize, usize>,
}

impl SymbolTable {
    pub fn scope_for<T>(&self, node: &T) -> usize {
        self.by_node[&(node as *const T as usize)]
    }
}

pub fn build(module: &Module, src: &Source) -> CompileResult<SymbolTable> {
    let mut b = Builder { scopes: Vec::new(), stack: Vec::new(), classes: Vec::new(), by_node: HashMap::new(), src };
    b.push(ScopeKind::Module, "top", 0, Span::default());
    for s in module.body {
        b.stmt(s)?;
    }
    b.stack.pop();
    let mut st = SymbolTable { scopes: b.scopes, by_node: b.by_node };
    analyze(&mut st, 0, &[], src)?;
    Ok(st)
}

struct Builder<'s> {
    scopes: Vec<Scope>,
    stack: Vec<usize>,
    /// Enclosing class names, for private-name mangling (`__x` -> `_C__x`).
    classes: Vec<String>,
    by_node: HashMap<usize, usize>,
    src: &'s Source<'s>,
}

impl<'s> Builder<'s> {
    fn err(&self, msg: String, span: Span) -> SyntaxError {
        let line = self.src.line_of(span.start);
        SyntaxError::new(msg, line, self.src.col_of(span.start) + 1, self.src.col_of(span.end) + 1)
    }
    fn cur(&mut self) -> &mut Scope {
        let i = *self.stack.last().expect("scope stack");
        &mut self.scopes[i]
    }
    fn cur_kind(&self) -> ScopeKind {
        self.scopes[*self.stack.last().expect("scope stack")].kind
    }
    fn push(&mut self, kind: ScopeKind, name: &str, node: usize, span: Span) {
        let idx = self.scopes.len();
        self.scopes.push(Scope::new(kind, name, span));
        if let Some(&parent) = self.stack.last() {
            self.scopes[parent].children.push(idx);
        }
        if node != 0 {
            self.by_node.insert(node, idx);
        }
        self.stack.push(idx);
    }

    fn mangled(&self, name: &str) -> String {
        crate::codegen::mangle(self.classes.last().map(|s| s.as_str()), name)
    }
    fn def(&mut self, name: &str, span: Span) -> CompileResult<()> {
        let _ = span;
        let name = self.mangled(name);
        self.cur().add(&name, DEF_LOCAL);
        Ok(())
    }
    fn use_name(&mut self, name: &str) {
        let name = &self.mangled(name);
        self.cur().add(name, USE);
        if name == "super" && self.cur_kind().is_function_like() {
            // `super()` with no arguments needs the implicit `__class__` cell.
            self.cur().add("__class__", USE);
        }
    }

    fn stmts(&mut self, body: &[Stmt]) -> CompileResult<()> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn args_defaults(&mut self, a: &Arguments) -> CompileResult<()> {
        for d in a.defaults {
            self.expr(d)?;
        }
        for d in a.kw_defaults.iter().flatten() {
            self.expr(d)?;
        }
        Ok(())
    }
    fn args_annotations(&mut self, a: &Arguments) -> CompileResult<()> {
        for arg in a.all_names() {
            if let Some(ann) = arg.annotation {
                self.expr(ann)?;
            }
        }
        Ok(())
    }
    fn params(&mut self, a: &Arguments) {
        for arg in a.all_names() {
            let name = self.mangled(arg.name);
            let s = self.cur();
            s.add(&name, DEF_PARAM);
            s.params.push(name);
        }
    }

    fn stmt(&mut self, s: &Stmt) -> CompileResult<()> {
        match s.kind {
            StmtKind::FunctionDef(f) => {
                for d in f.decorators {
                    self.expr(d)?;
                }
                self.args_defaults(f.args)?;
                self.args_annotations(f.args)?;
                if let Some(r) = f.returns {
                    self.expr(r)?;
                }
                self.def(f.name, s.span)?;
                self.push(ScopeKind::Function, f.name, f as *const FunctionDef as usize, s.span);
                self.cur().is_coroutine = f.is_async;
                self.params(f.args);
                self.stmts(f.body)?;
                self.stack.pop();
            }
            StmtKind::ClassDef(c) => {
                for d in c.decorators {
                    self.expr(d)?;
                }
                for b in c.bases {
                    self.expr(b)?;
                }
                for k in c.keywords {
                    self.expr(&k.value)?;
                }
                self.def(c.name, s.span)?;
                self.push(ScopeKind::Class, c.name, c as *const ClassDef as usize, s.span);
                self.classes.push(c.name.to_string());
                let r = self.stmts(c.body);
                self.classes.pop();
                r?;
                self.stack.pop();
            }
            StmtKind::Return(v) => {
                if !self.cur_kind().is_function_like() {
                    return Err(self.err("'return' outside function".into(), s.span));
                }
                if let Some(v) = v {
                    self.expr(v)?;
                }
            }
            StmtKind::Delete(ts) => {
                for t in ts {
                    self.target(t)?;
                }
            }
            StmtKind::Assign { targets, value } => {
                for t in targets {
                    self.target(t)?;
                }
                self.expr(value)?;
            }
            StmtKind::AugAssign { target, value, .. } => {
                if let ExprKind::Name { id } = target.kind {
                    self.use_name(id);
                }
                self.target(target)?;
                self.expr(value)?;
            }
            StmtKind::AnnAssign { target, annotation, value, simple } => {
                if let ExprKind::Name { id } = target.kind {
                    let prev = self.scopes[*self.stack.last().unwrap()].flags.get(id).copied().unwrap_or(0);
                    if prev & (DEF_GLOBAL | DEF_NONLOCAL) != 0 && simple {
                        let kind = if prev & DEF_GLOBAL != 0 { "global" } else { "nonlocal" };
                        return Err(self.err(format!("annotated name '{id}' can't be {kind}"), target.span));
                    }
                }
                self.cur().has_annotations = true;
                self.target(target)?;
                if !self.cur_kind().is_function_like() {
                    self.expr(annotation)?;
                }
                if let Some(v) = value {
                    self.expr(v)?;
                }
            }
            StmtKind::For { target, iter, body, orelse, .. } => {
                self.target(target)?;
                self.expr(iter)?;
                self.stmts(body)?;
                self.stmts(orelse)?;
            }
            StmtKind::While { test, body, orelse } | StmtKind::If { test, body, orelse } => {
                self.expr(test)?;
                self.stmts(body)?;
                self.stmts(orelse)?;
            }
            StmtKind::With { items, body, .. } => {
                for it in items {
                    self.expr(&it.context_expr)?;
                    if let Some(v) = it.optional_vars {
                        self.target(v)?;
                    }
                }
                self.stmts(body)?;
            }
            StmtKind::Match { subject, cases } => {
                self.expr(subject)?;
                for c in cases {
                    self.pattern(&c.pattern)?;
                    if let Some(g) = c.guard {
                        self.expr(g)?;
                    }
                    self.stmts(c.body)?;
                }
            }
            StmtKind::Raise { exc, cause } => {
                if let Some(e) = exc {
                    self.expr(e)?;
                }
                if let Some(c) = cause {
                    self.expr(c)?;
                }
            }
            StmtKind::Try { body, handlers, orelse, finalbody, .. } => {
                self.stmts(body)?;
                for h in handlers {
                    if let Some(t) = h.typ {
                        self.expr(t)?;
                    }
                    if let Some(n) = h.name {
                        self.def(n, h.span)?;
                    }
                    self.stmts(h.body)?;
                }
                self.stmts(orelse)?;
                self.stmts(finalbody)?;
            }
            StmtKind::Assert { test, msg } => {
                self.expr(test)?;
                if let Some(m) = msg {
                    self.expr(m)?;
                }
            }
            StmtKind::Import(names) | StmtKind::ImportFrom { names, .. } => {
                for a in names {
                    if a.name == "*" {
                        if self.cur_kind() != ScopeKind::Module {
                            return Err(self.err("import * only allowed at module level".into(), a.span));
                        }
                        continue;
                    }
                    let bound = match a.asname {
                        Some(n) => n,
                        None => a.name.split('.').next().unwrap_or(a.name),
                    };
                    self.def(bound, a.span)?;
                }
            }
            StmtKind::Global(names) | StmtKind::Nonlocal(names) => {
                let global = matches!(s.kind, StmtKind::Global(_));
                let word = if global { "global" } else { "nonlocal" };
                if !global && self.cur_kind() == ScopeKind::Module {
                    return Err(self.err("nonlocal declaration not allowed at module level".into(), s.span));
                }
                for n in names {
                    let mn = self.mangled(n);
                    let n = &mn.as_str();
                    let prev = self.scopes[*self.stack.last().unwrap()].flags.get(*n).copied().unwrap_or(0);
                    if prev & DEF_PARAM != 0 {
                        return Err(self.err(format!("name '{n}' is parameter and {word}"), s.span));
                    }
                    if prev & DEF_LOCAL != 0 {
                        return Err(self.err(format!("name '{n}' is assigned to before {word} declaration"), s.span));
                    }
                    if prev & USE != 0 {
                        return Err(self.err(format!("name '{n}' is used prior to {word} declaration"), s.span));
                    }
                    if global && prev & DEF_NONLOCAL != 0 {
                        return Err(self.err(format!("name '{n}' is nonlocal and global"), s.span));
                    }
                    if !global && prev & DEF_GLOBAL != 0 {
                        return Err(self.err(format!("name '{n}' is nonlocal and global"), s.span));
                    }
                    self.cur().add(n, if global { DEF_GLOBAL } else { DEF_NONLOCAL });
                    if !global {
                        self.cur().nonlocal_spans.entry(n.to_string()).or_insert(s.span);
                    }
                }
            }
            StmtKind::Expr(e) => self.expr(e)?,
            StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {}
        }
        Ok(())
    }

    /// An assignment or deletion target: names become local.
    fn target(&mut self, e: &Expr) -> CompileResult<()> {
        match e.kind {
            ExprKind::Name { id } => self.def(id, e.span),
            ExprKind::Tuple { elts, .. } | ExprKind::List { elts } => {
                for x in elts {
                    self.target(x)?;
                }
                Ok(())
            }
            ExprKind::Starred { value } => self.target(value),
            ExprKind::Attribute { value, .. } => self.expr(value),
            ExprKind::Subscript { value, slice } => {
                self.expr(value)?;
                self.expr(slice)
            }
            _ => self.expr(e),
        }
    }

    fn pattern(&mut self, p: &Pattern) -> CompileResult<()> {
        match p.kind {
            PatternKind::MatchValue(e) => self.expr(e),
            PatternKind::MatchSingleton(_) => Ok(()),
            PatternKind::MatchSequence(ps) | PatternKind::MatchOr(ps) => {
                for x in ps {
                    self.pattern(x)?;
                }
                Ok(())
            }
            PatternKind::MatchMapping { keys, patterns, rest } => {
                for k in keys {
                    self.expr(k)?;
                }
                for x in patterns {
                    self.pattern(x)?;
                }
                if let Some(r) = rest {
                    self.def(r, p.span)?;
                }
                Ok(())
            }
            PatternKind::MatchClass { cls, patterns, kwd_patterns, .. } => {
                self.expr(cls)?;
                for x in patterns.iter().chain(kwd_patterns) {
                    self.pattern(x)?;
                }
                Ok(())
            }
            PatternKind::MatchStar(n) => {
                if let Some(n) = n {
                    self.def(n, p.span)?;
                }
                Ok(())
            }
            PatternKind::MatchAs { pattern, name } => {
                if let Some(x) = pattern {
                    self.pattern(x)?;
                }
                if let Some(n) = name {
                    self.def(n, p.span)?;
                }
                Ok(())
            }
        }
    }

    fn comprehension(&mut self, e: &Expr, name: &str, gens: &[Comprehension], elts: &[&Expr]) -> CompileResult<()> {
        // The first iterable is evaluated in the enclosing scope.
        self.expr(gens[0].iter)?;
        self.push(ScopeKind::Comprehension, name, e as *const Expr as usize, e.span);
        if matches!(e.kind, ExprKind::GeneratorExp { .. }) {
            self.cur().is_generator = true;
        }
        self.cur().add(".0", DEF_PARAM);
        self.cur().params.push(".0".into());
        for (i, g) in gens.iter().enumerate() {
            if g.is_async {
                self.cur().is_coroutine = true;
            }
            self.target(g.target)?;
            if i > 0 {
                self.expr(g.iter)?;
            }
            for c in g.ifs {
                self.expr(c)?;
            }
        }
        for x in elts {
            self.expr(x)?;
        }
        self.stack.pop();
        Ok(())
    }

    fn expr(&mut self, e: &Expr) -> CompileResult<()> {
        match e.kind {
            ExprKind::BoolOp { values, .. } => {
                for v in values {
                    self.expr(v)?;
                }
            }
            ExprKind::NamedExpr { target, value } => {
                self.expr(value)?;
                if let ExprKind::Name { id } = target.kind {
                    self.walrus_target(id, target.span)?;
                }
            }
            ExprKind::BinOp { left, right, .. } => {
                self.expr(left)?;
                self.expr(right)?;
            }
            ExprKind::UnaryOp { operand, .. } => self.expr(operand)?,
            ExprKind::Lambda { args, body } => {
                self.args_defaults(args)?;
                self.push(ScopeKind::Lambda, "<lambda>", e as *const Expr as usize, e.span);
                self.params(args);
                self.expr(body)?;
                self.stack.pop();
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test)?;
                self.expr(body)?;
                self.expr(orelse)?;
            }
            ExprKind::Dict { keys, values } => {
                for (k, v) in keys.iter().zip(values.iter()) {
                    if let Some(k) = k {
                        self.expr(k)?;
                    }
                    self.expr(v)?;
                }
            }
            ExprKind::Set { elts } | ExprKind::List { elts } | ExprKind::Tuple { elts, .. } => {
                for x in elts {
                    self.expr(x)?;
                }
            }
            ExprKind::JoinedStr { values } => {
                for x in values {
                    self.expr(x)?;
                }
            }
            ExprKind::ListComp { elt, generators } => self.comprehension(e, "<listcomp>", generators, &[elt])?,
            ExprKind::SetComp { elt, generators } => self.comprehension(e, "<setcomp>", generators, &[elt])?,
            ExprKind::GeneratorExp { elt, generators } => self.comprehension(e, "<genexpr>", generators, &[elt])?,
            ExprKind::DictComp { key, value, generators } => {
                self.comprehension(e, "<dictcomp>", generators, &[key, value])?
            }
            ExprKind::Await { value } => {
                match self.cur_kind() {
                    ScopeKind::Function if self.cur().is_coroutine => {}
                    ScopeKind::Comprehension => self.cur().is_coroutine = true,
                    ScopeKind::Module => {} // codegen reports "'await' outside function"
                    _ => {}
                }
                self.expr(value)?;
            }
            ExprKind::Yield { value } => {
                self.yield_here(e.span)?;
                if let Some(v) = value {
                    self.expr(v)?;
                }
            }
            ExprKind::YieldFrom { value } => {
                self.yield_here(e.span)?;
                self.expr(value)?;
            }
            ExprKind::Compare { left, comparators, .. } => {
                self.expr(left)?;
                for c in comparators {
                    self.expr(c)?;
                }
            }
            ExprKind::Call { func, args, keywords } => {
                self.expr(func)?;
                for a in args {
                    self.expr(a)?;
                }
                for k in keywords {
                    self.expr(&k.value)?;
                }
            }
            ExprKind::FormattedValue { value, format_spec, .. } => {
                self.expr(value)?;
                if let Some(s) = format_spec {
                    self.expr(s)?;
                }
            }
            ExprKind::Constant(_) => {}
            ExprKind::Attribute { value, .. } => self.expr(value)?,
            ExprKind::Subscript { value, slice } => {
                self.expr(value)?;
                self.expr(slice)?;
            }
            ExprKind::Starred { value } => self.expr(value)?,
            ExprKind::Name { id } => self.use_name(id),
            ExprKind::Slice { lower, upper, step } => {
                for x in [lower, upper, step].into_iter().flatten() {
                    self.expr(x)?;
                }
            }
        }
        Ok(())
    }

    fn yield_here(&mut self, span: Span) -> CompileResult<()> {
        match self.cur_kind() {
            ScopeKind::Module | ScopeKind::Class => Err(self.err("'yield' outside function".into(), span)),
            ScopeKind::Comprehension => {
                let what = match self.cur().name.as_str() {
                    "<listcomp>" => "list comprehension",
                    "<setcomp>" => "set comprehension",
                    "<dictcomp>" => "dict comprehension",
                    _ => "generator expression",
                };
                Err(self.err(format!("'yield' inside {what}"), span))
            }
            _ => {
                self.cur().is_generator = true;
                Ok(())
            }
        }
    }

    /// PEP 572: a walrus inside a comprehension binds in the enclosing function (or module).
    fn walrus_target(&mut self, id: &str, span: Span) -> CompileResult<()> {
        if self.cur_kind() != ScopeKind::Comprehension {
            return self.def(id, span);
        }
        let mut i = self.stack.len() - 1;
        while self.scopes[self.stack[i]].kind == ScopeKind::Comprehension {
            let sc = &self.scopes[self.stack[i]];
            if sc.flags.get(id).is_some_and(|f| f & DEF_LOCAL != 0) && sc.params.iter().all(|p| p != id) {
                return Err(self.err(
                    format!("assignment expression cannot rebind comprehension iteration variable '{id}'"),
                    span,
                ));
            }
            i -= 1;
        }
        let target_scope = self.stack[i];
        if self.scopes[target_scope].kind == ScopeKind::Class {
            return Err(self.err("assignment expression within a comprehension cannot be used in a class body".into(), span));
        }
        let module = self.scopes[target_scope].kind == ScopeKind::Module;
        self.scopes[target_scope].add(id, DEF_LOCAL);
        for j in (i + 1)..self.stack.len() {
            let sc = self.stack[j];
            self.scopes[sc].add(id, if module { DEF_GLOBAL } else { DEF_NONLOCAL | DEF_COMP_WALRUS });
        }
        Ok(())
    }
}

/// Resolve bindings of scope `idx`; `enclosing` lists names bound in enclosing function
/// scopes (visible as free variables). Returns the free names this scope needs from outside.
fn analyze(st: &mut SymbolTable, idx: usize, enclosing: &[String], src: &Source) -> CompileResult<Vec<String>> {
    let kind = st.scopes[idx].kind;
    let order = st.scopes[idx].order.clone();
    let mut bindings: HashMap<String, Binding> = HashMap::new();
    for name in &order {
        let f = st.scopes[idx].flags[name];
        let b = if f & DEF_GLOBAL != 0 {
            Binding::GlobalExplicit
        } else if f & DEF_NONLOCAL != 0 {
            if !enclosing.contains(name) {
                let span = st.scopes[idx].nonlocal_spans.get(name).copied().unwrap_or(st.scopes[idx].lineno_span);
                let line = src.line_of(span.start);
                let mut e = SyntaxError::new(
                    format!("no binding for nonlocal '{name}' found"),
                    line,
                    src.col_of(span.start) + 1,
                    src.col_of(span.end) + 1,
                );
                e.end_line = src.line_of(span.end);
                return Err(e);
            }
            Binding::Free
        } else if f & (DEF_LOCAL | DEF_PARAM) != 0 {
            if kind.is_function_like() {
                Binding::Local
            } else {
                Binding::Name
            }
        } else if name == "__class__" && kind.is_function_like() && enclosing.iter().any(|n| n == "__class__") {
            Binding::Free
        } else if enclosing.contains(name) {
            Binding::Free
        } else if kind.is_function_like() {
            Binding::GlobalImplicit
        } else {
            Binding::Name
        };
        bindings.insert(name.clone(), b);
    }
    // Names visible to children as free variables.
    let mut child_env: Vec<String> = enclosing.to_vec();
    if kind.is_function_like() {
        for (n, b) in &bindings {
            if matches!(b, Binding::Local | Binding::Free) && !child_env.contains(n) {
                child_env.push(n.clone());
            }
        }
        // A local shadows globals declared outside.
        child_env.retain(|n| !matches!(bindings.get(n), Some(Binding::GlobalExplicit)));
    } else if kind == ScopeKind::Class {
        child_env.push("__class__".into());
        child_env.retain(|n| !matches!(bindings.get(n), Some(Binding::GlobalExplicit)) || n == "__class__");
    } else {
        child_env.clear();
    }
    let children = st.scopes[idx].children.clone();
    let mut needed_from_children: Vec<String> = Vec::new();
    for c in children {
        for n in analyze(st, c, &child_env, src)? {
            if !needed_from_children.contains(&n) {
                needed_from_children.push(n);
            }
        }
    }
    let mut free_out: Vec<String> = Vec::new();
    let mut cellvars: Vec<String> = Vec::new();
    let mut freevars: Vec<String> = Vec::new();
    for n in &needed_from_children {
        if kind == ScopeKind::Class && n == "__class__" {
            st.scopes[idx].needs_class_cell = true;
            if !cellvars.contains(n) {
                cellvars.push(n.clone());
            }
            continue;
        }
        match bindings.get(n) {
            Some(Binding::Local) => {
                bindings.insert(n.clone(), Binding::Cell);
                cellvars.push(n.clone());
            }
            Some(Binding::Cell) => {}
            Some(Binding::Free) => {}
            _ if kind.is_function_like() => {
                // Passes through this scope to an inner one.
                if !matches!(bindings.get(n), Some(Binding::GlobalExplicit)) {
                    bindings.insert(n.clone(), Binding::Free);
                    if !st.scopes[idx].order.contains(n) {
                        st.scopes[idx].order.push(n.clone());
                    }
                }
            }
            _ if kind == ScopeKind::Class => {
                // The class body keeps its own binding; the name still flows through.
                if !freevars.contains(n) && !matches!(bindings.get(n), Some(Binding::GlobalExplicit)) {
                    freevars.push(n.clone());
                }
            }
            _ => {}
        }
    }
    for n in &st.scopes[idx].order {
        if bindings.get(n) == Some(&Binding::Free) && !freevars.contains(n) {
            freevars.push(n.clone());
        }
    }
    for n in &freevars {
        if enclosing.contains(n) || n == "__class__" {
            free_out.push(n.clone());
        }
    }
    cellvars.sort();
    freevars.sort();
    let scope = &mut st.scopes[idx];
    // Fast locals: parameters first, then locals in first-mention order.
    let mut varnames = scope.params.clone();
    if kind.is_function_like() {
        for n in &scope.order {
            if matches!(bindings.get(n), Some(Binding::Local)) && !varnames.contains(n) {
                varnames.push(n.clone());
            }
        }
    }
    scope.varnames = varnames;
    scope.cellvars = cellvars;
    scope.freevars = freevars;
    scope.bindings = bindings;
    Ok(free_out)
}
