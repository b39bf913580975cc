"""Names of the typing module, for programs that annotate (pyvm's own, minimal
implementation: annotations are never checked, so these only need to exist, be
subscriptable and print like CPython's)."""

TYPE_CHECKING = False


class _Alias:
    def __init__(self, name, args=()):
        self._name = name
        self.__args__ = args

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        return _Alias(self._name, params)

    def __repr__(self):
        if not self.__args__:
            return "typing." + self._name
        return "typing.%s[%s]" % (self._name, ", ".join(_type_repr(a) for a in self.__args__))

    def __call__(self, *args, **kwargs):
        raise TypeError("Type %s cannot be instantiated" % self._name)

    def __eq__(self, other):
        return isinstance(other, _Alias) and (self._name, self.__args__) == (other._name, other.__args__)

    def __hash__(self):
        return hash((self._name, self.__args__))


def _type_repr(t):
    if isinstance(t, type):
        if t.__module__ == "builtins":
            return t.__qualname__
        return "%s.%s" % (t.__module__, t.__qualname__)
    if t is Ellipsis:
        return "..."
    if t is None or t is type(None):
        return "None"
    return repr(t)


for _n in ("Any", "Union", "Optional", "List", "Dict", "Set", "FrozenSet", "Tuple", "Type",
           "Callable", "Iterable", "Iterator", "Generator", "Sequence", "Mapping",
           "MutableMapping", "MutableSequence", "Deque", "DefaultDict", "Counter",
           "OrderedDict", "ClassVar", "Final", "Literal", "Awaitable", "Coroutine",
           "AsyncIterator", "AsyncIterable", "Hashable", "Sized", "Collection", "NoReturn"):
    globals()[_n] = _Alias(_n)
del _n


class TypeVar:
    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
        self.__constraints__ = constraints
        self.__bound__ = bound

    def __repr__(self):
        return "~" + self.__name__


class Generic:
    def __class_getitem__(cls, params):
        return cls


class Protocol(Generic):
    pass


def cast(typ, val):
    return val


def overload(func):
    return func


def final(f):
    return f


def no_type_check(f):
    return f


def get_type_hints(obj):
    return dict(getattr(obj, "__annotations__", {}))


def NewType(name, tp):
    def new_type(x):
        return x
    new_type.__name__ = name
    new_type.__supertype__ = tp
    return new_type


def NamedTuple(typename, fields=None, **kwargs):
    import collections
    if fields is None:
        fields = kwargs.items()
    return collections.namedtuple(typename, [f for f, _ in fields])
