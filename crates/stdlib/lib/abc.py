"""Abstract base classes (pyvm's own implementation of the abc module).

A class whose metaclass is ABCMeta (for instance any subclass of ABC) is an
abstract base class:

* the methods marked with @abstractmethod -- in its own body, or inherited and
  not overridden -- are listed in its __abstractmethods__, and such a class
  cannot be instantiated until a subclass overrides them all;
* ABC.register(C) makes C a "virtual subclass": issubclass(C, ABC) and
  isinstance(C(), ABC) become true although C does not inherit from it;
* the ABC's __subclasshook__ class method, when it answers True or False, decides
  issubclass() on its own (collections.abc uses that to accept any class with an
  __iter__ as an Iterable, and so on).

The answers of issubclass() are cached per ABC, as in CPython: the positive ones
for good, the negative ones until the next register() anywhere, which bumps the
counter get_cache_token() returns. collections.abc builds on this module.

Where pyvm differs from CPython underneath, this module makes up for it:

* CPython refuses to instantiate an abstract class in object.__new__; pyvm's
  object.__new__ does not look at __abstractmethods__, so ABCMeta.__call__ makes
  the check (see there);
* pyvm's property, classmethod and staticmethod objects have no
  __isabstractmethod__ attribute, so the abstractness of such a descriptor is
  read from the functions it wraps (_is_abstract);
* pyvm's object has no __subclasshook__, so a missing hook counts as one that
  returns NotImplemented.
"""



def abstractmethod(funcobj):
    """Mark funcobj as an abstract method and return it.

    A class whose metaclass is ABCMeta cannot be instantiated while it has
    abstract methods that no subclass has overridden. Use it as the innermost
    decorator when combining with property, classmethod or staticmethod:

        class Base(ABC):
            @property
            @abstractmethod
            def size(self): ...
    """
    funcobj.__isabstractmethod__ = True
    return funcobj


# The three deprecated decorators below are subclasses of the built-in descriptors,
# as in CPython. pyvm hands back a plain classmethod / staticmethod / property when
# such a subclass is called (and skips its __init__), so each one marks the wrapped
# function(s) as abstract in __new__, where the mark survives either way.

class abstractclassmethod(classmethod):
    """A classmethod that is also abstract (deprecated: stack @classmethod on
    @abstractmethod instead)."""

    __isabstractmethod__ = True

    def __new__(cls, callable):
        callable.__isabstractmethod__ = True
        return super().__new__(cls, callable)


class abstractstaticmethod(staticmethod):
    """A staticmethod that is also abstract (deprecated: stack @staticmethod on
    @abstractmethod instead)."""

    __isabstractmethod__ = True

    def __new__(cls, callable):
        callable.__isabstractmethod__ = True
        return super().__new__(cls, callable)


class abstractproperty(property):
    """A property that is also abstract (deprecated: stack @property on
    @abstractmethod instead)."""

    __isabstractmethod__ = True

    def __new__(cls, fget=None, fset=None, fdel=None, doc=None):
        for accessor in (fget, fset, fdel):
            if accessor is not None:
                accessor.__isabstractmethod__ = True
        return super().__new__(cls, fget, fset, fdel, doc)


def _is_abstract(value):
    """Whether a class attribute counts as an abstract method."""
    if getattr(value, "__isabstractmethod__", False):
        return True
    # In CPython these descriptors answer __isabstractmethod__ themselves, from
    # what they wrap; pyvm's do not have the attribute.
    if isinstance(value, property):
        return any(getattr(f, "__isabstractmethod__", False)
                   for f in (value.fget, value.fset, value.fdel))
    if isinstance(value, (classmethod, staticmethod)):
        return bool(getattr(value.__func__, "__isabstractmethod__", False))
    return False


# Bumped by every register(): the negative issubclass() answers cached before
# that may have become wrong.
_abc_invalidation_counter = 0


def get_cache_token():
    """An object that changes whenever an ABC registers a virtual subclass.

    Comparing two tokens tells whether cached isinstance/issubclass answers
    involving ABCs may have become stale.
    """
    return _abc_invalidation_counter


class _ABCState:
    """The bookkeeping of one ABC, stored as its _abc_impl attribute.

    The registry and the caches hold the classes strongly (CPython keeps weak
    references); dicts with None values serve as insertion-ordered sets.
    """

    __slots__ = ("registry", "cache", "negative_cache", "negative_cache_version")

    def __init__(self):
        self.registry = {}
        self.cache = {}
        self.negative_cache = {}
        self.negative_cache_version = _abc_invalidation_counter


def _compute_abstracts(cls):
    # The class's own attributes, then the inherited abstract names that are still
    # abstract in cls (not overridden, or overridden by another abstract method).
    abstracts = set()
    for name, value in list(cls.__dict__.items()):
        if _is_abstract(value):
            abstracts.add(name)
    for base in cls.__bases__:
        for name in getattr(base, "__abstractmethods__", ()):
            value = getattr(cls, name, None)
            if _is_abstract(value):
                abstracts.add(name)
    return frozenset(abstracts)


class ABCMeta(type):
    """The metaclass of abstract base classes.

    A class made with it cannot be instantiated while it has abstract methods.
    With register() it adopts unrelated classes (and their subclasses) as
    virtual subclasses: issubclass() and isinstance() then count them as its
    subclasses, though it does not appear in their __mro__ and lends them none
    of its methods.
    """

    def __new__(mcls, name, bases, namespace, /, **kwargs):
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        cls.__abstractmethods__ = _compute_abstracts(cls)
        cls._abc_impl = _ABCState()
        return cls

    def register(cls, subclass):
        """Make subclass a virtual subclass of this ABC, and return it (so that
        @SomeABC.register works as a class decorator)."""
        global _abc_invalidation_counter
        if not isinstance(subclass, type):
            raise TypeError("Can only register classes")
        if issubclass(subclass, cls):
            return subclass     # already a subclass, maybe virtual; also cls itself
        if issubclass(cls, subclass):
            # An ABC registered with its own subclass would be its own ancestor.
            raise RuntimeError("Refusing to create an inheritance cycle")
        cls._abc_impl.registry[subclass] = None
        _abc_invalidation_counter += 1
        return subclass

    def __instancecheck__(cls, instance):
        """isinstance(instance, cls), through the caches and __subclasscheck__."""
        state = cls._abc_impl
        subclass = instance.__class__
        if subclass in state.cache:
            return True
        subtype = type(instance)
        if subtype is subclass:
            if (state.negative_cache_version == _abc_invalidation_counter
                    and subclass in state.negative_cache):
                return False
            return cls.__subclasscheck__(subclass)
        # An object can pretend to be of another class through __class__; either
        # class will do.
        return cls.__subclasscheck__(subclass) or cls.__subclasscheck__(subtype)

    def __subclasscheck__(cls, subclass):
        """issubclass(subclass, cls): the hook, real inheritance, the registered
        classes, then the subclasses' own registrations; the answer is cached."""
        if not isinstance(subclass, type):
            raise TypeError("issubclass() arg 1 must be a class")
        state = cls._abc_impl
        if subclass in state.cache:
            return True
        if state.negative_cache_version < _abc_invalidation_counter:
            state.negative_cache = {}
            state.negative_cache_version = _abc_invalidation_counter
        elif subclass in state.negative_cache:
            return False

        hook = getattr(cls, "__subclasshook__", None)
        answer = NotImplemented if hook is None else hook(subclass)
        if answer is True:
            state.cache[subclass] = None
            return True
        if answer is False:
            state.negative_cache[subclass] = None
            return False
        if answer is not NotImplemented:
            raise AssertionError("__subclasshook__ must return either False, True, or NotImplemented")

        # A real subclass, a subclass of a registered class, or a subclass of one
        # of our subclasses (which may have registered classes of their own).
        if cls in getattr(subclass, "__mro__", ()):
            state.cache[subclass] = None
            return True
        for registered in list(state.registry):
            if issubclass(subclass, registered):
                state.cache[subclass] = None
                return True
        for child in cls.__subclasses__():
            if issubclass(subclass, child):
                state.cache[subclass] = None
                return True
        state.negative_cache[subclass] = None
        return False

    def _abc_registry_clear(cls):
        """Forget the registered virtual subclasses (for tests)."""
        cls._abc_impl.registry.clear()

    def _abc_caches_clear(cls):
        """Forget the cached issubclass() answers (for tests)."""
        cls._abc_impl.cache.clear()
        cls._abc_impl.negative_cache.clear()


def update_abstractmethods(cls):
    """Recompute cls.__abstractmethods__ after its methods changed; return cls.

    Meant for class decorators that add or replace methods once the class exists
    (as dataclasses does). A class that is not an ABC is returned unchanged.
    """
    if not hasattr(cls, "__abstractmethods__"):
        return cls
    cls.__abstractmethods__ = _compute_abstracts(cls)
    return cls


class ABC(metaclass=ABCMeta):
    """Base class for ABCs: deriving from it makes ABCMeta the metaclass."""

    __slots__ = ()
