"""Names for the interpreter's built-in types (pyvm's own implementation of types).

Most of these types have no built-in name: FunctionType, GeneratorType,
ModuleType and the rest are found here by making an object of the kind and
taking its type(), so they are the VM's own classes and isinstance() against
them is exact.

A type is exposed only when pyvm really has it. CPython's MappingProxyType,
GenericAlias, UnionType and the descriptor types (WrapperDescriptorType,
MethodWrapperType, MethodDescriptorType, ClassMethodDescriptorType,
GetSetDescriptorType, MemberDescriptorType) are left out while pyvm represents
those objects with other types (a dict for a class's __dict__, list itself for
list[int], builtin functions for slot wrappers, ...): `from types import
GenericAlias` then raises ImportError, which callers such as collections.abc
already handle. Each of them appears automatically once the VM makes the object
with its CPython type name.

SimpleNamespace, new_class, resolve_bases and prepare_class are written here in
Python.
"""

import sys as _sys


def _function():
    pass


FunctionType = type(_function)
LambdaType = type(lambda: None)         # the same type: a lambda is a function
CodeType = type(_function.__code__)


def _cell():
    value = None

    def reader():
        return value
    return reader.__closure__[0]


CellType = type(_cell())


class _Class:
    def _method(self):
        pass


MethodType = type(_Class()._method)

BuiltinFunctionType = type(len)
BuiltinMethodType = type([].append)    # also builtin_function_or_method, as in CPython
ModuleType = type(_sys)


def _generator():
    yield 1


_gen = _generator()
GeneratorType = type(_gen)
FrameType = type(_gen.gi_frame)
del _gen


async def _coroutine():
    pass


_coro = _coroutine()
CoroutineType = type(_coro)
_coro.close()                           # never run: closing avoids "never awaited"
del _coro


async def _async_generator():
    yield


AsyncGeneratorType = type(_async_generator())

try:
    raise TypeError
except TypeError as _exc:
    TracebackType = type(_exc.__traceback__)

NoneType = type(None)
EllipsisType = type(Ellipsis)
NotImplementedType = type(NotImplemented)


def _expose(name, make, type_name):
    # Bind `name` to the type of make()'s result, only when the VM has a type of
    # that (CPython) name for it; see the module docstring.
    try:
        kind = type(make())
    except Exception:
        return
    if kind.__name__ == type_name:
        globals()[name] = kind


_expose("MappingProxyType", lambda: type.__dict__, "mappingproxy")
_expose("GenericAlias", lambda: list[int], "GenericAlias")
_expose("UnionType", lambda: int | str, "UnionType")
_expose("WrapperDescriptorType", lambda: object.__init__, "wrapper_descriptor")
_expose("MethodWrapperType", lambda: object().__str__, "method-wrapper")
_expose("MethodDescriptorType", lambda: str.join, "method_descriptor")
_expose("ClassMethodDescriptorType", lambda: dict.__dict__["fromkeys"], "classmethod_descriptor")
_expose("GetSetDescriptorType", lambda: FunctionType.__code__, "getset_descriptor")
_expose("MemberDescriptorType", lambda: FunctionType.__globals__, "member_descriptor")


# ----- SimpleNamespace ---------------------------------------------------------------------

# The ids of the namespaces whose repr is being built, so that a namespace that
# contains itself shows as namespace(...) there.
_repr_running = set()


class SimpleNamespace:
    """An object whose attributes are exactly the keyword arguments it was made
    with (more can be set and deleted later).

    SimpleNamespace(**kwargs)
    """

    def __init__(self, /, *args, **kwargs):
        if args:
            raise TypeError("no positional arguments expected")
        self.__dict__.update(kwargs)

    # CPython's SimpleNamespace is a built-in type whose full name, shown by its error
    # messages, is 'types.SimpleNamespace'; a Python class cannot have that name, so
    # the two "no attribute" errors are rewritten. (A subclass is named by its own
    # __name__ in CPython too. __getattr__ also replaces the AttributeError of a
    # subclass's failing property, which CPython would let through.)
    def __getattr__(self, name):
        cls = type(self)
        kind = "types.SimpleNamespace" if cls is SimpleNamespace else cls.__name__
        raise AttributeError("'%s' object has no attribute '%s'" % (kind, name))

    def __delattr__(self, name):
        if type(self) is not SimpleNamespace:
            object.__delattr__(self, name)
            return
        try:
            object.__delattr__(self, name)
        except AttributeError:
            raise AttributeError("'types.SimpleNamespace' object has no attribute '%s'"
                                 % name) from None

    def __repr__(self):
        cls = type(self)
        name = "namespace" if cls is SimpleNamespace else cls.__name__
        key = id(self)
        if key in _repr_running:
            return name + "(...)"
        _repr_running.add(key)
        try:
            # Attributes put in __dict__ under a key that is not a non-empty string
            # are not shown.
            items = ["%s=%r" % (k, v) for k, v in self.__dict__.items()
                     if isinstance(k, str) and k]
        finally:
            _repr_running.discard(key)
        return "%s(%s)" % (name, ", ".join(items))

    def __eq__(self, other):
        if isinstance(other, SimpleNamespace):
            return self.__dict__ == other.__dict__
        return NotImplemented

    def __ne__(self, other):
        if isinstance(other, SimpleNamespace):
            return self.__dict__ != other.__dict__
        return NotImplemented

    __hash__ = None

    def __reduce__(self):
        return (type(self), (), self.__dict__)


# ----- creating classes dynamically --------------------------------------------------------

def new_class(name, bases=(), kwds=None, exec_body=None):
    """Create a class as a class statement would.

    bases may hold objects with __mro_entries__ (they are resolved as the class
    statement resolves them, and the originals kept as __orig_bases__), kwds the
    keywords of the class statement (metaclass included), and exec_body(ns) fills
    the namespace in place of the class body.
    """
    resolved_bases = resolve_bases(bases)
    meta, ns, kwds = prepare_class(name, resolved_bases, kwds)
    if exec_body is not None:
        exec_body(ns)
    if resolved_bases is not bases:
        ns["__orig_bases__"] = bases
    return meta(name, resolved_bases, ns, **kwds)


def resolve_bases(bases):
    """Replace each base that is not a class but has __mro_entries__ by the
    classes that method returns (PEP 560); bases itself when nothing changed."""
    resolved = []
    changed = False
    for base in bases:
        if isinstance(base, type) or not hasattr(base, "__mro_entries__"):
            resolved.append(base)
            continue
        entries = base.__mro_entries__(bases)
        changed = True
        if not isinstance(entries, tuple):
            raise TypeError("__mro_entries__ must return a tuple")
        resolved.extend(entries)
    if not changed:
        return bases
    return tuple(resolved)


def prepare_class(name, bases=(), kwds=None):
    """Find the metaclass of a class to be created and prepare its namespace.

    Returns (metaclass, namespace, kwds): kwds is a copy of the given keywords
    without 'metaclass'; the namespace comes from the metaclass's __prepare__.
    """
    kwds = {} if kwds is None else dict(kwds)
    if "metaclass" in kwds:
        meta = kwds.pop("metaclass")
    elif bases:
        meta = type(bases[0])
    else:
        meta = type
    if isinstance(meta, type):
        # Only a class (not an arbitrary callable) takes part in the metaclass
        # computation with the bases' metaclasses.
        meta = _calculate_meta(meta, bases)
    # (pyvm's type has no __prepare__; CPython's returns an empty dict.)
    if hasattr(meta, "__prepare__"):
        ns = meta.__prepare__(name, bases, **kwds)
    else:
        ns = {}
    return meta, ns, kwds


def _calculate_meta(meta, bases):
    """The most derived of meta and the bases' metaclasses."""
    winner = meta
    for base in bases:
        base_meta = type(base)
        if issubclass(winner, base_meta):
            continue
        if issubclass(base_meta, winner):
            winner = base_meta
            continue
        raise TypeError("metaclass conflict: the metaclass of a derived class must be a "
                        "(non-strict) subclass of the metaclasses of all its bases")
    return winner


# In CPython's order, without the types pyvm does not have.
__all__ = [_name for _name in (
    "FunctionType", "LambdaType", "CodeType", "MappingProxyType", "SimpleNamespace",
    "CellType", "GeneratorType", "CoroutineType", "AsyncGeneratorType", "MethodType",
    "BuiltinFunctionType", "BuiltinMethodType", "WrapperDescriptorType",
    "MethodWrapperType", "MethodDescriptorType", "ClassMethodDescriptorType", "ModuleType",
    "TracebackType", "FrameType", "GetSetDescriptorType", "MemberDescriptorType",
    "new_class", "resolve_bases", "prepare_class", "GenericAlias", "UnionType",
    "EllipsisType", "NoneType", "NotImplementedType") if _name in globals()]
