//! Decoding of string and bytes literal bodies: every escape sequence of Python 3.11.

use super::Lexer;
use crate::error::SyntaxError;

pub(crate) fn decode_str(lx: &Lexer, body: &str, body_off: usize, raw: bool) -> Result<String, SyntaxError> {
    if raw {
        return Ok(normalize_newlines(body));
    }
    let mut out = String::with_capacity(body.len());
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (off, c) = chars[k];
        if c == '\r' {
            out.push('\n');
            if chars.get(k + 1).map(|x| x.1) == Some('\n') {
                k += 1;
            }
            k += 1;
            continue;
        }
        if c != '\\' {
            out.push(c);
            k += 1;
            continue;
        }
        let Some(&(_, e)) = chars.get(k + 1) else {
            out.push('\\');
            break;
        };
        k += 2;
        match e {
            '\n' => {}
            '\r' => {
                if chars.get(k).map(|x| x.1) == Some('\n') {
                    k += 1;
                }
            }
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap();
                for _ in 0..2 {
                    match chars.get(k).and_then(|x| x.1.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            k += 1;
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars[k..].iter().take(n).map(|x| x.1).collect();
                if hex.len() != n || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                    let got = hex.chars().take_while(|h| h.is_ascii_hexdigit()).count();
                    let what = if e == 'x' { "truncated \\xXX escape" } else if e == 'u' { "truncated \\uXXXX escape" } else { "truncated \\UXXXXXXXX escape" };
                    let p = off;
                    return Err(unicode_err(lx, body_off, &format!("position {}-{}: {what}", char_pos(body, p), char_pos(body, p) + 1 + got)));
                }
                k += n;
                let v = u32::from_str_radix(&hex, 16).unwrap_or(0);
                // Lone surrogates cannot live in a Rust string: they become U+FFFD.
                let v = if (0xd800..0xe000).contains(&v) { 0xfffd } else { v };
                match char::from_u32(v) {
                    Some(ch) => out.push(ch),
                    None => {
                        return Err(unicode_err(lx, body_off, &format!("position {}-{}: illegal Unicode character", char_pos(body, off), char_pos(body, off) + 1 + n)))
                    }
                }
            }
            'N' => {
                if chars.get(k).map(|x| x.1) != Some('{') {
                    return Err(unicode_err(lx, body_off, &format!("position {}-{}: malformed \\N character escape", char_pos(body, off), char_pos(body, off) + 1)));
                }
                let close = chars[k..].iter().position(|x| x.1 == '}');
                let Some(close) = close else {
                    return Err(unicode_err(lx, body_off, &format!("position {}-{}: malformed \\N character escape", char_pos(body, off), char_pos(body, off) + 2)));
                };
                let name: String = chars[k + 1..k + close].iter().map(|x| x.1).collect();
                match super::unicode_names::lookup(&name) {
                    Some(ch) => out.push(ch),
                    None => {
                        let p = char_pos(body, off);
                        return Err(unicode_err(lx, body_off, &format!("position {}-{}: unknown Unicode character name", p, p + 3 + name.chars().count())));
                    }
                }
                k += close + 1;
            }
            other => {
                // Unknown escapes are kept as is (a DeprecationWarning in CPython).
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

pub(crate) fn decode_bytes(lx: &Lexer, body: &str, body_off: usize, raw: bool) -> Result<Vec<u8>, SyntaxError> {
    if raw {
        return Ok(normalize_newlines(body).into_bytes());
    }
    let b = body.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        if i + 1 >= b.len() {
            out.push(b'\\');
            break;
        }
        let e = b[i + 1];
        i += 2;
        match e {
            b'\n' => {}
            b'\\' => out.push(b'\\'),
            b'\'' => out.push(b'\''),
            b'"' => out.push(b'"'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                for _ in 0..2 {
                    if i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                        v = v * 8 + (b[i] - b'0') as u32;
                        i += 1;
                    } else {
                        break;
                    }
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let hex = body.get(i..i + 2).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) if hex.len() == 2 => {
                        out.push(v);
                        i += 2;
                    }
                    _ => {
                        let p = i - 2;
                        let _ = body_off;
                        return Err(lx.err(format!("(value error) invalid \\x escape at position {p}"), body_off, body_off));
                    }
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

fn normalize_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
}

fn char_pos(body: &str, byte: usize) -> usize {
    body[..byte].chars().count()
}

fn unicode_err(lx: &Lexer, body_off: usize, detail: &str) -> SyntaxError {
    // CPython points at the start of the literal (the offset of the whole string token).
    let start = body_off.saturating_sub(1);
    lx.err(format!("(unicode error) 'unicodeescape' codec can't decode bytes in {detail}"), start, start)
}
