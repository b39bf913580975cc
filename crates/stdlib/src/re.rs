//! `_re`: the native half of the `re` module (`lib/re.py` is the Python half: Pattern
//! and Match objects, sub templates, split, findall). Matching is done by the
//! fancy-regex crate (a backtracking engine over the regex crate, with backreferences
//! and lookaround, as Python's sre has); this file translates Python's regex syntax to
//! fancy-regex's and runs searches, returning spans as character indices.
//!
//! The interface (used only by re.py):
//! - `compile(pattern, flags) -> (handle, groups, groupindex)`; ValueError(message) for a
//!   bad pattern. Equal (pattern, flags) give the same handle.
//! - `match(handle, string, pos, endpos, mode) -> (start0, end0, start1, ...) | None`,
//!   mode 0 search, 1 match at pos, 2 fullmatch of pos..endpos, 3 a non-empty match at
//!   pos (for the step after an empty match); -1 for groups that did not take part. pos and endpos are clamped character indices.
//!
//! Where the two syntaxes differ, the translation follows Python: `$` without MULTILINE
//! also matches before a final newline, `\Z` is the end of the string, `{` that does not
//! start a repeat is a literal, `[` inside a class is a literal, `(?P=name)` is a named
//! backreference, `(?#...)` is a comment, VERBOSE whitespace rules apply outside classes
//! only, and ASCII makes `\w \d \s \b` ASCII-only. Unknown escapes of ASCII letters are
//! errors, as in Python.

use fancy_regex::{Regex, RegexBuilder, RegexInput};
use hashbrown::HashMap;
use pyvm_gc::Value;
use pyvm_vm::objects::Str;
use pyvm_vm::{PyResult, Vm};
use std::cell::RefCell;
use std::rc::Rc;

const IGNORECASE: i64 = 2;
const LOCALE: i64 = 4;
const MULTILINE: i64 = 8;
const DOTALL: i64 = 16;
const UNICODE: i64 = 32;
const VERBOSE: i64 = 64;
const DEBUG: i64 = 128;
const ASCII: i64 = 256;

struct Compiled {
    /// The pattern for search and match (match anchors the search at pos).
    search: Regex,
    /// The pattern followed by an end-of-text assertion, for fullmatch.
    full: Regex,
    groups: usize,
    names: Vec<(String, usize)>,
    /// The translated pattern, for the non-empty variant built on first use.
    source: String,
    /// The pattern refusing empty matches (mode 3; None if it can never match).
    nonempty: std::cell::OnceCell<Option<Regex>>,
}

thread_local! {
    /// The last non-ASCII string searched and the byte offset of each of its characters.
    static OFFSETS: RefCell<Option<((usize, usize, i64), Rc<Vec<usize>>)>> = const { RefCell::new(None) };
    static CACHE: RefCell<(Vec<Rc<Compiled>>, HashMap<(String, i64), usize>)> = RefCell::new((Vec::new(), HashMap::new()));
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = vm.new_module("_re");
    vm.module_add_fn(&m, "compile", compile);
    vm.module_add_fn(&m, "match", do_match);
    Ok(m)
}

fn compile(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("compile", args, 2, 2)?;
    let Some(pat) = args[0].downcast_ref::<Str>() else {
        return Err(vm.type_error("_re.compile: pattern must be a str"));
    };
    let flags = vm.as_i64(&args[1]).ok_or_else(|| vm.type_error("_re.compile: flags must be an int"))?;
    let key = (pat.s.to_string(), flags);
    let cached = CACHE.with(|c| c.borrow().1.get(&key).copied());
    let handle = match cached {
        Some(h) => h,
        None => {
            let compiled = build(&pat.s, flags).map_err(|msg| vm.value_error(msg))?;
            CACHE.with(|c| {
                let mut c = c.borrow_mut();
                c.0.push(Rc::new(compiled));
                let h = c.0.len() - 1;
                c.1.insert(key, h);
                h
            })
        }
    };
    let c = CACHE.with(|c| c.borrow().0[handle].clone());
    let index = vm.new_dict();
    for (name, i) in &c.names {
        let k = vm.new_str(name.as_str());
        let v = vm.new_int(*i as i64);
        vm.dict_set(&index, k, v)?;
    }
    let h = vm.new_int(handle as i64);
    let g = vm.new_int(c.groups as i64);
    Ok(vm.new_tuple([h, g, index]))
}

fn do_match(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("match", args, 5, 5)?;
    let handle = vm.as_i64(&args[0]).unwrap_or(-1);
    let c = CACHE.with(|c| c.borrow().0.get(handle as usize).cloned());
    let Some(c) = c else {
        return Err(vm.value_error("_re.match: bad pattern handle"));
    };
    let Some(text) = args[1].downcast_ref::<Str>() else {
        return Err(vm.type_error("_re.match: string must be a str"));
    };
    let pos = vm.as_i64(&args[2]).unwrap_or(0).max(0) as usize;
    let endpos = vm.as_i64(&args[3]).unwrap_or(0).max(0) as usize;
    let mode = vm.as_i64(&args[4]).unwrap_or(0);
    let s: &str = &text.s;
    let ascii = text.nchars == s.len();
    // Non-ASCII text: character <-> byte offsets through a table kept for the last
    // string searched (findall/finditer/sub search the same string many times).
    // The string is recognised by address, length and hash (cached in the str object,
    // so only the first search of a string pays for it).
    let table: Rc<Vec<usize>> = if ascii {
        Rc::new(Vec::new())
    } else {
        let key = (args[1].raw(), s.len(), vm.hash(&args[1])?);
        OFFSETS.with(|o| {
            let mut o = o.borrow_mut();
            match &*o {
                Some((k, v)) if *k == key => v.clone(),
                _ => {
                    let mut v: Vec<usize> = s.char_indices().map(|(b, _)| b).collect();
                    v.push(s.len());
                    let v = Rc::new(v);
                    *o = Some((key, v.clone()));
                    v
                }
            }
        })
    };
    let to_byte = |chars: usize| -> usize {
        if ascii {
            chars.min(s.len())
        } else {
            table[chars.min(table.len() - 1)]
        }
    };
    let end_b = to_byte(endpos);
    let hay = &s[..end_b];
    let pos_b = to_byte(pos).min(end_b);
    let regex = match mode {
        2 => &c.full,
        3 => {
            // After an empty match at pos the next match may start there only if it is
            // not empty (3.7+): a backtracking search that rejects empty results.
            let ne = c.nonempty.get_or_init(|| {
                let mut b = RegexBuilder::new(&c.source);
                b.backtrack_limit(100_000_000);
                b.find_not_empty(true);
                b.build().ok()
            });
            match ne {
                Some(r) => r,
                None => return Ok(vm.none.clone()),
            }
        }
        _ => &c.search,
    };
    let input = RegexInput::new(hay).from_pos(pos_b).anchored(mode != 0);
    let caps = match regex.captures_input(input) {
        Ok(Some(caps)) => caps,
        Ok(None) => return Ok(vm.none.clone()),
        Err(e) => return Err(vm.runtime_error(format!("regular expression: {e}"))),
    };
    let mut spans = Vec::with_capacity(2 * (c.groups + 1));
    // Byte offsets to character offsets, counting forward (offsets come in any order).
    let to_char = |b: usize| -> i64 {
        if ascii {
            b as i64
        } else {
            table.binary_search(&b).unwrap_or_else(|i| i) as i64
        }
    };
    for i in 0..=c.groups {
        match caps.get(i) {
            Some(m) => {
                spans.push(vm.new_int(to_char(m.start())));
                spans.push(vm.new_int(to_char(m.end())));
            }
            None => {
                spans.push(vm.new_int(-1));
                spans.push(vm.new_int(-1));
            }
        }
    }
    Ok(vm.new_tuple(spans))
}

fn build(pattern: &str, flags: i64) -> Result<Compiled, String> {
    let (body, flags) = translate(pattern, flags)?;
    let mut prefix = String::new();
    for (bit, letter) in [(IGNORECASE, 'i'), (MULTILINE, 'm'), (DOTALL, 's')] {
        if flags & bit != 0 {
            prefix.push(letter);
        }
    }
    let prefix = if prefix.is_empty() { String::new() } else { format!("(?{prefix})") };
    let make = |p: String| -> Result<Regex, String> {
        let mut b = RegexBuilder::new(&p);
        // Python has no backtracking limit; this one only stops runaway patterns.
        b.backtrack_limit(100_000_000);
        b.build().map_err(|e| python_message(&e.to_string()))
    };
    let source = format!("{prefix}{body}");
    let search = make(source.clone())?;
    let full = make(format!("{prefix}(?:{body})\\z"))?;
    let groups = search.captures_len().saturating_sub(1);
    let mut names: Vec<(String, usize)> =
        search.capture_names().enumerate().filter_map(|(i, n)| n.map(|n| (n.to_string(), i))).collect();
    names.sort_by_key(|(_, i)| *i);
    Ok(Compiled { search, full, groups, names, source, nonempty: std::cell::OnceCell::new() })
}

/// fancy-regex's error text, shortened to its first line.
fn python_message(e: &str) -> String {
    e.lines().next().unwrap_or(e).trim().to_string()
}

/// Characters that must stay escaped in the regex crate's syntax.
fn is_meta(c: char) -> bool {
    matches!(c, '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$' | '#' | '&' | '-' | '~')
}

/// The leading global inline flags `(?aiLmsux)`, folded into `flags`.
fn leading_flags(p: &[char], mut i: usize, flags: &mut i64) -> Result<usize, String> {
    loop {
        if *flags & VERBOSE != 0 {
            while i < p.len() && p[i].is_whitespace() {
                i += 1;
            }
        }
        if !(i + 2 < p.len() && p[i] == '(' && p[i + 1] == '?' && p[i + 2].is_ascii_alphabetic()) {
            break;
        }
        let mut j = i + 2;
        let mut f = 0;
        while j < p.len() && p[j] != ')' {
            f |= match p[j] {
                'a' => ASCII,
                'i' => IGNORECASE,
                'L' => LOCALE,
                'm' => MULTILINE,
                's' => DOTALL,
                'u' => UNICODE,
                'x' => VERBOSE,
                _ => return Ok(i), // a scoped group such as (?i:...) or an error: left as is
            };
            j += 1;
        }
        if j >= p.len() {
            return Err(format!("missing -, : or ) at position {}", j));
        }
        *flags |= f;
        i = j + 1;
    }
    Ok(i)
}

fn hex_escape(p: &[char], i: usize, n: usize, what: char) -> Result<(u32, usize), String> {
    let digits: String = p.iter().skip(i).take(n).collect();
    if digits.chars().count() != n || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("incomplete escape \\{what}{digits} at position {}", i - 2));
    }
    let v = u32::from_str_radix(&digits, 16).map_err(|e| e.to_string())?;
    Ok((v, i + n))
}

/// Translate one escape (`p[i]` is the backslash). Returns the replacement and the index
/// after the escape.
fn escape(p: &[char], i: usize, in_class: bool, ascii: bool, ascii_ignorecase: bool) -> Result<(String, usize), String> {
    let Some(&c) = p.get(i + 1) else {
        return Err(format!("bad escape (end of pattern) at position {i}"));
    };
    let lit = |v: u32| {
        // Under ASCII, IGNORECASE folds ASCII letters only.
        if ascii_ignorecase && !in_class && v >= 128 && char::from_u32(v).is_some_and(|c| c.is_alphabetic()) {
            format!("(?-i:\\x{{{v:X}}})")
        } else {
            format!("\\x{{{v:X}}}")
        }
    };
    Ok(match c {
        'd' | 'D' | 'w' | 'W' | 's' | 'S' if ascii => {
            let set = match c.to_ascii_lowercase() {
                'd' => "0-9",
                'w' => "0-9A-Za-z_",
                _ => " \\t\\n\\r\\x0C\\x0B",
            };
            let neg = c.is_ascii_uppercase();
            let s = match (neg, in_class) {
                (false, true) => set.to_string(),
                (false, false) => format!("[{set}]"),
                (true, _) => format!("[^{set}]"),
            };
            (s, i + 2)
        }
        // Python's word characters are str.isalnum() or '_': letters and numbers, no
        // combining marks or other connector punctuation (the engine's \w has those).
        'w' if in_class => (r"\p{L}\p{N}_".to_string(), i + 2),
        'w' => (r"[\p{L}\p{N}_]".to_string(), i + 2),
        'W' => (r"[^\p{L}\p{N}_]".to_string(), i + 2),
        'd' | 'D' | 's' | 'S' | 'n' | 'r' | 't' | 'f' => (format!("\\{c}"), i + 2),
        'a' => (lit(7), i + 2),
        'v' => (lit(11), i + 2),
        'b' if in_class => (lit(8), i + 2),
        'b' | 'B' if ascii => (format!("(?-u:\\{c})"), i + 2),
        'b' | 'B' | 'A' => (format!("\\{c}"), i + 2),
        'Z' if !in_class => ("\\z".to_string(), i + 2),
        'x' => {
            let (v, j) = hex_escape(p, i + 2, 2, 'x')?;
            (lit(v), j)
        }
        'u' => {
            let (v, j) = hex_escape(p, i + 2, 4, 'u')?;
            (lit(v), j)
        }
        'U' => {
            let (v, j) = hex_escape(p, i + 2, 8, 'U')?;
            if char::from_u32(v).is_none() {
                return Err(format!("bad escape \\U{v:08x} at position {i}"));
            }
            (lit(v), j)
        }
        '0'..='7' if c == '0' || (in_class) || (p.get(i + 2).is_some_and(|d| ('0'..='7').contains(d)) && p.get(i + 3).is_some_and(|d| ('0'..='7').contains(d))) => {
            // An octal escape: \0, \0oo, or three octal digits (in a class any digits).
            let mut j = i + 1;
            let mut v = 0u32;
            while j < p.len() && j < i + 4 && ('0'..='7').contains(&p[j]) {
                v = v * 8 + p[j].to_digit(8).unwrap();
                j += 1;
            }
            if v > 0o377 {
                return Err(format!("octal escape value \\{} outside of range 0-0o377 at position {i}", p[i + 1..j].iter().collect::<String>()));
            }
            (lit(v), j)
        }
        '1'..='9' if !in_class => {
            let mut j = i + 1;
            while j < p.len() && j < i + 3 && p[j].is_ascii_digit() {
                j += 1;
            }
            (format!("\\{}", p[i + 1..j].iter().collect::<String>()), j)
        }
        c if c.is_ascii_alphanumeric() => return Err(format!("bad escape \\{c} at position {i}")),
        c if is_meta(c) => (format!("\\{c}"), i + 2),
        c if c.is_whitespace() || !c.is_ascii() => (lit(c as u32), i + 2),
        c => (c.to_string(), i + 2),
    })
}

/// Is `p[i..]` a Python repeat `{m}`, `{m,}`, `{,n}` or `{m,n}`? Returns its regex-crate
/// form and the index after it.
fn repeat(p: &[char], i: usize) -> Option<(String, usize)> {
    let mut j = i + 1;
    let mut lo = String::new();
    while j < p.len() && p[j].is_ascii_digit() {
        lo.push(p[j]);
        j += 1;
    }
    let mut hi = None;
    if j < p.len() && p[j] == ',' {
        j += 1;
        let mut h = String::new();
        while j < p.len() && p[j].is_ascii_digit() {
            h.push(p[j]);
            j += 1;
        }
        hi = Some(h);
    }
    if j >= p.len() || p[j] != '}' || (lo.is_empty() && hi.is_none()) {
        return None;
    }
    let lo = if lo.is_empty() { "0".to_string() } else { lo };
    let s = match hi {
        None => format!("{{{lo}}}"),
        Some(h) if h.is_empty() => format!("{{{lo},}}"),
        Some(h) => format!("{{{lo},{h}}}"),
    };
    Some((s, j + 1))
}

fn translate(pattern: &str, mut flags: i64) -> Result<(String, i64), String> {
    if flags & DEBUG != 0 {
        flags &= !DEBUG;
    }
    let p: Vec<char> = pattern.chars().collect();
    let mut i = leading_flags(&p, 0, &mut flags)?;
    if flags & ASCII != 0 && flags & UNICODE != 0 {
        return Err("ASCII and UNICODE flags are incompatible".into());
    }
    let ascii = flags & ASCII != 0;
    let verbose = flags & VERBOSE != 0;
    let multiline = flags & MULTILINE != 0;
    let mut out = String::with_capacity(pattern.len() + 8);
    let ascii_ignorecase = ascii && flags & IGNORECASE != 0;
    let mut in_class = false;
    let mut class_start = 0;
    // Positions of the open groups, innermost last (for "missing )" errors).
    let mut open: Vec<usize> = Vec::new();
    // Can a repeat operator apply here (is there something before it to repeat)?
    let mut repeatable = false;
    let mut just_repeated = false;
    while i < p.len() {
        let c = p[i];
        if !in_class {
            let is_repeat = matches!(c, '*' | '+' | '?') || (c == '{' && repeat(&p, i).is_some());
            if is_repeat {
                // A lazy or possessive suffix (`*?`, `+?`, `*+`) follows a repeat directly.
                let suffix = just_repeated && matches!(c, '?' | '+') && !p[..i].ends_with(&['?', '?']) && !p[..i].ends_with(&['+', '+']);
                if !suffix {
                    if just_repeated {
                        return Err(format!("multiple repeat at position {i}"));
                    }
                    if !repeatable {
                        return Err(format!("nothing to repeat at position {i}"));
                    }
                }
            }
            if !(verbose && (c.is_whitespace() || c == '#')) {
                just_repeated = is_repeat;
                repeatable = !is_repeat && !matches!(c, '(' | '|') ;
            }
        }
        if in_class {
            match c {
                '\\' => {
                    let (s, j) = escape(&p, i, true, ascii, ascii_ignorecase)?;
                    out.push_str(&s);
                    i = j;
                    continue;
                }
                ']' if i > class_start => {
                    in_class = false;
                    out.push(']');
                }
                '[' | '&' | '~' | ']' => {
                    out.push('\\');
                    out.push(c);
                }
                '-' if p.get(i + 1) == Some(&'-') => out.push_str("\\-"),
                _ => out.push(c),
            }
            i += 1;
            continue;
        }
        match c {
            '\\' => {
                let (s, j) = escape(&p, i, false, ascii, ascii_ignorecase)?;
                out.push_str(&s);
                i = j;
                continue;
            }
            '[' => {
                in_class = true;
                out.push('[');
                i += 1;
                if p.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                class_start = i;
                // A ']' right after '[' or '[^' is a literal (handled above).
                continue;
            }
            '(' if p.get(i + 1) == Some(&'?') => {
                let rest: String = p[i + 2..p.len().min(i + 4)].iter().collect();
                if rest.starts_with('#') {
                    while i < p.len() && p[i] != ')' {
                        i += 1;
                    }
                    if i >= p.len() {
                        return Err("missing ), unterminated comment".into());
                    }
                    i += 1;
                    continue;
                }
                if rest.starts_with("P=") {
                    let mut j = i + 4;
                    let mut name = String::new();
                    while j < p.len() && p[j] != ')' {
                        name.push(p[j]);
                        j += 1;
                    }
                    if j >= p.len() {
                        return Err(format!("missing ), unterminated name at position {}", i + 4));
                    }
                    out.push_str(&format!("\\k<{name}>"));
                    i = j + 1;
                    continue;
                }
                if p.get(i + 2).is_some_and(|c| c.is_ascii_alphabetic() && *c != 'P') {
                    // Scoped flags (?i:...) / (?-i:...) pass through (minus 'u', which is
                    // the default); global flags here are an error in 3.11.
                    let mut j = i + 2;
                    let mut letters = String::new();
                    while j < p.len() && (p[j].is_ascii_alphabetic() || p[j] == '-') {
                        if p[j] != 'u' {
                            letters.push(p[j]);
                        }
                        j += 1;
                    }
                    if p.get(j) == Some(&')') {
                        return Err(format!("global flags not at the start of the expression at position {i}"));
                    }
                    if letters.contains('a') || letters.contains('L') {
                        return Err(format!("bad inline flags: cannot use 'a' or 'L' flag in a scoped group at position {}", i + 2));
                    }
                    out.push_str("(?");
                    out.push_str(&letters);
                    open.push(i);
                    i = j;
                    continue;
                }
                if p.get(i + 2) == Some(&'(') {
                    // A conditional (?(1)yes|no) / (?(name)yes|no): the condition is copied.
                    let mut j = i + 3;
                    while j < p.len() && p[j] != ')' {
                        j += 1;
                    }
                    if j >= p.len() {
                        return Err(format!("missing ), unterminated name at position {}", i + 3));
                    }
                    let cond: String = p[i + 3..j].iter().collect();
                    if cond.chars().all(|c| c.is_ascii_digit()) {
                        out.push_str(&format!("(?({cond})"));
                    } else {
                        // fancy-regex names the group of a condition as <name>.
                        out.push_str(&format!("(?(<{cond}>)"));
                    }
                    open.push(i);
                    repeatable = false;
                    i = j + 1;
                    continue;
                }
                // (?:...), (?P<name>...), lookaround, atomic groups: the '?' is part of
                // the group syntax, not a repeat.
                open.push(i);
                out.push_str("(?");
                i += 2;
                continue;
            }
            '(' => {
                open.push(i);
                out.push('(');
            }
            ')' => {
                if open.pop().is_none() {
                    return Err(format!("unbalanced parenthesis at position {i}"));
                }
                out.push(')');
            }
            '{' => match repeat(&p, i) {
                Some((s, j)) if !out.is_empty() => {
                    out.push_str(&s);
                    i = j;
                    continue;
                }
                _ => out.push_str("\\{"),
            },
            '}' => out.push_str("\\}"),
            ']' => out.push_str("\\]"),
            '$' if !multiline => out.push_str("(?:(?=\\n\\z)|\\z)"),
            '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if verbose && c.is_whitespace() => {}
            '#' if verbose => {
                while i < p.len() && p[i] != '\n' {
                    i += 1;
                }
            }
            '#' => out.push_str("\\#"),
            // Under ASCII, IGNORECASE folds ASCII letters only.
            c if ascii_ignorecase && !c.is_ascii() && c.is_alphabetic() => out.push_str(&format!("(?-i:{c})")),
            _ => out.push(c),
        }
        i += 1;
    }
    if in_class {
        return Err(format!("unterminated character set at position {}", class_start.saturating_sub(1)));
    }
    if let Some(&at) = open.last() {
        return Err(format!("missing ), unterminated subpattern at position {at}"));
    }
    Ok((out, flags))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(p: &str) -> String {
        translate(p, 0).unwrap().0
    }

    #[test]
    fn python_syntax_is_translated() {
        assert_eq!(t(r"a$"), r"a(?:(?=\n\z)|\z)");
        assert_eq!(t(r"a\Z"), r"a\z");
        assert_eq!(t(r"(?P<x>a)(?P=x)"), r"(?P<x>a)\k<x>");
        assert_eq!(t(r"a{,3}b{2}c{"), r"a{0,3}b{2}c\{");
        assert_eq!(t(r"[[a-z]]"), r"[\[a-z]\]");
        assert_eq!(t(r"[]a]"), r"[\]a]");
        assert_eq!(t(r"a(?#comment)b"), "ab");
        assert_eq!(translate("a b # c\n d", VERBOSE).unwrap().0, "abd");
        assert!(translate(r"\q", 0).unwrap_err().contains("bad escape \\q at position 0"));
        assert_eq!(translate("(?im)a", 0).unwrap().1, IGNORECASE | MULTILINE);
    }

    #[test]
    fn spans_and_anchoring() {
        let c = build(r"(\d+)-(\d+)?", 0).unwrap();
        assert_eq!(c.groups, 2);
        let caps = c.search.captures_input(RegexInput::new("ab 12-").from_pos(0)).unwrap().unwrap();
        assert_eq!(caps.get(0).map(|m| (m.start(), m.end())), Some((3, 6)));
        assert!(caps.get(2).is_none());
        assert!(c.search.captures_input(RegexInput::new("ab 12-").from_pos(0).anchored(true)).unwrap().is_none());
    }
}
