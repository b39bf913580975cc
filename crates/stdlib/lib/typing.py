"""Support for type hints (pyvm's own implementation of the typing module).

Annotations are never checked at run time; what this module provides is the
run-time side of the typing names, behaving like CPython 3.11's: reprs such as
'typing.List[int]', get_origin()/get_args(), Union simplification, Generic and
Protocol classes, NamedTuple, TypedDict, get_type_hints() and so on.

How subscripted generics become base classes
--------------------------------------------
CPython lets `class Box(Generic[T])` work through PEP 560: the alias object
Generic[T] has an __mro_entries__ method that the class statement calls to
find the real bases. pyvm's class statement does not call __mro_entries__
(every base must be a class), so here the aliases that can appear among the
bases of a class -- List[int], Generic[T], Box[int], Callable[..., int], and
the unsubscripted List, Iterable, ... -- are themselves classes, made by the
metaclass _BaseGenericAlias. When a class statement lists such an alias, the
class statement picks the alias's metaclass as the metaclass of the new class
(it is the most derived one: _BaseGenericAlias derives from ABCMeta), and
_BaseGenericAlias.__new__ then does what __mro_entries__ would: it replaces
each alias by the classes it stands for, records the original bases as
__orig_bases__, and creates the class with the right metaclass.

Two visible differences follow: isinstance(List[int], type) is true (false in
CPython), and a class statement whose metaclass is settled by something else
(an explicit metaclass=..., or a first base with an unrelated metaclass) keeps
the alias class itself among its bases; Generic.__init_subclass__ still works
out __parameters__ then, and Generic[T]'s class derives from Generic so that
the methods are there.

The subscripted special forms that are never base classes (Union[...],
Optional[...], Literal[...], Annotated[...], ClassVar[...], ...) are ordinary
objects, so that they hash by value as in CPython (pyvm hashes classes by
identity, whatever their metaclass's __hash__ says).
"""

import collections
import collections.abc
import contextlib
import functools
import operator
import re as stdlib_re
import sys
import types
from abc import abstractmethod, ABCMeta

__all__ = [
    # Super-special typing primitives.
    "Annotated", "Any", "Callable", "ClassVar", "Concatenate", "Final", "ForwardRef",
    "Generic", "Literal", "Optional", "ParamSpec", "Protocol", "Tuple", "Type",
    "TypeVar", "TypeVarTuple", "Union",
    # ABCs (from collections.abc).
    "AbstractSet", "ByteString", "Container", "ContextManager", "Hashable", "ItemsView",
    "Iterable", "Iterator", "KeysView", "Mapping", "MappingView", "MutableMapping",
    "MutableSequence", "MutableSet", "Sequence", "Sized", "ValuesView", "Awaitable",
    "AsyncIterator", "AsyncIterable", "Coroutine", "Collection", "AsyncGenerator",
    "AsyncContextManager",
    # Structural checks, a.k.a. protocols.
    "Reversible", "SupportsAbs", "SupportsBytes", "SupportsComplex", "SupportsFloat",
    "SupportsIndex", "SupportsInt", "SupportsRound",
    # Concrete collection types.
    "ChainMap", "Counter", "Deque", "Dict", "DefaultDict", "List", "OrderedDict", "Set",
    "FrozenSet", "NamedTuple", "TypedDict", "Generator",
    # Other concrete types.
    "BinaryIO", "IO", "Match", "Pattern", "TextIO",
    # One-off things.
    "AnyStr", "assert_type", "assert_never", "cast", "clear_overloads",
    "dataclass_transform", "final", "get_args", "get_origin", "get_overloads",
    "get_type_hints", "is_typeddict", "LiteralString", "Never", "NewType",
    "no_type_check", "no_type_check_decorator", "NoReturn", "NotRequired", "overload",
    "ParamSpecArgs", "ParamSpecKwargs", "Required", "reveal_type", "runtime_checkable",
    "Self", "Text", "TYPE_CHECKING", "TypeAlias", "TypeGuard", "Unpack",
]

TYPE_CHECKING = False

# The name this module was imported under (classes defined here get it as their
# __module__; _caller() skips its frames).
_MODULE = __name__


# ----------------------------------------------------------------------------- helpers

def _caller(depth=1, default="__main__"):
    """The __name__ of the module `depth` frames above the caller of _caller."""
    try:
        return sys._getframe(depth + 1).f_globals.get("__name__", default)
    except (AttributeError, ValueError):
        return default


def _class_repr(cls):
    # type.__repr__(cls), spelled out: pyvm's type has no __repr__ of its own, so
    # super().__repr__() in a metaclass reaches object.__repr__.
    if cls.__module__ == "builtins":
        return "<class '%s'>" % (cls.__qualname__,)
    return "<class '%s.%s'>" % (cls.__module__, cls.__qualname__)


def _is_dunder(name):
    return name.startswith("__") and name.endswith("__")


def _type_repr(obj):
    """How an argument of a generic shows in its repr: int, not <class 'int'>."""
    if isinstance(obj, types.GenericAlias) or _is_alias(obj):
        return repr(obj)
    if isinstance(obj, type):
        if obj.__module__ == "builtins":
            return obj.__qualname__
        return "%s.%s" % (obj.__module__, obj.__qualname__)
    if obj is ...:
        return "..."
    if isinstance(obj, types.FunctionType):
        return obj.__name__
    return repr(obj)


def _type_convert(arg, module=None, *, allow_special_forms=False):
    """None stands for NoneType and a string for a forward reference."""
    if arg is None:
        return type(None)
    if isinstance(arg, str):
        return ForwardRef(arg, module=module, is_class=allow_special_forms)
    return arg


def _type_check(arg, msg, is_argument=True, module=None, *, allow_special_forms=False):
    """Check that arg may stand as a type argument and return it converted.

    As in CPython 3.11 almost anything passes (callables are not required);
    refused are tuples, bare special forms such as Union, Generic and Protocol
    and their subscriptions, and ClassVar/Final inside other types.
    """
    invalid = (Generic, Protocol)
    if not allow_special_forms:
        invalid += (ClassVar,)
        if is_argument:
            invalid += (Final,)
    arg = _type_convert(arg, module=module, allow_special_forms=allow_special_forms)
    if _is_alias(arg) and _origin_in(arg, invalid):
        raise TypeError("%s is not valid as type argument" % (arg,))
    if arg in (Any, LiteralString, NoReturn, Never, Self, TypeAlias):
        return arg
    if allow_special_forms and arg in (ClassVar, Final):
        return arg
    if isinstance(arg, _SpecialForm) or arg in (Generic, Protocol):
        raise TypeError("Plain %s is not valid as type argument" % (arg,))
    if type(arg) is tuple:
        raise TypeError("%s Got %.100r." % (msg, arg))
    return arg


def _origin_in(alias, choices):
    origin = getattr(alias, "__origin__", None)
    return any(origin is c for c in choices)


def _is_alias(obj):
    """Whether obj is one of this module's alias objects (List[int], Union[...], ...)."""
    return isinstance(obj, (_BaseGenericAlias, _FormAlias))


def _is_typevar_like(x):
    return isinstance(x, (TypeVar, ParamSpec)) or _is_unpacked_typevartuple(x)


def _is_unpacked_typevartuple(x):
    return (isinstance(x, _UnpackGenericAlias) and bool(x.__args__)
            and isinstance(x.__args__[0], TypeVarTuple))


def _is_param_expr(arg):
    return arg is ... or isinstance(arg, (tuple, list, ParamSpec, _ConcatenateGenericAlias))


def _parameters_of(t):
    """The type variables free in t."""
    if _is_alias(t):
        return getattr(t, "__parameters__", ())     # (List has none, List[T] has)
    if isinstance(t, (types.GenericAlias, types.UnionType)):
        # (pyvm's list[T] reports no __parameters__, so they are collected here.)
        return _collect_parameters(t.__args__)
    if isinstance(t, (type, TypeVar, ParamSpec, TypeVarTuple)):
        return ()
    params = getattr(t, "__parameters__", ())
    return params if isinstance(params, tuple) else ()


def _collect_parameters(args):
    """The type variables in args, in order of first appearance:
    _collect_parameters((T, int, Dict[S, T])) == (T, S)."""
    found = []
    for t in args:
        if isinstance(t, (TypeVar, ParamSpec, TypeVarTuple)):
            items = (t,)
        elif isinstance(t, (list, tuple)):
            items = _collect_parameters(t)
        else:
            items = _parameters_of(t)
        for x in items:
            if x not in found:
                found.append(x)
    return tuple(found)


def _check_generic(cls, parameters, elen):
    """Complain unless len(parameters) == elen (the number cls expects)."""
    if not elen:
        raise TypeError("%s is not a generic class" % (cls,))
    alen = len(parameters)
    if alen != elen:
        raise TypeError("Too %s arguments for %s; actual %d, expected %d"
                        % ("many" if alen > elen else "few", cls, alen, elen))


def _deduplicate(params):
    # Equal arguments are kept once (Union[int, int] is int), first one wins.
    out = []
    for p in params:
        if p not in out:
            out.append(p)
    return out


def _remove_dups_flatten(parameters):
    """Union's arguments: nested unions spliced in, duplicates dropped."""
    params = []
    for p in parameters:
        if isinstance(p, (_UnionGenericAlias, types.UnionType)):
            params.extend(p.__args__)
        else:
            params.append(p)
    return tuple(_deduplicate(params))


# The cache of subscriptions, so that List[int] is List[int] (CPython uses
# functools.lru_cache). Here it also keeps equal aliases identical, which
# matters because pyvm hashes classes by identity.
_alias_cache = {}


def _cached(key, make):
    try:
        found = _alias_cache.get(key)
    except TypeError:           # an unhashable argument: no caching
        return make()
    if found is None:
        found = make()
        _alias_cache[key] = found
    return found


def _args_key(args):
    # Literal[1] and Literal[True] are different: the key includes the types.
    return (args, tuple(type(a) for a in args))


# ------------------------------------------------------------------- special forms

class _Final:
    """Base of the module's internal classes (as CPython's typing._Final)."""
    __slots__ = ()


class _SpecialForm(_Final):
    """Union, Optional, ClassVar, Literal, ...: objects that only make sense
    subscripted (or bare, for Any-like forms). The decorated function does the
    subscription."""

    def __init__(self, getitem):
        self._getitem = getitem
        self._name = getitem.__name__
        self.__name__ = self._name
        self.__qualname__ = self._name
        self.__doc__ = getitem.__doc__

    def __repr__(self):
        return "typing." + self._name

    def __reduce__(self):
        return self._name

    def __call__(self, *args, **kwds):
        raise TypeError("Cannot instantiate %r" % (self,))

    def __or__(self, other):
        return Union[self, other]

    def __ror__(self, other):
        return Union[other, self]

    def __instancecheck__(self, obj):
        raise TypeError("%s cannot be used with isinstance()" % (self,))

    def __subclasscheck__(self, cls):
        raise TypeError("%s cannot be used with issubclass()" % (self,))

    def __mro_entries__(self, bases):
        raise TypeError("Cannot subclass %r" % (self,))

    def __getitem__(self, parameters):
        return self._getitem(self, parameters)


class _LiteralSpecialForm(_SpecialForm):
    def __getitem__(self, parameters):
        if not isinstance(parameters, tuple):
            parameters = (parameters,)
        return self._getitem(self, *parameters)


class _AnyMeta(type):
    def __instancecheck__(self, obj):
        if self is Any:
            raise TypeError("typing.Any cannot be used with isinstance()")
        return super().__instancecheck__(obj)

    def __repr__(self):
        if self is Any:
            return "typing.Any"
        return _class_repr(self)


class Any(metaclass=_AnyMeta):
    """Special type indicating an unconstrained type: every type is compatible
    with Any. (A class since 3.11, so that it can be subclassed.)"""

    def __new__(cls, *args, **kwargs):
        if cls is Any:
            raise TypeError("Any cannot be instantiated")
        return super().__new__(cls, *args, **kwargs)


def _not_subscriptable(self, parameters):
    raise TypeError("%s is not subscriptable" % (self,))


def _bare_form(name, doc):
    def getitem(self, parameters):
        return _not_subscriptable(self, parameters)
    getitem.__name__ = name
    getitem.__doc__ = doc
    return _SpecialForm(getitem)


NoReturn = _bare_form("NoReturn", "Special type indicating functions that never return.")
Never = _bare_form("Never", "The bottom type, a type that has no members.")
Self = _bare_form("Self", "Used to spell the type of 'self' in classes.")
LiteralString = _bare_form("LiteralString", "Represents an arbitrary literal string.")
TypeAlias = _bare_form("TypeAlias", "Marks an explicit type alias: X: TypeAlias = int.")


@_SpecialForm
def ClassVar(self, parameters):
    """Marks a class variable: x: ClassVar[int] = 0."""
    item = _type_check(parameters, "%s accepts only single type." % (self,))
    return _FormAlias(self, (item,))


@_SpecialForm
def Final(self, parameters):
    """Marks a name that cannot be re-assigned or overridden."""
    item = _type_check(parameters, "%s accepts only single type." % (self,))
    return _FormAlias(self, (item,))


@_SpecialForm
def Union(self, parameters):
    """Union[X, Y]: either X or Y. Nested unions are flattened, duplicates
    removed, and a union of one type is that type."""
    if parameters == ():
        raise TypeError("Cannot take a Union of no types.")
    if not isinstance(parameters, tuple):
        parameters = (parameters,)
    msg = "Union[arg, ...]: each arg must be a type."
    parameters = tuple(_type_check(p, msg) for p in parameters)
    parameters = _remove_dups_flatten(parameters)
    if len(parameters) == 1:
        return parameters[0]
    if len(parameters) == 2 and type(None) in parameters:
        return _UnionGenericAlias(self, parameters, name="Optional")
    return _UnionGenericAlias(self, parameters)


@_SpecialForm
def Optional(self, parameters):
    """Optional[X] is Union[X, None]."""
    arg = _type_check(parameters, "%s requires a single type." % (self,))
    return Union[arg, type(None)]


def _flatten_literal_params(parameters):
    params = []
    for p in parameters:
        if isinstance(p, _LiteralGenericAlias):
            params.extend(p.__args__)
        else:
            params.append(p)
    return tuple(params)


def _value_and_type_iter(parameters):
    return ((p, type(p)) for p in parameters)


@_LiteralSpecialForm
def Literal(self, *parameters):
    """Literal[1, 'a']: exactly one of the given values."""
    parameters = _flatten_literal_params(parameters)
    try:
        parameters = tuple(p for p, _ in _deduplicate(list(_value_and_type_iter(parameters))))
    except TypeError:           # unhashable values are kept as they are
        pass
    return _LiteralGenericAlias(self, parameters)


@_SpecialForm
def Concatenate(self, parameters):
    """Concatenate[int, P]: P's parameters with an int one in front (PEP 612)."""
    if parameters == ():
        raise TypeError("Cannot take a Concatenate of no types.")
    if not isinstance(parameters, tuple):
        parameters = (parameters,)
    if not (parameters[-1] is ... or isinstance(parameters[-1], ParamSpec)):
        raise TypeError("The last parameter to Concatenate should be a "
                        "ParamSpec variable or ellipsis.")
    msg = "Concatenate[arg, ...]: each arg must be a type."
    parameters = tuple(_type_check(p, msg) for p in parameters[:-1]) + (parameters[-1],)
    return _ConcatenateGenericAlias(self, parameters)


@_SpecialForm
def TypeGuard(self, parameters):
    """The return type of a user-defined type guard function (PEP 647)."""
    item = _type_check(parameters, "%s accepts only single type." % (self,))
    return _FormAlias(self, (item,))


@_SpecialForm
def Required(self, parameters):
    """Marks a TypedDict key as required (in a total=False TypedDict)."""
    item = _type_check(parameters, "%s accepts only a single type." % (self._name,))
    return _FormAlias(self, (item,))


@_SpecialForm
def NotRequired(self, parameters):
    """Marks a TypedDict key as potentially missing."""
    item = _type_check(parameters, "%s accepts only a single type." % (self._name,))
    return _FormAlias(self, (item,))


@_SpecialForm
def Unpack(self, parameters):
    """Unpack[Ts]: the types a TypeVarTuple stands for (shows as *Ts)."""
    item = _type_check(parameters, "%s accepts only single type." % (self,))
    return _UnpackGenericAlias(self, (item,))


# ----------------------------------------------------------------- type variables

class _TypeVarLike(_Final):
    """What TypeVar, ParamSpec and TypeVarTuple share."""

    def __or__(self, right):
        return Union[self, right]

    def __ror__(self, left):
        return Union[left, self]

    def __reduce__(self):
        return self.__name__

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def _set_module(self):
        module = _caller(2)
        if module != _MODULE:
            self.__module__ = module


class TypeVar(_TypeVarLike):
    """Type variable: T = TypeVar('T'), TypeVar('S', int, str), TypeVar('N', bound=int)."""

    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
        if covariant and contravariant:
            raise ValueError("Bivariant types are not supported.")
        self.__covariant__ = bool(covariant)
        self.__contravariant__ = bool(contravariant)
        if constraints and bound is not None:
            raise TypeError("Constraints cannot be combined with bound=...")
        if constraints and len(constraints) == 1:
            raise TypeError("A single constraint is not allowed")
        msg = "TypeVar(name, constraint, ...): constraints must be types."
        self.__constraints__ = tuple(_type_check(t, msg) for t in constraints)
        self.__bound__ = _type_check(bound, "Bound must be a type.") if bound is not None else None
        self._set_module()

    def __repr__(self):
        if self.__covariant__:
            prefix = "+"
        elif self.__contravariant__:
            prefix = "-"
        else:
            prefix = "~"
        return prefix + self.__name__

    def __typing_subst__(self, arg):
        arg = _type_check(arg, "Parameters to generic types must be types.")
        if _is_unpacked_typevartuple(arg) or isinstance(arg, _UnpackGenericAlias):
            raise TypeError("%s is not valid as type argument" % (arg,))
        return arg


class TypeVarTuple(_TypeVarLike):
    """A variadic type variable: Ts = TypeVarTuple('Ts'); Generic[Unpack[Ts]]."""

    def __init__(self, name):
        self.__name__ = name
        self._set_module()

    def __iter__(self):
        yield Unpack[self]

    def __repr__(self):
        return self.__name__

    def __typing_subst__(self, arg):
        raise TypeError("Substitution of bare TypeVarTuple is not supported")


class ParamSpecArgs(_Final):
    """P.args: the positional parameters of a ParamSpec P."""

    def __init__(self, origin):
        self.__origin__ = origin

    def __repr__(self):
        return "%s.args" % (self.__origin__.__name__,)

    def __eq__(self, other):
        if not isinstance(other, ParamSpecArgs):
            return NotImplemented
        return self.__origin__ == other.__origin__

    def __hash__(self):
        return hash((ParamSpecArgs, self.__origin__))


class ParamSpecKwargs(_Final):
    """P.kwargs: the keyword parameters of a ParamSpec P."""

    def __init__(self, origin):
        self.__origin__ = origin

    def __repr__(self):
        return "%s.kwargs" % (self.__origin__.__name__,)

    def __eq__(self, other):
        if not isinstance(other, ParamSpecKwargs):
            return NotImplemented
        return self.__origin__ == other.__origin__

    def __hash__(self):
        return hash((ParamSpecKwargs, self.__origin__))


class ParamSpec(_TypeVarLike):
    """The parameters of a callable (PEP 612): P = ParamSpec('P');
    Callable[P, int]; def f(*args: P.args, **kwargs: P.kwargs)."""

    @property
    def args(self):
        return ParamSpecArgs(self)

    @property
    def kwargs(self):
        return ParamSpecKwargs(self)

    def __init__(self, name, *, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
        self.__covariant__ = bool(covariant)
        self.__contravariant__ = bool(contravariant)
        self.__bound__ = _type_check(bound, "Bound must be a type.") if bound is not None else None
        self._set_module()

    def __repr__(self):
        if self.__covariant__:
            prefix = "+"
        elif self.__contravariant__:
            prefix = "-"
        else:
            prefix = "~"
        return prefix + self.__name__

    def __typing_subst__(self, arg):
        if isinstance(arg, (list, tuple)):
            return tuple(_type_check(a, "Expected a type.") for a in arg)
        if not _is_param_expr(arg):
            raise TypeError("Expected a list of types, an ellipsis, ParamSpec, or "
                            "Concatenate. Got %s" % (arg,))
        return arg


# ------------------------------------------------------------------- substitution

def _substitute(alias, args):
    """alias[args]: the alias with its type variables replaced by args
    (Dict[str, T][int] is Dict[str, int])."""
    params = alias.__parameters__
    if not isinstance(args, tuple):
        args = (args,)
    args = tuple(_type_convert(a) for a in args)
    if not params:
        raise TypeError("%s is not a generic class" % (alias,))
    # A lone ParamSpec takes all the arguments: Z[int, str] is Z[[int, str]].
    if (len(params) == 1 and isinstance(params[0], ParamSpec)
            and not (len(args) == 1 and _is_param_expr(args[0]))):
        args = (args,)
    subst = _bind_parameters(alias, params, args)
    new_args = [_subst_arg(old, subst) for old in alias.__args__]
    return alias.copy_with(_splice(alias, new_args))


def _splice(alias, new_args):
    """The new __args__ of alias once its old ones were substituted by new_args.

    Where a ParamSpec of a Callable became a list of types, the types are
    spliced in, as Callable's __args__ are flat: Callable[P, T][[int, str],
    bool] has the args (int, str, bool). The types an unpacked TypeVarTuple
    stands for are spliced in the same way.
    """
    is_callable = alias.__origin__ is collections.abc.Callable
    out = []
    for old, new in zip(alias.__args__, new_args):
        if isinstance(new, tuple) and (
                _is_unpacked_typevartuple(old)
                or is_callable and isinstance(old, (ParamSpec, _ConcatenateGenericAlias))):
            out.extend(new)
        else:
            out.append(new)
    return tuple(out)


def _bind_parameters(alias, params, args):
    """{parameter: argument}, checking the number of arguments."""
    variadic = [i for i, p in enumerate(params) if _is_unpacked_typevartuple(p)
                or isinstance(p, TypeVarTuple)]
    if variadic:
        # One TypeVarTuple takes whatever the other parameters leave over.
        i = variadic[0]
        after = len(params) - i - 1
        if len(args) < len(params) - 1:
            raise TypeError("Too few arguments for %s; actual %d, expected at least %d"
                            % (alias, len(args), len(params) - 1))
        subst = dict(zip(params[:i], args[:i]))
        tvt = params[i]
        if isinstance(tvt, _UnpackGenericAlias):
            tvt = tvt.__args__[0]
        subst[tvt] = tuple(args[i:len(args) - after])
        subst.update(zip(params[i + 1:], args[len(args) - after:]))
        return subst
    _check_generic(alias, args, len(params))
    subst = {}
    for p, a in zip(params, args):
        subst[p] = p.__typing_subst__(a) if hasattr(p, "__typing_subst__") else a
    return subst


def _subst_arg(arg, subst):
    if isinstance(arg, (TypeVar, ParamSpec, TypeVarTuple)):
        return subst.get(arg, arg)
    if _is_unpacked_typevartuple(arg):
        return subst.get(arg.__args__[0], arg)
    if isinstance(arg, (list, tuple)):
        return type(arg)(_subst_arg(a, subst) for a in arg)
    if not _parameters_of(arg):
        return arg
    new_args = tuple(_subst_arg(a, subst) for a in arg.__args__)
    if isinstance(arg, types.GenericAlias):
        return types.GenericAlias(arg.__origin__, new_args)
    if isinstance(arg, types.UnionType):
        return functools.reduce(operator.or_, new_args)
    if _is_alias(arg):
        return arg.copy_with(_splice(arg, new_args))
    return arg


# ------------------------------------------------ aliases that are objects (special forms)

class _FormAlias(_Final):
    """A subscripted special form: ClassVar[int], Final[int], TypeGuard[int],
    Required[int], ... (and the base of Union/Literal/Annotated/... aliases)."""

    def __init__(self, origin, args, name=None):
        self.__origin__ = origin
        self.__args__ = args
        self._name = name if name is not None else getattr(origin, "_name", None)
        self._inst = False
        self.__parameters__ = _collect_parameters(args)

    def copy_with(self, args):
        return type(self)(self.__origin__, args, self._name)

    def __getattr__(self, attr):
        if attr in ("__name__", "__qualname__"):
            return self._name or self.__origin__.__name__
        # Other attributes come from the origin: Annotated[int, x].bit_length.
        if "__origin__" in self.__dict__ and not _is_dunder(attr):
            return getattr(self.__origin__, attr)
        raise AttributeError(attr)

    def __repr__(self):
        return "typing.%s[%s]" % (self._name, ", ".join(_type_repr(a) for a in self.__args__))

    def __eq__(self, other):
        if not isinstance(other, _FormAlias) or isinstance(other, _UnionGenericAlias):
            return NotImplemented
        return self.__origin__ == other.__origin__ and self.__args__ == other.__args__

    def __hash__(self):
        return hash((self.__origin__, self.__args__))

    def __getitem__(self, args):
        return _substitute(self, args)

    def __or__(self, right):
        return Union[self, right]

    def __ror__(self, left):
        return Union[left, self]

    def __call__(self, *args, **kwargs):
        raise TypeError("Cannot instantiate %r" % (self.__origin__,))

    def __instancecheck__(self, obj):
        return self.__subclasscheck__(type(obj))

    def __subclasscheck__(self, cls):
        raise TypeError("Subscripted generics cannot be used with class and instance checks")

    def __mro_entries__(self, bases):
        raise TypeError("Cannot subclass %r" % (self,))

    def __reduce__(self):
        # For copy/pickle: rebuilt as origin[args] (one argument passed bare).
        args = self.__args__
        if len(args) == 1 and not isinstance(args[0], tuple):
            args, = args
        return operator.getitem, (self.__origin__, args)


class _UnionGenericAlias(_FormAlias):
    """Union[X, Y] (and Optional[X], which is Union[X, None])."""

    def copy_with(self, params):
        return Union[params]

    def __eq__(self, other):
        # Order does not matter; Union[int, str] also equals int | str.
        if not isinstance(other, (_UnionGenericAlias, types.UnionType)):
            return NotImplemented
        return set(self.__args__) == set(other.__args__)

    def __hash__(self):
        return hash(frozenset(self.__args__))

    def __repr__(self):
        args = self.__args__
        if len(args) == 2:
            if args[0] is type(None):
                return "typing.Optional[%s]" % (_type_repr(args[1]),)
            if args[1] is type(None):
                return "typing.Optional[%s]" % (_type_repr(args[0]),)
        return "typing.Union[%s]" % (", ".join(_type_repr(a) for a in args),)

    def __instancecheck__(self, obj):
        return self.__subclasscheck__(type(obj))

    def __subclasscheck__(self, cls):
        for arg in self.__args__:
            if issubclass(cls, arg):
                return True
        return False

    def __reduce__(self):
        return operator.getitem, (Union, self.__args__)


class _LiteralGenericAlias(_FormAlias):
    """Literal[v1, v2, ...]: its arguments are values, compared with their types."""

    def __init__(self, origin, args, name=None):
        super().__init__(origin, args, name)
        self.__parameters__ = ()

    def __eq__(self, other):
        if not isinstance(other, _LiteralGenericAlias):
            return NotImplemented
        return set(_value_and_type_iter(self.__args__)) == set(_value_and_type_iter(other.__args__))

    def __hash__(self):
        return hash(frozenset(_value_and_type_iter(self.__args__)))


class _ConcatenateGenericAlias(_FormAlias):
    def copy_with(self, params):
        if isinstance(params[-1], (list, tuple)):
            return (*params[:-1], *params[-1])
        if isinstance(params[-1], _ConcatenateGenericAlias):
            params = (*params[:-1], *params[-1].__args__)
        return super().copy_with(params)


class _UnpackGenericAlias(_FormAlias):
    def __repr__(self):
        # Unpack[Ts] shows as *Ts, the syntax it stands for.
        return "*" + repr(self.__args__[0])


class _AnnotatedAlias(_FormAlias):
    """Annotated[T, x, ...]: T with metadata. __origin__ is T itself; the
    metadata is in __metadata__. Nested Annotated are flattened."""

    def __init__(self, origin, metadata):
        if isinstance(origin, _AnnotatedAlias):
            metadata = origin.__metadata__ + metadata
            origin = origin.__origin__
        super().__init__(origin, (origin,), "Annotated")
        self.__metadata__ = metadata
        self._inst = True

    def copy_with(self, params):
        assert len(params) == 1
        return _AnnotatedAlias(params[0], self.__metadata__)

    def __repr__(self):
        return "typing.Annotated[%s, %s]" % (
            _type_repr(self.__origin__), ", ".join(repr(a) for a in self.__metadata__))

    def __reduce__(self):
        return operator.getitem, (Annotated, (self.__origin__,) + self.__metadata__)

    def __eq__(self, other):
        if not isinstance(other, _AnnotatedAlias):
            return NotImplemented
        return self.__origin__ == other.__origin__ and self.__metadata__ == other.__metadata__

    def __hash__(self):
        return hash((self.__origin__, self.__metadata__))

    def __call__(self, *args, **kwargs):
        # Annotated[int, ...]('5') is int('5').
        result = self.__origin__(*args, **kwargs)
        try:
            result.__orig_class__ = self
        except Exception:
            pass
        return result



class Annotated:
    """Annotated[T, x]: the type T with the context-specific metadata x
    (PEP 593). get_type_hints() drops the metadata unless include_extras=True."""

    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        raise TypeError("Type Annotated cannot be instantiated.")

    def __class_getitem__(cls, params):
        if not isinstance(params, tuple) or len(params) < 2:
            raise TypeError("Annotated[...] should be used with at least two arguments "
                            "(a type and an annotation).")
        origin = _type_check(params[0], "Annotated[t, ...]: t must be a type.",
                             allow_special_forms=True)
        return _AnnotatedAlias(origin, tuple(params[1:]))

    def __init_subclass__(cls, *args, **kwargs):
        raise TypeError("Cannot subclass %s.Annotated" % (cls.__module__,))


# ------------------------------------------------------------------ protocol metaclass

_TYPING_INTERNALS = frozenset({
    "__parameters__", "__orig_bases__", "__orig_class__", "_is_protocol",
    "_is_runtime_protocol",
})

_SPECIAL_NAMES = frozenset({
    "__abstractmethods__", "__annotations__", "__dict__", "__doc__", "__init__",
    "__module__", "__new__", "__slots__", "__subclasshook__", "__weakref__",
    "__class_getitem__", "__qualname__", "__classcell__", "__init_subclass__",
})

# Classes of other modules that count as protocols when a protocol derives from them.
_PROTO_ALLOWLIST = {
    "collections.abc": ["Callable", "Awaitable", "Iterable", "Iterator", "AsyncIterable",
                        "Hashable", "Sized", "Container", "Collection", "Reversible"],
    "contextlib": ["AbstractContextManager", "AbstractAsyncContextManager"],
}


def _get_protocol_attrs(cls):
    """The members a class must have to match protocol cls: every attribute and
    annotation defined in the protocol classes of its MRO (not object)."""
    attrs = set()
    for base in cls.__mro__[:-1]:
        if base.__name__ in ("Protocol", "Generic"):
            continue
        annotations = base.__dict__.get("__annotations__", {})
        for attr in list(base.__dict__) + list(annotations):
            if (not attr.startswith("_abc_") and attr not in _TYPING_INTERNALS
                    and attr not in _SPECIAL_NAMES and attr != "_MutableMapping__marker"):
                attrs.add(attr)
    return attrs


def _is_callable_members_only(cls):
    return all(callable(getattr(cls, attr, None)) for attr in _get_protocol_attrs(cls))


def _allow_reckless_class_checks(depth=3):
    """The abc and functools modules call isinstance()/issubclass() on every
    class of an MRO, protocols included; those checks must not raise."""
    return _caller(depth) in ("abc", "functools", None)


def _own_flag(cls, name):
    # A class's own flag: pyvm may skip the __init_subclass__ that would set it on
    # a subclass (see _finish_class), and inheriting it must not make a concrete
    # class look like a protocol.
    return bool(cls.__dict__.get(name, False))


class _ProtocolMeta(ABCMeta):
    """The metaclass of Protocol: isinstance() against a @runtime_checkable
    protocol checks that the object has the protocol's members."""

    def __instancecheck__(cls, instance):
        is_protocol = _own_flag(cls, "_is_protocol")
        if (is_protocol and not getattr(cls, "_is_runtime_protocol", False)
                and not _allow_reckless_class_checks(depth=2)):
            raise TypeError("Instance and class checks can only be used with "
                            "@runtime_checkable protocols")
        if ((not is_protocol or _is_callable_members_only(cls))
                and issubclass(instance.__class__, cls)):
            return True
        if is_protocol:
            if all(hasattr(instance, attr)
                   and (not callable(getattr(cls, attr, None))
                        or getattr(instance, attr) is not None)
                   for attr in _get_protocol_attrs(cls)):
                return True
        return super().__instancecheck__(instance)


def _proto_hook(cls, other):
    """Protocol classes' __subclasshook__: issubclass(C, P) when C defines
    (somewhere in its MRO) every method of P."""
    if not _own_flag(cls, "_is_protocol"):
        return NotImplemented
    if not getattr(cls, "_is_runtime_protocol", False):
        if _allow_reckless_class_checks():
            return NotImplemented
        raise TypeError("Instance and class checks can only be used with "
                        "@runtime_checkable protocols")
    if not _is_callable_members_only(cls):
        if _allow_reckless_class_checks():
            return NotImplemented
        raise TypeError("Protocols with non-method members don't support issubclass()")
    if not isinstance(other, type):
        raise TypeError("issubclass() arg 1 must be a class")
    for attr in _get_protocol_attrs(cls):
        for base in other.__mro__:
            if attr in base.__dict__:
                if base.__dict__[attr] is None:
                    return NotImplemented
                break
            annotations = getattr(base, "__annotations__", {})
            if (isinstance(annotations, collections.abc.Mapping) and attr in annotations
                    and issubclass(other, Generic) and _own_flag(other, "_is_protocol")):
                break
        else:
            return NotImplemented
    return True


# ------------------------------------------------ aliases that are classes (generics)

def _calculate_meta(bases, meta=type):
    """The most derived metaclass of meta and the bases' metaclasses."""
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


class _BaseGenericAlias(_ProtocolMeta):
    """The metaclass of the generic aliases that may be base classes: List,
    List[int], Generic[T], Box[int], Callable[[int], str], ...

    Each such alias is a class (see the module docstring) holding __origin__,
    __args__, __parameters__ and _name ('List' for typing.List[int], None for a
    user generic such as Box[int]); everything an alias does -- repr,
    subscription, calls, isinstance checks, `|` -- is a method here.
    """

    # --- a class statement with aliases among its bases (PEP 560 done by hand)

    def __new__(mcls, name, bases, ns, **kwds):
        resolved = []
        for base in bases:
            if isinstance(base, _BaseGenericAlias):
                resolved.extend(base._mro_entries(bases))
            elif not isinstance(base, type) and hasattr(base, "__mro_entries__"):
                # Other PEP 560 objects listed next to an alias (list[int], ...).
                resolved.extend(base.__mro_entries__(bases))
            else:
                resolved.append(base)
        ns = dict(ns)
        ns["__orig_bases__"] = bases
        meta = _calculate_meta(resolved)
        cls = meta(name, tuple(resolved), ns, **kwds)
        _finish_class(cls)
        return cls

    def _mro_entries(self, bases):
        # CPython's _BaseGenericAlias.__mro_entries__: the origin, and Generic when
        # no later base brings it.
        res = []
        if self.__origin__ not in bases:
            res.append(self.__origin__)
        i = list(bases).index(self)
        for b in bases[i + 1:]:
            if isinstance(b, _BaseGenericAlias) or issubclass(b, Generic):
                break
        else:
            res.append(Generic)
        return tuple(res)

    # --- the alias as an object

    def __getattr__(self, attr):
        # Anything not dunder comes from the origin: List[int].append is list.append.
        if not _is_dunder(attr) and "__origin__" in self.__dict__:
            return getattr(self.__dict__["__origin__"], attr)
        raise AttributeError(attr)

    def __call__(self, *args, **kwargs):
        if not self._inst:
            raise TypeError("Type %s cannot be instantiated; use %s() instead"
                            % (self._name, self.__origin__.__name__.lower()))
        result = self.__origin__(*args, **kwargs)
        try:
            result.__orig_class__ = self
        except Exception:
            pass
        return result

    def __instancecheck__(self, obj):
        return self.__subclasscheck__(type(obj))

    def __subclasscheck__(self, cls):
        raise TypeError("Subscripted generics cannot be used with class and instance checks")

    def __or__(self, right):
        return Union[self, right]

    def __ror__(self, left):
        return Union[left, self]

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)

    def __dir__(self):
        return sorted(set(dir(self.__origin__)) | {"__origin__", "__args__", "__parameters__"})

    def __reduce__(self):
        # List[int] is rebuilt as List[int] (not list[int]).
        origin = globals()[self._name] if self._name else self.__origin__
        args = self.__args__
        if len(args) == 1 and not isinstance(args[0], tuple):
            args, = args
        return operator.getitem, (origin, args)


class _GenericAlias(_BaseGenericAlias):
    """A subscripted generic: List[int], Generic[T], Box[int]."""

    def copy_with(self, args):
        return _new_alias(type(self), self.__origin__, args, self._name, self._inst)

    def _mro_entries(self, bases):
        if self._name:                      # List[int] and the like
            return super()._mro_entries(bases)
        if self.__origin__ is Generic:
            if Protocol in bases:
                return ()
            i = list(bases).index(self)
            for b in bases[i + 1:]:
                if isinstance(b, _BaseGenericAlias) and b is not self:
                    return ()
        return (self.__origin__,)

    def __eq__(self, other):
        if not isinstance(other, _GenericAlias):
            return NotImplemented
        return self.__origin__ == other.__origin__ and self.__args__ == other.__args__

    def __hash__(self):
        return hash((self.__origin__, self.__args__))

    def __repr__(self):
        if self._name:
            name = "typing." + self._name
        else:
            name = _type_repr(self.__origin__)
        if self.__args__:
            args = ", ".join(_type_repr(a) for a in self.__args__)
        else:
            args = "()"                     # Tuple[()]
        return "%s[%s]" % (name, args)

    def __getitem__(self, args):
        if self.__origin__ is Generic or self.__origin__ is Protocol:
            raise TypeError("Cannot subscript already-subscripted %s" % (self,))
        return _substitute(self, args)


class _SpecialGenericAlias(_BaseGenericAlias):
    """An unsubscripted alias of a collection class: List, Dict, Iterable, ...
    isinstance() and issubclass() against it test the class it stands for."""

    def __repr__(self):
        return "typing." + self._name

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        msg = "Parameters to generic types must be types."
        params = tuple(_type_check(p, msg) for p in params)
        _check_generic(self, params, self._nparams)
        return self.copy_with(params)

    def copy_with(self, params):
        return _new_alias(_GenericAlias, self.__origin__, params, self._name, self._inst)

    def __subclasscheck__(self, cls):
        if isinstance(cls, _SpecialGenericAlias):
            return issubclass(cls.__origin__, self.__origin__)
        if not isinstance(cls, _GenericAlias):
            return issubclass(cls, self.__origin__)
        return super().__subclasscheck__(cls)

    def __reduce__(self):
        return self._name


class _CallableGenericAlias(_GenericAlias):
    """Callable[[int], str]: __args__ is flat, (int, str)."""

    def __repr__(self):
        args = self.__args__
        if len(args) == 2 and _is_param_expr(args[0]):
            return super().__repr__()       # Callable[..., int], Callable[P, int]
        return "typing.Callable[[%s], %s]" % (
            ", ".join(_type_repr(a) for a in args[:-1]), _type_repr(args[-1]))

    def copy_with(self, args):
        return _new_alias(_CallableGenericAlias, self.__origin__, args, self._name, self._inst)

    def __reduce__(self):
        args = self.__args__
        if not (len(args) == 2 and _is_param_expr(args[0])):
            args = list(args[:-1]), args[-1]
        return operator.getitem, (Callable, args)


class _CallableType(_SpecialGenericAlias):
    """typing.Callable: Callable[[arg, ...], result], Callable[..., result]."""

    def copy_with(self, params):
        return _new_alias(_CallableGenericAlias, self.__origin__, params, self._name, self._inst)

    def __getitem__(self, params):
        if not isinstance(params, tuple) or len(params) != 2:
            raise TypeError("Callable must be used as Callable[[arg, ...], result].")
        args, result = params
        # (Deliberately loose about args, to allow a ParamSpec or Concatenate.)
        result = _type_check(result, "Callable[args, result]: result must be a type.")
        if args is ...:
            return self.copy_with((..., result))
        if isinstance(args, list):
            args = tuple(args)
        elif not isinstance(args, tuple):
            args = (args,)
        args = tuple(_type_convert(a) for a in args)
        return self.copy_with(args + (result,))


class _TupleType(_SpecialGenericAlias):
    """typing.Tuple: Tuple[int, str], Tuple[int, ...], Tuple[()]."""

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        if len(params) >= 2 and params[-1] is ...:
            msg = "Tuple[t, ...]: t must be a type."
            params = tuple(_type_check(p, msg) for p in params[:-1])
            return self.copy_with(params + (...,))
        msg = "Tuple[t0, t1, ...]: each t must be a type."
        params = tuple(_type_check(p, msg) for p in params)
        return self.copy_with(params)


def _new_alias(meta, origin, args, name=None, inst=True):
    """The alias class origin[args] made by metaclass meta (cached)."""
    def make():
        ns = {
            "__origin__": origin,
            "__args__": args,
            "__parameters__": _collect_parameters(args),
            "_name": name,
            "_inst": inst,
            "_is_alias_class": True,
            "__module__": "typing" if name else getattr(origin, "__module__", "typing"),
            "__qualname__": name or getattr(origin, "__qualname__", repr(origin)),
            "__slots__": (),
        }
        # Generic[T] and Protocol[T] derive from Generic, so that a class which
        # lists one of them but has another metaclass picked by the class
        # statement (metaclass=...) still gets Generic's methods.
        if origin is Generic or origin is Protocol:
            bases = (Generic,)
        else:
            bases = (object,)
        return type.__new__(meta, name or getattr(origin, "__name__", "alias"), bases, ns)
    return _cached((meta, origin, name, inst) + _args_key(args), make)


def _special_alias(meta, origin, nparams, name=None, inst=True):
    """The unsubscripted alias typing.<name> of origin (List for list, ...)."""
    name = name or origin.__name__
    ns = {
        "__origin__": origin,
        "_nparams": nparams,
        "_name": name,
        "_inst": inst,
        "_is_alias_class": True,
        "__module__": "typing",
        "__qualname__": name,
        "__slots__": (),
    }
    return type.__new__(meta, name, (object,), ns)


def _alias(origin, nparams, inst=True, name=None):
    return _special_alias(_SpecialGenericAlias, origin, nparams, name, inst)


# ------------------------------------------------------------------ Generic, Protocol

def _generic_class_getitem(cls, params):
    """Generic[T, ...], Protocol[T, ...] and the subscription of generic classes
    (Box[int] for class Box(Generic[T]))."""
    if not isinstance(params, tuple):
        params = (params,)
    params = tuple(_type_convert(p) for p in params)
    if cls is Generic or cls is Protocol:
        if not params:
            raise TypeError("Parameter list to %s[...] cannot be empty" % (cls.__qualname__,))
        if not all(_is_typevar_like(p) for p in params):
            raise TypeError("Parameters to %s[...] must all be type variables "
                            "or parameter specification variables." % (cls.__name__,))
        if len(set(params)) != len(params):
            raise TypeError("Parameters to %s[...] must all be unique" % (cls.__name__,))
        return _new_alias(_GenericAlias, cls, params)
    cls_params = getattr(cls, "__parameters__", ())
    if len(cls_params) == 1 and isinstance(cls_params[0], ParamSpec):
        # A class generic in one ParamSpec P: Z[int, str] and Z[[int, str]] both
        # bind P to (int, str).
        if not (len(params) == 1 and _is_param_expr(params[0])):
            params = (params,)
        elif isinstance(params[0], list):
            params = (tuple(params[0]),)
    if any(isinstance(p, TypeVarTuple) or _is_unpacked_typevartuple(p) for p in cls_params):
        _bind_parameters(cls, cls_params, params)
    else:
        _check_generic(cls, params, len(cls_params))
    return _new_alias(_GenericAlias, cls, params)


def _generic_init_subclass(cls):
    """What Generic.__init_subclass__ does: work out cls.__parameters__ from
    the Generic[...] and other subscripted bases it was written with."""
    if "__orig_bases__" in cls.__dict__:
        error = Generic in cls.__orig_bases__
    else:
        error = (Generic in cls.__bases__ and cls.__name__ != "Protocol"
                 and type(cls) is not _TypedDictMeta)
    if error:
        raise TypeError("Cannot inherit from plain Generic")
    orig_bases = cls.__dict__.get("__orig_bases__")
    if orig_bases is None:
        # Aliases among the real bases: the class statement used another
        # metaclass than the aliases' (class C(Generic[T], metaclass=M)).
        alias_bases = tuple(b for b in cls.__bases__ if isinstance(b, _BaseGenericAlias))
        if alias_bases:
            orig_bases = cls.__bases__
            cls.__orig_bases__ = orig_bases
    tvars = []
    if orig_bases is not None:
        tvars = list(_collect_parameters(orig_bases))
        gvars = None
        for base in orig_bases:
            if isinstance(base, _GenericAlias) and base.__origin__ is Generic:
                if gvars is not None:
                    raise TypeError("Cannot inherit from Generic[...] multiple times.")
                gvars = base.__parameters__
        if gvars is not None:
            tvarset = set(tvars)
            gvarset = set(gvars)
            if not tvarset <= gvarset:
                s_vars = ", ".join(str(t) for t in tvars if t not in gvarset)
                s_args = ", ".join(str(g) for g in gvars)
                raise TypeError("Some type variables (%s) are not listed in Generic[%s]"
                                % (s_vars, s_args))
            tvars = gvars
    cls.__parameters__ = tuple(tvars)


class Generic:
    """Abstract base class for generic types:

        class Box(Generic[T]):
            def __init__(self, item: T): ...

    Box[int] is then an alias whose __origin__ is Box and __args__ (int,).
    """

    __slots__ = ()
    _is_protocol = False

    __class_getitem__ = classmethod(_generic_class_getitem)

    def __init_subclass__(cls, *args, **kwargs):
        super().__init_subclass__(*args, **kwargs)
        if cls.__dict__.get("_is_alias_class"):
            return
        _generic_init_subclass(cls)


def _no_init_or_replace_init(self, *args, **kwargs):
    """The __init__ of protocol classes: a protocol cannot be instantiated; a
    concrete subclass runs the next __init__ of its MRO."""
    cls = type(self)
    if _own_flag(cls, "_is_protocol"):
        raise TypeError("Protocols cannot be instantiated")
    for base in cls.__mro__:
        init = base.__dict__.get("__init__")
        if init is not None and init is not _no_init_or_replace_init:
            break
    else:
        init = object.__init__
    if init is object.__init__:
        # object.__init__ would reject the arguments that __new__ took.
        return
    init(self, *args, **kwargs)


def _protocol_init_subclass(cls):
    """What Protocol.__init_subclass__ does for a new class cls."""
    # A protocol is a class that lists Protocol among its bases itself.
    if "_is_protocol" not in cls.__dict__:
        cls._is_protocol = any(b is Protocol for b in cls.__bases__)
    if "__subclasshook__" not in cls.__dict__:
        cls.__subclasshook__ = classmethod(_proto_hook)
    if not cls._is_protocol:
        return
    for base in cls.__bases__:
        if not (base in (object, Generic)
                or base.__module__ in _PROTO_ALLOWLIST
                and base.__name__ in _PROTO_ALLOWLIST[base.__module__]
                or issubclass(base, Generic) and _own_flag(base, "_is_protocol")):
            raise TypeError("Protocols can only inherit from other protocols, got %r" % (base,))
    if "__init__" not in cls.__dict__:
        cls.__init__ = _no_init_or_replace_init


class Protocol(Generic, metaclass=_ProtocolMeta):
    """Base class for protocol classes (structural subtyping, PEP 544):

        class Proto(Protocol):
            def meth(self) -> int: ...

    A class with a meth method matches Proto for static type checkers; with
    @runtime_checkable, isinstance() checks for the methods at run time.
    Protocol classes cannot be instantiated.
    """

    __slots__ = ()
    _is_protocol = True
    _is_runtime_protocol = False

    def __init_subclass__(cls, *args, **kwargs):
        super().__init_subclass__(*args, **kwargs)
        if cls.__dict__.get("_is_alias_class"):
            return
        _protocol_init_subclass(cls)


def _finish_class(cls):
    """Run the Generic/Protocol __init_subclass__ work that pyvm skipped.

    pyvm looks __init_subclass__ up in the first base's MRO only (CPython uses
    the new class's MRO), so `class C(Base, Generic[T])` would miss Generic's.
    """
    if not isinstance(cls, type) or not issubclass(cls, Generic):
        return
    if "__parameters__" not in cls.__dict__:
        _generic_init_subclass(cls)
    if isinstance(cls, _ProtocolMeta) and issubclass(cls, Protocol) \
            and "_is_protocol" not in cls.__dict__:
        _protocol_init_subclass(cls)


def runtime_checkable(cls):
    """Make a protocol class usable with isinstance() and issubclass()
    (which then check that the methods exist, not their signatures)."""
    if not issubclass(cls, Generic) or not _own_flag(cls, "_is_protocol"):
        raise TypeError("@runtime_checkable can be only applied to protocol classes,"
                        " got %r" % (cls,))
    cls._is_runtime_protocol = True
    return cls


# ------------------------------------------------------------ the collection aliases

Hashable = _alias(collections.abc.Hashable, 0)      # not generic
Awaitable = _alias(collections.abc.Awaitable, 1)
Coroutine = _alias(collections.abc.Coroutine, 3)
AsyncIterable = _alias(collections.abc.AsyncIterable, 1)
AsyncIterator = _alias(collections.abc.AsyncIterator, 1)
Iterable = _alias(collections.abc.Iterable, 1)
Iterator = _alias(collections.abc.Iterator, 1)
Reversible = _alias(collections.abc.Reversible, 1)
Sized = _alias(collections.abc.Sized, 0)            # not generic
Container = _alias(collections.abc.Container, 1)
Collection = _alias(collections.abc.Collection, 1)
Callable = _special_alias(_CallableType, collections.abc.Callable, 2)
AbstractSet = _alias(collections.abc.Set, 1, name="AbstractSet")
MutableSet = _alias(collections.abc.MutableSet, 1)
Mapping = _alias(collections.abc.Mapping, 2)
MutableMapping = _alias(collections.abc.MutableMapping, 2)
Sequence = _alias(collections.abc.Sequence, 1)
MutableSequence = _alias(collections.abc.MutableSequence, 1)
ByteString = _alias(collections.abc.ByteString, 0)  # not generic
Tuple = _special_alias(_TupleType, tuple, -1, "Tuple", inst=False)
List = _alias(list, 1, inst=False, name="List")
Deque = _alias(collections.deque, 1, name="Deque")
Set = _alias(set, 1, inst=False, name="Set")
FrozenSet = _alias(frozenset, 1, inst=False, name="FrozenSet")
MappingView = _alias(collections.abc.MappingView, 1)
KeysView = _alias(collections.abc.KeysView, 1)
ItemsView = _alias(collections.abc.ItemsView, 2)
ValuesView = _alias(collections.abc.ValuesView, 1)
ContextManager = _alias(contextlib.AbstractContextManager, 1, name="ContextManager")
AsyncContextManager = _alias(contextlib.AbstractAsyncContextManager, 1,
                             name="AsyncContextManager")
Dict = _alias(dict, 2, inst=False, name="Dict")
DefaultDict = _alias(collections.defaultdict, 2, name="DefaultDict")
OrderedDict = _alias(collections.OrderedDict, 2)
Counter = _alias(collections.Counter, 1)
ChainMap = _alias(collections.ChainMap, 2)
Generator = _alias(collections.abc.Generator, 3)
AsyncGenerator = _alias(collections.abc.AsyncGenerator, 2)
Type = _alias(type, 1, inst=False, name="Type")
Pattern = _alias(stdlib_re.Pattern, 1)
Match = _alias(stdlib_re.Match, 1)


# -------------------------------------------------------------------- type variables

T = TypeVar("T")                        # any type
KT = TypeVar("KT")                      # key type
VT = TypeVar("VT")                      # value type
T_co = TypeVar("T_co", covariant=True)
V_co = TypeVar("V_co", covariant=True)
VT_co = TypeVar("VT_co", covariant=True)
T_contra = TypeVar("T_contra", contravariant=True)
CT_co = TypeVar("CT_co", covariant=True, bound=type)

AnyStr = TypeVar("AnyStr", bytes, str)
Text = str


# ------------------------------------------------------------------------- protocols

@runtime_checkable
class SupportsInt(Protocol):
    """An ABC with one abstract method __int__."""
    __slots__ = ()

    @abstractmethod
    def __int__(self) -> int:
        pass


@runtime_checkable
class SupportsFloat(Protocol):
    """An ABC with one abstract method __float__."""
    __slots__ = ()

    @abstractmethod
    def __float__(self) -> float:
        pass


@runtime_checkable
class SupportsComplex(Protocol):
    """An ABC with one abstract method __complex__."""
    __slots__ = ()

    @abstractmethod
    def __complex__(self) -> complex:
        pass


@runtime_checkable
class SupportsBytes(Protocol):
    """An ABC with one abstract method __bytes__."""
    __slots__ = ()

    @abstractmethod
    def __bytes__(self) -> bytes:
        pass


@runtime_checkable
class SupportsIndex(Protocol):
    """An ABC with one abstract method __index__."""
    __slots__ = ()

    @abstractmethod
    def __index__(self) -> int:
        pass


@runtime_checkable
class SupportsAbs(Protocol[T_co]):
    """An ABC with one abstract method __abs__ that is covariant in its return type."""
    __slots__ = ()

    @abstractmethod
    def __abs__(self) -> T_co:
        pass


@runtime_checkable
class SupportsRound(Protocol[T_co]):
    """An ABC with one abstract method __round__ that is covariant in its return type."""
    __slots__ = ()

    @abstractmethod
    def __round__(self, ndigits: int = 0) -> T_co:
        pass


# ------------------------------------------------------------------------------- IO

class IO(Generic[AnyStr]):
    """Generic base class for TextIO and BinaryIO: the interface of the objects
    open() returns. (Only for annotations: real file objects are not
    instances of it, as in CPython.)"""

    __slots__ = ()

    @property
    @abstractmethod
    def mode(self) -> str:
        pass

    @property
    @abstractmethod
    def name(self) -> str:
        pass

    @abstractmethod
    def close(self) -> None:
        pass

    @property
    @abstractmethod
    def closed(self) -> bool:
        pass

    @abstractmethod
    def fileno(self) -> int:
        pass

    @abstractmethod
    def flush(self) -> None:
        pass

    @abstractmethod
    def isatty(self) -> bool:
        pass

    @abstractmethod
    def read(self, n: int = -1) -> AnyStr:
        pass

    @abstractmethod
    def readable(self) -> bool:
        pass

    @abstractmethod
    def readline(self, limit: int = -1) -> AnyStr:
        pass

    @abstractmethod
    def readlines(self, hint: int = -1) -> "List[AnyStr]":
        pass

    @abstractmethod
    def seek(self, offset: int, whence: int = 0) -> int:
        pass

    @abstractmethod
    def seekable(self) -> bool:
        pass

    @abstractmethod
    def tell(self) -> int:
        pass

    @abstractmethod
    def truncate(self, size: int = None) -> int:
        pass

    @abstractmethod
    def writable(self) -> bool:
        pass

    @abstractmethod
    def write(self, s: AnyStr) -> int:
        pass

    @abstractmethod
    def writelines(self, lines: "List[AnyStr]") -> None:
        pass

    @abstractmethod
    def __enter__(self) -> "IO[AnyStr]":
        pass

    @abstractmethod
    def __exit__(self, type, value, traceback) -> None:
        pass


class BinaryIO(IO[bytes]):
    """Typed version of the return of open() in binary mode."""

    __slots__ = ()

    @abstractmethod
    def write(self, s: "Union[bytes, bytearray]") -> int:
        pass

    @abstractmethod
    def __enter__(self) -> "BinaryIO":
        pass


class TextIO(IO[str]):
    """Typed version of the return of open() in text mode."""

    __slots__ = ()

    @property
    @abstractmethod
    def buffer(self) -> BinaryIO:
        pass

    @property
    @abstractmethod
    def encoding(self) -> str:
        pass

    @property
    @abstractmethod
    def errors(self) -> "Optional[str]":
        pass

    @property
    @abstractmethod
    def line_buffering(self) -> bool:
        pass

    @property
    @abstractmethod
    def newlines(self) -> Any:
        pass

    @abstractmethod
    def __enter__(self) -> "TextIO":
        pass


# ------------------------------------------------------------------------ NamedTuple

# Names a NamedTuple class body may not define, and the ones not copied over.
_prohibited = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__",
                         "_fields", "_field_defaults", "_make", "_replace", "_asdict",
                         "_source"})
_special = frozenset({"__module__", "__name__", "__annotations__", "__classcell__",
                      "__orig_bases__"})


def _make_nmtuple(name, types_, module, defaults=()):
    fields = [n for n, t in types_]
    types_ = {n: _type_check(t, "field %s annotation must be a type" % (n,)) for n, t in types_}
    nm_tpl = collections.namedtuple(name, fields, defaults=defaults, module=module)
    nm_tpl.__annotations__ = types_
    try:
        nm_tpl.__new__.__annotations__ = dict(types_)
    except (AttributeError, TypeError):
        pass
    return nm_tpl


class _NamedTupleMeta(type):
    """`class P(NamedTuple): x: int` makes P with collections.namedtuple: the
    fields are the annotations, class attributes of the fields their defaults,
    and the rest of the body (methods, docstring) is copied onto the class.
    (CPython's NamedTuple is a function whose __mro_entries__ leads here; in
    pyvm NamedTuple is a class with this metaclass.)"""

    def __new__(mcls, typename, bases, ns, **kwds):
        generic = False
        for base in bases:
            if base is NamedTuple:
                continue
            if base is Generic or (isinstance(base, _GenericAlias) and base.__origin__ is Generic):
                generic = True
                continue
            raise TypeError("can only inherit from a NamedTuple type and Generic")
        annotations = ns.get("__annotations__", {})
        default_names = []
        for field_name in annotations:
            if field_name in ns:
                default_names.append(field_name)
            elif default_names:
                raise TypeError("Non-default namedtuple field %s cannot follow default field%s %s"
                                % (field_name, "s" if len(default_names) > 1 else "",
                                   ", ".join(default_names)))
        nm_tpl = _make_nmtuple(typename, annotations.items(),
                               defaults=[ns[n] for n in default_names],
                               module=ns.get("__module__", "__main__"))
        if generic:
            nm_tpl.__class_getitem__ = classmethod(_generic_class_getitem)
            nm_tpl.__parameters__ = _collect_parameters(bases)
        # The rest of the class body, without overriding the namedtuple's own.
        for key in ns:
            if key in _prohibited:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _special and key not in nm_tpl._fields:
                setattr(nm_tpl, key, ns[key])
        return nm_tpl

    def __call__(cls, typename, fields=None, /, **kwargs):
        # The functional form, NamedTuple('P', [('x', int), ('y', int)]).
        if fields is None:
            fields = kwargs.items()
        elif kwargs:
            raise TypeError("Either list of fields or keywords"
                            " can be provided to NamedTuple, not both")
        return _make_nmtuple(typename, fields, module=_caller())

    def __repr__(cls):
        return "<function NamedTuple at %#x>" % (id(cls),)


NamedTuple = type.__new__(_NamedTupleMeta, "NamedTuple", (object,), {
    "__module__": _MODULE,
    "__doc__": """Typed version of namedtuple:

        class Employee(NamedTuple):
            name: str
            id: int = 3

    or Employee = NamedTuple('Employee', [('name', str), ('id', int)]).""",
})


# ------------------------------------------------------------------------- TypedDict

class _TypedDictMeta(type):
    """The metaclass of TypedDict classes. Such a class describes dicts with
    given keys; calling it makes a plain dict, and isinstance() refuses it."""

    def __new__(mcls, name, bases, ns, total=True):
        generic = False
        for base in bases:
            if base is Generic or (isinstance(base, _GenericAlias) and base.__origin__ is Generic):
                generic = True
            elif type(base) is not _TypedDictMeta:
                raise TypeError("cannot inherit from both a TypedDict type "
                                "and a non-TypedDict base class")
        ns = dict(ns)
        if generic:
            ns["__orig_bases__"] = bases
            tp_dict = type.__new__(_TypedDictMeta, name, (Generic, dict), ns)
        else:
            tp_dict = type.__new__(_TypedDictMeta, name, (dict,), ns)

        annotations = {}
        own_annotations = ns.get("__annotations__", {})
        msg = "TypedDict('Name', {f0: t0, f1: t1, ...}); each t must be a type"
        own_annotations = {n: _type_check(tp, msg, module=tp_dict.__module__)
                           for n, tp in own_annotations.items()}
        required_keys = set()
        optional_keys = set()
        for base in bases:
            if type(base) is not _TypedDictMeta:
                continue
            annotations.update(base.__dict__.get("__annotations__", {}))
            required_keys.update(base.__dict__.get("__required_keys__", ()))
            optional_keys.update(base.__dict__.get("__optional_keys__", ()))
        annotations.update(own_annotations)
        for key, tp in own_annotations.items():
            origin = get_origin(tp)
            if origin is Annotated:
                args = get_args(tp)
                if args:
                    tp = args[0]
                    origin = get_origin(tp)
            if origin is Required:
                is_required = True
            elif origin is NotRequired:
                is_required = False
            else:
                is_required = total
            if is_required:
                required_keys.add(key)
            else:
                optional_keys.add(key)
        tp_dict.__annotations__ = annotations
        tp_dict.__required_keys__ = frozenset(required_keys)
        tp_dict.__optional_keys__ = frozenset(optional_keys)
        if "__total__" not in tp_dict.__dict__:
            tp_dict.__total__ = total
        if generic:
            _generic_init_subclass(tp_dict)
            tp_dict.__class_getitem__ = classmethod(_generic_class_getitem)
        return tp_dict

    def __call__(cls, *args, **kwargs):
        if cls is TypedDict:
            return _typeddict_functional(*args, **kwargs)
        return dict(*args, **kwargs)

    def __subclasscheck__(cls, other):
        raise TypeError("TypedDict does not support instance and class checks")

    __instancecheck__ = __subclasscheck__

    def __repr__(cls):
        if cls is TypedDict:
            return "<function TypedDict at %#x>" % (id(cls),)
        return _class_repr(cls)


def _typeddict_functional(typename, fields=None, /, *, total=True, **kwargs):
    # TypedDict('Point2D', {'x': int, 'y': int}, total=False)
    if fields is None:
        fields = kwargs
    elif kwargs:
        raise TypeError("TypedDict takes either a dict or keyword arguments, but not both")
    ns = {"__annotations__": dict(fields), "__module__": _caller(2)}
    return _TypedDictMeta.__new__(_TypedDictMeta, typename, (), ns, total=total)


TypedDict = type.__new__(_TypedDictMeta, "TypedDict", (dict,), {
    "__module__": _MODULE,
    "__doc__": """A dict type with a fixed set of keys, each with a value type:

        class Point2D(TypedDict):
            x: int
            y: int
            label: str

    or Point2D = TypedDict('Point2D', {'x': int, 'y': int, 'label': str}).
    total=False makes every key optional; Required[] and NotRequired[] mark
    single keys.""",
})


def is_typeddict(tp):
    """Whether tp is a TypedDict class."""
    return isinstance(tp, _TypedDictMeta) and tp is not TypedDict


# --------------------------------------------------------------------------- NewType

class NewType:
    """NewType('UserId', int): a distinct type for type checkers; at run time a
    callable returning its argument unchanged."""

    def __init__(self, name, tp):
        self.__qualname__ = name
        if "." in name:
            name = name.rpartition(".")[-1]
        self.__name__ = name
        self.__supertype__ = tp
        module = _caller()
        if module != _MODULE:
            self.__module__ = module

    def __mro_entries__(self, bases):
        superclass_name = self.__name__

        class Dummy:
            def __init_subclass__(cls):
                subclass_name = cls.__name__
                raise TypeError("Cannot subclass an instance of NewType. Perhaps you were "
                                "looking for: `%s = NewType(%r, %s)`"
                                % (subclass_name, subclass_name, superclass_name))
        return (Dummy,)

    def __repr__(self):
        return "%s.%s" % (self.__module__, self.__qualname__)

    def __call__(self, x):
        return x

    def __reduce__(self):
        return self.__qualname__

    def __or__(self, other):
        return Union[self, other]

    def __ror__(self, other):
        return Union[other, self]


# ------------------------------------------------------------------------ ForwardRef

class ForwardRef(_Final):
    """A type written as a string ('MyClass', 'List[Node]'), evaluated later
    by get_type_hints()."""

    def __init__(self, arg, is_argument=True, module=None, *, is_class=False):
        if not isinstance(arg, str):
            raise TypeError("Forward reference must be a string -- got %r" % (arg,))
        try:
            code = compile(arg, "<string>", "eval")
        except SyntaxError:
            raise SyntaxError("Forward reference must be an expression -- got %r" % (arg,))
        self.__forward_arg__ = arg
        self.__forward_code__ = code
        self.__forward_evaluated__ = False
        self.__forward_value__ = None
        self.__forward_is_argument__ = is_argument
        self.__forward_is_class__ = is_class
        self.__forward_module__ = module

    def _evaluate(self, globalns, localns, recursive_guard):
        if self.__forward_arg__ in recursive_guard:
            return self
        if not self.__forward_evaluated__ or localns is not globalns:
            if globalns is None and localns is None:
                globalns = localns = {}
            elif globalns is None:
                globalns = localns
            elif localns is None:
                localns = globalns
            if self.__forward_module__ is not None:
                globalns = getattr(sys.modules.get(self.__forward_module__, None),
                                   "__dict__", globalns)
            type_ = _type_check(
                eval(self.__forward_code__, globalns, localns),
                "Forward references must evaluate to types.",
                is_argument=self.__forward_is_argument__,
                allow_special_forms=self.__forward_is_class__,
            )
            self.__forward_value__ = _eval_type(
                type_, globalns, localns, recursive_guard | {self.__forward_arg__})
            self.__forward_evaluated__ = True
        return self.__forward_value__

    def __eq__(self, other):
        if not isinstance(other, ForwardRef):
            return NotImplemented
        if self.__forward_evaluated__ and other.__forward_evaluated__:
            return (self.__forward_arg__ == other.__forward_arg__
                    and self.__forward_value__ == other.__forward_value__)
        return (self.__forward_arg__ == other.__forward_arg__
                and self.__forward_module__ == other.__forward_module__)

    def __hash__(self):
        return hash((self.__forward_arg__, self.__forward_module__))

    def __or__(self, other):
        return Union[self, other]

    def __ror__(self, other):
        return Union[other, self]

    def __repr__(self):
        if self.__forward_module__ is None:
            module_repr = ""
        else:
            module_repr = ", module=%r" % (self.__forward_module__,)
        return "ForwardRef(%r%s)" % (self.__forward_arg__, module_repr)


# ---------------------------------------------------------------- introspection helpers

def _eval_type(t, globalns, localns, recursive_guard=frozenset()):
    """t with its forward references evaluated, also inside List['X'] and the like."""
    if isinstance(t, ForwardRef):
        return t._evaluate(globalns, localns, recursive_guard)
    if isinstance(t, types.GenericAlias):
        args = tuple(ForwardRef(a) if isinstance(a, str) else a for a in t.__args__)
        ev_args = tuple(_eval_type(a, globalns, localns, recursive_guard) for a in args)
        if ev_args == t.__args__:
            return t
        return types.GenericAlias(t.__origin__, ev_args)
    if isinstance(t, types.UnionType):
        ev_args = tuple(_eval_type(a, globalns, localns, recursive_guard) for a in t.__args__)
        if ev_args == t.__args__:
            return t
        return functools.reduce(operator.or_, ev_args)
    if (isinstance(t, (_GenericAlias, _FormAlias)) and not isinstance(t, _LiteralGenericAlias)):
        ev_args = tuple(_eval_type(a, globalns, localns, recursive_guard) for a in t.__args__)
        if ev_args == t.__args__:
            return t
        return t.copy_with(ev_args)
    return t


def _strip_annotations(t):
    """t without Annotated, Required and NotRequired wrappers."""
    if isinstance(t, _AnnotatedAlias):
        return _strip_annotations(t.__origin__)
    if isinstance(t, _FormAlias) and (t.__origin__ is Required or t.__origin__ is NotRequired):
        return _strip_annotations(t.__args__[0])
    if isinstance(t, types.GenericAlias):
        stripped = tuple(_strip_annotations(a) for a in t.__args__)
        if stripped == t.__args__:
            return t
        return types.GenericAlias(t.__origin__, stripped)
    if isinstance(t, types.UnionType):
        stripped = tuple(_strip_annotations(a) for a in t.__args__)
        if stripped == t.__args__:
            return t
        return functools.reduce(operator.or_, stripped)
    if isinstance(t, (_GenericAlias, _FormAlias)) and not isinstance(t, _LiteralGenericAlias):
        stripped = tuple(_strip_annotations(a) for a in t.__args__)
        if stripped == t.__args__:
            return t
        return t.copy_with(stripped)
    return t


_allowed_types = (types.FunctionType, types.BuiltinFunctionType, types.MethodType,
                  types.ModuleType)


def get_type_hints(obj, globalns=None, localns=None, include_extras=False):
    """The type hints of a module, class, method or function, as a dict.

    Unlike __annotations__, string annotations (forward references) are
    evaluated -- in the globals of the module the object comes from, or in
    globalns/localns when given -- None becomes NoneType, and for a class the
    annotations of its bases are included (base classes first). Annotated[T, x]
    gives T unless include_extras is true.
    """
    if getattr(obj, "__no_type_check__", None):
        return {}
    if isinstance(obj, type):
        hints = {}
        for base in reversed(obj.__mro__):
            if globalns is None:
                base_globals = getattr(sys.modules.get(base.__module__, None), "__dict__", {})
            else:
                base_globals = globalns
            ann = base.__dict__.get("__annotations__", {})
            if not isinstance(ann, dict):
                ann = {}
            base_locals = dict(vars(base)) if localns is None else localns
            if localns is None and globalns is None:
                # Names in the class body win over the module's (CPython swaps the
                # two namespaces here for that).
                base_globals, base_locals = base_locals, base_globals
            for name, value in ann.items():
                if value is None:
                    value = type(None)
                if isinstance(value, str):
                    value = ForwardRef(value, is_argument=False, is_class=True)
                hints[name] = _eval_type(value, base_globals, base_locals)
        if include_extras:
            return hints
        return {k: _strip_annotations(t) for k, t in hints.items()}

    if globalns is None:
        if isinstance(obj, types.ModuleType):
            globalns = obj.__dict__
        else:
            nsobj = obj
            # Find globalns for the unwrapped object.
            while hasattr(nsobj, "__wrapped__"):
                nsobj = nsobj.__wrapped__
            globalns = getattr(nsobj, "__globals__", {})
        if localns is None:
            localns = globalns
    elif localns is None:
        localns = globalns
    hints = getattr(obj, "__annotations__", None)
    if hints is None:
        if isinstance(obj, _allowed_types):
            return {}
        raise TypeError("%r is not a module, class, method, or function." % (obj,))
    hints = dict(hints)
    for name, value in hints.items():
        if value is None:
            value = type(None)
        if isinstance(value, str):
            value = ForwardRef(value, is_argument=not isinstance(obj, types.ModuleType),
                               is_class=False)
        hints[name] = _eval_type(value, globalns, localns)
    if include_extras:
        return hints
    return {k: _strip_annotations(t) for k, t in hints.items()}


def get_origin(tp):
    """The unsubscripted version of a type: get_origin(List[int]) is list,
    get_origin(Union[int, str]) is Union, get_origin(int | str) is
    types.UnionType, get_origin(Annotated[int, x]) is Annotated; None for
    anything that is not such an alias."""
    if isinstance(tp, _AnnotatedAlias):
        return Annotated
    if isinstance(tp, (_BaseGenericAlias, _FormAlias, types.GenericAlias,
                       ParamSpecArgs, ParamSpecKwargs)):
        return tp.__origin__
    if tp is Generic:
        return Generic
    if isinstance(tp, types.UnionType):
        return types.UnionType
    return None


def get_args(tp):
    """The arguments of a subscripted type, as given: get_args(Dict[int, str])
    is (int, str), get_args(Callable[[int], str]) is ([int], str); () for
    anything else."""
    if isinstance(tp, _AnnotatedAlias):
        return (tp.__origin__,) + tp.__metadata__
    if isinstance(tp, (_GenericAlias, _FormAlias, types.GenericAlias)):
        res = tp.__args__
        if (tp.__origin__ is collections.abc.Callable
                and not (len(res) == 2 and _is_param_expr(res[0]))):
            res = (list(res[:-1]), res[-1])
        return res
    if isinstance(tp, types.UnionType):
        return tp.__args__
    return ()


# ------------------------------------------------------------------------ decorators

def cast(typ, val):
    """Tell the type checker that val has type typ; returns val unchanged."""
    return val


def assert_type(val, typ, /):
    """Ask a static type checker to confirm that val has type typ; returns val."""
    return val


def reveal_type(obj, /):
    """Print the run-time type of obj on stderr (type checkers show the
    inferred type) and return obj."""
    print("Runtime type is %r" % (type(obj).__name__,), file=sys.stderr)
    return obj


_ASSERT_NEVER_REPR_MAX_LENGTH = 100


def assert_never(arg, /):
    """Mark code that should be unreachable: raises AssertionError if reached."""
    value = repr(arg)
    if len(value) > _ASSERT_NEVER_REPR_MAX_LENGTH:
        value = value[:_ASSERT_NEVER_REPR_MAX_LENGTH] + "..."
    raise AssertionError("Expected code to be unreachable, but got: " + value)


def _overload_dummy(*args, **kwds):
    """What an @overload-decorated name is bound to until the implementation."""
    raise NotImplementedError(
        "You should not call an overloaded function. "
        "A series of @overload-decorated functions "
        "outside a stub module should always be followed "
        "by an implementation that is not @overload-ed.")


# {module: {qualname: {first line number: function}}}
_overload_registry = {}


def overload(func):
    """Decorator for the overloaded signatures of a function; the definition
    that follows them without @overload is the implementation.
    get_overloads() returns the decorated signatures."""
    f = getattr(func, "__func__", func)
    try:
        by_name = _overload_registry.setdefault(f.__module__, {})
        by_name.setdefault(f.__qualname__, {})[f.__code__.co_firstlineno] = func
    except AttributeError:
        pass
    return _overload_dummy


def get_overloads(func):
    """The @overload-decorated definitions of func, in definition order."""
    f = getattr(func, "__func__", func)
    by_name = _overload_registry.get(f.__module__)
    if by_name is None or f.__qualname__ not in by_name:
        return []
    return list(by_name[f.__qualname__].values())


def clear_overloads():
    """Forget all the registered overloads."""
    _overload_registry.clear()


def final(f):
    """Mark a method as not to be overridden or a class as not to be subclassed
    (for type checkers); sets __final__ = True where possible."""
    try:
        f.__final__ = True
    except (AttributeError, TypeError):
        pass
    return f


def no_type_check(arg):
    """Tell type checkers to ignore the annotations of a function or class."""
    if isinstance(arg, type):
        for key in dir(arg):
            obj = getattr(arg, key)
            if (not hasattr(obj, "__qualname__")
                    or obj.__qualname__ != "%s.%s" % (arg.__qualname__, obj.__name__)
                    or getattr(obj, "__module__", None) != arg.__module__):
                continue
            if isinstance(obj, types.FunctionType):
                obj.__no_type_check__ = True
            if isinstance(obj, types.MethodType):
                obj.__func__.__no_type_check__ = True
            if isinstance(obj, type):
                no_type_check(obj)
    try:
        arg.__no_type_check__ = True
    except TypeError:
        pass
    return arg


def no_type_check_decorator(decorator):
    """Make decorator give the @no_type_check effect to the functions it decorates."""
    @functools.wraps(decorator)
    def wrapped_decorator(*args, **kwds):
        func = decorator(*args, **kwds)
        func = no_type_check(func)
        return func
    return wrapped_decorator


def dataclass_transform(*, eq_default=True, order_default=False, kw_only_default=False,
                        field_specifiers=(), **kwargs):
    """Mark a decorator, base class or metaclass as making dataclass-like
    classes (PEP 681); records the arguments as __dataclass_transform__."""
    def decorator(cls_or_fn):
        cls_or_fn.__dataclass_transform__ = {
            "eq_default": eq_default,
            "order_default": order_default,
            "kw_only_default": kw_only_default,
            "field_specifiers": field_specifiers,
            "kwargs": kwargs,
        }
        return cls_or_fn
    return decorator
