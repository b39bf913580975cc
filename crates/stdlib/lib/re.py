"""Regular expressions (pyvm's own implementation of the re module).

The matching is done by the native module _re (Rust, over the fancy-regex crate):

* _re.compile(text, flags) -> (handle, groups, groupindex), ValueError(message)
  for a pattern it cannot compile; the same (text, flags) gives the same handle;
* _re.match(handle, string, pos, endpos, mode) -> a flat tuple (start0, end0,
  start1, end1, ...) of character indices, -1 for a group that did not take part,
  or None; mode 0 searches from pos, 1 matches at pos, 2 must match all of
  string[pos:endpos], 3 matches a non-empty string at pos.

Everything else lives here, with CPython 3.11's observable behaviour: the parse of
the pattern (CPython's errors and positions; the text handed to the native is a
rewritten, plain form of the pattern, see _Parser), Pattern and Match objects and
their reprs, the RegexFlag constants, argument and type checks, re.error, the
iteration rules of findall/finditer/sub/split (with the empty-match rules of 3.7+),
replacement templates, escape() and the compiled-pattern cache.

The native only deals in str. A bytes pattern and its subjects are decoded as
Latin-1 (one character per byte) and the ASCII flag is added, so that the indices
that come back are byte offsets and the groups are sliced out of the bytes.
"""

import _re
import sys as _sys

__all__ = [
    "match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer",
    "compile", "purge", "template", "escape", "error", "Pattern", "Match",
    "A", "I", "L", "M", "S", "X", "U", "ASCII", "IGNORECASE", "LOCALE", "MULTILINE",
    "DOTALL", "VERBOSE", "UNICODE", "NOFLAG", "RegexFlag",
]

__version__ = "2.2.1"

_MAXSIZE = _sys.maxsize
_mappingproxy = type(type.__dict__)
_native_compile = _re.compile
_native_match = _re.match

# Flag bits (the values of CPython's sre constants).
_T, _I, _L, _M, _S, _U, _X, _DEBUG, _A = 1, 2, 4, 8, 16, 32, 64, 128, 256

try:
    _memoryview = memoryview
except NameError:
    _memoryview = None


# ----- flags ----------------------------------------------------------------------------

# The named flags in the order RegexFlag defines them: its repr, iteration and
# names list the bits of a value in this order (not in order of value).
_FLAG_MEMBERS = (("ASCII", _A), ("IGNORECASE", _I), ("LOCALE", _L), ("UNICODE", _U),
                 ("MULTILINE", _M), ("DOTALL", _S), ("VERBOSE", _X), ("TEMPLATE", _T),
                 ("DEBUG", _DEBUG))
_ALL_FLAGS = 511
# Every name RegexFlag[...] accepts, the one-letter aliases included.
_FLAG_BY_NAME = {"NOFLAG": 0, "A": _A, "I": _I, "L": _L, "U": _U, "M": _M, "S": _S,
                 "X": _X, "T": _T}
for _name, _bit in _FLAG_MEMBERS:
    _FLAG_BY_NAME[_name] = _bit

_flag_instances = {}


class _RegexFlagType(type):
    # RegexFlag is an IntFlag enum in CPython; this metaclass gives the class the
    # enum-like behaviour code relies on (iteration, RegexFlag["NAME"], its repr)
    # without pulling the enum machinery into every program that uses re.

    def __iter__(cls):
        return iter([cls(bit) for _, bit in _FLAG_MEMBERS])

    def __len__(cls):
        return len(_FLAG_MEMBERS)

    def __getitem__(cls, name):
        return cls(_FLAG_BY_NAME[name])

    def __contains__(cls, member):
        return isinstance(member, cls)

    def __repr__(cls):
        return "<flag %r>" % cls.__name__

    @property
    def __members__(cls):
        return {name: cls(bit) for name, bit in _FLAG_BY_NAME.items()}


class RegexFlag(int, metaclass=_RegexFlagType):
    """The re flags: an int whose repr names the flags (re.IGNORECASE|re.MULTILINE)."""

    def __new__(cls, value=0):
        if not isinstance(value, int):
            # Like an enum lookup by value: 2.0 finds IGNORECASE, "a" finds nothing.
            for bit in _FLAG_BY_NAME.values():
                if value == bit:
                    value = bit
                    break
            else:
                raise ValueError("%r is not a valid RegexFlag" % (value,))
        value = int(value)
        if value < 0:
            value &= _ALL_FLAGS
        # One object per value, so that RegexFlag(2) is re.IGNORECASE.
        flag = _flag_instances.get(value)
        if flag is None:
            flag = int.__new__(cls, value)
            if len(_flag_instances) < 1024:
                _flag_instances[value] = flag
        return flag

    @property
    def value(self):
        return int(self)

    @property
    def name(self):
        names, rest = _flag_names(int(self))
        if not names:
            return None if rest else "NOFLAG"
        return "|".join(names + (["0x%x" % rest] if rest else []))

    def __repr__(self):
        value = int(self)
        names, rest = _flag_names(value)
        if not names:
            return "re.RegexFlag(%d)" % value if rest else "re.NOFLAG"
        return "|".join(["re." + name for name in names] + (["0x%x" % rest] if rest else []))

    __str__ = __repr__

    def __format__(self, spec):
        # An empty format spec gives the str (as in f"{re.I}"); any other is an
        # int format ("{:d}", "{:>4}").
        if not spec:
            return str(self)
        return int.__format__(int(self), spec)

    def _op(function):
        def method(self, other):
            if not isinstance(other, int):
                return NotImplemented
            return RegexFlag(function(int(self), int(other)))
        return method

    __or__ = __ror__ = _op(int.__or__)
    __and__ = __rand__ = _op(int.__and__)
    __xor__ = __rxor__ = _op(int.__xor__)
    del _op

    def __invert__(self):
        return RegexFlag(_ALL_FLAGS & ~int(self))

    def __iter__(self):
        value = int(self)
        return iter([RegexFlag(bit) for _, bit in _FLAG_MEMBERS if value & bit])

    def __len__(self):
        value = int(self)
        return len([bit for _, bit in _FLAG_MEMBERS if value & bit])

    def __contains__(self, other):
        if not isinstance(other, RegexFlag):
            raise TypeError("unsupported operand type(s) for 'in': %r and %r"
                            % (type(other).__name__, type(self).__name__))
        return int(other) & int(self) == int(other)

    def __reduce__(self):
        return RegexFlag, (int(self),)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def _flag_names(value):
    """The names of the named bits in value (definition order), and the other bits."""
    names = []
    for name, bit in _FLAG_MEMBERS:
        if value & bit:
            names.append(name)
            value &= ~bit
    return names, value


NOFLAG = RegexFlag(0)
A = ASCII = RegexFlag(_A)
I = IGNORECASE = RegexFlag(_I)
L = LOCALE = RegexFlag(_L)
U = UNICODE = RegexFlag(_U)
M = MULTILINE = RegexFlag(_M)
S = DOTALL = RegexFlag(_S)
X = VERBOSE = RegexFlag(_X)
T = TEMPLATE = RegexFlag(_T)
DEBUG = RegexFlag(_DEBUG)
for _name, _bit in _FLAG_BY_NAME.items():
    setattr(RegexFlag, _name, RegexFlag(_bit))
del _name, _bit


# ----- re.error -------------------------------------------------------------------------

class error(Exception):
    """A pattern or replacement template that cannot be compiled.

    msg is the bare message, pattern the pattern (or template) and pos the index in
    it where the problem was found; str() adds the position (and the line and
    column when the pattern has several lines)."""

    def __init__(self, msg, pattern=None, pos=None):
        self.msg = msg
        self.pattern = pattern
        self.pos = pos
        if pattern is not None and pos is not None:
            msg = "%s at position %d" % (msg, pos)
            newline = "\n" if isinstance(pattern, str) else b"\n"
            self.lineno = pattern.count(newline, 0, pos) + 1
            self.colno = pos - pattern.rfind(newline, 0, pos)
            if newline in pattern:
                msg = "%s (line %d, column %d)" % (msg, self.lineno, self.colno)
        else:
            self.lineno = self.colno = None
        super().__init__(msg)


def _native_error(message, pattern):
    # The parse above finds the syntax errors; what the native still refuses (a
    # limit of the engine) is reported as it words it.
    return error(message, pattern)


# ----- bytes support --------------------------------------------------------------------

def _latin1(data):
    """bytes -> str, one character per byte."""
    # The length check guards against a codec that decodes as UTF-8 whatever it is
    # asked for: a UTF-8 decoding has as many characters as bytes only when every
    # byte is ASCII, where it agrees with Latin-1.
    try:
        text = data.decode("latin-1")
        if len(text) == len(data):
            return text
    except UnicodeError:
        pass
    return "".join([chr(b) for b in data])


def _as_bytes(obj):
    """The bytes of a bytes-like object, or None when obj is not one."""
    if isinstance(obj, bytes):
        return obj
    if isinstance(obj, bytearray):
        return bytes(obj)
    if _memoryview is not None and not isinstance(obj, (str, int)):
        try:
            return bytes(_memoryview(obj))
        except TypeError:
            pass
    return None


def _not_a_string(obj):
    return TypeError("expected string or bytes-like object, got %r" % type(obj).__name__)


def _index(value):
    # Positions and counts accept ints and objects with __index__, like CPython.
    if isinstance(value, int):
        return int(value)
    method = getattr(type(value), "__index__", None)
    if method is None:
        raise TypeError("%r object cannot be interpreted as an integer" % type(value).__name__)
    return method(value)


# ----- pattern parsing (in _re_parser.py) -----------------------------------------------

from _re_parser import (_ASCII_LETTERS, _DIGIT_SET, _ESCAPE_CODES, _OCT_SET,  # noqa: E402
                        _Parser, _check_flags, _parse)

# ----- replacement templates ------------------------------------------------------------

def _parse_template(template, pattern):
    """Compile a replacement template for pattern into a list of literal pieces
    (of the template's type) and group numbers, as re._parser.parse_template."""
    if isinstance(template, str):
        text = template
    else:
        data = _as_bytes(template)
        if data is None:
            raise TypeError("decoding to str: need a bytes-like object, %s found"
                            % type(template).__name__)
        text = _latin1(data)
    s = _Parser(template, text, 0, not isinstance(template, str))
    groupindex = pattern._groupindex
    items = []
    literal = []

    def addgroup(index, offset):
        if index > pattern.groups:
            raise s.error("invalid group reference %d" % index, offset)
        if literal:
            items.append("".join(literal))
            del literal[:]
        items.append(index)

    while True:
        this = s.get()
        if this is None:
            break
        c = this[1:2]
        if not c:
            literal.append(this)
        elif c == "g":
            if not s.match("<"):
                raise s.error("missing <")
            name = s.getuntil(">", "group name")
            if name.isidentifier():
                if name not in groupindex:
                    raise IndexError("unknown group name %r" % name)
                index = groupindex[name]
            else:
                # Anything int() accepts is a group number here, as in 3.11.
                try:
                    index = int(name)
                    if index < 0:
                        raise ValueError
                except ValueError:
                    raise s.error("bad character in group name %r" % name,
                                  len(name) + 1) from None
            addgroup(index, len(name) + 1)
        elif c == "0":
            this += s.getwhile(2, _OCT_SET)
            literal.append(chr(int(this[1:], 8) & 0xff))
        elif c in _DIGIT_SET:
            # One or two digits are a group number; three octal digits an escape.
            if s.next in _DIGIT_SET:
                this += s.get()
                if c in _OCT_SET and this[2] in _OCT_SET and s.next in _OCT_SET:
                    this += s.get()
                    code = int(this[1:], 8)
                    if code > 0o377:
                        raise s.error("octal escape value %s outside of range 0-0o377"
                                      % this, len(this))
                    literal.append(chr(code))
                    continue
            addgroup(int(this[1:]), len(this) - 1)
        elif c in _ESCAPE_CODES:
            literal.append(chr(_ESCAPE_CODES[c]))
        elif c in _ASCII_LETTERS:
            raise s.error("bad escape %s" % this, len(this))
        else:
            literal.append(this)            # \-, \& ...: the backslash stays
    if literal:
        items.append("".join(literal))
    if s.is_bytes:
        items = [item if isinstance(item, int) else item.encode("latin-1") for item in items]
    return items


def _expand(items, regs, src, empty):
    pieces = []
    for item in items:
        if isinstance(item, int):
            start = regs[2 * item]
            if start >= 0:
                pieces.append(src[start:regs[2 * item + 1]])
        else:
            pieces.append(item)
    return empty.join(pieces)


# ----- Pattern --------------------------------------------------------------------------

# Pattern.__repr__ names the flags in the order of CPython's C code.
_REPR_FLAGS = (("re.TEMPLATE", _T), ("re.IGNORECASE", _I), ("re.LOCALE", _L),
               ("re.MULTILINE", _M), ("re.DOTALL", _S), ("re.UNICODE", _U),
               ("re.VERBOSE", _X), ("re.DEBUG", _DEBUG), ("re.ASCII", _A))

try:
    _GenericAlias = type(list[int])
    if _GenericAlias is type:
        _GenericAlias = None
except TypeError:
    _GenericAlias = None


def _class_getitem(cls, item):
    if _GenericAlias is None:
        return cls
    return _GenericAlias(cls, item)


class Pattern:
    """A compiled regular expression (made by re.compile)."""

    __class_getitem__ = classmethod(_class_getitem)

    def __init__(self, *args, **kwargs):
        raise TypeError("cannot create 're.Pattern' instances")

    @property
    def groupindex(self):
        """Group names -> group numbers (a read-only view)."""
        # (a plain empty dict without named groups, as in CPython)
        return _mappingproxy(self._groupindex) if self._groupindex else {}

    # -- subjects and single matches --

    def _subject(self, string):
        """(the str the native sees, the str or bytes groups are sliced from)."""
        if self._is_bytes:
            if isinstance(string, str):
                raise TypeError("cannot use a bytes pattern on a string-like object")
            data = _as_bytes(string)
            if data is None:
                raise _not_a_string(string)
            return _latin1(data), data
        if type(string) is str:
            return string, string
        if isinstance(string, str):
            string = str.__str__(string)
            return string, string
        if _as_bytes(string) is not None:
            raise TypeError("cannot use a string pattern on a bytes-like object")
        raise _not_a_string(string)

    def _run(self, string, pos, endpos, mode):
        text, src = self._subject(string)
        pos, endpos = self._bounds(len(text), pos, endpos)
        if pos > endpos:
            return None
        regs = _native_match(self._handle, text, pos, endpos, mode)
        if regs is None:
            return None
        return _new_match(self, string, src, regs, pos, endpos)

    def search(self, string, pos=0, endpos=_MAXSIZE):
        """The first match anywhere in string[pos:endpos], or None."""
        return self._run(string, pos, endpos, 0)

    def match(self, string, pos=0, endpos=_MAXSIZE):
        """A match starting exactly at pos, or None."""
        return self._run(string, pos, endpos, 1)

    def fullmatch(self, string, pos=0, endpos=_MAXSIZE):
        """A match covering all of string[pos:endpos], or None."""
        return self._run(string, pos, endpos, 2)

    # -- iteration over successive matches --

    def _bounds(self, n, pos, endpos):
        pos = _index(pos)
        endpos = _index(endpos)
        if pos < 0:
            pos = 0
        elif pos > n:
            pos = n
        if endpos < 0:
            endpos = 0
        elif endpos > n:
            endpos = n
        return pos, endpos

    def _next(self, text, pos, endpos, must_advance):
        """The next match at or after pos, as the native's tuple, or None.

        must_advance is set after an empty match at pos: since Python 3.7 the next
        match may start at pos only if it is not empty (mode 3 asks the native for
        exactly that); otherwise the search goes on from the next character."""
        if not must_advance:
            return _native_match(self._handle, text, pos, endpos, 0)
        regs = _native_match(self._handle, text, pos, endpos, 3)
        if regs is not None:
            return regs
        if pos >= endpos:
            return None
        return _native_match(self._handle, text, pos + 1, endpos, 0)

    def finditer(self, string, pos=0, endpos=_MAXSIZE):
        """An iterator over the Match objects of all non-overlapping matches."""
        return iter(_Scanner(self, string, pos, endpos).search, None)

    def scanner(self, string, pos=0, endpos=_MAXSIZE):
        """An object whose match() and search() go through string match by match."""
        return _Scanner(self, string, pos, endpos)

    def findall(self, string, pos=0, endpos=_MAXSIZE):
        """All non-overlapping matches: the whole match when the pattern has no
        groups, the group when it has one, a tuple of the groups otherwise."""
        text, src = self._subject(string)
        pos, endpos = self._bounds(len(text), pos, endpos)
        groups = self.groups
        empty = src[:0]
        found = []
        must_advance = False
        while pos <= endpos:
            regs = self._next(text, pos, endpos, must_advance)
            if regs is None:
                break
            if groups == 0:
                found.append(src[regs[0]:regs[1]])
            elif groups == 1:
                start = regs[2]
                found.append(src[start:regs[3]] if start >= 0 else empty)
            else:
                item = []
                for g in range(1, groups + 1):
                    start = regs[2 * g]
                    item.append(src[start:regs[2 * g + 1]] if start >= 0 else empty)
                found.append(tuple(item))
            must_advance = regs[0] == regs[1]
            pos = regs[1]
        return found

    def split(self, string, maxsplit=0):
        """string cut at the matches, with the groups' text between the pieces."""
        text, src = self._subject(string)
        maxsplit = _index(maxsplit)
        groups = self.groups
        end = len(text)
        pieces = []
        count = 0
        last = pos = 0
        must_advance = False
        # A negative maxsplit allows no split at all.
        while (not maxsplit or count < maxsplit) and pos <= end:
            regs = self._next(text, pos, end, must_advance)
            if regs is None:
                break
            pieces.append(src[last:regs[0]])
            for g in range(1, groups + 1):
                start = regs[2 * g]
                pieces.append(src[start:regs[2 * g + 1]] if start >= 0 else None)
            count += 1
            must_advance = regs[0] == regs[1]
            last = pos = regs[1]
        pieces.append(src[last:end])
        return pieces

    def sub(self, repl, string, count=0):
        """string with the matches replaced by repl (a template or a function)."""
        return self._subx(repl, string, count)[0]

    def subn(self, repl, string, count=0):
        """(the new string, the number of replacements made)."""
        return self._subx(repl, string, count)

    def _template(self, repl):
        # Compiled templates are kept per pattern; the same few are used over and over.
        try:
            return self._templates[repl]
        except KeyError:
            pass
        except TypeError:                       # an unhashable bytearray template
            return _parse_template(repl, self)
        items = _parse_template(repl, self)
        if len(self._templates) >= 100:
            self._templates.clear()
        self._templates[repl] = items
        return items

    def _subx(self, repl, string, count):
        function = None
        literal = None
        items = None
        if callable(repl):
            function = repl
        else:
            # The template is checked before the subject (as in CPython).
            if isinstance(repl, str):
                plain = "\\" not in repl
            elif isinstance(repl, bytes):
                plain = b"\\" not in repl
            else:
                plain = False
            if plain:
                literal = repl
            else:
                items = self._template(repl)
                if not items:
                    literal = repl[:0]
                elif len(items) == 1 and not isinstance(items[0], int):
                    literal = items[0]
        text, src = self._subject(string)
        count = _index(count)
        empty = src[:0]
        end = len(text)
        pieces = []
        done = 0
        last = pos = 0
        must_advance = False
        # A negative count allows no replacement at all.
        while (not count or done < count) and pos <= end:
            regs = self._next(text, pos, end, must_advance)
            if regs is None:
                break
            start = regs[0]
            if last < start:
                pieces.append(src[last:start])
            if function is not None:
                piece = function(_new_match(self, string, src, regs, 0, end))
                if piece is not None:
                    pieces.append(piece)
            elif literal is not None:
                pieces.append(literal)
            else:
                pieces.append(_expand(items, regs, src, empty))
            done += 1
            must_advance = start == regs[1]
            last = pos = regs[1]
        if last < end:
            pieces.append(src[last:end])
        return empty.join(pieces), done

    # -- identity --

    def __repr__(self):
        flags = self.flags
        # re.UNICODE is the default for str patterns and is not shown for them.
        if not self._is_bytes and flags & (_L | _U | _A) == _U:
            flags &= ~_U
        names = []
        for name, bit in _REPR_FLAGS:
            if flags & bit:
                names.append(name)
                flags &= ~bit
        if flags:
            names.append("0x%x" % flags)
        text = repr(self.pattern)[:200]
        if names:
            return "re.compile(%s, %s)" % (text, "|".join(names))
        return "re.compile(%s)" % text

    def __eq__(self, other):
        if not isinstance(other, Pattern):
            return NotImplemented
        return (self is other or (self._is_bytes == other._is_bytes
                                  and self.flags == other.flags
                                  and self.pattern == other.pattern))

    def __hash__(self):
        return hash((self.pattern, self.flags))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return _compile, (self.pattern, self.flags)


class _Scanner:
    # CPython's SRE_Scanner: each match() or search() goes on where the last match
    # ended (after an empty match only a non-empty one may start there); after a
    # failure there are no more matches.

    def __init__(self, pattern, string, pos, endpos):
        self.pattern = pattern
        self._string = string
        self._text, self._src = pattern._subject(string)
        self._pos, self._endpos = pattern._bounds(len(self._text), pos, endpos)
        self._start = self._pos
        self._must_advance = False

    def _step(self, search):
        pos = self._pos
        if pos is None or pos > self._endpos:
            return None
        p = self.pattern
        if search:
            regs = p._next(self._text, pos, self._endpos, self._must_advance)
        else:
            regs = _native_match(p._handle, self._text, pos, self._endpos,
                                 3 if self._must_advance else 1)
        if regs is None:
            self._pos = None
            return None
        self._must_advance = regs[0] == regs[1]
        self._pos = regs[1]
        return _new_match(p, self._string, self._src, regs, self._start, self._endpos)

    def match(self):
        return self._step(False)

    def search(self):
        return self._step(True)


def _make_pattern(pattern, flags):
    if isinstance(pattern, str):
        is_bytes = False
        text = pattern if type(pattern) is str else str.__str__(pattern)
    elif isinstance(pattern, bytes):
        is_bytes = True
        text = _latin1(pattern)
    else:
        raise TypeError("first argument must be string or compiled pattern")
    _check_flags(flags, is_bytes)
    parsed, text = _parse(pattern, text, flags, is_bytes)
    # The pattern's flags: the argument, the global inline flags, and for str
    # patterns UNICODE unless ASCII is given. Of them the native only needs I, M
    # and S: the text has no verbose parts left, and the ASCII meanings of \w, \b
    # and case-folding (for bytes, and LOCALE taken as ASCII) are spelled out in it.
    all_flags = parsed.flags
    native_flags = all_flags & (_I | _M | _S)
    if not is_bytes and not all_flags & _A:
        all_flags |= _U
    try:
        handle = _native_compile(text, native_flags)[0]
    except ValueError as exc:
        raise _native_error(str(exc.args[0]) if exc.args else str(exc), pattern) from None
    p = object.__new__(Pattern)
    p.pattern = pattern
    p.flags = all_flags
    p.groups = len(parsed.widths) - 1
    p._groupindex = parsed.names
    p._handle = handle
    p._is_bytes = is_bytes
    p._templates = {}
    p._parents = parsed.parents
    return p


# ----- Match ----------------------------------------------------------------------------

class Match:
    """The result of a successful match: the groups and where they matched."""

    __class_getitem__ = classmethod(_class_getitem)

    def __init__(self, *args, **kwargs):
        raise TypeError("cannot create 're.Match' instances")

    def _group_number(self, group):
        if isinstance(group, int):
            g = int(group)
        else:
            method = getattr(type(group), "__index__", None)
            if method is not None:
                g = method(group)
            else:
                # CPython only looks names up when the pattern has named groups,
                # so an unhashable key is a TypeError only then.
                groupindex = self.re._groupindex
                g = groupindex.get(group, -1) if groupindex else -1
        if g < 0 or g > self.re.groups:
            raise IndexError("no such group")
        return g

    def _slice(self, g, default=None):
        regs = self._regs
        start = regs[2 * g]
        if start < 0:
            return default
        return self._src[start:regs[2 * g + 1]]

    def group(self, *groups):
        """group() is the whole match; group(g) a group by number or name (None if it
        did not take part); several arguments give a tuple."""
        if not groups:
            return self._slice(0)
        if len(groups) == 1:
            return self._slice(self._group_number(groups[0]))
        return tuple([self._slice(self._group_number(g)) for g in groups])

    def __getitem__(self, group):
        return self._slice(self._group_number(group))

    def groups(self, default=None):
        """All the groups from 1 up, default for those that did not take part."""
        return tuple([self._slice(g, default) for g in range(1, self.re.groups + 1)])

    def groupdict(self, default=None):
        """The named groups, name -> text (default when the group did not take part)."""
        return {name: self._slice(g, default) for name, g in self.re._groupindex.items()}

    def start(self, group=0, /):
        return self._regs[2 * self._group_number(group)]

    def end(self, group=0, /):
        return self._regs[2 * self._group_number(group) + 1]

    def span(self, group=0, /):
        g = self._group_number(group)
        return (self._regs[2 * g], self._regs[2 * g + 1])

    @property
    def regs(self):
        regs = self._regs
        return tuple([(regs[i], regs[i + 1]) for i in range(0, len(regs), 2)])

    def expand(self, template):
        """template with its group references filled in from this match."""
        items = _parse_template(template, self.re)
        # Joined with the subject's empty string: a template of the other type
        # fails the way joining str and bytes does.
        return _expand(items, self._regs, self._src, self._src[:0])

    @property
    def lastindex(self):
        """The number of the capturing group that closed last, or None."""
        regs = self._regs
        parents = None
        best = None
        best_end = -1
        for g in range(1, len(regs) // 2):
            if regs[2 * g] < 0:
                continue
            end = regs[2 * g + 1]
            if end > best_end:
                best = g
                best_end = end
            elif end == best_end:
                # Groups ending at the same place close innermost first, and a
                # group after another closes after it.
                if parents is None:
                    parents = self.re._parents
                outer = parents[g]
                while outer and outer != best:
                    outer = parents[outer]
                if outer != best:
                    best = g
        return best

    @property
    def lastgroup(self):
        """The name of the last group that closed, or None."""
        last = self.lastindex
        if last is None:
            return None
        for name, g in self.re._groupindex.items():
            if g == last:
                return name
        return None

    def __repr__(self):
        return "<re.Match object; span=(%d, %d), match=%s>" % (
            self._regs[0], self._regs[1], repr(self._slice(0))[:50])

    def __bool__(self):
        return True

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def _new_match(pattern, string, src, regs, pos, endpos):
    m = object.__new__(Match)
    m.re = pattern
    m.string = string
    m.pos = pos
    m.endpos = endpos
    m._src = src
    m._regs = regs
    return m


# ----- module functions -----------------------------------------------------------------

_cache = {}
_MAXCACHE = 512


def _compile(pattern, flags):
    if isinstance(flags, int):
        flags = int(flags)
    else:
        raise TypeError("unsupported operand type(s) for &: %r and 'RegexFlag'" % type(flags).__name__)
    if isinstance(pattern, Pattern):
        if flags:
            raise ValueError("cannot process flags argument with a compiled pattern")
        return pattern
    if not isinstance(pattern, (str, bytes)):
        raise TypeError("first argument must be string or compiled pattern")
    key = (type(pattern), pattern, flags)
    p = _cache.get(key)
    if p is not None:
        return p
    p = _make_pattern(pattern, flags)
    if not flags & _DEBUG:
        if len(_cache) >= _MAXCACHE:
            # Forget the oldest entry (dicts keep insertion order).
            del _cache[next(iter(_cache))]
        _cache[key] = p
    return p


def compile(pattern, flags=0):
    """Compile a pattern (str or bytes) into a Pattern object."""
    return _compile(pattern, flags)


def search(pattern, string, flags=0):
    """The first match of pattern anywhere in string, or None."""
    return _compile(pattern, flags).search(string)


def match(pattern, string, flags=0):
    """A match of pattern at the start of string, or None."""
    return _compile(pattern, flags).match(string)


def fullmatch(pattern, string, flags=0):
    """A match of pattern covering all of string, or None."""
    return _compile(pattern, flags).fullmatch(string)


def findall(pattern, string, flags=0):
    """All non-overlapping matches in string (see Pattern.findall)."""
    return _compile(pattern, flags).findall(string)


def finditer(pattern, string, flags=0):
    """An iterator over the Match objects of all non-overlapping matches."""
    return _compile(pattern, flags).finditer(string)


def sub(pattern, repl, string, count=0, flags=0):
    """string with the matches of pattern replaced by repl."""
    return _compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    """(sub()'s result, the number of replacements made)."""
    return _compile(pattern, flags).subn(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    """string split by the matches of pattern (see Pattern.split)."""
    return _compile(pattern, flags).split(string, maxsplit)


def template(pattern, flags=0):
    """Compile a template pattern (deprecated in CPython; kept for old code)."""
    return _compile(pattern, flags | _T)


def purge():
    """Forget the compiled patterns cached by the module functions."""
    _cache.clear()


class Scanner:
    """A simple tokenizer (undocumented, but in CPython's re): lexicon is a list of
    (pattern, action) pairs; scan() returns the actions' results and the rest."""

    def __init__(self, lexicon, flags=0):
        self.lexicon = lexicon
        # One group per phrase: the group that matched (lastindex) picks the action.
        self.scanner = _compile("|".join(["(%s)" % phrase for phrase, _ in lexicon]), flags)

    def scan(self, string):
        result = []
        match = self.scanner.scanner(string).match
        i = 0
        while True:
            m = match()
            if not m:
                break
            j = m.end()
            if i == j:
                break
            action = self.lexicon[m.lastindex - 1][1]
            if callable(action):
                self.match = m
                action = action(self, m.group())
            if action is not None:
                result.append(action)
            i = j
        return result, string[i:]


# The characters escape() puts a backslash before: those with a meaning somewhere in
# the pattern syntax, and the whitespace that verbose mode would drop.
_SPECIAL_CHARS = frozenset("()[]{}?*+-|^$\\.&~# \t\n\r\v\f")


def escape(pattern):
    """pattern with every special character backslash-escaped."""
    if isinstance(pattern, str):
        special = _SPECIAL_CHARS
        return "".join(["\\" + c if c in special else c for c in pattern])
    data = _as_bytes(pattern)
    if data is None:
        raise TypeError("decoding to str: need a bytes-like object, %s found"
                        % type(pattern).__name__)
    return escape(_latin1(data)).encode("latin-1")
