//! Lexer unit tests: token streams and CPython's error messages and positions.

use super::tokenize;
use crate::source::Source;
use crate::token::{Op, TokenKind as T};

fn kinds(s: &str) -> Vec<T> {
    tokenize(&Source::new("t.py", s)).unwrap().into_iter().map(|t| t.kind).collect()
}
fn err(s: &str) -> (String, u32, u32) {
    let e = tokenize(&Source::new("t.py", s)).unwrap_err();
    (e.msg, e.line, e.col)
}

#[test]
fn indentation() {
    let k = kinds("if x:\n    y\nz\n");
    assert!(k.contains(&T::Indent));
    assert!(k.contains(&T::Dedent));
    assert_eq!(k.last(), Some(&T::EndMarker));
}

#[test]
fn numbers_and_strings() {
    assert_eq!(kinds("0x_ff")[0], T::Int { digits: "ff".into(), radix: 16 });
    assert_eq!(kinds("1_000")[0], T::Int { digits: "1000".into(), radix: 10 });
    assert_eq!(kinds("1.5e3")[0], T::Float(1500.0));
    assert_eq!(kinds("2j")[0], T::Imag(2.0));
    assert_eq!(kinds("'a\\tb'")[0], T::Str("a\tb".into()));
    assert_eq!(kinds("r'a\\tb'")[0], T::Str("a\\tb".into()));
    assert_eq!(kinds("b'\\x00'")[0], T::Bytes(vec![0]));
    assert_eq!(kinds("'\\N{BULLET}'")[0], T::Str("\u{2022}".into()));
    assert_eq!(kinds("a **= b")[1], T::Op(Op::StarStarEq));
}

#[test]
fn errors_like_cpython() {
    assert_eq!(err("x = \"abc\n"), ("unterminated string literal (detected at line 1)".into(), 1, 5));
    assert_eq!(err("x = 1__0\n"), ("invalid decimal literal".into(), 1, 6));
    assert_eq!(err("x = 0b102\n"), ("invalid digit '2' in binary literal".into(), 1, 9));
    assert_eq!(err("x = (1,\n\n"), ("'(' was never closed".into(), 1, 5));
    assert_eq!(err("x = 1)\n"), ("unmatched ')'".into(), 1, 6));
    assert_eq!(err("x = (1]\n"), ("closing parenthesis ']' does not match opening parenthesis '('".into(), 1, 7));
    assert_eq!(err("if x:\n  a\n b\n").0, "unindent does not match any outer indentation level");
    assert_eq!(err("x = €\n"), ("invalid character '€' (U+20AC)".into(), 1, 5));
    assert_eq!(err("f'{}'\n").0, "f-string: empty expression not allowed");
    assert_eq!(err("f'}'\n").0, "f-string: single '}' is not allowed");
    assert_eq!(err("x = 08\n").0, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
}

#[test]
fn fstring_parts() {
    let T::FString(parts) = &kinds("f'a{x!r:>{w}}b{y=}'")[0] else { panic!() };
    assert_eq!(parts.len(), 4);
}

#[test]
fn deep_brackets_are_an_error() {
    assert!(tokenize(&Source::new("t.py", &"(".repeat(10_000))).is_err());
}
