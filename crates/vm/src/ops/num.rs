//! Integer and float arithmetic with Python semantics: tagged small ints on the fast
//! path, arbitrary precision (num-bigint) on overflow, floor division and modulo
//! rounding toward negative infinity, int/float mixing, CPython's error messages.

use crate::objects::{BigIntObj, Bool, Float};
use crate::vm::{PyResult, Vm};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use pyvm_compiler::ast::BinOp;
use pyvm_gc::Value;

/// A numeric view of a value.
pub enum Num {
    Int(BigInt),
    Small(i64),
    Float(f64),
}

impl Vm {
    /// The value as an int, if it is an int or bool (not float).
    pub fn as_bigint(&self, v: &Value) -> Option<BigInt> {
        if let Some(i) = v.as_int() {
            return Some(BigInt::from(i));
        }
        if let Some(b) = v.downcast_ref::<BigIntObj>() {
            return Some(b.0.clone());
        }
        if let Some(b) = v.downcast_ref::<Bool>() {
            return Some(BigInt::from(b.0 as i64));
        }
        if let Some(i) = v.downcast_ref::<crate::objects::Instance>() {
            if let Some(bv) = i.base_value() {
                return self.as_bigint(&bv);
            }
        }
        None
    }
    /// The value as an i64 if it is an int that fits.
    pub fn as_i64(&self, v: &Value) -> Option<i64> {
        if let Some(i) = v.as_int() {
            return Some(i);
        }
        if let Some(b) = v.downcast_ref::<Bool>() {
            return Some(b.0 as i64);
        }
        self.as_bigint(v).and_then(|b| b.to_i64())
    }
    pub fn is_int_like(&self, v: &Value) -> bool {
        v.is_int() || v.is::<BigIntObj>() || v.is::<Bool>() || self.as_bigint(v).is_some()
    }
    pub fn as_f64(&self, v: &Value) -> Option<f64> {
        if let Some(i) = v.as_int() {
            return Some(i as f64);
        }
        if let Some(f) = v.downcast_ref::<Float>() {
            return Some(f.0);
        }
        if let Some(b) = v.downcast_ref::<Bool>() {
            return Some(b.0 as i64 as f64);
        }
        if let Some(b) = v.downcast_ref::<BigIntObj>() {
            return Some(bigint_to_f64(&b.0));
        }
        if let Some(i) = v.downcast_ref::<crate::objects::Instance>() {
            if let Some(bv) = i.base_value() {
                return self.as_f64(&bv);
            }
        }
        None
    }
    pub fn num(&self, v: &Value) -> Option<Num> {
        if let Some(i) = v.as_int() {
            return Some(Num::Small(i));
        }
        if let Some(f) = v.downcast_ref::<Float>() {
            return Some(Num::Float(f.0));
        }
        if let Some(b) = v.downcast_ref::<Bool>() {
            return Some(Num::Small(b.0 as i64));
        }
        if let Some(b) = v.downcast_ref::<BigIntObj>() {
            return Some(Num::Int(b.0.clone()));
        }
        None
    }

    /// `a op b` for numbers; `Ok(None)` when the operand types are not numeric.
    pub fn num_binop(&mut self, a: &Value, b: &Value, op: BinOp) -> PyResult<Option<Value>> {
        let (Some(x), Some(y)) = (self.num(a), self.num(b)) else { return Ok(None) };
        match (x, y) {
            (Num::Float(x), y) => {
                let fy = num_f64(&y);
                if fy.is_infinite() && matches!(y, Num::Int(_)) {
                    return Err(self.overflow_error("int too large to convert to float"));
                }
                self.float_binop(x, fy, op).map(Some)
            }
            (x, Num::Float(y)) => {
                let fx = num_f64(&x);
                if fx.is_infinite() && matches!(x, Num::Int(_)) {
                    return Err(self.overflow_error("int too large to convert to float"));
                }
                self.float_binop(fx, y, op).map(Some)
            }
            (Num::Small(x), Num::Small(y)) => {
                if let Some(v) = small_binop(x, y, op) {
                    return Ok(Some(self.new_int(v)));
                }
                self.int_binop(BigInt::from(x), BigInt::from(y), op).map(Some)
            }
            (x, y) => self.int_binop(num_big(x), num_big(y), op).map(Some),
        }
    }

    pub fn int_binop(&mut self, x: BigInt, y: BigInt, op: BinOp) -> PyResult<Value> {
        Ok(match op {
            BinOp::Add => self.new_bigint(x + y),
            BinOp::Sub => self.new_bigint(x - y),
            BinOp::Mult => self.new_bigint(x * y),
            BinOp::FloorDiv => {
                if y.is_zero() {
                    return Err(self.zero_division("integer division or modulo by zero"));
                }
                self.new_bigint(x.div_floor(&y))
            }
            BinOp::Mod => {
                if y.is_zero() {
                    return Err(self.zero_division("integer modulo by zero"));
                }
                self.new_bigint(x.mod_floor(&y))
            }
            BinOp::Div => {
                if y.is_zero() {
                    return Err(self.zero_division("division by zero"));
                }
                let f = int_true_div(&x, &y);
                if f.is_infinite() {
                    return Err(self.overflow_error("integer division result too large for a float"));
                }
                self.new_float(f)
            }
            BinOp::Pow => {
                if y.is_negative() {
                    let fx = bigint_to_f64(&x);
                    let fy = bigint_to_f64(&y);
                    if fx == 0.0 {
                        return Err(self.zero_division("0.0 cannot be raised to a negative power"));
                    }
                    return Ok(self.new_float(fx.powf(fy)));
                }
                let Some(e) = y.to_u32() else {
                    if x.is_one() || x.is_zero() {
                        return Ok(self.new_bigint(x));
                    }
                    return Err(self.memory_error());
                };
                if x.bits() as u64 * e as u64 > 64_000_000 {
                    return Err(self.memory_error());
                }
                self.new_bigint(num_traits::pow(x, e as usize))
            }
            BinOp::LShift => {
                if y.is_negative() {
                    return Err(self.value_error("negative shift count"));
                }
                let Some(s) = y.to_usize() else { return Err(self.overflow_error("too many digits in integer")) };
                if s > 1 << 26 && !x.is_zero() {
                    return Err(self.memory_error());
                }
                self.new_bigint(x << s)
            }
            BinOp::RShift => {
                if y.is_negative() {
                    return Err(self.value_error("negative shift count"));
                }
                let s = y.to_usize().unwrap_or(usize::MAX / 2);
                if s as u64 > x.bits() + 1 {
                    return Ok(self.new_int(if x.is_negative() { -1 } else { 0 }));
                }
                // Arithmetic shift rounds toward negative infinity.
                self.new_bigint(x.div_floor(&(BigInt::one() << s)))
            }
            BinOp::And => self.new_bigint(x & y),
            BinOp::Or => self.new_bigint(x | y),
            BinOp::BitXor => self.new_bigint(x ^ y),
            BinOp::MatMult => return Err(self.type_error("unsupported operand type(s) for @: 'int' and 'int'")),
        })
    }

    pub fn float_binop(&mut self, x: f64, y: f64, op: BinOp) -> PyResult<Value> {
        let r = match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mult => x * y,
            BinOp::Div => {
                if y == 0.0 {
                    return Err(self.zero_division("float division by zero"));
                }
                x / y
            }
            BinOp::FloorDiv => {
                if y == 0.0 {
                    return Err(self.zero_division("float floor division by zero"));
                }
                float_divmod(x, y).0
            }
            BinOp::Mod => {
                if y == 0.0 {
                    return Err(self.zero_division("float modulo"));
                }
                float_divmod(x, y).1
            }
            BinOp::Pow => {
                if x == 0.0 && y < 0.0 {
                    return Err(self.zero_division("0.0 cannot be raised to a negative power"));
                }
                if x < 0.0 && y.fract() != 0.0 && y.is_finite() {
                    // CPython returns a complex number here.
                    let r = (-x).powf(y);
                    let ang = std::f64::consts::PI * y;
                    return Ok(Value::new(crate::objects::Complex { re: r * ang.cos(), im: r * ang.sin() }));
                }
                let r = x.powf(y);
                if r.is_infinite() && x.is_finite() && y.is_finite() {
                    return Err(self.overflow_error("(34, 'Numerical result out of range')"));
                }
                r
            }
            _ => {
                let sym = op.symbol();
                return Err(self.type_error(format!("unsupported operand type(s) for {sym}: 'float' and 'float'")));
            }
        };
        Ok(self.new_float(r))
    }
}

fn num_f64(n: &Num) -> f64 {
    match n {
        Num::Small(i) => *i as f64,
        Num::Float(f) => *f,
        Num::Int(b) => bigint_to_f64(b),
    }
}
fn num_big(n: Num) -> BigInt {
    match n {
        Num::Small(i) => BigInt::from(i),
        Num::Int(b) => b,
        Num::Float(f) => BigInt::from(f as i64),
    }
}

/// Small-int fast path; None on overflow or when the op needs the general path.
pub fn small_binop(x: i64, y: i64, op: BinOp) -> Option<i64> {
    match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mult => x.checked_mul(y),
        BinOp::FloorDiv if y != 0 => {
            let q = x.checked_div(y)?;
            Some(if (x % y != 0) && ((x < 0) != (y < 0)) { q - 1 } else { q })
        }
        BinOp::Mod if y != 0 => {
            let r = x.checked_rem(y)?;
            Some(if r != 0 && ((r < 0) != (y < 0)) { r + y } else { r })
        }
        BinOp::And => Some(x & y),
        BinOp::Or => Some(x | y),
        BinOp::BitXor => Some(x ^ y),
        BinOp::LShift if (0..63).contains(&y) => {
            let r = x.checked_shl(y as u32)?;
            if (r >> y) == x {
                Some(r)
            } else {
                None
            }
        }
        BinOp::RShift if y >= 0 => Some(if y >= 64 { if x < 0 { -1 } else { 0 } } else { x >> y }),
        BinOp::Pow if (0..64).contains(&y) => x.checked_pow(y as u32),
        _ => None,
    }
}

/// Python's float divmod: the remainder has the sign of the divisor.
pub fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0f64.copysign(x / y)
    };
    (floordiv, m)
}

pub fn bigint_to_f64(b: &BigInt) -> f64 {
    b.to_f64().unwrap_or(if b.is_negative() { f64::NEG_INFINITY } else { f64::INFINITY })
}

/// Correctly rounded int / int (for operands beyond 2**53 an approximation via scaling).
fn int_true_div(x: &BigInt, y: &BigInt) -> f64 {
    let (fx, fy) = (bigint_to_f64(x), bigint_to_f64(y));
    if x.bits() <= 53 && y.bits() <= 53 {
        return fx / fy;
    }
    // Scale to keep 64 significant bits in the quotient.
    let shift = (x.bits() as i64 - y.bits() as i64) - 64;
    let q = if shift > 0 { x.div_floor(&(y << shift as usize)) } else { (x << (-shift) as usize).div_floor(y) };
    let f = bigint_to_f64(&q);
    f * 2f64.powi(shift as i32)
}

/// Python's `hash()` of an int: reduction modulo 2**61 - 1, with -1 mapped to -2.
pub fn hash_bigint(b: &BigInt) -> i64 {
    const P: u64 = (1 << 61) - 1;
    let m = BigInt::from(P);
    let r = b.abs().mod_floor(&m).to_i64().unwrap_or(0);
    let h = if b.is_negative() { -r } else { r };
    if h == -1 {
        -2
    } else {
        h
    }
}

#[inline]
pub fn hash_i64(i: i64) -> i64 {
    const P: i64 = (1 << 61) - 1;
    // Most ints are already below the modulus: no division for them.
    let a = i.unsigned_abs();
    let r = if a < P as u64 { a as i64 } else { (a % P as u64) as i64 };
    let h = if i < 0 { -r } else { r };
    if h == -1 {
        -2
    } else {
        h
    }
}

/// CPython's `_Py_HashDouble`.
pub fn hash_f64(v: f64) -> i64 {
    const BITS: i32 = 61;
    const P: u64 = (1 << 61) - 1;
    if !v.is_finite() {
        return if v.is_infinite() { if v > 0.0 { 314159 } else { -314159 } } else { 0 };
    }
    let (mut m, mut e) = frexp(v);
    let mut sign = 1i64;
    if m < 0.0 {
        sign = -1;
        m = -m;
    }
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & P) | (x >> (BITS - 28));
        m *= 268435456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= P {
            x -= P;
        }
    }
    let e = if e >= 0 { e % BITS } else { BITS - 1 - ((-1 - e) % BITS) };
    x = ((x << e) & P) | (x >> (BITS - e));
    let h = x as i64 * sign;
    if h == -1 {
        -2
    } else {
        h
    }
}

fn frexp(v: f64) -> (f64, i32) {
    if v == 0.0 {
        return (0.0, 0);
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        let (m, e) = frexp(v * 2f64.powi(64));
        return (m, e - 64);
    }
    let e = exp - 1022;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, e)
}

pub fn is_true_int(v: &Value) -> bool {
    v.is_int() || v.is::<BigIntObj>()
}
