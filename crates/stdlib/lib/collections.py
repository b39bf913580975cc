"""Container datatypes (pyvm's own implementation of collections, in Python).

deque, defaultdict, OrderedDict, Counter, namedtuple, ChainMap and the UserDict,
UserList and UserString wrappers, with CPython's orders, reprs and error messages. The abstract base classes live in collections.abc
(pyvm's lib/collections_abc.py), which this module imports; the classes here are
registered with (or derive from) the matching ABCs there.
"""

__all__ = ["ChainMap", "Counter", "OrderedDict", "UserDict", "UserList", "UserString",
           "defaultdict", "deque", "namedtuple"]

import collections.abc as _abc
import sys as _sys
from keyword import iskeyword as _iskeyword
from operator import itemgetter as _itemgetter

try:
    from types import GenericAlias as _GenericAlias
except ImportError:
    _GenericAlias = None


def _class_getitem(cls, item):
    # deque[int] and friends: a types.GenericAlias when there is one; otherwise the
    # class itself (which is what list[int] gives without GenericAlias).
    if _GenericAlias is not None:
        return _GenericAlias(cls, item)
    return cls


# ids of the objects whose repr is being built, so that a container that holds
# itself shows "..." (or "[...]") instead of recursing forever.
_repr_running = set()


def _guarded_repr(obj, build, placeholder):
    key = id(obj)
    if key in _repr_running:
        return placeholder
    _repr_running.add(key)
    try:
        return build()
    finally:
        _repr_running.discard(key)


# ------------------------------------------------------------------------ deque

class deque:
    """deque([iterable[, maxlen]]): a list-like sequence with fast appends and pops
    at both ends. A deque with a maxlen drops items from the opposite end when it
    is full."""

    # The elements are self._items[self._head:]; the slots before _head are spare
    # room (holding None) that popleft leaves behind and appendleft fills again.
    # _state counts structural changes, so that iterators can notice them.
    _state = 0

    def __init__(self, iterable=(), maxlen=None):
        if maxlen is not None:
            if not isinstance(maxlen, int):
                raise TypeError("an integer is required")
            if maxlen < 0:
                raise ValueError("maxlen must be non-negative")
        self._maxlen = maxlen
        self._items = []
        self._head = 0
        self._state += 1
        self.extend(iterable)

    @property
    def maxlen(self):
        """Maximum size of the deque, or None when unbounded."""
        return self._maxlen

    # -- internal helpers

    def _live(self):
        # The elements as a list (a copy when there is spare room in front).
        if self._head:
            return self._items[self._head:]
        return self._items

    def _set(self, elements):
        self._items = elements
        self._head = 0

    def _drop_left(self, count):
        # Remove count elements from the left end: clear their slots, and compact the
        # list once at least half of it is spare room (O(1) amortized per element).
        items = self._items
        head = self._head + count
        if head * 2 >= len(items):
            del items[:head]
            self._head = 0
        else:
            items[self._head:head] = [None] * count
            self._head = head

    def _position(self, index):
        # The position in self._items of element number index (negative counts from
        # the right); IndexError when there is no such element.
        if not isinstance(index, int):
            convert = getattr(type(index), "__index__", None)
            if convert is None:
                raise TypeError("sequence index must be integer, not '%s'" % type(index).__name__)
            index = convert(index)
        size = len(self._items) - self._head
        if index < 0:
            index += size
        if index < 0 or index >= size:
            raise IndexError("deque index out of range")
        return self._head + index

    # -- adding and removing at the ends

    def append(self, x):
        """Add x to the right end."""
        self._state += 1
        items = self._items
        items.append(x)
        maxlen = self._maxlen
        if maxlen is not None and len(items) - self._head > maxlen:
            # Full: the leftmost element goes (as in popleft).
            head = self._head
            items[head] = None
            head += 1
            if head * 2 >= len(items):
                del items[:head]
                head = 0
            self._head = head

    def appendleft(self, x):
        """Add x to the left end."""
        self._state += 1
        if self._head == 0:
            room = max(8, len(self._items))
            self._items[0:0] = [None] * room
            self._head = room
        self._head -= 1
        self._items[self._head] = x
        if self._maxlen is not None and len(self._items) - self._head > self._maxlen:
            self._items.pop()

    def pop(self):
        """Remove and return the rightmost element."""
        if len(self._items) == self._head:
            raise IndexError("pop from an empty deque")
        self._state += 1
        x = self._items.pop()
        if len(self._items) == self._head:
            self._set([])
        return x

    def popleft(self):
        """Remove and return the leftmost element."""
        items = self._items
        head = self._head
        if head == len(items):
            raise IndexError("pop from an empty deque")
        self._state += 1
        x = items[head]
        items[head] = None
        head += 1
        # Compact once at least half of the list is spare room.
        if head * 2 >= len(items):
            del items[:head]
            head = 0
        self._head = head
        return x

    def extend(self, iterable):
        """Append the elements of iterable to the right end."""
        if iterable is self:
            iterable = list(iterable)
        self._state += 1
        self._items.extend(iterable)
        if self._maxlen is not None:
            excess = len(self._items) - self._head - self._maxlen
            if excess > 0:
                self._drop_left(excess)

    def extendleft(self, iterable):
        """Append the elements of iterable to the left end, one by one (so they end
        up in reverse order)."""
        elements = list(iterable)
        elements.reverse()
        self._state += 1
        self._items[self._head:self._head] = elements
        if self._maxlen is not None:
            excess = len(self._items) - self._head - self._maxlen
            if excess > 0:
                del self._items[len(self._items) - excess:]

    def clear(self):
        """Remove every element."""
        self._state += 1
        self._set([])

    # -- whole-deque operations

    def rotate(self, n=1):
        """Rotate n steps to the right (to the left when n is negative)."""
        if not isinstance(n, int):
            raise TypeError("'%s' object cannot be interpreted as an integer" % type(n).__name__)
        size = len(self._items) - self._head
        if size <= 1:
            return
        n %= size
        if n:
            self._state += 1
            live = self._items[self._head:]
            self._set(live[size - n:] + live[:size - n])

    def reverse(self):
        """Reverse the elements in place."""
        self._state += 1
        live = self._items[self._head:]
        live.reverse()
        self._set(live)

    def copy(self):
        """A shallow copy."""
        if type(self) is deque:
            return deque(self._live(), self._maxlen)
        if self._maxlen is None:
            return type(self)(self)
        return type(self)(self, self._maxlen)

    __copy__ = copy

    def count(self, x):
        """Number of elements equal to x."""
        return self._live().count(x)

    def index(self, x, start=0, stop=_sys.maxsize):
        """First index of x in the deque (between start and stop)."""
        try:
            return self._live().index(x, start, stop)
        except ValueError:
            raise ValueError("%r is not in deque" % (x,)) from None

    def insert(self, i, x):
        """Insert x before position i."""
        if self._maxlen is not None and len(self._items) - self._head >= self._maxlen:
            raise IndexError("deque already at its maximum size")
        size = len(self._items) - self._head
        if i < 0:
            i = max(i + size, 0)
        elif i > size:
            i = size
        self._state += 1
        self._items.insert(self._head + i, x)

    def remove(self, value):
        """Remove the first element equal to value."""
        live = self._live()
        try:
            i = live.index(value)
        except ValueError:
            raise ValueError("%r is not in deque" % (value,)) from None
        self._state += 1
        del self._items[self._head + i]
        if len(self._items) == self._head:
            self._set([])

    # -- the sequence protocol

    def __len__(self):
        return len(self._items) - self._head

    def __bool__(self):
        return len(self._items) > self._head

    def __iter__(self):
        return self._iterate(self._state, False)

    def __reversed__(self):
        return self._iterate(self._state, True)

    def _iterate(self, state, backwards):
        # Until the deque changes, self._items and self._head stay as they are; a
        # change (other than item assignment) bumps self._state.
        items = self._items
        if backwards:
            positions = range(len(items) - 1, self._head - 1, -1)
        else:
            positions = range(self._head, len(items))
        for i in positions:
            if self._state != state:
                raise RuntimeError("deque mutated during iteration")
            yield items[i]
        if self._state != state:
            raise RuntimeError("deque mutated during iteration")

    def __contains__(self, x):
        return x in self._live()

    def __getitem__(self, index):
        return self._items[self._position(index)]

    def __setitem__(self, index, value):
        self._items[self._position(index)] = value

    def __delitem__(self, index):
        position = self._position(index)
        self._state += 1
        del self._items[position]
        if len(self._items) == self._head:
            self._set([])

    # -- comparisons and operators

    def __eq__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._live() == other._live()

    def __ne__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._live() != other._live()

    def __lt__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._live() < other._live()

    def __le__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._live() <= other._live()

    def __gt__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._live() > other._live()

    def __ge__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._live() >= other._live()

    __hash__ = None

    def __add__(self, other):
        if not isinstance(other, deque):
            raise TypeError('can only concatenate deque (not "%s") to deque' % type(other).__name__)
        result = self.copy()
        result.extend(other)
        return result

    def __iadd__(self, other):
        self.extend(other)
        return self

    def __mul__(self, n):
        result = self.copy()
        result *= n
        return result

    __rmul__ = __mul__

    def __imul__(self, n):
        repeated = self._live() * n
        self._state += 1
        self._set([])
        self.extend(repeated)
        return self

    def __repr__(self):
        def build():
            if self._maxlen is None:
                return "%s(%r)" % (type(self).__name__, list(self))
            return "%s(%r, maxlen=%d)" % (type(self).__name__, list(self), self._maxlen)
        # A deque inside itself shows as [...].
        return _guarded_repr(self, build, "[...]")

    def __reduce__(self):
        state = {k: v for k, v in vars(self).items()
                 if k not in ("_items", "_head", "_maxlen", "_state")}
        args = (list(self),) if self._maxlen is None else (list(self), self._maxlen)
        return (type(self), args, state or None)

    __class_getitem__ = classmethod(_class_getitem)


_abc.MutableSequence.register(deque)


# ------------------------------------------------------------------ defaultdict

class defaultdict(dict):
    """defaultdict(default_factory=None, /, [...]): a dict that creates a missing
    key's value by calling default_factory() (with no factory, KeyError as usual)."""

    __slots__ = ("default_factory",)

    def __init__(self, default_factory=None, /, *args, **kwargs):
        if default_factory is not None and not callable(default_factory):
            raise TypeError("first argument must be callable or None")
        dict.__init__(self, *args, **kwargs)
        self.default_factory = default_factory

    def __missing__(self, key):
        factory = self.default_factory
        if factory is None:
            raise KeyError(key)
        value = factory()
        self[key] = value
        return value

    def copy(self):
        """A shallow copy, with the same default_factory."""
        return type(self)(self.default_factory, self)

    __copy__ = copy

    def __repr__(self):
        factory = self.default_factory
        shown = _guarded_repr(factory, lambda: repr(factory), "...")
        return "%s(%s, %s)" % (type(self).__name__, shown, dict.__repr__(self))

    def __reduce__(self):
        args = () if self.default_factory is None else (self.default_factory,)
        return (type(self), args, None, None, iter(self.items()))

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        result = self.copy()
        result.update(other)
        return result

    def __ror__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        result = type(self)(self.default_factory, other)
        result.update(self)
        return result

    def __ior__(self, other):
        self.update(other)
        return self

    __class_getitem__ = classmethod(_class_getitem)


# ------------------------------------------------------------------ OrderedDict

# The views returned by OrderedDict.keys(), values() and items(), with CPython's
# names and reprs, and reversible.

class odict_keys(_abc.KeysView):
    __slots__ = ()

    def __reversed__(self):
        return reversed(list(self._mapping))

    def __repr__(self):
        return "odict_keys(%r)" % (list(self),)


class odict_values(_abc.ValuesView):
    __slots__ = ()

    def __reversed__(self):
        mapping = self._mapping
        for key in reversed(list(mapping)):
            yield mapping[key]

    def __repr__(self):
        return "odict_values(%r)" % (list(self),)


class odict_items(_abc.ItemsView):
    __slots__ = ()

    def __reversed__(self):
        mapping = self._mapping
        for key in reversed(list(mapping)):
            yield (key, mapping[key])

    def __repr__(self):
        return "odict_items(%r)" % (list(self),)


class OrderedDict(dict):
    """A dict that remembers insertion order and can reorder: move_to_end, and
    popitem from either end. Comparing two OrderedDicts takes the order into account."""

    def move_to_end(self, key, last=True):
        """Move key to the right end (to the left end when last is false)."""
        value = dict.pop(self, key)
        if last:
            dict.__setitem__(self, key, value)
            return
        rest = list(dict.items(self))
        dict.clear(self)
        dict.__setitem__(self, key, value)
        dict.update(self, rest)

    def popitem(self, last=True):
        """Remove and return the last (key, value) pair, or the first if last is false."""
        if not self:
            raise KeyError("dictionary is empty")
        if last:
            return dict.popitem(self)
        key = next(iter(dict.keys(self)))
        return key, dict.pop(self, key)

    def __reversed__(self):
        return reversed(list(dict.keys(self)))

    def keys(self):
        """A set-like view of the keys, in order."""
        return odict_keys(self)

    def values(self):
        """A view of the values, in order."""
        return odict_values(self)

    def items(self):
        """A set-like view of the (key, value) pairs, in order."""
        return odict_items(self)

    def __eq__(self, other):
        if isinstance(other, OrderedDict):
            # Equal as dicts and in the same order: the item lists are equal.
            return list(dict.items(self)) == list(dict.items(other))
        return dict.__eq__(self, other)

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None

    def copy(self):
        """A shallow copy."""
        return type(self)(self)

    __copy__ = copy

    def __repr__(self):
        name = type(self).__name__
        if not self:
            return "%s()" % name
        return _guarded_repr(self, lambda: "%s(%r)" % (name, list(dict.items(self))), "...")

    def __reduce__(self):
        state = getattr(self, "__dict__", None) or None
        return (type(self), (), state, None, iter(dict.items(self)))

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        result = type(self)(self)
        result.update(other)
        return result

    def __ror__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        result = type(self)(other)
        result.update(self)
        return result

    def __ior__(self, other):
        self.update(other)
        return self

    __class_getitem__ = classmethod(_class_getitem)


# ---------------------------------------------------------------------- Counter

class Counter(dict):
    """A dict that counts hashable things: Counter('abca') is
    Counter({'a': 2, 'b': 1, 'c': 1}). Missing elements count zero."""

    def __init__(self, iterable=None, /, **kwds):
        dict.__init__(self)
        self.update(iterable, **kwds)

    def __missing__(self, key):
        return 0

    def total(self):
        """Sum of the counts."""
        return sum(self.values())

    def most_common(self, n=None):
        """The n most common elements with their counts, most common first; elements
        with equal counts stay in the order they were first seen."""
        ranked = sorted(self.items(), key=_itemgetter(1), reverse=True)
        if n is None:
            return ranked
        return ranked[:n] if n > 0 else []

    def elements(self):
        """Each element repeated as many times as its count (counts below one: never)."""
        for element, count in self.items():
            for _ in range(count):
                yield element

    @classmethod
    def fromkeys(cls, iterable, v=None):
        raise NotImplementedError("Counter.fromkeys() is undefined.  Use Counter(iterable) instead.")

    def update(self, iterable=None, /, **kwds):
        """Add counts from an iterable of elements or from a mapping of counts."""
        if iterable is not None:
            if isinstance(iterable, dict) or isinstance(iterable, _abc.Mapping):
                if self:
                    for element, count in iterable.items():
                        self[element] = count + self.get(element, 0)
                else:
                    dict.update(self, iterable)
            else:
                get = self.get
                for element in iterable:
                    self[element] = get(element, 0) + 1
        if kwds:
            self.update(kwds)

    def subtract(self, iterable=None, /, **kwds):
        """Subtract counts (which may go to zero or below)."""
        if iterable is not None:
            get = self.get
            if isinstance(iterable, _abc.Mapping):
                for element, count in iterable.items():
                    self[element] = get(element, 0) - count
            else:
                for element in iterable:
                    self[element] = get(element, 0) - 1
        if kwds:
            self.subtract(kwds)

    def copy(self):
        """A shallow copy."""
        return type(self)(self)

    __copy__ = copy

    def __reduce__(self):
        return (type(self), (dict(self),))

    def __delitem__(self, element):
        # Deleting a missing element is not an error.
        if element in self:
            dict.__delitem__(self, element)

    def __repr__(self):
        name = type(self).__name__
        if not self:
            return "%s()" % name
        try:
            shown = dict(self.most_common())
        except TypeError:           # counts that cannot be ordered
            shown = dict(self)
        return "%s(%r)" % (name, shown)

    # Comparisons treat missing elements as zero counts.

    def __eq__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] == other[e] for c in (self, other) for e in c)

    def __ne__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return not self == other

    def __le__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] <= other[e] for c in (self, other) for e in c)

    def __lt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self <= other and self != other

    def __ge__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] >= other[e] for c in (self, other) for e in c)

    def __gt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self >= other and self != other

    __hash__ = None

    # Multiset arithmetic: the results keep only positive counts.

    def _combine(self, other, pick):
        result = Counter()
        for element, count in self.items():
            value = pick(count, other[element])
            if value > 0:
                result[element] = value
        for element, count in other.items():
            if element not in self:
                value = pick(0, count)
                if value > 0:
                    result[element] = value
        return result

    def __add__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self._combine(other, lambda a, b: a + b)

    def __sub__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self._combine(other, lambda a, b: a - b)

    def __or__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self._combine(other, lambda a, b: b if a < b else a)

    def __and__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for element, count in self.items():
            other_count = other[element]
            value = count if count < other_count else other_count
            if value > 0:
                result[element] = value
        return result

    def __pos__(self):
        result = Counter()
        for element, count in self.items():
            if count > 0:
                result[element] = count
        return result

    def __neg__(self):
        result = Counter()
        for element, count in self.items():
            if count < 0:
                result[element] = 0 - count
        return result

    __class_getitem__ = classmethod(_class_getitem)

    def _keep_positive(self):
        for element in [e for e, count in self.items() if not count > 0]:
            del self[element]
        return self

    def __iadd__(self, other):
        for element, count in other.items():
            self[element] += count
        return self._keep_positive()

    def __isub__(self, other):
        for element, count in other.items():
            self[element] -= count
        return self._keep_positive()

    def __ior__(self, other):
        for element, other_count in other.items():
            if other_count > self[element]:
                self[element] = other_count
        return self._keep_positive()

    def __iand__(self, other):
        for element, count in self.items():
            other_count = other[element]
            if other_count < count:
                self[element] = other_count
        return self._keep_positive()


# ------------------------------------------------------------------- namedtuple

def _quoted_list(names):
    # 'a'; 'a' and 'b'; 'a', 'b', and 'c' -- as in CPython's argument errors.
    quoted = [repr(n) for n in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return "%s and %s" % tuple(quoted)
    return "%s, and %s" % (", ".join(quoted[:-1]), quoted[-1])


def _field_set(self, value):
    # The fields of a namedtuple are read-only (CPython's _tuplegetter).
    raise AttributeError("can't set attribute")


def _field_delete(self):
    raise AttributeError("can't delete attribute")


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    """A new tuple subclass whose fields can also be read by name:
    Point = namedtuple('Point', 'x y'); Point(1, y=2).y == 2."""
    if isinstance(field_names, str):
        field_names = field_names.replace(",", " ").split()
    field_names = [str(name) for name in field_names]
    typename = str(typename)
    if rename:
        taken = set()
        for index, name in enumerate(field_names):
            if (not name.isidentifier() or _iskeyword(name) or name.startswith("_")
                    or name in taken):
                field_names[index] = "_%d" % index
            taken.add(name)
    for name in [typename] + field_names:
        if not name.isidentifier():
            raise ValueError("Type names and field names must be valid identifiers: %r" % (name,))
        if _iskeyword(name):
            raise ValueError("Type names and field names cannot be a keyword: %r" % (name,))
    taken = set()
    for name in field_names:
        if name.startswith("_") and not rename:
            raise ValueError("Field names cannot start with an underscore: %r" % (name,))
        if name in taken:
            raise ValueError("Encountered duplicate field name: %r" % (name,))
        taken.add(name)

    fields = tuple(field_names)
    nfields = len(fields)
    if defaults is not None:
        defaults = tuple(defaults)
        if len(defaults) > nfields:
            raise TypeError("Got more default values than field names")
    else:
        defaults = ()
    field_defaults = dict(zip(fields[nfields - len(defaults):], defaults))
    required = nfields - len(defaults)
    where = typename + ".__new__()"

    def __new__(_cls, *args, **kwargs):
        # Binds the arguments like a function with signature (_cls, field1, field2, ...)
        # and the given defaults would, with the same error messages.
        values = list(args[:nfields])
        given = len(values)
        for name in kwargs:
            if name in fields[:given] or name == "_cls":
                raise TypeError("%s got multiple values for argument %r" % (where, name))
            if name not in fields:
                raise TypeError("%s got an unexpected keyword argument %r" % (where, name))
        if len(args) > nfields:
            if defaults:
                expected = "from %d to %d" % (required + 1, nfields + 1)
            else:
                expected = "%d" % (nfields + 1)
            raise TypeError("%s takes %s positional argument%s but %d were given"
                            % (where, expected, "" if nfields == 0 and not defaults else "s",
                               len(args) + 1))
        missing = []
        for name in fields[given:]:
            if name in kwargs:
                values.append(kwargs[name])
            elif name in field_defaults:
                values.append(field_defaults[name])
            else:
                missing.append(name)
        if missing:
            raise TypeError("%s missing %d required positional argument%s: %s"
                            % (where, len(missing), "" if len(missing) == 1 else "s",
                               _quoted_list(missing)))
        return tuple.__new__(_cls, values)

    __new__.__name__ = "__new__"
    __new__.__qualname__ = typename + ".__new__"
    __new__.__doc__ = "Create new instance of %s(%s)" % (typename, ", ".join(fields))

    def _make(cls, iterable):
        """Make a new instance from a sequence or iterable."""
        result = tuple.__new__(cls, iterable)
        if len(result) != nfields:
            raise TypeError("Expected %d arguments, got %d" % (nfields, len(result)))
        return result

    def _replace(self, /, **kwds):
        """Return a new instance with some fields replaced."""
        result = self._make([kwds.pop(name, value) for name, value in zip(fields, self)])
        if kwds:
            raise ValueError("Got unexpected field names: %r" % (list(kwds),))
        return result

    def __repr__(self):
        """Return a nicely formatted representation string."""
        return "%s(%s)" % (self.__class__.__name__,
                           ", ".join("%s=%r" % pair for pair in zip(fields, self)))

    def _asdict(self):
        """Return a new dict which maps field names to their values."""
        return dict(zip(fields, self))

    def __getnewargs__(self):
        """Return self as a plain tuple. Used by copy and pickle."""
        return tuple(self)

    namespace = {
        "__doc__": "%s(%s)" % (typename, ", ".join(fields)),
        "__slots__": (),
        "_fields": fields,
        "_field_defaults": field_defaults,
        "__new__": __new__,
        "_make": classmethod(_make),
        "_replace": _replace,
        "__repr__": __repr__,
        "_asdict": _asdict,
        "__getnewargs__": __getnewargs__,
        "__match_args__": fields,
    }
    for index, name in enumerate(fields):
        namespace[name] = property(_itemgetter(index), _field_set, _field_delete,
                                   "Alias for field number %d" % index)
    result = type(typename, (tuple,), namespace)

    # The class belongs to the caller's module (which matters for its repr and for
    # pickling). Without sys._getframe, assume the main program.
    if module is None:
        try:
            module = _sys._getframe(1).f_globals.get("__name__", "__main__")
        except (AttributeError, ValueError):
            module = "__main__"
    result.__module__ = module
    return result


# --------------------------------------------------------------------- ChainMap

class ChainMap(_abc.MutableMapping):
    """ChainMap(*maps): several mappings seen as one. Lookups try each mapping in
    turn; writes and deletions go to the first one (maps[0])."""

    def __init__(self, *maps):
        self.maps = list(maps) or [{}]

    def __missing__(self, key):
        raise KeyError(key)

    def __getitem__(self, key):
        for mapping in self.maps:
            try:
                return mapping[key]
            except KeyError:
                pass
        return self.__missing__(key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __len__(self):
        return len(set().union(*self.maps))

    def __iter__(self):
        # The keys in the order a dict built from the last mapping to the first
        # would have them.
        seen = {}
        for mapping in reversed(self.maps):
            for key in mapping:
                seen[key] = None
        return iter(seen)

    def __contains__(self, key):
        for mapping in self.maps:
            if key in mapping:
                return True
        return False

    def __bool__(self):
        for mapping in self.maps:
            if mapping:
                return True
        return False

    def __repr__(self):
        return _guarded_repr(self, lambda: "%s(%s)" % (
            type(self).__name__, ", ".join(repr(m) for m in self.maps)), "...")

    @classmethod
    def fromkeys(cls, iterable, *args):
        """A ChainMap whose one mapping is dict.fromkeys(iterable, *args)."""
        return cls(dict.fromkeys(iterable, *args))

    def copy(self):
        """A new ChainMap with a copy of maps[0] followed by the other maps."""
        return type(self)(self.maps[0].copy(), *self.maps[1:])

    __copy__ = copy

    def new_child(self, m=None, **kwargs):
        """A new ChainMap with m (or a new dict) in front of the current maps."""
        if m is None:
            m = kwargs
        elif kwargs:
            m.update(kwargs)
        return type(self)(m, *self.maps)

    @property
    def parents(self):
        """A new ChainMap of all the maps but the first."""
        return type(self)(*self.maps[1:])

    def __setitem__(self, key, value):
        self.maps[0][key] = value

    def __delitem__(self, key):
        try:
            del self.maps[0][key]
        except KeyError:
            raise KeyError("Key not found in the first mapping: %r" % (key,)) from None

    def popitem(self):
        """Remove and return a (key, value) pair of maps[0]."""
        try:
            return self.maps[0].popitem()
        except KeyError:
            raise KeyError("No keys found in the first mapping.") from None

    def pop(self, key, *args):
        """Remove key from maps[0] and return its value (or the default)."""
        try:
            return self.maps[0].pop(key, *args)
        except KeyError:
            raise KeyError("Key not found in the first mapping: %r" % (key,)) from None

    def clear(self):
        """Empty maps[0]."""
        self.maps[0].clear()

    def __ior__(self, other):
        self.maps[0].update(other)
        return self

    def __or__(self, other):
        if not isinstance(other, _abc.Mapping):
            return NotImplemented
        result = self.copy()
        result.maps[0].update(other)
        return result

    def __ror__(self, other):
        if not isinstance(other, _abc.Mapping):
            return NotImplemented
        merged = dict(other)
        for mapping in reversed(self.maps):
            merged.update(mapping)
        return type(self)(merged)


# --------------------------------------------------------------------- UserDict

class UserDict(_abc.MutableMapping):
    """A dict-like class that keeps its contents in a real dict, self.data; meant
    to be subclassed. A subclass's __missing__ supplies missing keys."""

    def __init__(self, dict=None, /, **kwargs):
        self.data = {}
        if dict is not None:
            self.update(dict)
        if kwargs:
            self.update(kwargs)

    def __len__(self):
        return len(self.data)

    def __getitem__(self, key):
        data = self.data
        if key in data:
            return data[key]
        cls = self.__class__
        if hasattr(cls, "__missing__"):
            return cls.__missing__(self, key)
        raise KeyError(key)

    def __setitem__(self, key, item):
        self.data[key] = item

    def __delitem__(self, key):
        del self.data[key]

    def __iter__(self):
        return iter(self.data)

    def __contains__(self, key):
        # Only the stored keys (not whatever __missing__ would make up).
        return key in self.data

    def __repr__(self):
        return repr(self.data)

    def __or__(self, other):
        if isinstance(other, UserDict):
            return self.__class__(self.data | other.data)
        if isinstance(other, dict):
            return self.__class__(self.data | other)
        return NotImplemented

    def __ror__(self, other):
        if isinstance(other, UserDict):
            return self.__class__(other.data | self.data)
        if isinstance(other, dict):
            return self.__class__(other | self.data)
        return NotImplemented

    def __ior__(self, other):
        if isinstance(other, UserDict):
            self.data |= other.data
        else:
            self.data |= other
        return self

    def __copy__(self):
        cls = self.__class__
        inst = cls.__new__(cls)
        inst.__dict__.update(self.__dict__)
        inst.__dict__["data"] = self.__dict__["data"].copy()
        return inst

    def copy(self):
        """A shallow copy (of the same class, with the same attributes)."""
        if self.__class__ is UserDict:
            return UserDict(self.data.copy())
        import copy
        data = self.data
        try:
            self.data = {}
            result = copy.copy(self)
        finally:
            self.data = data
        result.update(self)
        return result

    @classmethod
    def fromkeys(cls, iterable, value=None):
        """A new instance with the keys from iterable, all mapped to value."""
        result = cls()
        for key in iterable:
            result[key] = value
        return result


# --------------------------------------------------------------------- UserList

class UserList(_abc.MutableSequence):
    """A list-like class that keeps its contents in a real list, self.data;
    meant to be subclassed."""

    def __init__(self, initlist=None):
        self.data = []
        if initlist is not None:
            if type(initlist) == type(self.data):
                self.data[:] = initlist
            elif isinstance(initlist, UserList):
                self.data[:] = initlist.data[:]
            else:
                self.data = list(initlist)

    def __repr__(self):
        return repr(self.data)

    def __cast(self, other):
        return other.data if isinstance(other, UserList) else other

    def __lt__(self, other):
        return self.data < self.__cast(other)

    def __le__(self, other):
        return self.data <= self.__cast(other)

    def __eq__(self, other):
        return self.data == self.__cast(other)

    def __gt__(self, other):
        return self.data > self.__cast(other)

    def __ge__(self, other):
        return self.data >= self.__cast(other)

    __hash__ = None

    def __contains__(self, item):
        return item in self.data

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self.__class__(self.data[i])
        return self.data[i]

    def __setitem__(self, i, item):
        self.data[i] = item

    def __delitem__(self, i):
        del self.data[i]

    def __add__(self, other):
        if isinstance(other, UserList):
            return self.__class__(self.data + other.data)
        if isinstance(other, type(self.data)):
            return self.__class__(self.data + other)
        return self.__class__(self.data + list(other))

    def __radd__(self, other):
        if isinstance(other, UserList):
            return self.__class__(other.data + self.data)
        if isinstance(other, type(self.data)):
            return self.__class__(other + self.data)
        return self.__class__(list(other) + self.data)

    def __iadd__(self, other):
        if isinstance(other, UserList):
            self.data += other.data
        elif isinstance(other, type(self.data)):
            self.data += other
        else:
            self.data += list(other)
        return self

    def __mul__(self, n):
        return self.__class__(self.data * n)

    __rmul__ = __mul__

    def __imul__(self, n):
        self.data *= n
        return self

    def __copy__(self):
        cls = self.__class__
        inst = cls.__new__(cls)
        inst.__dict__.update(self.__dict__)
        inst.__dict__["data"] = self.__dict__["data"][:]
        return inst

    def append(self, item):
        self.data.append(item)

    def insert(self, i, item):
        self.data.insert(i, item)

    def pop(self, i=-1):
        return self.data.pop(i)

    def remove(self, item):
        self.data.remove(item)

    def clear(self):
        self.data.clear()

    def copy(self):
        return self.__class__(self)

    def count(self, item):
        return self.data.count(item)

    def index(self, item, *args):
        return self.data.index(item, *args)

    def reverse(self):
        self.data.reverse()

    def sort(self, /, *args, **kwds):
        self.data.sort(*args, **kwds)

    def extend(self, other):
        if isinstance(other, UserList):
            self.data.extend(other.data)
        else:
            self.data.extend(other)


# ------------------------------------------------------------------- UserString

class UserString(_abc.Sequence):
    """A str-like class that keeps its contents in a real str, self.data; meant to
    be subclassed. The methods that make strings return instances of the class."""

    def __init__(self, seq):
        if isinstance(seq, str):
            self.data = seq
        elif isinstance(seq, UserString):
            self.data = seq.data[:]
        else:
            self.data = str(seq)

    def __str__(self):
        return str(self.data)

    def __repr__(self):
        return repr(self.data)

    def __int__(self):
        return int(self.data)

    def __float__(self):
        return float(self.data)

    def __complex__(self):
        return complex(self.data)

    def __hash__(self):
        return hash(self.data)

    def __getnewargs__(self):
        return (self.data[:],)

    def __eq__(self, string):
        if isinstance(string, UserString):
            return self.data == string.data
        return self.data == string

    def __lt__(self, string):
        if isinstance(string, UserString):
            return self.data < string.data
        return self.data < string

    def __le__(self, string):
        if isinstance(string, UserString):
            return self.data <= string.data
        return self.data <= string

    def __gt__(self, string):
        if isinstance(string, UserString):
            return self.data > string.data
        return self.data > string

    def __ge__(self, string):
        if isinstance(string, UserString):
            return self.data >= string.data
        return self.data >= string

    def __contains__(self, char):
        if isinstance(char, UserString):
            char = char.data
        return char in self.data

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        return self.__class__(self.data[index])

    def __add__(self, other):
        if isinstance(other, UserString):
            return self.__class__(self.data + other.data)
        if isinstance(other, str):
            return self.__class__(self.data + other)
        return self.__class__(self.data + str(other))

    def __radd__(self, other):
        if isinstance(other, str):
            return self.__class__(other + self.data)
        return self.__class__(str(other) + self.data)

    def __mul__(self, n):
        return self.__class__(self.data * n)

    __rmul__ = __mul__

    def __mod__(self, args):
        return self.__class__(self.data % args)

    def __rmod__(self, template):
        return self.__class__(str(template) % self)

    # The str methods, in alphabetical order.

    def capitalize(self):
        return self.__class__(self.data.capitalize())

    def casefold(self):
        return self.__class__(self.data.casefold())

    def center(self, width, *args):
        return self.__class__(self.data.center(width, *args))

    def count(self, sub, start=0, end=_sys.maxsize):
        if isinstance(sub, UserString):
            sub = sub.data
        return self.data.count(sub, start, end)

    def removeprefix(self, prefix, /):
        if isinstance(prefix, UserString):
            prefix = prefix.data
        return self.__class__(self.data.removeprefix(prefix))

    def removesuffix(self, suffix, /):
        if isinstance(suffix, UserString):
            suffix = suffix.data
        return self.__class__(self.data.removesuffix(suffix))

    def encode(self, encoding='utf-8', errors='strict'):
        if encoding is None:
            encoding = 'utf-8'
        if errors is None:
            errors = 'strict'
        return self.data.encode(encoding, errors)

    def endswith(self, suffix, start=0, end=_sys.maxsize):
        return self.data.endswith(suffix, start, end)

    def expandtabs(self, tabsize=8):
        return self.__class__(self.data.expandtabs(tabsize))

    def find(self, sub, start=0, end=_sys.maxsize):
        if isinstance(sub, UserString):
            sub = sub.data
        return self.data.find(sub, start, end)

    def format(self, /, *args, **kwds):
        return self.data.format(*args, **kwds)

    def format_map(self, mapping):
        return self.data.format_map(mapping)

    def index(self, sub, start=0, end=_sys.maxsize):
        return self.data.index(sub, start, end)

    def isalpha(self):
        return self.data.isalpha()

    def isalnum(self):
        return self.data.isalnum()

    def isascii(self):
        return self.data.isascii()

    def isdecimal(self):
        return self.data.isdecimal()

    def isdigit(self):
        return self.data.isdigit()

    def isidentifier(self):
        return self.data.isidentifier()

    def islower(self):
        return self.data.islower()

    def isnumeric(self):
        return self.data.isnumeric()

    def isprintable(self):
        return self.data.isprintable()

    def isspace(self):
        return self.data.isspace()

    def istitle(self):
        return self.data.istitle()

    def isupper(self):
        return self.data.isupper()

    def join(self, seq):
        return self.data.join(seq)

    def ljust(self, width, *args):
        return self.__class__(self.data.ljust(width, *args))

    def lower(self):
        return self.__class__(self.data.lower())

    def lstrip(self, chars=None):
        return self.__class__(self.data.lstrip(chars))

    maketrans = str.maketrans

    def partition(self, sep):
        return self.data.partition(sep)

    def replace(self, old, new, maxsplit=-1):
        if isinstance(old, UserString):
            old = old.data
        if isinstance(new, UserString):
            new = new.data
        return self.__class__(self.data.replace(old, new, maxsplit))

    def rfind(self, sub, start=0, end=_sys.maxsize):
        if isinstance(sub, UserString):
            sub = sub.data
        return self.data.rfind(sub, start, end)

    def rindex(self, sub, start=0, end=_sys.maxsize):
        return self.data.rindex(sub, start, end)

    def rjust(self, width, *args):
        return self.__class__(self.data.rjust(width, *args))

    def rpartition(self, sep):
        return self.data.rpartition(sep)

    def rstrip(self, chars=None):
        return self.__class__(self.data.rstrip(chars))

    def split(self, sep=None, maxsplit=-1):
        return self.data.split(sep, maxsplit)

    def rsplit(self, sep=None, maxsplit=-1):
        return self.data.rsplit(sep, maxsplit)

    def splitlines(self, keepends=False):
        return self.data.splitlines(keepends)

    def startswith(self, prefix, start=0, end=_sys.maxsize):
        return self.data.startswith(prefix, start, end)

    def strip(self, chars=None):
        return self.__class__(self.data.strip(chars))

    def swapcase(self):
        return self.__class__(self.data.swapcase())

    def title(self):
        return self.__class__(self.data.title())

    def translate(self, *args):
        return self.__class__(self.data.translate(*args))

    def upper(self):
        return self.__class__(self.data.upper())

    def zfill(self, width):
        return self.__class__(self.data.zfill(width))
