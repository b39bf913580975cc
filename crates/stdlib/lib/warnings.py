"""Issuing and filtering warnings (pyvm's own implementation of the `warnings` module).

warn() finds the location of the warning from the caller's frame (`sys._getframe`;
without it, the script name and line 1), and warn_explicit() decides what to do with
it by looking through `filters`, a list of (action, message, category, module, lineno)
tuples, first match wins, `defaultaction` otherwise. The actions are:

    "error"    raise the warning instead of printing it
    "ignore"   never print it
    "always"   print it every time
    "default"  print it once per location (text, category, line) of each module
    "module"   print it once per module, whatever the line
    "once"     print it once (per module registry, as CPython 3.11's _warnings does)

Seen warnings are remembered in the `__warningregistry__` dict of the warning module's
globals; any change to the filters invalidates every registry. The initial filters are
CPython 3.11's: DeprecationWarning is shown in __main__ only, and DeprecationWarning,
PendingDeprecationWarning, ImportWarning and ResourceWarning are otherwise ignored.

A shown warning goes through showwarning() and formatwarning() (both replaceable) and
is written to sys.stderr as "file:line: Category: message" followed by the source line.
catch_warnings() saves and restores the filters and showwarning, and with record=True
collects WarningMessage objects in a list instead of printing them.
"""

import sys

__all__ = ["warn", "warn_explicit", "showwarning", "formatwarning", "filterwarnings",
           "simplefilter", "resetwarnings", "catch_warnings"]

_ACTIONS = ("error", "ignore", "always", "default", "module", "once")

filters = [
    ("default", None, DeprecationWarning, "__main__", 0),
    ("ignore", None, DeprecationWarning, None, 0),
    ("ignore", None, PendingDeprecationWarning, None, 0),
    ("ignore", None, ImportWarning, None, 0),
    ("ignore", None, ResourceWarning, None, 0),
]
defaultaction = "default"
onceregistry = {}
_defaultaction = defaultaction
_onceregistry = onceregistry

# Bumped by every change to the filters; a registry recorded under an older version is
# stale (a warning it remembers may now have to be shown) and gets emptied on next use.
_filters_version = 0


def _filters_mutated():
    global _filters_version
    _filters_version += 1


# ----- the record of a warning and how it is shown --------------------------------------

class WarningMessage(object):
    """One warning as passed to showwarning(): what catch_warnings(record=True) collects."""

    _WARNING_DETAILS = ("message", "category", "filename", "lineno", "file", "line",
                        "source")

    def __init__(self, message, category, filename, lineno, file=None, line=None,
                 source=None):
        self.message = message
        self.category = category
        self.filename = filename
        self.lineno = lineno
        self.file = file
        self.line = line
        self.source = source
        self._category_name = category.__name__ if category else None

    def __str__(self):
        return "{message : %r, category : %r, filename : %r, lineno : %s, line : %r}" % (
            self.message, self._category_name, self.filename, self.lineno, self.line)


def _source_line(filename, lineno):
    """The text of line `lineno` of `filename`, or '' when it cannot be read."""
    if not isinstance(filename, str) or not filename:
        return ""
    if filename.startswith("<") and filename.endswith(">"):
        return ""
    try:
        lineno = int(lineno)
        if lineno < 1:
            return ""
        with open(filename, encoding="utf-8", errors="replace") as f:
            for number, text in enumerate(f, 1):
                if number == lineno:
                    return text
    except Exception:
        pass
    return ""


def _formatwarnmsg_impl(msg):
    category = msg.category.__name__
    text = "%s:%s: %s: %s\n" % (msg.filename, msg.lineno, category, msg.message)
    line = msg.line
    if line is None:
        line = _source_line(msg.filename, msg.lineno)
    if line:
        text += "  %s\n" % line.strip()
    if msg.source is not None:
        # pyvm has no tracemalloc, so like an untraced CPython it can only suggest it.
        text += "%s: Enable tracemalloc to get the object allocation traceback\n" % category
    return text


def _showwarnmsg_impl(msg):
    file = msg.file
    if file is None:
        file = sys.stderr
        if file is None:
            return  # no stderr: nowhere to show it
    text = _formatwarnmsg(msg)
    try:
        file.write(text)
    except OSError:
        pass  # the stream went away; a warning is not worth an error


def formatwarning(message, category, filename, lineno, line=None):
    """Return the text showwarning() writes for a warning."""
    return _formatwarnmsg_impl(WarningMessage(message, category, filename, lineno, None,
                                              line))


def showwarning(message, category, filename, lineno, file=None, line=None):
    """Write a warning to `file` (default sys.stderr)."""
    _showwarnmsg_impl(WarningMessage(message, category, filename, lineno, file, line))


# The originals, to tell whether a program has replaced them.
_formatwarning_orig = formatwarning
_showwarning_orig = showwarning


def _formatwarnmsg(msg):
    try:
        fw = formatwarning
    except NameError:
        fw = _formatwarning_orig
    if fw is not _formatwarning_orig:
        return fw(msg.message, msg.category, msg.filename, msg.lineno, msg.line)
    return _formatwarnmsg_impl(msg)


def _showwarnmsg(msg):
    try:
        sw = showwarning
    except NameError:
        sw = _showwarning_orig
    if sw is not _showwarning_orig:
        if not callable(sw):
            raise TypeError("warnings.showwarning() must be set to a function or method")
        sw(msg.message, msg.category, msg.filename, msg.lineno, msg.file, msg.line)
        return
    _showwarnmsg_impl(msg)


# ----- the filters ---------------------------------------------------------------------

def _add_filter(*item, append):
    # A filter given again moves to the front (or stays where it is, when appending).
    if not append:
        try:
            filters.remove(item)
        except ValueError:
            pass
        filters.insert(0, item)
    elif item not in filters:
        filters.append(item)
    _filters_mutated()


def filterwarnings(action, message="", category=Warning, module="", lineno=0,
                   append=False):
    """Add a filter to the front of `filters` (the end with append=True).

    `message` is a regular expression the start of the warning text must match (case
    insensitively), `module` one the module name must match; "" matches anything, as
    does lineno 0."""
    assert action in _ACTIONS, "invalid action: %r" % (action,)
    assert isinstance(message, str), "message must be a string"
    assert isinstance(category, type), "category must be a class"
    assert issubclass(category, Warning), "category must be a Warning subclass"
    assert isinstance(module, str), "module must be a string"
    assert isinstance(lineno, int) and lineno >= 0, "lineno must be an int >= 0"
    if message or module:
        import re
    message_re = re.compile(message, re.I) if message else None
    module_re = re.compile(module) if module else None
    _add_filter(action, message_re, category, module_re, lineno, append=append)


def simplefilter(action, category=Warning, lineno=0, append=False):
    """Add a filter matching every message and module (see filterwarnings)."""
    assert action in _ACTIONS, "invalid action: %r" % (action,)
    assert isinstance(lineno, int) and lineno >= 0, "lineno must be an int >= 0"
    _add_filter(action, None, category, None, lineno, append=append)


def resetwarnings():
    """Remove every filter, the default ones included."""
    filters[:] = []
    _filters_mutated()


def _matches(pattern, value):
    # None matches anything; a plain string (as in the default filters) must be equal;
    # anything else is a compiled pattern.
    if pattern is None:
        return True
    if type(pattern) is str:
        return pattern == value
    return bool(pattern.match(value))


def _find_action(category, text, lineno, module):
    """The action of the first filter that matches, and that filter (None if none)."""
    if not isinstance(filters, list):
        raise ValueError("_warnings.filters must be a list")
    for index, item in enumerate(filters):
        if not isinstance(item, tuple) or len(item) != 5:
            raise ValueError("_warnings.filters item %d isn't a 5-tuple" % index)
        action, msg, cat, mod, ln = item
        if not isinstance(action, str):
            raise TypeError("action must be a string, not '%s'" % type(action).__name__)
        if (_matches(msg, text) and issubclass(category, cat) and _matches(mod, module)
                and (ln == 0 or lineno == ln)):
            return action, item
    if not isinstance(defaultaction, str):
        raise ValueError("warnings.defaultaction must be a string, not '%s'"
                         % type(defaultaction).__name__)
    return defaultaction, None


def _already_warned(registry, key, remember):
    """Whether `registry` has `key` (emptying it first if it predates the filters);
    with `remember`, record `key` when it was not there."""
    version = registry.get("version")
    if type(version) is not int or version != _filters_version:
        registry.clear()
        registry["version"] = _filters_version
    elif registry.get(key):
        return True
    if remember:
        registry[key] = True
    return False


# ----- issuing warnings ----------------------------------------------------------------

def warn_explicit(message, category, filename, lineno, module=None, registry=None,
                  module_globals=None, source=None):
    """Issue a warning at an explicit location: `registry` (a dict, or None for no
    memory) records what this location has shown already."""
    lineno = int(lineno)
    if registry is not None and not isinstance(registry, dict):
        raise TypeError("'registry' must be a dict or None")
    if module_globals is not None and not isinstance(module_globals, dict):
        raise TypeError("module_globals must be a dict, not '%s'"
                        % type(module_globals).__name__)
    if module is None:
        module = filename or "<unknown>"
        if module.endswith(".py"):
            module = module[:-3]
    if isinstance(message, Warning):
        text = str(message)
        category = message.__class__
    else:
        text = message
        message = category(message)
    key = (text, category, lineno)
    if registry is not None and _already_warned(registry, key, False):
        return

    action, item = _find_action(category, text, lineno, module)
    if action == "error":
        raise message
    if action == "ignore":
        return
    if action != "always":
        if registry is not None:
            registry[key] = True
        if action == "once":
            # CPython 3.11 keeps "once" in the module's registry when there is one, so
            # it behaves like "module"; the global onceregistry only serves registry=None.
            target = registry if registry is not None else onceregistry
            if _already_warned(target, (text, category), True):
                return
        elif action == "module":
            if registry is not None and _already_warned(registry, (text, category), True):
                return
        elif action != "default":
            raise RuntimeError("Unrecognized action (%r) in warnings.filters:\n %r"
                               % (action, item))
    _showwarnmsg(WarningMessage(message, category, filename, lineno, None, None, source))


def warn(message, category=None, stacklevel=1, source=None):
    """Issue a warning (a message or a Warning instance), or raise it or do nothing,
    according to the filters. stacklevel 1 attributes it to the caller of warn(), 2 to
    that function's caller, and so on."""
    if isinstance(message, Warning):
        category = message.__class__
    if category is None:
        category = UserWarning
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise TypeError("category must be a Warning subclass, not '%s'"
                        % type(category).__name__)
    getframe = getattr(sys, "_getframe", None)
    if getframe is not None:
        try:
            # Frame 0 is warn() itself; stacklevel <= 1 means our caller.
            frame = getframe(stacklevel if stacklevel > 1 else 1)
        except ValueError:
            frame = None
        if frame is None:
            # Deeper than the stack: CPython blames "sys", line 1.
            module_globals = sys.__dict__
            filename = "sys"
            lineno = 1
        else:
            module_globals = frame.f_globals
            filename = frame.f_code.co_filename
            lineno = frame.f_lineno
    else:
        # No frame access: attribute the warning to the main script.
        main = sys.modules.get("__main__")
        module_globals = getattr(main, "__dict__", None)
        if module_globals is None:
            module_globals = {"__name__": "__main__"}
        filename = sys.argv[0] if sys.argv else "__main__"
        lineno = 1
    module = module_globals.get("__name__", "<string>")
    if module is not None and not isinstance(module, str):
        module = "<string>"
    registry = module_globals.get("__warningregistry__")
    if registry is None:
        registry = {}
        module_globals["__warningregistry__"] = registry
    warn_explicit(message, category, filename, lineno, module, registry, None, source)


# ----- catch_warnings ------------------------------------------------------------------

class catch_warnings(object):
    """A context manager that saves the warnings filters and showwarning() on entry
    and restores them on exit. With record=True, `with` gives a list that receives
    a WarningMessage for each warning shown instead of printing it. action (with
    category, lineno and append) installs a simplefilter() for the duration."""

    def __init__(self, *, record=False, module=None, action=None, category=Warning,
                 lineno=0, append=False):
        self._record = record
        self._module = sys.modules[__name__] if module is None else module
        self._entered = False
        if action is None:
            self._filter = None
        else:
            self._filter = (action, category, lineno, append)

    def __repr__(self):
        args = []
        if self._record:
            args.append("record=True")
        if self._module is not sys.modules[__name__]:
            args.append("module=%r" % (self._module,))
        return "%s(%s)" % (type(self).__name__, ", ".join(args))

    def __enter__(self):
        if self._entered:
            raise RuntimeError("Cannot enter %r twice" % self)
        self._entered = True
        module = self._module
        self._saved_filters = module.filters
        module.filters = self._saved_filters[:]
        module._filters_mutated()
        self._saved_showwarning = module.showwarning
        self._saved_showwarnmsg_impl = module._showwarnmsg_impl
        if self._filter is not None:
            module.simplefilter(*self._filter)
        if not self._record:
            return None
        log = []
        module._showwarnmsg_impl = log.append
        # A replaced showwarning would bypass the log; record through the original.
        module.showwarning = module._showwarning_orig
        return log

    def __exit__(self, *exc_info):
        if not self._entered:
            raise RuntimeError("Cannot exit %r without entering first" % self)
        module = self._module
        module.filters = self._saved_filters
        module._filters_mutated()
        module.showwarning = self._saved_showwarning
        module._showwarnmsg_impl = self._saved_showwarnmsg_impl


# ----- -W options ----------------------------------------------------------------------

class _OptionError(Exception):
    """A malformed -W option."""


def _resolve_action(action):
    if not action:
        return "default"
    if action == "all":
        return "always"
    for name in _ACTIONS:
        if name.startswith(action):
            return name
    raise _OptionError("invalid action: %r" % (action,))


def _resolve_category(name):
    if not name:
        return Warning
    if "." in name:
        module_name, _, attr = name.rpartition(".")
        try:
            module = __import__(module_name, None, None, [attr])
        except ImportError:
            raise _OptionError("invalid module name: %r" % (module_name,)) from None
        try:
            cat = getattr(module, attr)
        except AttributeError:
            raise _OptionError("unknown warning category: %r" % (name,)) from None
    else:
        import builtins
        try:
            cat = getattr(builtins, name)
        except AttributeError:
            raise _OptionError("unknown warning category: %r" % (name,)) from None
    if not (isinstance(cat, type) and issubclass(cat, Warning)):
        raise _OptionError("invalid warning category: %r" % (name,))
    return cat


def _setoption(arg):
    """Install the filter described by one -W option: action:message:category:module:lineno."""
    parts = arg.split(":")
    if len(parts) > 5:
        raise _OptionError("too many fields (max 5): %r" % (arg,))
    while len(parts) < 5:
        parts.append("")
    action, message, category, module, lineno = [s.strip() for s in parts]
    action = _resolve_action(action)
    category = _resolve_category(category)
    if message or module:
        import re
        if message:
            message = re.escape(message)
        if module:
            module = re.escape(module) + r"\Z"
    if lineno:
        try:
            lineno = int(lineno)
            if lineno < 0:
                raise ValueError
        except (ValueError, OverflowError):
            raise _OptionError("invalid lineno %r" % (lineno,)) from None
    else:
        lineno = 0
    filterwarnings(action, message, category, module, lineno)


def _processoptions(args):
    for arg in args:
        try:
            _setoption(arg)
        except _OptionError as msg:
            print("Invalid -W option ignored:", msg, file=sys.stderr)


_processoptions(getattr(sys, "warnoptions", ()))
