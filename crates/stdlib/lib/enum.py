"""Enumerations (pyvm's own implementation of the enum module).

Enum, IntEnum, StrEnum, ReprEnum, Flag and IntFlag with auto, unique, member and
nonmember, following CPython 3.11's observable behaviour:

* the EnumType metaclass turns the class attributes that are not dunder/_sunder_
  names, descriptors or ignored names into members, in definition order; a member
  whose value equals an earlier one's is an alias of it;
* a tuple value is passed as separate arguments to the member's __new__/__init__;
  a mixed-in data type (int, str, float, ...) provides the member's own value;
* reprs '<Color.RED: 1>', str 'Color.RED' (the data type's str and format for
  IntEnum, StrEnum and IntFlag), lookups Color(1) / Color['RED'], _missing_;
* Flag members combine with | & ^ ~ into cached pseudo-members named 'R|W', with
  the STRICT / CONFORM / EJECT / KEEP boundaries.

When the VM calls the metaclass's __prepare__, duplicate names are rejected while
the class body runs and auto() values can be used in the body (A | B); otherwise
the class namespace is replayed through the same checks when the class is made.
"""

import sys as _sys

__all__ = ["EnumType", "EnumMeta", "Enum", "IntEnum", "StrEnum", "Flag", "IntFlag",
           "ReprEnum", "auto", "unique", "property", "verify", "member", "nonmember",
           "FlagBoundary", "STRICT", "CONFORM", "EJECT", "KEEP",
           "global_flag_repr", "global_enum_repr", "global_str", "global_enum",
           "EnumCheck", "CONTINUOUS", "NAMED_FLAGS", "UNIQUE",
           "pickle_by_global_name", "pickle_by_enum_name"]

# Filled in as the classes are defined; EnumType.__new__ checks them.
Enum = Flag = ReprEnum = None
STRICT = CONFORM = EJECT = KEEP = None

_builtin_property = property


# Built-in data types without a __str__ of their own (str() gives their repr()).
_STR_IS_REPR = (int, float, complex, bool)


# ----- small helpers --------------------------------------------------------------------

def _is_descriptor(obj):
    if isinstance(obj, (staticmethod, classmethod, _builtin_property)):
        return True
    return hasattr(obj, "__get__") or hasattr(obj, "__set__") or hasattr(obj, "__delete__")


def _is_dunder(name):
    return (len(name) > 4 and name[:2] == name[-2:] == "__"
            and name[2] != "_" and name[-3] != "_")


def _is_sunder(name):
    return (len(name) > 2 and name[0] == name[-1] == "_"
            and name[1] != "_" and name[-2] != "_")


def _is_private(cls_name, name):
    # A name mangled inside the class body: _ClsName__x (not ending in two underscores).
    prefix = "_%s__" % cls_name.lstrip("_")
    return (len(name) > len(prefix) and name.startswith(prefix)
            and not name.endswith("__"))


def _is_single_bit(num):
    return num != 0 and num & (num - 1) == 0


def _iter_bits_lsb(num):
    # The powers of two in num, lowest first.
    while num:
        bit = num & (~num + 1)
        yield bit
        num ^= bit


def _bin(num, max_bits=None):
    # bin() with the sign bit shown separately: 8 -> '0b0 1000', -3 -> '0b1 01'.
    ceiling = 2 ** num.bit_length()
    if num >= 0:
        text = bin(num + ceiling).replace("1", "0", 1)
    else:
        text = bin(~num ^ (ceiling - 1) + ceiling)
    sign = text[:3]
    digits = text[3:]
    if max_bits is not None and len(digits) < max_bits:
        digits = (sign[-1] * max_bits + digits)[-max_bits:]
    return "%s %s" % (sign, digits)


def _str_calling(method):
    # __str__ for a ReprEnum: the data type's str (or repr) applied to the member. (A
    # Python function rather than the data type's method itself, which pyvm's str()
    # does not yet honour when it is installed on an int or str subclass.)
    def __str__(self):
        return method(self)
    return __str__


def _mapping_proxy(mapping):
    proxy_type = type(type.__dict__)
    if proxy_type is not dict:
        return proxy_type(mapping)
    return _ReadOnlyMapping(mapping)


class _ReadOnlyMapping:
    """A read-only view of a dict (what types.MappingProxyType gives)."""

    __slots__ = ("_mapping",)

    def __init__(self, mapping):
        self._mapping = mapping

    def __getitem__(self, key):
        return self._mapping[key]

    def __iter__(self):
        return iter(self._mapping)

    def __len__(self):
        return len(self._mapping)

    def __contains__(self, key):
        return key in self._mapping

    def __eq__(self, other):
        return self._mapping == other

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

    def __str__(self):
        return str(self._mapping)

    def __repr__(self):
        return "mappingproxy(%r)" % (self._mapping,)


class _AutoNull:
    def __repr__(self):
        return "_auto_null"


_auto_null = _AutoNull()


class auto:
    """Stands for a member value chosen by the enum's _generate_next_value_."""

    def __init__(self, value=_auto_null):
        self.value = value

    def __repr__(self):
        return "auto(%r)" % (self.value,)


class member:
    """Force an attribute of an enum class body to become a member."""

    def __init__(self, value):
        self.value = value


class nonmember:
    """Keep an attribute of an enum class body from becoming a member."""

    def __init__(self, value):
        self.value = value


class property(_builtin_property):
    """A property of enum members (on the class, the name finds the member)."""

    member = None
    name = None

    def __set_name__(self, ownerclass, name):
        self.name = name
        self.clsname = ownerclass.__name__

    def __get__(self, instance, ownerclass=None):
        if instance is None:
            if self.member is not None:
                return self.member
            try:
                return ownerclass._member_map_[self.name]
            except KeyError:
                raise AttributeError("%r has no attribute %r" % (ownerclass, self.name)) from None
        if self.fget is not None:
            return self.fget(instance)
        if self.member is not None:
            return self.member
        raise AttributeError("%r member has no attribute %r" % (ownerclass, self.name))


# ----- the class namespace ----------------------------------------------------------------

class _EnumDict(dict):
    """Namespace of an enum class body: records the member names in order, rejects
    reused names, resolves auto() values and checks the _sunder_ names."""

    _allowed_sunders = ("_order_", "_generate_next_value_", "_numeric_repr_", "_missing_",
                        "_ignore_", "_iter_member_", "_iter_member_by_value_",
                        "_iter_member_by_def_")

    def __init__(self):
        super().__init__()
        self._member_names = {}
        self._last_values = []
        self._ignore = []
        self._auto_called = False
        self._cls_name = ""
        self._generate_next_value = None

    def __setitem__(self, key, value):
        if _is_private(self._cls_name, key):
            pass
        elif _is_sunder(key):
            if key not in self._allowed_sunders:
                raise ValueError("_sunder_ names, such as %r, are reserved for future Enum use"
                                 % (key,))
            if key == "_generate_next_value_":
                if self._auto_called:
                    raise TypeError("_generate_next_value_ must be defined before members")
                self._generate_next_value = (value.__func__ if isinstance(value, staticmethod)
                                             else value)
            elif key == "_ignore_":
                if isinstance(value, str):
                    value = value.replace(",", " ").split()
                else:
                    value = list(value)
                self._ignore = value
                already = set(value) & set(self._member_names)
                if already:
                    raise ValueError("_ignore_ cannot specify already set names: %r" % (already,))
        elif _is_dunder(key):
            if key == "__order__":
                key = "_order_"
        elif key in self._member_names:
            raise TypeError("%r already defined as %r" % (key, self[key]))
        elif key in self._ignore:
            pass
        elif isinstance(value, nonmember):
            value = value.value
        elif _is_descriptor(value):
            pass
        else:
            if key in self:
                raise TypeError("%r already defined as %r" % (key, self[key]))
            if isinstance(value, member):
                value = value.value
            value = self._resolve_autos(key, value)
            self._member_names[key] = None
        super().__setitem__(key, value)

    def _resolve_autos(self, key, value):
        # Replace auto() (alone, or as items of a tuple value) by generated values.
        single = isinstance(value, auto)
        items = (value,) if single else value
        if type(items) is not tuple or not any(isinstance(v, auto) for v in items):
            self._last_values.append(value)
            return value
        resolved = []
        for v in items:
            if isinstance(v, auto):
                if v.value is _auto_null:
                    v.value = self._generate_next_value(key, 1, len(self._member_names),
                                                        self._last_values[:])
                    self._auto_called = True
                v = v.value
                self._last_values.append(v)
            resolved.append(v)
        return resolved[0] if single else tuple(resolved)

    def update(self, members=(), **more_members):
        if hasattr(members, "keys"):
            for name in members.keys():
                self[name] = members[name]
        else:
            for name, value in members:
                self[name] = value
        for name, value in more_members.items():
            self[name] = value


class _ProtoMember:
    """Placeholder for a member in the class namespace; type() calls __set_name__ on it
    as the class is made, and that turns it into the real member."""

    def __init__(self, value):
        self.value = value

    def __set_name__(self, enum_class, member_name):
        type.__delattr__(enum_class, member_name)
        _add_member(enum_class, member_name, self.value)


def _add_member(enum_class, member_name, value):
    member_type = enum_class._member_type_
    args = value if isinstance(value, tuple) else (value,)
    if member_type is tuple:
        args = (args,)
    if enum_class._use_args_:
        enum_member = enum_class._new_member_(enum_class, *args)
    else:
        enum_member = enum_class._new_member_(enum_class)
    if not hasattr(enum_member, "_value_"):
        if member_type is object:
            enum_member._value_ = value
        else:
            try:
                enum_member._value_ = member_type(*args)
            except Exception as exc:
                new_exc = TypeError("_value_ not set in __new__, unable to create it")
                new_exc.__cause__ = exc
                raise new_exc
    value = enum_member._value_
    enum_member._name_ = member_name
    enum_member.__objclass__ = enum_class
    enum_member.__init__(*args)
    enum_member._sort_order_ = len(enum_class._member_names_)

    is_flag = Flag is not None and issubclass(enum_class, Flag)
    if is_flag:
        enum_class._flag_mask_ |= value
        if _is_single_bit(value):
            enum_class._singles_mask_ |= value
        enum_class._all_bits_ = 2 ** enum_class._flag_mask_.bit_length() - 1

    # An earlier member with an equal value makes this name an alias of it.
    canonical = None
    try:
        canonical = enum_class._value2member_map_.get(value)
    except TypeError:
        for existing in enum_class._member_map_.values():
            if existing._value_ == value:
                canonical = existing
                break
    if canonical is not None:
        enum_member = canonical
    elif not is_flag or _is_single_bit(value):
        # Iteration lists the canonical members (for Flag: the single-bit ones).
        enum_class._member_names_.append(member_name)

    # A member named like a property of a base class (e.g. 'name') must still be
    # found on the class while the property keeps working on members.
    found_descriptor = None
    for base in enum_class.__mro__[1:]:
        descriptor = base.__dict__.get(member_name)
        if descriptor is not None:
            if isinstance(descriptor, _builtin_property):
                found_descriptor = descriptor
                break
    if found_descriptor is not None:
        redirect = property(found_descriptor.fget, found_descriptor.fset, found_descriptor.fdel)
        redirect.member = enum_member
        redirect.__set_name__(enum_class, member_name)
        type.__setattr__(enum_class, member_name, redirect)
    else:
        type.__setattr__(enum_class, member_name, enum_member)
    enum_class._member_map_[member_name] = enum_member
    try:
        enum_class._value2member_map_.setdefault(value, enum_member)
    except TypeError:
        enum_class._unhashable_values_.append(value)


# ----- the metaclass ----------------------------------------------------------------------

class EnumType(type):
    """Metaclass of the enumerations."""

    @classmethod
    def __prepare__(metacls, cls, bases, **kwds):
        metacls._check_for_existing_members_(cls, bases)
        enum_dict = _EnumDict()
        enum_dict._cls_name = cls
        member_type, first_enum = metacls._get_mixins_(cls, bases)
        if first_enum is not None:
            enum_dict["_generate_next_value_"] = getattr(first_enum, "_generate_next_value_", None)
        return enum_dict

    def __new__(metacls, cls, bases, classdict, *, boundary=None, _simple=False, **kwds):
        if _simple:
            return super().__new__(metacls, cls, bases, classdict, **kwds)
        if not isinstance(classdict, _EnumDict):
            # __prepare__ was not used: replay the namespace through its checks.
            replayed = metacls.__prepare__(cls, bases)
            for key, value in classdict.items():
                replayed[key] = value
            classdict = replayed
        ignore = classdict.setdefault("_ignore_", [])
        ignore.append("_ignore_")
        for key in ignore:
            classdict.pop(key, None)
        member_names = list(classdict._member_names)
        invalid_names = set(member_names) & {"mro", ""}
        if invalid_names:
            raise ValueError("invalid enum member name(s) %s"
                             % ",".join(repr(n) for n in invalid_names))
        order = classdict.pop("_order_", None)
        classdict = dict(classdict.items())

        member_type, first_enum = metacls._get_mixins_(cls, bases)
        new, save_new, use_args = metacls._find_new_(classdict, member_type, first_enum)
        classdict["_new_member_"] = new
        classdict["_use_args_"] = use_args
        for name in member_names:
            classdict[name] = _ProtoMember(classdict[name])
        classdict["_member_names_"] = []
        classdict["_member_map_"] = {}
        classdict["_value2member_map_"] = {}
        classdict["_unhashable_values_"] = []
        classdict["_member_type_"] = member_type
        classdict["_value_repr_"] = metacls._find_data_repr_(cls, bases)
        classdict["_boundary_"] = boundary or getattr(first_enum, "_boundary_", None)
        classdict["_flag_mask_"] = 0
        classdict["_singles_mask_"] = 0
        classdict["_all_bits_"] = 0
        classdict["_inverted_"] = None
        try:
            enum_class = super().__new__(metacls, cls, bases, classdict, **kwds)
        except RuntimeError as e:
            # type() reports an exception raised while making a member (in
            # __set_name__) as a RuntimeError caused by it: raise the original.
            raise (e.__cause__ or e) from None
        classdict.update(enum_class.__dict__)

        if ReprEnum is not None and ReprEnum in bases:
            # str() and format() are the data type's.
            if member_type is object:
                raise TypeError("ReprEnum subclasses must be mixed with a data type "
                                "(i.e. int, str, float, etc.)")
            if "__format__" not in classdict:
                type.__setattr__(enum_class, "__format__", member_type.__format__)
                classdict["__format__"] = member_type.__format__
            if "__str__" not in classdict:
                method = member_type.__str__
                if method is object.__str__ or member_type in _STR_IS_REPR:
                    # The data type has no str() of its own: str() is its repr().
                    method = member_type.__repr__
                method = _str_calling(method)
                type.__setattr__(enum_class, "__str__", method)
                classdict["__str__"] = method
        if first_enum is not None:
            # The data type's (or object's) repr, str, ... must not hide Enum's.
            for name in ("__repr__", "__str__", "__format__", "__reduce_ex__"):
                if name in classdict:
                    continue
                enum_method = getattr(first_enum, name)
                found_method = getattr(enum_class, name)
                if (found_method is getattr(object, name, None)
                        or found_method is getattr(member_type, name, None)):
                    type.__setattr__(enum_class, name, enum_method)
        if Flag is not None and issubclass(enum_class, Flag):
            for name in ("__or__", "__and__", "__xor__", "__ror__", "__rand__", "__rxor__",
                         "__invert__"):
                if name not in classdict:
                    type.__setattr__(enum_class, name, Flag.__dict__[name])
        if Enum is not None:
            if save_new:
                type.__setattr__(enum_class, "__new_member__", new)
            type.__setattr__(enum_class, "__new__", Enum.__new__)

        if order is not None and isinstance(order, str):
            order = order.replace(",", " ").split()
        if Flag is None and cls != "Flag" or Flag is not None and not issubclass(enum_class, Flag):
            for name in ("_boundary_", "_flag_mask_", "_singles_mask_", "_all_bits_", "_inverted_"):
                type.__delattr__(enum_class, name)
        else:
            values = [m._value_ for m in enum_class]
            if values != sorted(values):
                type.__setattr__(enum_class, "_iter_by_definition_", True)
            if order:
                order = [o for o in order if o not in enum_class._member_map_
                         or _is_single_bit(enum_class[o]._value_)]
        if order:
            order = [o for o in order if o not in enum_class._member_map_
                     or o in enum_class._member_names_]
            if order != enum_class._member_names_:
                raise TypeError("member order does not match _order_:\n  %r\n  %r"
                                % (enum_class._member_names_, order))
        return enum_class

    # -- construction helpers ---------------------------------------------------------------

    @classmethod
    def _check_for_existing_members_(metacls, class_name, bases):
        for chain in bases:
            for base in chain.__mro__:
                if isinstance(base, EnumType) and base._member_names_:
                    raise TypeError("<enum %r> cannot extend %r" % (class_name, base))

    @classmethod
    def _get_mixins_(metacls, class_name, bases):
        """(the data type of the members, the enum class they derive from)"""
        if not bases or bases == (object,):
            return object, Enum
        metacls._check_for_existing_members_(class_name, bases)
        first_enum = bases[-1]
        if not isinstance(first_enum, EnumType):
            raise TypeError("new enumerations should be created as "
                            "`EnumName([mixin_type, ...] [data_type,] enum_type)`")
        member_type = metacls._find_data_type_(class_name, bases) or object
        return member_type, first_enum

    @classmethod
    def _find_data_repr_(metacls, class_name, bases):
        for chain in bases:
            for base in chain.__mro__:
                if base is object:
                    continue
                if isinstance(base, EnumType):
                    return base._value_repr_
                if "__repr__" in base.__dict__:
                    return base.__dict__["__repr__"]
        return None

    @classmethod
    def _find_data_type_(metacls, class_name, bases):
        data_types = []
        for chain in bases:
            candidate = None
            for base in chain.__mro__:
                if base is object:
                    continue
                if isinstance(base, EnumType):
                    if base._member_type_ is not object:
                        if base._member_type_ not in data_types:
                            data_types.append(base._member_type_)
                        break
                elif "__new__" in base.__dict__ or "__dataclass_fields__" in base.__dict__:
                    found = candidate or base
                    if found not in data_types:
                        data_types.append(found)
                    break
                else:
                    candidate = candidate or base
        if len(data_types) > 1:
            raise TypeError("too many data types for %r: %r" % (class_name, set(data_types)))
        return data_types[0] if data_types else None

    @classmethod
    def _find_new_(metacls, classdict, member_type, first_enum):
        """(the function making members, whether it was defined in this class,
        whether it takes the value's items as arguments)"""
        new = classdict.get("__new__")
        if isinstance(new, staticmethod):
            new = new.__func__
        save_new = first_enum is not None and new is not None
        if new is None:
            ignored = (None, getattr(type(None), "__new__", None), object.__new__,
                       Enum.__new__ if Enum is not None else None)
            for method in ("__new_member__", "__new__"):
                for possible in (member_type, first_enum):
                    target = getattr(possible, method, None)
                    if not any(target is i for i in ignored):
                        new = target
                        break
                if new is not None:
                    break
            else:
                new = object.__new__
        use_args = new is not object.__new__
        return new, save_new, use_args

    # -- the class as a container of members ------------------------------------------------

    def __call__(cls, value, names=None, *, module=None, qualname=None, type=None, start=1,
                 boundary=None):
        """Color(value) finds a member; Enum('Name', 'A B C') makes an enumeration."""
        if names is None:
            return cls.__new__(cls, value)
        return cls._create_(value, names, module=module, qualname=qualname, type=type,
                            start=start, boundary=boundary)

    def __bool__(cls):
        return True

    def __contains__(cls, member):
        if not isinstance(member, Enum):
            raise TypeError("unsupported operand type(s) for 'in': '%s' and '%s'"
                            % (type(member).__qualname__, cls.__class__.__qualname__))
        return isinstance(member, cls) and member._name_ in cls._member_map_

    def __delattr__(cls, attr):
        if attr in cls._member_map_:
            raise AttributeError("%r cannot delete member %r." % (cls.__name__, attr))
        super().__delattr__(attr)

    def __dir__(cls):
        interesting = set(["__class__", "__contains__", "__doc__", "__getitem__", "__iter__",
                           "__len__", "__members__", "__module__", "__name__", "__qualname__"]
                          + cls._member_names_)
        if cls._new_member_ is not object.__new__:
            interesting.add("__new__")
        if cls.__init_subclass__ is not object.__init_subclass__:
            interesting.add("__init_subclass__")
        if cls._member_type_ is object:
            return sorted(interesting)
        return sorted(set(dir(cls._member_type_)) | interesting)

    def __getattr__(cls, name):
        if _is_dunder(name):
            raise AttributeError(name)
        try:
            return cls.__dict__["_member_map_"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(cls, name):
        return cls._member_map_[name]

    def __iter__(cls):
        return (cls._member_map_[name] for name in cls._member_names_)

    def __reversed__(cls):
        return (cls._member_map_[name] for name in reversed(cls._member_names_))

    def __len__(cls):
        return len(cls._member_names_)

    @_builtin_property
    def __members__(cls):
        """Read-only mapping of every member name (aliases included) to its member."""
        return _mapping_proxy(cls._member_map_)

    def __repr__(cls):
        if Flag is not None and issubclass(cls, Flag):
            return "<flag %r>" % (cls.__name__,)
        return "<enum %r>" % (cls.__name__,)

    def __setattr__(cls, name, value):
        if name in cls.__dict__.get("_member_map_", {}):
            raise AttributeError("cannot reassign member %r" % (name,))
        super().__setattr__(name, value)

    def _create_(cls, class_name, names, *, module=None, qualname=None, type=None, start=1,
                 boundary=None):
        metacls = cls.__class__
        bases = (cls,) if type is None else (type, cls)
        _, first_enum = cls._get_mixins_(class_name, bases)
        classdict = metacls.__prepare__(class_name, bases)
        if isinstance(names, str):
            names = names.replace(",", " ").split()
        if isinstance(names, (tuple, list)) and names and isinstance(names[0], str):
            pairs = []
            last_values = []
            for count, name in enumerate(names):
                value = first_enum._generate_next_value_(name, start, count, last_values[:])
                last_values.append(value)
                pairs.append((name, value))
            names = pairs
        if names is None:
            names = ()
        for item in names:
            if isinstance(item, str):
                member_name, member_value = item, names[item]
            else:
                member_name, member_value = item
            classdict[member_name] = member_value
        if module is None:
            try:
                module = _sys._getframe(2).f_globals["__name__"]
            except (AttributeError, ValueError, KeyError):
                pass
        if module is not None:
            classdict["__module__"] = module
        if qualname is not None:
            classdict["__qualname__"] = qualname
        return metacls.__new__(metacls, class_name, bases, classdict, boundary=boundary)

    def _convert_(cls, name, module, filter, source=None, *, boundary=None, as_global=False):
        """Make an enumeration `name` of this type from the globals of `module` (or
        the attributes of `source`) whose names pass `filter`, put it and its
        members in that module's globals, and return it (the stdlib uses this
        for constants such as signal.SIGINT)."""
        module_globals = _sys.modules[module].__dict__
        source = module_globals if source is None else source.__dict__
        members = [(key, value) for key, value in source.items() if filter(key)]
        try:
            members.sort(key=lambda item: (item[1], item[0]))
        except TypeError:
            # Values that do not compare: by name then.
            members.sort(key=lambda item: item[0])
        if Flag is not None and issubclass(cls, Flag):
            boundary = boundary or KEEP
        enum_class = cls(name, members, module=module, boundary=boundary)
        if as_global:
            global_enum(enum_class)
        else:
            module_globals.update(enum_class.__members__)
        module_globals[name] = enum_class
        return enum_class


EnumMeta = EnumType


# ----- Enum and its variants ----------------------------------------------------------------

class Enum(metaclass=EnumType):
    """Generic enumeration: the class attributes become its members."""

    def __new__(cls, value):
        # Replaced member creation once the class exists: Color(1) looks a member up.
        if type(value) is cls:
            return value
        try:
            return cls._value2member_map_[value]
        except KeyError:
            pass
        except TypeError:
            for candidate in cls._member_map_.values():
                if candidate._value_ == value:
                    return candidate
        if not cls._member_map_:
            raise TypeError("%r has no members defined" % cls)
        exc = None
        try:
            result = cls._missing_(value)
        except Exception as e:
            exc = e
            result = None
        if isinstance(result, cls):
            return result
        if (Flag is not None and issubclass(cls, Flag) and cls._boundary_ is EJECT
                and isinstance(result, int)):
            return result
        ve_exc = ValueError("%r is not a valid %s" % (value, cls.__qualname__))
        if result is None and exc is None:
            raise ve_exc
        if exc is None:
            exc = TypeError("error in %s._missing_: returned %r instead of None or a valid member"
                            % (cls.__name__, result))
        if not isinstance(exc, ValueError):
            exc.__context__ = ve_exc
        raise exc

    def __init__(self, *args, **kwds):
        pass

    def _generate_next_value_(name, start, count, last_values):
        # One more than the last value (if it is also the largest), else one more than
        # the last value that can be incremented.
        if not last_values:
            return start
        try:
            last = last_values[-1]
            last_values.sort()
            if last == last_values[-1]:
                return last + 1
            raise TypeError
        except TypeError:
            for v in reversed(last_values):
                try:
                    return v + 1
                except TypeError:
                    pass
            return start

    @classmethod
    def _missing_(cls, value):
        return None

    def __repr__(self):
        v_repr = self.__class__._value_repr_ or repr
        return "<%s.%s: %s>" % (self.__class__.__name__, self._name_, v_repr(self._value_))

    def __str__(self):
        return "%s.%s" % (self.__class__.__name__, self._name_)

    def __dir__(self):
        interesting = set()
        if self.__class__._member_type_ is not object:
            interesting = set(object.__dir__(self))
        for name in getattr(self, "__dict__", []):
            if name[0] != "_" and name not in self._member_map_:
                interesting.add(name)
        for cls in self.__class__.mro():
            for name, obj in cls.__dict__.items():
                if name[0] == "_":
                    continue
                if isinstance(obj, _builtin_property):
                    if obj.fget is not None or name not in self._member_map_:
                        interesting.add(name)
                    else:
                        interesting.discard(name)
                elif name not in self._member_map_:
                    interesting.add(name)
        return sorted(set(["__class__", "__doc__", "__eq__", "__hash__", "__module__"])
                      | interesting)

    def __format__(self, format_spec):
        return str.__format__(str(self), format_spec)

    def __hash__(self):
        return hash(self._name_)

    def __reduce_ex__(self, proto):
        return self.__class__, (self._value_,)

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self

    @_builtin_property
    def name(self):
        """The name of the member."""
        return self._name_

    @_builtin_property
    def value(self):
        """The value of the member."""
        return self._value_


class ReprEnum(Enum):
    """Only changes the repr(), leaving str() and format() to the mixed-in type."""


class IntEnum(int, ReprEnum):
    """Enum whose members are also (and must be) ints."""


class StrEnum(str, ReprEnum):
    """Enum whose members are also (and must be) strings."""

    def __new__(cls, *values):
        if len(values) > 3:
            raise TypeError("too many arguments for str(): %r" % (values,))
        if len(values) == 1 and not isinstance(values[0], str):
            raise TypeError("%r is not a string" % (values[0],))
        if len(values) >= 2 and not isinstance(values[1], str):
            raise TypeError("encoding must be a string, not %r" % (values[1],))
        if len(values) == 3 and not isinstance(values[2], str):
            raise TypeError("errors must be a string, not %r" % (values[2],))
        value = str(*values)
        enum_member = str.__new__(cls, value)
        enum_member._value_ = value
        return enum_member

    def _generate_next_value_(name, start, count, last_values):
        return name.lower()


class FlagBoundary(StrEnum):
    """How Flag handles values with bits that are not members':
    strict (raise, Flag's default), conform (drop them), eject (return a plain int),
    keep (keep them, IntFlag's default)."""
    STRICT = auto()
    CONFORM = auto()
    EJECT = auto()
    KEEP = auto()


STRICT, CONFORM, EJECT, KEEP = FlagBoundary


class Flag(Enum, boundary=STRICT):
    """Enum whose members combine with the bitwise operators."""

    _numeric_repr_ = repr

    def _generate_next_value_(name, start, count, last_values):
        # The next power of two above the largest value.
        if not count:
            return start if start is not None else 1
        last_value = max(last_values)
        try:
            high_bit = last_value.bit_length() - 1
        except Exception:
            raise TypeError("invalid flag value %r" % (last_value,)) from None
        return 2 ** (high_bit + 1)

    @classmethod
    def _iter_member_by_value_(cls, value):
        for bit in _iter_bits_lsb(value & cls._flag_mask_):
            yield cls._value2member_map_.get(bit)

    @classmethod
    def _iter_member_by_def_(cls, value):
        yield from sorted(cls._iter_member_by_value_(value), key=lambda m: m._sort_order_)

    @classmethod
    def _iter_member_(cls, value):
        # Members in value order, or definition order when that differs.
        if cls.__dict__.get("_iter_by_definition_"):
            return cls._iter_member_by_def_(value)
        return cls._iter_member_by_value_(value)

    @classmethod
    def _missing_(cls, value):
        # Make (and cache) the pseudo-member for a combination of flags.
        if not isinstance(value, int):
            raise ValueError("%r is not a valid %s" % (value, cls.__qualname__))
        flag_mask = cls._flag_mask_
        singles_mask = cls._singles_mask_
        all_bits = cls._all_bits_
        neg_value = None
        if not ~all_bits <= value <= all_bits or value & (all_bits ^ flag_mask):
            boundary = cls._boundary_
            if boundary is STRICT:
                max_bits = max(value.bit_length(), flag_mask.bit_length())
                raise ValueError("%r invalid value %r\n    given %s\n  allowed %s"
                                 % (cls, value, _bin(value, max_bits), _bin(flag_mask, max_bits)))
            if boundary is CONFORM:
                value = value & flag_mask
            elif boundary is EJECT:
                return value
            elif boundary is KEEP:
                if value < 0:
                    value = max(all_bits + 1, 2 ** value.bit_length()) + value
            else:
                raise ValueError("%r unknown flag boundary %r" % (cls, boundary))
        if value < 0:
            neg_value = value
            value = all_bits + 1 + value
        unknown = value & ~flag_mask
        aliases = value & ~singles_mask
        member_value = value & singles_mask
        if unknown and cls._boundary_ is not KEEP:
            raise ValueError("%s(%r) -->  unknown values %r [%s]"
                             % (cls.__name__, value, unknown, _bin(unknown)))
        if cls._member_type_ is object:
            pseudo_member = object.__new__(cls)
        else:
            pseudo_member = cls._member_type_.__new__(cls, value)
        if not hasattr(pseudo_member, "_value_"):
            pseudo_member._value_ = value
        if member_value or aliases:
            members = []
            combined_value = 0
            for m in cls._iter_member_(member_value):
                members.append(m)
                combined_value |= m._value_
            if aliases:
                value = member_value | aliases
                for pm in cls._member_map_.values():
                    if pm not in members and pm._value_ and pm._value_ & value == pm._value_:
                        members.append(pm)
                        combined_value |= pm._value_
            unknown = value ^ combined_value
            pseudo_member._name_ = "|".join([m._name_ for m in members])
            if not combined_value:
                pseudo_member._name_ = None
            elif unknown and cls._boundary_ is STRICT:
                raise ValueError("%r: no members with value %r" % (cls, unknown))
            elif unknown:
                pseudo_member._name_ += "|%s" % cls._numeric_repr_(unknown)
        else:
            pseudo_member._name_ = None
        pseudo_member = cls._value2member_map_.setdefault(value, pseudo_member)
        if neg_value is not None:
            cls._value2member_map_[neg_value] = pseudo_member
        return pseudo_member

    def __contains__(self, other):
        if not isinstance(other, self.__class__):
            raise TypeError("unsupported operand type(s) for 'in': %r and %r"
                            % (type(other).__qualname__, self.__class__.__qualname__))
        return other._value_ & self._value_ == other._value_

    def __iter__(self):
        yield from self._iter_member_(self._value_)

    def __len__(self):
        return bin(self._value_).count("1")

    def __repr__(self):
        cls_name = self.__class__.__name__
        v_repr = self.__class__._value_repr_ or repr
        if self._name_ is None:
            return "<%s: %s>" % (cls_name, v_repr(self._value_))
        return "<%s.%s: %s>" % (cls_name, self._name_, v_repr(self._value_))

    def __str__(self):
        cls_name = self.__class__.__name__
        if self._name_ is None:
            return "%s(%r)" % (cls_name, self._value_)
        return "%s.%s" % (cls_name, self._name_)

    def __bool__(self):
        return bool(self._value_)

    def _other_value(self, other):
        if isinstance(other, self.__class__):
            return other._value_
        if self._member_type_ is not object and isinstance(other, self._member_type_):
            return other
        return NotImplemented

    def __or__(self, other):
        other = self._other_value(other)
        if other is NotImplemented:
            return NotImplemented
        return self.__class__(self._value_ | other)

    def __and__(self, other):
        other = self._other_value(other)
        if other is NotImplemented:
            return NotImplemented
        return self.__class__(self._value_ & other)

    def __xor__(self, other):
        other = self._other_value(other)
        if other is NotImplemented:
            return NotImplemented
        return self.__class__(self._value_ ^ other)

    def __invert__(self):
        if self._inverted_ is None:
            if self._boundary_ in (EJECT, KEEP):
                self._inverted_ = self.__class__(~self._value_)
            else:
                self._inverted_ = self.__class__(self._singles_mask_ & ~self._value_)
        return self._inverted_

    __rand__ = __and__
    __ror__ = __or__
    __rxor__ = __xor__


class IntFlag(int, ReprEnum, Flag, boundary=KEEP):
    """Flag whose members are also ints."""


class EnumCheck(StrEnum):
    """The checks verify() can make."""
    CONTINUOUS = "no skipped integer values"
    NAMED_FLAGS = "multi-flag aliases may not contain unnamed flags"
    UNIQUE = "one name per value"


CONTINUOUS, NAMED_FLAGS, UNIQUE = EnumCheck


def show_flag_values(value):
    """The powers of two that make up value, lowest first."""
    return list(_iter_bits_lsb(value))


class verify:
    """Class decorator checking an enumeration: verify(UNIQUE) (no aliases),
    verify(CONTINUOUS) (no gaps in the integer values, or in the bits for a
    Flag), verify(NAMED_FLAGS) (a Flag's multi-bit aliases use named bits only)."""

    def __init__(self, *checks):
        self.checks = checks

    def __call__(self, enumeration):
        if Flag is not None and issubclass(enumeration, Flag):
            kind = "flag"
        elif isinstance(enumeration, EnumType) and issubclass(enumeration, Enum):
            kind = "enum"
        else:
            raise TypeError("the 'verify' decorator only works with Enum and Flag")
        for check in self.checks:
            if check is UNIQUE:
                _verify_unique(enumeration)
            elif check is CONTINUOUS:
                _verify_continuous(enumeration, kind)
            elif check is NAMED_FLAGS:
                _verify_named_flags(enumeration)
        return enumeration


def _verify_unique(enumeration):
    aliases = ["%s -> %s" % (name, enum_member._name_)
               for name, enum_member in enumeration.__members__.items()
               if name != enum_member._name_]
    if aliases:
        raise ValueError("aliases found in %r: %s" % (enumeration, ", ".join(aliases)))


def _verify_continuous(enumeration, kind):
    values = set(m._value_ for m in enumeration)
    if len(values) < 2:
        return
    low, high = min(values), max(values)
    if kind == "flag":
        # Every power of two between the lowest and highest member's bits.
        candidates = [2 ** i for i in range(low.bit_length(), high.bit_length() - 1)]
    else:
        candidates = range(low + 1, high)
    missing = [str(v) for v in candidates if v not in values]
    if missing:
        message = "invalid %s %r: missing values %s" % (kind, enumeration.__name__,
                                                        ", ".join(missing))
        raise ValueError(message[:256])


def _verify_named_flags(enumeration):
    # Each alias (a name that is not a canonical member) may only combine bits
    # that canonical members have.
    canonical_values = [m._value_ for m in enumeration]
    missing_names = []
    missing_value = 0
    for name, alias in enumeration._member_map_.items():
        if name in enumeration._member_names_ or alias._value_ < 0:
            continue
        missed = [bit for bit in _iter_bits_lsb(alias._value_) if bit not in canonical_values]
        if missed:
            missing_names.append(name)
            for bit in missed:
                missing_value |= bit
    if not missing_names:
        return
    if len(missing_names) == 1:
        which = "alias %s is missing" % missing_names[0]
    else:
        which = "aliases %s and %s are missing" % (", ".join(missing_names[:-1]),
                                                   missing_names[-1])
    if _is_single_bit(missing_value):
        value = "value 0x%x" % missing_value
    else:
        value = "combined values of 0x%x" % missing_value
    raise ValueError("invalid Flag %r: %s %s [use enum.show_flag_values(value) for details]"
                     % (enumeration.__name__, which, value))


def global_enum_repr(self):
    """repr() of a member of a global enum: 'module.NAME'."""
    module = self.__class__.__module__.split(".")[-1]
    return "%s.%s" % (module, self._name_)


def global_flag_repr(self):
    """repr() of a member of a global flag: 'module.A|module.B' (unnamed bits
    of a KEEP flag stay numbers; no name at all gives 'module.Cls(value)')."""
    module = self.__class__.__module__.split(".")[-1]
    if self._name_ is None:
        return "%s.%s(%r)" % (module, self.__class__.__name__, self._value_)
    names = []
    for name in self._name_.split("|"):
        if name[0].isdigit() and self._boundary_ is KEEP:
            names.append(name)
        else:
            names.append("%s.%s" % (module, name))
    return "|".join(names)


def global_str(self):
    """str() of a member of a global enum: its bare name."""
    if self._name_ is None:
        return "%s(%r)" % (self.__class__.__name__, self._value_)
    return self._name_


def global_enum(cls, update_str=False):
    """Class decorator: show the members as module globals (repr 'module.NAME',
    str 'NAME' unless the data type's str is kept) and add them to the module's
    namespace."""
    if issubclass(cls, Flag):
        type.__setattr__(cls, "__repr__", global_flag_repr)
    else:
        type.__setattr__(cls, "__repr__", global_enum_repr)
    if not issubclass(cls, ReprEnum) or update_str:
        type.__setattr__(cls, "__str__", global_str)
    _sys.modules[cls.__module__].__dict__.update(cls.__members__)
    return cls


def pickle_by_global_name(self, proto):
    """A __reduce_ex__ for members that are module globals: pickled by name."""
    return self._name_


def pickle_by_enum_name(self, proto):
    """A __reduce_ex__ pickling a member as getattr(its class, its name)."""
    return getattr, (self.__class__, self._name_)


def unique(enumeration):
    """Class decorator: raise ValueError if any value has more than one name."""
    duplicates = []
    for name, enum_member in enumeration.__members__.items():
        if name != enum_member.name:
            duplicates.append((name, enum_member.name))
    if duplicates:
        alias_details = ", ".join("%s -> %s" % (alias, name) for alias, name in duplicates)
        raise ValueError("duplicate values found in %r: %s" % (enumeration, alias_details))
    return enumeration
