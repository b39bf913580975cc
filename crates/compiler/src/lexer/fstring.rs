//! Splitting an f-string body into literal text and replacement fields (`{expr!r:spec}`,
//! `{expr=}`), as CPython 3.11's `fstring_find_expr` does. The expression text is kept as
//! source and parsed by the parser.

use super::string::decode_str;
use super::Lexer;
use crate::error::SyntaxError;
use crate::token::{FStringField, FStringPart};

pub(crate) fn split(lx: &Lexer, body: &str, body_off: usize, raw: bool) -> Result<Vec<FStringPart>, SyntaxError> {
    split_nested(lx, body, body_off, raw, 0)
}

fn split_nested(lx: &Lexer, body: &str, body_off: usize, raw: bool, depth: u32) -> Result<Vec<FStringPart>, SyntaxError> {
    let b = body.as_bytes();
    let mut parts = Vec::new();
    let mut lit_start = 0;
    let mut lit = String::new();
    let mut i = 0;
    let flush_lit = |lit: &mut String, parts: &mut Vec<FStringPart>| {
        if !lit.is_empty() {
            parts.push(FStringPart::Literal(std::mem::take(lit)));
        }
    };
    while i < b.len() {
        match b[i] {
            b'{' if b.get(i + 1) == Some(&b'{') => {
                lit.push_str(&decode_str(lx, &body[lit_start..i], body_off + lit_start, raw)?);
                lit.push('{');
                i += 2;
                lit_start = i;
            }
            b'}' if b.get(i + 1) == Some(&b'}') => {
                lit.push_str(&decode_str(lx, &body[lit_start..i], body_off + lit_start, raw)?);
                lit.push('}');
                i += 2;
                lit_start = i;
            }
            b'}' => {
                return Err(lx.err("f-string: single '}' is not allowed", body_off + i + 1, body_off + i + 1));
            }
            b'{' => {
                lit.push_str(&decode_str(lx, &body[lit_start..i], body_off + lit_start, raw)?);
                if depth >= 2 {
                    return Err(lx.err("f-string: expressions nested too deeply", body_off + i, body_off + i));
                }
                // (The parser adds a field's `=` debug text to the literal before it.)
                let (field, next) = field(lx, body, body_off, i + 1, raw, depth)?;
                flush_lit(&mut lit, &mut parts);
                parts.push(FStringPart::Field(field));
                i = next;
                lit_start = i;
            }
            b'\\' if !raw => {
                // Skip the escaped character so that `\{` is not taken as a field.
                i += 2;
            }
            _ => i += 1,
        }
    }
    lit.push_str(&decode_str(lx, &body[lit_start..b.len().min(body.len())], body_off + lit_start, raw)?);
    flush_lit(&mut lit, &mut parts);
    Ok(parts)
}

/// Parse one replacement field starting after `{` at byte `start`; returns it and the
/// position after its closing `}`.
fn field(lx: &Lexer, body: &str, body_off: usize, start: usize, raw: bool, depth: u32) -> Result<(FStringField, usize), SyntaxError> {
    let b = body.as_bytes();
    let mut i = start;
    let mut nest = 0i32;
    let mut quote: Option<u8> = None;
    let expecting = |i: usize| lx.err("f-string: expecting '}'", body_off + i, body_off + i);
    // Find the end of the expression.
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            b'\\' => {
                return Err(lx.err("f-string expression part cannot include a backslash", body_off + i + 1, body_off + i + 1));
            }
            b'\'' | b'"' => quote = Some(c),
            b'#' => {
                return Err(lx.err("f-string expression part cannot include '#'", body_off + i + 1, body_off + i + 1));
            }
            b'(' | b'[' | b'{' => nest += 1,
            b')' | b']' => nest -= 1,
            b'}' if nest > 0 => nest -= 1,
            b'}' | b':' if nest == 0 => break,
            b'!' if nest == 0 && b.get(i + 1) != Some(&b'=') => break,
            b'=' if nest == 0 => {
                let prev = if i > start { b[i - 1] } else { b' ' };
                let next = b.get(i + 1).copied().unwrap_or(b' ');
                if next != b'=' && !matches!(prev, b'=' | b'!' | b'<' | b'>') {
                    break;
                }
                if next == b'=' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if quote.is_some() {
        return Err(lx.err("f-string: unterminated string", body_off + start, body_off + start));
    }
    if i >= b.len() {
        return Err(expecting(i));
    }
    let expr_src = &body[start..i];
    if expr_src.trim().is_empty() {
        return Err(lx.err("f-string: empty expression not allowed", body_off + i + 1, body_off + i + 1));
    }
    let mut debug_text = None;
    if b[i] == b'=' {
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        debug_text = Some(body[start..i].to_string());
    }
    let mut conversion = None;
    if i < b.len() && b[i] == b'!' {
        let c = b.get(i + 1).copied();
        match c {
            Some(b's') | Some(b'r') | Some(b'a') => conversion = Some(c.unwrap() as char),
            None => return Err(expecting(i + 1)),
            _ => {
                return Err(lx.err(
                    "f-string: invalid conversion character: expected 's', 'r', or 'a'",
                    body_off + i + 2,
                    body_off + i + 2,
                ))
            }
        }
        i += 2;
        if i >= b.len() || (b[i] != b':' && b[i] != b'}') {
            return Err(expecting(i));
        }
    }
    let mut format_spec = None;
    if i < b.len() && b[i] == b':' {
        let spec_start = i + 1;
        let mut j = spec_start;
        let mut nest = 0;
        while j < b.len() {
            match b[j] {
                b'{' => nest += 1,
                b'}' if nest == 0 => break,
                b'}' => nest -= 1,
                _ => {}
            }
            j += 1;
        }
        if j >= b.len() {
            return Err(expecting(j));
        }
        format_spec = Some(split_nested(lx, &body[spec_start..j], body_off + spec_start, raw, depth + 1)?);
        i = j;
    }
    if i >= b.len() || b[i] != b'}' {
        return Err(expecting(i));
    }
    if debug_text.is_some() && conversion.is_none() && format_spec.is_none() {
        conversion = Some('r');
    }
    Ok((
        FStringField { expr_src: expr_src.to_string(), expr_offset: (body_off + start) as u32, conversion, format_spec, debug_text },
        i + 1,
    ))
}
