# The Python half of pyvm's `time` module.
#
# This file is executed in the namespace of the native `time` module when it is first
# imported, so the native clocks (`time`, `time_ns`, `monotonic`, ...) are globals here.
# It adds struct_time, gmtime/localtime/mktime, asctime/ctime, strftime/strptime, tzset
# and the timezone/altzone/daylight/tzname variables, following CPython 3.11 on glibc:
#
# * Conversions use a C-like `struct tm` held in a list
#   [tm_year - 1900, mon 0-11, mday, hour, min, sec, wday 0=Sunday, yday 0-365,
#    isdst, zone, gmtoff], with C int wrap-around and truncating division where the
#   C code has them, so error cases and odd inputs behave as CPython's do.
# * strftime reimplements glibc's formatter for the C locale (flags _ - 0 ^ #, field
#   widths, the E and O modifiers, unknown directives copied through).
# * Local time follows glibc's tzset: TZ unset reads /etc/localtime, TZ="" is UTC, a
#   name is looked up as a TZif file under /usr/share/zoneinfo (or $TZDIR), otherwise
#   TZ is parsed as a POSIX TZ string. Without a usable file the zone is UTC.
#   Not modelled: leap-second ("right/...") zone files, and glibc's use of the
#   "posixrules" file for a TZ string with DST names but no rules (the US rules since
#   2007 are used instead, as glibc does when that file is missing).
# * strptime matches with a regular expression built from the format, in the C
#   locale, with CPython's directives, defaults and error messages.
#
# Module-level helpers (looked up by the functions at call time) have names starting
# with an underscore.

_INT_MIN = -2147483648
_INT_MAX = 2147483647
_LONG_MIN = -9223372036854775808
_LONG_MAX = 9223372036854775807
_STRUCT_TM_ITEMS = 11

_WDAY_ABBR = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_WDAY_FULL = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
              "Saturday")
_MON_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
             "Nov", "Dec")
_MON_FULL = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
# Days before the first of each month (index 12: the length of the year).
_CUM_DAYS = ((0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365),
             (0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366))
_EOVERFLOW_MSG = "Value too large for defined data type"


# ---------------------------------------------------------------------------
# C integer arithmetic
# ---------------------------------------------------------------------------

def _wrap32(v):
    # The value of v stored in a 32-bit C int (two's complement wrap-around).
    return ((v + 2147483648) & 0xFFFFFFFF) - 2147483648


def _cdiv(a, b):
    # C division: the quotient truncated toward zero.
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _cmod(a, b):
    # C remainder: takes the sign of the dividend.
    return a - b * _cdiv(a, b)


def _typename(obj):
    return type(obj).__name__


def _index(obj):
    # operator.index(): an exact int, as PyNumber_Index gives the C conversions.
    if isinstance(obj, int):
        return int.__index__(obj)
    meth = getattr(type(obj), "__index__", None)
    if meth is None:
        raise TypeError("'%s' object cannot be interpreted as an integer"
                        % _typename(obj))
    res = meth(obj)
    if not isinstance(res, int):
        raise TypeError("__index__ returned non-int (type %s)" % _typename(res))
    return int.__index__(res)


def _c_long(obj):
    v = _index(obj)
    if v < _LONG_MIN or v > _LONG_MAX:
        raise OverflowError("Python int too large to convert to C long")
    return v


def _c_int(obj):
    # PyArg_ParseTuple's "i" converter.
    v = _c_long(obj)
    if v > _INT_MAX:
        raise OverflowError("signed integer is greater than maximum")
    if v < _INT_MIN:
        raise OverflowError("signed integer is less than minimum")
    return v


def _to_time_t(obj):
    # A timestamp argument as a C time_t, floats rounded toward minus infinity.
    if isinstance(obj, float):
        if obj != obj:
            raise ValueError("Invalid value NaN (not a number)")
        if not (-9223372036854775808.0 <= obj < 9223372036854775808.0):
            raise OverflowError("timestamp out of range for platform time_t")
        return int(obj // 1.0)
    try:
        v = _index(obj)
    except OverflowError:
        raise OverflowError("timestamp out of range for platform time_t") from None
    if v < _LONG_MIN or v > _LONG_MAX:
        raise OverflowError("timestamp out of range for platform time_t")
    return v


def _now():
    # C time(NULL): whole seconds.
    return int(time())


# ---------------------------------------------------------------------------
# Calendar arithmetic (proleptic Gregorian, any year, integers only)
# ---------------------------------------------------------------------------

def _isleap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _days_from_civil(y, m, d):
    # Days from 1970-01-01 to the date y-m-d (m 1-12).
    if m <= 2:
        y -= 1
    era = y // 400
    yoe = y - era * 400
    mp = m - 3 if m > 2 else m + 9
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z):
    # The (year, month 1-12, day) of the day z days after 1970-01-01.
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400
    if m <= 2:
        y += 1
    return y, m, d


def _breakdown(t, off):
    # glibc's __offtime: the C tm fields (without isdst/zone/gmtoff) of the instant t
    # seen at UTC offset `off`, or None when the year does not fit tm_year (EOVERFLOW).
    days, rem = divmod(t + off, 86400)
    hour, rem = divmod(rem, 3600)
    minute, sec = divmod(rem, 60)
    y, m, d = _civil_from_days(days)
    if not (_INT_MIN <= y - 1900 <= _INT_MAX):
        return None
    return [y - 1900, m - 1, d, hour, minute, sec, (days + 4) % 7,
            days - _days_from_civil(y, 1, 1)]


def _tm_seconds(tm_year, yday, hour, minute, sec):
    # Seconds since the epoch of a broken-down UTC time given by year (tm_year,
    # based 1900) and day of year (0-based, not necessarily in range).
    days = _days_from_civil(tm_year + 1900, 1, 1) + yday
    return ((days * 24 + hour) * 60 + minute) * 60 + sec


# ---------------------------------------------------------------------------
# struct_time
# ---------------------------------------------------------------------------

_FIELD_NAMES = ("tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec",
                "tm_wday", "tm_yday", "tm_isdst", "tm_zone", "tm_gmtoff")
_FIELD_DOCS = ("the year, e.g. 2024", "the month, 1 to 12", "the day of the month, 1 to 31",
               "the hour, 0 to 23", "the minute, 0 to 59", "the second, 0 to 61",
               "the day of the week, 0 (Monday) to 6 (Sunday)",
               "the day of the year, 1 to 366",
               "1 during daylight saving time, 0 outside it, -1 when unknown",
               "the abbreviated name of the time zone",
               "the offset east of UTC, in seconds")


class _StructField:
    # A read-only field of struct_time, shown as CPython shows its member descriptors.

    def __init__(self, name, index, doc):
        self._name = name
        self._index = index
        self.__doc__ = doc

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        if self._index < 9:
            return tuple.__getitem__(obj, self._index)
        return obj.__dict__.get(self._name)

    def __set__(self, obj, value):
        raise AttributeError("readonly attribute")

    def __delete__(self, obj):
        raise AttributeError("readonly attribute")

    def __repr__(self):
        return "<member '%s' of 'time.struct_time' objects>" % self._name


_dict_type = dict


class struct_time(tuple):
    """A point in time broken down into its calendar fields, as gmtime(), localtime()
    and strptime() return it and asctime(), mktime() and strftime() accept it.

    It is a sequence of nine integers (year, month, day, hour, minute, second,
    weekday with Monday as 0, day of the year, DST flag) that also has the named
    attributes tm_year ... tm_isdst, plus tm_zone and tm_gmtoff, which are not part
    of the sequence. The year is the full year and the month counts from 1, unlike
    the fields of C's struct tm."""

    n_sequence_fields = 9
    n_fields = 11
    n_unnamed_fields = 0
    __match_args__ = _FIELD_NAMES[:9]

    def __new__(cls, *args, **kwargs):
        nargs = len(args) + len(kwargs)
        if nargs > 2:
            raise TypeError("structseq() takes at most 2 arguments (%d given)" % nargs)
        if "sequence" in kwargs and len(args) >= 1:
            raise TypeError("argument for structseq() given by name ('sequence') "
                            "and position (1)")
        if not args and "sequence" not in kwargs:
            raise TypeError("structseq() missing required argument 'sequence' (pos 1)")
        if "dict" in kwargs and len(args) >= 2:
            raise TypeError("argument for structseq() given by name ('dict') "
                            "and position (2)")
        for key in kwargs:
            if key != "sequence" and key != "dict":
                raise TypeError("'%s' is an invalid keyword argument for structseq()"
                                % key)
        params = list(args)
        if "sequence" in kwargs:
            params.insert(0, kwargs["sequence"])
        if "dict" in kwargs:
            params.append(kwargs["dict"])
        sequence = params[0]
        has_dict = len(params) > 1
        mapping = params[1] if has_dict else None
        try:
            it = iter(sequence)
        except TypeError:
            raise TypeError("constructor requires a sequence") from None
        seq = tuple(it)
        if has_dict and not isinstance(mapping, _dict_type):
            raise TypeError("time.struct_time() takes a dict as second arg, if any")
        n = len(seq)
        if n < 9:
            raise TypeError("time.struct_time() takes an at least 9-sequence "
                            "(%d-sequence given)" % n)
        if n > 11:
            raise TypeError("time.struct_time() takes an at most 11-sequence "
                            "(%d-sequence given)" % n)
        extra = []
        for i in (9, 10):
            if i < n:
                extra.append(seq[i])
            elif mapping is not None:
                extra.append(mapping.get(_FIELD_NAMES[i]))
            else:
                extra.append(None)
        self = tuple.__new__(cls, seq[:9])
        d = self.__dict__
        d["tm_zone"] = extra[0]
        d["tm_gmtoff"] = extra[1]
        return self

    def __repr__(self):
        parts = []
        for i in range(9):
            parts.append("%s=%r" % (_FIELD_NAMES[i], tuple.__getitem__(self, i)))
        return "time.struct_time(" + ", ".join(parts) + ")"

    def __reduce__(self):
        d = self.__dict__
        return (struct_time, (tuple(tuple.__iter__(self)),
                              {"tm_zone": d.get("tm_zone"),
                               "tm_gmtoff": d.get("tm_gmtoff")}))

    def __setattr__(self, name, value):
        if name in _FIELD_NAMES:
            raise AttributeError("readonly attribute")
        raise AttributeError("'time.struct_time' object has no attribute '%s'" % name)

    def __delattr__(self, name):
        if name in _FIELD_NAMES:
            raise AttributeError("readonly attribute")
        raise AttributeError("'time.struct_time' object has no attribute '%s'" % name)

    def __init_subclass__(cls, **kwargs):
        raise TypeError("type 'time.struct_time' is not an acceptable base type")


def _install_fields():
    for i, name in enumerate(_FIELD_NAMES):
        setattr(struct_time, name, _StructField(name, i, _FIELD_DOCS[i]))
    struct_time.__module__ = "time"
    struct_time.__qualname__ = "struct_time"
    struct_time.__name__ = "struct_time"


_install_fields()
del _install_fields


def _new_struct(values, zone, gmtoff):
    self = tuple.__new__(struct_time, values)
    d = self.__dict__
    d["tm_zone"] = zone
    d["tm_gmtoff"] = gmtoff
    return self


def _tm_to_struct(tm):
    return _new_struct((tm[0] + 1900, tm[1] + 1, tm[2], tm[3], tm[4], tm[5],
                        (tm[6] + 6) % 7, tm[7] + 1, tm[8]), tm[9], tm[10])


def _gettmarg(t, fname):
    # CPython's gettmarg(): a 9-tuple (or struct_time) as a C tm list.
    if not isinstance(t, tuple):
        raise TypeError("Tuple or struct_time argument required")
    if tuple.__len__(t) != 9:
        raise TypeError("%s(): illegal time tuple argument" % fname)
    v = [_c_int(tuple.__getitem__(t, i)) for i in range(9)]
    y = v[0]
    if y < _INT_MIN + 1900:
        raise OverflowError("year out of range")
    tm = [y - 1900, _wrap32(v[1] - 1), v[2], v[3], v[4], v[5],
          _cmod(_wrap32(v[6] + 1), 7), _wrap32(v[7] - 1), v[8], None, 0]
    if type(t) is struct_time:
        d = t.__dict__
        zone = d.get("tm_zone")
        if zone is not None:
            if not isinstance(zone, str):
                raise TypeError("bad argument type for built-in operation")
            tm[9] = zone
        gmtoff = d.get("tm_gmtoff")
        if gmtoff is not None:
            tm[10] = _c_long(gmtoff)
    return tm


def _checktm(tm):
    # CPython's checktm(): reject fields that would index C's name tables wrongly,
    # mapping the out-of-range zero values to the lowest valid ones.
    if tm[1] == -1:
        tm[1] = 0
    elif tm[1] < 0 or tm[1] > 11:
        raise ValueError("month out of range")
    if tm[2] == 0:
        tm[2] = 1
    elif tm[2] < 0 or tm[2] > 31:
        raise ValueError("day of month out of range")
    if tm[3] < 0 or tm[3] > 23:
        raise ValueError("hour out of range")
    if tm[4] < 0 or tm[4] > 59:
        raise ValueError("minute out of range")
    if tm[5] < 0 or tm[5] > 61:
        raise ValueError("seconds out of range")
    if tm[6] < 0:
        raise ValueError("day of week out of range")
    if tm[7] == -1:
        tm[7] = 0
    elif tm[7] < 0 or tm[7] > 365:
        raise ValueError("day of year out of range")


# ---------------------------------------------------------------------------
# Time zones (glibc's tzset, tzfile and POSIX TZ rules)
# ---------------------------------------------------------------------------

class _PosixTZ:
    # A POSIX TZ string as glibc parses it: two rules, [0] for standard time (its
    # change is the start of DST) and [1] for daylight time (its change is the end).

    def __init__(self, spec):
        self.names = ["", ""]
        self.offs = [0, 0]
        # Each change rule: [kind, month, week, day, seconds]; kind 0: n (0-based day
        # of year), 1: Jn (1-based, no Feb 29), 2: Mm.w.d.
        self.rules = [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]
        self._parse(spec)
        self.has_dst = not (self.rules[0] == self.rules[1]
                            and self.offs[0] == self.offs[1])

    def _name(self, s, pos, which):
        p = pos
        while p < len(s) and ("a" <= s[p] <= "z" or "A" <= s[p] <= "Z"):
            p += 1
        if p - pos >= 3:
            self.names[which] = s[pos:p]
            return p
        if pos >= len(s) or s[pos] != "<":
            return -1
        p = start = pos + 1
        while p < len(s) and ("a" <= s[p] <= "z" or "A" <= s[p] <= "Z"
                              or "0" <= s[p] <= "9" or s[p] == "+" or s[p] == "-"):
            p += 1
        if p >= len(s) or s[p] != ">" or p - start < 3:
            return -1
        self.names[which] = s[start:p]
        return p + 1

    @staticmethod
    def _hms(s, pos):
        # sscanf("%hu%n:%hu%n:%hu%n"): up to three numbers; returns (values, end)
        # with the end after the last number read (pos when none was).
        vals = []
        end = pos
        p = pos
        while len(vals) < 3:
            if vals:
                if p >= len(s) or s[p] != ":":
                    break
                p += 1
            q = p
            while q < len(s) and "0" <= s[q] <= "9":
                q += 1
            if q == p:
                break
            vals.append(int(s[p:q]) % 65536)
            p = end = q
        return vals, end

    def _offset(self, s, pos, which):
        if which == 0 and (pos >= len(s) or (s[pos] not in "+-" and
                                             not ("0" <= s[pos] <= "9"))):
            return -1
        sign = -1
        if pos < len(s) and s[pos] in "+-":
            sign = 1 if s[pos] == "-" else -1
            pos += 1
        vals, end = self._hms(s, pos)
        if vals:
            hh = min(vals[0], 24)
            mm = min(vals[1], 59) if len(vals) > 1 else 0
            ss = min(vals[2], 59) if len(vals) > 2 else 0
            self.offs[which] = sign * (hh * 3600 + mm * 60 + ss)
        elif which == 0:
            self.offs[0] = 0
            return -1
        else:
            self.offs[1] = self.offs[0] + 3600
        return end

    def _rule(self, s, pos, which):
        r = self.rules[which]
        if pos < len(s) and s[pos] == ",":
            pos += 1
        c = s[pos] if pos < len(s) else ""
        if c == "J" or "0" <= c <= "9" and c != "":
            r[0] = 1 if c == "J" else 0
            if c == "J":
                pos += 1
            q = pos
            while q < len(s) and "0" <= s[q] <= "9":
                q += 1
            if q == pos:
                return -1
            d = int(s[pos:q])
            if d > 365 or (r[0] == 1 and d == 0):
                return -1
            r[3] = d
            pos = q
        elif c == "M":
            nums = []
            p = pos + 1
            for k in range(3):
                if k:
                    if p >= len(s) or s[p] != ".":
                        return -1
                    p += 1
                q = p
                while q < len(s) and "0" <= s[q] <= "9":
                    q += 1
                if q == p:
                    return -1
                nums.append(int(s[p:q]) % 65536)
                p = q
            m, w, d = nums
            if m < 1 or m > 12 or w < 1 or w > 5 or d > 6:
                return -1
            r[0], r[1], r[2], r[3] = 2, m, w, d
            pos = p
        elif c == "":
            # No rules: the United States' rules since 2007.
            if which == 0:
                r[0], r[1], r[2], r[3] = 2, 3, 2, 0
            else:
                r[0], r[1], r[2], r[3] = 2, 11, 1, 0
        else:
            return -1
        if pos < len(s) and s[pos] not in "/,":
            return -1
        if pos < len(s) and s[pos] == "/":
            pos += 1
            if pos >= len(s):
                return -1
            negative = s[pos] == "-"
            if negative:
                pos += 1
            vals, pos = self._hms(s, pos)
            hh = vals[0] if vals else 2
            mm = vals[1] if len(vals) > 1 else 0
            ss = vals[2] if len(vals) > 2 else 0
            r[4] = (-1 if negative else 1) * (hh * 3600 + mm * 60 + ss)
        else:
            r[4] = 7200
        return pos

    def _parse(self, s):
        pos = self._name(s, 0, 0)
        if pos < 0:
            return
        pos = self._offset(s, pos, 0)
        if pos < 0:
            return
        if pos < len(s):
            p = self._name(s, pos, 1)
            if p >= 0:
                pos = self._offset(s, p, 1)
            p = self._rule(s, pos, 0)
            if p >= 0:
                self._rule(s, p, 1)
        else:
            self.names[1] = self.names[0]
            self.offs[1] = self.offs[0]

    @staticmethod
    def _change(r, off, year):
        # glibc's compute_change: the UTC instant the rule takes effect in `year`.
        if year > 1970:
            y1 = year - 1
            # (The day count is C int arithmetic in glibc, wrapping for huge years.)
            t = _wrap32((year - 1970) * 365 + (y1 // 4 - 492) - (y1 // 100 - 19)
                        + (y1 // 400 - 4)) * 86400
        else:
            t = 0
        kind = r[0]
        if kind == 1:
            t += (r[3] - 1) * 86400
            if r[3] >= 60 and _isleap(year):
                t += 86400
        elif kind == 0:
            t += r[3] * 86400
        else:
            m = r[1]
            cum = _CUM_DAYS[1 if _isleap(year) else 0]
            t += cum[m - 1] * 86400
            m1 = (m + 9) % 12 + 1
            yy0 = year - 1 if m <= 2 else year
            yy1 = _cdiv(yy0, 100)
            yy2 = _cmod(yy0, 100)
            dow = _cmod((26 * m1 - 2) // 10 + 1 + yy2 + _cdiv(yy2, 4) + _cdiv(yy1, 4)
                        - 2 * yy1, 7)
            if dow < 0:
                dow += 7
            d = r[3] - dow
            if d < 0:
                d += 7
            for _ in range(1, r[2]):
                if d + 7 >= cum[m] - cum[m - 1]:
                    break
                d += 7
            t += d * 86400
        return t - off + r[4]

    def info(self, t):
        # (gmtoff, isdst, abbreviation) in effect at t, or None on year overflow.
        if not self.has_dst:
            # glibc first breaks t down in UTC, failing when that year overflows.
            if -67768040609740800 <= t <= 67767976233316800 or _breakdown(t, 0):
                return (self.offs[0], 0, self.names[0])
            return None
        ut = _breakdown(t, 0)
        if ut is None:
            return None
        year = ut[0] + 1900
        c0 = self._change(self.rules[0], self.offs[0], year)
        c1 = self._change(self.rules[1], self.offs[1], year)
        if c0 > c1:
            isdst = 1 if (t < c1 or t >= c0) else 0
        else:
            isdst = 1 if (c0 <= t < c1) else 0
        return (self.offs[isdst], isdst, self.names[isdst])


class _Zone:
    # The local time zone: either a POSIX TZ string alone, or the contents of a TZif
    # file (transitions, types and the POSIX string that extends them). `cname` is
    # glibc's tzname[], which %Z falls back to and which localtime() updates.

    def __init__(self):
        self.trans = []
        self.tidx = []
        self.types = []
        self.spec = None
        self.first_name = ""
        self.cname = ["UTC", "UTC"]
        self.has_dst = False

    def info(self, t):
        types = self.types
        if not types:
            return self.spec.info(t)
        trans = self.trans
        ntrans = len(trans)
        names = [None, None]
        if ntrans == 0 or t < trans[0]:
            i = 0
            while i < len(types) and types[i][1]:
                if names[1] is None:
                    names[1] = types[i][2]
                i += 1
            if i == len(types):
                i = 0
            names[0] = types[i][2]
            if names[1] is None:
                for j in range(i, len(types)):
                    if types[j][1]:
                        names[1] = types[j][2]
                        break
            typ = types[i]
        else:
            typ = None
            if t >= trans[-1]:
                if self.spec is not None:
                    self.cname = list(self.spec.names)
                    res = self.spec.info(t)
                    if res is not None:
                        return res
                i = ntrans
            else:
                lo, hi = 0, ntrans
                while lo < hi:
                    mid = (lo + hi) // 2
                    if trans[mid] <= t:
                        lo = mid + 1
                    else:
                        hi = mid
                i = lo
            typ = types[self.tidx[i - 1]]
            names[typ[1]] = typ[2]
            for j in range(i, ntrans):
                ty = types[self.tidx[j]]
                dst = ty[1]
                if names[dst] is None:
                    names[dst] = ty[2]
                    if names[1 - dst] is not None:
                        break
            if names[0] is None:
                names[0] = names[1]
        if names[0] is None:
            names[0] = self.first_name
        if names[1] is None:
            names[1] = names[0]
        self.cname = names
        return typ


def _utc_zone(name):
    z = _Zone()
    z.spec = _PosixTZ(name + "0")
    z.cname = [name, name]
    return z


def _be_int(data, pos, size):
    v = 0
    for k in range(size):
        v = (v << 8) | data[pos + k]
    if v >= 1 << (8 * size - 1):
        v -= 1 << (8 * size)
    return v


def _parse_tzif(data):
    # The zone in a TZif file, or None when the data is not one.
    if len(data) < 44 or data[:4] != b"TZif":
        return None
    version = data[4]

    def counts(pos):
        return [_be_int(data, pos + 20 + 4 * k, 4) for k in range(6)]

    isut, isstd, leap, ntrans, ntypes, nchars = counts(0)
    pos = 44
    tsize = 4
    if version >= 0x32:
        pos += ntrans * 5 + ntypes * 6 + nchars + leap * 8 + isstd + isut
        if data[pos:pos + 4] != b"TZif":
            return None
        isut, isstd, leap, ntrans, ntypes, nchars = counts(pos)
        pos += 44
        tsize = 8
    if ntypes == 0:
        return None
    end = pos + ntrans * (tsize + 1) + ntypes * 6 + nchars + leap * (tsize + 4) \
        + isstd + isut
    if end > len(data):
        return None
    trans = [_be_int(data, pos + tsize * k, tsize) for k in range(ntrans)]
    pos += ntrans * tsize
    tidx = [data[pos + k] for k in range(ntrans)]
    pos += ntrans
    raw_types = []
    for k in range(ntypes):
        raw_types.append((_be_int(data, pos, 4), data[pos + 4], data[pos + 5]))
        pos += 6
    chars = data[pos:pos + nchars]
    pos = end
    for k in tidx:
        if k >= ntypes:
            return None

    def abbr(idx):
        if idx >= nchars:
            return ""
        stop = chars.find(b"\0", idx)
        if stop < 0:
            stop = nchars
        return chars[idx:stop].decode("utf-8", "replace")

    z = _Zone()
    z.trans = trans
    z.tidx = tidx
    z.types = [(off, 1 if isdst else 0, abbr(idx)) for off, isdst, idx in raw_types]
    z.first_name = abbr(0)
    if tsize == 8 and pos < len(data) and data[pos] == 0x0A:
        stop = data.find(b"\n", pos + 1)
        if stop > pos + 1:
            z.spec = _PosixTZ(data[pos + 1:stop].decode("ascii", "replace"))
    z.has_dst = any(ty[1] for ty in z.types) or (z.spec is not None and
                                                 z.spec.has_dst)
    # tzset's tzname[]: the most recent standard and daylight names.
    names = [None, None]
    for k in range(ntrans - 1, -1, -1):
        ty = z.types[tidx[k]]
        if names[ty[1]] is None:
            names[ty[1]] = ty[2]
            if names[1 - ty[1]] is not None:
                break
    if names[0] is None:
        names[0] = z.first_name
    if names[1] is None:
        names[1] = names[0]
    z.cname = names
    return z


def _read_tzfile(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except Exception:
        return None
    try:
        return _parse_tzif(data)
    except Exception:
        return None


def _getenv(name):
    try:
        import os
        value = os.environ.get(name)
    except Exception:
        return None
    return value if isinstance(value, str) else None


_zone = None
_zone_key = None   # the TZ value the zone was loaded for (None: TZ unset)
_mktime_offset = 0


def _load_zone():
    # glibc's tzset_internal: reread the zone when TZ changed (or is unset).
    global _zone, _zone_key
    tz = _getenv("TZ")
    if tz is not None and tz == "":
        tz = "Universal"
    if tz is not None and tz.startswith(":"):
        tz = tz[1:]
    if _zone is not None and tz == _zone_key:
        return
    _zone_key = tz
    if tz is None:
        tz = "/etc/localtime"
    zone = None
    if tz != "":
        path = tz
        if not tz.startswith("/"):
            tzdir = _getenv("TZDIR")
            if not tzdir:
                tzdir = "/usr/share/zoneinfo"
            path = tzdir + "/" + tz
        zone = _read_tzfile(path)
    if zone is None:
        if tz == "" or tz == "/etc/localtime":
            zone = _utc_zone("UTC")
        else:
            zone = _Zone()
            zone.spec = _PosixTZ(tz)
            zone.cname = list(zone.spec.names)
            zone.has_dst = zone.spec.has_dst
    _zone = zone


def _localtime_c(t):
    # localtime_r(): the local C tm of time_t t, or None (EOVERFLOW).
    info = _zone.info(t)
    if info is None:
        return None
    tm = _breakdown(t, info[0])
    if tm is None:
        return None
    tm.append(info[1])
    tm.append(info[2])
    tm.append(info[0])
    return tm


def _ranged_localtime(t):
    # mktime's ranged_convert: convert t, or the nearest convertible time between 0
    # and t when t itself is out of range. Returns (t, tm) or None.
    if t < _LONG_MIN:
        t = _LONG_MIN
    elif t > _LONG_MAX:
        t = _LONG_MAX
    tm = _localtime_c(t)
    if tm is not None:
        return t, tm
    bad = t
    ok = 0
    oktm = None
    while True:
        mid = (ok >> 1) + (bad >> 1) + ((ok | bad) & 1)
        if mid == ok or mid == bad:
            break
        tm = _localtime_c(mid)
        if tm is not None:
            ok, oktm = mid, tm
        else:
            bad = mid
    if oktm is None:
        return None
    return ok, oktm


def _isdst_differ(a, b):
    return ((not a) != (not b)) and a >= 0 and b >= 0


def _mktime_c(tm):
    # glibc's mktime: the time_t of the local time in tm (fields may be out of range),
    # or None on failure. Like glibc, it remembers the last UTC offset as its guess.
    global _mktime_offset
    _load_zone()   # glibc's mktime calls tzset()
    tm_year, mon, mday, hour, minute, sec = tm[0], tm[1], tm[2], tm[3], tm[4], tm[5]
    isdst = tm[8]
    mon_rem = _cmod(mon, 12)
    neg_rem = 1 if mon_rem < 0 else 0
    year = tm_year + _cdiv(mon, 12) - neg_rem
    yday = _CUM_DAYS[1 if _isleap(year + 1900) else 0][mon_rem + 12 * neg_rem] - 1 + mday
    sec_requested = sec
    if sec < 0:
        sec = 0
    if sec > 59:
        sec = 59
    neg_guess = _wrap32(-_mktime_offset)
    want = _tm_seconds(year, yday, hour, minute, sec)
    t0 = want - neg_guess
    t = t1 = t2 = t0
    dst2 = 0
    probes = 6
    found = False
    while True:
        conv = _ranged_localtime(t)
        if conv is None:
            return None
        t, ltm = conv
        dt = want - _tm_seconds(ltm[0], ltm[7], ltm[3], ltm[4], ltm[5])
        if dt == 0:
            break
        ldst = 1 if ltm[8] != 0 else 0
        if t == t1 and t != t2 and (ltm[8] < 0 or (
                dst2 <= ldst if isdst < 0 else (1 if isdst != 0 else 0) != ldst)):
            found = True
            break
        probes -= 1
        if probes == 0:
            return None
        t1, t2, t, dst2 = t2, t, t + dt, ldst
    if not found and _isdst_differ(isdst, ltm[8]):
        dst_difference = (1 if isdst == 0 else 0) - (1 if ltm[8] == 0 else 0)
        if _zone.has_dst:
            stride = 601200
            delta_bound = 457243209 // 2 + stride
            delta = stride
            while delta < delta_bound and not found:
                for direction in (-1, 1):
                    ot = t + delta * direction
                    if not (_LONG_MIN <= ot <= _LONG_MAX):
                        continue
                    conv = _ranged_localtime(ot)
                    if conv is None:
                        return None
                    ot, otm = conv
                    if not _isdst_differ(isdst, otm[8]):
                        gt = ot + want - _tm_seconds(otm[0], otm[7], otm[3], otm[4],
                                                     otm[5])
                        if _LONG_MIN <= gt <= _LONG_MAX:
                            gtm = _localtime_c(gt)
                            if gtm is not None:
                                t, ltm = gt, gtm
                                found = True
                                break
                delta += stride
        if not found:
            t += 3600 * dst_difference
            ltm = _localtime_c(t) if _LONG_MIN <= t <= _LONG_MAX else None
            if ltm is None:
                return None
    _mktime_offset = _wrap32(t - t0 - neg_guess)
    if sec_requested != ltm[5]:
        adjust = (1 if (sec == 0 and ltm[5] == 60) else 0) - sec + sec_requested
        t += adjust
        if not (_LONG_MIN <= t <= _LONG_MAX):
            return None
        ltm = _localtime_c(t)
        if ltm is None:
            return None
    return t, ltm


def _init_timezone():
    # CPython's init_timezone: timezone, altzone, daylight and tzname from the local
    # time near the start and the middle of the current year.
    global timezone, altzone, daylight, tzname
    year = (365 * 24 + 6) * 3600
    t = (_now() // year) * year
    jan = _localtime_c(t)
    jul = _localtime_c(t + year // 2)
    if jan is None or jul is None:
        raise OSError(75, _EOVERFLOW_MSG)
    janzone = -jan[10]
    julzone = -jul[10]
    janname = (jan[9] if jan[9] is not None else "   ")[:9]
    julname = (jul[9] if jul[9] is not None else "   ")[:9]
    limit = 48 * 3600
    if not (-limit <= janzone <= limit and -limit <= julzone <= limit):
        raise RuntimeError("invalid GMT offset")
    if janzone < julzone:
        # Daylight saving time in the southern hemisphere.
        timezone, altzone = julzone, janzone
        tzname = (julname, janname)
    else:
        timezone, altzone = janzone, julzone
        tzname = (janname, julname)
    daylight = 1 if janzone != julzone else 0


def tzset(*args, **kwargs):
    """tzset()

    Reinitialize the local time zone from the TZ environment variable and update
    timezone, altzone, daylight and tzname."""
    if kwargs:
        raise TypeError("time.tzset() takes no keyword arguments")
    if args:
        raise TypeError("time.tzset() takes no arguments (%d given)" % len(args))
    _load_zone()
    _init_timezone()


# ---------------------------------------------------------------------------
# gmtime, localtime, mktime, asctime, ctime
# ---------------------------------------------------------------------------

def _time_arg(fname, args, kwargs):
    if kwargs:
        raise TypeError("%s() takes no keyword arguments" % fname)
    if len(args) > 1:
        raise TypeError("%s() takes at most 1 argument (%d given)" % (fname, len(args)))
    if not args or args[0] is None:
        return _now()
    return _to_time_t(args[0])


def gmtime(*args, **kwargs):
    """gmtime([seconds]) -> struct_time

    Convert seconds since the Epoch (now when omitted or None) to the UTC time as a
    struct_time. Fractions of a second are discarded, rounding toward minus infinity."""
    t = _time_arg("gmtime", args, kwargs)
    tm = _breakdown(t, 0)
    if tm is None:
        raise OSError(75, _EOVERFLOW_MSG)
    tm.append(0)
    tm.append("GMT")
    tm.append(0)
    return _tm_to_struct(tm)


def localtime(*args, **kwargs):
    """localtime([seconds]) -> struct_time

    Convert seconds since the Epoch (now when omitted or None) to the local time as
    a struct_time, with tm_isdst, tm_zone and tm_gmtoff from the local time zone."""
    t = _time_arg("localtime", args, kwargs)
    tm = _localtime_c(t)
    if tm is None:
        raise OSError(75, _EOVERFLOW_MSG)
    return _tm_to_struct(tm)


def mktime(*args, **kwargs):
    """mktime(tuple) -> floating point number

    The inverse of localtime(): the seconds since the Epoch of a local time given
    as a struct_time or a 9-tuple. Out-of-range fields are normalized; the weekday
    and day of the year are ignored."""
    if kwargs:
        raise TypeError("time.mktime() takes no keyword arguments")
    if len(args) != 1:
        raise TypeError("time.mktime() takes exactly one argument (%d given)"
                        % len(args))
    tm = _gettmarg(args[0], "mktime")
    res = _mktime_c(tm)
    if res is None:
        raise OverflowError("mktime argument out of range")
    return float(res[0])


def _asctime(tm):
    return "%s %s%3d %02d:%02d:%02d %d" % (
        _WDAY_ABBR[tm[6]], _MON_ABBR[tm[1]], tm[2], tm[3], tm[4], tm[5], _wrap32(tm[0] + 1900))


def asctime(*args, **kwargs):
    """asctime([tuple]) -> string

    Format a time tuple (the current local time when omitted) as a 24-character
    string such as 'Sat Jun 06 16:26:11 1998'."""
    if kwargs:
        raise TypeError("asctime() takes no keyword arguments")
    if len(args) > 1:
        raise TypeError("asctime expected at most 1 argument, got %d" % len(args))
    if not args:
        tm = _localtime_c(_now())
        if tm is None:
            raise OSError(75, _EOVERFLOW_MSG)
    else:
        tm = _gettmarg(args[0], "asctime")
        _checktm(tm)
    return _asctime(tm)


def ctime(*args, **kwargs):
    """ctime([seconds]) -> string

    Convert seconds since the Epoch (now when omitted or None) to local time in the
    format of asctime(): ctime(s) is asctime(localtime(s))."""
    t = _time_arg("ctime", args, kwargs)
    tm = _localtime_c(t)
    if tm is None:
        raise OSError(75, _EOVERFLOW_MSG)
    return _asctime(tm)


# ---------------------------------------------------------------------------
# strftime: glibc's formatter for the C locale
# ---------------------------------------------------------------------------

class _TooLong(Exception):
    # The result would not fit in the largest buffer CPython tries.
    pass


class _Out:
    __slots__ = ("parts", "size", "limit")

    def __init__(self, limit):
        self.parts = []
        self.size = 0
        self.limit = limit

    def put(self, text, width, pad):
        # glibc's add(): text right-aligned in `width` (zeros with the 0 flag).
        n = len(text)
        delta = width - n
        incr = n + delta if delta > 0 else n
        if self.size + incr >= self.limit:
            raise _TooLong
        if delta > 0:
            self.parts.append(("0" if pad == "0" else " ") * delta)
        self.parts.append(text)
        self.size += incr

    def fill(self, char, count):
        if self.size + count >= self.limit:
            raise _TooLong
        self.parts.append(char * count)
        self.size += count


def _put_number(out, body, negative, digits, pad, width):
    # glibc's do_number_sign_and_padding for the digits `body`.
    buf = "-" + body if negative else body
    if pad != "-":
        padding = digits - len(buf)
        if padding > 0:
            if pad == "_":
                out.fill(" ", padding)
                width = width - padding if width > padding else 0
            else:
                if negative:
                    out.fill("-", 1)
                    buf = body
                out.fill("0", padding)
                width = 0
    out.put(buf, width, pad)


def _iso_week_days(yday, wday):
    # Days from the first day of the first ISO week of the year to day yday.
    return yday - _cmod(yday - wday + 382, 7) + 3


def _strftime_into(out, fmt, tm):
    tm_year, mon, mday, hour, minute, sec, wday, yday, isdst, zone, gmtoff = tm
    hour12 = hour
    if hour12 > 12:
        hour12 -= 12
    elif hour12 == 0:
        hour12 = 12
    n = len(fmt)
    i = 0
    while i < n:
        c = fmt[i]
        if c != "%":
            out.put(c, -1, "")
            i += 1
            continue
        pad = ""
        upcase = False
        lowcase = False
        change_case = False
        j = i + 1
        while j < n:
            c = fmt[j]
            if c == "_" or c == "-" or c == "0":
                pad = c
            elif c == "^":
                upcase = True
            elif c == "#":
                change_case = True
            else:
                break
            j += 1
        width = -1
        if j < n and "0" <= fmt[j] <= "9":
            width = 0
            while j < n and "0" <= fmt[j] <= "9":
                digit = ord(fmt[j]) - 48
                if width > 214748364 or (width == 214748364 and digit > 7):
                    width = _INT_MAX
                else:
                    width = width * 10 + digit
                j += 1
        modifier = ""
        if j < n and (fmt[j] == "E" or fmt[j] == "O"):
            modifier = fmt[j]
            j += 1
        i = j + 1
        if j >= n:
            # '%' ... at the end of the format: copied through.
            j = n - 1
            ch = ""
        else:
            ch = fmt[j]
        # What to output: text (with case changes), a number, or a subformat.
        text = None
        number = None
        spacepad = False
        subfmt = None
        bad = False
        if ch == "%":
            text = "%"
        elif ch == "a" or ch == "A":
            if modifier:
                bad = True
            else:
                if change_case:
                    upcase, lowcase = True, False
                if 0 <= wday <= 6:
                    text = _WDAY_ABBR[wday] if ch == "a" else _WDAY_FULL[wday]
                else:
                    text = "?"
        elif ch == "b" or ch == "h" or ch == "B":
            if change_case:
                upcase, lowcase = True, False
            if modifier == "E":
                bad = True
            elif 0 <= mon <= 11:
                text = _MON_FULL[mon] if ch == "B" else _MON_ABBR[mon]
            else:
                text = "?"
        elif ch == "c":
            if modifier == "O":
                bad = True
            else:
                subfmt = "%a %b %e %H:%M:%S %Y"
        elif ch == "C":
            year = _wrap32(tm_year + 1900)
            number = (1, _cdiv(year, 100) - (1 if _cmod(year, 100) < 0 else 0))
        elif ch == "x":
            if modifier == "O":
                bad = True
            else:
                subfmt = "%m/%d/%y"
        elif ch == "D":
            if modifier:
                bad = True
            else:
                subfmt = "%m/%d/%y"
        elif ch == "F":
            if modifier:
                bad = True
            else:
                subfmt = "%Y-%m-%d"
        elif ch == "R":
            subfmt = "%H:%M"
        elif ch == "r":
            subfmt = "%I:%M:%S %p"
        elif ch == "X":
            if modifier == "O":
                bad = True
            else:
                subfmt = "%H:%M:%S"
        elif ch == "T":
            subfmt = "%H:%M:%S"
        elif ch == "n":
            text = "\n"
        elif ch == "t":
            text = "\t"
        elif ch == "p" or ch == "P":
            if ch == "P":
                lowcase = True
            if change_case:
                upcase, lowcase = False, True
            text = "PM" if hour > 11 else "AM"
        elif ch == "Z":
            if change_case:
                upcase, lowcase = False, True
            name = zone
            if not name and isdst >= 0:
                _load_zone()   # glibc's strftime calls tzset() here
                name = _zone.cname[isdst] if isdst <= 1 else "?"
            text = name if name else ""
        elif ch == "z":
            if isdst < 0:
                continue
            diff = _wrap32(gmtoff)
            if diff < 0:
                out.put("-", width, pad)
                diff = -diff
            else:
                out.put("+", width, pad)
            diff = _cdiv(diff, 60)
            number = (4, _cdiv(diff, 60) * 100 + _cmod(diff, 60))
        elif ch == "s":
            res = _mktime_c(list(tm))
            t = -1 if res is None else res[0]
            if width >= out.limit:
                raise _TooLong
            _put_number(out, str(abs(t)), t < 0, 1, pad, width)
            continue
        elif modifier == "E" and ch in "deHIklmMSUVgGWwj":
            bad = True
        elif ch == "d":
            number = (2, mday)
        elif ch == "e":
            number = (2, mday)
            spacepad = True
        elif ch == "H":
            number = (2, hour)
        elif ch == "I":
            number = (2, hour12)
        elif ch == "k":
            number = (2, hour)
            spacepad = True
        elif ch == "l":
            number = (2, hour12)
            spacepad = True
        elif ch == "j":
            number = (3, _wrap32(1 + yday))
        elif ch == "M":
            number = (2, minute)
        elif ch == "m":
            number = (2, _wrap32(mon + 1))
        elif ch == "S":
            number = (2, sec)
        elif ch == "u":
            number = (1, _cmod(wday - 1 + 7, 7) + 1)
        elif ch == "U":
            number = (2, _cdiv(yday - wday + 7, 7))
        elif ch == "W":
            number = (2, _cdiv(yday - _cmod(wday - 1 + 7, 7) + 7, 7))
        elif ch == "w":
            number = (1, wday)
        elif ch == "V" or ch == "g" or ch == "G":
            year = _wrap32(tm_year + 1900)
            days = _iso_week_days(yday, wday)
            if days < 0:
                year -= 1
                days = _iso_week_days(yday + (366 if _isleap(year) else 365), wday)
            else:
                d = _iso_week_days(yday - (366 if _isleap(year) else 365), wday)
                if d >= 0:
                    year += 1
                    days = d
            year = _wrap32(year)
            if ch == "g":
                number = (2, _cmod(_cmod(year, 100) + 100, 100))
            elif ch == "G":
                number = (1, year)
            else:
                number = (2, _cdiv(days, 7) + 1)
        elif ch == "Y":
            if modifier == "O":
                bad = True
            else:
                number = (1, _wrap32(tm_year + 1900))
        elif ch == "y":
            number = (2, _cmod(_cmod(tm_year, 100) + 100, 100))
        else:
            bad = True
        if bad:
            k = fmt.rfind("%", 0, j + 1)
            text = fmt[k:j + 1]
        if text is not None:
            if width >= out.limit:
                raise _TooLong
            if lowcase:
                text = text.lower()
            elif upcase:
                text = text.upper()
            out.put(text, width, pad)
        elif number is not None:
            digits, value = number
            if width > digits:
                digits = width
            if digits >= out.limit:
                raise _TooLong
            if spacepad and pad != "0" and pad != "-":
                pad = "_"
            _put_number(out, str(abs(value)), value < 0, digits, pad, width)
        else:
            if width >= out.limit:
                raise _TooLong
            sub = _Out(out.limit)
            _strftime_into(sub, subfmt, tm)
            text = "".join(sub.parts)
            if upcase:
                text = text.upper()
            out.put(text, width, pad)


def strftime(*args, **kwargs):
    """strftime(format[, tuple]) -> string

    Format a time tuple (the current local time when omitted) according to the
    format, as the C library's strftime does in the C locale. Directives include
    %Y %m %d %H %M %S %a %A %b %B %c %x %X %p %j %U %W %w %y %z %Z %% and the GNU
    ones %e %F %T %D %R %G %g %V %u %C %h %k %l %s %n %t, with the GNU flags
    (_ - 0 ^ #) and field widths."""
    if kwargs:
        raise TypeError("strftime() takes no keyword arguments")
    if not args:
        raise TypeError("strftime() takes at least 1 argument (0 given)")
    if len(args) > 2:
        raise TypeError("strftime() takes at most 2 arguments (%d given)" % len(args))
    fmt = args[0]
    if not isinstance(fmt, str):
        raise TypeError("strftime() argument 1 must be str, not %s"
                        % ("None" if fmt is None else _typename(fmt)))
    if len(args) == 1:
        tm = _localtime_c(_now())
        if tm is None:
            raise OSError(75, _EOVERFLOW_MSG)
    else:
        tm = _gettmarg(args[1], "strftime")
        _checktm(tm)
    if tm[8] < -1:
        tm[8] = -1
    elif tm[8] > 1:
        tm[8] = 1
    if "\0" in fmt:
        raise ValueError("embedded null character")
    # CPython retries with doubling buffers from 1024 until 256 times the format's
    # length; a result that never fits is returned as ''.
    limit = 1024
    while limit < 256 * len(fmt):
        limit *= 2
    out = _Out(limit)
    try:
        _strftime_into(out, fmt, tm)
    except _TooLong:
        return ""
    return "".join(out.parts)


# ---------------------------------------------------------------------------
# strptime (the C locale)
# ---------------------------------------------------------------------------

_strptime_table = None
_strptime_table_key = None
_strptime_regexes = {}


def _names_re(values, group):
    # An alternation of the names, longest first, matching group `group`.
    import re
    ordered = sorted(values, key=len, reverse=True)
    if all(v == "" for v in ordered):
        return ""
    return "(?P<%s>%s)" % (group, "|".join(re.escape(v) for v in ordered))


def _strptime_zones():
    no_saving = ["utc", "gmt"]
    if tzname[0].lower() not in no_saving:
        no_saving.append(tzname[0].lower())
    saving = [tzname[1].lower()] if daylight else []
    return no_saving, saving


def _format_regex(fmt, table):
    # The regular expression for a strptime format: literal text escaped, runs of
    # whitespace matching any whitespace, and each directive replaced by its pattern.
    import re
    fmt = re.sub(r"([\\.^$*+?\(\){}\[\]|])", r"\\\1", fmt)
    fmt = re.sub(r"\s+", r"\\s+", fmt)
    parts = []
    while "%" in fmt:
        k = fmt.index("%")
        parts.append(fmt[:k])
        parts.append(table[fmt[k + 1]])
        fmt = fmt[k + 2:]
    parts.append(fmt)
    return "".join(parts)


def _strptime_directives():
    global _strptime_table, _strptime_table_key
    key = (tzname, daylight)
    if _strptime_table is not None and _strptime_table_key == key:
        return _strptime_table
    wdays_full = [d.lower() for d in _WDAY_FULL[1:] + _WDAY_FULL[:1]]
    wdays_abbr = [d.lower() for d in _WDAY_ABBR[1:] + _WDAY_ABBR[:1]]
    no_saving, saving = _strptime_zones()
    table = {
        "d": r"(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])",
        "f": r"(?P<f>[0-9]{1,6})",
        "H": r"(?P<H>2[0-3]|[0-1]\d|\d)",
        "I": r"(?P<I>1[0-2]|0[1-9]|[1-9])",
        "G": r"(?P<G>\d\d\d\d)",
        "j": r"(?P<j>36[0-6]|3[0-5]\d|[1-2]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9])",
        "m": r"(?P<m>1[0-2]|0[1-9]|[1-9])",
        "M": r"(?P<M>[0-5]\d|\d)",
        "S": r"(?P<S>6[0-1]|[0-5]\d|\d)",
        "U": r"(?P<U>5[0-3]|[0-4]\d|\d)",
        "W": r"(?P<W>5[0-3]|[0-4]\d|\d)",
        "w": r"(?P<w>[0-6])",
        "u": r"(?P<u>[1-7])",
        "V": r"(?P<V>5[0-3]|0[1-9]|[1-4]\d|\d)",
        "y": r"(?P<y>\d\d)",
        "Y": r"(?P<Y>\d\d\d\d)",
        "z": r"(?P<z>[+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?|(?-i:Z))",
        "A": _names_re(wdays_full, "A"),
        "a": _names_re(wdays_abbr, "a"),
        "B": _names_re([m.lower() for m in _MON_FULL], "B"),
        "b": _names_re([m.lower() for m in _MON_ABBR], "b"),
        "p": _names_re(["am", "pm"], "p"),
        "Z": _names_re(no_saving + saving, "Z"),
        "%": "%",
    }
    table["c"] = _format_regex("%a %b %d %H:%M:%S %Y", table)
    table["x"] = _format_regex("%m/%d/%y", table)
    table["X"] = _format_regex("%H:%M:%S", table)
    _strptime_table = table
    _strptime_table_key = key
    _strptime_regexes.clear()
    return table


def _check_date(y, m, d):
    # The checks (and messages) of datetime.date(y, m, d).
    if not (1 <= y <= 9999):
        raise ValueError("year %d is out of range" % y)
    if not (1 <= m <= 12):
        raise ValueError("month must be in 1..12")
    dim = _CUM_DAYS[1 if _isleap(y) else 0]
    if not (1 <= d <= dim[m] - dim[m - 1]):
        raise ValueError("day is out of range for month")


def _ordinal(y, m, d):
    # date(y, m, d).toordinal(), checking the date as datetime does.
    _check_date(y, m, d)
    return _days_from_civil(y, m, d) + 719163


def _from_ordinal(n):
    if n < 1:
        raise ValueError("ordinal must be >= 1")
    y, m, d = _civil_from_days(n - 719163)
    if y > 9999:
        raise ValueError("year %d is out of range" % y)
    return y, m, d


def _strptime(data_string, format="%a %b %d %H:%M:%S %Y"):
    # The parse behind strptime(): ((year, month, day, hour, minute, second,
    # weekday, julian, isdst, zone, gmtoff), microseconds, gmtoff microseconds).
    for index, arg in ((0, data_string), (1, format)):
        if not isinstance(arg, str):
            raise TypeError("strptime() argument %d must be str, not %s"
                            % (index, type(arg)))
    table = _strptime_directives()
    regex = _strptime_regexes.get(format)
    if regex is None:
        import re
        try:
            pattern = _format_regex(format, table)
        except KeyError as err:
            bad = err.args[0]
            if bad == "\\":
                bad = "%"
            raise ValueError("'%s' is a bad directive in format '%s'"
                             % (bad, format)) from None
        except IndexError:
            raise ValueError("stray %% in format '%s'" % format) from None
        regex = re.compile(pattern, re.IGNORECASE)
        if len(_strptime_regexes) > 100:
            _strptime_regexes.clear()
        _strptime_regexes[format] = regex
    found = regex.match(data_string)
    if not found:
        raise ValueError("time data %r does not match format %r" % (data_string, format))
    if len(data_string) != found.end():
        raise ValueError("unconverted data remains: %s" % data_string[found.end():])

    iso_year = year = None
    month = day = 1
    hour = minute = second = fraction = 0
    isdst = -1
    gmtoff = None
    gmtoff_fraction = 0
    iso_week = week_of_year = None
    week_starts_monday = False
    weekday = julian = None
    groups = found.groupdict()
    for key in groups:
        value = groups[key]
        if key == "y":
            year = int(value)
            year += 2000 if year <= 68 else 1900
        elif key == "Y":
            year = int(value)
        elif key == "G":
            iso_year = int(value)
        elif key == "m":
            month = int(value)
        elif key == "B":
            month = [m.lower() for m in _MON_FULL].index(value.lower()) + 1
        elif key == "b":
            month = [m.lower() for m in _MON_ABBR].index(value.lower()) + 1
        elif key == "d":
            day = int(value)
        elif key == "H":
            hour = int(value)
        elif key == "I":
            hour = int(value)
            ampm = groups.get("p", "").lower()
            if ampm in ("", "am"):
                if hour == 12:
                    hour = 0
            elif ampm == "pm":
                if hour != 12:
                    hour += 12
        elif key == "M":
            minute = int(value)
        elif key == "S":
            second = int(value)
        elif key == "f":
            fraction = int(value + "0" * (6 - len(value)))
        elif key == "A":
            weekday = [d.lower() for d in _WDAY_FULL[1:] + _WDAY_FULL[:1]].index(
                value.lower())
        elif key == "a":
            weekday = [d.lower() for d in _WDAY_ABBR[1:] + _WDAY_ABBR[:1]].index(
                value.lower())
        elif key == "w":
            weekday = int(value)
            weekday = 6 if weekday == 0 else weekday - 1
        elif key == "u":
            weekday = int(value) - 1
        elif key == "j":
            julian = int(value)
        elif key == "U" or key == "W":
            week_of_year = int(value)
            week_starts_monday = key == "W"
        elif key == "V":
            iso_week = int(value)
        elif key == "z":
            z = value
            if z == "Z":
                gmtoff = 0
            else:
                if z[3] == ":":
                    z = z[:3] + z[4:]
                    if len(z) > 5:
                        if z[5] != ":":
                            raise ValueError("Inconsistent use of : in %s" % value)
                        z = z[:5] + z[6:]
                gmtoff = int(z[1:3]) * 3600 + int(z[3:5]) * 60 + int(z[5:7] or 0)
                rest = z[8:]
                gmtoff_fraction = int(rest + "0" * (6 - len(rest)))
                if z.startswith("-"):
                    gmtoff = -gmtoff
                    gmtoff_fraction = -gmtoff_fraction
        elif key == "Z":
            found_zone = value.lower()
            for flag, names in enumerate(_strptime_zones()):
                if found_zone in names:
                    if (tzname[0] == tzname[1] and daylight
                            and found_zone not in ("utc", "gmt")):
                        break
                    isdst = flag
                    break

    if year is None and iso_year is not None:
        if iso_week is None or weekday is None:
            raise ValueError("ISO year directive '%G' must be used with the ISO week "
                             "directive '%V' and a weekday directive ('%A', '%a', "
                             "'%w', or '%u').")
        if julian is not None:
            raise ValueError("Day of the year directive '%j' is not compatible with "
                             "ISO year directive '%G'. Use '%Y' instead.")
    elif week_of_year is None and iso_week is not None:
        if weekday is None:
            raise ValueError("ISO week directive '%V' must be used with the ISO year "
                             "directive '%G' and a weekday directive ('%A', '%a', "
                             "'%w', or '%u').")
        raise ValueError("ISO week directive '%V' is incompatible with the year "
                         "directive '%Y'. Use the ISO year '%G' instead.")

    leap_year_fix = False
    if year is None and month == 2 and day == 29:
        # No year but February 29: compute in a leap year, report 1900.
        year = 1904
        leap_year_fix = True
    elif year is None:
        year = 1900

    if julian is None and weekday is not None:
        if week_of_year is not None:
            first = (_ordinal(year, 1, 1) + 6) % 7
            wd = weekday
            if not week_starts_monday:
                first = (first + 1) % 7
                wd = (wd + 1) % 7
            if week_of_year == 0:
                julian = 1 + wd - first
            else:
                julian = 1 + (7 - first) % 7 + 7 * (week_of_year - 1) + wd
        elif iso_year is not None and iso_week is not None:
            jan4 = _ordinal(iso_year, 1, 4)
            ordinal = iso_week * 7 + (weekday + 1) - ((jan4 + 6) % 7 + 1 + 3)
            if ordinal < 1:
                ordinal += _ordinal(iso_year, 1, 1)
                iso_year -= 1
                ordinal -= _ordinal(iso_year, 1, 1)
            year, julian = iso_year, ordinal
        if julian is not None and julian <= 0:
            year -= 1
            julian += 366 if _isleap(year) else 365

    if julian is None:
        julian = _ordinal(year, month, day) - _ordinal(year, 1, 1) + 1
    else:
        year, month, day = _from_ordinal(julian - 1 + _ordinal(year, 1, 1))
    if weekday is None:
        weekday = (_ordinal(year, month, day) + 6) % 7
    zone_name = groups.get("Z")
    if leap_year_fix:
        year = 1900
    return ((year, month, day, hour, minute, second, weekday, julian, isdst,
             zone_name, gmtoff), fraction, gmtoff_fraction)


def strptime(*args, **kwargs):
    """strptime(string, format) -> struct_time

    Parse a string to a time tuple according to a format ('%a %b %d %H:%M:%S %Y'
    when omitted), with the directives of strftime in the C locale and also %f
    (microseconds, parsed and dropped)."""
    if kwargs:
        raise TypeError("strptime() takes no keyword arguments")
    if not args:
        raise TypeError("_strptime_time() missing 1 required positional argument: "
                        "'data_string'")
    if len(args) > 2:
        raise TypeError("_strptime_time() takes from 1 to 2 positional arguments but "
                        "%d were given" % len(args))
    return struct_time(_strptime(*args)[0])


_load_zone()
_init_timezone()
