"""String constants, capwords, Template and Formatter (pyvm's own implementation of
the string module).

Template finds its placeholders with a regular expression built from the class
attributes delimiter, idpattern, braceidpattern and flags (or taken from a
subclass's own pattern), as in CPython: every subclass gets its compiled pattern
when it is created. For the Template class itself, flags and pattern are made the
first time they are used, so that importing string does not import re.

Formatter is str.format written out in Python, with each step (parse, get_field,
get_value, convert_field, format_field, check_unused_args) a method that a
subclass can replace.
"""

__all__ = ["ascii_letters", "ascii_lowercase", "ascii_uppercase", "capwords", "digits",
           "hexdigits", "octdigits", "printable", "punctuation", "whitespace",
           "Formatter", "Template"]

whitespace = ' \t\n\r\x0b\x0c'
ascii_lowercase = 'abcdefghijklmnopqrstuvwxyz'
ascii_uppercase = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
ascii_letters = ascii_lowercase + ascii_uppercase
digits = '0123456789'
hexdigits = digits + 'abcdef' + 'ABCDEF'
octdigits = '01234567'
punctuation = r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"""
printable = digits + ascii_letters + punctuation + whitespace


def capwords(s, sep=None):
    """Split on sep, capitalize each word, join with sep (a space by default)."""
    return (sep or ' ').join(word.capitalize() for word in s.split(sep))


# ------------------------------------------------------------------- Template

_sentinel_dict = {}

_DEFAULT_IDPATTERN = r'(?a:[_a-z][_a-z0-9]*)'


def _compile(pattern, flags):
    import re
    try:
        return re.compile(pattern, flags)
    except re.error:
        # pyvm's regular expressions do not take the ASCII flag in a scoped
        # group; without it the identifier pattern is the same but for
        # non-ASCII letters that case-fold to ASCII ones.
        if '(?a:' not in pattern:
            raise
        return re.compile(pattern.replace('(?a:', '(?:'), flags)


def _build_pattern(delimiter, idpattern, braceidpattern, flags):
    import re
    delim = re.escape(delimiter)
    bid = braceidpattern or idpattern
    pattern = r"""
    %s(?:
      (?P<escaped>%s)  |   # two delimiters: a literal delimiter
      (?P<named>%s)    |   # delimiter and an identifier
      {(?P<braced>%s)} |   # delimiter and a braced identifier
      (?P<invalid>)        # anything else after a delimiter
    )
    """ % (delim, delim, idpattern, bid)
    return _compile(pattern, flags | re.VERBOSE)


class _MadeOnFirstUse:
    # A class attribute of Template whose value is computed (with re) the first
    # time it is read, and then replaces this descriptor.

    def __init__(self, make):
        self.make = make

    def __set_name__(self, owner, name):
        self.owner = owner
        self.name = name

    def __get__(self, instance, owner=None):
        value = self.make()
        setattr(self.owner, self.name, value)
        return value


def _default_flags():
    import re
    return re.IGNORECASE


def _default_pattern():
    return _build_pattern('$', _DEFAULT_IDPATTERN, None, _default_flags())


class _ChainLookup:
    # mapping[key] looks in the keyword arguments first, then in the mapping.
    def __init__(self, first, second):
        self.first = first
        self.second = second

    def __getitem__(self, key):
        try:
            return self.first[key]
        except KeyError:
            pass
        return self.second[key]


class Template:
    """A string class for supporting $-substitutions."""

    delimiter = '$'
    # [a-z] with IGNORECASE would also match some non-ASCII letters; the scoped
    # ASCII flag keeps identifiers ASCII.
    idpattern = _DEFAULT_IDPATTERN
    braceidpattern = None
    flags = _MadeOnFirstUse(_default_flags)
    pattern = _MadeOnFirstUse(_default_pattern)

    def __init_subclass__(cls):
        super().__init_subclass__()
        if 'pattern' in cls.__dict__:
            import re
            cls.pattern = _compile(cls.pattern, cls.flags | re.VERBOSE)
        else:
            cls.pattern = _build_pattern(cls.delimiter, cls.idpattern, cls.braceidpattern,
                                         cls.flags)

    def __init__(self, template):
        self.template = template

    def _invalid(self, mo):
        i = mo.start('invalid')
        lines = self.template[:i].splitlines(keepends=True)
        if not lines:
            colno = 1
            lineno = 1
        else:
            colno = i - len(''.join(lines[:-1]))
            lineno = len(lines)
        raise ValueError('Invalid placeholder in string: line %d, col %d' % (lineno, colno))

    def substitute(self, mapping=_sentinel_dict, /, **kws):
        if mapping is _sentinel_dict:
            mapping = kws
        elif kws:
            mapping = _ChainLookup(kws, mapping)

        def convert(mo):
            named = mo.group('named') or mo.group('braced')
            if named is not None:
                return str(mapping[named])
            if mo.group('escaped') is not None:
                return self.delimiter
            if mo.group('invalid') is not None:
                self._invalid(mo)
            raise ValueError('Unrecognized named group in pattern', self.pattern)
        return self.pattern.sub(convert, self.template)

    def safe_substitute(self, mapping=_sentinel_dict, /, **kws):
        if mapping is _sentinel_dict:
            mapping = kws
        elif kws:
            mapping = _ChainLookup(kws, mapping)

        def convert(mo):
            named = mo.group('named') or mo.group('braced')
            if named is not None:
                try:
                    return str(mapping[named])
                except KeyError:
                    return mo.group()
            if mo.group('escaped') is not None:
                return self.delimiter
            if mo.group('invalid') is not None:
                return mo.group()
            raise ValueError('Unrecognized named group in pattern', self.pattern)
        return self.pattern.sub(convert, self.template)

    def is_valid(self):
        """False when the template has a placeholder that substitute() would
        reject."""
        for mo in self.pattern.finditer(self.template):
            if mo.group('invalid') is not None:
                return False
            if (mo.group('named') is None and mo.group('braced') is None
                    and mo.group('escaped') is None):
                raise ValueError('Unrecognized named group in pattern', self.pattern)
        return True

    def get_identifiers(self):
        """The placeholder names, in order of first appearance."""
        ids = []
        for mo in self.pattern.finditer(self.template):
            named = mo.group('named') or mo.group('braced')
            if named is not None:
                if named not in ids:
                    ids.append(named)
            elif mo.group('invalid') is None and mo.group('escaped') is None:
                raise ValueError('Unrecognized named group in pattern', self.pattern)
        return ids


# ------------------------------------------------------------------ Formatter

def _parse_format(s):
    # The (literal_text, field_name, format_spec, conversion) tuples of a format
    # string, as _string.formatter_parser gives them: a field's format_spec is
    # '' and its conversion None when absent; an escaped brace ends a literal.
    n = len(s)
    i = 0
    while i < n:
        start = i
        c = ''
        while i < n:
            c = s[i]
            i += 1
            if c == '{' or c == '}':
                break
        else:
            c = ''
        if not c:
            yield s[start:i], None, None, None
            return
        at_end = i >= n
        if c == '}' and (at_end or s[i] != '}'):
            raise ValueError("Single '}' encountered in format string")
        if c == '{' and at_end:
            raise ValueError("Single '{' encountered in format string")
        if s[i] == c:
            # {{ or }}: the brace is literal text, and ends this piece.
            i += 1
            yield s[start:i - 1], None, None, None
            continue
        literal = s[start:i - 1]
        # A replacement field: the name runs to '}', '!' or ':'.
        name_start = i
        c = ''
        while i < n:
            c = s[i]
            i += 1
            if c == '{':
                raise ValueError("unexpected '{' in field name")
            if c == '[':
                while i < n and s[i] != ']':
                    i += 1
                c = ''
                continue
            if c == '}' or c == '!' or c == ':':
                break
            c = ''
        if not c:
            raise ValueError("expected '}' before end of string")
        name = s[name_start:i - 1]
        conversion = None
        if c == '!':
            if i >= n:
                raise ValueError("end of string while looking for conversion specifier")
            conversion = s[i]
            i += 1
            if i >= n:
                raise ValueError("unmatched '{' in format spec")
            c = s[i]
            i += 1
            if c != ':' and c != '}':
                raise ValueError("expected ':' after conversion specifier")
        spec = ''
        if c == ':':
            spec_start = i
            depth = 1
            while i < n:
                ch = s[i]
                i += 1
                if ch == '{':
                    depth += 1
                elif ch == '}':
                    depth -= 1
                    if depth == 0:
                        break
            else:
                raise ValueError("unmatched '{' in format spec")
            spec = s[spec_start:i - 1]
        yield literal, name, spec, conversion


def _index_or_text(text):
    # A field name part that is all digits is a number.
    if text and text.isdecimal():
        return int(text)
    return text


def _field_rest(name, i):
    # The (is_attribute, key) steps of a field name after its first part.
    n = len(name)
    while i < n:
        c = name[i]
        i += 1
        if c == '.':
            start = i
            while i < n and name[i] != '.' and name[i] != '[':
                i += 1
            if i == start:
                raise ValueError("Empty attribute in format string")
            yield True, name[start:i]
        elif c == '[':
            start = i
            while i < n and name[i] != ']':
                i += 1
            if i >= n:
                raise ValueError("Missing ']' in format string")
            if i == start:
                raise ValueError("Empty attribute in format string")
            key = name[start:i]
            i += 1
            if i < n and name[i] != '.' and name[i] != '[':
                raise ValueError("Only '.' or '[' may follow ']' in format field specifier")
            yield False, _index_or_text(key)
        else:
            raise ValueError("Only '.' or '[' may follow ']' in format field specifier")


def _split_field_name(name):
    # (first, iterator of (is_attribute, key)), as
    # _string.formatter_field_name_split gives them.
    i = 0
    n = len(name)
    while i < n and name[i] != '.' and name[i] != '[':
        i += 1
    return _index_or_text(name[:i]), _field_rest(name, i)


class Formatter:
    """str.format() as a class whose steps can be overridden."""

    def format(self, format_string, /, *args, **kwargs):
        return self.vformat(format_string, args, kwargs)

    def vformat(self, format_string, args, kwargs):
        used_args = set()
        result, _ = self._vformat(format_string, args, kwargs, used_args, 2)
        self.check_unused_args(used_args, args, kwargs)
        return result

    def _vformat(self, format_string, args, kwargs, used_args, recursion_depth,
                 auto_arg_index=0):
        if recursion_depth < 0:
            raise ValueError('Max string recursion exceeded')
        result = []
        for literal_text, field_name, format_spec, conversion in self.parse(format_string):
            if literal_text:
                result.append(literal_text)
            if field_name is None:
                continue
            # Automatic numbering ({}) and manual numbering ({0}) do not mix.
            if field_name == '':
                if auto_arg_index is False:
                    raise ValueError('cannot switch from manual field specification to '
                                     'automatic field numbering')
                field_name = str(auto_arg_index)
                auto_arg_index += 1
            elif field_name.isdigit():
                if auto_arg_index:
                    raise ValueError('cannot switch from manual field specification to '
                                     'automatic field numbering')
                auto_arg_index = False
            obj, arg_used = self.get_field(field_name, args, kwargs)
            used_args.add(arg_used)
            obj = self.convert_field(obj, conversion)
            # The format spec may itself hold replacement fields.
            format_spec, auto_arg_index = self._vformat(format_spec, args, kwargs, used_args,
                                                        recursion_depth - 1,
                                                        auto_arg_index=auto_arg_index)
            result.append(self.format_field(obj, format_spec))
        return ''.join(result), auto_arg_index

    def get_value(self, key, args, kwargs):
        if isinstance(key, int):
            return args[key]
        return kwargs[key]

    def check_unused_args(self, used_args, args, kwargs):
        pass

    def format_field(self, value, format_spec):
        return format(value, format_spec)

    def convert_field(self, value, conversion):
        if conversion is None:
            return value
        if conversion == 's':
            return str(value)
        if conversion == 'r':
            return repr(value)
        if conversion == 'a':
            return ascii(value)
        raise ValueError("Unknown conversion specifier {0!s}".format(conversion))

    def parse(self, format_string):
        """An iterable of (literal_text, field_name, format_spec, conversion)."""
        return _parse_format(format_string)

    def get_field(self, field_name, args, kwargs):
        """(the object field_name refers to, the argument it came from)."""
        first, rest = _split_field_name(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, key in rest:
            if is_attr:
                obj = getattr(obj, key)
            else:
                obj = obj[key]
        return obj, first
