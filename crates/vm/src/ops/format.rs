//! `format()` with the format-spec mini-language (fill, align, sign, `#`, `0`, width,
//! grouping, precision, type) for int, float and str, and printf-style `%` formatting.

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use num_bigint::BigInt;
use num_traits::Signed;
use pyvm_compiler::repr::float_repr;
use pyvm_gc::Value;

#[derive(Default, Debug, Clone)]
pub struct Spec {
    pub fill: Option<char>,
    pub align: Option<char>,
    pub sign: Option<char>,
    pub alt: bool,
    pub zero: bool,
    pub width: Option<usize>,
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    pub ty: Option<char>,
}

pub fn parse_spec(s: &str) -> Option<Spec> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut sp = Spec::default();
    let is_align = |ch: char| matches!(ch, '<' | '>' | '=' | '^');
    if c.len() >= 2 && is_align(c[1]) {
        sp.fill = Some(c[0]);
        sp.align = Some(c[1]);
        i = 2;
    } else if !c.is_empty() && is_align(c[0]) {
        sp.align = Some(c[0]);
        i = 1;
    }
    if i < c.len() && matches!(c[i], '+' | '-' | ' ') {
        sp.sign = Some(c[i]);
        i += 1;
    }
    if i < c.len() && c[i] == 'z' {
        i += 1;
    }
    if i < c.len() && c[i] == '#' {
        sp.alt = true;
        i += 1;
    }
    if i < c.len() && c[i] == '0' {
        sp.zero = true;
        i += 1;
    }
    let st = i;
    while i < c.len() && c[i].is_ascii_digit() {
        i += 1;
    }
    if i > st {
        sp.width = c[st..i].iter().collect::<String>().parse().ok();
    }
    if i < c.len() && (c[i] == ',' || c[i] == '_') {
        sp.grouping = Some(c[i]);
        i += 1;
    }
    if i < c.len() && c[i] == '.' {
        i += 1;
        let st = i;
        while i < c.len() && c[i].is_ascii_digit() {
            i += 1;
        }
        if i == st {
            return None;
        }
        sp.precision = c[st..i].iter().collect::<String>().parse().ok();
    }
    if i < c.len() {
        sp.ty = Some(c[i]);
        i += 1;
    }
    if i != c.len() {
        return None;
    }
    Some(sp)
}

/// Pad `body` (with sign/prefix split out for `=` alignment) to the spec's width.
fn pad(sp: &Spec, sign: &str, body: &str, default_align: char) -> String {
    // The '0' flag means fill '0' unless a fill is given (then the alignment is '='
    // for numbers unless one is given: format(12, '<05') is '12000').
    let fill = sp.fill.unwrap_or(if sp.zero { '0' } else { ' ' });
    let align = sp.align.unwrap_or(if sp.zero && sp.fill.is_none() { '=' } else { default_align });
    let len = sign.chars().count() + body.chars().count();
    let width = sp.width.unwrap_or(0);
    if len >= width {
        return format!("{sign}{body}");
    }
    let n = width - len;
    let f = |k: usize| std::iter::repeat(fill).take(k).collect::<String>();
    match align {
        '<' => format!("{sign}{body}{}", f(n)),
        '^' => format!("{}{sign}{body}{}", f(n / 2), f(n - n / 2)),
        '=' => format!("{sign}{}{body}", f(n)),
        _ => format!("{}{sign}{body}", f(n)),
    }
}

fn group_digits(digits: &str, sep: char, every: usize) -> String {
    let chars: Vec<char> = digits.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && (chars.len() - i) % every == 0 {
            out.push(sep);
        }
        out.push(*c);
    }
    out
}

/// Zero-padding with grouping: CPython inserts separators into the padding too.
fn grouped_zero_pad(sp: &Spec, sign: &str, intpart: &str, rest: &str, sep: char, every: usize) -> String {
    let width = sp.width.unwrap_or(0);
    let mut digits = intpart.to_string();
    loop {
        let g = group_digits(&digits, sep, every);
        if sign.len() + g.chars().count() + rest.chars().count() >= width {
            return format!("{sign}{g}{rest}");
        }
        digits.insert(0, '0');
    }
}

pub fn format_float(x: f64, prec: usize, ty: char, alt: bool) -> String {
    if x.is_nan() {
        return if ty.is_ascii_uppercase() { "NAN".into() } else { "nan".into() };
    }
    if x.is_infinite() {
        let s = if x > 0.0 { "inf" } else { "-inf" };
        return if ty.is_ascii_uppercase() { s.to_uppercase() } else { s.into() };
    }
    match ty {
        'f' | 'F' => {
            let s = format!("{:.*}", prec, x);
            if alt && prec == 0 {
                format!("{s}.")
            } else {
                s
            }
        }
        'e' | 'E' => {
            let s = format!("{:.*e}", prec, x);
            let (m, e) = s.split_once('e').unwrap();
            let e: i32 = e.parse().unwrap_or(0);
            let m = if alt && prec == 0 { format!("{m}.") } else { m.to_string() };
            let r = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
            if ty == 'E' {
                r.to_uppercase()
            } else {
                r
            }
        }
        'g' | 'G' | 'h' => {
            // 'h' is the no-type-with-precision form (see `format_float_spec`).
            let dot0 = ty == 'h';
            let p = prec.max(1);
            let s = format!("{:.*e}", p - 1, x);
            let (_, e) = s.split_once('e').unwrap();
            let exp: i32 = e.parse().unwrap_or(0);
            let fixed_below = if dot0 { p as i32 - 1 } else { p as i32 };
            let r = if exp >= -4 && exp < fixed_below {
                let s = format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, x);
                let s = if alt { s } else { strip_zeros(&s) };
                if dot0 && !s.contains('.') {
                    format!("{s}.0")
                } else if alt && !s.contains('.') {
                    format!("{s}.")
                } else {
                    s
                }
            } else {
                let m = format!("{:.*e}", p - 1, x);
                let (m, _) = m.split_once('e').unwrap();
                let m = if alt { if m.contains('.') { m.to_string() } else { format!("{m}.") } } else { strip_zeros(m) };
                format!("{m}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
            };
            if ty == 'G' {
                r.to_uppercase()
            } else {
                r
            }
        }
        _ => float_repr(x),
    }
}

fn strip_zeros(s: &str) -> String {
    if s.contains('.') {
        let t = s.trim_end_matches('0');
        t.trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

impl Vm {
    /// Widths beyond what can be allocated are MemoryError (CPython fails its
    /// allocation); precisions beyond an int are "precision too big".
    fn check_spec_sizes(&mut self, sp: &Spec) -> PyResult<()> {
        if sp.precision.is_some_and(|p| p > i32::MAX as usize) {
            return Err(self.value_error("precision too big"));
        }
        if let Some(w) = sp.width {
            self.check_room(w)?;
        }
        Ok(())
    }

    pub fn format(&mut self, v: &Value, spec: &str) -> PyResult<String> {
        if v.is::<Instance>() {
            let ty = self.type_of(v);
            if let Some(f) = self.lookup_user(&ty, "__format__") {
                let s = self.new_str(spec);
                let r = self.call_method_value(&f, v, &[s])?;
                return Ok(self.str_val(&r));
            }
            let b = self.unwrap_base(v);
            if !b.ptr_eq(v) && !spec.is_empty() {
                return self.format(&b, spec);
            }
            if spec.is_empty() {
                return self.to_str(v);
            }
            let tn = self.type_name(v);
            return Err(self.type_error(format!("unsupported format string passed to {tn}.__format__")));
        }
        if spec.is_empty() {
            return self.to_str(v);
        }
        let Some(sp) = parse_spec(spec) else {
            return Err(self.value_error("Invalid format specifier"));
        };
        self.check_spec_sizes(&sp)?;
        if let Some(s) = v.downcast_ref::<Str>() {
            if !matches!(sp.ty, None | Some('s')) {
                return Err(self.value_error(format!("Unknown format code '{}' for object of type 'str'", sp.ty.unwrap())));
            }
            if sp.sign.is_some() {
                return Err(self.value_error("Sign not allowed in string format specifier"));
            }
            let body: String = match sp.precision {
                Some(p) => s.s.chars().take(p).collect(),
                None => s.s.to_string(),
            };
            // Strings are never '='-aligned: the '0' flag pads on the right.
            let sp = Spec { align: sp.align.or(Some('<')), ..sp };
            return Ok(pad(&sp, "", &body, '<'));
        }
        if self.is_int_like(v) && !v.is::<Float>() {
            let b = self.as_bigint(v).unwrap();
            return match sp.ty {
                Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => {
                    let f = crate::ops::num::bigint_to_f64(&b);
                    self.format_float_spec(f, &sp)
                }
                _ => self.format_int(&b, &sp),
            };
        }
        if let Some(f) = v.downcast_ref::<Float>() {
            return self.format_float_spec(f.0, &sp);
        }
        let tn = self.type_name(v);
        Err(self.type_error(format!("unsupported format string passed to {tn}.__format__")))
    }

    fn format_int(&mut self, b: &BigInt, sp: &Spec) -> PyResult<String> {
        let neg = b.is_negative();
        let a = b.abs();
        let (digits, prefix) = match sp.ty {
            None | Some('d') | Some('n') => (a.to_string(), ""),
            Some('b') => (a.to_str_radix(2), "0b"),
            Some('o') => (a.to_str_radix(8), "0o"),
            Some('x') => (a.to_str_radix(16), "0x"),
            Some('X') => (a.to_str_radix(16).to_uppercase(), "0X"),
            Some('c') => {
                use num_traits::ToPrimitive;
                let c = b.to_u32().and_then(char::from_u32).ok_or_else(|| self.overflow_error("%c arg not in range(0x110000)"))?;
                return Ok(pad(sp, "", &c.to_string(), '<'));
            }
            Some(t) => return Err(self.value_error(format!("Unknown format code '{t}' for object of type 'int'"))),
        };
        if sp.precision.is_some() {
            return Err(self.value_error("Precision not allowed in integer format specifier"));
        }
        let sign = if neg { "-" } else { match sp.sign { Some('+') => "+", Some(' ') => " ", _ => "" } };
        let prefix = if sp.alt { prefix } else { "" };
        let every = if matches!(sp.ty, Some('b' | 'o' | 'x' | 'X')) { 4 } else { 3 };
        let signp = format!("{sign}{prefix}");
        if let Some(g) = sp.grouping {
            if (sp.zero && sp.align.is_none()) || sp.align == Some('=') && sp.fill == Some('0') {
                return Ok(grouped_zero_pad(sp, &signp, &digits, "", g, every));
            }
            let grouped = group_digits(&digits, g, every);
            return Ok(pad(sp, &signp, &grouped, '>'));
        }
        Ok(pad(sp, &signp, &digits, '>'))
    }

    fn format_float_spec(&mut self, x: f64, sp: &Spec) -> PyResult<String> {
        let neg = x.is_sign_negative() && !x.is_nan();
        let ax = x.abs();
        let body = match sp.ty {
            Some('f' | 'F' | 'e' | 'E' | 'g' | 'G') => format_float(ax, sp.precision.unwrap_or(6), sp.ty.unwrap(), sp.alt),
            Some('%') => format!("{}%", format_float(ax * 100.0, sp.precision.unwrap_or(6), 'f', sp.alt)),
            Some('n') => format_float(ax, sp.precision.unwrap_or(6), 'g', sp.alt),
            None => match sp.precision {
                // Like 'g', but fixed notation keeps a digit after the point, so it
                // switches to exponent notation one digit earlier (CPython's
                // Py_DTSF_ADD_DOT_0): format(1.5, '.1') is '2e+00'.
                Some(p) => format_float(ax, p, 'h', sp.alt),
                None => {
                    let r = float_repr(ax);
                    // '#' keeps the decimal point: format(1e16, '#') is '1.e+16'.
                    match r.find('e') {
                        Some(i) if sp.alt && !r[..i].contains('.') => format!("{}.{}", &r[..i], &r[i..]),
                        _ => r,
                    }
                }
            },
            Some(t) => return Err(self.value_error(format!("Unknown format code '{t}' for object of type 'float'"))),
        };
        let sign = if neg { "-" } else { match sp.sign { Some('+') => "+", Some(' ') => " ", _ => "" } };
        // Infinities and NaNs are padded but never grouped.
        if let Some(g) = sp.grouping.filter(|_| x.is_finite()) {
            let (intpart, rest) = match body.find(|c: char| !c.is_ascii_digit()) {
                Some(i) => (&body[..i], &body[i..]),
                None => (&body[..], ""),
            };
            if sp.zero && sp.align.is_none() {
                return Ok(grouped_zero_pad(sp, sign, intpart, rest, g, 3));
            }
            let grouped = format!("{}{}", group_digits(intpart, g, 3), rest);
            return Ok(pad(sp, sign, &grouped, '>'));
        }
        Ok(pad(sp, sign, &body, '>'))
    }

    /// `str % args`.
    pub fn percent_format(&mut self, fmt: &Value, args: &Value) -> PyResult<Value> {
        let f = fmt.downcast_ref::<Str>().unwrap().s.to_string();
        // A tuple subclass supplies the arguments like a tuple; other objects with
        // __getitem__ (a dict, a dict subclass, a mapping) serve %(name)s.
        let base = self.unwrap_base(args);
        let tuple_like = base.downcast_ref::<Tuple>().map(|t| t.0.to_vec());
        let mapping = if tuple_like.is_none() && (args.is::<Dict>() || args.is::<Instance>()) { Some(args.clone()) } else { None };
        let items: Vec<Value> = match tuple_like {
            Some(t) => t,
            None => vec![args.clone()],
        };
        let mut idx = 0;
        let mut out = String::new();
        let chars: Vec<char> = f.chars().collect();
        let mut i = 0;
        let next_arg = |vm: &mut Vm, idx: &mut usize| -> PyResult<Value> {
            if *idx >= items.len() {
                return Err(vm.type_error("not enough arguments for format string"));
            }
            *idx += 1;
            Ok(items[*idx - 1].clone())
        };
        while i < chars.len() {
            let c = chars[i];
            if c != '%' {
                out.push(c);
                i += 1;
                continue;
            }
            i += 1;
            if i >= chars.len() {
                return Err(self.value_error("incomplete format"));
            }
            let mut key: Option<String> = None;
            if chars[i] == '(' {
                let st = i + 1;
                let mut depth = 1;
                i += 1;
                while i < chars.len() && depth > 0 {
                    if chars[i] == '(' {
                        depth += 1;
                    } else if chars[i] == ')' {
                        depth -= 1;
                    }
                    i += 1;
                }
                if mapping.is_none() {
                    return Err(self.type_error("format requires a mapping"));
                }
                if depth > 0 {
                    // `'%(a' % d`: the key never closes.
                    return Err(self.value_error("incomplete format key"));
                }
                key = Some(chars[st..i - 1].iter().collect());
            }
            let mut sp = Spec::default();
            while i < chars.len() && matches!(chars[i], '-' | '+' | ' ' | '#' | '0') {
                match chars[i] {
                    '-' => sp.align = Some('<'),
                    '+' => sp.sign = Some('+'),
                    ' ' => {
                        if sp.sign.is_none() {
                            sp.sign = Some(' ')
                        }
                    }
                    '#' => sp.alt = true,
                    _ => sp.zero = true,
                }
                i += 1;
            }
            if i < chars.len() && chars[i] == '*' {
                let w = next_arg(self, &mut idx)?;
                let Some(w) = self.as_i64(&w).filter(|_| !w.is::<Float>()) else {
                    return Err(self.type_error("* wants int"));
                };
                // A negative '*' width means left-justified.
                if w < 0 {
                    sp.align = Some('<');
                }
                sp.width = Some(w.unsigned_abs() as usize);
                i += 1;
            } else {
                let st = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                if i > st {
                    sp.width = chars[st..i].iter().collect::<String>().parse().ok();
                }
            }
            if i < chars.len() && chars[i] == '.' {
                i += 1;
                if i < chars.len() && chars[i] == '*' {
                    // '%.*f': the precision comes from the arguments too.
                    let p = next_arg(self, &mut idx)?;
                    let Some(p) = self.as_i64(&p).filter(|_| !p.is::<Float>()) else {
                        return Err(self.type_error("* wants int"));
                    };
                    sp.precision = Some(p.max(0) as usize);
                    i += 1;
                } else {
                    let st = i;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                    sp.precision = Some(chars[st..i].iter().collect::<String>().parse().unwrap_or(0));
                }
            }
            while i < chars.len() && matches!(chars[i], 'h' | 'l' | 'L') {
                i += 1;
            }
            self.check_spec_sizes(&sp)?;
            if i >= chars.len() {
                return Err(self.value_error("incomplete format"));
            }
            let conv = chars[i];
            i += 1;
            if conv == '%' {
                out.push('%');
                continue;
            }
            let arg = match &key {
                Some(k) => {
                    let m = mapping.clone().ok_or_else(|| self.type_error("format requires a mapping"))?;
                    let kv = self.new_str(k.as_str());
                    self.getitem(&m, &kv)?
                }
                None => next_arg(self, &mut idx)?,
            };
            if sp.zero && sp.align == Some('<') {
                sp.zero = false;
            }
            let s = match conv {
                's' => {
                    let mut s = self.to_str(&arg)?;
                    if let Some(p) = sp.precision {
                        s = s.chars().take(p).collect();
                    }
                    sp.zero = false;
                    pad(&sp, "", &s, '>')
                }
                'r' | 'a' => {
                    let mut s = if conv == 'r' { self.repr(&arg)? } else { self.ascii(&arg)? };
                    if let Some(p) = sp.precision {
                        s = s.chars().take(p).collect();
                    }
                    sp.zero = false;
                    pad(&sp, "", &s, '>')
                }
                'd' | 'i' | 'u' => {
                    let b = match self.as_bigint(&arg) {
                        Some(b) => b,
                        None => match self.as_f64(&arg) {
                            Some(f) => BigInt::from(f.trunc() as i64),
                            None => {
                                let tn = self.type_name(&arg);
                                return Err(self.type_error(format!("%{conv} format: a real number is required, not {tn}")));
                            }
                        },
                    };
                    let p = sp.precision.take();
                    let mut digits = b.abs().to_string();
                    if let Some(p) = p {
                        while digits.len() < p {
                            digits.insert(0, '0');
                        }
                    }
                    let sign = if b.is_negative() { "-" } else { match sp.sign { Some('+') => "+", Some(' ') => " ", _ => "" } };
                    pad(&sp, sign, &digits, '>')
                }
                'x' | 'X' | 'o' => {
                    let Some(b) = self.as_bigint(&arg) else {
                        let tn = self.type_name(&arg);
                        return Err(self.type_error(format!("%{conv} format: an integer is required, not {tn}")));
                    };
                    let radix = if conv == 'o' { 8 } else { 16 };
                    let mut digits = b.abs().to_str_radix(radix);
                    if conv == 'X' {
                        digits = digits.to_uppercase();
                    }
                    let prefix = if sp.alt { match conv { 'x' => "0x", 'X' => "0X", _ => "0o" } } else { "" };
                    let sign = if b.is_negative() { "-" } else { match sp.sign { Some('+') => "+", Some(' ') => " ", _ => "" } };
                    pad(&sp, &format!("{sign}{prefix}"), &digits, '>')
                }
                'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                    let Some(x) = self.as_f64(&arg) else {
                        let tn = self.type_name(&arg);
                        return Err(self.type_error(format!("must be real number, not {tn}")));
                    };
                    let body = format_float(x.abs(), sp.precision.unwrap_or(6), conv, sp.alt);
                    let sign = if x.is_sign_negative() && !x.is_nan() { "-" } else { match sp.sign { Some('+') => "+", Some(' ') => " ", _ => "" } };
                    pad(&sp, sign, &body, '>')
                }
                'c' => {
                    let s = if let Some(s) = arg.downcast_ref::<Str>() {
                        s.s.to_string()
                    } else {
                        let n = self.as_i64(&arg).unwrap_or(0);
                        char::from_u32(n as u32).map(|c| c.to_string()).unwrap_or_default()
                    };
                    pad(&sp, "", &s, '>')
                }
                _ => {
                    return Err(self.value_error(format!(
                        "unsupported format character '{conv}' (0x{:x}) at index {}",
                        conv as u32,
                        i - 1
                    )))
                }
            };
            out.push_str(&s);
        }
        if key_free(&f) && idx < items.len() && mapping.is_none() {
            return Err(self.type_error("not all arguments converted during string formatting"));
        }
        Ok(self.new_str(out))
    }
}

fn key_free(f: &str) -> bool {
    !f.contains("%(")
}
