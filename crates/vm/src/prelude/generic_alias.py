"""types.GenericAlias (list[int]) and types.UnionType (int | str), written in Python.

Run once at start-up in a namespace of its own (see `install_generic_alias` in
builtins.rs). The VM wires `__class_getitem__` of list, dict, tuple, set, frozenset and
type to GenericAlias, and `type.__or__`/`type.__ror__` to `_type_or`/`_type_ror`;
lib/types.py takes both classes from `type(list[int])` and `type(int | str)`.
Reprs, equality, hashing and the isinstance() errors follow CPython 3.11's
Objects/genericaliasobject.c and Objects/unionobject.c.
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
