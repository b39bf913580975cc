"""Shallow and deep copy operations (pyvm's own implementation of the copy module).

copy(x) and deepcopy(x) follow CPython's observable rules:

* immutable atoms (numbers, strings, None, functions, classes, ...) are returned as
  they are; copy() also returns tuples and frozensets as they are, and deepcopy()
  returns a tuple as it is when none of its items needed copying;
* a class's __copy__(self) / an instance's __deepcopy__(memo) take precedence;
* a user-defined __reduce_ex__ / __reduce__ is honoured (callable, args, state,
  list items, dict items);
* otherwise an instance is rebuilt with cls.__new__(cls), its state (__getstate__(),
  else its __dict__ plus its slot values) applied with __setstate__ or by updating
  __dict__ and setting the slots; list and dict subclasses get their items back.

deepcopy's memo maps id(original) -> copy, so shared and cyclic structures are
copied once, and keeps the originals alive under memo[id(memo)].
"""

__all__ = ["Error", "copy", "deepcopy"]


class Error(Exception):
    pass


error = Error


class _Sample:
    def method(self):
        pass


_FunctionType = type(_Sample.method)
_MethodType = type(_Sample().method)
_BuiltinFunctionType = type(len)
_CodeType = type(_Sample.method.__code__)
del _Sample

# Returned unchanged by both copy() and deepcopy().
_ATOMIC = {type(None), type(Ellipsis), type(NotImplemented), int, float, bool, complex,
           bytes, str, type, range, _FunctionType, _BuiltinFunctionType, _CodeType, property}
# Also returned unchanged by copy() (immutable containers).
_IMMUTABLE = _ATOMIC | {tuple, frozenset, slice}

# Built-in immutable types whose subclasses are rebuilt by cls.__new__(cls, value).
_VALUE_BASES = (bool, int, float, complex, str, bytes, tuple)
# Built-in types whose subclasses need nothing more than cls.__new__(cls) before
# their state (and, for list and dict, their items) are restored.
_PLAIN_BASES = (object, list, dict)


def copy(x):
    """A shallow copy of x."""
    cls = type(x)
    if cls in _IMMUTABLE:
        return x
    if cls is list or cls is dict or cls is set:
        return cls.copy(x)
    if cls is bytearray:
        return bytearray(x)
    if issubclass(cls, type):
        return x
    if cls is _MethodType:
        return x.__func__.__get__(x.__self__, type(x.__self__))
    copier = getattr(cls, "__copy__", None)
    if copier is not None:
        return copier(x)
    rv = _reduce(x, cls)
    if isinstance(rv, str):
        return x
    return _reconstruct(x, None, *rv)


def deepcopy(x, memo=None, _nil=[]):
    """A deep copy of x; memo maps ids of already copied objects to their copies."""
    if memo is None:
        memo = {}
    d = id(x)
    y = memo.get(d, _nil)
    if y is not _nil:
        return y
    cls = type(x)
    if cls in _ATOMIC or issubclass(cls, type):
        y = x
    elif cls is list:
        y = []
        memo[d] = y
        for item in x:
            y.append(deepcopy(item, memo))
    elif cls is dict:
        y = {}
        memo[d] = y
        for key, value in x.items():
            y[deepcopy(key, memo)] = deepcopy(value, memo)
    elif cls is tuple:
        y = _deepcopy_tuple(x, memo)
    elif cls is _MethodType:
        obj = deepcopy(x.__self__, memo)
        y = x.__func__.__get__(obj, type(obj))
    else:
        copier = getattr(x, "__deepcopy__", None)
        if copier is not None:
            y = copier(memo)
        else:
            rv = _reduce(x, cls)
            if isinstance(rv, str):
                y = x
            else:
                y = _reconstruct(x, memo, *rv)
    # A copy distinct from the original is remembered (for shared references and
    # cycles), and the original kept alive so that its id cannot be reused meanwhile.
    if y is not x:
        memo[d] = y
        _keep_alive(x, memo)
    return y


def _deepcopy_tuple(x, memo):
    items = [deepcopy(item, memo) for item in x]
    # Copying the items may have copied x itself (a cycle through a mutable object).
    try:
        return memo[id(x)]
    except KeyError:
        pass
    for original, copied in zip(x, items):
        if original is not copied:
            return tuple(items)
    return x


def _keep_alive(x, memo):
    try:
        memo[id(memo)].append(x)
    except KeyError:
        memo[id(memo)] = [x]


# ----- reduction: how to rebuild an object ------------------------------------------

def _user_defined(cls, name):
    """The attribute `name` of the first class in cls's MRO defining it, unless that
    class is a built-in one (object, list, ...): those have no custom behaviour."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            if klass.__module__ == "builtins":
                return None
            return klass.__dict__[name]
    return None


def _reduce(x, cls):
    """(callable, args, state, list items, dict items) rebuilding x, or a string
    meaning "x is a global and is copied as itself"."""
    if _user_defined(cls, "__reduce_ex__") is not None:
        rv = x.__reduce_ex__(4)
    elif _user_defined(cls, "__reduce__") is not None:
        rv = x.__reduce__()
    else:
        return _default_reduce(x, cls)
    if isinstance(rv, str):
        return rv
    if not isinstance(rv, tuple):
        raise Error("un(deep)copyable object of type %s" % cls)
    if not 2 <= len(rv) <= 5:
        raise TypeError("tuple returned by __reduce_ex__ must contain 2 through 5 elements")
    return tuple(rv) + (None,) * (5 - len(rv))


def _builtin_base(cls):
    """The first built-in class in cls's MRO (object for plain classes)."""
    for klass in cls.__mro__:
        if klass.__module__ == "builtins":
            return klass
    return object


def _default_reduce(x, cls):
    # What object.__reduce_ex__(4) produces, for the kinds of objects it handles.
    base = _builtin_base(cls)
    if base is set or base is frozenset:
        return cls, (list(x),), _instance_dict(x), None, None
    if base is bytearray:
        return cls, (bytes(x),), _instance_dict(x), None, None
    if issubclass(base, BaseException):
        return cls, x.args, _instance_dict(x), None, None
    if base in _VALUE_BASES:
        if base is bool:
            base = int
        args = _newargs(x, cls)
        if args is None:
            args = (base(x),)
        return _newobj, (cls,) + tuple(args), _state(x, cls), None, None
    if base not in _PLAIN_BASES and base is not cls:
        raise TypeError("cannot pickle %r object" % base.__name__)
    if base is not object and base is cls:
        raise TypeError("cannot pickle %r object" % cls.__name__)
    args = _newargs(x, cls) or ()
    listitems = iter(x) if isinstance(x, list) else None
    dictitems = iter(x.items()) if isinstance(x, dict) else None
    return _newobj, (cls,) + tuple(args), _state(x, cls), listitems, dictitems


def _newargs(x, cls):
    getnewargs = _user_defined(cls, "__getnewargs__")
    if getnewargs is not None:
        return tuple(x.__getnewargs__())
    return None


def _newobj(cls, *args):
    return cls.__new__(cls, *args)


def _instance_dict(x):
    try:
        d = x.__dict__
    except AttributeError:
        return None
    return d if d else None


def _state(x, cls):
    """x.__getstate__() if its class defines one, else CPython's default state:
    the instance dict (None when empty), paired with a dict of the set slots."""
    if _user_defined(cls, "__getstate__") is not None:
        return x.__getstate__()
    state = _instance_dict(x)
    slots = {}
    for klass in cls.__mro__:
        names = klass.__dict__.get("__slots__", ())
        if isinstance(names, str):
            names = (names,)
        for name in names:
            if name in ("__dict__", "__weakref__"):
                continue
            if name.startswith("__") and not name.endswith("__"):
                stripped = klass.__name__.lstrip("_")
                if stripped:
                    name = "_%s%s" % (stripped, name)
            try:
                slots[name] = getattr(x, name)
            except AttributeError:
                pass
    if slots:
        return state, slots
    return state


def _reconstruct(x, memo, func, args, state=None, listiter=None, dictiter=None):
    deep = memo is not None
    if deep and args:
        args = deepcopy(args, memo)
    y = func(*args)
    if deep:
        memo[id(x)] = y
    if state is not None:
        if deep:
            state = deepcopy(state, memo)
        setstate = getattr(y, "__setstate__", None)
        if setstate is not None:
            setstate(state)
        else:
            slotstate = None
            if isinstance(state, tuple) and len(state) == 2:
                state, slotstate = state
            if state is not None:
                y.__dict__.update(state)
            if slotstate is not None:
                for key, value in slotstate.items():
                    setattr(y, key, value)
    if listiter is not None:
        for item in listiter:
            y.append(deepcopy(item, memo) if deep else item)
    if dictiter is not None:
        for key, value in dictiter:
            if deep:
                key = deepcopy(key, memo)
                value = deepcopy(value, memo)
            y[key] = value
    return y
