"""The io module (pyvm's own implementation).

* The abstract classes IOBase, RawIOBase, BufferedIOBase and TextIOBase, with the
  default methods CPython's give their subclasses (readline on top of read,
  readlines, writelines, iteration, the context manager, close/closed, ...).
* The in-memory streams StringIO and BytesIO.
* TextIOWrapper, which decodes/encodes text on top of a binary buffer (BytesIO,
  BufferedReader, a binary file, ...) with CPython's newline handling, and
  IncrementalNewlineDecoder.
* FileIO (a raw file on top of os.open/os.read/os.write) and the buffered
  classes BufferedReader, BufferedWriter, BufferedRandom and BufferedRWPair.

`open` is the built-in one. pyvm's built-in open() returns objects of one native
type for text and binary files alike; isinstance() checks against the classes
here look at such an object's mode to answer as CPython would (a text file is a
TextIOWrapper, 'rb' gives a BufferedReader, 'wb' a BufferedWriter, '+' a
BufferedRandom).

Codecs: pyvm knows UTF-8, Latin-1 and ASCII. TextIOWrapper decodes those
incrementally, chunk by chunk; any other encoding pyvm may learn is decoded in
one piece.
"""

import sys as _sys
from abc import ABCMeta as _ABCMeta

__all__ = ["BlockingIOError", "open", "open_code", "IOBase", "RawIOBase",
           "FileIO", "BytesIO", "StringIO", "BufferedIOBase",
           "BufferedReader", "BufferedWriter", "BufferedRWPair",
           "BufferedRandom", "TextIOBase", "TextIOWrapper",
           "UnsupportedOperation", "SEEK_SET", "SEEK_CUR", "SEEK_END",
           "DEFAULT_BUFFER_SIZE", "text_encoding", "IncrementalNewlineDecoder"]

SEEK_SET = 0
SEEK_CUR = 1
SEEK_END = 2

DEFAULT_BUFFER_SIZE = 8 * 1024

# The encoding 'locale' (and None) stands for; pyvm runs with a UTF-8 locale.
_LOCALE_ENCODING = "UTF-8"

open = open
BlockingIOError = BlockingIOError


class UnsupportedOperation(OSError, ValueError):
    pass


def open_code(path):
    """Open path for reading as a binary file (what the import system uses)."""
    if not isinstance(path, str):
        raise TypeError("open_code() argument 'path' must be str, not %s"
                        % type(path).__name__)
    return open(path, "rb")


def text_encoding(encoding, stacklevel=2):
    """The encoding to use: encoding itself, or "locale" when it is None."""
    if encoding is None:
        return "locale"
    return encoding


# ----- small helpers --------------------------------------------------------------------------

def _index(value):
    # The integer value of a size or position argument (what __index__ gives).
    if type(value) is int:
        return value
    if isinstance(value, int):
        return int.__index__(value)
    try:
        method = type(value).__index__
    except AttributeError:
        raise TypeError("'%s' object cannot be interpreted as an integer"
                        % type(value).__name__) from None
    return method(value)


def _size(size):
    # read()/readline() sizes: None or a negative number means "no limit" (-1).
    if size is None:
        return -1
    if not isinstance(size, int) and not hasattr(type(size), "__index__"):
        raise TypeError("argument should be integer or None, not '%s'" % type(size).__name__)
    return _index(size)


def _check_newline(newline, show=repr):
    # (CPython's StringIO shows a bad value's repr, TextIOWrapper its str.)
    if newline is not None and not isinstance(newline, str):
        raise TypeError("newline must be str or None, not %s" % type(newline).__name__)
    if newline not in (None, "", "\n", "\r", "\r\n"):
        raise ValueError("illegal newline value: %s" % show(newline))


# What the `newlines` attribute shows for each combination of the newline kinds
# a universal-newline reader has seen (bits: 1 '\n', 2 '\r', 4 '\r\n').
_NEWLINES_SEEN = (None, "\n", "\r", ("\r", "\n"), "\r\n", ("\n", "\r\n"),
                  ("\r", "\r\n"), ("\r", "\n", "\r\n"))


def _seen_newlines(text):
    crlf = text.count("\r\n")
    return ((4 if crlf else 0) | (2 if text.count("\r") > crlf else 0)
            | (1 if text.count("\n") > crlf else 0))


def _find(data, sub, start):
    # data.find(sub, start), searching windows cut from data: pyvm's find()
    # (and other str/bytes methods) take time in proportion to the whole
    # object whatever start is, which would make reading line by line quadratic.
    n = len(data)
    window = 256
    while start < n:
        i = data[start:start + window + len(sub) - 1].find(sub)
        if i >= 0:
            return start + i
        start += window
        window *= 2
    return -1


def _universal_line_end(text, start):
    # Index just past the first line ending ('\n', '\r' or '\r\n') at or after
    # start, or -1. (Windows again, as in _find.)
    n = len(text)
    window = 256
    while start < n:
        piece = text[start:start + window]
        lf = piece.find("\n")
        cr = piece.find("\r")
        if cr >= 0 and (lf < 0 or cr < lf):
            cr += start
            return cr + 2 if text[cr + 1:cr + 2] == "\n" else cr + 1
        if lf >= 0:
            return start + lf + 1
        start += window
        window *= 2
    return -1


# ----- isinstance() of pyvm's native file objects -------------------------------------------

# The type of what the built-in open() returns (sys.stdout is one of them).
_NativeFile = type(getattr(_sys, "__stdout__", None))
if _NativeFile is type(None):
    _NativeFile = None


def _native_kind(f):
    mode = getattr(f, "mode", "r")
    if "b" not in mode:
        return "text"
    if "+" in mode:
        return "random"
    return "reader" if "r" in mode else "writer"


class _IOMeta(_ABCMeta):
    """ABCMeta, except that a native file object is an instance of the classes
    whose `_native_kinds` (in their own namespace) include its kind."""

    def __instancecheck__(cls, instance):
        if _NativeFile is not None and type(instance) is _NativeFile:
            return _native_kind(instance) in cls.__dict__.get("_native_kinds", ())
        return super().__instancecheck__(instance)


# ----- the abstract base classes --------------------------------------------------------------

class IOBase(metaclass=_IOMeta):
    """The abstract base class for all I/O classes.

    Its methods work on top of the ones a subclass provides: readline() uses
    read() (and peek() when there is one), iteration uses readline(), close()
    flushes, and the context manager closes. seek(), truncate() and fileno()
    are unsupported unless overridden.
    """

    _native_kinds = ("text", "reader", "writer", "random")

    def _unsupported(self, name):
        raise UnsupportedOperation(name)

    def seek(self, pos, whence=0):
        """Change the stream position (unsupported here)."""
        self._unsupported("seek")

    def tell(self):
        """Return the current stream position."""
        return self.seek(0, 1)

    def truncate(self, pos=None):
        """Truncate the file (unsupported here)."""
        self._unsupported("truncate")

    def flush(self):
        """Flush write buffers, if any (a closed stream refuses)."""
        self._checkClosed()

    # CPython keeps the flag under this name in the instance dict.
    @property
    def closed(self):
        return getattr(self, "__IOBase_closed", False)

    def close(self):
        """Flush and close the stream; closing again does nothing."""
        if not getattr(self, "__IOBase_closed", False):
            try:
                self.flush()
            finally:
                setattr(self, "__IOBase_closed", True)

    def __del__(self):
        # Closing on destruction flushes what a buffered/text stream still
        # holds; errors are silenced, as CPython does outside its dev mode.
        try:
            closed = self.closed
        except Exception:
            return
        if closed:
            return
        try:
            self.close()
        except Exception:
            pass

    def seekable(self):
        return False

    def readable(self):
        return False

    def writable(self):
        return False

    def _checkClosed(self, msg=None):
        if self.closed:
            raise ValueError("I/O operation on closed file." if msg is None else msg)

    def _checkSeekable(self, msg=None):
        if not self.seekable():
            raise UnsupportedOperation(msg or "File or stream is not seekable.")

    def _checkReadable(self, msg=None):
        if not self.readable():
            raise UnsupportedOperation(msg or "File or stream is not readable.")

    def _checkWritable(self, msg=None):
        if not self.writable():
            raise UnsupportedOperation(msg or "File or stream is not writable.")

    def __enter__(self):
        self._checkClosed()
        return self

    def __exit__(self, *args):
        self.close()

    def fileno(self):
        """The underlying file descriptor (unsupported here)."""
        self._unsupported("fileno")

    def isatty(self):
        self._checkClosed()
        return False

    def readline(self, size=-1):
        """Read and return one line of bytes (at most size bytes)."""
        size = _size(size)
        peek = getattr(self, "peek", None)
        res = bytearray()
        while size < 0 or len(res) < size:
            nreadahead = 1
            if peek is not None:
                # Read up to the newline the buffer already holds, in one go.
                readahead = peek(1)
                if readahead:
                    nreadahead = (readahead.find(b"\n") + 1) or len(readahead)
                    if size >= 0:
                        nreadahead = min(nreadahead, size - len(res))
            b = self.read(nreadahead)
            if b is None:
                break
            if not isinstance(b, (bytes, bytearray)):
                raise OSError("read() should have returned a bytes object, not '%s'"
                              % type(b).__name__)
            if not b:
                break
            res += b
            if res.endswith(b"\n"):
                break
        return bytes(res)

    def __iter__(self):
        self._checkClosed()
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def readlines(self, hint=None):
        """Return the remaining lines; with a positive hint, stop once the lines
        read so far hold more than hint characters/bytes."""
        hint = _size(hint)
        lines = []
        if hint <= 0:
            for line in self:
                lines.append(line)
            return lines
        total = 0
        for line in self:
            lines.append(line)
            if len(line) > hint - total:
                break
            total += len(line)
        return lines

    def writelines(self, lines):
        """Write each item of lines (no line separators are added)."""
        self._checkClosed()
        for line in lines:
            self.write(line)


class RawIOBase(IOBase):
    """Base class for raw binary I/O: subclasses provide readinto() and write()."""

    def read(self, size=-1):
        """Read at most size bytes with one readinto() call; all with size < 0."""
        size = _size(size)
        if size < 0:
            return self.readall()
        b = bytearray(size)
        n = self.readinto(b)
        if n is None:
            return None
        del b[n:]
        return bytes(b)

    def readall(self):
        """Read until EOF, with as many read() calls as it takes."""
        res = bytearray()
        while True:
            data = self.read(DEFAULT_BUFFER_SIZE)
            if data is None:
                if not len(res):
                    return None
                break
            if not data:
                break
            res += data
        return bytes(res)

    def readinto(self, b):
        """Read bytes into the pre-allocated writable buffer b."""
        raise NotImplementedError

    def write(self, b):
        """Write the bytes b; return how many were written."""
        raise NotImplementedError


class BufferedIOBase(IOBase):
    """Base class for buffered binary streams: read(), read1() and write() are
    for subclasses to provide; readinto() uses read()."""

    _native_kinds = ("reader", "writer", "random")

    def read(self, size=-1):
        self._unsupported("read")

    def read1(self, size=-1):
        self._unsupported("read1")

    def write(self, b):
        self._unsupported("write")

    def detach(self):
        """Separate the underlying raw stream from the buffer and return it."""
        self._unsupported("detach")

    def readinto(self, b):
        return self._readinto(b, self.read)

    def readinto1(self, b):
        return self._readinto(b, self.read1)

    def _readinto(self, b, read):
        data = read(len(b))
        n = len(data)
        b[:n] = data
        return n


class TextIOBase(IOBase):
    """Base class for text streams: read(), readline() and write() work with str."""

    _native_kinds = ("text",)

    encoding = None
    errors = None
    newlines = None

    def read(self, size=-1):
        self._unsupported("read")

    def readline(self, size=-1):
        self._unsupported("readline")

    def write(self, s):
        self._unsupported("write")

    def detach(self):
        """Separate the underlying binary buffer from the stream and return it."""
        self._unsupported("detach")


if _NativeFile is not None:
    IOBase.register(_NativeFile)


# ----- the in-memory streams ------------------------------------------------------------------

class _MemoryIO:
    """What StringIO and BytesIO share. The contents are self._value plus the
    pieces written at the end since (joined on demand, so that many small writes
    cost linear time); self._pos is the position."""

    def _init(self, empty):
        self._empty = empty
        self._value = empty
        self._pieces = []
        self._length = 0
        self._pos = 0
        self._closed = False

    def _check(self):
        if self._closed:
            raise ValueError(self._closed_msg)

    def _data(self):
        if self._pieces:
            self._value = self._value + self._empty.join(self._pieces)
            self._pieces = []
        return self._value

    def _store(self, s):
        # Put s (already checked and translated) at the current position.
        pos = self._pos
        if pos == self._length:
            self._pieces.append(s)
        else:
            value = self._data()
            if pos > len(value):
                value = value + self._empty.join([self._pad] * (pos - len(value)))
            self._value = value[:pos] + s + value[pos + len(s):]
        self._pos = pos + len(s)
        self._length = max(self._length, self._pos)

    @property
    def closed(self):
        return self._closed

    def close(self):
        self._closed = True
        self._value = self._empty
        self._pieces = []

    def readable(self):
        self._check()
        return True

    def writable(self):
        self._check()
        return True

    def seekable(self):
        self._check()
        return True

    def tell(self):
        self._check()
        return self._pos

    def getvalue(self):
        """The whole contents of the buffer."""
        self._check()
        return self._data()

    def read(self, size=-1):
        """Read at most size items (all of the rest when size is None or < 0)."""
        self._check()
        size = _size(size)
        data = self._data()
        pos = self._pos
        end = len(data) if size < 0 else min(len(data), pos + size)
        if end <= pos:
            return self._empty
        self._pos = end
        return data[pos:end]

    def readline(self, size=-1):
        """Read one line (at most size items)."""
        self._check()
        size = _size(size)
        data = self._data()
        pos = self._pos
        end = self._line_end(data, pos)
        if end < 0:
            end = len(data)
        if size >= 0:
            end = min(end, pos + size)
        if end <= pos:
            return self._empty
        self._pos = end
        return data[pos:end]

    def __next__(self):
        self._check()
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def truncate(self, size=None):
        """Cut the contents at size (the current position by default)."""
        self._check()
        if size is None:
            size = self._pos
        else:
            size = _index(size)
            if size < 0:
                raise ValueError(self._negative_size_msg % size)
        if size < self._length:
            self._value = self._data()[:size]
            self._length = size
        return size


class StringIO(_MemoryIO, TextIOBase):
    """Text I/O held in memory: StringIO(initial_value='', newline='\\n')."""

    __module__ = "_io"
    _closed_msg = "I/O operation on closed file"
    _negative_size_msg = "Negative size value %d"
    _pad = "\0"

    def __init__(self, initial_value="", newline="\n"):
        _check_newline(newline)
        if initial_value is None:
            initial_value = ""
        if not isinstance(initial_value, str):
            raise TypeError("initial_value must be str or None, not %s"
                            % type(initial_value).__name__)
        self._init("")
        self._newline = newline
        self._seennl = 0
        if initial_value:
            self.write(initial_value)
            self._pos = 0

    def _line_end(self, text, pos):
        newline = self._newline
        if newline == "":
            return _universal_line_end(text, pos)
        nl = "\n" if newline is None else newline
        i = _find(text, nl, pos)
        return i + len(nl) if i >= 0 else -1

    @property
    def line_buffering(self):
        self._check()
        return False

    @property
    def newlines(self):
        self._check()
        if self._newline is None or self._newline == "":
            return _NEWLINES_SEEN[self._seennl]
        return None

    def write(self, s):
        """Write s at the current position; return len(s)."""
        self._check()
        if not isinstance(s, str):
            raise TypeError("string argument expected, got '%s'" % type(s).__name__)
        length = len(s)
        newline = self._newline
        if newline is None:
            self._seennl |= _seen_newlines(s)
            if "\r" in s:
                s = s.replace("\r\n", "\n").replace("\r", "\n")
        elif newline == "":
            self._seennl |= _seen_newlines(s)
        elif newline != "\n" and "\n" in s:
            s = s.replace("\n", newline)
        if s:
            self._store(s)
        return length

    def seek(self, pos, whence=0):
        """Move to pos (whence 0); only seek(0, 1) and seek(0, 2) otherwise."""
        self._check()
        pos = _index(pos)
        whence = _index(whence)
        if whence not in (0, 1, 2):
            raise ValueError("Invalid whence (%d, should be 0, 1 or 2)" % whence)
        if pos < 0 and whence == 0:
            raise ValueError("Negative seek position %d" % pos)
        if whence != 0 and pos != 0:
            raise OSError("Can't do nonzero cur-relative seeks")
        if whence:
            pos = self._pos if whence == 1 else self._length
        self._pos = pos
        return pos

    def detach(self):
        self._unsupported("detach")


class BytesIO(_MemoryIO, BufferedIOBase):
    """Binary I/O held in memory: BytesIO(initial_bytes=b'')."""

    __module__ = "_io"
    _closed_msg = "I/O operation on closed file."
    _negative_size_msg = "negative size value %d"
    _pad = b"\0"

    def __init__(self, initial_bytes=b""):
        if initial_bytes is None:
            initial_bytes = b""
        if isinstance(initial_bytes, str):
            raise TypeError("a bytes-like object is required, not 'str'")
        self._init(b"")
        self._value = bytes(initial_bytes)
        self._length = len(self._value)

    def _line_end(self, buf, pos):
        i = _find(buf, b"\n", pos)
        return i + 1 if i >= 0 else -1

    def getbuffer(self):
        """A copy of the contents as a bytearray (pyvm has no memoryview)."""
        self._check()
        return bytearray(self._data())

    def flush(self):
        self._check()

    def isatty(self):
        self._check()
        return False

    def write(self, b):
        """Write the bytes-like b at the current position; return len(b)."""
        self._check()
        if isinstance(b, str) or not isinstance(b, (bytes, bytearray)):
            raise TypeError("a bytes-like object is required, not '%s'" % type(b).__name__)
        if len(b):
            self._store(bytes(b))
        return len(b)

    read1 = _MemoryIO.read

    def readinto(self, b):
        """Read into the writable buffer b; return the number of bytes read."""
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)

    readinto1 = readinto

    def readlines(self, hint=None):
        """The remaining lines; with a positive hint, stop once they hold hint bytes."""
        self._check()
        hint = _size(hint)
        lines = []
        total = 0
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)
            total += len(line)
            if 0 < hint <= total:
                return lines

    def __iter__(self):
        return self

    def seek(self, pos, whence=0):
        """Move to pos relative to the start (0), the current position (1) or the end (2)."""
        self._check()
        pos = _index(pos)
        whence = _index(whence)
        if whence == 0:
            if pos < 0:
                raise ValueError("negative seek value %d" % pos)
        elif whence == 1:
            pos += self._pos
        elif whence == 2:
            pos += self._length
        else:
            raise ValueError("invalid whence (%d, should be 0, 1 or 2)" % whence)
        self._pos = max(0, pos)
        return self._pos


# ----- text on top of a binary buffer ---------------------------------------------------------

class IncrementalNewlineDecoder:
    """Wraps a decoder (or None, for str input) and handles universal newlines:
    with translate, '\\r\\n' and '\\r' become '\\n'. A trailing '\\r' is held back
    until the next input shows whether a '\\n' follows. `newlines` tells which
    line endings were seen."""

    __module__ = "_io"

    def __init__(self, decoder, translate, errors="strict"):
        self.decoder = decoder
        self.translate = translate
        self.errors = errors
        self._seennl = 0
        self._pendingcr = False

    def decode(self, input, final=False):
        if self.decoder is None:
            output = input
        else:
            output = self.decoder.decode(input, final=final)
        if self._pendingcr and (output or final):
            output = "\r" + output
            self._pendingcr = False
        if output.endswith("\r") and not final:
            output = output[:-1]
            self._pendingcr = True
        self._seennl |= _seen_newlines(output)
        if self.translate and "\r" in output:
            output = output.replace("\r\n", "\n").replace("\r", "\n")
        return output

    def getstate(self):
        if self.decoder is None:
            buf, flag = b"", 0
        else:
            buf, flag = self.decoder.getstate()
        flag <<= 1
        if self._pendingcr:
            flag |= 1
        return buf, flag

    def setstate(self, state):
        buf, flag = state
        self._pendingcr = bool(flag & 1)
        if self.decoder is not None:
            self.decoder.setstate((buf, flag >> 1))

    def reset(self):
        self._seennl = 0
        self._pendingcr = False
        if self.decoder is not None:
            self.decoder.reset()

    @property
    def newlines(self):
        return _NEWLINES_SEEN[self._seennl]


def _check_str_args(func, **args):
    for name, value in args.items():
        if value is not None and not isinstance(value, str):
            raise TypeError("%s() argument '%s' must be str or None, not %s"
                            % (func, name, type(value).__name__))


def _codec_family(encoding):
    # How TextIOWrapper can split undecoded input: 'utf-8' (hold back an
    # unfinished sequence), 'single' (one byte per character) or 'whole' (an
    # encoding decoded in one piece at EOF).
    name = encoding.lower().replace("_", "-")
    if name in ("utf-8", "utf8", "u8", "utf", "cp65001"):
        return "utf-8"
    if name in ("latin-1", "latin1", "l1", "iso-8859-1", "iso8859-1", "8859", "cp819",
                "latin", "ascii", "us-ascii", "646"):
        return "single"
    return "whole"


def _utf8_incomplete_tail(data):
    # How many bytes at the end of data start a UTF-8 sequence that has not
    # arrived in full.
    n = len(data)
    for back in range(1, min(4, n) + 1):
        byte = data[n - back]
        if byte & 0xC0 != 0x80:
            if byte >= 0xF0:
                need = 4
            elif byte >= 0xE0:
                need = 3
            elif byte >= 0xC0:
                need = 2
            else:
                need = 1
            return back if back < need else 0
    return 0


class TextIOWrapper(TextIOBase):
    """A text stream over a binary buffer:
    TextIOWrapper(buffer, encoding=None, errors=None, newline=None,
                  line_buffering=False, write_through=False).

    Reading decodes the buffer chunk by chunk. With newline=None, '\\r\\n' and
    '\\r' read as '\\n'; with '' any of the three ends a line but is kept as it
    is; with '\\n', '\\r' or '\\r\\n' only that one ends a line. Writing encodes;
    '\\n' is written as the given newline (os.linesep for None). Written bytes
    are held until flush() (or a read, seek, tell, close) unless write_through,
    or line_buffering and the text has a line break.
    """

    __module__ = "_io"
    _native_kinds = ("text",)
    _CHUNK_SIZE = 8192

    def __init__(self, buffer, encoding=None, errors=None, newline=None,
                 line_buffering=False, write_through=False):
        self._buffer = None
        _check_str_args("TextIOWrapper", encoding=encoding, errors=errors, newline=newline)
        _check_newline(newline, str)
        encoding = text_encoding(encoding)
        if encoding == "locale":
            encoding = _LOCALE_ENCODING
        "".encode(encoding)            # LookupError for an unknown encoding
        self._buffer = buffer
        self._set_codec(encoding, "strict" if errors is None else errors)
        self._set_newline(newline)
        self._line_buffering = bool(line_buffering)
        self._write_through = bool(write_through)
        self._has_read1 = hasattr(buffer, "read1")
        self._pending_writes = []
        self._pending_size = 0
        self._reset_read_state()

    def _set_codec(self, encoding, errors):
        self._encoding = encoding
        self._errors = errors
        self._family = _codec_family(encoding)

    def _set_newline(self, newline):
        self._newline = newline
        # Reading: translate '\r\n'/'\r' to '\n' (None), or split lines on any of
        # them ('' too), or only on the given one.
        self._readuniversal = not newline
        self._readtranslate = newline is None
        self._readnl = newline
        # Writing: '\n' becomes this (None: no translation).
        writenl = "\n" if newline is None else newline
        self._writenl = writenl if newline and writenl != "\n" else None

    def _reset_read_state(self):
        self._decoded = ""          # decoded text, newlines not yet translated
        self._decoded_pos = 0       # the next character to hand out
        self._undecoded = b""       # the start of a character still incomplete
        self._pendingcr = False     # a decoded '\r' held back (a '\n' may follow)
        self._whole = None          # 'whole' codecs: all input read so far

    # -- state checks -----------------------------------------------------------------

    def _check_attached(self):
        if self._buffer is None:
            raise ValueError("underlying buffer has been detached")
        return self._buffer

    def _check_open(self):
        if self._check_attached().closed:
            raise ValueError("I/O operation on closed file.")

    # -- attributes -------------------------------------------------------------------

    encoding = property(lambda self: self._encoding)
    errors = property(lambda self: self._errors)
    line_buffering = property(lambda self: self._line_buffering)
    write_through = property(lambda self: self._write_through)
    buffer = property(lambda self: self._buffer)
    closed = property(lambda self: self._check_attached().closed)
    name = property(lambda self: self._check_attached().name)

    _seennl = 0

    @property
    def newlines(self):
        self._check_attached()
        return _NEWLINES_SEEN[self._seennl] if self._readuniversal else None

    def fileno(self):
        return self._check_attached().fileno()

    def isatty(self):
        return self._check_attached().isatty()

    def readable(self):
        return self._check_attached().readable()

    def writable(self):
        return self._check_attached().writable()

    def seekable(self):
        return self._check_attached().seekable()

    def __repr__(self):
        parts = ["<_io.TextIOWrapper"]
        for attr in ("name", "mode"):
            try:
                value = getattr(self, attr)
            except (AttributeError, ValueError):
                continue
            parts.append(" %s=%r" % (attr, value))
        parts.append(" encoding=%r>" % (self._encoding,))
        return "".join(parts)

    # -- writing ----------------------------------------------------------------------

    def write(self, s):
        """Write the str s; return its length."""
        self._check_open()
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        length = len(s)
        needflush = self._line_buffering and ("\n" in s or "\r" in s)
        if self._writenl is not None and "\n" in s:
            s = s.replace("\n", self._writenl)
        data = s.encode(self._encoding, self._errors)
        # As in CPython, what was read ahead is dropped (the buffer's position
        # stays where reading left it) and the newline kinds seen are forgotten.
        self._reset_read_state()
        self._seennl = 0
        self._pending_writes.append(data)
        self._pending_size += len(data)
        if self._pending_size >= self._CHUNK_SIZE or needflush or self._write_through:
            self._flush_pending()
        if needflush:
            self._buffer.flush()
        return length

    def _flush_pending(self):
        if self._pending_writes:
            data = b"".join(self._pending_writes)
            self._pending_writes = []
            self._pending_size = 0
            self._buffer.write(data)

    def flush(self):
        """Write what is pending to the buffer, and flush the buffer."""
        self._check_open()
        self._flush_pending()
        self._buffer.flush()

    def close(self):
        self._check_attached()
        if self._buffer.closed:
            return
        try:
            self.flush()
        finally:
            self._buffer.close()

    def detach(self):
        """Flush, then separate the buffer from the wrapper and return it."""
        self._check_attached()
        self.flush()
        buffer = self._buffer
        self._buffer = None
        return buffer

    def reconfigure(self, *, encoding=None, errors=None, newline=Ellipsis,
                    line_buffering=None, write_through=None):
        """Change the encoding, errors, newline, line_buffering or write_through."""
        if (self._decoded or self._undecoded or self._whole is not None) and (
                encoding is not None or errors is not None or newline is not Ellipsis):
            raise UnsupportedOperation("It is not possible to set the encoding or newline "
                                       "of stream after the first read")
        _check_str_args("reconfigure", encoding=encoding, errors=errors)
        if newline is not Ellipsis:
            _check_newline(newline, str)
        if encoding is None:
            encoding = self._encoding
            if errors is None:
                errors = self._errors
        else:
            if encoding == "locale":
                encoding = _LOCALE_ENCODING
            "".encode(encoding)
            if errors is None:
                errors = "strict"
        self.flush()
        self._set_codec(encoding, errors)
        if newline is not Ellipsis:
            self._set_newline(newline)
        if line_buffering is not None:
            self._line_buffering = bool(line_buffering)
        if write_through is not None:
            self._write_through = bool(write_through)

    # -- reading ----------------------------------------------------------------------

    def _check_readable(self):
        self._check_open()
        self._flush_pending()
        if not self._buffer.readable():
            raise UnsupportedOperation("not readable")

    def _decode(self, data, final):
        # Decode data after what was left over, holding back an unfinished
        # character (and a trailing '\r'); track the newline kinds seen.
        data = self._undecoded + data
        if self._family == "whole":
            # Gather everything, then decode once at EOF.
            self._whole = (self._whole or b"") + data
            self._undecoded = b""
            if not final:
                return ""
            data = self._whole
            self._whole = b""
            keep = 0
        elif final or self._family == "single":
            keep = 0
        else:
            keep = _utf8_incomplete_tail(data)
        if keep:
            self._undecoded = data[len(data) - keep:]
            data = data[:len(data) - keep]
        else:
            self._undecoded = b""
        text = data.decode(self._encoding, self._errors)
        if self._pendingcr and (text or final):
            text = "\r" + text
            self._pendingcr = False
        if not final and text.endswith("\r"):
            text = text[:-1]
            self._pendingcr = True
        if self._readuniversal:
            self._seennl |= _seen_newlines(text)
        return text

    def _read_chunk(self):
        # Decode one more chunk onto self._decoded (dropping the part already
        # handed out). False at EOF. (EOF is not remembered: a file that grows
        # can be read further, as in CPython.)
        if self._has_read1:
            data = self._buffer.read1(self._CHUNK_SIZE)
        else:
            data = self._buffer.read(self._CHUNK_SIZE)
        if data is None:
            data = b""
        final = not data
        text = self._decode(data, final)
        if self._decoded_pos:
            self._decoded = self._decoded[self._decoded_pos:] + text
            self._decoded_pos = 0
        elif text:
            self._decoded = self._decoded + text
        return not final or bool(text)

    def _translate(self, text):
        if self._readtranslate and "\r" in text:
            return text.replace("\r\n", "\n").replace("\r", "\n")
        return text

    def _available(self):
        # How many characters can be handed out without reading more.
        text = self._decoded
        n = len(text) - self._decoded_pos
        if self._readtranslate:
            n -= text.count("\r\n", self._decoded_pos)
        return n

    def _span_end(self, start, count, stop):
        # End of the shortest slice of self._decoded from start (up to stop)
        # that reads as count characters ('\r\n' counts as one when translating).
        text = self._decoded
        end = min(start + count, stop)
        if not self._readtranslate:
            return end
        while True:
            produced = (end - start) - text.count("\r\n", start, end)
            if produced >= count or end >= stop:
                break
            end = min(end + (count - produced), stop)
        if start < end < stop and text[end - 1] == "\r" and text[end] == "\n":
            end += 1
        return end

    def read(self, size=-1):
        """Read at most size characters (all of the rest when size is None or < 0)."""
        self._check_readable()
        size = _size(size)
        if size < 0:
            data = self._buffer.read()
            rest = self._decode(data if data is not None else b"", True)
            text = self._decoded[self._decoded_pos:] + rest
            self._decoded = ""
            self._decoded_pos = 0
            return self._translate(text)
        while self._available() < size:
            if not self._read_chunk():
                break
        start = self._decoded_pos
        end = self._span_end(start, size, len(self._decoded))
        self._decoded_pos = end
        return self._translate(self._decoded[start:end])

    def _line_end(self, start):
        if self._readuniversal:
            return _universal_line_end(self._decoded, start)
        nl = self._readnl
        i = _find(self._decoded, nl, start)
        return i + len(nl) if i >= 0 else -1

    def readline(self, size=-1):
        """Read one line (at most size characters)."""
        self._check_readable()
        if size is None:
            raise TypeError("'NoneType' object cannot be interpreted as an integer")
        size = _index(size)
        # Search from where the last pass stopped (relative to the start of the
        # line, since reading a chunk may move the text).
        searched = 0
        while True:
            start = self._decoded_pos
            end = self._line_end(max(start, start + searched - 1))
            if end >= 0:
                break
            if size >= 0 and self._available() >= size:
                end = len(self._decoded)
                break
            searched = len(self._decoded) - start
            if not self._read_chunk():
                end = len(self._decoded)
                break
        start = self._decoded_pos
        if size >= 0:
            end = self._span_end(start, size, end)
        self._decoded_pos = end
        return self._translate(self._decoded[start:end])

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    # -- positioning ------------------------------------------------------------------

    def tell(self):
        """The position, as a number of bytes from the start of the buffer."""
        self._check_open()
        self.flush()
        if not self._buffer.seekable():
            raise UnsupportedOperation("underlying stream is not seekable")
        pos = self._buffer.tell()
        if self._whole is not None:
            pos -= len(self._whole)
        pos -= len(self._undecoded)
        if self._pendingcr:
            pos -= 1
        unread = self._decoded[self._decoded_pos:]
        if unread:
            pos -= len(unread.encode(self._encoding, self._errors))
        return pos

    def seek(self, cookie, whence=0):
        """Go to a position that tell() gave (whence 0), or to the current
        position or the end (whence 1 or 2, with offset 0)."""
        self._check_open()
        if not self._buffer.seekable():
            raise UnsupportedOperation("underlying stream is not seekable")
        cookie = _index(cookie)
        whence = _index(whence)
        if whence == 1:
            if cookie != 0:
                raise UnsupportedOperation("can't do nonzero cur-relative seeks")
            cookie = self.tell()
        elif whence == 2:
            if cookie != 0:
                raise UnsupportedOperation("can't do nonzero end-relative seeks")
            self.flush()
            self._reset_read_state()
            self._seennl = 0
            return self._buffer.seek(0, 2)
        elif whence != 0:
            raise ValueError("invalid whence (%d, should be 0, 1 or 2)" % whence)
        if cookie < 0:
            raise ValueError("negative seek position %d" % cookie)
        self.flush()
        self._reset_read_state()
        if cookie == 0:
            self._seennl = 0
        self._buffer.seek(cookie)
        return cookie

    def truncate(self, pos=None):
        self._check_open()
        self.flush()
        if pos is None:
            pos = self.tell()
        return self._buffer.truncate(pos)

# ----- raw files and buffered binary streams (in _io_files.py) ------------------------------

_FILE_CLASSES = ("FileIO", "BufferedReader", "BufferedWriter", "BufferedRandom",
                 "BufferedRWPair", "_BufferedBase")


def __getattr__(name):
    # Loaded on first use (PEP 562), so `import io` for StringIO stays cheap.
    if name in _FILE_CLASSES:
        import _io_files
        for n in _FILE_CLASSES:
            globals()[n] = getattr(_io_files, n)
        return globals()[name]
    raise AttributeError(f"module 'io' has no attribute '{name}'")
