"""JSON encoding and decoding, written for pyvm (its own implementation of the json module).

dumps()/dump()/JSONEncoder and loads()/load()/JSONDecoder behave as CPython 3.11's,
including the exact error messages and positions of JSONDecodeError and the chunks
that iterencode() yields (dump() writes the same pieces).

pyvm has no C accelerator, so both halves lean on string methods that run natively:
strings are escaped by str.translate() with a table that fills itself in, and the
decoder splits the document on '"' once, so that a string's contents are whole pieces
(split again on backslashes only when there are escapes) and only the text between
strings is walked character by character.
"""

__version__ = "2.0.9"
__all__ = ["dump", "dumps", "load", "loads", "JSONDecoder", "JSONDecodeError", "JSONEncoder"]

import sys as _sys

_INF = float("inf")
_WS = " \t\n\r"
_HEXDIGITS = "0123456789abcdefABCDEF"


# ----- errors ---------------------------------------------------------------------------

class JSONDecodeError(ValueError):
    """Invalid JSON: msg is the problem, doc the document, pos where it is (also as
    lineno and colno, counted from 1)."""

    __module__ = "json.decoder"

    def __init__(self, msg, doc, pos):
        lineno = doc.count("\n", 0, pos) + 1
        colno = pos - doc.rfind("\n", 0, pos)
        ValueError.__init__(self, "%s: line %d column %d (char %d)" % (msg, lineno, colno, pos))
        self.msg, self.doc, self.pos, self.lineno, self.colno = msg, doc, pos, lineno, colno

    def __reduce__(self):
        return self.__class__, (self.msg, self.doc, self.pos)


# ----- encoding strings ---------------------------------------------------------------

# Characters that are escaped with or without ensure_ascii.
_BASIC = {ord('"'): '\\"', ord("\\"): "\\\\", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t"}
_BASIC.update({c: "\\u%04x" % c for c in range(32) if c not in _BASIC})


class _AsciiTable(dict):
    """Translation table for ensure_ascii: printable ASCII maps to itself, everything
    else to \\uXXXX (a surrogate pair above the BMP). Entries are made on first use."""

    def __missing__(self, code):
        if code < 0x7F:
            text = chr(code)
        elif code < 0x10000:
            text = "\\u%04x" % code
        else:
            v = code - 0x10000
            text = "\\u%04x\\u%04x" % (0xD800 | (v >> 10), 0xDC00 | (v & 0x3FF))
        self[code] = text
        return text


_ASCII_TABLE = _AsciiTable(_BASIC)


def encode_basestring(s):
    """s as a JSON string literal; only quotes, backslashes and control characters are escaped."""
    if s.isprintable() and '"' not in s and "\\" not in s:
        return '"' + s + '"'
    return '"' + s.translate(_BASIC) + '"'


def encode_basestring_ascii(s):
    """s as a JSON string literal made only of printable ASCII characters."""
    if s.isascii() and s.isprintable() and '"' not in s and "\\" not in s:
        return '"' + s + '"'
    return '"' + s.translate(_ASCII_TABLE) + '"'


# ----- the encoder ------------------------------------------------------------------------

class JSONEncoder:
    """Python data -> JSON text; other objects go through default(), which a subclass
    may override."""

    __module__ = "json.encoder"
    item_separator = ", "
    key_separator = ": "

    def __init__(self, *, skipkeys=False, ensure_ascii=True, check_circular=True,
                 allow_nan=True, sort_keys=False, indent=None, separators=None, default=None):
        self.skipkeys = skipkeys
        self.ensure_ascii = ensure_ascii
        self.check_circular = check_circular
        self.allow_nan = allow_nan
        self.sort_keys = sort_keys
        self.indent = indent
        if separators is not None:
            self.item_separator, self.key_separator = separators
        elif indent is not None:
            self.item_separator = ","
        if default is not None:
            self.default = default

    def default(self, o):
        """Return something serializable for o, or raise TypeError (as here)."""
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")

    def encode(self, o):
        """The JSON text of o, as one string."""
        if isinstance(o, str):
            return encode_basestring_ascii(o) if self.ensure_ascii else encode_basestring(o)
        chunks = self.iterencode(o, _one_shot=True)
        if not isinstance(chunks, (list, tuple)):
            chunks = list(chunks)
        return "".join(chunks)

    def iterencode(self, o, _one_shot=False):
        """The JSON text of o, as a generator of pieces."""
        markers = {} if self.check_circular else None
        escape = encode_basestring_ascii if self.ensure_ascii else encode_basestring
        allow_nan = self.allow_nan
        # CPython's C encoder (used for one-shot encoding without indent) words the
        # out-of-range error without the value.
        plain_message = _one_shot and self.indent is None

        def floatstr(f):
            if f != f:
                text = "NaN"
            elif f == _INF:
                text = "Infinity"
            elif f == -_INF:
                text = "-Infinity"
            else:
                return float.__repr__(f)
            if not allow_nan:
                msg = "Out of range float values are not JSON compliant"
                raise ValueError(msg if plain_message else msg + ": " + repr(f))
            return text

        return _iterencoder(markers, self.default, escape, floatstr, self.indent,
                            self.key_separator, self.item_separator, self.sort_keys,
                            self.skipkeys)(o, 0)


def _iterencoder(markers, default, escape, floatstr, indent, key_sep, item_sep,
                 sort_keys, skipkeys):
    """Make the generator function that encodes a value at a nesting level."""
    if indent is not None and not isinstance(indent, str):
        indent = " " * indent
    int_repr = int.__repr__

    def enter(o):
        if markers is not None:
            if id(o) in markers:
                raise ValueError("Circular reference detected")
            markers[id(o)] = o

    def leave(o):
        if markers is not None:
            del markers[id(o)]

    def scalar(o):
        # The text of a value that is not a container, or None.
        if isinstance(o, str):
            return escape(o)
        if o is None or o is True or o is False:
            return "null" if o is None else "true" if o else "false"
        if isinstance(o, int):
            return int_repr(o)
        if isinstance(o, float):
            return floatstr(o)
        return None

    def encode_list(lst, level):
        if not lst:
            yield "[]"
            return
        enter(lst)
        buf, sep = "[", item_sep
        if indent is not None:
            level += 1
            newline = "\n" + indent * level
            buf, sep = buf + newline, sep + newline
        for item in lst:
            text = scalar(item)
            if text is not None:
                yield buf + text
            else:
                yield buf
                yield from encode_value(item, level)
            buf = sep
        if indent is not None:
            yield "\n" + indent * (level - 1)
        yield "]"
        leave(lst)

    def encode_dict(dct, level):
        if not dct:
            yield "{}"
            return
        enter(dct)
        yield "{"
        sep = item_sep
        if indent is not None:
            level += 1
            newline = "\n" + indent * level
            sep += newline
            yield newline
        first = True
        for key, item in (sorted(dct.items()) if sort_keys else dct.items()):
            if isinstance(key, str):
                pass
            elif isinstance(key, float):
                key = floatstr(key)
            elif key is True or key is False or key is None:
                key = scalar(key)
            elif isinstance(key, int):
                key = int_repr(key)
            elif skipkeys:
                continue
            else:
                raise TypeError("keys must be str, int, float, bool or None, not "
                                + key.__class__.__name__)
            if first:
                first = False
            else:
                yield sep
            yield escape(key)
            yield key_sep
            text = scalar(item)
            if text is not None:
                yield text
            else:
                yield from encode_value(item, level)
        if indent is not None:
            yield "\n" + indent * (level - 1)
        yield "}"
        leave(dct)

    def encode_value(o, level):
        text = scalar(o)
        if text is not None:
            yield text
        elif isinstance(o, (list, tuple)):
            yield from encode_list(o, level)
        elif isinstance(o, dict):
            yield from encode_dict(o, level)
        else:
            enter(o)
            yield from encode_value(default(o), level)
            leave(o)

    return encode_value


# ----- decoding strings ------------------------------------------------------------------

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _char(code):
    try:
        return chr(code)
    except ValueError:
        # pyvm's str cannot hold a lone surrogate (\ud800 without its pair).
        return "\ufffd"


def _hex4(chunk, at_end):
    """The code of the \\u escape starting chunk ('u' and four hex digits), or -1.
    at_end: the chunk ends the document (the four digits must not be its last characters)."""
    digits = chunk[1:5]
    if len(digits) != 4 or (at_end and len(chunk) == 5):
        return -1
    for ch in digits:
        if ch not in _HEXDIGITS:
            return -1
    return int(digits, 16)


def _check_controls(doc, text, start):
    """Strict mode: no raw control character in text (which starts at doc[start])."""
    for offset, ch in enumerate("" if text.isprintable() else text):
        if ch < " ":
            raise JSONDecodeError("Invalid control character at", doc, start + offset)


def _unescape(doc, raw, start, strict, terminated):
    """Decode the contents raw of a string literal that starts at doc[start]. A
    string without its closing quote (terminated false) runs to the end of doc; for
    it this only raises the first error, if any, before the end."""
    chunks = raw.split("\\")
    check = strict and not raw.isprintable()
    count = len(chunks)
    out = []
    lit = chunks[0]             # the literal text after an escape
    litpos = start              # where it starts in doc
    x = 1
    while True:
        if check:
            _check_controls(doc, lit, litpos)
        out.append(lit)
        if x >= count:
            break
        pos = litpos + len(lit)     # the backslash before chunks[x]
        chunk = chunks[x]
        if not chunk:
            # An escaped backslash: the text after the second backslash is literal.
            if x + 1 == count:
                return None         # a lone backslash at the end of the document
            out.append("\\")
            x += 1
            lit = chunks[x]
            litpos = pos + 2
        else:
            esc = chunk[0]
            if esc == "u":
                code = _hex4(chunk, not terminated and x + 1 == count)
                if code < 0:
                    raise JSONDecodeError("Invalid \\uXXXX escape", doc, pos + 1)
                if 0xD800 <= code < 0xDC00 and len(chunk) == 5 and x + 1 < count:
                    nxt = chunks[x + 1]
                    if nxt[:1] == "u":
                        low = _hex4(nxt, not terminated and x + 2 == count)
                        if 0xDC00 <= low < 0xE000:
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            x += 1
                            pos += 6
                            chunk = nxt
                out.append(_char(code))
                lit = chunk[5:]
            else:
                text = _ESCAPES.get(esc)
                if text is None:
                    raise JSONDecodeError("Invalid \\escape", doc, pos)
                out.append(text)
                lit = chunk[1:]
            litpos = pos + 1 + len(chunk) - len(lit)
        x += 1
    return "".join(out)


def _string(doc, parts, k, base, strict):
    """Decode the string whose opening quote follows parts[k] (parts is doc split on
    '"', parts[k] starts at doc[base]). Returns (value, index of the part after the
    closing quote, where that part starts)."""
    quote = base + len(parts[k])
    last = len(parts) - 1
    j = k + 1
    raw = parts[j]
    if raw.endswith("\\"):
        # A quote after an odd number of backslashes is part of the string. (No
        # slice of parts here: pyvm copies the whole list to slice it.)
        pieces = [raw]
        while j < last:
            piece = parts[j]
            if not (len(piece) - len(piece.rstrip("\\"))) & 1:
                break
            j += 1
            pieces.append(parts[j])
        raw = '"'.join(pieces)
    if j == last:
        _unescape(doc, raw, quote + 1, strict, False)
        raise JSONDecodeError("Unterminated string starting at", doc, quote)
    if "\\" in raw:
        value = _unescape(doc, raw, quote + 1, strict, True)
    else:
        value = raw
        if strict and not raw.isprintable():
            _check_controls(doc, raw, quote + 1)
    return value, j + 1, quote + len(raw) + 2


def _outside(part):
    """A piece of the document outside strings, cut at its first non-ASCII character
    (always an error there) so that indexing it stays cheap; '\\0' takes its place."""
    if part.isascii():
        return part
    for j, ch in enumerate(part):
        if ch > "\x7f":
            return part[:j] + "\x00"
    return part


# ----- the decoder ----------------------------------------------------------------------

_CONSTANTS = {"-Infinity": -_INF, "Infinity": _INF, "NaN": _INF - _INF}
# The words a value can start with (by first character), and the values of the first three.
_WORDS = {"n": "null", "t": "true", "f": "false", "N": "NaN", "I": "Infinity", "-": "-Infinity"}
_VALUES = {"n": None, "t": True, "f": False}


def _make_scanner(decoder):
    """The scan_once(string, idx) -> (value, end) function for decoder's settings; it
    raises StopIteration(idx) when no value starts at idx."""
    object_hook, pairs_hook = decoder.object_hook, decoder.object_pairs_hook
    parse_float, parse_int = decoder.parse_float, decoder.parse_int
    parse_constant, strict = decoder.parse_constant, decoder.strict

    def number(part, i, n):
        # A number starting at part[i] -> (value, end), or None.
        j = i + 1 if part[i] == "-" else i
        if j < n and "1" <= part[j] <= "9":
            j += 1
            while j < n and "0" <= part[j] <= "9":
                j += 1
        elif j < n and part[j] == "0":
            j += 1
        else:
            return None
        is_float = False
        if j + 1 < n and part[j] == "." and "0" <= part[j + 1] <= "9":
            j += 2
            while j < n and "0" <= part[j] <= "9":
                j += 1
            is_float = True
        if j < n and (part[j] == "e" or part[j] == "E"):
            e = j + 1
            if e < n and (part[e] == "+" or part[e] == "-"):
                e += 1
            d = e
            while e < n and "0" <= part[e] <= "9":
                e += 1
            if e > d:
                j = e
                is_float = True
        text = part[i:j]
        return (parse_float(text) if is_float else parse_int(text)), j

    def finish_object(container):
        if pairs_hook is not None:
            return pairs_hook(container)
        return container if object_hook is None else object_hook(container)

    def scan_once(s, idx):
        if not isinstance(s, str):
            raise TypeError("first argument must be a string, not " + type(s).__name__)
        if idx < 0:
            raise ValueError("idx cannot be negative")
        parts = s.split('"')
        last = len(parts) - 1
        # The cursor: character i of part k (a '"' follows a part, except the last),
        # which starts at s[base].
        k = base = 0
        while k < last and idx > base + len(parts[k]):
            base += len(parts[k]) + 1
            k += 1
        i = idx - base
        if i:
            parts[k] = parts[k][i:]     # (_outside() must only look from the cursor on)
            base += i
            i = 0
        part = _outside(parts[k])
        n = len(part)
        stack = []          # open containers: [list or dict or pairs, key, is_object]
        want_key = False
        while True:
            if want_key:
                # After '{' or ',' (and whitespace) in an object: "key" :
                if i < n or k == last:
                    raise JSONDecodeError("Expecting property name enclosed in double quotes",
                                          s, base + i)
                key, k, base = _string(s, parts, k, base, strict)
                part = _outside(parts[k])
                n = len(part)
                i = 0
                while i < n and part[i] in _WS:
                    i += 1
                if i >= n or part[i] != ":":
                    raise JSONDecodeError("Expecting ':' delimiter", s, base + i)
                i += 1
                while i < n and part[i] in _WS:
                    i += 1
                stack[-1][1] = key
                want_key = False
            # A value starts at the cursor.
            if i < n:
                c = part[i]
            elif k < last:
                c = '"'
            else:
                raise StopIteration(base + i)
            if c == '"':
                value, k, base = _string(s, parts, k, base, strict)
                part = _outside(parts[k])
                n = len(part)
                i = 0
            elif c == "[" or c == "{":
                i += 1
                while i < n and part[i] in _WS:
                    i += 1
                if c == "[":
                    if i < n and part[i] == "]":
                        i += 1
                        value = []
                    else:
                        stack.append([[], None, False])
                        continue
                elif i < n and part[i] == "}":
                    i += 1
                    value = finish_object([] if pairs_hook is not None else {})
                else:
                    stack.append([[] if pairs_hook is not None else {}, None, True])
                    want_key = True
                    continue
            elif c in _WORDS and part[i:i + len(_WORDS[c])] == _WORDS[c]:
                word = _WORDS[c]
                value = _VALUES[c] if c in _VALUES else parse_constant(word)
                i += len(word)
            else:
                found = number(part, i, n)
                if found is None:
                    raise StopIteration(base + i)
                value, i = found
            # Hand the finished value to the containers that are complete with it.
            while stack:
                top = stack[-1]
                container = top[0]
                if not top[2]:
                    container.append(value)
                elif pairs_hook is not None:
                    container.append((top[1], value))
                else:
                    container[top[1]] = value
                while i < n and part[i] in _WS:
                    i += 1
                c = part[i] if i < n else ""
                if c == ",":
                    i += 1
                    while i < n and part[i] in _WS:
                        i += 1
                    want_key = top[2]
                    break
                if c != ("}" if top[2] else "]"):
                    raise JSONDecodeError("Expecting ',' delimiter", s, base + i)
                i += 1
                stack.pop()
                value = finish_object(container) if top[2] else container
            else:
                return value, base + i

    return scan_once


class JSONDecoder:
    """JSON text -> Python data. object_hook(dict) / object_pairs_hook(pairs) make objects,
    parse_float / parse_int / parse_constant(name) make numbers from their text, and
    strict=False allows control characters in strings."""

    __module__ = "json.decoder"

    def __init__(self, *, object_hook=None, parse_float=None, parse_int=None,
                 parse_constant=None, strict=True, object_pairs_hook=None):
        self.object_hook = object_hook
        self.parse_float = parse_float or float
        self.parse_int = parse_int or int
        self.parse_constant = parse_constant or _CONSTANTS.__getitem__
        self.strict = strict
        self.object_pairs_hook = object_pairs_hook
        self.memo = {}
        self.scan_once = _make_scanner(self)

    def decode(self, s):
        """The Python value of the JSON document s (whitespace around it allowed)."""
        if not isinstance(s, str):
            raise TypeError("cannot use a string pattern on a bytes-like object")
        n = len(s)
        idx = 0
        while idx < n and s[idx] in _WS:
            idx += 1
        obj, end = self.raw_decode(s, idx)
        while end < n and s[end] in _WS:
            end += 1
        if end != n:
            raise JSONDecodeError("Extra data", s, end)
        return obj

    def raw_decode(self, s, idx=0):
        """Decode the JSON value starting at s[idx]: (value, index after it)."""
        try:
            obj, end = self.scan_once(s, idx)
        except StopIteration as err:
            raise JSONDecodeError("Expecting value", s, err.value) from None
        return obj, end


# ----- the module functions ---------------------------------------------------------------

_default_encoder = JSONEncoder()
_default_decoder = JSONDecoder()


_DEFAULT_OPTIONS = dict(skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True,
                        indent=None, separators=None, default=None, sort_keys=False)


def _encoder(cls, kw, **options):
    if cls is None and not kw and options == _DEFAULT_OPTIONS:
        return _default_encoder
    return (JSONEncoder if cls is None else cls)(**options, **kw)


def dump(obj, fp, *, skipkeys=False, ensure_ascii=True, check_circular=True,
         allow_nan=True, cls=None, indent=None, separators=None, default=None,
         sort_keys=False, **kw):
    """Write obj as JSON to the text file fp (see dumps for the options)."""
    for chunk in _encoder(cls, kw, skipkeys=skipkeys, ensure_ascii=ensure_ascii,
                          check_circular=check_circular, allow_nan=allow_nan, indent=indent,
                          separators=separators, default=default,
                          sort_keys=sort_keys).iterencode(obj):
        fp.write(chunk)


def dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True,
          allow_nan=True, cls=None, indent=None, separators=None, default=None,
          sort_keys=False, **kw):
    """obj as a JSON string (cls: the JSONEncoder (sub)class; the options are its)."""
    return _encoder(cls, kw, skipkeys=skipkeys, ensure_ascii=ensure_ascii,
                    check_circular=check_circular, allow_nan=allow_nan, indent=indent,
                    separators=separators, default=default, sort_keys=sort_keys).encode(obj)


def detect_encoding(b):
    """The encoding of a JSON document given as bytes (by its BOM or its zero bytes)."""
    if b.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        return "utf-32"
    if b.startswith((b"\xfe\xff", b"\xff\xfe")):
        return "utf-16"
    if b.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if len(b) >= 4:
        if not b[0]:
            return "utf-16-be" if b[1] else "utf-32-be"
        if not b[1]:
            return "utf-16-le" if b[2] or b[3] else "utf-32-le"
    elif len(b) == 2 and not (b[0] and b[1]):
        return "utf-16-le" if b[0] else "utf-16-be"
    return "utf-8"


def _decode_bytes(b):
    encoding = detect_encoding(b)
    try:
        return b.decode(encoding, "surrogatepass")
    except LookupError:
        if encoding == "utf-8-sig":
            return b[3:].decode("utf-8", "surrogatepass")
    # pyvm has no UTF-16/32 codecs: decode the code units here.
    width = 4 if "32" in encoding else 2
    order = "little" if encoding.endswith("le") else "big"
    start = 0
    if "-" not in encoding[4:]:         # "utf-16" / "utf-32": after a BOM
        order = "little" if b[0] == 0xFF else "big"
        start = width
        encoding += "-le" if order == "little" else "-be"
    if (len(b) - start) % width:
        raise UnicodeDecodeError(encoding, bytes(b), len(b) - (len(b) - start) % width,
                                 len(b), "truncated data")
    out = []
    high = 0
    for i in range(start, len(b), width):
        code = int.from_bytes(b[i:i + width], order)
        if high and 0xDC00 <= code < 0xE000:
            out[-1] = chr(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))
            code = 0
        else:
            out.append(_char(code))
        high = code if width == 2 and 0xD800 <= code < 0xDC00 else 0
    return "".join(out)


def load(fp, *, cls=None, object_hook=None, parse_float=None, parse_int=None,
         parse_constant=None, object_pairs_hook=None, **kw):
    """Read a JSON document from the file fp (see loads for the options)."""
    return loads(fp.read(), cls=cls, object_hook=object_hook, parse_float=parse_float,
                 parse_int=parse_int, parse_constant=parse_constant,
                 object_pairs_hook=object_pairs_hook, **kw)


def loads(s, *, cls=None, object_hook=None, parse_float=None, parse_int=None,
          parse_constant=None, object_pairs_hook=None, **kw):
    """The Python value of the JSON document s (str, or bytes in UTF-8, -16 or -32);
    cls is the JSONDecoder (sub)class to use, the other arguments go to it."""
    if isinstance(s, str):
        if s.startswith("\ufeff"):
            raise JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", s, 0)
    else:
        if not isinstance(s, (bytes, bytearray)):
            raise TypeError("the JSON object must be str, bytes or bytearray, not "
                            + s.__class__.__name__)
        s = _decode_bytes(s)
    hooks = dict(object_hook=object_hook, object_pairs_hook=object_pairs_hook,
                 parse_float=parse_float, parse_int=parse_int, parse_constant=parse_constant)
    for name, value in hooks.items():
        if value is not None:
            kw[name] = value
    if cls is None and not kw:
        return _default_decoder.decode(s)
    return (JSONDecoder if cls is None else cls)(**kw).decode(s)


# `import json.decoder` / `json.encoder.JSONEncoder` as in CPython, where these are submodules.
decoder = type(_sys)("json.decoder")
decoder.JSONDecoder = JSONDecoder
decoder.JSONDecodeError = JSONDecodeError
encoder = type(_sys)("json.encoder")
encoder.JSONEncoder = JSONEncoder
encoder.encode_basestring = encode_basestring
encoder.encode_basestring_ascii = encode_basestring_ascii
_sys.modules.setdefault("json.decoder", decoder)
_sys.modules.setdefault("json.encoder", encoder)
