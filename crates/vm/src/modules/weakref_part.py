# The Python part of pyvm's `weakref` module. It is compiled and run in the module's
# namespace after the native part has added `ref` (= ReferenceType), `proxy`,
# `ProxyType`, `CallableProxyType`, `ProxyTypes`, `getweakrefcount` and `getweakrefs`.
#
# The weak containers keep their entries in a plain dict/set of weak references whose
# callbacks drop an entry when its referent dies. While a container is being iterated
# (an _IterationGuard is active), callbacks only queue the removal, and the queue is
# applied once the last iteration over that container finishes, so entries dying
# mid-iteration never change the size of the dict/set being walked.
#
# collections.abc is deliberately not imported here (it pulls in the whole
# `collections` package, which would make `import copy` much slower); the containers
# implement the Mapping/MutableMapping/set mixin methods themselves and are registered
# as virtual subclasses of MutableMapping/MutableSet by `_register_abcs`, called below
# when collections.abc is already loaded and by collections.abc when it loads later.

import sys

__all__ = ["ref", "proxy", "getweakrefcount", "getweakrefs",
           "WeakKeyDictionary", "ReferenceType", "ProxyType",
           "CallableProxyType", "ProxyTypes", "WeakValueDictionary",
           "WeakSet", "WeakMethod", "finalize"]


def _remove_dead_weakref(d, key):
    # Delete d[key] only when it is still a dead weak reference (a live one may have
    # been stored under the same key after the old referent died).
    try:
        wr = d[key]
    except KeyError:
        return
    if wr() is None:
        del d[key]


def _ref_repr(wr, target):
    # The text of ReferenceType.__repr__, for the ref-like classes below.
    if target is None:
        return "<weakref at %#x; dead>" % id(wr)
    try:
        name = getattr(target, "__name__", None)
    except Exception:
        name = None
    tn = type(target).__name__
    if isinstance(name, str):
        return "<weakref at %#x; to '%s' at %#x (%s)>" % (id(wr), tn, id(target), name)
    return "<weakref at %#x; to '%s' at %#x>" % (id(wr), tn, id(target))


def _mapping_abc():
    import collections.abc
    if not _abcs_registered:
        _register_abcs(collections.abc.MutableMapping, collections.abc.MutableSet)
    return collections.abc.Mapping


def _generic_alias(cls, item):
    from types import GenericAlias
    return GenericAlias(cls, item)


class _IterationGuard:
    # Marks `container` as being iterated for the duration of a `with` block; the
    # container's pending removals are committed when its last guard exits. Only a
    # weak reference to the container is kept, so an abandoned iterator does not keep
    # it alive.

    def __init__(self, container):
        self.weakcontainer = ref(container)

    def __enter__(self):
        c = self.weakcontainer()
        if c is not None:
            c._iterating.add(self)
        return self

    def __exit__(self, exc_type, exc, tb):
        c = self.weakcontainer()
        if c is not None:
            guards = c._iterating
            guards.remove(self)
            if not guards:
                c._commit_removals()


def _split_method(meth):
    try:
        return meth.__self__, meth.__func__
    except AttributeError:
        raise TypeError("argument should be a bound method, not {}".format(type(meth))) from None


class _RefSubclassProbe(ref):
    # Kept in the module: a dropped class is cyclic garbage, which would make every
    # `import weakref` leave work (and a count) for the next gc.collect().
    __slots__ = ("key", "__weakref__")


def _ref_subclassing_works():
    # Can ReferenceType be subclassed (instances of the subclass, with slots, that can
    # themselves be weakly referenced)? If not, KeyedRef and WeakMethod are ref-like
    # classes holding a ref instead of being refs.
    try:
        p = _RefSubclassProbe(_split_method)
        p.key = 1
        return type(p) is _RefSubclassProbe and p() is _split_method and p.key == 1 and ref(p)() is p
    except Exception:
        return False


if _ref_subclassing_works():

    class KeyedRef(ref):
        """A weak reference with a `key` attribute (WeakValueDictionary's value refs:
        the callback learns which entry to drop from the reference it is given)."""

        __slots__ = ("key",)

        def __new__(type, ob, callback, key):
            self = ref.__new__(type, ob, callback)
            self.key = key
            return self

        def __init__(self, ob, callback, key):
            super().__init__(ob, callback)

    class WeakMethod(ref):
        """A weak reference to a bound method: calling it gives a new bound method
        while both the object and the function are alive, None afterwards."""

        __slots__ = ("_func_ref", "_meth_type", "_alive", "__weakref__")

        def __new__(cls, meth, callback=None):
            obj, func = _split_method(meth)

            def _cb(arg):
                self = self_wr()
                if self is not None and self._alive:
                    self._alive = False
                    if callback is not None:
                        callback(self)

            self = ref.__new__(cls, obj, _cb)
            self._func_ref = ref(func, _cb)
            self._meth_type = type(meth)
            self._alive = True
            self_wr = ref(self)
            return self

        def _target(self):
            return ref.__call__(self)

        def __call__(self):
            obj = ref.__call__(self)
            func = self._func_ref()
            if obj is None or func is None:
                return None
            return self._meth_type(func, obj)

        __hash__ = ref.__hash__

else:

    def _relay(owner, callback):
        # A callback for the inner ref of a ref-like `owner` that calls `callback`
        # with the owner, as long as the owner is alive (the owner is held weakly:
        # a dropped ref-like object never calls back, like a dropped ref).
        owner_ref = ref(owner)

        def relay(_):
            o = owner_ref()
            if o is not None:
                callback(o)
        return relay

    class _RefLike:
        # Behaves like ReferenceType over the inner reference `self._ref`.
        __slots__ = ()

        def __call__(self):
            return self._ref()

        def _target(self):
            return self._ref()

        def __hash__(self):
            return hash(self._ref)

        def __eq__(self, other):
            if isinstance(other, _RefLike):
                b = other._target()
            elif isinstance(other, ref):
                b = other()
            else:
                return NotImplemented
            a = self._target()
            if a is None or b is None:
                return self is other
            return a == b

        def __ne__(self, other):
            if isinstance(other, _RefLike):
                b = other._target()
            elif isinstance(other, ref):
                b = other()
            else:
                return NotImplemented
            a = self._target()
            if a is None or b is None:
                return self is not other
            return a != b

        def __repr__(self):
            return _ref_repr(self, self._target())

    class KeyedRef(_RefLike):
        """A weak reference with a `key` attribute (WeakValueDictionary's value refs:
        the callback learns which entry to drop from the reference it is given)."""

        __slots__ = ("key", "_ref", "_callback", "__weakref__")

        def __new__(type, ob, callback, key):
            self = object.__new__(type)
            self.key = key
            self._callback = callback
            self._ref = ref(ob) if callback is None else ref(ob, _relay(self, callback))
            return self

        def __init__(self, ob, callback, key):
            pass

        @property
        def __callback__(self):
            if self._ref() is None:
                return None
            return self._callback

    class WeakMethod(_RefLike):
        """A weak reference to a bound method: calling it gives a new bound method
        while both the object and the function are alive, None afterwards."""

        __slots__ = ("_ref", "_func_ref", "_meth_type", "_alive", "_cb", "__weakref__")

        def __new__(cls, meth, callback=None):
            obj, func = _split_method(meth)

            def _cb(arg):
                self = self_wr()
                if self is not None and self._alive:
                    self._alive = False
                    if callback is not None:
                        callback(self)

            self = object.__new__(cls)
            self._ref = ref(obj, _cb)
            self._func_ref = ref(func, _cb)
            self._meth_type = type(meth)
            self._alive = True
            self._cb = _cb
            self_wr = ref(self)
            return self

        def __init__(self, meth, callback=None):
            pass

        def __call__(self):
            obj = self._ref()
            func = self._func_ref()
            if obj is None or func is None:
                return None
            return self._meth_type(func, obj)

        def __hash__(self):
            return hash(self._ref)

        @property
        def __callback__(self):
            if self._ref() is None:
                return None
            return self._cb


def _weakmethod_eq(self, other):
    if isinstance(other, WeakMethod):
        if not self._alive or not other._alive:
            return self is other
        a, b = self._target(), other._target()
        if a is None or b is None:
            return self is other
        return a == b and self._func_ref == other._func_ref
    return NotImplemented


def _weakmethod_ne(self, other):
    if isinstance(other, WeakMethod):
        if not self._alive or not other._alive:
            return self is not other
        a, b = self._target(), other._target()
        if a is None or b is None:
            return self is not other
        return a != b or self._func_ref != other._func_ref
    return NotImplemented


WeakMethod.__eq__ = _weakmethod_eq
WeakMethod.__ne__ = _weakmethod_ne
_weakmethod_eq.__name__, _weakmethod_eq.__qualname__ = "__eq__", "WeakMethod.__eq__"
_weakmethod_ne.__name__, _weakmethod_ne.__qualname__ = "__ne__", "WeakMethod.__ne__"


class _WeakMapping:
    """What WeakValueDictionary and WeakKeyDictionary share: clearing, comparison and
    the `|` operators, written once on top of each one's popitem/items/update/copy."""

    def clear(self):
        try:
            while True:
                self.popitem()
        except KeyError:
            pass

    def __eq__(self, other):
        if not isinstance(other, _mapping_abc()):
            return NotImplemented
        return dict(self.items()) == dict(other.items())

    __reversed__ = None

    def __ior__(self, other):
        self.update(other)
        return self

    def __or__(self, other):
        if isinstance(other, _mapping_abc()):
            c = self.copy()
            c.update(other)
            return c
        return NotImplemented

    def __ror__(self, other):
        if isinstance(other, _mapping_abc()):
            c = self.__class__()
            c.update(other)
            c.update(self)
            return c
        return NotImplemented

    __class_getitem__ = classmethod(_generic_alias)


class WeakValueDictionary(_WeakMapping):
    """A mapping whose values are held by weak references: an entry disappears when
    its value is no longer referenced anywhere else."""

    def __init__(self, other=(), /, **kw):
        def remove(wr, selfref=ref(self), _atomic_removal=_remove_dead_weakref):
            self = selfref()
            if self is not None:
                if self._iterating:
                    self._pending_removals.append(wr.key)
                else:
                    _atomic_removal(self.data, wr.key)
        self._remove = remove
        self._pending_removals = []
        self._iterating = set()
        self.data = {}
        self.update(other, **kw)

    def _commit_removals(self):
        pending = self._pending_removals
        d = self.data
        while pending:
            _remove_dead_weakref(d, pending.pop())

    def __getitem__(self, key):
        if self._pending_removals:
            self._commit_removals()
        o = self.data[key]()
        if o is None:
            raise KeyError(key)
        return o

    def __delitem__(self, key):
        if self._pending_removals:
            self._commit_removals()
        del self.data[key]

    def __len__(self):
        if self._pending_removals:
            self._commit_removals()
        return len(self.data)

    def __contains__(self, key):
        if self._pending_removals:
            self._commit_removals()
        try:
            o = self.data[key]()
        except KeyError:
            return False
        return o is not None

    def __repr__(self):
        return "<%s at %#x>" % (self.__class__.__name__, id(self))

    def __setitem__(self, key, value):
        if self._pending_removals:
            self._commit_removals()
        self.data[key] = KeyedRef(value, self._remove, key)

    def copy(self):
        if self._pending_removals:
            self._commit_removals()
        new = WeakValueDictionary()
        with _IterationGuard(self):
            for key, wr in self.data.items():
                o = wr()
                if o is not None:
                    new[key] = o
        return new

    __copy__ = copy

    def __deepcopy__(self, memo):
        from copy import deepcopy
        if self._pending_removals:
            self._commit_removals()
        new = self.__class__()
        with _IterationGuard(self):
            for key, wr in self.data.items():
                o = wr()
                if o is not None:
                    new[deepcopy(key, memo)] = o
        return new

    def get(self, key, default=None):
        if self._pending_removals:
            self._commit_removals()
        try:
            wr = self.data[key]
        except KeyError:
            return default
        o = wr()
        return default if o is None else o

    def items(self):
        if self._pending_removals:
            self._commit_removals()
        with _IterationGuard(self):
            for k, wr in self.data.items():
                v = wr()
                if v is not None:
                    yield k, v

    def keys(self):
        if self._pending_removals:
            self._commit_removals()
        with _IterationGuard(self):
            for k, wr in self.data.items():
                if wr() is not None:
                    yield k

    __iter__ = keys

    def itervaluerefs(self):
        """Iterate over the weak references to the values (some may be dead)."""
        if self._pending_removals:
            self._commit_removals()
        with _IterationGuard(self):
            yield from self.data.values()

    def values(self):
        if self._pending_removals:
            self._commit_removals()
        with _IterationGuard(self):
            for wr in self.data.values():
                o = wr()
                if o is not None:
                    yield o

    def valuerefs(self):
        """A list of the weak references to the values (some may be dead)."""
        if self._pending_removals:
            self._commit_removals()
        return list(self.data.values())

    def popitem(self):
        if self._pending_removals:
            self._commit_removals()
        while True:
            key, wr = self.data.popitem()
            o = wr()
            if o is not None:
                return key, o

    def pop(self, key, *args):
        if self._pending_removals:
            self._commit_removals()
        try:
            o = self.data.pop(key)()
        except KeyError:
            o = None
        if o is None:
            if args:
                return args[0]
            raise KeyError(key)
        return o

    def setdefault(self, key, default=None):
        try:
            o = self.data[key]()
        except KeyError:
            o = None
        if o is None:
            if self._pending_removals:
                self._commit_removals()
            self.data[key] = KeyedRef(default, self._remove, key)
            return default
        return o

    def update(self, other=None, /, **kwargs):
        if self._pending_removals:
            self._commit_removals()
        d = self.data
        if other is not None:
            if not hasattr(other, "items"):
                other = dict(other)
            for key, o in other.items():
                d[key] = KeyedRef(o, self._remove, key)
        for key, o in kwargs.items():
            d[key] = KeyedRef(o, self._remove, key)


class WeakKeyDictionary(_WeakMapping):
    """A mapping whose keys are held by weak references: an entry disappears when its
    key is no longer referenced anywhere else."""

    def __init__(self, dict=None):
        self.data = {}
        def remove(k, selfref=ref(self)):
            self = selfref()
            if self is not None:
                if self._iterating:
                    self._pending_removals.append(k)
                else:
                    try:
                        del self.data[k]
                    except KeyError:
                        pass
        self._remove = remove
        self._pending_removals = []
        self._iterating = set()
        # Set by deletions: a queued removal may then name a key already gone, so
        # __len__ must drop such stale entries before subtracting the queue's length.
        self._dirty_len = False
        if dict is not None:
            self.update(dict)

    def _commit_removals(self):
        pending = self._pending_removals
        d = self.data
        while pending:
            d.pop(pending.pop(), None)

    def _scrub_removals(self):
        d = self.data
        self._pending_removals = [k for k in self._pending_removals if k in d]
        self._dirty_len = False

    def __delitem__(self, key):
        self._dirty_len = True
        del self.data[ref(key)]

    def __getitem__(self, key):
        return self.data[ref(key)]

    def __len__(self):
        if self._dirty_len and self._pending_removals:
            self._scrub_removals()
        return len(self.data) - len(self._pending_removals)

    def __repr__(self):
        return "<%s at %#x>" % (self.__class__.__name__, id(self))

    def __setitem__(self, key, value):
        self.data[ref(key, self._remove)] = value

    def copy(self):
        new = WeakKeyDictionary()
        with _IterationGuard(self):
            for wr, value in self.data.items():
                o = wr()
                if o is not None:
                    new[o] = value
        return new

    __copy__ = copy

    def __deepcopy__(self, memo):
        from copy import deepcopy
        new = self.__class__()
        with _IterationGuard(self):
            for wr, value in self.data.items():
                o = wr()
                if o is not None:
                    new[o] = deepcopy(value, memo)
        return new

    def get(self, key, default=None):
        return self.data.get(ref(key), default)

    def __contains__(self, key):
        try:
            wr = ref(key)
        except TypeError:
            return False
        return wr in self.data

    def items(self):
        with _IterationGuard(self):
            for wr, value in self.data.items():
                key = wr()
                if key is not None:
                    yield key, value

    def keys(self):
        with _IterationGuard(self):
            for wr in self.data:
                o = wr()
                if o is not None:
                    yield o

    __iter__ = keys

    def values(self):
        with _IterationGuard(self):
            for wr, value in self.data.items():
                if wr() is not None:
                    yield value

    def keyrefs(self):
        """A list of the weak references to the keys (some may be dead)."""
        return list(self.data)

    def popitem(self):
        self._dirty_len = True
        while True:
            wr, value = self.data.popitem()
            o = wr()
            if o is not None:
                return o, value

    def pop(self, key, *args):
        self._dirty_len = True
        return self.data.pop(ref(key), *args)

    def setdefault(self, key, default=None):
        return self.data.setdefault(ref(key, self._remove), default)

    def update(self, dict=None, /, **kwargs):
        d = self.data
        if dict is not None:
            if not hasattr(dict, "items"):
                dict = type({})(dict)
            for key, value in dict.items():
                d[ref(key, self._remove)] = value
        if len(kwargs):
            self.update(kwargs)


class WeakSet:
    """A set whose elements are held by weak references: an element disappears when it
    is no longer referenced anywhere else."""

    def __init__(self, data=None):
        self.data = set()
        def _remove(item, selfref=ref(self)):
            self = selfref()
            if self is not None:
                if self._iterating:
                    self._pending_removals.append(item)
                else:
                    self.data.discard(item)
        self._remove = _remove
        self._pending_removals = []
        self._iterating = set()
        if data is not None:
            self.update(data)

    def _commit_removals(self):
        pending = self._pending_removals
        discard = self.data.discard
        while pending:
            discard(pending.pop())

    def __iter__(self):
        with _IterationGuard(self):
            for wr in self.data:
                item = wr()
                if item is not None:
                    yield item

    def __len__(self):
        return len(self.data) - len(self._pending_removals)

    def __contains__(self, item):
        try:
            wr = ref(item)
        except TypeError:
            return False
        return wr in self.data

    def __reduce__(self):
        getstate = getattr(self, "__getstate__", None)
        state = getstate() if getstate is not None else getattr(self, "__dict__", None)
        return (self.__class__, (list(self),), state)

    def add(self, item):
        if self._pending_removals:
            self._commit_removals()
        self.data.add(ref(item, self._remove))

    def clear(self):
        if self._pending_removals:
            self._commit_removals()
        self.data.clear()

    def copy(self):
        return self.__class__(self)

    def pop(self):
        if self._pending_removals:
            self._commit_removals()
        while True:
            try:
                wr = self.data.pop()
            except KeyError:
                raise KeyError("pop from empty WeakSet") from None
            item = wr()
            if item is not None:
                return item

    def remove(self, item):
        if self._pending_removals:
            self._commit_removals()
        self.data.remove(ref(item))

    def discard(self, item):
        if self._pending_removals:
            self._commit_removals()
        self.data.discard(ref(item))

    def update(self, other):
        if self._pending_removals:
            self._commit_removals()
        for element in other:
            self.add(element)

    def __ior__(self, other):
        self.update(other)
        return self

    def difference(self, other):
        new = self.copy()
        new.difference_update(other)
        return new

    __sub__ = difference

    def difference_update(self, other):
        self.__isub__(other)

    def __isub__(self, other):
        if self._pending_removals:
            self._commit_removals()
        if self is other:
            self.data.clear()
        else:
            self.data.difference_update(ref(item) for item in other)
        return self

    def intersection(self, other):
        return self.__class__(item for item in other if item in self)

    __and__ = intersection

    def intersection_update(self, other):
        self.__iand__(other)

    def __iand__(self, other):
        if self._pending_removals:
            self._commit_removals()
        self.data.intersection_update(ref(item) for item in other)
        return self

    def issubset(self, other):
        return self.data.issubset(ref(item) for item in other)

    __le__ = issubset

    def __lt__(self, other):
        return self.data < set(map(ref, other))

    def issuperset(self, other):
        return self.data.issuperset(ref(item) for item in other)

    __ge__ = issuperset

    def __gt__(self, other):
        return self.data > set(map(ref, other))

    def __eq__(self, other):
        if not isinstance(other, self.__class__):
            return NotImplemented
        return self.data == set(map(ref, other))

    def symmetric_difference(self, other):
        new = self.copy()
        new.symmetric_difference_update(other)
        return new

    __xor__ = symmetric_difference

    def symmetric_difference_update(self, other):
        self.__ixor__(other)

    def __ixor__(self, other):
        if self._pending_removals:
            self._commit_removals()
        if self is other:
            self.data.clear()
        else:
            self.data.symmetric_difference_update(ref(item, self._remove) for item in other)
        return self

    def union(self, other):
        return self.__class__(e for s in (self, other) for e in s)

    __or__ = union

    def isdisjoint(self, other):
        return len(self.intersection(other)) == 0

    def __repr__(self):
        return repr(self.data)

    __class_getitem__ = classmethod(_generic_alias)


def _register_abcs(MutableMapping, MutableSet):
    # The weak containers are (virtual) mutable mappings and sets, as in CPython.
    # Called below when collections.abc is already loaded, else by collections.abc
    # when it loads.
    global _abcs_registered
    MutableMapping.register(WeakValueDictionary)
    MutableMapping.register(WeakKeyDictionary)
    MutableSet.register(WeakSet)
    _abcs_registered = True


_abcs_registered = False


if "collections.abc" in sys.modules:
    _register_abcs(sys.modules["collections.abc"].MutableMapping, sys.modules["collections.abc"].MutableSet)


class finalize:
    # The registry keeps each live finalizer's weakref (and so its callback) alive even
    # when the program drops the finalize object, as CPython's registry does.
    _registry = {}
    _no_atexit = set()
    _registered_with_atexit = False
    # Set once the exit function has run: finalizers left (atexit=False) never fire.
    _shutdown = False
    def __init__(self, obj, func, *args, **kwargs):
        if not finalize._registered_with_atexit:
            # Registered at the first finalize(), not at import, so atexit callbacks
            # registered before it run after the finalizers (atexit is LIFO).
            import atexit
            atexit.register(_run_finalizers)
            finalize._registered_with_atexit = True
        self._key = object()
        def callback(wr, key=self._key, registry=finalize._registry):
            entry = registry.pop(key, None)
            if entry is not None and not finalize._shutdown:
                f, a, k, _ = entry
                f(*a, **k)
        wr = ref(obj, callback)
        self._wr = wr
        finalize._registry[self._key] = (func, args, kwargs, wr)
    @property
    def atexit(self):
        return self._key not in finalize._no_atexit
    @atexit.setter
    def atexit(self, value):
        if value:
            finalize._no_atexit.discard(self._key)
        else:
            finalize._no_atexit.add(self._key)
    def __call__(self, _=None):
        entry = finalize._registry.pop(self._key, None)
        if entry is not None and entry[3]() is not None:
            f, a, k, _ = entry
            return f(*a, **k)
    def detach(self):
        entry = finalize._registry.get(self._key)
        o = self._wr()
        if entry is not None and o is not None:
            del finalize._registry[self._key]
            return (o, entry[0], entry[1], entry[2])
    def peek(self):
        entry = finalize._registry.get(self._key)
        o = self._wr()
        if entry is not None and o is not None:
            return (o, entry[0], entry[1], entry[2])
    @property
    def alive(self):
        return self._key in finalize._registry
    def __repr__(self):
        o = self._wr()
        if o is None:
            return "<finalize object at %#x; dead>" % id(self)
        return "<finalize object at %#x; for %r at %#x>" % (id(self), type(o).__name__, id(o))

def _run_finalizers():
    # Still-alive finalizers with atexit set run at exit, most recently created first;
    # an error in one is reported and the rest still run. Afterwards no finalizer fires.
    try:
        for key, (f, a, k, wr) in reversed(list(finalize._registry.items())):
            if key in finalize._no_atexit or wr() is None:
                continue
            if finalize._registry.pop(key, None) is not None:
                try:
                    f(*a, **k)
                except Exception:
                    import sys
                    sys.excepthook(*sys.exc_info())
    finally:
        finalize._shutdown = True
