//! The `math` module: every function and constant of CPython 3.11's, with its error
//! rules (`math domain error` as ValueError, `math range error` as OverflowError),
//! exact integer functions over big ints, Shewchuk's exactly rounded `fsum`, and
//! logarithms of ints too large for a float. `gamma` and `lgamma` follow CPython's own
//! Lanczos computation; `erf`, `erfc`, `cbrt`, `nextafter`, `remainder` come from the
//! `libm` crate (a port of musl's libm; within an ulp of glibc's, which CPython uses).

use crate::objects::{Float, Instance, Str};
use crate::vm::{PyResult, Vm};
use num_bigint::{BigInt, Sign};
use num_traits::{One, Signed, ToPrimitive, Zero};
use pyvm_gc::Value;

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = vm.new_module("math");
    for (name, v) in [
        ("pi", std::f64::consts::PI),
        ("e", std::f64::consts::E),
        ("tau", std::f64::consts::TAU),
        ("inf", f64::INFINITY),
        ("nan", f64::NAN),
    ] {
        let f = vm.new_float(v);
        vm.module_add(&m, name, f);
    }
    let fns: &[(&'static str, crate::vm::NativeFn)] = &[
        ("sqrt", sqrt), ("exp", exp), ("exp2", exp2), ("expm1", expm1), ("log", log), ("log2", log2),
        ("log10", log10), ("log1p", log1p), ("sin", sin), ("cos", cos), ("tan", tan), ("asin", asin),
        ("acos", acos), ("atan", atan), ("atan2", atan2), ("sinh", sinh), ("cosh", cosh), ("tanh", tanh),
        ("asinh", asinh), ("acosh", acosh), ("atanh", atanh), ("cbrt", cbrt), ("fabs", fabs),
        ("degrees", degrees), ("radians", radians), ("erf", erf), ("erfc", erfc), ("gamma", gamma),
        ("lgamma", lgamma), ("floor", floor), ("ceil", ceil), ("trunc", trunc), ("isnan", isnan),
        ("isinf", isinf), ("isfinite", isfinite), ("isclose", isclose), ("fsum", fsum), ("gcd", gcd),
        ("lcm", lcm), ("factorial", factorial), ("comb", comb), ("perm", perm), ("isqrt", isqrt),
        ("hypot", hypot), ("dist", dist), ("pow", pow), ("copysign", copysign), ("fmod", fmod),
        ("remainder", remainder), ("modf", modf), ("frexp", frexp), ("ldexp", ldexp),
        ("nextafter", nextafter), ("ulp", ulp), ("prod", prod),
    ];
    for (name, f) in fns {
        vm.module_add_fn(&m, name, *f);
    }
    Ok(m)
}

fn domain_error(vm: &mut Vm) -> crate::vm::PyErr {
    vm.value_error("math domain error")
}
fn range_error(vm: &mut Vm) -> crate::vm::PyErr {
    vm.overflow_error("math range error")
}

/// A real-number argument: int, float, or an object with `__float__`/`__index__`
/// (never a string, unlike `float()`).
fn real(vm: &mut Vm, v: &Value) -> PyResult<f64> {
    if let Some(f) = v.downcast_ref::<Float>() {
        return Ok(f.0);
    }
    if v.is::<Str>() || v.is::<crate::objects::Bytes>() || (vm.as_f64(v).is_none() && !v.is::<Instance>()) {
        let tn = vm.type_name(v);
        return Err(vm.type_error(format!("must be real number, not {tn}")));
    }
    if v.is::<Instance>() {
        let ty = vm.type_of(v);
        let has = |vm: &mut Vm, n: &'static str| {
            let k = vm.intern_static(n);
            vm.lookup_mro(&ty, &k).is_some()
        };
        if !has(vm, "__float__") && !has(vm, "__index__") && vm.unwrap_base(v).ptr_eq(v) {
            let tn = vm.type_name(v);
            return Err(vm.type_error(format!("must be real number, not {tn}")));
        }
    }
    vm.to_float(v)
}

/// An integer argument (`__index__` honoured, floats refused).
fn integer(vm: &mut Vm, v: &Value) -> PyResult<BigInt> {
    if !v.is::<Float>() {
        if let Some(b) = vm.as_bigint(v) {
            return Ok(b);
        }
        if v.is::<Instance>() {
            if let Some(r) = vm.call_special(v, "__index__", &[])? {
                if let Some(b) = vm.as_bigint(&r) {
                    return Ok(b);
                }
            }
        }
    }
    let tn = vm.type_name(v);
    Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
}

fn one_arg<'a>(vm: &mut Vm, name: &str, args: &'a [Value]) -> PyResult<&'a Value> {
    vm.check_nargs(name, args, 1, 1)?;
    Ok(&args[0])
}

/// CPython's `math_1`: NaN from a non-NaN is a domain error; an infinity from a finite
/// argument is a range error when the function can overflow, else a domain error.
fn math_1(vm: &mut Vm, args: &[Value], name: &str, f: fn(f64) -> f64, can_overflow: bool) -> PyResult<Value> {
    let v = one_arg(vm, name, args)?.clone();
    let x = real(vm, &v)?;
    let r = f(x);
    if r.is_nan() && !x.is_nan() {
        return Err(domain_error(vm));
    }
    if r.is_infinite() && x.is_finite() {
        return Err(if can_overflow { range_error(vm) } else { domain_error(vm) });
    }
    Ok(vm.new_float(r))
}

macro_rules! unary {
    ($($name:ident => $f:expr, $overflow:expr;)*) => {
        $(fn $name(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
            math_1(vm, args, stringify!($name), $f, $overflow)
        })*
    };
}

unary! {
    sqrt => |x| if x < 0.0 { f64::NAN } else { x.sqrt() }, false;
    exp => f64::exp, true;
    exp2 => f64::exp2, true;
    expm1 => f64::exp_m1, true;
    sin => |x| if x.is_infinite() { f64::NAN } else { x.sin() }, false;
    cos => |x| if x.is_infinite() { f64::NAN } else { x.cos() }, false;
    tan => |x| if x.is_infinite() { f64::NAN } else { x.tan() }, false;
    asin => |x| if (-1.0..=1.0).contains(&x) { x.asin() } else { f64::NAN }, false;
    acos => |x| if (-1.0..=1.0).contains(&x) { x.acos() } else { f64::NAN }, false;
    atan => f64::atan, false;
    sinh => f64::sinh, true;
    cosh => f64::cosh, true;
    tanh => f64::tanh, false;
    asinh => f64::asinh, false;
    acosh => |x| if x < 1.0 { f64::NAN } else { x.acosh() }, false;
    atanh => |x| if x.abs() >= 1.0 { if x.abs() == 1.0 { f64::INFINITY } else { f64::NAN } } else { x.atanh() }, false;
    cbrt => libm::cbrt, false;
    fabs => f64::abs, false;
    degrees => f64::to_degrees, false;
    radians => f64::to_radians, false;
    erf => libm::erf, false;
    erfc => libm::erfc, false;
}

// gamma and lgamma as CPython computes them (not the platform's libm): a Lanczos
// approximation with g = 6.02468..., N = 13, the reflection formula for negative
// arguments, and exact values at small integers.
const LANCZOS_G: f64 = 6.024680040776729583740234375;
const LANCZOS_G_MINUS_HALF: f64 = 5.524680040776729583740234375;
#[allow(clippy::excessive_precision)]
const LANCZOS_NUM: [f64; 13] = [
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
];
/// The denominator x*(x+1)*...*(x+11) as a polynomial.
const LANCZOS_DEN: [f64; 13] = [
    0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0, 2637558.0, 357423.0,
    32670.0, 1925.0, 66.0, 1.0,
];
#[allow(clippy::excessive_precision)]
const LOG_PI: f64 = 1.144729885849400174143427351353058711647;

fn lanczos_sum(x: f64) -> f64 {
    let (mut num, mut den) = (0.0f64, 0.0f64);
    // Horner in x for small x, in 1/x for large x, to avoid overflow.
    if x < 5.0 {
        for i in (0..13).rev() {
            num = num * x + LANCZOS_NUM[i];
            den = den * x + LANCZOS_DEN[i];
        }
    } else {
        for i in 0..13 {
            num = num / x + LANCZOS_NUM[i];
            den = den / x + LANCZOS_DEN[i];
        }
    }
    num / den
}

/// sin(pi * x), accurate for large x (the argument is reduced first).
fn sinpi(x: f64) -> f64 {
    use std::f64::consts::PI;
    let y = x.abs() % 2.0;
    let r = match (2.0 * y).round() as i64 {
        0 => (PI * y).sin(),
        1 => (PI * (y - 0.5)).cos(),
        2 => (PI * (1.0 - y)).sin(),
        3 => -(PI * (y - 1.5)).cos(),
        _ => (PI * (y - 2.0)).sin(),
    };
    1.0f64.copysign(x) * r
}

/// Gamma for finite x that is not a non-positive integer (the caller checks).
fn tgamma(x: f64) -> f64 {
    let absx = x.abs();
    if absx < 1e-20 {
        return 1.0 / x;
    }
    if absx > 200.0 {
        return if x < 0.0 { 0.0 / sinpi(x) } else { f64::INFINITY };
    }
    let y = absx + LANCZOS_G_MINUS_HALF;
    // z is the error in computing y, scaled (see CPython's mathmodule.c).
    let z = if absx > LANCZOS_G_MINUS_HALF {
        let q = y - absx;
        q - LANCZOS_G_MINUS_HALF
    } else {
        let q = y - LANCZOS_G_MINUS_HALF;
        q - absx
    };
    let z = z * LANCZOS_G / y;
    let mut r;
    if x < 0.0 {
        r = -std::f64::consts::PI / sinpi(absx) / absx * y.exp() / lanczos_sum(absx);
        r -= z * r;
        if absx < 140.0 {
            r /= y.powf(absx - 0.5);
        } else {
            let sqrtpow = y.powf(absx / 2.0 - 0.25);
            r /= sqrtpow;
            r /= sqrtpow;
        }
    } else {
        r = lanczos_sum(absx) / y.exp();
        r += z * r;
        if absx < 140.0 {
            r *= y.powf(absx - 0.5);
        } else {
            let sqrtpow = y.powf(absx / 2.0 - 0.25);
            r *= sqrtpow;
            r *= sqrtpow;
        }
    }
    r
}

/// log|Gamma(x)| for finite x that is not a non-positive integer.
fn lgamma_of(x: f64) -> f64 {
    let absx = x.abs();
    if absx < 1e-20 {
        return -absx.ln();
    }
    let mut r = lanczos_sum(absx).ln() - LANCZOS_G;
    r += (absx - 0.5) * ((absx + LANCZOS_G - 0.5).ln() - 1.0);
    if x < 0.0 {
        r = LOG_PI - sinpi(absx).abs().ln() - absx.ln() - r;
    }
    r
}

fn gamma(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let v = one_arg(vm, "gamma", args)?.clone();
    let x = real(vm, &v)?;
    if x.is_nan() || x == f64::INFINITY {
        return Ok(vm.new_float(x));
    }
    if x == f64::NEG_INFINITY || (x <= 0.0 && x == x.floor()) {
        return Err(domain_error(vm));
    }
    // Small integers: exact factorials, as CPython's table gives.
    if x == x.floor() && x <= 23.0 {
        let mut r = 1.0f64;
        for i in 2..(x as i64) {
            r *= i as f64;
        }
        return Ok(vm.new_float(r));
    }
    let r = tgamma(x);
    if r.is_infinite() {
        return Err(range_error(vm));
    }
    Ok(vm.new_float(r))
}

fn lgamma(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let v = one_arg(vm, "lgamma", args)?.clone();
    let x = real(vm, &v)?;
    if x.is_nan() {
        return Ok(vm.new_float(x));
    }
    if x.is_infinite() {
        return Ok(vm.new_float(f64::INFINITY));
    }
    if x <= 0.0 && x == x.floor() {
        return Err(domain_error(vm));
    }
    // lgamma(1) and lgamma(2) are exactly 0.
    if x == 1.0 || x == 2.0 {
        return Ok(vm.new_float(0.0));
    }
    let r = lgamma_of(x);
    if r.is_infinite() {
        return Err(range_error(vm));
    }
    Ok(vm.new_float(r))
}

/// `func(x)` for a float or an int of any size: an int too large for a float is
/// split as m * 2**e (CPython's `loghelper`).
fn log_of(vm: &mut Vm, v: &Value, func: fn(f64) -> f64) -> PyResult<f64> {
    if !v.is::<Float>() {
        if let Some(n) = vm.as_bigint(v) {
            if n.sign() != Sign::Plus {
                return Err(domain_error(vm));
            }
            if let Some(f) = n.to_f64().filter(|f| f.is_finite()) {
                return Ok(func(f));
            }
            let bits = n.bits();
            let shift = bits.saturating_sub(63);
            let top = (&n >> shift).to_f64().unwrap_or(0.0);
            // n = top * 2**shift, with top < 2**63.
            return Ok(func(top) + func(2.0) * shift as f64);
        }
    }
    let x = real(vm, v)?;
    if x.is_nan() {
        return Ok(x);
    }
    if x <= 0.0 {
        return Err(domain_error(vm));
    }
    Ok(func(x))
}

fn log(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("log", args, 1, 2)?;
    let num = log_of(vm, &args[0], f64::ln)?;
    let Some(base) = args.get(1) else { return Ok(vm.new_float(num)) };
    let den = log_of(vm, base, f64::ln)?;
    if den == 0.0 {
        return Err(vm.new_exception("ZeroDivisionError", "float division by zero"));
    }
    Ok(vm.new_float(num / den))
}
fn log2(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let v = one_arg(vm, "log2", args)?.clone();
    let r = log_of(vm, &v, f64::log2)?;
    Ok(vm.new_float(r))
}
fn log10(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let v = one_arg(vm, "log10", args)?.clone();
    let r = log_of(vm, &v, f64::log10)?;
    Ok(vm.new_float(r))
}
fn log1p(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    math_1(vm, args, "log1p", |x| if x <= -1.0 { if x == -1.0 { f64::NEG_INFINITY } else { f64::NAN } } else { x.ln_1p() }, false)
}

fn two_reals(vm: &mut Vm, name: &str, args: &[Value]) -> PyResult<(f64, f64)> {
    vm.check_nargs(name, args, 2, 2)?;
    let (a, b) = (args[0].clone(), args[1].clone());
    Ok((real(vm, &a)?, real(vm, &b)?))
}

fn atan2(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (y, x) = two_reals(vm, "atan2", args)?;
    Ok(vm.new_float(y.atan2(x)))
}
fn copysign(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (x, y) = two_reals(vm, "copysign", args)?;
    Ok(vm.new_float(x.copysign(y)))
}
fn fmod(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (x, y) = two_reals(vm, "fmod", args)?;
    if y.is_infinite() && x.is_finite() {
        return Ok(vm.new_float(x));
    }
    let r = x % y;
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(domain_error(vm));
    }
    Ok(vm.new_float(r))
}
fn remainder(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (x, y) = two_reals(vm, "remainder", args)?;
    if x.is_nan() || y.is_nan() {
        return Ok(vm.new_float(f64::NAN));
    }
    if x.is_infinite() || y == 0.0 {
        return Err(domain_error(vm));
    }
    if y.is_infinite() {
        return Ok(vm.new_float(x));
    }
    Ok(vm.new_float(libm::remainder(x, y)))
}
fn pow(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (x, y) = two_reals(vm, "pow", args)?;
    // C99 Annex F: pow(x, 0) and pow(1, y) are 1 even for NaN.
    if y == 0.0 || x == 1.0 {
        return Ok(vm.new_float(1.0));
    }
    let r = x.powf(y);
    if x.is_finite() && y.is_finite() {
        if r.is_nan() {
            return Err(domain_error(vm));
        }
        if r.is_infinite() {
            return Err(if x == 0.0 { domain_error(vm) } else { range_error(vm) });
        }
    }
    Ok(vm.new_float(r))
}
fn nextafter(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (x, y) = two_reals(vm, "nextafter", args)?;
    Ok(vm.new_float(libm::nextafter(x, y)))
}
fn ulp(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let v = one_arg(vm, "ulp", args)?.clone();
    let x = real(vm, &v)?.abs();
    if x.is_nan() || x.is_infinite() {
        return Ok(vm.new_float(x));
    }
    let up = libm::nextafter(x, f64::INFINITY);
    let r = if up.is_infinite() { x - libm::nextafter(x, 0.0) } else { up - x };
    Ok(vm.new_float(r))
}
fn modf(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let v = one_arg(vm, "modf", args)?.clone();
    let x = real(vm, &v)?;
    let (frac, int) = if x.is_infinite() { (0.0f64.copysign(x), x) } else { ((x - x.trunc()).copysign(x), x.trunc()) };
    let v = vec![vm.new_float(frac), vm.new_float(int)];
    Ok(vm.new_tuple(v))
}
fn frexp(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let v = one_arg(vm, "frexp", args)?.clone();
    let x = real(vm, &v)?;
    let (m, e) = libm::frexp(x);
    let v = vec![vm.new_float(m), vm.new_int(e as i64)];
    Ok(vm.new_tuple(v))
}
fn ldexp(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("ldexp", args, 2, 2)?;
    let xv = args[0].clone();
    let x = real(vm, &xv)?;
    if args[1].is::<Float>() {
        return Err(vm.type_error("Expected an int as second argument to ldexp."));
    }
    let e = integer(vm, &args[1])?;
    if x == 0.0 || !x.is_finite() {
        return Ok(vm.new_float(x));
    }
    let e = e.to_i64().unwrap_or(if e.is_negative() { i64::MIN } else { i64::MAX }).clamp(-100_000, 100_000) as i32;
    let r = libm::scalbn(x, e);
    if r.is_infinite() {
        return Err(range_error(vm));
    }
    Ok(vm.new_float(r))
}

/// `floor`/`ceil`/`trunc` call `__floor__`/`__ceil__`/`__trunc__` of other objects (a
/// Fraction, say), as CPython does; ints come back exactly.
fn rounding(vm: &mut Vm, args: &[Value], fname: &str, dunder: &'static str, f: fn(f64) -> f64) -> PyResult<Value> {
    vm.check_nargs(fname, args, 1, 1)?;
    let v = &args[0];
    if v.is::<Instance>() {
        let ty = vm.type_of(v);
        let name = vm.intern_static(dunder);
        if let Some(m) = vm.lookup_mro(&ty, &name) {
            return vm.call_method_value(&m, v, &[]);
        }
    }
    if vm.is_int_like(v) && !v.is::<Float>() {
        return vm.to_int(v);
    }
    if dunder == "__trunc__" && !v.is::<Float>() && vm.as_f64(v).is_none() {
        let tn = vm.type_name(v);
        return Err(vm.type_error(format!("type {tn} doesn't define __trunc__ method")));
    }
    let v = v.clone();
    let x = real(vm, &v)?;
    vm.float_to_int(f(x))
}
fn floor(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    rounding(vm, args, "floor", "__floor__", f64::floor)
}
fn ceil(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    rounding(vm, args, "ceil", "__ceil__", f64::ceil)
}
fn trunc(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    rounding(vm, args, "trunc", "__trunc__", f64::trunc)
}

fn classify(vm: &mut Vm, args: &[Value], name: &str, f: fn(f64) -> bool) -> PyResult<Value> {
    let v = one_arg(vm, name, args)?.clone();
    let x = real(vm, &v)?;
    Ok(vm.new_bool(f(x)))
}
fn isnan(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    classify(vm, args, "isnan", f64::is_nan)
}
fn isinf(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    classify(vm, args, "isinf", f64::is_infinite)
}
fn isfinite(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    classify(vm, args, "isfinite", f64::is_finite)
}
fn isclose(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("isclose", args, kw, &["a", "b", "rel_tol", "abs_tol"], 2)?;
    let x = real(vm, a[0].as_ref().expect("required"))?;
    let y = real(vm, a[1].as_ref().expect("required"))?;
    let rel = match &a[2] {
        Some(v) => real(vm, v)?,
        None => 1e-9,
    };
    let abs = match &a[3] {
        Some(v) => real(vm, v)?,
        None => 0.0,
    };
    if rel < 0.0 || abs < 0.0 {
        return Err(vm.value_error("tolerances must be non-negative"));
    }
    if x == y {
        return Ok(vm.true_.clone());
    }
    if x.is_infinite() || y.is_infinite() {
        return Ok(vm.false_.clone());
    }
    let d = (x - y).abs();
    let r = d <= (rel * y).abs() || d <= (rel * x).abs() || d <= abs;
    Ok(vm.new_bool(r))
}

/// Exactly rounded sum (Shewchuk's algorithm with CPython's handling of infinities,
/// NaNs and intermediate overflow).
fn fsum(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("fsum", args, 1, 1)?;
    let items = vm.to_vec(&args[0])?;
    let mut partials: Vec<f64> = Vec::new();
    let (mut special_sum, mut inf_sum) = (0.0f64, 0.0f64);
    for it in items {
        let mut x = real(vm, &it)?;
        let xsave = x;
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        partials.truncate(i);
        if x != 0.0 {
            if !x.is_finite() {
                if xsave.is_finite() {
                    return Err(vm.overflow_error("intermediate overflow in fsum"));
                }
                if xsave.is_infinite() {
                    inf_sum += xsave;
                }
                special_sum += xsave;
                partials.clear();
            } else {
                partials.push(x);
            }
        }
    }
    if special_sum != 0.0 {
        if inf_sum.is_nan() {
            return Err(vm.value_error("-inf + inf in fsum"));
        }
        return Ok(vm.new_float(special_sum));
    }
    let mut n = partials.len();
    let mut hi = 0.0f64;
    if n > 0 {
        n -= 1;
        hi = partials[n];
        let mut lo = 0.0f64;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = partials[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // Round half to even across the remaining partials.
        if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(vm.new_float(hi))
}

fn gcd(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    use num_integer::Integer;
    let mut acc = BigInt::zero();
    for a in args {
        let b = integer(vm, a)?;
        acc = acc.gcd(&b);
    }
    Ok(vm.new_bigint(acc))
}
fn lcm(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    use num_integer::Integer;
    let mut acc = BigInt::one();
    for a in args {
        let b = integer(vm, a)?;
        acc = acc.lcm(&b);
    }
    Ok(vm.new_bigint(acc))
}
fn factorial(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let v = one_arg(vm, "factorial", args)?.clone();
    let n = integer(vm, &v)?;
    if n.is_negative() {
        return Err(vm.value_error("factorial() not defined for negative values"));
    }
    let Some(n) = n.to_u64().filter(|n| *n <= 1_000_000) else {
        return Err(vm.overflow_error("factorial() argument should not exceed 9223372036854775807"));
    };
    let mut acc = BigInt::one();
    for i in 2..=n {
        acc *= i;
    }
    Ok(vm.new_bigint(acc))
}
/// n! / (n-k)! for 0 <= k <= n.
fn falling(n: &BigInt, k: u64) -> BigInt {
    let mut acc = BigInt::one();
    let mut f = n.clone();
    for _ in 0..k {
        acc *= &f;
        f -= 1;
    }
    acc
}
fn nonnegative(vm: &mut Vm, v: &Value, what: &str) -> PyResult<BigInt> {
    let n = integer(vm, v)?;
    if n.is_negative() {
        return Err(vm.value_error(format!("{what} must be a non-negative integer")));
    }
    Ok(n)
}
fn comb(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("comb", args, 2, 2)?;
    let n = nonnegative(vm, &args[0], "n")?;
    let k = nonnegative(vm, &args[1], "k")?;
    if k > n {
        return Ok(vm.new_int(0));
    }
    let k = std::cmp::min(k.clone(), &n - &k);
    let Some(k) = k.to_u64() else { return Err(vm.overflow_error("min(n - k, k) must not exceed 9223372036854775807")) };
    let mut acc = BigInt::one();
    for i in 0..k {
        acc = acc * (&n - i) / (i + 1);
    }
    Ok(vm.new_bigint(acc))
}
fn perm(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("perm", args, 1, 2)?;
    let n = nonnegative(vm, &args[0], "n")?;
    let k = match args.get(1).filter(|k| !vm.is_none(k)) {
        Some(k) => nonnegative(vm, k, "k")?,
        None => n.clone(),
    };
    if k > n {
        return Ok(vm.new_int(0));
    }
    let Some(k) = k.to_u64() else { return Err(vm.overflow_error("k must not exceed 9223372036854775807")) };
    Ok(vm.new_bigint(falling(&n, k)))
}
fn isqrt(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let v = one_arg(vm, "isqrt", args)?.clone();
    let n = integer(vm, &v)?;
    if n.is_negative() {
        return Err(vm.value_error("isqrt() argument must be nonnegative"));
    }
    Ok(vm.new_bigint(n.sqrt()))
}

/// The Euclidean norm of `v`, to within an ulp (CPython 3.11's `vector_norm`: scale by
/// a power of two, sum the squares with compensation, one Newton correction).
fn vector_norm(v: &[f64]) -> f64 {
    let max = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if max.is_infinite() {
        return max;
    }
    if v.iter().any(|x| x.is_nan()) {
        return f64::NAN;
    }
    if max == 0.0 || v.len() <= 1 {
        return max;
    }
    let (_, max_e) = libm::frexp(max);
    let scale = libm::scalbn(1.0, -max_e);
    let (mut csum, mut frac1, mut frac2) = (1.0f64, 0.0f64, 0.0f64);
    for &x in v {
        let x = x.abs() * scale;
        let hi = x * x;
        let lo = x.mul_add(x, -hi);
        let sum = csum + hi;
        frac1 += (csum - sum) + hi;
        csum = sum;
        frac2 += lo;
    }
    let mut h = (csum - 1.0 + (frac1 + frac2)).sqrt();
    let hi = -h * h;
    let lo = (-h).mul_add(h, -hi);
    let sum = csum + hi;
    frac1 += (csum - sum) + hi;
    csum = sum;
    frac2 += lo;
    let x = csum - 1.0 + (frac1 + frac2);
    h += x / (2.0 * h);
    h / scale
}
fn hypot(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let mut xs = Vec::with_capacity(args.len());
    for a in args {
        xs.push(real(vm, a)?);
    }
    Ok(vm.new_float(vector_norm(&xs)))
}
fn dist(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("dist", args, 2, 2)?;
    let p = vm.to_vec(&args[0])?;
    let q = vm.to_vec(&args[1])?;
    if p.len() != q.len() {
        return Err(vm.value_error("both points must have the same number of dimensions"));
    }
    let mut d = Vec::with_capacity(p.len());
    for (a, b) in p.iter().zip(q.iter()) {
        d.push(real(vm, a)? - real(vm, b)?);
    }
    Ok(vm.new_float(vector_norm(&d)))
}
fn prod(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("prod", args, kw, &["iterable", "start"], 1)?;
    let mut acc = a[1].clone().unwrap_or_else(|| vm.new_int(1));
    for v in vm.to_vec(a[0].as_ref().expect("required"))? {
        acc = vm.binary_op(&acc, &v, pyvm_compiler::ast::BinOp::Mult)?;
    }
    Ok(acc)
}
