//! The `math` module (the common functions) and a minimal `time`.

use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = vm.new_module("math");
    let pi = vm.new_float(std::f64::consts::PI);
    vm.module_add(&m, "pi", pi);
    let e = vm.new_float(std::f64::consts::E);
    vm.module_add(&m, "e", e);
    let tau = vm.new_float(std::f64::consts::TAU);
    vm.module_add(&m, "tau", tau);
    let inf = vm.new_float(f64::INFINITY);
    vm.module_add(&m, "inf", inf);
    let nan = vm.new_float(f64::NAN);
    vm.module_add(&m, "nan", nan);
    vm.module_add_fn(&m, "sqrt", sqrt);
    vm.module_add_fn(&m, "floor", floor);
    vm.module_add_fn(&m, "ceil", ceil);
    vm.module_add_fn(&m, "sin", sin);
    vm.module_add_fn(&m, "cos", cos);
    vm.module_add_fn(&m, "tan", tan);
    vm.module_add_fn(&m, "atan", atan);
    vm.module_add_fn(&m, "atan2", atan2);
    vm.module_add_fn(&m, "exp", exp);
    vm.module_add_fn(&m, "log", log);
    vm.module_add_fn(&m, "log2", log2);
    vm.module_add_fn(&m, "log10", log10);
    vm.module_add_fn(&m, "fabs", fabs);
    vm.module_add_fn(&m, "isnan", isnan);
    vm.module_add_fn(&m, "isinf", isinf);
    vm.module_add_fn(&m, "isfinite", isfinite);
    vm.module_add_fn(&m, "gcd", gcd);
    vm.module_add_fn(&m, "factorial", factorial);
    vm.module_add_fn(&m, "hypot", hypot);
    vm.module_add_fn(&m, "pow", pow);
    vm.module_add_fn(&m, "trunc", trunc);
    vm.module_add_fn(&m, "isclose", isclose);
    vm.module_add_fn(&m, "fsum", fsum);
    vm.module_add_fn(&m, "comb", comb);
    vm.module_add_fn(&m, "perm", perm);
    vm.module_add_fn(&m, "lcm", lcm);
    vm.module_add_fn(&m, "isqrt", isqrt);
    vm.module_add_fn(&m, "copysign", copysign);
    vm.module_add_fn(&m, "prod", prod);
    vm.module_add_fn(&m, "dist", dist);
    vm.module_add_fn(&m, "degrees", degrees);
    vm.module_add_fn(&m, "radians", radians);
    vm.module_add_fn(&m, "asin", asin);
    vm.module_add_fn(&m, "acos", acos);
    vm.module_add_fn(&m, "sinh", sinh);
    vm.module_add_fn(&m, "cosh", cosh);
    vm.module_add_fn(&m, "tanh", tanh);
    vm.module_add_fn(&m, "log1p", log1p);
    vm.module_add_fn(&m, "expm1", expm1);
    vm.module_add_fn(&m, "modf", modf);
    vm.module_add_fn(&m, "fmod", fmod);
    Ok(m)
}

fn arg_f(vm: &mut Vm, args: &[Value], i: usize) -> PyResult<f64> {
    match args.get(i) {
        Some(v) => vm.to_float(v),
        None => Err(vm.type_error("math function missing argument")),
    }
}
macro_rules! unary {
    ($name:ident, $f:expr) => {
        fn $name(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
            vm.check_nargs(stringify!($name), args, 1, 1)?;
            let x = arg_f(vm, args, 0)?;
            let f: fn(f64) -> f64 = $f;
            let r = f(x);
            if r.is_nan() && !x.is_nan() {
                return Err(vm.value_error("math domain error"));
            }
            Ok(vm.new_float(r))
        }
    };
}
unary!(sqrt, |x| if x < 0.0 { f64::NAN } else { x.sqrt() });
unary!(sin, f64::sin);
unary!(cos, f64::cos);
unary!(tan, f64::tan);
unary!(atan, f64::atan);
unary!(exp, f64::exp);
unary!(log2, |x| if x <= 0.0 { f64::NAN } else { x.log2() });
unary!(log10, |x| if x <= 0.0 { f64::NAN } else { x.log10() });
unary!(fabs, f64::abs);
unary!(degrees, f64::to_degrees);
unary!(radians, f64::to_radians);
unary!(asin, |x| if (-1.0..=1.0).contains(&x) { x.asin() } else { f64::NAN });
unary!(acos, |x| if (-1.0..=1.0).contains(&x) { x.acos() } else { f64::NAN });
unary!(sinh, f64::sinh);
unary!(cosh, f64::cosh);
unary!(tanh, f64::tanh);
unary!(log1p, |x| if x <= -1.0 { f64::NAN } else { x.ln_1p() });
unary!(expm1, f64::exp_m1);

fn copysign(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (x, y) = (arg_f(vm, args, 0)?, arg_f(vm, args, 1)?);
    Ok(vm.new_float(x.copysign(y)))
}
fn fmod(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (x, y) = (arg_f(vm, args, 0)?, arg_f(vm, args, 1)?);
    if y == 0.0 {
        return Err(vm.value_error("math domain error"));
    }
    Ok(vm.new_float(x % y))
}
fn modf(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let x = arg_f(vm, args, 0)?;
    let v = vec![vm.new_float(x.fract()), vm.new_float(x.trunc())];
    Ok(vm.new_tuple(v))
}
fn prod(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("prod", args, kw, &["iterable", "start"], 1)?;
    let mut acc = a[1].clone().unwrap_or_else(|| vm.new_int(1));
    for v in vm.to_vec(a[0].as_ref().unwrap())? {
        acc = vm.binary_op(&acc, &v, pyvm_compiler::ast::BinOp::Mult)?;
    }
    Ok(acc)
}
fn dist(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let p = vm.to_vec(&args[0])?;
    let q = vm.to_vec(&args[1])?;
    if p.len() != q.len() {
        return Err(vm.value_error("both points must have the same number of dimensions"));
    }
    let mut acc = 0.0f64;
    for (a, b) in p.iter().zip(q.iter()) {
        let d = vm.to_float(a)? - vm.to_float(b)?;
        acc = acc.hypot(d);
    }
    Ok(vm.new_float(acc))
}
fn isqrt(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let n = vm.as_bigint(&args[0]).ok_or_else(|| vm.type_error("'float' object cannot be interpreted as an integer"))?;
    if n.sign() == num_bigint::Sign::Minus {
        return Err(vm.value_error("isqrt() argument must be nonnegative"));
    }
    Ok(vm.new_bigint(n.sqrt()))
}
fn lcm(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    use num_integer::Integer;
    let mut acc = num_bigint::BigInt::from(1);
    for a in args {
        let b = vm.as_bigint(a).ok_or_else(|| vm.type_error("'float' object cannot be interpreted as an integer"))?;
        acc = acc.lcm(&b);
    }
    Ok(vm.new_bigint(acc))
}
fn perm(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let n = vm.as_i64(&args[0]).unwrap_or(0);
    let k = match args.get(1) {
        Some(v) => vm.as_i64(v).unwrap_or(0),
        None => n,
    };
    if k < 0 || n < 0 {
        return Err(vm.value_error("n must be a non-negative integer"));
    }
    if k > n {
        return Ok(vm.new_int(0));
    }
    let mut acc = num_bigint::BigInt::from(1);
    for i in 0..k {
        acc *= n - i;
    }
    Ok(vm.new_bigint(acc))
}

fn log(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let x = arg_f(vm, args, 0)?;
    if x <= 0.0 {
        return Err(vm.value_error("math domain error"));
    }
    let r = match args.get(1) {
        Some(b) => {
            let b = vm.to_float(b)?;
            x.ln() / b.ln()
        }
        None => x.ln(),
    };
    Ok(vm.new_float(r))
}
fn atan2(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (y, x) = (arg_f(vm, args, 0)?, arg_f(vm, args, 1)?);
    Ok(vm.new_float(y.atan2(x)))
}
fn hypot(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let mut acc = 0.0f64;
    for i in 0..args.len() {
        let x = arg_f(vm, args, i)?;
        acc = acc.hypot(x);
    }
    Ok(vm.new_float(acc))
}
fn pow(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let (x, y) = (arg_f(vm, args, 0)?, arg_f(vm, args, 1)?);
    Ok(vm.new_float(x.powf(y)))
}
/// `math.floor/ceil/trunc` of an object with `__floor__`/`__ceil__`/`__trunc__` (a
/// Fraction, say) call it, as CPython does; ints are returned exactly.
fn rounding(vm: &mut Vm, args: &[Value], fname: &str, dunder: &str, f: fn(f64) -> f64) -> PyResult<Value> {
    vm.check_nargs(fname, args, 1, 1)?;
    let v = &args[0];
    if v.is::<crate::objects::Instance>() {
        let ty = vm.type_of(v);
        let name = vm.intern(dunder);
        if let Some(m) = vm.lookup_mro(&ty, &name) {
            return vm.call_method_value(&m, v, &[]);
        }
    }
    if vm.is_int_like(v) && !v.is::<crate::objects::Float>() {
        return vm.to_int(v);
    }
    if dunder == "__trunc__" && !v.is::<crate::objects::Float>() && vm.as_f64(v).is_none() {
        let tn = vm.type_name(v);
        return Err(vm.type_error(format!("type {tn} doesn't define __trunc__ method")));
    }
    let x = arg_f(vm, args, 0)?;
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
fn isnan(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let x = arg_f(vm, args, 0)?;
    Ok(vm.new_bool(x.is_nan()))
}
fn isinf(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let x = arg_f(vm, args, 0)?;
    Ok(vm.new_bool(x.is_infinite()))
}
fn isfinite(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let x = arg_f(vm, args, 0)?;
    Ok(vm.new_bool(x.is_finite()))
}
fn isclose(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("isclose", args, kw, &["a", "b", "rel_tol", "abs_tol"], 2)?;
    let x = vm.to_float(a[0].as_ref().unwrap())?;
    let y = vm.to_float(a[1].as_ref().unwrap())?;
    let rel = match &a[2] { Some(v) => vm.to_float(v)?, None => 1e-9 };
    let abs = match &a[3] { Some(v) => vm.to_float(v)?, None => 0.0 };
    let r = x == y || (x - y).abs() <= (rel * x.abs().max(y.abs())).max(abs);
    Ok(vm.new_bool(r))
}
fn fsum(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let items = vm.to_vec(&args[0])?;
    // Neumaier summation (exact enough for typical inputs).
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for it in items {
        let x = vm.to_float(&it)?;
        let t = s + x;
        if s.abs() >= x.abs() {
            c += (s - t) + x;
        } else {
            c += (x - t) + s;
        }
        s = t;
    }
    Ok(vm.new_float(s + c))
}
fn gcd(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    use num_integer::Integer;
    let mut acc = num_bigint::BigInt::from(0);
    for a in args {
        let b = vm.as_bigint(a).ok_or_else(|| vm.type_error("'float' object cannot be interpreted as an integer"))?;
        acc = acc.gcd(&b);
    }
    Ok(vm.new_bigint(acc))
}
fn factorial(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let n = vm.as_i64(&args[0]).ok_or_else(|| vm.type_error("factorial() only accepts integral values"))?;
    if n < 0 {
        return Err(vm.value_error("factorial() not defined for negative values"));
    }
    let mut acc = num_bigint::BigInt::from(1);
    for i in 2..=n {
        acc *= i;
    }
    Ok(vm.new_bigint(acc))
}
fn comb(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    let n = vm.as_i64(&args[0]).unwrap_or(0);
    let k = vm.as_i64(&args[1]).unwrap_or(0);
    if k < 0 || n < 0 {
        return Err(vm.value_error("n must be a non-negative integer"));
    }
    if k > n {
        return Ok(vm.new_int(0));
    }
    let mut acc = num_bigint::BigInt::from(1);
    for i in 0..k.min(n - k) {
        acc = acc * (n - i) / (i + 1);
    }
    Ok(vm.new_bigint(acc))
}

pub fn init_time(vm: &mut Vm) -> PyResult<Value> {
    let m = vm.new_module("time");
    vm.module_add_fn(&m, "time", time_time);
    vm.module_add_fn(&m, "perf_counter", perf_counter);
    vm.module_add_fn(&m, "monotonic", perf_counter);
    vm.module_add_fn(&m, "sleep", sleep);
    Ok(m)
}
fn time_time(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
    Ok(vm.new_float(t))
}
fn perf_counter(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    thread_local! {
        static START: std::time::Instant = std::time::Instant::now();
    }
    let t = START.with(|s| s.elapsed().as_secs_f64());
    Ok(vm.new_float(t))
}
fn sleep(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("sleep", args, 1, 1)?;
    let s = vm.to_float(&args[0])?;
    if s < 0.0 {
        return Err(vm.value_error("sleep length must be non-negative"));
    }
    if !s.is_finite() {
        return Err(vm.overflow_error("timestamp too large to convert to C _PyTime_t"));
    }
    // In slices, so Ctrl-C interrupts a long sleep as in CPython.
    let end = std::time::Instant::now() + std::time::Duration::from_secs_f64(s);
    loop {
        let now = std::time::Instant::now();
        if now >= end {
            break;
        }
        if pyvm_gc::take_interrupt() {
            return Err(vm.new_exception_noargs("KeyboardInterrupt"));
        }
        std::thread::sleep((end - now).min(std::time::Duration::from_millis(20)));
    }
    Ok(vm.none.clone())
}
