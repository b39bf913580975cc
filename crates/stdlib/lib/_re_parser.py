"""The pattern parser of pyvm's re module, kept in its own file for size: it checks a
pattern the way CPython's re._parser does (so errors carry CPython's messages and
positions) and rewrites it into the plain form the native `_re` engine translates.
re imports it once its flags and `error` exist; this module takes those from re."""

from re import error, _A, _I, _L, _M, _S, _T, _U, _X

# ----- pattern parsing ------------------------------------------------------------------
# The pattern is parsed here the way CPython's re._parser parses it, for two reasons.
# The errors (message and position) come out as CPython's: duplicate group names,
# unknown group references, bad ranges, variable-width look-behinds and so on, which
# the engine under the native would report in its own words or not at all. And the
# native gets the pattern rewritten into a plain form that it translates faithfully:
# verbose whitespace and comments dropped (the native gets no VERBOSE flag), groups
# unnamed and referenced by number, every literal escaped, and the constructs whose
# meaning depends on a flag that can be scoped ((?a:\w), (?m:$)) spelled out. The
# parse also yields the global flags and which group encloses which (for lastindex).

_INLINE_FLAGS = {"a": _A, "i": _I, "L": _L, "m": _M, "s": _S, "u": _U, "x": _X, "t": _T}
_TYPE_FLAGS = _A | _L | _U
_WHITESPACE = frozenset(" \t\n\r\v\f")
_SPECIAL = frozenset(".\\[{()*+?^$|")
_HEXDIGITS = frozenset("0123456789abcdefABCDEF")
_DIGIT_SET = frozenset("0123456789")
_OCT_SET = frozenset("01234567")
_ESCAPE_CODES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
# Characters the native's syntax needs escaped, outside and inside a class.
_META = frozenset("\\.+*?()|[]{}^$#&-~")
_CLASS_META = frozenset("\\[]^-&~")
_MAXREPEAT = 4294967295
_MAXGROUPS = 1073741823
_ASCII_SETS = {"d": "0-9", "w": "0-9A-Za-z_", "s": " \\t\\n\\r\\f\\v"}
# (ASCII classes have case-folding off: under IGNORECASE the engine would add the
# Kelvin sign and the long s to them.)
_WORD = "(?-i:[0-9A-Za-z_])"
# \b and \B with ASCII word characters: the engine's own ASCII \b cannot be used on
# the str the native searches. \B never matches in an empty string (as in sre).
_ASCII_BOUNDARY = "(?:(?<=%s)(?!%s)|(?<!%s)(?=%s))" % (_WORD, _WORD, _WORD, _WORD)
_ASCII_NONBOUNDARY = "(?!\\A\\Z)(?:(?<=%s)(?=%s)|(?<!%s)(?!%s))" % (_WORD, _WORD, _WORD, _WORD)
# Python's $ (end, or before a final newline) and multiline $, without a "$" the
# native would reinterpret with its global MULTILINE setting.
_END = "(?:(?=\\n\\Z)|\\Z)"
_END_MULTILINE = "(?=\\n|\\Z)"
# Items of a sequence: (kind, text for the native, min width, max width).
_UNIT, _AT, _REPEAT = 0, 1, 2
_GLOBAL_FLAGS = object()
_name_chars = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -")


def _lit(code, in_class):
    """A character as the native's syntax writes it literally."""
    c = chr(code)
    if code < 32 or code == 127:
        return "\\x%02x" % code
    if c in (_CLASS_META if in_class else _META):
        return "\\" + c
    return c


def _category(c, in_class, ascii):
    # \d \w \s and their negations. In ASCII mode they are spelled out (the
    # negations inside a class by charset()); Python's str \s also takes
    # \x1c-\x1f, which the engine's \s does not.
    low = c.lower()
    if ascii:
        if c != low:
            return "(?-i:[^%s])" % _ASCII_SETS[low]
        return _ASCII_SETS[low] if in_class else "(?-i:[%s])" % _ASCII_SETS[low]
    if c == "s":
        return "\\s\\x1c-\\x1f" if in_class else "[\\s\\x1c-\\x1f]"
    if c == "S":
        return "[^\\s\\x1c-\\x1f]"
    return "\\" + c


def _lookup_name(name):
    """The character named by \\N{name}."""
    try:
        import unicodedata
    except ImportError:
        # pyvm has no unicodedata, but its compiler knows the names of "\N{...}"
        # escapes; the name is checked to be letters, digits, spaces and hyphens.
        if not name or not all([c in _name_chars for c in name]):
            raise KeyError(name) from None
        try:
            return eval('"\\N{%s}"' % name)
        except SyntaxError:
            raise KeyError(name) from None
    return unicodedata.lookup(name)


class _Parser:
    # A port of re._parser's Tokenizer and parse functions, producing native text.

    def __init__(self, pattern, text, flags, is_bytes):
        self.pattern = pattern
        self.text = text
        self.n = len(text)
        self.is_bytes = is_bytes
        self.flags = flags              # the argument and the global inline flags
        self.widths = [None]            # per group: (min, max) once it is closed
        self.names = {}
        self.parents = [0]              # per group: the capturing group around it
        self.current = 0
        self.lookbehind = None          # the group count where a look-behind began
        self.refpos = {}                # conditional group number -> its position
        self.bad_lookbehind = False
        self.index = 0
        self._advance()

    # -- tokens: one character, or a backslash and the character after it --

    def _advance(self):
        i = self.index
        if i >= self.n:
            self.next = None
            return
        c = self.text[i]
        if c == "\\":
            if i + 1 >= self.n:
                raise error("bad escape (end of pattern)", self.pattern, self.n - 1)
            c = self.text[i:i + 2]
        self.index = i + len(c)
        self.next = c

    def get(self):
        this = self.next
        self._advance()
        return this

    def match(self, c):
        if c == self.next:
            self._advance()
            return True
        return False

    def tell(self):
        return self.index - len(self.next or "")

    def error(self, msg, offset=0):
        if self.is_bytes:
            msg = msg.encode("ascii", "backslashreplace").decode("ascii")
        return error(msg, self.pattern, self.tell() - offset)

    def getwhile(self, count, charset):
        result = ""
        for _ in range(count):
            c = self.next
            if c not in charset:
                break
            result += c
            self._advance()
        return result

    def getuntil(self, terminator, name):
        result = ""
        while True:
            c = self.next
            self._advance()
            if c is None:
                if not result:
                    raise self.error("missing " + name)
                raise self.error("missing %s, unterminated name" % terminator, len(result))
            if c == terminator:
                if not result:
                    raise self.error("missing " + name, 1)
                return result
            result += c

    def checkname(self, name, offset):
        if not name.isidentifier():
            raise self.error("bad character in group name %r" % name, len(name) + offset)

    def closed(self, gid):
        return gid < len(self.widths) and self.widths[gid] is not None

    def check_lookbehind(self, gid):
        if self.lookbehind is not None:
            if not self.closed(gid):
                raise self.error("cannot refer to an open group")
            if gid >= self.lookbehind:
                raise self.error("cannot refer to group defined in the same "
                                 "lookbehind subpattern")

    def groupref(self, gid):
        # By number: the native turns (?P=12) into a named-or-numbered reference.
        return (_UNIT, "(?:(?P=%d))" % gid) + self.widths[gid]

    # -- the grammar --

    def alt(self, verbose, nested, scope):
        """a|b|c -> (text, min width, max width)."""
        texts = []
        lo, hi = _MAXREPEAT - 1, 0
        while True:
            text, l, h = self.seq(verbose, nested + 1, not nested and not texts, scope)
            texts.append(text)
            lo = min(lo, l)
            hi = max(hi, h)
            if not self.match("|"):
                break
            if not nested:
                verbose = self.flags & _X
                scope = self.flags
        return "|".join(texts), lo, hi

    def seq(self, verbose, nested, first, scope):
        items = []
        while True:
            this = self.next
            if this is None or this == "|" or this == ")":
                break
            self._advance()
            if verbose:
                if this in _WHITESPACE:
                    continue
                if this == "#":
                    while True:
                        this = self.get()
                        if this is None or this == "\n":
                            break
                    continue
            if this[0] == "\\":
                items.append(self.escape(this, scope))
            elif this not in _SPECIAL:
                items.append((_UNIT, self.literal(ord(this), scope), 1, 1))
            elif this == "[":
                items.append((_UNIT, self.charset(scope), 1, 1))
            elif this in "*+?{":
                self.repeat(this, items)
            elif this == ".":
                items.append((_UNIT, ".", 1, 1))
            elif this == "(":
                item = self.group(verbose, nested, first and not items, scope)
                if item is _GLOBAL_FLAGS:
                    verbose = self.flags & _X
                    scope = self.flags
                elif item is not None:
                    items.append(item)
            elif this == "^":
                items.append((_AT, "^", 0, 0))
            else:
                items.append((_AT, _END_MULTILINE if scope & _M else _END, 0, 0))
        return ("".join([item[1] for item in items]),
                min(sum([item[2] for item in items]), _MAXREPEAT - 1),
                min(sum([item[3] for item in items]), _MAXREPEAT))

    def literal(self, code, scope):
        text = _lit(code, False)
        if scope & _I and (self.is_bytes or scope & _A):
            # ASCII case-folding: other characters match only themselves, and the
            # ASCII k and s not the engine's Kelvin sign and long s.
            if code >= 128:
                return "(?-i:%s)" % text
            if text in "kKsS" and not self.is_bytes:
                return "(?-i:[%s%s])" % (text.lower(), text.upper())
        return text

    def escape(self, esc, scope):
        c = esc[1]
        ascii = self.is_bytes or scope & _A
        if c in "dDwWsS":
            return (_UNIT, _category(c, False, ascii), 1, 1)
        if c == "b" or c == "B":
            if ascii:
                return (_AT, _ASCII_BOUNDARY if c == "b" else _ASCII_NONBOUNDARY, 0, 0)
            return (_AT, "\\b" if c == "b" else "(?!\\A\\Z)\\B", 0, 0)
        if c == "A" or c == "Z":
            return (_AT, esc, 0, 0)
        code = self.char_escape(esc, False)
        if code >= 0:
            return (_UNIT, self.literal(code, scope), 1, 1)
        # A group reference (one or two digits), or an octal escape (three digits).
        if self.next in _DIGIT_SET:
            esc += self.get()
            if esc[1] in _OCT_SET and esc[2] in _OCT_SET and self.next in _OCT_SET:
                esc += self.get()
                code = int(esc[1:], 8)
                if code > 0o377:
                    raise self.error("octal escape value %s outside of range 0-0o377"
                                     % esc, len(esc))
                return (_UNIT, self.literal(code, scope), 1, 1)
        group = int(esc[1:])
        if group < len(self.widths):
            if not self.closed(group):
                raise self.error("cannot refer to an open group", len(esc))
            self.check_lookbehind(group)
            return self.groupref(group)
        raise self.error("invalid group reference %d" % group, len(esc) - 1)

    def char_escape(self, esc, in_class):
        """The code of the character a backslash escape stands for; -1 for the digits
        that start a group reference (outside a class)."""
        c = esc[1]
        code = _ESCAPE_CODES.get(c)
        if code is not None:
            return code
        try:
            if c == "x":
                esc += self.getwhile(2, _HEXDIGITS)
                if len(esc) != 4:
                    raise self.error("incomplete escape %s" % esc, len(esc))
                return int(esc[2:], 16)
            if (c == "u" or c == "U") and not self.is_bytes:
                size = 6 if c == "u" else 10
                esc += self.getwhile(size - 2, _HEXDIGITS)
                if len(esc) != size:
                    raise self.error("incomplete escape %s" % esc, len(esc))
                code = int(esc[2:], 16)
                chr(code)                       # ValueError: "bad escape"
                return code
            if c == "N" and not self.is_bytes:
                if not self.match("{"):
                    raise self.error("missing {")
                name = self.getuntil("}", "character name")
                try:
                    return ord(_lookup_name(name))
                except (KeyError, TypeError):
                    raise self.error("undefined character name %r" % name,
                                     len(name) + 4) from None
            if c in _OCT_SET and (in_class or c == "0"):
                esc += self.getwhile(2, _OCT_SET)
                code = int(esc[1:], 8)
                if code > 0o377:
                    raise self.error("octal escape value %s outside of range 0-0o377"
                                     % esc, len(esc))
                return code
            if c in _DIGIT_SET:
                if in_class:
                    raise ValueError
                return -1
            if c not in _ASCII_LETTERS:
                return ord(c)
        except ValueError:
            pass
        raise self.error("bad escape %s" % esc, len(esc))

    def charset(self, scope):
        here = self.tell() - 1
        ascii = self.is_bytes or scope & _A
        # With ASCII and IGNORECASE only ASCII letters match either case, but the
        # engine would fold the others too (é and É, k and the Kelvin sign): such a
        # class is given with folding off and the other case of its ASCII letters.
        fold = ascii and scope & _I
        negate = self.match("^")
        parts = []      # the members, in the native's class syntax
        outside = []    # negated sets (ASCII \W \D \S, str \S), not nestable in a class
        count = 0
        while True:
            this = self.get()
            if this is None:
                raise self.error("unterminated character set", self.tell() - here)
            if this == "]" and count:
                break
            count += 1
            if this[0] == "\\":
                code1 = this[1] if this[1] in "dDwWsS" else self.char_escape(this, True)
            else:
                code1 = ord(this)
            code2 = code1
            done = False
            if self.match("-"):
                that = self.get()
                if that is None:
                    raise self.error("unterminated character set", self.tell() - here)
                if that == "]":
                    parts.append("\\-")           # a "-" before the "]" is literal
                    done = True
                else:
                    if that[0] == "\\":
                        code2 = "" if that[1] in "dDwWsS" else self.char_escape(that, True)
                    else:
                        code2 = ord(that)
                    if isinstance(code1, str) or isinstance(code2, str) or code2 < code1:
                        raise self.error("bad character range %s-%s" % (this, that),
                                         len(this) + 1 + len(that))
            if isinstance(code1, str):
                if code1 in "DWS" and (ascii or code1 == "S"):
                    outside.append(_ASCII_SETS[code1.lower()] if ascii else "\\s\\x1c-\\x1f")
                else:
                    parts.append(_category(code1, True, ascii))
            else:
                parts.append(_lit(code1, True) + ("-" + _lit(code2, True) if code2 != code1 else ""))
                if fold:
                    for low, high, shift in ((97, 122, -32), (65, 90, 32)):
                        low, high = max(code1, low), min(code2, high)
                        if low <= high:
                            parts.append(chr(low + shift) + "-" + chr(high + shift))
            if done:
                break
        parts = "".join(parts)
        if outside:
            # [X\W] is [X] or [^\w]; [^X\W] is not [X] and [\w].
            if negate:
                text = "(?![%s])" % parts if parts else ""
                text = "(?:%s%s[\\s\\S])" % (text, "".join(["(?=[%s])" % s for s in outside]))
            else:
                alts = (["[%s]" % parts] if parts else []) + ["[^%s]" % s for s in outside]
                text = "(?:%s)" % "|".join(alts)
        else:
            text = "[%s%s]" % ("^" if negate else "", parts)
        return "(?-i:%s)" % text if fold or outside and ascii else text

    def repeat(self, this, items):
        here = self.tell()
        if this == "?":
            lo, hi = 0, 1
        elif this == "*":
            lo, hi = 0, _MAXREPEAT
        elif this == "+":
            lo, hi = 1, _MAXREPEAT
        else:
            # {m,n}; a "{" that does not start a repeat is a literal.
            if self.next == "}":
                items.append((_UNIT, "\\{", 1, 1))
                return
            low = self.getwhile(_MAXREPEAT, _DIGIT_SET)
            high = self.getwhile(_MAXREPEAT, _DIGIT_SET) if self.match(",") else low
            if not self.match("}"):
                items.append((_UNIT, "\\{", 1, 1))
                self.index = here
                self._advance()
                return
            lo, hi = 0, _MAXREPEAT
            if low:
                lo = int(low)
                if lo >= _MAXREPEAT:
                    raise OverflowError("the repetition number is too large")
            if high:
                hi = int(high)
                if hi >= _MAXREPEAT:
                    raise OverflowError("the repetition number is too large")
                if hi < lo:
                    raise self.error("min repeat greater than max repeat", self.tell() - here)
        item = items[-1] if items else None
        if item is None or item[0] == _AT:
            raise self.error("nothing to repeat", self.tell() - here + len(this))
        if item[0] == _REPEAT:
            raise self.error("multiple repeat", self.tell() - here + len(this))
        suffix = "?" if self.match("?") else "+" if self.match("+") else ""
        kind, text, ilo, ihi = item
        if hi == 0:
            text = "(?:(?!)%s|)" % text         # never tried; its groups stay unset
        elif ihi == 0:
            # The engine refuses to repeat what can only match the empty string
            # ((?:)*, (?=a)+); for sre that is the item, once or optionally.
            if lo == 0:
                text = "(?:|%s)" % text if suffix == "?" else "(?:%s|)" % text
        elif this != "{":
            text += this + suffix
        elif hi == _MAXREPEAT:
            text += "{%d,}%s" % (lo, suffix)
        else:
            text += "{%d,%d}%s" % (lo, hi, suffix)
        items[-1] = (_REPEAT, text, min(ilo * lo, _MAXREPEAT - 1), min(ihi * hi, _MAXREPEAT))

    def group(self, verbose, nested, first, scope):
        start = self.tell() - 1
        head = "("
        capture = True
        name = None
        add = remove = 0
        if self.match("?"):
            char = self.get()
            if char is None:
                raise self.error("unexpected end of pattern")
            if char == "P":
                if self.match("<"):
                    name = self.getuntil(">", "group name")
                    self.checkname(name, 1)
                elif self.match("="):
                    name = self.getuntil(")", "group name")
                    self.checkname(name, 1)
                    gid = self.names.get(name)
                    if gid is None:
                        raise self.error("unknown group name %r" % name, len(name) + 1)
                    if not self.closed(gid):
                        raise self.error("cannot refer to an open group", len(name) + 1)
                    self.check_lookbehind(gid)
                    return self.groupref(gid)
                else:
                    char = self.get()
                    if char is None:
                        raise self.error("unexpected end of pattern")
                    raise self.error("unknown extension ?P" + char, len(char) + 2)
            elif char == ":" or char == ">":
                head = "(?" + char
                capture = False
            elif char == "#":
                while True:
                    if self.next is None:
                        raise self.error("missing ), unterminated comment",
                                         self.tell() - start)
                    if self.get() == ")":
                        return None
            elif char == "=" or char == "!" or char == "<":
                return self.lookaround(char, verbose, nested, scope, start)
            elif char == "(":
                return self.conditional(verbose, nested, scope, start)
            elif char in _INLINE_FLAGS or char == "-":
                flags = self.inline_flags(char)
                if flags is None:
                    if not first:
                        raise self.error("global flags not at the start of the expression",
                                         self.tell() - start)
                    return _GLOBAL_FLAGS
                add, remove = flags
                capture = False
                on = "".join([f for f in "ims" if add & _INLINE_FLAGS[f]])
                off = "".join([f for f in "ims" if remove & _INLINE_FLAGS[f]])
                head = "(?%s%s:" % (on, "-" + off if off else "")
                if add & _TYPE_FLAGS:
                    scope &= ~_TYPE_FLAGS
                scope = (scope | add) & ~remove
            else:
                raise self.error("unknown extension ?" + char, len(char) + 1)
        if capture:
            gid = len(self.widths)
            if gid >= _MAXGROUPS:
                raise self.error("too many groups")
            if name is not None:
                if name in self.names:
                    raise self.error("redefinition of group name %r as group %d; was group %d"
                                     % (name, gid, self.names[name]), len(name) + 1)
                self.names[name] = gid
            self.widths.append(None)
            self.parents.append(self.current)
            outer = self.current
            self.current = gid
        sub_verbose = (verbose or add & _X) and not remove & _X
        text, lo, hi = self.alt(sub_verbose, nested + 1, scope)
        if not self.match(")"):
            raise self.error("missing ), unterminated subpattern", self.tell() - start)
        if capture:
            self.widths[gid] = (lo, hi)
            self.current = outer
        return (_UNIT, head + text + ")", lo, hi)

    def lookaround(self, char, verbose, nested, scope, start):
        behind = char == "<"
        if behind:
            char = self.get()
            if char is None:
                raise self.error("unexpected end of pattern")
            if char != "=" and char != "!":
                raise self.error("unknown extension ?<" + char, len(char) + 2)
            outer = self.lookbehind
            if outer is None:
                self.lookbehind = len(self.widths)
        text, lo, hi = self.alt(verbose, nested + 1, scope)
        if behind:
            if outer is None:
                self.lookbehind = None
            if lo != hi:
                self.bad_lookbehind = True
        if not self.match(")"):
            raise self.error("missing ), unterminated subpattern", self.tell() - start)
        return (_UNIT, "(?%s%s%s)" % ("<" if behind else "", char, text), 0, 0)

    def conditional(self, verbose, nested, scope, start):
        name = self.getuntil(")", "group name")
        if name.isidentifier():
            self.checkname(name, 1)
            gid = self.names.get(name)
            if gid is None:
                raise self.error("unknown group name %r" % name, len(name) + 1)
        else:
            try:
                gid = int(name)
                if gid < 0:
                    raise ValueError
            except ValueError:
                raise self.error("bad character in group name %r" % name,
                                 len(name) + 1) from None
            if not gid:
                raise self.error("bad group number", len(name) + 1)
            if gid >= _MAXGROUPS:
                raise self.error("invalid group reference %d" % gid, len(name) + 1)
            if gid not in self.refpos:
                self.refpos[gid] = self.tell() - len(name) - 1
        self.check_lookbehind(gid)
        yes, lo, hi = self.seq(verbose, nested + 1, False, scope)
        if self.match("|"):
            no, l, h = self.seq(verbose, nested + 1, False, scope)
            if self.next == "|":
                raise self.error("conditional backref with more than two branches")
            text = "(?(%d)%s|%s)" % (gid, yes, no)
            lo, hi = min(lo, l), max(hi, h)
        else:
            text = "(?(%d)%s)" % (gid, yes)
            lo = 0
        if not self.match(")"):
            raise self.error("missing ), unterminated subpattern", self.tell() - start)
        return (_UNIT, text, lo, hi)

    def inline_flags(self, char):
        """(?flags) -> None (the flags are global); (?on-off:...) -> (on, off)."""
        add = remove = 0
        if char != "-":
            while True:
                flag = _INLINE_FLAGS[char]
                if not self.is_bytes and char == "L":
                    raise self.error("bad inline flags: cannot use 'L' flag with a str pattern")
                if self.is_bytes and char == "u":
                    raise self.error("bad inline flags: cannot use 'u' flag with a bytes pattern")
                add |= flag
                if flag & _TYPE_FLAGS and add & _TYPE_FLAGS != flag:
                    raise self.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible")
                char = self.get()
                if char is None:
                    raise self.error("missing -, : or )")
                if char in (")", "-", ":"):
                    break
                if char not in _INLINE_FLAGS:
                    msg = "unknown flag" if char.isalpha() else "missing -, : or )"
                    raise self.error(msg, len(char))
        if char == ")":
            self.flags |= add
            return None
        if add & _T:
            raise self.error("bad inline flags: cannot turn on global flag", 1)
        if char == "-":
            char = self.get()
            if char is None:
                raise self.error("missing flag")
            if char not in _INLINE_FLAGS:
                raise self.error("unknown flag" if char.isalpha() else "missing flag", len(char))
            while True:
                flag = _INLINE_FLAGS[char]
                if flag & _TYPE_FLAGS:
                    raise self.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'")
                remove |= flag
                char = self.get()
                if char is None:
                    raise self.error("missing :")
                if char == ":":
                    break
                if char not in _INLINE_FLAGS:
                    raise self.error("unknown flag" if char.isalpha() else "missing :", len(char))
        if remove & _T:
            raise self.error("bad inline flags: cannot turn off global flag", 1)
        if add & remove:
            raise self.error("bad inline flags: flag turned on and off", 1)
        return add, remove


def _parse(pattern, text, flags, is_bytes):
    """Parse a pattern: (the parser with its findings, the text for the native)."""
    p = _Parser(pattern, text, flags, is_bytes)
    out = p.alt(flags & _X, 0, flags)[0]
    _check_flags(p.flags, is_bytes)
    if p.next is not None:
        raise p.error("unbalanced parenthesis")
    for gid, pos in p.refpos.items():
        if gid >= len(p.widths):
            raise error("invalid group reference %d" % gid, pattern, pos)
    if p.bad_lookbehind:
        raise error("look-behind requires fixed-width pattern")
    return p, out


_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _check_flags(flags, is_bytes):
    # Contradictory flags are a ValueError (not re.error), as in CPython. They are
    # checked on the argument before the pattern goes to the native, and again
    # with the inline flags added afterwards.
    if is_bytes:
        if flags & _U:
            raise ValueError("cannot use UNICODE flag with a bytes pattern")
        if flags & _L and flags & _A:
            raise ValueError("ASCII and LOCALE flags are incompatible")
    else:
        if flags & _L:
            raise ValueError("cannot use LOCALE flag with a str pattern")
        if flags & _A and flags & _U:
            raise ValueError("ASCII and UNICODE flags are incompatible")
    return flags
