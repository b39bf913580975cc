"""Higher-order functions and operations on callables (pyvm's own implementation)."""

__all__ = ["update_wrapper", "wraps", "WRAPPER_ASSIGNMENTS", "WRAPPER_UPDATES",
           "total_ordering", "cache", "cmp_to_key", "lru_cache", "reduce", "partial",
           "partialmethod", "singledispatch", "singledispatchmethod", "cached_property"]

from abc import get_cache_token
from operator import itemgetter as _itemgetter

try:
    from types import GenericAlias as _GenericAlias
except ImportError:
    _GenericAlias = None

if _GenericAlias is not None:
    GenericAlias = _GenericAlias

WRAPPER_ASSIGNMENTS = ('__module__', '__name__', '__qualname__', '__doc__', '__annotations__')
WRAPPER_UPDATES = ('__dict__',)

_initial_missing = object()


def _class_getitem(cls, item):
    if _GenericAlias is not None:
        return _GenericAlias(cls, item)
    return cls


def recursive_repr(fillvalue='...'):
    """Decorator for __repr__ methods: a call made while the same object's repr
    is already being built (a container holding itself) gives fillvalue."""
    def decorating_function(user_function):
        running = set()

        def wrapper(self):
            key = id(self)
            if key in running:
                return fillvalue
            running.add(key)
            try:
                return user_function(self)
            finally:
                running.discard(key)

        # As in CPython (reprlib), the names and doc are copied but there is
        # no __wrapped__.
        for attr in ('__module__', '__doc__', '__name__', '__qualname__'):
            setattr(wrapper, attr, getattr(user_function, attr))
        wrapper.__annotations__ = getattr(user_function, '__annotations__', {})
        return wrapper
    return decorating_function


def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    """Make wrapper look like wrapped (name, doc, ...) and remember it as __wrapped__."""
    for attr in assigned:
        try:
            value = getattr(wrapped, attr)
        except AttributeError:
            pass
        else:
            setattr(wrapper, attr, value)
    for attr in updated:
        getattr(wrapper, attr).update(getattr(wrapped, attr, {}))
    wrapper.__wrapped__ = wrapped
    return wrapper


def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    """Decorator form of update_wrapper."""
    def decorator(wrapper):
        return update_wrapper(wrapper, wrapped, assigned, updated)
    return decorator


def reduce(*args, **kwargs):
    """reduce(function, iterable[, initial]) -> value

    Fold the iterable from the left with the two-argument function, starting
    from initial when it is given (and from the first element otherwise)."""
    # CPython's reduce is a built-in that takes its arguments by position only.
    if kwargs:
        raise TypeError("reduce() takes no keyword arguments")
    if len(args) < 2:
        raise TypeError("reduce expected at least 2 arguments, got %d" % len(args))
    if len(args) > 3:
        raise TypeError("reduce expected at most 3 arguments, got %d" % len(args))
    function, sequence = args[0], args[1]
    try:
        it = iter(sequence)
    except TypeError:
        raise TypeError("reduce() arg 2 must support iteration") from None
    if len(args) == 3:
        value = args[2]
    else:
        try:
            value = next(it)
        except StopIteration:
            raise TypeError("reduce() of empty iterable with no initial value") from None
    for element in it:
        value = function(value, element)
    return value


# ids of the objects whose repr is being built (a partial that holds itself shows
# "..." there).
_repr_running = set()


def _no_extra_attributes(p):
    for name in vars(p):
        if name not in ("func", "args", "keywords"):
            return False
    return True


class partial:
    """partial(func, *args, **keywords): func with some arguments fixed."""

    def __new__(cls, func, /, *args, **keywords):
        if not callable(func):
            raise TypeError("the first argument must be callable")
        # A partial of a partial (without attributes of its own) is flattened.
        if isinstance(func, partial) and _no_extra_attributes(func):
            args = func.args + args
            keywords = {**func.keywords, **keywords}
            func = func.func
        self = super().__new__(cls)
        self.func = func
        self.args = args
        self.keywords = keywords
        return self

    def __call__(self, /, *args, **keywords):
        keywords = {**self.keywords, **keywords}
        return self.func(*self.args, *args, **keywords)

    def __repr__(self):
        key = id(self)
        if key in _repr_running:
            return "..."
        _repr_running.add(key)
        try:
            parts = [repr(self.func)]
            parts.extend(repr(x) for x in self.args)
            parts.extend("%s=%r" % (k, v) for k, v in self.keywords.items())
        finally:
            _repr_running.discard(key)
        # CPython shows the C type's full name, or a subclass's bare name.
        name = "functools.partial" if type(self) is partial else type(self).__name__
        return "%s(%s)" % (name, ", ".join(parts))

    def __reduce__(self):
        extra = {k: v for k, v in vars(self).items() if k not in ("func", "args", "keywords")}
        return type(self), (self.func,), (self.func, self.args, self.keywords,
                                          extra or None)

    def __setstate__(self, state):
        if not isinstance(state, tuple):
            raise TypeError("argument to __setstate__ must be a tuple")
        if len(state) != 4:
            raise TypeError("expected 4 items in state, got %d" % len(state))
        func, args, kwds, namespace = state
        if (not callable(func) or not isinstance(args, tuple)
                or (kwds is not None and not isinstance(kwds, dict))
                or (namespace is not None and not isinstance(namespace, dict))):
            raise TypeError("invalid partial state")
        if namespace:
            self.__dict__.update(namespace)
        self.func = func
        self.args = tuple(args)
        self.keywords = dict(kwds) if kwds else {}

    __class_getitem__ = classmethod(_class_getitem)


class partialmethod:
    """partialmethod(func, *args, **keywords): like partial, but a descriptor
    meant for class bodies: the instance (or class, for a classmethod) comes
    first, then the fixed arguments, then the call's own."""

    def __init__(self, func, /, *args, **keywords):
        if not callable(func) and not hasattr(func, "__get__"):
            raise TypeError("%r is not callable or a descriptor" % (func,))
        if isinstance(func, partialmethod):
            # Flatten, so that self/cls stays in front of every fixed argument.
            self.func = func.func
            self.args = func.args + args
            self.keywords = {**func.keywords, **keywords}
        else:
            self.func = func
            self.args = args
            self.keywords = keywords

    def __repr__(self):
        shown_args = ", ".join(repr(a) for a in self.args)
        shown_kw = ", ".join("%s=%r" % (k, v) for k, v in self.keywords.items())
        cls = type(self)
        return "%s.%s(%s, %s, %s)" % (cls.__module__, cls.__qualname__, self.func,
                                      shown_args, shown_kw)

    def _make_unbound_method(self):
        pm = self

        def _method(cls_or_self, /, *args, **keywords):
            keywords = {**pm.keywords, **keywords}
            return pm.func(cls_or_self, *pm.args, *args, **keywords)
        _method.__isabstractmethod__ = self.__isabstractmethod__
        _method._partialmethod = self
        return _method

    def __get__(self, obj, cls=None):
        result = None
        get = getattr(self.func, "__get__", None)
        if get is not None:
            bound = get(obj, cls)
            if bound is not self.func:
                # The wrapped descriptor made something new (a bound method, ...):
                # fix the arguments on that.
                result = partial(bound, *self.args, **self.keywords)
                try:
                    result.__self__ = bound.__self__
                except AttributeError:
                    pass
        if result is None:
            # Not a descriptor (or one that returns itself): act as a plain method.
            result = self._make_unbound_method().__get__(obj, cls)
        return result

    @property
    def __isabstractmethod__(self):
        return getattr(self.func, "__isabstractmethod__", False)

    __class_getitem__ = classmethod(_class_getitem)


def cmp_to_key(mycmp):
    """Convert an old-style cmp function into a key function."""
    class K(object):
        __slots__ = ['obj']

        def __init__(self, obj):
            self.obj = obj

        def __lt__(self, other):
            return mycmp(self.obj, other.obj) < 0

        def __gt__(self, other):
            return mycmp(self.obj, other.obj) > 0

        def __eq__(self, other):
            return mycmp(self.obj, other.obj) == 0

        def __le__(self, other):
            return mycmp(self.obj, other.obj) <= 0

        def __ge__(self, other):
            return mycmp(self.obj, other.obj) >= 0

        __hash__ = None
    return K


def total_ordering(cls):
    """Fill in the missing rich comparisons from __eq__ and one of < <= > >=."""
    def _lt_from_le(self, other):
        r = type(self).__le__(self, other)
        if r is NotImplemented:
            return r
        return r and self != other

    def _gt_from_lt(self, other):
        r = type(self).__lt__(self, other)
        if r is NotImplemented:
            return r
        return not r and self != other

    def _le_from_lt(self, other):
        r = type(self).__lt__(self, other)
        if r is NotImplemented:
            return r
        return r or self == other

    def _ge_from_lt(self, other):
        r = type(self).__lt__(self, other)
        if r is NotImplemented:
            return r
        return not r

    def _ge_from_le(self, other):
        r = type(self).__le__(self, other)
        if r is NotImplemented:
            return r
        return not r or self == other

    def _gt_from_le(self, other):
        r = type(self).__le__(self, other)
        if r is NotImplemented:
            return r
        return not r

    def _lt_from_gt(self, other):
        r = type(self).__gt__(self, other)
        if r is NotImplemented:
            return r
        return not r and self != other

    def _ge_from_gt(self, other):
        r = type(self).__gt__(self, other)
        if r is NotImplemented:
            return r
        return r or self == other

    def _le_from_gt(self, other):
        r = type(self).__gt__(self, other)
        if r is NotImplemented:
            return r
        return not r

    def _le_from_ge(self, other):
        r = type(self).__ge__(self, other)
        if r is NotImplemented:
            return r
        return not r or self == other

    def _gt_from_ge(self, other):
        r = type(self).__ge__(self, other)
        if r is NotImplemented:
            return r
        return r and self != other

    def _lt_from_ge(self, other):
        r = type(self).__ge__(self, other)
        if r is NotImplemented:
            return r
        return not r

    derived = {
        '__lt__': [('__gt__', _gt_from_lt), ('__le__', _le_from_lt), ('__ge__', _ge_from_lt)],
        '__le__': [('__ge__', _ge_from_le), ('__lt__', _lt_from_le), ('__gt__', _gt_from_le)],
        '__gt__': [('__lt__', _lt_from_gt), ('__ge__', _ge_from_gt), ('__le__', _le_from_gt)],
        '__ge__': [('__le__', _le_from_ge), ('__gt__', _gt_from_ge), ('__lt__', _lt_from_ge)],
    }
    roots = [op for op in derived if getattr(cls, op, None) is not getattr(object, op, None)]
    if not roots:
        raise ValueError('must define at least one ordering operation: < > <= >=')
    root = max(roots)
    for name, func in derived[root]:
        if name not in roots:
            func.__name__ = name
            setattr(cls, name, func)
    return cls


def _read_only(self, value):
    raise AttributeError("can't set attribute")


def _undeletable(self):
    raise AttributeError("can't delete attribute")


class _CacheInfo(tuple):
    # What collections.namedtuple("CacheInfo", ["hits", "misses", "maxsize",
    # "currsize"]) makes, written out so that importing functools does not
    # import collections.
    'CacheInfo(hits, misses, maxsize, currsize)'

    __slots__ = ()
    _fields = ('hits', 'misses', 'maxsize', 'currsize')
    _field_defaults = {}
    __match_args__ = _fields

    def __new__(_cls, hits, misses, maxsize, currsize):
        'Create new instance of CacheInfo(hits, misses, maxsize, currsize)'
        return tuple.__new__(_cls, (hits, misses, maxsize, currsize))

    @classmethod
    def _make(cls, iterable):
        'Make a new CacheInfo object from a sequence or iterable'
        result = tuple.__new__(cls, iterable)
        if len(result) != 4:
            raise TypeError('Expected 4 arguments, got %d' % len(result))
        return result

    def _replace(self, /, **kwds):
        'Return a new CacheInfo object replacing specified fields with new values'
        result = self._make([kwds.pop(name, value) for name, value in zip(self._fields, self)])
        if kwds:
            raise ValueError('Got unexpected field names: %r' % (list(kwds),))
        return result

    def __repr__(self):
        'Return a nicely formatted representation string'
        return 'CacheInfo(hits=%r, misses=%r, maxsize=%r, currsize=%r)' % tuple(self)

    def _asdict(self):
        'Return a new dict which maps field names to their values.'
        return dict(zip(self._fields, self))

    def __getnewargs__(self):
        'Return self as a plain tuple.  Used by copy and pickle.'
        return tuple(self)

    hits = property(_itemgetter(0), _read_only, _undeletable, 'Alias for field number 0')
    misses = property(_itemgetter(1), _read_only, _undeletable, 'Alias for field number 1')
    maxsize = property(_itemgetter(2), _read_only, _undeletable, 'Alias for field number 2')
    currsize = property(_itemgetter(3), _read_only, _undeletable, 'Alias for field number 3')


_CacheInfo.__name__ = _CacheInfo.__qualname__ = 'CacheInfo'


def _make_key(args, kwds, typed):
    key = args
    if kwds:
        key += (_kwd_mark,)
        for item in kwds.items():
            key += item
    if typed:
        key += tuple(type(v) for v in args)
        if kwds:
            key += tuple(type(v) for v in kwds.values())
    elif len(key) == 1 and type(key[0]) in (int, str):
        return key[0]
    return key


_kwd_mark = (object(),)


def lru_cache(maxsize=128, typed=False):
    """Memoize a function, keeping the maxsize most recently used results."""
    if isinstance(maxsize, int):
        if maxsize < 0:
            maxsize = 0
    elif callable(maxsize) and isinstance(typed, bool):
        user_function, maxsize = maxsize, 128
        return _lru_wrapper(user_function, maxsize, typed)
    elif maxsize is not None:
        raise TypeError('Expected first argument to be an integer, a callable, or None')

    def decorating_function(user_function):
        return _lru_wrapper(user_function, maxsize, typed)
    return decorating_function


def _lru_wrapper(user_function, maxsize, typed):
    cache = {}
    stats = [0, 0]  # hits, misses

    def wrapper(*args, **kwds):
        key = _make_key(args, kwds, typed)
        if key in cache:
            stats[0] += 1
            result = cache.pop(key)
            cache[key] = result  # most recently used goes last
            return result
        stats[1] += 1
        result = user_function(*args, **kwds)
        if maxsize is None or maxsize > 0:
            if key not in cache and maxsize is not None and len(cache) >= maxsize:
                del cache[next(iter(cache))]
            cache[key] = result
        return result

    def cache_info():
        return _CacheInfo(stats[0], stats[1], maxsize, len(cache))

    def cache_clear():
        cache.clear()
        stats[0] = stats[1] = 0

    wrapper.cache_info = cache_info
    wrapper.cache_clear = cache_clear
    wrapper.cache_parameters = lambda: {'maxsize': maxsize, 'typed': typed}
    return update_wrapper(wrapper, user_function)


def cache(user_function, /):
    """Unbounded memoization: lru_cache(maxsize=None)."""
    return lru_cache(maxsize=None)(user_function)


class cached_property:
    """A property computed once per instance, then stored in the instance dict."""

    def __init__(self, func):
        self.func = func
        self.attrname = None
        self.__doc__ = func.__doc__

    def __set_name__(self, owner, name):
        if self.attrname is None:
            self.attrname = name
        elif name != self.attrname:
            raise TypeError("Cannot assign the same cached_property to two different names "
                            "(%r and %r)." % (self.attrname, name))

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        name = self.attrname
        if name is None:
            raise TypeError("Cannot use cached_property instance without calling "
                            "__set_name__ on it.")
        try:
            cache = instance.__dict__
        except AttributeError:
            raise TypeError("No '__dict__' attribute on %r instance to cache %r property."
                            % (type(instance).__name__, name)) from None
        val = cache.get(name, _initial_missing)
        if val is _initial_missing:
            val = self.func(instance)
            try:
                cache[name] = val
            except TypeError:
                raise TypeError("The '__dict__' attribute on %r instance does not support "
                                "item assignment for caching %r property."
                                % (type(instance).__name__, name)) from None
        return val

    __class_getitem__ = classmethod(_class_getitem)


# ------------------------------------------------------------ singledispatch

def _merge_c3(sequences):
    # The C3 merge of the given lists (which it consumes): repeatedly take the
    # first head that appears in no list's tail.
    result = []
    while True:
        sequences = [seq for seq in sequences if seq]
        if not sequences:
            return result
        for seq in sequences:
            head = seq[0]
            if not any(head in other[1:] for other in sequences):
                break
        else:
            raise RuntimeError("Inconsistent hierarchy")
        result.append(head)
        for seq in sequences:
            if seq[0] == head:
                del seq[0]


def _mro_with_abcs(cls, abcs):
    # cls's C3 linearization with the ABCs of abcs (that cls implements) put in
    # where cls first gets their behaviour: right after the last base that is
    # itself an ABC, before the ordinary bases.
    bases = cls.__bases__
    split = 0
    for i in range(len(bases) - 1, -1, -1):
        if hasattr(bases[i], "__abstractmethods__"):
            split = i + 1
            break
    abcs = list(abcs)
    explicit = list(bases[:split])
    rest = list(bases[split:])
    implied = [a for a in abcs
               if issubclass(cls, a) and not any(issubclass(b, a) for b in bases)]
    for a in implied:
        abcs.remove(a)
    return _merge_c3([[cls]]
                     + [_mro_with_abcs(b, abcs) for b in explicit]
                     + [_mro_with_abcs(a, abcs) for a in implied]
                     + [_mro_with_abcs(b, abcs) for b in rest]
                     + [explicit, implied, rest])


def _dispatch_mro(cls, types):
    # cls.__mro__ extended with the ABCs among types that cls is a (virtual)
    # subclass of.
    in_mro = set(cls.__mro__)
    related = [t for t in types
               if t not in in_mro and hasattr(t, "__mro__")
               and not (_GenericAlias is not None and isinstance(t, _GenericAlias))
               and issubclass(cls, t)]
    # Drop those that are bases of others (they come in with them).
    related = [t for t in related
               if not any(t is not other and t in other.__mro__ for other in related)]
    wanted = set(related)
    order = []
    for t in related:
        # Subclasses of t that cls also implements fix the order of the ABCs.
        found = []
        for sub in t.__subclasses__():
            if sub not in in_mro and issubclass(cls, sub):
                found.append([s for s in sub.__mro__ if s in wanted])
        if not found:
            order.append(t)
            continue
        found.sort(key=len, reverse=True)
        for chain in found:
            for s in chain:
                if s not in order:
                    order.append(s)
    return _mro_with_abcs(cls, order)


def _find_impl(cls, registry):
    # The implementation registered for the nearest type in cls's (extended) MRO.
    mro = _dispatch_mro(cls, registry.keys())
    match = None
    for t in mro:
        if match is not None:
            # Two unrelated ABCs that cls implements only implicitly, both
            # registered: there is no way to choose.
            if (t in registry and t not in cls.__mro__ and match not in cls.__mro__
                    and not issubclass(match, t)):
                raise RuntimeError("Ambiguous dispatch: %s or %s" % (match, t))
            break
        if t in registry:
            match = t
    return registry.get(match)


def _union_members(tp):
    # The members of a union annotation (int | str, typing.Union[int, str],
    # typing.Optional[int]), or None when tp is not a union.
    try:
        from types import UnionType
    except ImportError:
        UnionType = None
    if UnionType is not None and isinstance(tp, UnionType):
        return tuple(tp.__args__)
    name = getattr(tp, "_name", None)
    if name in ("Union", "Optional") and type(tp).__module__ == "typing":
        args = tuple(getattr(tp, "__args__", ()))
        if name == "Optional":
            args = args + (type(None),)
        return args
    return None


def _valid_dispatch_type(tp):
    if isinstance(tp, type):
        return True
    members = _union_members(tp)
    return members is not None and all(isinstance(m, type) for m in members)


def singledispatch(func):
    """Turn func into a generic function dispatching on the type of its first
    argument: implementations for other types are added with .register."""
    import types
    from abc import get_cache_token

    registry = {}
    dispatch_cache = {}
    token = [None]      # the ABC cache token, once an ABC is registered

    def dispatch(cls):
        """generic_func.dispatch(cls) -> the implementation for type cls."""
        if token[0] is not None:
            current = get_cache_token()
            if token[0] != current:
                dispatch_cache.clear()
                token[0] = current
        try:
            return dispatch_cache[cls]
        except KeyError:
            pass
        try:
            impl = registry[cls]
        except KeyError:
            impl = _find_impl(cls, registry)
        dispatch_cache[cls] = impl
        return impl

    def register(cls, func=None):
        """generic_func.register(cls, func) -> func: add an implementation
        (also as @register(cls), or as plain @register on a function whose
        first parameter is annotated with the type)."""
        if _valid_dispatch_type(cls):
            if func is None:
                return lambda f: register(cls, f)
        else:
            if func is not None:
                raise TypeError("Invalid first argument to `register()`. "
                                "%r is not a class or union type." % (cls,))
            annotations = getattr(cls, "__annotations__", None) or {}
            if not annotations:
                raise TypeError("Invalid first argument to `register()`: %r. "
                                "Use either `@register(some_class)` or plain `@register` "
                                "on an annotated function." % (cls,))
            func = cls
            argname, cls = next(iter(annotations.items()))
            if isinstance(cls, str):
                cls = eval(cls, getattr(func, "__globals__", {}))
            if not _valid_dispatch_type(cls):
                if _union_members(cls) is not None:
                    raise TypeError("Invalid annotation for %r. %r not all arguments "
                                    "are classes." % (argname, cls))
                raise TypeError("Invalid annotation for %r. %r is not a class."
                                % (argname, cls))
        members = _union_members(cls)
        if members is not None:
            for member in members:
                registry[member] = func
        else:
            registry[cls] = func
        if token[0] is None and hasattr(cls, "__abstractmethods__"):
            token[0] = get_cache_token()
        dispatch_cache.clear()
        return func

    funcname = getattr(func, "__name__", "singledispatch function")

    def wrapper(*args, **kw):
        if not args:
            raise TypeError("%s requires at least 1 positional argument" % funcname)
        return dispatch(args[0].__class__)(*args, **kw)

    registry[object] = func
    wrapper.register = register
    wrapper.dispatch = dispatch
    wrapper.registry = types.MappingProxyType(registry)
    wrapper._clear_cache = dispatch_cache.clear
    update_wrapper(wrapper, func)
    return wrapper


class singledispatchmethod:
    """A method (or classmethod/staticmethod) that dispatches on the type of
    its first argument after self/cls."""

    def __init__(self, func):
        if not callable(func) and not hasattr(func, "__get__"):
            raise TypeError("%r is not callable or a descriptor" % (func,))
        self.dispatcher = singledispatch(func)
        self.func = func

    def register(self, cls, method=None):
        """generic_method.register(cls, func) -> func"""
        return self.dispatcher.register(cls, func=method)

    def __get__(self, obj, cls=None):
        dispatch = self.dispatcher.dispatch

        def _method(*args, **kwargs):
            method = dispatch(args[0].__class__)
            return method.__get__(obj, cls)(*args, **kwargs)

        _method.__isabstractmethod__ = self.__isabstractmethod__
        _method.register = self.register
        update_wrapper(_method, self.func)
        return _method

    @property
    def __isabstractmethod__(self):
        return getattr(self.func, "__isabstractmethod__", False)
