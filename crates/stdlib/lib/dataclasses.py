"""Data classes (pyvm's own implementation of the dataclasses module): @dataclass
generates __init__, __repr__, __eq__ (and with options ordering, hashing, frozenness)
from the class annotations, without exec."""

__all__ = ["dataclass", "field", "Field", "fields", "asdict", "astuple", "replace",
           "is_dataclass", "FrozenInstanceError", "MISSING"]


class _MissingType:
    def __repr__(self):
        return "MISSING"


MISSING = _MissingType()


class FrozenInstanceError(AttributeError):
    pass


class Field:
    def __init__(self, default, default_factory, init, repr, hash, compare, metadata, kw_only):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = metadata or {}
        self.kw_only = kw_only

    def __repr__(self):
        return ("Field(name=%r,type=%r,default=%r,default_factory=%r,init=%r,repr=%r,"
                "hash=%r,compare=%r,metadata=%r,kw_only=%r)" % (
                    self.name, self.type, self.default, self.default_factory, self.init,
                    self.repr, self.hash, self.compare, self.metadata, self.kw_only))


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None,
          compare=True, metadata=None, kw_only=MISSING):
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)


_FIELDS = "__dataclass_fields__"
_PARAMS = "__dataclass_params__"


def fields(class_or_instance):
    try:
        fs = getattr(class_or_instance, _FIELDS)
    except AttributeError:
        raise TypeError("must be called with a dataclass type or instance") from None
    return tuple(fs.values())


def is_dataclass(obj):
    cls = obj if isinstance(obj, type) else type(obj)
    return hasattr(cls, _FIELDS)


def _is_mutable_default(v):
    return type(v) in (list, dict, set)


def _process_class(cls, init, repr, eq, order, unsafe_hash, frozen, kw_only):
    all_fields = {}
    for base in reversed(cls.__mro__[1:]):
        base_fields = getattr(base, _FIELDS, None)
        if base_fields:
            for f in base_fields.values():
                all_fields[f.name] = f
    annotations = cls.__dict__.get("__annotations__", {})
    for name, typ in annotations.items():
        if isinstance(typ, str) and typ.startswith("ClassVar") or getattr(typ, "_name", None) == "ClassVar":
            continue
        default = cls.__dict__.get(name, MISSING)
        if isinstance(default, Field):
            f = default
        else:
            f = Field(default, MISSING, True, True, None, True, None, MISSING)
        f.name = name
        f.type = typ
        if f.kw_only is MISSING:
            f.kw_only = kw_only
        if _is_mutable_default(f.default):
            raise ValueError("mutable default %s for field %s is not allowed: use default_factory"
                             % (type(f.default), name))
        if isinstance(default, Field):
            if f.default is MISSING:
                if name in cls.__dict__:
                    delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        all_fields[name] = f
    setattr(cls, _FIELDS, all_fields)
    setattr(cls, _PARAMS, dict(init=init, repr=repr, eq=eq, order=order,
                               unsafe_hash=unsafe_hash, frozen=frozen))
    flds = list(all_fields.values())

    if init:
        seen_default = False
        for f in flds:
            if f.init and not f.kw_only:
                if f.default is not MISSING or f.default_factory is not MISSING:
                    seen_default = True
                elif seen_default:
                    raise TypeError("non-default argument %r follows default argument" % f.name)
        _set_new_attribute(cls, "__init__", _make_init(cls, flds, frozen))
    if repr:
        _set_new_attribute(cls, "__repr__", _make_repr(flds))
    if eq:
        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return _tuple(self, flds) == _tuple(other, flds)
            return NotImplemented
        _set_new_attribute(cls, "__eq__", __eq__)
    if order:
        if not eq:
            raise ValueError("eq must be true if order is true")
        for name, op in (("__lt__", lambda a, b: a < b), ("__le__", lambda a, b: a <= b),
                         ("__gt__", lambda a, b: a > b), ("__ge__", lambda a, b: a >= b)):
            def method(self, other, op=op):
                if other.__class__ is self.__class__:
                    return op(_tuple(self, flds), _tuple(other, flds))
                return NotImplemented
            method.__name__ = name
            if name in cls.__dict__:
                raise TypeError("Cannot overwrite attribute %s in class %s. Consider using functools.total_ordering"
                                % (name, cls.__name__))
            setattr(cls, name, method)
    if frozen:
        def __setattr__(self, name, value):
            if type(self) is cls or name in all_fields:
                raise FrozenInstanceError("cannot assign to field %r" % name)
            object.__setattr__(self, name, value)

        def __delattr__(self, name):
            if type(self) is cls or name in all_fields:
                raise FrozenInstanceError("cannot delete field %r" % name)
            object.__delattr__(self, name)
        setattr(cls, "__setattr__", __setattr__)
        setattr(cls, "__delattr__", __delattr__)
    has_explicit_hash = "__hash__" in cls.__dict__ and cls.__dict__["__hash__"] is not None
    if unsafe_hash or (eq and frozen):
        if not has_explicit_hash or unsafe_hash:
            hash_fields = [f for f in flds if (f.compare if f.hash is None else f.hash)]
            cls.__hash__ = lambda self: hash(tuple(getattr(self, f.name) for f in hash_fields))
    elif eq and not has_explicit_hash:
        cls.__hash__ = None
    cls.__match_args__ = tuple(f.name for f in flds if f.init and not f.kw_only)
    return cls


def _set_new_attribute(cls, name, value):
    if name in cls.__dict__:
        return True
    setattr(cls, name, value)
    return False


def _tuple(obj, flds):
    return tuple(getattr(obj, f.name) for f in flds if f.compare)


def _make_init(cls, flds, frozen):
    init_fields = [f for f in flds if f.init]
    positional = [f for f in init_fields if not f.kw_only]
    keyword_only = [f for f in init_fields if f.kw_only]

    qual = cls.__qualname__ + ".__init__()"
    n_required = 1 + sum(1 for f in positional if f.default is MISSING and f.default_factory is MISSING)
    n_total = 1 + len(positional)

    def __init__(self, *args, **kwargs):
        if len(args) > len(positional):
            takes = ("%d positional argument%s" % (n_total, "" if n_total == 1 else "s") if n_required == n_total
                     else "from %d to %d positional arguments" % (n_required, n_total))
            raise TypeError("%s takes %s but %d were given" % (qual, takes, len(args) + 1))
        values = {}
        for f, a in zip(positional, args):
            values[f.name] = a
        for name, value in kwargs.items():
            if name in values:
                raise TypeError("%s got multiple values for argument %r" % (qual, name))
            if not any(f.name == name for f in init_fields):
                raise TypeError("%s got an unexpected keyword argument %r" % (qual, name))
            values[name] = value
        missing = [f.name for f in positional if f.name not in values
                   and f.default is MISSING and f.default_factory is MISSING]
        if missing:
            names = ["%r" % m for m in missing]
            text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            raise TypeError("%s missing %d required positional argument%s: %s" % (
                qual, len(missing), "" if len(missing) == 1 else "s", text))
        missing_kw = [f.name for f in keyword_only if f.name not in values
                      and f.default is MISSING and f.default_factory is MISSING]
        if missing_kw:
            raise TypeError("%s missing %d required keyword-only argument%s: %s" % (
                qual, len(missing_kw), "" if len(missing_kw) == 1 else "s", ", ".join("%r" % m for m in missing_kw)))
        for f in flds:
            if f.init and f.name in values:
                value = values[f.name]
            elif f.default_factory is not MISSING:
                value = f.default_factory()
            elif f.default is not MISSING:
                value = f.default
            else:
                continue
            if frozen:
                object.__setattr__(self, f.name, value)
            else:
                setattr(self, f.name, value)
        post = getattr(self, "__post_init__", None)
        if post is not None:
            post()
    return __init__


def _make_repr(flds):
    shown = [f for f in flds if f.repr]

    def __repr__(self):
        return "%s(%s)" % (type(self).__qualname__,
                           ", ".join("%s=%r" % (f.name, getattr(self, f.name)) for f in shown))
    return __repr__


def dataclass(cls=None, /, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False,
              frozen=False, match_args=True, kw_only=False, slots=False):
    def wrap(cls):
        return _process_class(cls, init, repr, eq, order, unsafe_hash, frozen, kw_only)
    if cls is None:
        return wrap
    return wrap(cls)


def asdict(obj, *, dict_factory=dict):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError("asdict() should be called on dataclass instances")
    return _asdict_inner(obj, dict_factory)


def _asdict_inner(obj, dict_factory):
    if is_dataclass(obj) and not isinstance(obj, type):
        return dict_factory([(f.name, _asdict_inner(getattr(obj, f.name), dict_factory)) for f in fields(obj)])
    if isinstance(obj, (list, tuple)):
        return type(obj)(_asdict_inner(v, dict_factory) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((_asdict_inner(k, dict_factory), _asdict_inner(v, dict_factory)) for k, v in obj.items())
    return obj


def astuple(obj, *, tuple_factory=tuple):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError("astuple() should be called on dataclass instances")
    return tuple_factory([_astuple_inner(getattr(obj, f.name)) for f in fields(obj)])


def _astuple_inner(obj):
    if is_dataclass(obj) and not isinstance(obj, type):
        return tuple(_astuple_inner(getattr(obj, f.name)) for f in fields(obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(_astuple_inner(v) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((_astuple_inner(k), _astuple_inner(v)) for k, v in obj.items())
    return obj


def replace(obj, /, **changes):
    for f in fields(obj):
        if f.init and f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)
