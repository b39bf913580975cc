//! The abstract syntax tree, allocated in a bumpalo arena.
//!
//! Shapes follow CPython's `ast` module so that the codegen can mirror CPython's compiler.
//! The arena never runs `Drop`, so nodes hold only `&'a` references, slices and `Copy`
//! data (`ast_needs_no_drop` in the tests pins this). Every node carries a [`Span`] of
//! byte offsets; lines and columns are derived from the [`crate::source::Source`].

use crate::token::Span;

#[derive(Clone, Copy, Debug)]
pub struct Expr<'a> {
    pub kind: ExprKind<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

macro_rules! binops {
    ($($name:ident = $sym:literal, $inplace:literal;)*) => {
        /// Binary operators, numbered as CPython 3.11's `BINARY_OP` oparg
        /// (the in-place variant is `op as u32 + 13`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum BinOp { $($name,)* }
        impl BinOp {
            pub const ALL: &'static [BinOp] = &[$(BinOp::$name,)*];
            pub fn symbol(self) -> &'static str { match self { $(BinOp::$name => $sym,)* } }
            pub fn inplace_symbol(self) -> &'static str { match self { $(BinOp::$name => $inplace,)* } }
        }
    };
}

binops! {
    Add = "+", "+="; And = "&", "&="; FloorDiv = "//", "//="; LShift = "<<", "<<=";
    MatMult = "@", "@="; Mult = "*", "*="; Mod = "%", "%="; Or = "|", "|=";
    Pow = "**", "**="; RShift = ">>", ">>="; Sub = "-", "-="; Div = "/", "/=";
    BitXor = "^", "^=";
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Invert,
    Not,
    UAdd,
    USub,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::NotEq => "!=",
            CmpOp::Lt => "<",
            CmpOp::LtE => "<=",
            CmpOp::Gt => ">",
            CmpOp::GtE => ">=",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Constant<'a> {
    None,
    True,
    False,
    Ellipsis,
    /// Integer literal digits (no prefix, no underscores) in `radix`.
    Int { digits: &'a str, radix: u32 },
    Float(f64),
    Imag(f64),
    Str(&'a str),
    Bytes(&'a [u8]),
}

#[derive(Clone, Copy, Debug)]
pub struct Comprehension<'a> {
    pub target: &'a Expr<'a>,
    pub iter: &'a Expr<'a>,
    pub ifs: &'a [Expr<'a>],
    pub is_async: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct Keyword<'a> {
    /// `None` for `**mapping`.
    pub arg: Option<&'a str>,
    pub value: Expr<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub enum ExprKind<'a> {
    BoolOp { op: BoolOp, values: &'a [Expr<'a>] },
    NamedExpr { target: &'a Expr<'a>, value: &'a Expr<'a> },
    BinOp { left: &'a Expr<'a>, op: BinOp, right: &'a Expr<'a> },
    UnaryOp { op: UnaryOp, operand: &'a Expr<'a> },
    Lambda { args: &'a Arguments<'a>, body: &'a Expr<'a> },
    IfExp { test: &'a Expr<'a>, body: &'a Expr<'a>, orelse: &'a Expr<'a> },
    /// `keys[i] == None` means `**values[i]`.
    Dict { keys: &'a [Option<Expr<'a>>], values: &'a [Expr<'a>] },
    Set { elts: &'a [Expr<'a>] },
    ListComp { elt: &'a Expr<'a>, generators: &'a [Comprehension<'a>] },
    SetComp { elt: &'a Expr<'a>, generators: &'a [Comprehension<'a>] },
    DictComp { key: &'a Expr<'a>, value: &'a Expr<'a>, generators: &'a [Comprehension<'a>] },
    GeneratorExp { elt: &'a Expr<'a>, generators: &'a [Comprehension<'a>] },
    Await { value: &'a Expr<'a> },
    Yield { value: Option<&'a Expr<'a>> },
    YieldFrom { value: &'a Expr<'a> },
    Compare { left: &'a Expr<'a>, ops: &'a [CmpOp], comparators: &'a [Expr<'a>] },
    Call { func: &'a Expr<'a>, args: &'a [Expr<'a>], keywords: &'a [Keyword<'a>] },
    FormattedValue { value: &'a Expr<'a>, conversion: Option<char>, format_spec: Option<&'a Expr<'a>> },
    JoinedStr { values: &'a [Expr<'a>] },
    Constant(Constant<'a>),
    Attribute { value: &'a Expr<'a>, attr: &'a str },
    Subscript { value: &'a Expr<'a>, slice: &'a Expr<'a> },
    Starred { value: &'a Expr<'a> },
    Name { id: &'a str },
    List { elts: &'a [Expr<'a>] },
    Tuple { elts: &'a [Expr<'a>], parenthesized: bool },
    Slice { lower: Option<&'a Expr<'a>>, upper: Option<&'a Expr<'a>>, step: Option<&'a Expr<'a>> },
}

#[derive(Clone, Copy, Debug)]
pub struct Arg<'a> {
    pub name: &'a str,
    pub annotation: Option<&'a Expr<'a>>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Arguments<'a> {
    pub posonlyargs: &'a [Arg<'a>],
    pub args: &'a [Arg<'a>],
    pub vararg: Option<&'a Arg<'a>>,
    pub kwonlyargs: &'a [Arg<'a>],
    /// One entry per `kwonlyargs` item.
    pub kw_defaults: &'a [Option<Expr<'a>>],
    pub kwarg: Option<&'a Arg<'a>>,
    /// Defaults of the last `defaults.len()` positional parameters.
    pub defaults: &'a [Expr<'a>],
}

impl<'a> Arguments<'a> {
    /// All parameter names in slot order: positional-only, positional, keyword-only,
    /// `*args`, `**kwargs` (CPython's co_varnames order).
    pub fn all_names(&self) -> impl Iterator<Item = &'a Arg<'a>> + '_ {
        self.posonlyargs
            .iter()
            .chain(self.args.iter())
            .chain(self.kwonlyargs.iter())
            .chain(self.vararg)
            .chain(self.kwarg)
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Alias<'a> {
    /// Dotted name (`os.path`) or `*`.
    pub name: &'a str,
    pub asname: Option<&'a str>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct WithItem<'a> {
    pub context_expr: Expr<'a>,
    pub optional_vars: Option<&'a Expr<'a>>,
}

#[derive(Clone, Copy, Debug)]
pub struct ExceptHandler<'a> {
    pub typ: Option<&'a Expr<'a>>,
    pub name: Option<&'a str>,
    pub body: &'a [Stmt<'a>],
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct MatchCase<'a> {
    pub pattern: Pattern<'a>,
    pub guard: Option<&'a Expr<'a>>,
    pub body: &'a [Stmt<'a>],
}

#[derive(Clone, Copy, Debug)]
pub struct Pattern<'a> {
    pub kind: PatternKind<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub enum PatternKind<'a> {
    MatchValue(&'a Expr<'a>),
    /// `None`, `True`, `False`: compared with `is`.
    MatchSingleton(Constant<'a>),
    MatchSequence(&'a [Pattern<'a>]),
    MatchMapping { keys: &'a [Expr<'a>], patterns: &'a [Pattern<'a>], rest: Option<&'a str> },
    MatchClass {
        cls: &'a Expr<'a>,
        patterns: &'a [Pattern<'a>],
        kwd_attrs: &'a [&'a str],
        kwd_patterns: &'a [Pattern<'a>],
    },
    MatchStar(Option<&'a str>),
    /// `name`, `_` (both None), or `pattern as name`.
    MatchAs { pattern: Option<&'a Pattern<'a>>, name: Option<&'a str> },
    MatchOr(&'a [Pattern<'a>]),
}

#[derive(Clone, Copy, Debug)]
pub struct Stmt<'a> {
    pub kind: StmtKind<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct FunctionDef<'a> {
    pub name: &'a str,
    pub args: &'a Arguments<'a>,
    pub body: &'a [Stmt<'a>],
    pub decorators: &'a [Expr<'a>],
    pub returns: Option<&'a Expr<'a>>,
    pub is_async: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct ClassDef<'a> {
    pub name: &'a str,
    pub bases: &'a [Expr<'a>],
    pub keywords: &'a [Keyword<'a>],
    pub body: &'a [Stmt<'a>],
    pub decorators: &'a [Expr<'a>],
}

#[derive(Clone, Copy, Debug)]
pub enum StmtKind<'a> {
    FunctionDef(&'a FunctionDef<'a>),
    ClassDef(&'a ClassDef<'a>),
    Return(Option<&'a Expr<'a>>),
    Delete(&'a [Expr<'a>]),
    Assign { targets: &'a [Expr<'a>], value: &'a Expr<'a> },
    AugAssign { target: &'a Expr<'a>, op: BinOp, value: &'a Expr<'a> },
    AnnAssign { target: &'a Expr<'a>, annotation: &'a Expr<'a>, value: Option<&'a Expr<'a>>, simple: bool },
    For { target: &'a Expr<'a>, iter: &'a Expr<'a>, body: &'a [Stmt<'a>], orelse: &'a [Stmt<'a>], is_async: bool },
    While { test: &'a Expr<'a>, body: &'a [Stmt<'a>], orelse: &'a [Stmt<'a>] },
    If { test: &'a Expr<'a>, body: &'a [Stmt<'a>], orelse: &'a [Stmt<'a>] },
    With { items: &'a [WithItem<'a>], body: &'a [Stmt<'a>], is_async: bool },
    Match { subject: &'a Expr<'a>, cases: &'a [MatchCase<'a>] },
    Raise { exc: Option<&'a Expr<'a>>, cause: Option<&'a Expr<'a>> },
    Try {
        body: &'a [Stmt<'a>],
        handlers: &'a [ExceptHandler<'a>],
        orelse: &'a [Stmt<'a>],
        finalbody: &'a [Stmt<'a>],
        is_star: bool,
    },
    Assert { test: &'a Expr<'a>, msg: Option<&'a Expr<'a>> },
    Import(&'a [Alias<'a>]),
    ImportFrom { module: Option<&'a str>, names: &'a [Alias<'a>], level: u32 },
    Global(&'a [&'a str]),
    Nonlocal(&'a [&'a str]),
    Expr(&'a Expr<'a>),
    Pass,
    Break,
    Continue,
}

/// A parsed module: its statements.
#[derive(Clone, Copy, Debug)]
pub struct Module<'a> {
    pub body: &'a [Stmt<'a>],
}

#[cfg(test)]
mod tests {
    #[test]
    fn ast_needs_no_drop() {
        assert!(!std::mem::needs_drop::<super::Expr>());
        assert!(!std::mem::needs_drop::<super::Stmt>());
        assert!(!std::mem::needs_drop::<super::Pattern>());
    }
}
