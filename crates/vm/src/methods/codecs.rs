//! Text encodings for `str.encode` and `bytes.decode`: UTF-8 (and -sig), UTF-16 and
//! UTF-32 (with BOM, -le, -be), ASCII and Latin-1, with the error handlers strict,
//! ignore, replace, backslashreplace and xmlcharrefreplace (encoding). Errors are
//! UnicodeEncodeError / UnicodeDecodeError carrying CPython's five arguments (encoding,
//! object, start, end, reason), so their attributes and messages match.
//!
//! pyvm strings cannot hold lone surrogates, so surrogateescape and surrogatepass
//! are refused as unknown handlers rather than half-supported.

use crate::objects::*;
use crate::vm::{PyErr, PyResult, Vm};
use pyvm_gc::Value;

#[derive(Clone, Copy, PartialEq)]
enum Codec {
    Utf8,
    Utf8Sig,
    Ascii,
    Latin1,
    Utf16(Option<bool>),
    Utf32(Option<bool>),
}

impl Codec {
    /// CPython's canonical codec name, as error messages show it.
    fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Utf8Sig => "utf-8-sig",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
            Codec::Utf16(None) => "utf-16",
            Codec::Utf16(Some(true)) => "utf-16-le",
            Codec::Utf16(Some(false)) => "utf-16-be",
            Codec::Utf32(None) => "utf-32",
            Codec::Utf32(Some(true)) => "utf-32-le",
            Codec::Utf32(Some(false)) => "utf-32-be",
        }
    }
}

fn lookup(vm: &mut Vm, name: &str) -> PyResult<Codec> {
    let n: String = name.trim().to_ascii_lowercase().chars().map(|c| if c == '_' || c == ' ' { '-' } else { c }).collect();
    Ok(match n.as_str() {
        "utf-8" | "utf8" | "u8" | "utf" | "cp65001" => Codec::Utf8,
        "utf-8-sig" | "utf8-sig" => Codec::Utf8Sig,
        "ascii" | "us-ascii" | "646" | "us" => Codec::Ascii,
        "latin-1" | "latin1" | "latin" | "iso-8859-1" | "iso8859-1" | "8859" | "cp819" | "l1" | "iso-ir-100" => Codec::Latin1,
        "utf-16" | "utf16" | "u16" => Codec::Utf16(None),
        "utf-16-le" | "utf-16le" | "utf16le" => Codec::Utf16(Some(true)),
        "utf-16-be" | "utf-16be" | "utf16be" => Codec::Utf16(Some(false)),
        "utf-32" | "utf32" | "u32" => Codec::Utf32(None),
        "utf-32-le" | "utf-32le" | "utf32le" => Codec::Utf32(Some(true)),
        "utf-32-be" | "utf-32be" | "utf32be" => Codec::Utf32(Some(false)),
        _ => return Err(vm.new_exception("LookupError", format!("unknown encoding: {name}"))),
    })
}

/// Handlers are looked up only when an error occurs, as in CPython.
fn unknown_handler(vm: &mut Vm, errors: &str) -> PyErr {
    vm.new_exception("LookupError", format!("unknown error handler name '{errors}'"))
}

/// A UnicodeEncodeError/UnicodeDecodeError with CPython's arguments and attributes.
fn unicode_error(vm: &mut Vm, kind: &str, codec: &str, object: Value, start: usize, end: usize, reason: &str) -> PyErr {
    let ty = vm.exc[kind].clone();
    let vals = [vm.new_str(codec), object, vm.new_int(start as i64), vm.new_int(end as i64), vm.new_str(reason)];
    let args = vm.new_tuple(&vals[..]);
    let e = vm.make_exception(ty, args);
    for (k, v) in ["encoding", "object", "start", "end", "reason"].into_iter().zip(vals) {
        let k = vm.intern(k);
        let _ = vm.generic_setattr(&e, &k, v);
    }
    PyErr(e)
}

/// CPython's message for a UnicodeEncodeError/DecodeError made of five arguments.
pub fn unicode_error_str(vm: &mut Vm, kind: &str, items: &[Value]) -> Option<String> {
    let [enc, obj, start, end, reason] = items else { return None };
    let (enc, reason) = (enc.downcast_ref::<Str>()?.s.to_string(), reason.downcast_ref::<Str>()?.s.to_string());
    let (start, end) = (vm.as_i64(start)? as usize, vm.as_i64(end)? as usize);
    if kind == "UnicodeDecodeError" {
        let data = super::bytes_of(obj)?;
        let b = *data.get(start)?;
        return Some(if end == start + 1 {
            format!("'{enc}' codec can't decode byte 0x{b:02x} in position {start}: {reason}")
        } else {
            format!("'{enc}' codec can't decode bytes in position {start}-{}: {reason}", end - 1)
        });
    }
    let s = &obj.downcast_ref::<Str>()?.s;
    let esc = char_escape(s.chars().nth(start)?);
    Some(if end == start + 1 {
        format!("'{enc}' codec can't encode character '{esc}' in position {start}: {reason}")
    } else {
        format!("'{enc}' codec can't encode characters in position {start}-{}: {reason}", end - 1)
    })
}

/// `\xhh`, `\uhhhh` or `\Uhhhhhhhh`: how error messages and backslashreplace show a
/// character.
fn char_escape(ch: char) -> String {
    let c = ch as u32;
    if c < 0x100 {
        format!("\\x{c:02x}")
    } else if c < 0x10000 {
        format!("\\u{c:04x}")
    } else {
        format!("\\U{c:08x}")
    }
}

fn push_unit(out: &mut Vec<u8>, unit: u32, width: usize, le: bool) {
    let bytes = unit.to_le_bytes();
    if le {
        out.extend_from_slice(&bytes[..width]);
    } else {
        out.extend(bytes[..width].iter().rev());
    }
}

pub fn encode(vm: &mut Vm, this: &Value, s: &str, encoding: &str, errors: &str) -> PyResult<Vec<u8>> {
    let codec = lookup(vm, encoding)?;
    Ok(match codec {
        Codec::Utf8 => s.as_bytes().to_vec(),
        Codec::Utf8Sig => {
            let mut v = vec![0xef, 0xbb, 0xbf];
            v.extend_from_slice(s.as_bytes());
            v
        }
        Codec::Utf16(order) => {
            let le = order.unwrap_or(true);
            let mut out = Vec::with_capacity(2 * s.len() + 2);
            if order.is_none() {
                push_unit(&mut out, 0xfeff, 2, le);
            }
            for u in s.encode_utf16() {
                push_unit(&mut out, u as u32, 2, le);
            }
            out
        }
        Codec::Utf32(order) => {
            let le = order.unwrap_or(true);
            let mut out = Vec::with_capacity(4 * s.len() + 4);
            if order.is_none() {
                push_unit(&mut out, 0xfeff, 4, le);
            }
            for c in s.chars() {
                push_unit(&mut out, c as u32, 4, le);
            }
            out
        }
        Codec::Ascii | Codec::Latin1 => {
            let limit = if codec == Codec::Ascii { 128 } else { 256 };
            let chars: Vec<char> = s.chars().collect();
            let mut out = Vec::with_capacity(chars.len());
            let mut i = 0;
            while i < chars.len() {
                let c = chars[i] as u32;
                if c < limit {
                    out.push(c as u8);
                    i += 1;
                    continue;
                }
                // The run of unencodable characters is reported (or replaced) as one.
                let mut j = i;
                while j < chars.len() && chars[j] as u32 >= limit {
                    j += 1;
                }
                match errors {
                    "strict" => {
                        let reason = format!("ordinal not in range({limit})");
                        return Err(unicode_error(vm, "UnicodeEncodeError", codec.name(), this.clone(), i, j, &reason));
                    }
                    "ignore" => {}
                    "replace" => out.extend(std::iter::repeat(b'?').take(j - i)),
                    "xmlcharrefreplace" => {
                        for &ch in &chars[i..j] {
                            out.extend(format!("&#{};", ch as u32).bytes());
                        }
                    }
                    "backslashreplace" | "namereplace" => {
                        for &ch in &chars[i..j] {
                            out.extend(char_escape(ch).bytes());
                        }
                    }
                    _ => return Err(unknown_handler(vm, errors)),
                }
                i = j;
            }
            out
        }
    })
}

/// What to put in place of the undecodable bytes `bad`, or the error to raise.
#[allow(clippy::too_many_arguments)]
fn decode_bad(vm: &mut Vm, codec: Codec, errors: &str, data: &[u8], start: usize, end: usize, bad: &[u8], reason: &str, out: &mut String) -> PyResult<()> {
    match errors {
        "strict" => {
            let object = vm.new_bytes(data.to_vec());
            Err(unicode_error(vm, "UnicodeDecodeError", codec.name(), object, start, end, reason))
        }
        "ignore" => Ok(()),
        "replace" => {
            out.push('\u{fffd}');
            Ok(())
        }
        "backslashreplace" => {
            for b in bad {
                out.push_str(&format!("\\x{b:02x}"));
            }
            Ok(())
        }
        _ => Err(unknown_handler(vm, errors)),
    }
}

pub fn decode(vm: &mut Vm, data: &[u8], encoding: &str, errors: &str) -> PyResult<String> {
    let codec = lookup(vm, encoding)?;
    let mut out = String::with_capacity(data.len());
    match codec {
        Codec::Utf8 | Codec::Utf8Sig => {
            let mut pos = if codec == Codec::Utf8Sig && data.starts_with(&[0xef, 0xbb, 0xbf]) { 3 } else { 0 };
            while pos < data.len() {
                match std::str::from_utf8(&data[pos..]) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        out.push_str(std::str::from_utf8(&data[pos..pos + good]).unwrap_or_default());
                        let at = pos + good;
                        let byte = data[at];
                        let (len, reason) = match e.error_len() {
                            None => (data.len() - at, "unexpected end of data"),
                            Some(n) if (0x80..0xc2).contains(&byte) || byte >= 0xf5 => (n, "invalid start byte"),
                            Some(n) => (n, "invalid continuation byte"),
                        };
                        let bad = data[at..at + len].to_vec();
                        decode_bad(vm, codec, errors, data, at, at + len, &bad, reason, &mut out)?;
                        pos = at + len;
                    }
                }
            }
        }
        Codec::Ascii => {
            for (i, &b) in data.iter().enumerate() {
                if b < 128 {
                    out.push(b as char);
                } else {
                    decode_bad(vm, codec, errors, data, i, i + 1, &[b], "ordinal not in range(128)", &mut out)?;
                }
            }
        }
        Codec::Latin1 => out.extend(data.iter().map(|&b| b as char)),
        Codec::Utf16(order) => {
            let (mut le, mut pos) = (order.unwrap_or(true), 0);
            if order.is_none() && data.len() >= 2 {
                match (data[0], data[1]) {
                    (0xff, 0xfe) => pos = 2,
                    (0xfe, 0xff) => (le, pos) = (false, 2),
                    _ => {}
                }
            }
            while pos < data.len() {
                if pos + 2 > data.len() {
                    let bad = data[pos..].to_vec();
                    decode_bad(vm, codec, errors, data, pos, data.len(), &bad, "truncated data", &mut out)?;
                    break;
                }
                let unit = |p: usize| if le { u16::from_le_bytes([data[p], data[p + 1]]) } else { u16::from_be_bytes([data[p], data[p + 1]]) };
                let u = unit(pos);
                if !(0xd800..0xe000).contains(&u) {
                    out.push(char::from_u32(u as u32).unwrap_or('\u{fffd}'));
                    pos += 2;
                } else if u < 0xdc00 && pos + 4 <= data.len() && (0xdc00..0xe000).contains(&unit(pos + 2)) {
                    let c = 0x10000 + (((u as u32) - 0xd800) << 10) + (unit(pos + 2) as u32 - 0xdc00);
                    out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                    pos += 4;
                } else if u < 0xdc00 && pos + 4 > data.len() {
                    let bad = data[pos..].to_vec();
                    decode_bad(vm, codec, errors, data, pos, data.len(), &bad, "unexpected end of data", &mut out)?;
                    break;
                } else {
                    let reason = if u < 0xdc00 { "illegal UTF-16 surrogate" } else { "illegal encoding" };
                    let bad = data[pos..pos + 2].to_vec();
                    decode_bad(vm, codec, errors, data, pos, pos + 2, &bad, reason, &mut out)?;
                    pos += 2;
                }
            }
        }
        Codec::Utf32(order) => {
            let (mut le, mut pos) = (order.unwrap_or(true), 0);
            if order.is_none() && data.len() >= 4 {
                if data[..4] == [0xff, 0xfe, 0, 0] {
                    pos = 4;
                } else if data[..4] == [0, 0, 0xfe, 0xff] {
                    (le, pos) = (false, 4);
                }
            }
            while pos < data.len() {
                if pos + 4 > data.len() {
                    let bad = data[pos..].to_vec();
                    decode_bad(vm, codec, errors, data, pos, data.len(), &bad, "truncated data", &mut out)?;
                    break;
                }
                let w = [data[pos], data[pos + 1], data[pos + 2], data[pos + 3]];
                let u = if le { u32::from_le_bytes(w) } else { u32::from_be_bytes(w) };
                match char::from_u32(u) {
                    Some(c) => out.push(c),
                    None => {
                        let reason = if u > 0x10ffff { "code point not in range(0x110000)" } else { "code point in surrogate code point range(0xd800, 0xe000)" };
                        decode_bad(vm, codec, errors, data, pos, pos + 4, &w, reason, &mut out)?;
                    }
                }
                pos += 4;
            }
        }
    }
    Ok(out)
}
