"""Built-in types written in Python: types.GenericAlias (list[int]), types.UnionType
(int | str) and mappingproxy (a class's read-only __dict__, types.MappingProxyType).

Run once at start-up in a namespace of its own (see `install_types_prelude` in
builtins.rs). The VM wires `__class_getitem__` of list, dict, tuple, set, frozenset and
type to GenericAlias, `type.__or__`/`type.__ror__` to `_type_or`/`_type_ror`, and a
class's `__dict__` to mappingproxy; lib/types.py takes the classes from
`type(list[int])`, `type(int | str)` and `type(type.__dict__)`. Reprs, equality,
hashing and error messages follow CPython 3.11's Objects/genericaliasobject.c,
Objects/unionobject.c and Objects/descrobject.c.
"""

_NoneType = type(None)


def _repr_item(p):
    if p is ...:
        return "..."
    if isinstance(p, GenericAlias):
        return repr(p)
    if hasattr(p, "__origin__") and hasattr(p, "__args__"):
        return repr(p)
    qualname = getattr(p, "__qualname__", None)
    module = getattr(p, "__module__", None)
    if qualname is None or module is None:
        return repr(p)
    if module == "builtins":
        return qualname
    return f"{module}.{qualname}"


class GenericAlias:
    """Represent a PEP 585 generic type, e.g. list[int]."""

    __module__ = "types"

    def __init__(self, origin, args, /):
        if not isinstance(args, tuple):
            args = (args,)
        object.__setattr__(self, "__origin__", origin)
        object.__setattr__(self, "__args__", args)

    @property
    def __parameters__(self):
        return ()

    def __call__(self, *args, **kwargs):
        result = self.__origin__(*args, **kwargs)
        try:
            result.__orig_class__ = self
        except Exception:
            pass
        return result

    def __mro_entries__(self, bases):
        return (self.__origin__,)

    def __getattr__(self, name):
        # Everything but the alias's own attributes comes from the origin class.
        if name in ("__origin__", "__args__", "__parameters__"):
            raise AttributeError(name)
        return getattr(self.__origin__, name)

    def __repr__(self):
        args = self.__args__
        inner = ", ".join(_repr_item(a) for a in args) if args else "()"
        return f"{_repr_item(self.__origin__)}[{inner}]"

    def __eq__(self, other):
        if not isinstance(other, GenericAlias):
            return NotImplemented
        return self.__origin__ == other.__origin__ and self.__args__ == other.__args__

    def __hash__(self):
        return hash(self.__origin__) ^ hash(self.__args__)

    def __or__(self, other):
        return _union(self, other)

    def __ror__(self, other):
        return _union(other, self)

    def __instancecheck__(self, obj):
        raise TypeError("isinstance() argument 2 cannot be a parameterized generic")

    def __subclasscheck__(self, cls):
        raise TypeError("issubclass() argument 2 cannot be a parameterized generic")

    def __reduce__(self):
        return GenericAlias, (self.__origin__, self.__args__)


class UnionType:
    """Represent a PEP 604 union type, e.g. int | str."""

    __module__ = "types"

    def __init__(self, args):
        object.__setattr__(self, "__args__", args)

    @property
    def __parameters__(self):
        return ()

    def __repr__(self):
        return " | ".join("None" if a is _NoneType else _repr_item(a) for a in self.__args__)

    def __eq__(self, other):
        if not isinstance(other, UnionType):
            return NotImplemented
        return set(self.__args__) == set(other.__args__)

    def __hash__(self):
        return hash(frozenset(self.__args__))

    def __or__(self, other):
        return _union(self, other)

    def __ror__(self, other):
        return _union(other, self)

    # As a tuple of the arguments: checked in order, stopping at the first match
    # (so a generic alias after a matching type raises nothing).
    def __instancecheck__(self, obj):
        return isinstance(obj, self.__args__)

    def __subclasscheck__(self, cls):
        return issubclass(cls, self.__args__)


def _unionable(x):
    return x is None or isinstance(x, (type, GenericAlias, UnionType))


def _union(a, b):
    if not (_unionable(a) and _unionable(b)):
        return NotImplemented
    args = []
    for x in (a, b):
        for item in (x.__args__ if isinstance(x, UnionType) else (x,)):
            if item is None:
                item = _NoneType
            # Types are the same when identical; generic aliases when equal.
            if not any(item is seen or (isinstance(item, GenericAlias) and item == seen) for seen in args):
                args.append(item)
    if len(args) == 1:
        return args[0]
    return UnionType(tuple(args))


def _type_or(self, other):
    return _union(self, other)


def _type_ror(self, other):
    return _union(other, self)


class mappingproxy:
    """A read-only view of a mapping."""

    __module__ = "builtins"
    __slots__ = ("_mapping",)

    def __new__(cls, mapping):
        if isinstance(mapping, (list, tuple)) or not hasattr(type(mapping), "__getitem__"):
            raise TypeError(f"mappingproxy() argument must be a mapping, not {type(mapping).__name__}")
        self = object.__new__(cls)
        object.__setattr__(self, "_mapping", mapping)
        return self

    def __getitem__(self, key):
        return self._mapping[key]

    def __contains__(self, key):
        return key in self._mapping

    def __iter__(self):
        return iter(self._mapping)

    def __reversed__(self):
        return reversed(self._mapping)

    def __len__(self):
        return len(self._mapping)

    def get(self, key, default=None):
        return self._mapping.get(key, default)

    def keys(self):
        return self._mapping.keys()

    def values(self):
        return self._mapping.values()

    def items(self):
        return self._mapping.items()

    def copy(self):
        return self._mapping.copy()

    def __repr__(self):
        return f"mappingproxy({self._mapping!r})"

    def __str__(self):
        return str(self._mapping)

    def __eq__(self, other):
        return self._mapping == other

    def __or__(self, other):
        if isinstance(other, mappingproxy):
            other = other._mapping
        return self._mapping | other

    def __ror__(self, other):
        if isinstance(other, mappingproxy):
            other = other._mapping
        return other | self._mapping

    def __delitem__(self, key):
        # CPython's wording for a mapping without item deletion.
        raise TypeError("'mappingproxy' object does not support item deletion")

    def __setattr__(self, name, value):
        raise AttributeError(f"'mappingproxy' object attribute '{name}' is read-only")

    __hash__ = None


class structseq(tuple):
    """The base of CPython's struct sequences (sys.float_info, sys.version_info, ...):
    a tuple whose items are also attributes named by the class's _fields."""

    def __repr__(self):
        cls = type(self)
        fields = ", ".join("%s=%r" % (n, v) for n, v in zip(cls._fields, self))
        return "%s.%s(%s)" % (cls.__module__, cls.__name__, fields)


class memoryview:
    """A view of the bytes of a bytes or bytearray object (format 'B', one dimension):
    indexing and slicing without copying, item assignment through to a bytearray,
    tobytes/tolist/hex, release and the context manager. Native built-ins that take
    bytes-like arguments take bytes(view)."""

    __slots__ = ("_obj", "_start", "_step", "_len", "_released")
    __module__ = "builtins"

    def __new__(cls, object):
        self = super().__new__(cls)
        if isinstance(object, memoryview):
            object._check()
            self._obj, self._start, self._step, self._len = object._obj, object._start, object._step, object._len
        elif isinstance(object, (bytes, bytearray)):
            self._obj, self._start, self._step, self._len = object, 0, 1, len(object)
        else:
            raise TypeError(f"memoryview: a bytes-like object is required, not '{type(object).__name__}'")
        self._released = False
        return self

    def _check(self):
        if self._released:
            raise ValueError("operation forbidden on released memoryview object")

    def _positions(self):
        return range(self._start, self._start + self._step * self._len, self._step)

    @property
    def obj(self):
        self._check()
        return self._obj

    @property
    def readonly(self):
        self._check()
        return not isinstance(self._obj, bytearray)

    @property
    def nbytes(self):
        self._check()
        return self._len

    itemsize = property(lambda self: (self._check(), 1)[1])
    format = property(lambda self: (self._check(), "B")[1])
    ndim = property(lambda self: (self._check(), 1)[1])
    shape = property(lambda self: (self._check(), (self._len,))[1])
    strides = property(lambda self: (self._check(), (self._step,))[1])
    suboffsets = property(lambda self: (self._check(), ())[1])
    c_contiguous = property(lambda self: (self._check(), self._step == 1 or self._len <= 1)[1])
    f_contiguous = c_contiguous
    contiguous = c_contiguous

    def __len__(self):
        self._check()
        return self._len

    def __getitem__(self, key):
        self._check()
        if isinstance(key, slice):
            start, stop, step = key.indices(self._len)
            view = memoryview.__new__(memoryview, self)
            view._start = self._start + start * self._step
            view._step = self._step * step
            view._len = len(range(start, stop, step))
            return view
        if isinstance(key, tuple):
            raise TypeError("memoryview: invalid slice key")
        i = key.__index__() if not isinstance(key, int) else key
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError("index out of bounds on dimension 1")
        return self._obj[self._start + i * self._step]

    def __setitem__(self, key, value):
        self._check()
        if not isinstance(self._obj, bytearray):
            raise TypeError("cannot modify read-only memory")
        if isinstance(key, slice):
            start, stop, step = key.indices(self._len)
            positions = range(start, stop, step)
            data = bytes(value)
            if len(data) != len(positions):
                raise ValueError("memoryview assignment: lvalue and rvalue have different structures")
            for i, b in zip(positions, data):
                self._obj[self._start + i * self._step] = b
            return
        i = key.__index__() if not isinstance(key, int) else key
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError("index out of bounds on dimension 1")
        if not isinstance(value, int):
            raise TypeError(f"memoryview: invalid type for format 'B'")
        if not 0 <= value < 256:
            raise ValueError("memoryview: invalid value for format 'B'")
        self._obj[self._start + i * self._step] = value

    def __delitem__(self, key):
        raise TypeError("cannot delete memory")

    def __iter__(self):
        self._check()
        obj = self._obj
        for p in self._positions():
            yield obj[p]

    def __eq__(self, other):
        if self._released or (isinstance(other, memoryview) and other._released):
            return self is other
        if isinstance(other, (memoryview, bytes, bytearray)):
            return self.tobytes() == bytes(other)
        return NotImplemented

    def __hash__(self):
        self._check()
        if isinstance(self._obj, bytearray):
            raise ValueError("cannot hash writable memoryview object")
        return hash(self.tobytes())

    def tobytes(self, order=None):
        self._check()
        if self._step == 1:
            return bytes(self._obj[self._start:self._start + self._len])
        return bytes(self._obj[p] for p in self._positions())

    def tolist(self):
        self._check()
        return list(self.tobytes())

    def hex(self, *args):
        return self.tobytes().hex(*args)

    def toreadonly(self):
        self._check()
        view = memoryview.__new__(memoryview, self)
        if isinstance(view._obj, bytearray):
            view._obj = bytes(view.tobytes())
            view._start, view._step = 0, 1
        return view

    def cast(self, format, shape=None):
        self._check()
        if format not in ("B", "b", "c"):
            raise NotImplementedError("memoryview: only the byte formats 'B', 'b' and 'c' are supported")
        return memoryview(self)

    def release(self):
        self._released = True

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, *exc):
        self.release()

    def __bytes__(self):
        return self.tobytes()

    def __repr__(self):
        if self._released:
            return f"<released memory at {hex(id(self))}>"
        return f"<memory at {hex(id(self))}>"
