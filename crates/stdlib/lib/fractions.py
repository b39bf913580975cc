"""Rational numbers (pyvm's own implementation of the fractions module).

Fraction(n, d) is an exact rational number kept in lowest terms with the sign on
the numerator. It behaves as CPython 3.11's Fraction does:

* it is built from an int, another Fraction, a float (exactly: Fraction(0.1) is
  3602879701896397/36028797018963968), a string such as '3/4', '-1.5e2' or
  ' 7/8 ', or a numerator/denominator pair of ints or Fractions;
* arithmetic with ints and Fractions is exact; with a float the Fraction is first
  converted, so the result is a float (likewise complex), whichever side the
  Fraction is on;
* it compares and hashes equal to the equal int or float, so Fraction(1, 2) and
  0.5 are the same dict key.

pyvm has no numbers module, so the "rational" operands CPython accepts through
numbers.Rational are here exactly the ints (bool included) and the Fractions, and
the "real" ones are the floats. Decimal is not supported (pyvm has no decimal).
"""

import math

__all__ = ["Fraction"]

# CPython's numeric hash (sys.hash_info on 64-bit builds): a number equal to the
# rational p/q hashes as p * q**-1 modulo the prime 2**61 - 1, and the rationals whose
# q is a multiple of the modulus hash as +-314159, like an infinity. Following it is
# what makes hash(Fraction(5)) == hash(5) and hash(Fraction(1, 2)) == hash(0.5).
_HASH_MODULUS = (1 << 61) - 1
_HASH_INF = 314159


# ----- parsing the string form -------------------------------------------------------------

def _skip_spaces(text, i):
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i


def _digit_run(text, i):
    """Scan digits with single underscores between groups ('1_000') from text[i];
    return (the run, the index after it); the run is '' when text[i] is no digit."""
    n = len(text)
    j = i
    while j < n and text[j].isdecimal():
        j += 1
    if j == i:
        return "", i
    while j + 1 < n and text[j] == "_" and text[j + 1].isdecimal():
        j += 2
        while j < n and text[j].isdecimal():
            j += 1
    return text[i:j], j


def _parse(text):
    """The (numerator, denominator) a Fraction literal stands for, unreduced; None
    when text is not one. The denominator may be 0; the caller reports that."""
    n = len(text)
    i = _skip_spaces(text, 0)
    negative = False
    if i < n and text[i] in "+-":
        negative = text[i] == "-"
        i += 1
    # The number proper starts with a digit, or with a point and a digit.
    if not (i < n and (text[i].isdecimal()
                       or (text[i] == "." and i + 1 < n and text[i + 1].isdecimal()))):
        return None
    whole, i = _digit_run(text, i)
    numerator = int(whole or "0")
    denominator = 1

    if i < n and text[i] == "/":
        # 3.11 allows no spaces around the slash.
        digits, i = _digit_run(text, i + 1)
        if not digits or _skip_spaces(text, i) != n:
            return None
        denominator = int(digits)
    else:
        if i < n and text[i] == ".":
            i += 1
            if i < n and text[i] in "dD":
                # CPython 3.11 spells the fractional part `d*|\d+(_\d+)*` -- a typo for
                # `\d*` -- so a run of d's is accepted here and then rejected by int()
                # below with "invalid literal for int() with base 10: 'd'".
                start = i
                while i < n and text[i] in "dD":
                    i += 1
                fraction = text[start:i]
            else:
                fraction, i = _digit_run(text, i)
            if fraction:
                fraction = fraction.replace("_", "")
                scale = 10 ** len(fraction)
                numerator = numerator * scale + int(fraction)
                denominator = scale
        if i < n and text[i] in "eE":
            k = i + 1
            sign = ""
            if k < n and text[k] in "+-":
                sign = text[k]
                k += 1
            digits, k = _digit_run(text, k)
            if not digits:
                return None
            exponent = int(sign + digits)
            if exponent >= 0:
                numerator *= 10 ** exponent
            else:
                denominator *= 10 ** -exponent
            i = k
        if _skip_spaces(text, i) != n:
            return None
    if negative:
        numerator = -numerator
    return numerator, denominator


def _float_ratio(x):
    # float.as_integer_ratio() raises these, but pyvm's reports a NaN as an infinity
    # (OverflowError); test for NaN first so the error is CPython's.
    if x != x:
        raise ValueError("cannot convert NaN to integer ratio")
    return x.as_integer_ratio()


def _new(n, d):
    """A Fraction from a numerator and a positive denominator already in lowest terms."""
    result = object.__new__(Fraction)
    result._numerator = n
    result._denominator = d
    return result


# ----- the operators -----------------------------------------------------------------------

def _operators(exact, inexact, name):
    """The forward and reflected methods of a binary operator.

    exact(a, b) computes the result when both operands are ints or Fractions;
    inexact(x, y) is the operator itself, used on floats (or complexes) when the other
    operand is one: the Fraction is converted to it rather than the other way round.
    Any other operand gets NotImplemented, so its own method can have a say.
    complex(float(a)) is what complex(a) gives through __complex__ (which pyvm's
    complex() does not call).
    """
    def forward(a, b):
        if isinstance(b, (int, Fraction)):
            return exact(a, b)
        if isinstance(b, float):
            return inexact(float(a), b)
        if isinstance(b, complex):
            return inexact(complex(float(a)), b)
        return NotImplemented

    def reflected(b, a):
        if isinstance(a, (int, Fraction)):
            return exact(a, b)
        if isinstance(a, float):
            return inexact(float(a), float(b))
        if isinstance(a, complex):
            return inexact(complex(a), complex(float(b)))
        return NotImplemented

    forward.__name__ = "__%s__" % name
    reflected.__name__ = "__r%s__" % name
    forward.__qualname__ = "Fraction." + forward.__name__
    reflected.__qualname__ = "Fraction." + reflected.__name__
    forward.__doc__ = reflected.__doc__ = exact.__doc__
    return forward, reflected


# The exact operations take ints or Fractions (both have numerator and denominator)
# in lowest terms. Sums and products divide out common factors before multiplying,
# which keeps the intermediate numbers small and the result in lowest terms.

def _add(a, b):
    """a + b"""
    na, da = a.numerator, a.denominator
    nb, db = b.numerator, b.denominator
    g = math.gcd(da, db)
    if g == 1:
        return _new(na * db + nb * da, da * db)
    # With da = g*x and db = g*y: a + b = (na*y + nb*x) / (g*x*y), and only g can
    # share a factor with that numerator.
    x = da // g
    y = db // g
    t = na * y + nb * x
    h = math.gcd(t, g)
    return _new(t // h, x * (db // h))


def _sub(a, b):
    """a - b"""
    na, da = a.numerator, a.denominator
    nb, db = b.numerator, b.denominator
    g = math.gcd(da, db)
    if g == 1:
        return _new(na * db - nb * da, da * db)
    x = da // g
    y = db // g
    t = na * y - nb * x
    h = math.gcd(t, g)
    return _new(t // h, x * (db // h))


def _mul(a, b):
    """a * b"""
    na, da = a.numerator, a.denominator
    nb, db = b.numerator, b.denominator
    g1 = math.gcd(na, db)
    g2 = math.gcd(nb, da)
    if g1 > 1:
        na //= g1
        db //= g1
    if g2 > 1:
        nb //= g2
        da //= g2
    return _new(na * nb, da * db)


def _div(a, b):
    """a / b"""
    na, da = a.numerator, a.denominator
    nb, db = b.numerator, b.denominator
    if nb == 0:
        # CPython reports the numerator it has after dividing out gcd(na, 0) = |na|.
        raise ZeroDivisionError("Fraction(%s, 0)" % ((na > 0) - (na < 0)))
    g1 = math.gcd(na, nb)
    g2 = math.gcd(da, db)
    if g1 > 1:
        na //= g1
        nb //= g1
    if g2 > 1:
        da //= g2
        db //= g2
    n = na * db
    d = nb * da
    if d < 0:
        n, d = -n, -d
    return _new(n, d)


def _floordiv(a, b):
    """a // b"""
    return (a.numerator * b.denominator) // (a.denominator * b.numerator)


def _divmod(a, b):
    """(a // b, a % b)"""
    da, db = a.denominator, b.denominator
    quotient, rest = divmod(a.numerator * db, b.numerator * da)
    return quotient, Fraction(rest, da * db)


def _mod(a, b):
    """a % b"""
    da, db = a.denominator, b.denominator
    return Fraction((a.numerator * db) % (b.numerator * da), da * db)


def _round_half_even(n, d):
    """The integer nearest n/d (d > 0), ties going to the even one."""
    q, r = divmod(n, d)
    twice = 2 * r
    if twice < d or (twice == d and q % 2 == 0):
        return q
    return q + 1


# ----- the class ---------------------------------------------------------------------------

class Fraction:
    """An exact rational number numerator/denominator, kept in lowest terms.

    Fraction(8, 6) == Fraction(4, 3); the arguments default to 0 and 1. A single
    argument may also be an int, a Fraction, a float (converted exactly) or a
    string: '-5', '3/4', '2.25', '1e-3', ' 7/8 '.
    """

    __slots__ = ("_numerator", "_denominator")

    def __new__(cls, numerator=0, denominator=None, *, _normalize=True):
        """Make a Fraction from a numerator and a denominator (ints or Fractions),
        or from a single int, Fraction, float or string."""
        self = object.__new__(cls)
        if denominator is None:
            if type(numerator) is int:
                self._numerator = numerator
                self._denominator = 1
                return self
            if isinstance(numerator, (int, Fraction)):
                # Already in lowest terms (an int subclass such as bool included).
                self._numerator = numerator.numerator
                self._denominator = numerator.denominator
                return self
            if isinstance(numerator, float):
                self._numerator, self._denominator = _float_ratio(numerator)
                return self
            if isinstance(numerator, str):
                parsed = _parse(numerator)
                if parsed is None:
                    raise ValueError("Invalid literal for Fraction: %r" % numerator)
                numerator, denominator = parsed
            else:
                raise TypeError("argument should be a string or a Rational instance")
        elif type(numerator) is int and type(denominator) is int:
            pass
        elif isinstance(numerator, (int, Fraction)) and isinstance(denominator, (int, Fraction)):
            # (a/b) / (c/d) = (a*d) / (b*c)
            numerator, denominator = (numerator.numerator * denominator.denominator,
                                      numerator.denominator * denominator.numerator)
        else:
            raise TypeError("both arguments should be Rational instances")

        if denominator == 0:
            raise ZeroDivisionError("Fraction(%s, 0)" % numerator)
        if _normalize:
            g = math.gcd(numerator, denominator)
            if denominator < 0:
                g = -g
            numerator //= g
            denominator //= g
        self._numerator = numerator
        self._denominator = denominator
        return self

    @classmethod
    def from_float(cls, f):
        """The Fraction exactly equal to the finite float f (or int).

        Fraction.from_float(0.1) is not Fraction(1, 10): 0.1 is a binary fraction.
        """
        if isinstance(f, int):
            return cls(f)
        if not isinstance(f, float):
            raise TypeError("%s.from_float() only takes floats, not %r (%s)"
                            % (cls.__name__, f, type(f).__name__))
        return cls(*_float_ratio(f))

    def as_integer_ratio(self):
        """(numerator, denominator): two ints whose ratio is self, the second positive."""
        return (self._numerator, self._denominator)

    def limit_denominator(self, max_denominator=1000000):
        """The Fraction nearest to self whose denominator is max_denominator or less.

        For instance Fraction('3.141592653589793').limit_denominator(10) is 22/7.
        """
        if max_denominator < 1:
            raise ValueError("max_denominator should be at least 1")
        if self._denominator <= max_denominator:
            return Fraction(self)
        # Walk the continued fraction of self, keeping the last two convergents
        # p_old/q_old and p/q, until the next convergent's denominator would be too
        # big. The best approximations with a bounded denominator are then the last
        # convergent and the largest semiconvergent (p_old + k*p) / (q_old + k*q) that
        # fits; they lie on either side of self, and the closer one wins (on a tie the
        # convergent, which has the smaller denominator).
        p_old, q_old, p, q = 0, 1, 1, 0
        n, d = self._numerator, self._denominator
        while True:
            a = n // d
            q_next = q_old + a * q
            if q_next > max_denominator:
                break
            p_old, q_old, p, q = p, q, p_old + a * p, q_next
            n, d = d, n - a * d
        k = (max_denominator - q_old) // q
        semiconvergent = Fraction(p_old + k * p, q_old + k * q)
        convergent = Fraction(p, q)
        if abs(convergent - self) <= abs(semiconvergent - self):
            return convergent
        return semiconvergent

    @property
    def numerator(a):
        return a._numerator

    @property
    def denominator(a):
        return a._denominator

    @property
    def real(self):
        """The real part: the Fraction itself (as a plain Fraction)."""
        return +self

    @property
    def imag(self):
        """The imaginary part: always 0."""
        return 0

    def conjugate(self):
        """The complex conjugate of a real number: itself (as a plain Fraction)."""
        return +self

    def __repr__(self):
        """repr(self)"""
        return "%s(%s, %s)" % (self.__class__.__name__, self._numerator, self._denominator)

    def __str__(self):
        """str(self)"""
        if self._denominator == 1:
            return str(self._numerator)
        return "%s/%s" % (self._numerator, self._denominator)

    # ----- arithmetic

    __add__, __radd__ = _operators(_add, lambda x, y: x + y, "add")
    __sub__, __rsub__ = _operators(_sub, lambda x, y: x - y, "sub")
    __mul__, __rmul__ = _operators(_mul, lambda x, y: x * y, "mul")
    __truediv__, __rtruediv__ = _operators(_div, lambda x, y: x / y, "truediv")
    __floordiv__, __rfloordiv__ = _operators(_floordiv, lambda x, y: x // y, "floordiv")
    __divmod__, __rdivmod__ = _operators(_divmod, divmod, "divmod")
    __mod__, __rmod__ = _operators(_mod, lambda x, y: x % y, "mod")

    def __pow__(a, b):
        """a ** b: a Fraction for an integral exponent, else a float (or complex),
        as the root of a rational is usually irrational."""
        if isinstance(b, (int, Fraction)):
            if b.denominator != 1:
                return float(a) ** float(b)
            power = b.numerator
            n, d = a._numerator, a._denominator
            if power >= 0:
                return _new(n ** power, d ** power)
            if n == 0:
                raise ZeroDivisionError("Fraction(%s, 0)" % (d ** -power))
            # Invert, keeping the sign on the numerator.
            if n < 0:
                n, d = -n, -d
            return _new(d ** -power, n ** -power)
        return float(a) ** b

    def __rpow__(b, a):
        """a ** b"""
        if b._denominator == 1 and b._numerator >= 0:
            # An int base stays an int.
            return a ** b._numerator
        if isinstance(a, (int, Fraction)):
            return Fraction(a.numerator, a.denominator) ** b
        if b._denominator == 1:
            return a ** b._numerator
        return a ** float(b)

    def __pos__(a):
        """+a, as a plain Fraction even for a subclass instance"""
        return _new(a._numerator, a._denominator)

    def __neg__(a):
        """-a"""
        return _new(-a._numerator, a._denominator)

    def __abs__(a):
        """abs(a)"""
        return _new(abs(a._numerator), a._denominator)

    # ----- conversions

    def __int__(a):
        """int(a)"""
        return a.__trunc__()

    def __trunc__(a):
        """math.trunc(a)"""
        if a._numerator < 0:
            return -(-a._numerator // a._denominator)
        return a._numerator // a._denominator

    def __floor__(a):
        """math.floor(a)"""
        return a.numerator // a.denominator

    def __ceil__(a):
        """math.ceil(a)"""
        return -(-a.numerator // a.denominator)

    def __round__(self, ndigits=None):
        """round(self) is an int, round(self, ndigits) a Fraction; halves go to even."""
        if ndigits is None:
            return _round_half_even(self.numerator, self.denominator)
        shift = 10 ** abs(ndigits)
        if ndigits > 0:
            return Fraction(round(self * shift), shift)
        return Fraction(round(self / shift) * shift)

    def __float__(self):
        """float(self): the int true division numerator / denominator, which is
        correctly rounded and copes with huge numerators and denominators."""
        return int(self.numerator) / int(self.denominator)

    def __complex__(self):
        """complex(self): complex(float(self))"""
        return complex(float(self))

    def __bool__(a):
        """a != 0"""
        return bool(a._numerator)

    # ----- hashing and comparisons

    def __hash__(self):
        """hash(self)"""
        d = self._denominator
        if d % _HASH_MODULUS == 0:
            h = _HASH_INF
        else:
            # The modulus is prime, so d**-1 is d**(P-2) mod P (Fermat).
            inverse = pow(d, _HASH_MODULUS - 2, _HASH_MODULUS)
            h = abs(self._numerator) % _HASH_MODULUS * inverse % _HASH_MODULUS
        if self._numerator < 0:
            h = -h
        return -2 if h == -1 else h

    def __eq__(a, b):
        """a == b"""
        if type(b) is int:
            return a._numerator == b and a._denominator == 1
        if isinstance(b, (int, Fraction)):
            return a._numerator == b.numerator and a._denominator == b.denominator
        if isinstance(b, complex) and b.imag == 0:
            b = b.real
        if isinstance(b, float):
            if math.isnan(b) or math.isinf(b):
                # Every finite number compares with these as 0.0 does.
                return 0.0 == b
            n, d = b.as_integer_ratio()
            return a._numerator == n and a._denominator == d
        return NotImplemented

    def _compare(self, other, op):
        # op(x, y) is one of <, >, <=, >= on ints or floats. Against a rational the
        # two cross products are compared (the denominators are positive); a finite
        # float is turned into its exact ratio first.
        if isinstance(other, (int, Fraction)):
            return op(self._numerator * other.denominator, self._denominator * other.numerator)
        if isinstance(other, float):
            if math.isnan(other) or math.isinf(other):
                return op(0.0, other)
            n, d = other.as_integer_ratio()
            return op(self._numerator * d, self._denominator * n)
        return NotImplemented

    def __lt__(a, b):
        """a < b"""
        return a._compare(b, lambda x, y: x < y)

    def __gt__(a, b):
        """a > b"""
        return a._compare(b, lambda x, y: x > y)

    def __le__(a, b):
        """a <= b"""
        return a._compare(b, lambda x, y: x <= y)

    def __ge__(a, b):
        """a >= b"""
        return a._compare(b, lambda x, y: x >= y)

    # ----- pickling and copying

    def __reduce__(self):
        return (self.__class__, (self._numerator, self._denominator))

    def __copy__(self):
        if type(self) == Fraction:
            return self     # immutable: a copy would be indistinguishable
        return self.__class__(self._numerator, self._denominator)

    def __deepcopy__(self, memo):
        if type(self) == Fraction:
            return self
        return self.__class__(self._numerator, self._denominator)
