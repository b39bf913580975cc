//! Tokens produced by the lexer and consumed by the parser.
//!
//! A token carries its kind and its source span. String literals arrive already decoded
//! (escapes processed); f-strings arrive split into literal text and embedded expression
//! sources, which the parser compiles recursively, as CPython 3.11's parser does.

/// A byte range of the source plus the 1-based line where it starts.
///
/// Columns are not stored: `Source::col` derives them from byte offsets when a
/// diagnostic or the line table needs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    /// Byte offset of the first byte of the token.
    pub start: u32,
    /// Byte offset one past the last byte of the token.
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// One piece of an f-string: literal text, or a replacement field `{expr!c:spec}`.
#[derive(Clone, Debug, PartialEq)]
pub enum FStringPart {
    /// Literal text with escapes and `{{`/`}}` already decoded.
    Literal(String),
    Field(FStringField),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FStringField {
    /// The expression's source text exactly as written between the braces (without the
    /// `=`, conversion and spec).
    pub expr_src: String,
    /// Byte offset of `expr_src` in the whole file, so that errors and positions inside
    /// the expression point at the right place.
    pub expr_offset: u32,
    /// `Some('r' | 's' | 'a')` for `!r`, `!s`, `!a`.
    pub conversion: Option<char>,
    /// The format spec after `:`, itself an f-string (it may contain fields).
    pub format_spec: Option<Vec<FStringPart>>,
    /// For `{expr=}`: the text to print before the value, i.e. the expression source
    /// including surrounding whitespace and the `=` (`"x = "` for `{x = }`).
    pub debug_text: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    /// An identifier, including soft keywords (`match`, `case`, `_`, `type`).
    Name(String),
    /// An integer literal: its digits with underscores removed and the radix.
    /// Decimal `0` prefixes are validated by the lexer.
    Int { digits: String, radix: u32 },
    Float(f64),
    /// Imaginary literal `1j`, `2.5J`: the imaginary part.
    Imag(f64),
    /// A str literal (`'..'`, `"""..."""`, `r'..'`, `u'..'`), decoded.
    Str(String),
    /// A bytes literal (`b'..'`, `rb'..'`), decoded.
    Bytes(Vec<u8>),
    /// An f-string literal (`f'..'`, `rf'..'`), split into parts.
    FString(Vec<FStringPart>),
    Keyword(Keyword),
    Op(Op),
    Newline,
    Indent,
    Dedent,
    EndMarker,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
    /// 1-based line of `span.start`.
    pub line: u32,
}

macro_rules! keywords {
    ($($name:ident = $text:literal,)*) => {
        /// Python's hard keywords.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Keyword { $($name,)* }
        impl Keyword {
            pub fn from_str(s: &str) -> Option<Keyword> {
                match s { $($text => Some(Keyword::$name),)* _ => None }
            }
            pub fn as_str(self) -> &'static str {
                match self { $(Keyword::$name => $text,)* }
            }
        }
    };
}

keywords! {
    False = "False", None = "None", True = "True", And = "and", As = "as", Assert = "assert",
    Async = "async", Await = "await", Break = "break", Class = "class", Continue = "continue",
    Def = "def", Del = "del", Elif = "elif", Else = "else", Except = "except",
    Finally = "finally", For = "for", From = "from", Global = "global", If = "if",
    Import = "import", In = "in", Is = "is", Lambda = "lambda", Nonlocal = "nonlocal",
    Not = "not", Or = "or", Pass = "pass", Raise = "raise", Return = "return", Try = "try",
    While = "while", With = "with", Yield = "yield",
}

macro_rules! operators {
    ($($name:ident = $text:literal,)*) => {
        /// Operators and delimiters.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Op { $($name,)* }
        impl Op {
            pub fn as_str(self) -> &'static str {
                match self { $(Op::$name => $text,)* }
            }
            /// Every operator text, longest first, for maximal-munch lexing.
            pub const ALL: &'static [(&'static str, Op)] = &[$(($text, Op::$name),)*];
        }
    };
}

// Listed longest first: the lexer takes the first entry that matches.
operators! {
    StarStarEq = "**=", SlashSlashEq = "//=", ShlEq = "<<=", ShrEq = ">>=", Ellipsis = "...",
    Arrow = "->", ColonEq = ":=", EqEq = "==", NotEq = "!=", LtEq = "<=", GtEq = ">=",
    StarStar = "**", SlashSlash = "//", Shl = "<<", Shr = ">>", PlusEq = "+=", MinusEq = "-=",
    StarEq = "*=", SlashEq = "/=", PercentEq = "%=", AmpEq = "&=", PipeEq = "|=",
    CaretEq = "^=", AtEq = "@=",
    LPar = "(", RPar = ")", LSqb = "[", RSqb = "]", LBrace = "{", RBrace = "}",
    Colon = ":", Comma = ",", Semi = ";", Plus = "+", Minus = "-", Star = "*", Slash = "/",
    Pipe = "|", Amp = "&", Lt = "<", Gt = ">", Eq = "=", Dot = ".", Percent = "%",
    Tilde = "~", Caret = "^", At = "@",
}
