//! pyvm's compiler: Python 3.11 source text to bytecode.
//!
//! ```text
//! source ──lexer──▶ tokens ──parser──▶ AST (bumpalo arena) ──symtable──▶ scopes
//!        ──codegen──▶ CodeObject (instructions, consts, names, positions, exception table)
//! ```
//!
//! Module map:
//! - [`source`]: the text with a line index (byte offset → line, column).
//! - [`token`], [`lexer`]: tokens, INDENT/DEDENT, decoded literals, f-string parts.
//! - [`ast`], [`parser`]: the arena AST and the recursive-descent parser.
//! - [`symtable`]: local / cell / free / global resolution per scope.
//! - [`codegen`]: statements and expressions to instructions; assembly computes the
//!   stack depth and the exception table.
//! - [`bytecode`]: the opcode table (declared once), `Instr`, `CodeObject`.
//! - [`dis`]: the `dis`-style disassembler; [`repr`]: Python reprs of constants.
//! - [`error`]: `SyntaxError` with CPython's positions.
//!
//! The crate has no `unsafe` and no dependency on the VM.
#![forbid(unsafe_code)]

pub mod ast;
pub mod bytecode;
pub mod codegen;
pub mod dis;
pub mod error;
pub mod lexer;
pub mod parser;
pub mod repr;
pub mod source;
pub mod symtable;
pub mod token;

use bytecode::CodeObject;
use error::SyntaxError;
use std::rc::Rc;

/// Compile a module's source to its code object.
pub fn compile(source_text: &str, filename: &str) -> Result<Rc<CodeObject>, SyntaxError> {
    compile_mode(source_text, filename, false)
}

/// Compile; in interactive mode expression statements print their value (REPL).
pub fn compile_mode(source_text: &str, filename: &str, interactive: bool) -> Result<Rc<CodeObject>, SyntaxError> {
    let src = source::Source::new(filename, source_text);
    let arena = bumpalo::Bump::new();
    let module = parser::parse_module(&arena, &src)?;
    codegen::compile_module(&module, &src, interactive)
}

/// Compile source for `eval()`: one expression (leading blanks allowed, as CPython
/// strips them), returned as the code's value.
pub fn compile_eval(source_text: &str, filename: &str) -> Result<Rc<CodeObject>, SyntaxError> {
    let text = source_text.trim_start_matches([' ', '\t']);
    let src = source::Source::new(filename, text);
    let arena = bumpalo::Bump::new();
    let module = parser::parse_module(&arena, &src)?;
    codegen::compile_eval(&module, &src)
}

/// For traceback markers: parse `segment` (the source of the failing expression) and,
/// for a binary operation or a subscript, return the character range to mark with `^`
/// (the operator, or the `[...]` part); the rest is marked with `~`. CPython 3.11 does the
/// same in `traceback.py` (`_extract_caret_anchors_from_line_segment`).
pub fn caret_anchors(segment: &str) -> Option<(usize, usize)> {
    let wrapped = format!("({segment})");
    let src = source::Source::new("<segment>", &wrapped);
    let arena = bumpalo::Bump::new();
    let module = parser::parse_module(&arena, &src).ok()?;
    let [stmt] = module.body else { return None };
    let ast::StmtKind::Expr(e) = stmt.kind else { return None };
    // Offsets in `wrapped` are shifted by the opening parenthesis.
    let to_char = |byte: u32| -> usize { wrapped[1..(byte as usize).max(1)].chars().count() };
    match e.kind {
        ast::ExprKind::BinOp { left, right, .. } => {
            let op_start = to_char(left.span.end);
            let op_end = to_char(right.span.start);
            let between: String = segment.chars().skip(op_start).take(op_end.saturating_sub(op_start)).collect();
            // Skip whitespace and closing parentheses of the left operand.
            let offset = between.chars().take_while(|c| c.is_whitespace() || *c == ')').count();
            let a = op_start + offset;
            let rest: Vec<char> = between.chars().skip(offset).collect();
            let b = if rest.len() > 1 && !rest[1].is_whitespace() && !rest[1].is_alphanumeric() && rest[1] != '(' { a + 2 } else { a + 1 };
            Some((a, b))
        }
        ast::ExprKind::Subscript { value, .. } => {
            let a = to_char(value.span.end);
            let b = segment.chars().count();
            Some((a, b))
        }
        _ => None,
    }
}
