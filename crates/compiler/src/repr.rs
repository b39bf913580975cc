//! Python `repr()` of the constant kinds the compiler knows (str, bytes, float), shared
//! by the disassembler and the VM so both print exactly what CPython prints.

/// `repr(s)` for a str: quotes chosen as CPython does, escapes for non-printables.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => {
                let v = c as u32;
                if v < 0x100 {
                    out.push_str(&format!("\\x{v:02x}"));
                } else if v < 0x10000 {
                    out.push_str(&format!("\\u{v:04x}"));
                } else {
                    out.push_str(&format!("\\U{v:08x}"));
                }
            }
        }
    }
    out.push(quote);
    out
}

/// An approximation of Python's `str.isprintable` for one character.
pub fn is_printable(c: char) -> bool {
    let v = c as u32;
    if v < 0x20 || v == 0x7f {
        return false;
    }
    if (0x80..0xa0).contains(&v) || v == 0xad {
        return false;
    }
    // Separators other than ASCII space, private use, surrogates, unassigned-ish ranges.
    if matches!(v, 0x2028 | 0x2029 | 0x00a0 | 0x1680 | 0x2000..=0x200f | 0x202f | 0x205f | 0x3000 | 0xfeff | 0x2060..=0x206f) {
        return false;
    }
    if (0xe000..=0xf8ff).contains(&v) || (0xd800..=0xdfff).contains(&v) || v >= 0xf0000 {
        return false;
    }
    !c.is_control()
}

/// `repr(b)` for bytes.
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { '"' } else { '\'' };
    let mut out = String::from("b");
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote);
    out
}

/// `repr(f)` for a float: the shortest string that round-trips, in CPython's layout
/// (`1e+16`, `1e-05`, `0.0001`, `1.0`, `inf`, `nan`).
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    // Rust's `{:e}` gives the shortest round-tripping digits.
    let sci = format!("{:e}", f.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = tie_to_even(f.abs(), digits, exp);
    let sign = if f < 0.0 { "-" } else { "" };
    let decpt = exp + 1;
    let body = if (-3..=16).contains(&decpt) {
        let n = digits.len() as i32;
        if decpt <= 0 {
            format!("0.{}{}", "0".repeat((-decpt) as usize), digits)
        } else if decpt >= n {
            format!("{}{}.0", digits, "0".repeat((decpt - n) as usize))
        } else {
            format!("{}.{}", &digits[..decpt as usize], &digits[decpt as usize..])
        }
    } else {
        let rest = if digits.len() > 1 { format!(".{}", &digits[1..]) } else { String::new() };
        let e = decpt - 1;
        format!("{}{}e{}{:02}", &digits[..1], rest, if e < 0 { '-' } else { '+' }, e.abs())
    };
    format!("{sign}{body}")
}

/// When the exact value lies exactly halfway between two shortest digit strings that
/// both read back as `x`, CPython's dtoa picks the one with an even last digit (Rust's
/// shortest formatting may give the other): 900000000000000.25 prints as ...0.2.
fn tie_to_even(x: f64, digits: String, exp: i32) -> String {
    let n = digits.len();
    let last = digits.as_bytes()[n - 1] - b'0';
    if last % 2 == 0 {
        return digits;
    }
    // The exact value, 40 digits past the shortest string (exact: Rust rounds correctly).
    let exact = format!("{:.*e}", n + 39, x);
    let (em, ee) = exact.split_once('e').unwrap_or((&exact, "0"));
    if ee.parse::<i32>().ok() != Some(exp) {
        return digits;
    }
    let ed: Vec<u8> = em.bytes().filter(u8::is_ascii_digit).collect();
    if ed.len() < n + 1 || ed[..n - 1] != digits.as_bytes()[..n - 1] || ed[n] != b'5' || ed[n + 1..].iter().any(|&d| d != b'0') {
        return digits;
    }
    // Halfway between ed[n-1] and ed[n-1]+1: the even one of those two.
    let low = ed[n - 1] - b'0';
    let even = if low % 2 == 0 { low } else { low + 1 };
    if even > 9 || even == last {
        return digits;
    }
    let mut cand = digits.clone().into_bytes();
    cand[n - 1] = b'0' + even;
    let cand = String::from_utf8(cand).unwrap_or(digits.clone());
    let text = format!("{}.{}e{}", &cand[..1], &cand[1..], exp);
    if text.parse::<f64>().ok() == Some(x) {
        cand
    } else {
        digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn floats_like_cpython() {
        for (f, s) in [
            (0.1 + 0.2, "0.30000000000000004"),
            (0.2 + 9e14, "900000000000000.2"),
            (94.777 - 8e14, "-799999999999905.2"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1.0, "1.0"),
            (-2.5, "-2.5"),
            (1.5e300, "1.5e+300"),
            (123456789.125, "123456789.125"),
        ] {
            assert_eq!(float_repr(f), s);
        }
    }
    #[test]
    fn strings_like_cpython() {
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a\nb"), "'a\\nb'");
        assert_eq!(str_repr("\x00"), "'\\x00'");
        assert_eq!(str_repr("é"), "'é'");
    }
}
