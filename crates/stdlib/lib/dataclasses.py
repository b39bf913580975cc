"""Data classes (pyvm's own implementation of the dataclasses module).

@dataclass reads the class annotations and adds __init__, __repr__, __eq__ and,
as asked, the ordering methods, __hash__, frozen __setattr__/__delattr__,
__match_args__ and __slots__. The methods are generated as source text and
compiled with exec(), so that they have real signatures: calling __init__ with
wrong arguments gives the interpreter's own messages ("C.__init__() missing 1
required positional argument: 'x'"), exactly as in CPython.

Besides ordinary fields there are pseudo-fields, which __dataclass_fields__ lists
but fields() leaves out: ClassVar[...] annotations (class attributes, never
instance fields) and InitVar[...] annotations (__init__ parameters that are not
stored, but passed on to __post_init__). A KW_ONLY annotation makes the fields
after it keyword-only.
"""

import sys
import keyword as _keyword
import types as _types
import abc as _abc

__all__ = ["dataclass", "field", "Field", "FrozenInstanceError", "InitVar", "KW_ONLY",
           "MISSING", "fields", "asdict", "astuple", "make_dataclass", "replace",
           "is_dataclass"]


class FrozenInstanceError(AttributeError):
    pass


class _HAS_DEFAULT_FACTORY_CLASS:
    # The default shown in __init__'s signature for a field with a default_factory.
    def __repr__(self):
        return "<factory>"


_HAS_DEFAULT_FACTORY = _HAS_DEFAULT_FACTORY_CLASS()


class _MISSING_TYPE:
    pass


# "No value given" for field()'s default, default_factory and kw_only.
MISSING = _MISSING_TYPE()


class _KW_ONLY_TYPE:
    pass


# Annotating a pseudo-field with KW_ONLY makes the fields after it keyword-only.
KW_ONLY = _KW_ONLY_TYPE()

try:
    _MappingProxy = _types.MappingProxyType
except AttributeError:
    _MappingProxy = dict

try:
    _GenericAlias = _types.GenericAlias
except AttributeError:
    _GenericAlias = None

_EMPTY_METADATA = _MappingProxy({})


class _FIELD_BASE:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


# The kinds of entries in __dataclass_fields__ (Field._field_type).
_FIELD = _FIELD_BASE("_FIELD")
_FIELD_CLASSVAR = _FIELD_BASE("_FIELD_CLASSVAR")
_FIELD_INITVAR = _FIELD_BASE("_FIELD_INITVAR")

_FIELDS = "__dataclass_fields__"
_PARAMS = "__dataclass_params__"
_POST_INIT_NAME = "__post_init__"


def _recursive_repr(user_function):
    # A repr that shows "..." for an object whose repr is already being built
    # (an object that contains itself).
    running = set()

    def wrapper(self):
        key = id(self)
        if key in running:
            return "..."
        running.add(key)
        try:
            return user_function(self)
        finally:
            running.discard(key)
    wrapper.__name__ = user_function.__name__
    wrapper.__qualname__ = user_function.__qualname__
    wrapper.__doc__ = user_function.__doc__
    wrapper.__wrapped__ = user_function
    return wrapper


class InitVar:
    """InitVar[T] annotates an __init__-only pseudo-field: passed to __post_init__,
    never stored on the instance."""

    __slots__ = ("type",)

    def __init__(self, type):
        self.type = type

    def __repr__(self):
        t = self.type
        # pyvm's subscripted typing aliases are classes too; they show their repr.
        plain = isinstance(t, type) and not hasattr(t, "__origin__")
        name = t.__name__ if plain else repr(t)
        return "dataclasses.InitVar[%s]" % name

    def __class_getitem__(cls, type):
        return InitVar(type)


class Field:
    """What field() returns: the options of one field. _process_class fills in
    name, type and _field_type."""

    __slots__ = ("name", "type", "default", "default_factory", "repr", "hash", "init",
                 "compare", "metadata", "kw_only", "_field_type")

    def __init__(self, default, default_factory, init, repr, hash, compare, metadata,
                 kw_only):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = _EMPTY_METADATA if metadata is None else _MappingProxy(metadata)
        self.kw_only = kw_only
        self._field_type = None

    @_recursive_repr
    def __repr__(self):
        return ("Field(name=%r,type=%r,default=%r,default_factory=%r,init=%r,repr=%r,"
                "hash=%r,compare=%r,metadata=%r,kw_only=%r,_field_type=%s)" % (
                    self.name, self.type, self.default, self.default_factory, self.init,
                    self.repr, self.hash, self.compare, self.metadata, self.kw_only,
                    self._field_type))

    def __set_name__(self, owner, name):
        # A descriptor used as a default still learns its name (the Field is
        # replaced by the default in the class afterwards).
        hook = getattr(type(self.default), "__set_name__", None)
        if hook:
            hook(self.default, owner, name)

    if _GenericAlias is not None:
        __class_getitem__ = classmethod(_GenericAlias)


class _DataclassParams:
    __slots__ = ("init", "repr", "eq", "order", "unsafe_hash", "frozen")

    def __init__(self, init, repr, eq, order, unsafe_hash, frozen):
        self.init = init
        self.repr = repr
        self.eq = eq
        self.order = order
        self.unsafe_hash = unsafe_hash
        self.frozen = frozen

    def __repr__(self):
        return ("_DataclassParams(init=%r,repr=%r,eq=%r,order=%r,unsafe_hash=%r,frozen=%r)"
                % (self.init, self.repr, self.eq, self.order, self.unsafe_hash, self.frozen))


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None,
          compare=True, metadata=None, kw_only=MISSING):
    """Describe one field: its default (or a default_factory called for each
    instance), whether it is an __init__ parameter, shown in the repr, part of
    the hash and of comparisons, keyword-only; metadata is kept as given."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)


# ------------------------------------------------------------ code generation

def _create_fn(name, params, body, *, globals=None, locals=None, return_type=MISSING):
    # Compile "def name(params): body" with the objects of locals visible to it
    # (as the parameters of an enclosing function, so they are closure cells).
    if locals is None:
        locals = {}
    annotation = ""
    if return_type is not MISSING:
        locals["__dataclass_return_type__"] = return_type
        annotation = "->__dataclass_return_type__"
    lines = ["def __create_fn__(%s):" % ", ".join(locals),
             " def %s(%s)%s:" % (name, ",".join(params), annotation)]
    lines.extend("  " + line for line in body)
    lines.append(" return " + name)
    namespace = {}
    exec("\n".join(lines), {} if globals is None else globals, namespace)
    return namespace["__create_fn__"](**locals)


def _assign(frozen, name, value, self_name):
    if frozen:
        return "__dataclass_builtins_object__.__setattr__(%s,%r,%s)" % (self_name, name, value)
    return "%s.%s=%s" % (self_name, name, value)


def _field_init_line(f, frozen, locals, self_name, slots):
    # The statement of __init__ that sets field f, or None.
    default_name = "_dflt_" + f.name
    if f.default_factory is not MISSING:
        locals[default_name] = f.default_factory
        if f.init:
            value = "%s() if %s is _HAS_DEFAULT_FACTORY else %s" % (default_name, f.name, f.name)
        else:
            value = default_name + "()"
    elif f.init:
        if f.default is not MISSING:
            locals[default_name] = f.default
        value = f.name
    elif slots and f.default is not MISSING:
        # A slotted class keeps no class attribute to fall back on.
        locals[default_name] = f.default
        value = default_name
    else:
        return None
    if f._field_type is _FIELD_INITVAR:
        return None
    return _assign(frozen, f.name, value, self_name)


def _init_param(f):
    if f.default is not MISSING:
        default = "=_dflt_" + f.name
    elif f.default_factory is not MISSING:
        default = "=_HAS_DEFAULT_FACTORY"
    else:
        default = ""
    return "%s:_type_%s%s" % (f.name, f.name, default)


def _init_fn(all_fields, std_fields, kw_only_fields, frozen, has_post_init, self_name,
             globals, slots):
    seen_default = False
    for f in std_fields:
        if f.init:
            if f.default is not MISSING or f.default_factory is not MISSING:
                seen_default = True
            elif seen_default:
                raise TypeError("non-default argument %r follows default argument" % f.name)

    locals = {"_type_" + f.name: f.type for f in all_fields}
    locals["MISSING"] = MISSING
    locals["_HAS_DEFAULT_FACTORY"] = _HAS_DEFAULT_FACTORY
    locals["__dataclass_builtins_object__"] = object

    body = []
    for f in all_fields:
        line = _field_init_line(f, frozen, locals, self_name, slots)
        if line:
            body.append(line)
    if has_post_init:
        initvars = ",".join(f.name for f in all_fields if f._field_type is _FIELD_INITVAR)
        body.append("%s.%s(%s)" % (self_name, _POST_INIT_NAME, initvars))
    if not body:
        body = ["pass"]

    params = [_init_param(f) for f in std_fields]
    if kw_only_fields:
        params.append("*")
        params.extend(_init_param(f) for f in kw_only_fields)
    return _create_fn("__init__", [self_name] + params, body, locals=locals,
                      globals=globals, return_type=None)


def _repr_fn(flds, globals):
    shown = ", ".join("%s={self.%s!r}" % (f.name, f.name) for f in flds)
    fn = _create_fn("__repr__", ("self",),
                    ['return self.__class__.__qualname__ + f"(%s)"' % shown],
                    globals=globals)
    return _recursive_repr(fn)


def _tuple_text(obj_name, flds):
    if not flds:
        return "()"
    return "(%s,)" % ",".join("%s.%s" % (obj_name, f.name) for f in flds)


def _cmp_fn(name, op, self_tuple, other_tuple, globals):
    return _create_fn(name, ("self", "other"),
                      ["if other.__class__ is self.__class__:",
                       " return %s%s%s" % (self_tuple, op, other_tuple),
                       "return NotImplemented"],
                      globals=globals)


def _hash_fn(flds, globals):
    return _create_fn("__hash__", ("self",), ["return hash(%s)" % _tuple_text("self", flds)],
                      globals=globals)


def _frozen_fns(cls, flds, globals):
    names = "(%s)" % "".join("%r," % f.name for f in flds)
    locals = {"cls": cls, "FrozenInstanceError": FrozenInstanceError}
    setter = _create_fn("__setattr__", ("self", "name", "value"),
                        ["if type(self) is cls or name in %s:" % names,
                         ' raise FrozenInstanceError(f"cannot assign to field {name!r}")',
                         "super(cls, self).__setattr__(name, value)"],
                        locals=locals, globals=globals)
    deleter = _create_fn("__delattr__", ("self", "name"),
                         ["if type(self) is cls or name in %s:" % names,
                          ' raise FrozenInstanceError(f"cannot delete field {name!r}")',
                          "super(cls, self).__delattr__(name)"],
                         locals=dict(locals), globals=globals)
    return setter, deleter


def _set_qualname(cls, value):
    if isinstance(value, _types.FunctionType):
        value.__qualname__ = "%s.%s" % (cls.__qualname__, value.__name__)
    return value


def _set_new_attribute(cls, name, value):
    # Never replaces what the class defines itself; True when it did.
    if name in cls.__dict__:
        return True
    _set_qualname(cls, value)
    setattr(cls, name, value)
    return False


# ------------------------------------------------------ recognising pseudo-fields

def _is_classvar(a_type, typing):
    if a_type is typing.ClassVar:
        return True
    if getattr(a_type, "__origin__", None) is typing.ClassVar:
        return True
    # pyvm's typing: ClassVar[int] is an alias object named "ClassVar".
    return (type(a_type) is type(typing.ClassVar)
            and getattr(a_type, "_name", None) == "ClassVar")


def _is_initvar(a_type, dataclasses):
    return a_type is dataclasses.InitVar or type(a_type) is dataclasses.InitVar


def _is_kw_only(a_type, dataclasses):
    return a_type is dataclasses.KW_ONLY


def _split_annotation(text):
    # The (module, name) that a string annotation such as "ClassVar[int]" or
    # " typing . ClassVar" starts with (module None when there is none), or None.
    def word(i):
        j = i
        while j < len(text) and (text[j].isalnum() or text[j] == "_"):
            j += 1
        return j

    def spaces(i):
        while i < len(text) and text[i].isspace():
            i += 1
        return i

    i = spaces(0)
    j = word(i)
    if j == i:
        return None
    first = text[i:j]
    k = spaces(j)
    if k < len(text) and text[k] == ".":
        m = spaces(k + 1)
        n = word(m)
        if n > m:
            return first, text[m:n]
    return None, first


def _is_type(annotation, cls, a_module, a_type, predicate):
    # Does the string annotation name a_type (of module a_module), looked up in
    # the globals of cls's module? (No eval: "CV = ClassVar" in the class body
    # is not seen, as in CPython.)
    parts = _split_annotation(annotation)
    if parts is None:
        return False
    module_name, name = parts
    ns = None
    home = sys.modules.get(cls.__module__)
    if not module_name:
        ns = getattr(home, "__dict__", None)
    elif home is not None and home.__dict__.get(module_name) is a_module:
        ns = sys.modules.get(a_type.__module__).__dict__
    return bool(ns) and predicate(ns.get(name), a_module)


def _get_field(cls, a_name, a_type, default_kw_only):
    default = getattr(cls, a_name, MISSING)
    if isinstance(default, Field):
        f = default
    else:
        member = getattr(_types, "MemberDescriptorType", None)
        if member is not None and isinstance(default, member):
            default = MISSING          # a __slots__ entry is no default
        f = field(default=default)
    f.name = a_name
    f.type = a_type
    f._field_type = _FIELD

    typing = sys.modules.get("typing")
    if typing:
        if (_is_classvar(a_type, typing)
                or (isinstance(a_type, str)
                    and _is_type(a_type, cls, typing, typing.ClassVar, _is_classvar))):
            f._field_type = _FIELD_CLASSVAR
    if f._field_type is _FIELD:
        this = sys.modules[__name__]
        if (_is_initvar(a_type, this)
                or (isinstance(a_type, str)
                    and _is_type(a_type, cls, this, this.InitVar, _is_initvar))):
            f._field_type = _FIELD_INITVAR

    if f._field_type is not _FIELD and f.default_factory is not MISSING:
        raise TypeError("field %s cannot have a default factory" % f.name)
    if f._field_type is _FIELD_CLASSVAR:
        if f.kw_only is not MISSING:
            raise TypeError("field %s is a ClassVar but specifies kw_only" % f.name)
    elif f.kw_only is MISSING:
        f.kw_only = default_kw_only
    # Unhashable defaults (lists, dicts, sets, ...) would be shared by every
    # instance.
    if f._field_type is _FIELD and f.default.__class__.__hash__ is None:
        raise ValueError("mutable default %s for field %s is not allowed: use default_factory"
                         % (type(f.default), f.name))
    return f


# ------------------------------------------------------------- the decorator

def _format_annotation(annotation):
    # How inspect shows an annotation in a signature.
    if getattr(annotation, "__module__", None) == "typing":
        return repr(annotation).replace("typing.", "")
    if _GenericAlias is not None and isinstance(annotation, _GenericAlias):
        return str(annotation)
    if isinstance(annotation, type):
        if annotation.__module__ == "builtins":
            return annotation.__qualname__
        return annotation.__module__ + "." + annotation.__qualname__
    return repr(annotation)


def _class_signature_text(cls):
    # str(inspect.signature(cls)) for a class whose __init__ is a Python function
    # (or object's): its parameters without the first, annotated and defaulted.
    init = cls.__init__
    if not isinstance(init, _types.FunctionType):
        return "()"
    code = init.__code__
    names = code.co_varnames
    npos = code.co_argcount
    nposonly = code.co_posonlyargcount
    nkw = code.co_kwonlyargcount
    index = npos + nkw
    varargs = varkw = None
    if code.co_flags & 4:
        varargs = names[index]
        index += 1
    if code.co_flags & 8:
        varkw = names[index]
    annotations = getattr(init, "__annotations__", None) or {}
    defaults = init.__defaults__ or ()
    kwdefaults = init.__kwdefaults__ or {}

    def param(name, prefix="", has_default=False, default=None):
        text = prefix + name
        annotated = name in annotations
        if annotated:
            text += ": " + _format_annotation(annotations[name])
        if has_default:
            text += (" = " if annotated else "=") + repr(default)
        return text

    positional = list(names[:npos])
    first_default = npos - len(defaults)
    params = []
    for i, name in enumerate(positional):
        if i == 0:
            continue            # self
        if i < first_default:
            params.append(param(name))
        else:
            params.append(param(name, "", True, defaults[i - first_default]))
        if i == nposonly - 1:
            params.append("/")
    if not positional and varargs is None:
        raise ValueError("invalid method signature")
    if varargs is not None:
        params.append(param(varargs, "*"))
    elif nkw:
        params.append("*")
    for name in names[npos:npos + nkw]:
        if name in kwdefaults:
            params.append(param(name, "", True, kwdefaults[name]))
        else:
            params.append(param(name))
    if varkw is not None:
        params.append(param(varkw, "**"))
    text = "(%s)" % ", ".join(params)
    if "return" in annotations:
        text += " -> " + _format_annotation(annotations["return"])
    return text


def _hash_action(unsafe_hash, eq, frozen, has_explicit_hash):
    # "add", "none" (set __hash__ to None), "error" or None (leave it alone).
    if unsafe_hash:
        return "error" if has_explicit_hash else "add"
    if has_explicit_hash or not eq:
        return None
    return "add" if frozen else "none"


def _process_class(cls, init, repr, eq, order, unsafe_hash, frozen, match_args, kw_only,
                   slots, weakref_slot):
    all_fields = {}
    home = sys.modules.get(cls.__module__)
    globals = home.__dict__ if home is not None else {}

    setattr(cls, _PARAMS, _DataclassParams(init, repr, eq, order, unsafe_hash, frozen))

    any_frozen_base = False
    has_dataclass_bases = False
    for base in cls.__mro__[-1:0:-1]:
        base_fields = getattr(base, _FIELDS, None)
        if base_fields is not None:
            has_dataclass_bases = True
            for f in base_fields.values():
                all_fields[f.name] = f
            if getattr(base, _PARAMS).frozen:
                any_frozen_base = True

    annotations = cls.__dict__.get("__annotations__", {})
    this = sys.modules[__name__]
    own_fields = []
    kw_only_seen = False
    for name, a_type in annotations.items():
        if (_is_kw_only(a_type, this)
                or (isinstance(a_type, str)
                    and _is_type(a_type, cls, this, this.KW_ONLY, _is_kw_only))):
            if kw_only_seen:
                raise TypeError("%r is KW_ONLY, but KW_ONLY has already been specified" % name)
            kw_only_seen = True
            kw_only = True
        else:
            own_fields.append(_get_field(cls, name, a_type, kw_only))

    for f in own_fields:
        all_fields[f.name] = f
        # The class attribute becomes the plain default (or goes away).
        if isinstance(getattr(cls, f.name, None), Field):
            if f.default is MISSING:
                delattr(cls, f.name)
            else:
                setattr(cls, f.name, f.default)

    for name, value in list(cls.__dict__.items()):
        if isinstance(value, Field) and name not in annotations:
            raise TypeError("%r is a field but has no type annotation" % name)

    if has_dataclass_bases:
        if any_frozen_base and not frozen:
            raise TypeError("cannot inherit non-frozen dataclass from a frozen one")
        if not any_frozen_base and frozen:
            raise TypeError("cannot inherit frozen dataclass from a non-frozen one")

    setattr(cls, _FIELDS, all_fields)

    class_hash = cls.__dict__.get("__hash__", MISSING)
    has_explicit_hash = not (class_hash is MISSING
                             or (class_hash is None and "__eq__" in cls.__dict__))

    if order and not eq:
        raise ValueError("eq must be true if order is true")

    init_fields = [f for f in all_fields.values()
                   if f._field_type is _FIELD or f._field_type is _FIELD_INITVAR]
    std_init_fields = [f for f in init_fields if f.init and not f.kw_only]
    kw_only_init_fields = [f for f in init_fields if f.init and f.kw_only]

    if init:
        has_post_init = hasattr(cls, _POST_INIT_NAME)
        self_name = "__dataclass_self__" if "self" in all_fields else "self"
        _set_new_attribute(cls, "__init__",
                           _init_fn(init_fields, std_init_fields, kw_only_init_fields,
                                    frozen, has_post_init, self_name, globals, slots))

    field_list = [f for f in all_fields.values() if f._field_type is _FIELD]

    if repr:
        _set_new_attribute(cls, "__repr__", _repr_fn([f for f in field_list if f.repr], globals))

    compared = [f for f in field_list if f.compare]
    self_tuple = _tuple_text("self", compared)
    other_tuple = _tuple_text("other", compared)
    if eq:
        _set_new_attribute(cls, "__eq__",
                           _cmp_fn("__eq__", "==", self_tuple, other_tuple, globals))

    if order:
        for name, op in (("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">=")):
            if _set_new_attribute(cls, name,
                                  _cmp_fn(name, op, self_tuple, other_tuple, globals)):
                raise TypeError("Cannot overwrite attribute %s in class %s. Consider using "
                                "functools.total_ordering" % (name, cls.__name__))

    if frozen:
        for fn in _frozen_fns(cls, field_list, globals):
            if _set_new_attribute(cls, fn.__name__, fn):
                raise TypeError("Cannot overwrite attribute %s in class %s"
                                % (fn.__name__, cls.__name__))

    action = _hash_action(bool(unsafe_hash), bool(eq), bool(frozen), has_explicit_hash)
    if action == "add":
        hashed = [f for f in field_list if (f.compare if f.hash is None else f.hash)]
        cls.__hash__ = _set_qualname(cls, _hash_fn(hashed, globals))
    elif action == "none":
        cls.__hash__ = None
    elif action == "error":
        raise TypeError("Cannot overwrite attribute __hash__ in class %s" % cls.__name__)

    if not getattr(cls, "__doc__"):
        try:
            text = _class_signature_text(cls).replace(" -> None", "")
        except (TypeError, ValueError):
            text = ""
        cls.__doc__ = cls.__name__ + text

    if match_args:
        _set_new_attribute(cls, "__match_args__", tuple(f.name for f in std_init_fields))

    if weakref_slot and not slots:
        raise TypeError("weakref_slot is True but slots is False")
    if slots:
        cls = _add_slots(cls, frozen, weakref_slot)

    update = getattr(_abc, "update_abstractmethods", None)
    if update is not None:
        update(cls)
    return cls


def _dataclass_getstate(self):
    return [getattr(self, f.name) for f in fields(self)]


def _dataclass_setstate(self, state):
    for f, value in zip(fields(self), state):
        object.__setattr__(self, f.name, value)


def _declared_slots(cls):
    slots = cls.__dict__.get("__slots__")
    if slots is None:
        return ()
    if isinstance(slots, str):
        return (slots,)
    if hasattr(slots, "__next__"):
        raise TypeError("Slots of '%s' cannot be determined" % cls.__name__)
    return tuple(slots)


def _add_slots(cls, is_frozen, weakref_slot):
    # __slots__ only works when the class is created, so make the class again.
    if "__slots__" in cls.__dict__:
        raise TypeError("%s already specifies __slots__" % cls.__name__)
    namespace = dict(cls.__dict__)
    field_names = tuple(f.name for f in fields(cls))
    inherited = set()
    for base in cls.__mro__[1:-1]:
        inherited.update(_declared_slots(base))
    wanted = field_names + (("__weakref__",) if weakref_slot else ())
    namespace["__slots__"] = tuple(name for name in wanted if name not in inherited)
    for name in field_names:
        namespace.pop(name, None)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    qualname = getattr(cls, "__qualname__", None)
    cls = type(cls)(cls.__name__, cls.__bases__, namespace)
    if qualname is not None:
        cls.__qualname__ = qualname
    if is_frozen:
        if "__getstate__" not in namespace:
            cls.__getstate__ = _dataclass_getstate
        if "__setstate__" not in namespace:
            cls.__setstate__ = _dataclass_setstate
    return cls


def dataclass(cls=None, /, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False,
              frozen=False, match_args=True, kw_only=False, slots=False, weakref_slot=False):
    """Add __init__, __repr__, __eq__ (and, as asked, ordering, hashing, frozenness,
    __match_args__, __slots__) to a class from its annotated fields."""
    def wrap(cls):
        return _process_class(cls, init, repr, eq, order, unsafe_hash, frozen, match_args,
                              kw_only, slots, weakref_slot)
    if cls is None:
        return wrap
    return wrap(cls)


# ----------------------------------------------------------------- utilities

def fields(class_or_instance):
    """The Field objects of a dataclass (or of an instance), in order; ClassVar
    and InitVar pseudo-fields are left out."""
    try:
        all_fields = getattr(class_or_instance, _FIELDS)
    except AttributeError:
        raise TypeError("must be called with a dataclass type or instance") from None
    return tuple(f for f in all_fields.values() if f._field_type is _FIELD)


def _is_dataclass_instance(obj):
    return hasattr(type(obj), _FIELDS)


def is_dataclass(obj):
    """True for a dataclass and for an instance of one."""
    cls = obj if isinstance(obj, type) else type(obj)
    return hasattr(cls, _FIELDS)


def asdict(obj, *, dict_factory=dict):
    """The fields of a dataclass instance as a dict, recursing into dataclasses,
    lists, tuples and dicts (other values are deep-copied)."""
    if not _is_dataclass_instance(obj):
        raise TypeError("asdict() should be called on dataclass instances")
    return _asdict_inner(obj, dict_factory)


def _deepcopy(obj):
    # asdict() and astuple() copy the leaf values (copy is imported on first use).
    import copy
    return copy.deepcopy(obj)


def _asdict_inner(obj, dict_factory):
    if _is_dataclass_instance(obj):
        return dict_factory([(f.name, _asdict_inner(getattr(obj, f.name), dict_factory))
                             for f in fields(obj)])
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*[_asdict_inner(v, dict_factory) for v in obj])
    if isinstance(obj, (list, tuple)):
        return type(obj)(_asdict_inner(v, dict_factory) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((_asdict_inner(k, dict_factory), _asdict_inner(v, dict_factory))
                         for k, v in obj.items())
    return _deepcopy(obj)


def astuple(obj, *, tuple_factory=tuple):
    """The field values of a dataclass instance as a tuple, recursing like asdict."""
    if not _is_dataclass_instance(obj):
        raise TypeError("astuple() should be called on dataclass instances")
    return _astuple_inner(obj, tuple_factory)


def _astuple_inner(obj, tuple_factory):
    if _is_dataclass_instance(obj):
        return tuple_factory([_astuple_inner(getattr(obj, f.name), tuple_factory)
                              for f in fields(obj)])
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*[_astuple_inner(v, tuple_factory) for v in obj])
    if isinstance(obj, (list, tuple)):
        return type(obj)(_astuple_inner(v, tuple_factory) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((_astuple_inner(k, tuple_factory), _astuple_inner(v, tuple_factory))
                         for k, v in obj.items())
    return _deepcopy(obj)


def make_dataclass(cls_name, fields, *, bases=(), namespace=None, init=True, repr=True,
                   eq=True, order=False, unsafe_hash=False, frozen=False, match_args=True,
                   kw_only=False, slots=False, weakref_slot=False):
    """Create a dataclass named cls_name. fields lists names, (name, type) or
    (name, type, Field) items; a bare name gets the type 'typing.Any'."""
    if namespace is None:
        namespace = {}
    seen = set()
    annotations = {}
    defaults = {}
    for item in fields:
        if isinstance(item, str):
            name = item
            tp = "typing.Any"
        elif len(item) == 2:
            name, tp = item
        elif len(item) == 3:
            name, tp, spec = item
            defaults[name] = spec
        else:
            raise TypeError("Invalid field: %r" % (item,))
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError("Field names must be valid identifiers: %r" % (name,))
        if _keyword.iskeyword(name):
            raise TypeError("Field names must not be keywords: %r" % (name,))
        if name in seen:
            raise TypeError("Field name duplicated: %r" % (name,))
        seen.add(name)
        annotations[name] = tp

    def fill(ns):
        ns.update(namespace)
        ns.update(defaults)
        ns["__annotations__"] = annotations
        # CPython 3.11 creates the class from inside types.new_class, so it
        # belongs to the module "types" unless the namespace says otherwise.
        if "__module__" not in ns:
            ns["__module__"] = "types"

    cls = _types.new_class(cls_name, bases, {}, fill)
    return dataclass(cls, init=init, repr=repr, eq=eq, order=order, unsafe_hash=unsafe_hash,
                     frozen=frozen, match_args=match_args, kw_only=kw_only, slots=slots,
                     weakref_slot=weakref_slot)


def replace(obj, /, **changes):
    """A new instance like obj, with the given fields changed (made by calling the
    class, so __init__ and __post_init__ run)."""
    if not _is_dataclass_instance(obj):
        raise TypeError("replace() should be called on dataclass instances")
    for f in getattr(obj, _FIELDS).values():
        if f._field_type is _FIELD_CLASSVAR:
            continue
        if not f.init:
            if f.name in changes:
                raise ValueError("field %s is declared with init=False, it cannot be "
                                 "specified with replace()" % f.name)
            continue
        if f.name not in changes:
            if f._field_type is _FIELD_INITVAR and f.default is MISSING:
                raise ValueError("InitVar %r must be specified with replace()" % f.name)
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)
