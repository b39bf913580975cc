"""Iterator building blocks (pyvm's own implementation of itertools, in Python).

The iterators produce the same elements in the same order as CPython's, and read
exactly as much of a shared input iterator as CPython's do (islice, takewhile, tee and
groupby are observable that way). count and repeat are classes with CPython's reprs;
chain and groupby are classes too; the rest are functions that check their arguments
and call iter() at once, with CPython's error messages, and then hand the work to a
generator.
"""

__all__ = ["accumulate", "chain", "combinations", "combinations_with_replacement", "compress",
           "count", "cycle", "dropwhile", "filterfalse", "groupby", "islice", "pairwise",
           "permutations", "product", "repeat", "starmap", "takewhile", "tee", "zip_longest"]

_MAXSIZE = (1 << 63) - 1


def _is_number(x):
    # What CPython's count() accepts: an object convertible to int or float, or a
    # complex number (ints, floats, Fractions, Decimals, ...).
    if isinstance(x, (int, float, complex)):
        return True
    t = type(x)
    return hasattr(t, "__index__") or hasattr(t, "__int__") or hasattr(t, "__float__")


# ----------------------------------------------------------------- infinite iterators

class count:
    """count(start=0, step=1): start, start+step, start+2*step, ..."""

    def __init__(self, start=0, step=1):
        if not _is_number(start) or not _is_number(step):
            raise TypeError("a number is required")
        # With an integer step of one CPython keeps a plain integer counter, so
        # count(True) counts 1, 2, 3 ... and shows as count(1).
        if type(step) is bool:
            step = int(step)
        if isinstance(start, int) and type(step) is int and step == 1:
            start = int(start)
        self._value = start
        self._step = step

    def __iter__(self):
        return self

    def __next__(self):
        value = self._value
        self._value = value + self._step
        return value

    def __repr__(self):
        if type(self._step) is int and self._step == 1:
            return "%s(%r)" % (type(self).__name__, self._value)
        return "%s(%r, %r)" % (type(self).__name__, self._value, self._step)

    def __reduce__(self):
        return (type(self), (self._value, self._step))


class repeat:
    """repeat(object[, times]): object over and over, times times or forever."""

    def __init__(self, object, times=None):
        self._object = object
        if times is None:
            self._left = None
        else:
            if not isinstance(times, int):
                raise TypeError("'%s' object cannot be interpreted as an integer" % type(times).__name__)
            self._left = times if times > 0 else 0

    def __iter__(self):
        return self

    def __next__(self):
        left = self._left
        if left is not None:
            if left <= 0:
                raise StopIteration
            self._left = left - 1
        return self._object

    def __length_hint__(self):
        if self._left is None:
            raise TypeError("len() of unsized object")
        return self._left

    def __repr__(self):
        if self._left is None:
            return "%s(%r)" % (type(self).__name__, self._object)
        return "%s(%r, %d)" % (type(self).__name__, self._object, self._left)

    def __reduce__(self):
        if self._left is None:
            return (type(self), (self._object,))
        return (type(self), (self._object, self._left))


def cycle(iterable):
    """cycle(iterable): the elements of iterable, then the same again, forever."""
    return _cycle(iter(iterable))


def _cycle(it):
    seen = []
    for element in it:
        yield element
        seen.append(element)
    if not seen:
        return
    while True:
        for element in seen:
            yield element


# ------------------------------------------------------------ terminating iterators

def accumulate(iterable, func=None, *, initial=None):
    """accumulate(iterable[, func, *, initial=None]): running totals (or func results)."""
    return _accumulate(iter(iterable), func, initial)


def _accumulate(it, func, initial):
    if initial is None:
        for total in it:
            break
        else:
            return
    else:
        total = initial
    yield total
    if func is None:
        for element in it:
            total = total + element
            yield total
    else:
        for element in it:
            total = func(total, element)
            yield total


class chain:
    """chain(*iterables): the elements of the first iterable, then of the next, ..."""

    def __init__(self, *iterables):
        self._sources = iter(iterables)
        self._current = None

    @classmethod
    def from_iterable(cls, iterables):
        """chain.from_iterable(iterable): like chain(*iterable), but lazy."""
        self = cls.__new__(cls)
        self._sources = iter(iterables)
        self._current = None
        return self

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            if self._current is None:
                if self._sources is None:
                    raise StopIteration
                try:
                    source = next(self._sources)
                except StopIteration:
                    self._sources = None
                    raise
                self._current = iter(source)
            try:
                return next(self._current)
            except StopIteration:
                self._current = None


def compress(data, selectors):
    """compress(data, selectors): the elements of data whose selector is true."""
    return _compress(iter(data), iter(selectors))


def _compress(data, selectors):
    for element, selected in zip(data, selectors):
        if selected:
            yield element


def dropwhile(predicate, iterable):
    """dropwhile(predicate, iterable): skip elements while predicate holds, then all."""
    return _dropwhile(predicate, iter(iterable))


def _dropwhile(predicate, it):
    for element in it:
        if not predicate(element):
            yield element
            break
    yield from it


def takewhile(predicate, iterable):
    """takewhile(predicate, iterable): elements as long as predicate holds."""
    return _takewhile(predicate, iter(iterable))


def _takewhile(predicate, it):
    for element in it:
        if not predicate(element):
            return
        yield element


def filterfalse(function, iterable):
    """filterfalse(function or None, iterable): the elements for which function is false."""
    return _filterfalse(function, iter(iterable))


def _filterfalse(function, it):
    if function is None:
        for element in it:
            if not element:
                yield element
    else:
        for element in it:
            if not function(element):
                yield element


class groupby:
    """groupby(iterable, key=None): (key, group) pairs for runs of elements with equal keys.

    The groups share the underlying iterator: moving groupby on to the next key ends
    the iterator of the previous group.
    """

    def __init__(self, iterable, key=None):
        self._it = iter(iterable)
        self._keyfunc = key
        self._tgtkey = _NULL        # key of the group handed out last
        self._currkey = _NULL       # key of the element read last
        self._currvalue = _NULL     # that element, until a group hands it out
        self._live = None           # token of the one group that may still yield

    def __iter__(self):
        return self

    def _step(self):
        # Read the next element and its key; StopIteration propagates.
        value = next(self._it)
        key = value if self._keyfunc is None else self._keyfunc(value)
        self._currvalue = value
        self._currkey = key

    def __next__(self):
        self._live = None
        # Skip what is left of the previous group.
        while True:
            if self._currkey is _NULL:
                pass
            elif self._tgtkey is _NULL:
                break
            elif not (self._tgtkey == self._currkey):
                break
            self._step()
        self._tgtkey = self._currkey
        token = self._live = object()
        return self._currkey, self._grouper(token, self._tgtkey)

    def _grouper(self, token, tgtkey):
        while self._live is token:
            if self._currvalue is _NULL:
                try:
                    self._step()
                except StopIteration:
                    return
            if not (tgtkey == self._currkey):
                return
            value = self._currvalue
            self._currvalue = _NULL
            yield value


_NULL = object()


def islice(iterable, *args):
    """islice(iterable, stop) or islice(iterable, start, stop[, step]): the elements
    at positions start, start+step, ... below stop, read lazily from iterable."""
    if not args:
        raise TypeError("islice expected at least 2 arguments, got 1")
    if len(args) > 3:
        raise TypeError("islice expected at most 4 arguments, got %d" % (len(args) + 1))
    start, step = 0, 1
    if len(args) == 1:
        stop = _islice_index(args[0])
        if stop is _BAD:
            raise ValueError("Stop argument for islice() must be None or an integer: "
                             "0 <= x <= sys.maxsize.")
    else:
        start = _islice_index(args[0])
        stop = _islice_index(args[1])
        if start is None:
            start = 0
        if start is _BAD or stop is _BAD:
            raise ValueError("Indices for islice() must be None or an integer: "
                             "0 <= x <= sys.maxsize.")
        if len(args) == 3:
            step = _islice_index(args[2])
            if step is None:
                step = 1
            if step is _BAD or step == 0:
                raise ValueError("Step for islice() must be a positive integer or None.")
    return _islice(iter(iterable), start, stop, step)


def _islice(it, wanted, stop, step):
    # How many elements are read from `it` is visible to whoever shares it, so this
    # reads exactly what CPython's islice reads: up to and including each wanted
    # element, never past `stop`, and nothing more once it has stopped.
    read = 0
    while True:
        while read < wanted:
            try:
                next(it)
            except StopIteration:
                return
            read += 1
        if stop is not None and read >= stop:
            return
        try:
            element = next(it)
        except StopIteration:
            return
        read += 1
        wanted += step
        if stop is not None and wanted > stop:
            wanted = stop
        yield element


_BAD = object()


def _islice_index(x):
    # None, or an integer (anything with __index__) in 0..sys.maxsize; else _BAD.
    if x is None:
        return None
    if not isinstance(x, int):
        index = getattr(type(x), "__index__", None)
        if index is None:
            return _BAD
        x = index(x)
    if x < 0 or x > _MAXSIZE:
        return _BAD
    return int(x)


def pairwise(iterable):
    """pairwise(iterable): overlapping pairs (s0, s1), (s1, s2), ..."""
    return _pairwise(iter(iterable))


def _pairwise(it):
    for previous in it:
        break
    else:
        return
    for element in it:
        yield previous, element
        previous = element


def starmap(function, iterable):
    """starmap(function, iterable): function(*args) for each args in iterable."""
    return _starmap(function, iter(iterable))


def _starmap(function, it):
    for args in it:
        yield function(*tuple(args))


def zip_longest(*iterables, fillvalue=None):
    """zip_longest(*iterables, fillvalue=None): like zip, padding the short ones."""
    return _zip_longest([iter(x) for x in iterables], fillvalue)


def _zip_longest(iterators, fillvalue):
    live = len(iterators)
    if not live:
        return
    exhausted = [False] * live
    while True:
        row = []
        for i, it in enumerate(iterators):
            if exhausted[i]:
                row.append(fillvalue)
                continue
            try:
                row.append(next(it))
            except StopIteration:
                exhausted[i] = True
                live -= 1
                if not live:
                    return
                row.append(fillvalue)
        yield tuple(row)


class _tee:
    """One of the iterators returned by tee(); copy() gives another at the same place.

    The iterators of one tee() share a singly linked list of cells [value, next],
    appended to by whichever iterator is ahead; cells that every iterator has
    passed are no longer referenced and are freed.
    """

    def __init__(self, source, cell):
        self._source = source   # [the shared iterator], or [None] once it is exhausted
        self._cell = cell       # the cell this iterator reads next

    def __iter__(self):
        return self

    def __next__(self):
        cell = self._cell
        following = cell[1]
        if following is None:
            # Nobody has read this far yet: fetch the value into this (empty) cell.
            it = self._source[0]
            if it is None:
                raise StopIteration
            try:
                value = next(it)
            except StopIteration:
                self._source[0] = None
                raise
            if cell[1] is None:
                cell[0] = value
                cell[1] = [None, None]
            following = cell[1]
        self._cell = following
        return cell[0]

    def __copy__(self):
        return _tee(self._source, self._cell)


def tee(iterable, n=2):
    """tee(iterable, n=2): n independent iterators over the same elements."""
    if not isinstance(n, int):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(n).__name__)
    if n < 0:
        raise ValueError("n must be >= 0")
    if n == 0:
        return ()
    it = iter(iterable)
    # An iterator that can copy itself (such as another tee iterator) is used as is;
    # anything else is wrapped in a fresh tee iterator first.
    if getattr(it, "__copy__", None) is None:
        it = _tee([it], [None, None])
    copy = it.__copy__
    return (it,) + tuple(copy() for _ in range(n - 1))


# ------------------------------------------------------------------ combinatorics

def product(*iterables, repeat=1):
    """product(*iterables, repeat=1): the Cartesian product, last iterable varying fastest."""
    if not isinstance(repeat, int):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(repeat).__name__)
    if repeat < 0:
        raise ValueError("repeat argument cannot be negative")
    pools = [tuple(x) for x in iterables] * repeat
    return _product(pools)


def _product(pools):
    for pool in pools:
        if not pool:
            return
    n = len(pools)
    # An odometer: positions[i] indexes pools[i]; the rightmost wheel turns fastest.
    positions = [0] * n
    current = [pool[0] for pool in pools]
    yield tuple(current)
    while True:
        i = n - 1
        while i >= 0:
            pool = pools[i]
            p = positions[i] + 1
            if p < len(pool):
                positions[i] = p
                current[i] = pool[p]
                break
            positions[i] = 0
            current[i] = pool[0]
            i -= 1
        if i < 0:
            return
        yield tuple(current)


def _check_r(r, message=None):
    if not isinstance(r, int):
        raise TypeError(message or "'%s' object cannot be interpreted as an integer" % type(r).__name__)
    if r < 0:
        raise ValueError("r must be non-negative")


def permutations(iterable, r=None):
    """permutations(iterable, r=None): r-length orderings, in lexicographic index order."""
    pool = tuple(iterable)
    if r is None:
        r = len(pool)
    else:
        _check_r(r, "Expected int as r")
    return _permutations(pool, r)


def _permutations(pool, r):
    n = len(pool)
    if r > n:
        return
    # order lists the pool indices: the first r are the current permutation, the rest
    # are the unused ones in increasing order. left[i] counts how many more values
    # position i takes before it wraps around.
    order = list(range(n))
    left = [n - i for i in range(r)]
    yield tuple(pool[k] for k in order[:r])
    while True:
        i = r - 1
        while i >= 0:
            left[i] -= 1
            if left[i]:
                j = n - left[i]
                order[i], order[j] = order[j], order[i]
                break
            # Position i has taken every value: put its index back at the end of the
            # unused part (keeping that part sorted) and carry into position i - 1.
            order.append(order.pop(i))
            left[i] = n - i
            i -= 1
        if i < 0:
            return
        yield tuple(pool[k] for k in order[:r])


def combinations(iterable, r):
    """combinations(iterable, r): r-length subsequences, in lexicographic index order."""
    pool = tuple(iterable)
    _check_r(r)
    return _combinations(pool, r)


def _combinations(pool, r):
    n = len(pool)
    if r > n:
        return
    chosen = list(range(r))
    yield tuple(pool[k] for k in chosen)
    while True:
        # The rightmost position that can still move right.
        i = r - 1
        while i >= 0 and chosen[i] == n - r + i:
            i -= 1
        if i < 0:
            return
        chosen[i] += 1
        for j in range(i + 1, r):
            chosen[j] = chosen[j - 1] + 1
        yield tuple(pool[k] for k in chosen)


def combinations_with_replacement(iterable, r):
    """combinations_with_replacement(iterable, r): like combinations, elements may repeat."""
    pool = tuple(iterable)
    _check_r(r)
    return _combinations_with_replacement(pool, r)


def _combinations_with_replacement(pool, r):
    n = len(pool)
    if n == 0 and r:
        return
    chosen = [0] * r
    yield tuple(pool[k] for k in chosen)
    while True:
        i = r - 1
        while i >= 0 and chosen[i] == n - 1:
            i -= 1
        if i < 0:
            return
        value = chosen[i] + 1
        for j in range(i, r):
            chosen[j] = value
        yield tuple(pool[k] for k in chosen)
