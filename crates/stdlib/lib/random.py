"""Pseudo-random numbers (pyvm's own implementation of the random module).

The core is the Mersenne Twister MT19937, seeded and consumed exactly as CPython
does it, so that after `random.seed(x)` every function below produces the same
sequence as CPython 3.11:

* an int seed is reduced to its absolute value, split into 32-bit words (least
  significant first) and fed to MT19937's init_by_array;
* a str/bytes/bytearray seed (version 2) becomes the big-endian integer of
  `data + sha512(data)`; a float seed uses hash(x) read as an unsigned 64-bit word;
* random() builds a 53-bit float from two outputs, getrandbits() concatenates
  32-bit outputs little-endian, and integer selection rejects getrandbits(k)
  draws with k = n.bit_length().
"""

from math import log as _log, exp as _exp, pi as _pi, e as _e, ceil as _ceil
from math import sqrt as _sqrt, cos as _cos, sin as _sin, floor as _floor
from math import acos as _acos, isfinite as _isfinite
from bisect import bisect as _bisect
import time as _time

__all__ = ["Random", "SystemRandom", "seed", "random", "uniform", "randint", "choice",
           "sample", "randrange", "shuffle", "normalvariate", "lognormvariate",
           "expovariate", "vonmisesvariate", "gammavariate", "triangular", "gauss",
           "betavariate", "paretovariate", "weibullvariate", "getstate", "setstate",
           "getrandbits", "choices", "randbytes"]

NV_MAGICCONST = 4 * _exp(-0.5) / _sqrt(2.0)
TWOPI = 2.0 * _pi
LOG4 = _log(4.0)
SG_MAGICCONST = 1.0 + _log(4.5)
BPF = 53
RECIP_BPF = 2.0 ** -BPF

_N = 624
_M = 397
_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF
_UPPER = 0x80000000
_LOWER = 0x7FFFFFFF
_MATRIX_A = 0x9908B0DF


# ----- SHA-512, needed for seeding from str/bytes ------------------------------------

def _sha512_constants():
    # The round constants are the first 64 bits of the fractional parts of the cube
    # roots of the first 80 primes; the initial hash words use square roots of the
    # first 8 primes. Both are computed exactly with integer roots.
    primes = []
    candidate = 2
    while len(primes) < 80:
        if all(candidate % p for p in primes if p * p <= candidate):
            primes.append(candidate)
        candidate += 1

    def frac_root(p, degree):
        # floor(p ** (1/degree) * 2**64) mod 2**64, by integer Newton iteration.
        target = p << (64 * degree)
        x = 1 << ((target.bit_length() + degree - 1) // degree)
        while True:
            y = ((degree - 1) * x + target // x ** (degree - 1)) // degree
            if y >= x:
                break
            x = y
        while x ** degree > target:
            x -= 1
        while (x + 1) ** degree <= target:
            x += 1
        return x & _MASK64

    k = [frac_root(p, 3) for p in primes]
    h = [frac_root(p, 2) for p in primes[:8]]
    return k, h


_SHA512_K = None
_SHA512_H = None


def _sha512(data):
    """The SHA-512 digest of bytes `data`, as 64 bytes."""
    global _SHA512_K, _SHA512_H
    if _SHA512_K is None:
        _SHA512_K, _SHA512_H = _sha512_constants()
    k = _SHA512_K
    mask = _MASK64

    def rotr(x, n):
        return ((x >> n) | (x << (64 - n))) & mask

    length = len(data)
    padded = bytes(data) + b"\x80" + b"\x00" * ((111 - length) % 128)
    padded += (length * 8).to_bytes(16, "big")
    h = list(_SHA512_H)
    for start in range(0, len(padded), 128):
        w = [int.from_bytes(padded[start + 8 * i:start + 8 * i + 8], "big") for i in range(16)]
        for i in range(16, 80):
            x = w[i - 15]
            y = w[i - 2]
            s0 = rotr(x, 1) ^ rotr(x, 8) ^ (x >> 7)
            s1 = rotr(y, 19) ^ rotr(y, 61) ^ (y >> 6)
            w.append((w[i - 16] + s0 + w[i - 7] + s1) & mask)
        a, b, c, d, e, f, g, hh = h
        for i in range(80):
            t1 = (hh + (rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41))
                  + ((e & f) ^ (~e & g)) + k[i] + w[i]) & mask
            t2 = ((rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39))
                  + ((a & b) ^ (a & c) ^ (b & c))) & mask
            hh = g
            g = f
            f = e
            e = (d + t1) & mask
            d = c
            c = b
            b = a
            a = (t1 + t2) & mask
        h = [(old + new) & mask for old, new in zip(h, (a, b, c, d, e, f, g, hh))]
    return b"".join(word.to_bytes(8, "big") for word in h)


# ----- the generator -------------------------------------------------------------------

def _as_index(value, what):
    """randrange's argument conversion: an index, or an integral number (deprecated)."""
    if isinstance(value, int):
        return value
    method = getattr(type(value), "__index__", None)
    if method is not None:
        return method(value)
    converted = int(value)
    if converted != value:
        raise ValueError("non-integer %s for randrange()" % what)
    return converted


class Random:
    """Random number generator: MT19937 with CPython's seeding and derived methods.

    Subclasses that override random() (and not getrandbits()) get integer
    selection based on random() only, as in CPython.
    """

    VERSION = 3

    def __init__(self, x=None):
        self.seed(x)
        self.gauss_next = None

    def __init_subclass__(cls, /, **kwargs):
        # Choose how the subclass draws integers below n, from the first class in the
        # MRO that defines one of the relevant methods.
        for klass in cls.__mro__:
            if "_randbelow" in klass.__dict__:
                break
            if "getrandbits" in klass.__dict__:
                cls._randbelow = cls._randbelow_with_getrandbits
                break
            if "random" in klass.__dict__:
                cls._randbelow = cls._randbelow_without_getrandbits
                break

    # -- MT19937 state ------------------------------------------------------------------

    def _init_genrand(self, s):
        mt = [0] * _N
        mt[0] = s & _MASK32
        for i in range(1, _N):
            prev = mt[i - 1]
            mt[i] = (1812433253 * (prev ^ (prev >> 30)) + i) & _MASK32
        self._mt = mt
        self._index = _N

    def _init_by_array(self, key):
        self._init_genrand(19650218)
        mt = self._mt
        key_length = len(key)
        i = 1
        j = 0
        for _ in range(max(_N, key_length)):
            prev = mt[i - 1]
            mt[i] = ((mt[i] ^ ((prev ^ (prev >> 30)) * 1664525)) + key[j] + j) & _MASK32
            i += 1
            j += 1
            if i >= _N:
                mt[0] = mt[_N - 1]
                i = 1
            if j >= key_length:
                j = 0
        for _ in range(_N - 1):
            prev = mt[i - 1]
            mt[i] = ((mt[i] ^ ((prev ^ (prev >> 30)) * 1566083941)) - i) & _MASK32
            i += 1
            if i >= _N:
                mt[0] = mt[_N - 1]
                i = 1
        mt[0] = 0x80000000

    def _twist(self):
        # Regenerate all 624 words at once.
        mt = self._mt
        for kk in range(_N - _M):
            y = (mt[kk] & _UPPER) | (mt[kk + 1] & _LOWER)
            mt[kk] = mt[kk + _M] ^ (y >> 1) ^ (_MATRIX_A if y & 1 else 0)
        for kk in range(_N - _M, _N - 1):
            y = (mt[kk] & _UPPER) | (mt[kk + 1] & _LOWER)
            mt[kk] = mt[kk + (_M - _N)] ^ (y >> 1) ^ (_MATRIX_A if y & 1 else 0)
        y = (mt[_N - 1] & _UPPER) | (mt[0] & _LOWER)
        mt[_N - 1] = mt[_M - 1] ^ (y >> 1) ^ (_MATRIX_A if y & 1 else 0)
        self._index = 0

    def _genrand_uint32(self):
        if self._index >= _N:
            self._twist()
        y = self._mt[self._index]
        self._index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        return y ^ (y >> 18)

    # -- seeding and state ----------------------------------------------------------------

    def seed(self, a=None, version=2):
        """Initialise the state from a seed (None, int, float, str, bytes or bytearray)."""
        if version == 1 and isinstance(a, (str, bytes)):
            text = a.decode("latin-1") if isinstance(a, bytes) else a
            x = ord(text[0]) << 7 if text else 0
            for ch in text:
                x = ((1000003 * x) ^ ord(ch)) & _MASK64
            x ^= len(text)
            a = -2 if x == -1 else x
        elif version == 2 and isinstance(a, (str, bytes, bytearray)):
            data = a.encode() if isinstance(a, str) else bytes(a)
            a = int.from_bytes(data + _sha512(data), "big")
        elif not (a is None or isinstance(a, (int, float, str, bytes, bytearray))):
            raise TypeError("The only supported seed types are: None,\n"
                            "int, float, str, bytes, and bytearray.")
        if a is None:
            a = (int(_time.time() * 1000000) << 32) ^ (id(self) & _MASK64)
        if isinstance(a, int):
            a = int.__abs__(a)
        else:
            a = hash(a) & _MASK64
        key = []
        while a:
            key.append(a & _MASK32)
            a >>= 32
        self._init_by_array(key or [0])
        self.gauss_next = None

    def getstate(self):
        """Return the internal state; it can be passed to setstate() later."""
        return self.VERSION, tuple(self._mt) + (self._index,), self.gauss_next

    def setstate(self, state):
        """Restore the internal state from an object returned by getstate()."""
        version = state[0]
        if version not in (2, 3):
            raise ValueError("state with version %s passed to Random.setstate() of version %s"
                             % (version, self.VERSION))
        version, internal, gauss_next = state
        if not isinstance(internal, tuple):
            raise TypeError("state vector must be a tuple")
        if len(internal) != _N + 1:
            raise ValueError("state vector is the wrong size")
        if version == 2:
            internal = tuple(x % (2 ** 32) for x in internal)
        words = [int(x) for x in internal[:_N]]
        for w in words:
            if not 0 <= w <= _MASK32:
                raise OverflowError("Python int too large to convert to C unsigned long")
        index = int(internal[_N])
        if not 0 <= index <= _N:
            raise ValueError("invalid state")
        self._mt = words
        self._index = index
        self.gauss_next = gauss_next

    def __reduce__(self):
        return self.__class__, (), self.getstate()

    # -- raw output -------------------------------------------------------------------

    def random(self):
        """A float in [0.0, 1.0) with 53 random bits."""
        a = self._genrand_uint32() >> 5
        b = self._genrand_uint32() >> 6
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)

    def getrandbits(self, k):
        """An int with k random bits (32-bit outputs, least significant first)."""
        if not isinstance(k, int):
            k = k.__index__()
        if k < 0:
            raise ValueError("number of bits must be non-negative")
        if k == 0:
            return 0
        if k <= 32:
            return self._genrand_uint32() >> (32 - k)
        result = 0
        shift = 0
        while k > 0:
            word = self._genrand_uint32()
            if k < 32:
                word >>= 32 - k
            result |= word << shift
            shift += 32
            k -= 32
        return result

    def randbytes(self, n):
        """n random bytes."""
        return self.getrandbits(n * 8).to_bytes(n, "little")

    # -- integers ---------------------------------------------------------------------

    def _randbelow_with_getrandbits(self, n):
        # An int in [0, n), n > 0: draw n.bit_length() bits until the value fits.
        k = n.bit_length()
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return r

    def _randbelow_without_getrandbits(self, n, maxsize=1 << BPF):
        # For subclasses that only provide random().
        random = self.random
        if n >= maxsize:
            return _floor(random() * n)
        if n == 0:
            return 0
        rem = maxsize % n
        limit = (maxsize - rem) / maxsize
        r = random()
        while r >= limit:
            r = random()
        return _floor(r * maxsize) % n

    _randbelow = _randbelow_with_getrandbits

    def randrange(self, start, stop=None, step=1):
        """A random item of range(start, stop, step), without building the range."""
        istart = _as_index(start, "arg 1")
        if stop is None:
            if step != 1 or type(step) is not int:
                raise TypeError("Missing a non-None stop argument")
            if istart > 0:
                return self._randbelow(istart)
            raise ValueError("empty range for randrange()")
        istop = _as_index(stop, "stop")
        width = istop - istart
        istep = _as_index(step, "step")
        if istep == 1:
            if width > 0:
                return istart + self._randbelow(width)
            raise ValueError("empty range for randrange() (%d, %d, %d)" % (istart, istop, width))
        if istep > 0:
            n = (width + istep - 1) // istep
        elif istep < 0:
            n = (width + istep + 1) // istep
        else:
            raise ValueError("zero step for randrange()")
        if n <= 0:
            raise ValueError("empty range for randrange()")
        return istart + istep * self._randbelow(n)

    def randint(self, a, b):
        """An int in [a, b], both ends included."""
        return self.randrange(a, b + 1)

    # -- sequences --------------------------------------------------------------------

    def choice(self, seq):
        """A random element of a non-empty sequence."""
        if not len(seq):
            raise IndexError("Cannot choose from an empty sequence")
        return seq[self._randbelow(len(seq))]

    def shuffle(self, x):
        """Shuffle list x in place (Fisher-Yates from the end); returns None."""
        randbelow = self._randbelow
        for i in range(len(x) - 1, 0, -1):
            j = randbelow(i + 1)
            x[i], x[j] = x[j], x[i]

    def sample(self, population, k, *, counts=None):
        """k distinct positions of a sequence, in selection order."""
        if not isinstance(population, (list, tuple, str, range)):
            from collections.abc import Sequence
            if not isinstance(population, Sequence):
                raise TypeError("Population must be a sequence.  "
                                "For dicts or sets, use sorted(d).")
        n = len(population)
        if counts is not None:
            cum_counts = []
            running = 0
            for c in counts:
                running = running + c
                cum_counts.append(running)
            if len(cum_counts) != n:
                raise ValueError("The number of counts does not match the population")
            total = cum_counts.pop()
            if not isinstance(total, int):
                raise TypeError("Counts must be integers")
            if total <= 0:
                raise ValueError("Total of counts must be greater than zero")
            chosen = self.sample(range(total), k=k)
            return [population[_bisect(cum_counts, s)] for s in chosen]
        if not 0 <= k <= n:
            raise ValueError("Sample larger than population or is negative")
        randbelow = self._randbelow
        result = [None] * k
        # Like CPython: keep a pool list when it is smaller than the set of chosen
        # indices would be, else remember the chosen indices and redraw duplicates.
        setsize = 21
        if k > 5:
            setsize += 4 ** _ceil(_log(k * 3, 4))
        if n <= setsize:
            pool = list(population)
            for i in range(k):
                j = randbelow(n - i)
                result[i] = pool[j]
                pool[j] = pool[n - i - 1]
        else:
            selected = set()
            for i in range(k):
                j = randbelow(n)
                while j in selected:
                    j = randbelow(n)
                selected.add(j)
                result[i] = population[j]
        return result

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        """k elements chosen with replacement, optionally weighted."""
        random = self.random
        n = len(population)
        if cum_weights is None:
            if weights is None:
                n += 0.0
                return [population[_floor(random() * n)] for _ in range(k)]
            try:
                cum_weights = []
                running = None
                for w in weights:
                    running = w if running is None else running + w
                    cum_weights.append(running)
            except TypeError:
                if not isinstance(weights, int):
                    raise
                raise TypeError("The number of choices must be a keyword argument: k=%d"
                                % weights) from None
        elif weights is not None:
            raise TypeError("Cannot specify both weights and cumulative weights")
        if len(cum_weights) != n:
            raise ValueError("The number of weights does not match the population")
        total = cum_weights[-1] + 0.0
        if total <= 0.0:
            raise ValueError("Total of weights must be greater than zero")
        if not _isfinite(total):
            raise ValueError("Total of weights must be finite")
        hi = n - 1
        return [population[_bisect(cum_weights, random() * total, 0, hi)] for _ in range(k)]

    # -- real-valued distributions ------------------------------------------------------

    def uniform(self, a, b):
        """A float between a and b."""
        return a + (b - a) * self.random()

    def triangular(self, low=0.0, high=1.0, mode=None):
        """Triangular distribution on [low, high] with the given mode (default: midpoint)."""
        u = self.random()
        try:
            c = 0.5 if mode is None else (mode - low) / (high - low)
        except ZeroDivisionError:
            return low
        if u > c:
            u = 1.0 - u
            c = 1.0 - c
            low, high = high, low
        return low + (high - low) * _sqrt(u * c)

    def normalvariate(self, mu=0.0, sigma=1.0):
        """Normal distribution (Kinderman and Monahan's ratio method)."""
        random = self.random
        while True:
            u1 = random()
            u2 = 1.0 - random()
            z = NV_MAGICCONST * (u1 - 0.5) / u2
            if z * z / 4.0 <= -_log(u2):
                break
        return mu + z * sigma

    def gauss(self, mu=0.0, sigma=1.0):
        """Normal distribution (Box-Muller; every other call uses the cached value)."""
        z = self.gauss_next
        self.gauss_next = None
        if z is None:
            angle = self.random() * TWOPI
            radius = _sqrt(-2.0 * _log(1.0 - self.random()))
            z = _cos(angle) * radius
            self.gauss_next = _sin(angle) * radius
        return mu + z * sigma

    def lognormvariate(self, mu, sigma):
        """Log normal distribution."""
        return _exp(self.normalvariate(mu, sigma))

    def expovariate(self, lambd):
        """Exponential distribution with rate lambd."""
        return -_log(1.0 - self.random()) / lambd

    def vonmisesvariate(self, mu, kappa):
        """Circular data distribution with mean angle mu and concentration kappa."""
        random = self.random
        if kappa <= 1e-6:
            return TWOPI * random()
        s = 0.5 / kappa
        r = s + _sqrt(1.0 + s * s)
        while True:
            u1 = random()
            z = _cos(_pi * u1)
            d = z / (r + z)
            u2 = random()
            if u2 < 1.0 - d * d or u2 <= (1.0 - d) * _exp(d):
                break
        q = 1.0 / r
        f = (q + z) / (1.0 + q * z)
        if random() > 0.5:
            return (mu + _acos(f)) % TWOPI
        return (mu - _acos(f)) % TWOPI

    def gammavariate(self, alpha, beta):
        """Gamma distribution with shape alpha and scale beta (both > 0)."""
        if alpha <= 0.0 or beta <= 0.0:
            raise ValueError("gammavariate: alpha and beta must be > 0.0")
        random = self.random
        if alpha > 1.0:
            # Cheng's rejection algorithm GB.
            ainv = _sqrt(2.0 * alpha - 1.0)
            bbb = alpha - LOG4
            ccc = alpha + ainv
            while True:
                u1 = random()
                if not 1e-7 < u1 < 0.9999999:
                    continue
                u2 = 1.0 - random()
                v = _log(u1 / (1.0 - u1)) / ainv
                x = alpha * _exp(v)
                z = u1 * u1 * u2
                r = bbb + ccc * v - x
                if r + SG_MAGICCONST - 4.5 * z >= 0.0 or r >= _log(z):
                    return x * beta
        if alpha == 1.0:
            return -_log(1.0 - random()) * beta
        # alpha < 1: the GS algorithm of Ahrens and Dieter.
        while True:
            u = random()
            b = (_e + alpha) / _e
            p = b * u
            if p <= 1.0:
                x = p ** (1.0 / alpha)
            else:
                x = -_log((b - p) / alpha)
            u1 = random()
            if p > 1.0:
                if u1 <= x ** (alpha - 1.0):
                    break
            elif u1 <= _exp(-x):
                break
        return x * beta

    def betavariate(self, alpha, beta):
        """Beta distribution (alpha > 0, beta > 0), from two gamma variates."""
        y = self.gammavariate(alpha, 1.0)
        if y:
            return y / (y + self.gammavariate(beta, 1.0))
        return 0.0

    def paretovariate(self, alpha):
        """Pareto distribution with shape alpha."""
        u = 1.0 - self.random()
        return u ** (-1.0 / alpha)

    def weibullvariate(self, alpha, beta):
        """Weibull distribution with scale alpha and shape beta."""
        u = 1.0 - self.random()
        return alpha * (-_log(u)) ** (1.0 / beta)


class SystemRandom(Random):
    """A generator reading the operating system's entropy source (os.urandom)."""

    def random(self):
        return (int.from_bytes(_urandom(7), "big") >> 3) * RECIP_BPF

    def getrandbits(self, k):
        if k < 0:
            raise ValueError("number of bits must be non-negative")
        numbytes = (k + 7) // 8
        return int.from_bytes(_urandom(numbytes), "big") >> (numbytes * 8 - k)

    def randbytes(self, n):
        return _urandom(n)

    def seed(self, *args, **kwds):
        return None

    def _notimplemented(self, *args, **kwds):
        raise NotImplementedError("System entropy source does not have state.")

    getstate = setstate = _notimplemented


def _urandom(n):
    import os
    return os.urandom(n)


# One shared instance, seeded from the clock, behind the module-level functions.
_inst = Random()
seed = _inst.seed
random = _inst.random
uniform = _inst.uniform
triangular = _inst.triangular
randint = _inst.randint
choice = _inst.choice
randrange = _inst.randrange
sample = _inst.sample
shuffle = _inst.shuffle
choices = _inst.choices
normalvariate = _inst.normalvariate
lognormvariate = _inst.lognormvariate
expovariate = _inst.expovariate
vonmisesvariate = _inst.vonmisesvariate
gammavariate = _inst.gammavariate
gauss = _inst.gauss
betavariate = _inst.betavariate
paretovariate = _inst.paretovariate
weibullvariate = _inst.weibullvariate
getstate = _inst.getstate
setstate = _inst.setstate
getrandbits = _inst.getrandbits
randbytes = _inst.randbytes
