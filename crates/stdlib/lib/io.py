"""In-memory text and binary streams (pyvm's own implementation of io.StringIO and
io.BytesIO); `open` is the built-in one."""

open = open


class UnsupportedOperation(OSError, ValueError):
    pass


class _MemoryIO:
    _empty = ""

    def __init__(self, initial=None):
        self._buf = initial if initial is not None else self._empty
        self._pos = 0
        self.closed = False

    # CPython's two classes word it differently.
    _closed_msg = "I/O operation on closed file."

    def _check(self):
        if self.closed:
            raise ValueError(self._closed_msg)

    def getvalue(self):
        self._check()
        return self._buf

    def write(self, s):
        self._check()
        if not isinstance(s, type(self._empty)):
            if isinstance(self._empty, str):
                raise TypeError("string argument expected, got '%s'" % type(s).__name__)
            raise TypeError("a bytes-like object is required, not '%s'" % type(s).__name__)
        buf = self._buf
        if self._pos > len(buf):
            buf = buf + self._empty.join([self._pad()] * (self._pos - len(buf)))
        self._buf = buf[:self._pos] + s + buf[self._pos + len(s):]
        self._pos += len(s)
        return len(s)

    def _pad(self):
        return "\0" if isinstance(self._empty, str) else b"\0"

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def read(self, size=-1):
        self._check()
        if size is None or size < 0:
            end = len(self._buf)
        else:
            end = min(len(self._buf), self._pos + size)
        out = self._buf[self._pos:end]
        self._pos = max(self._pos, end)
        return out

    def readline(self, size=-1):
        self._check()
        nl = "\n" if isinstance(self._empty, str) else b"\n"
        i = self._buf.find(nl, self._pos)
        end = len(self._buf) if i < 0 else i + 1
        if size is not None and size >= 0:
            end = min(end, self._pos + size)
        out = self._buf[self._pos:end]
        self._pos = max(self._pos, end)
        return out

    def readlines(self, hint=-1):
        lines = []
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)

    def seek(self, pos, whence=0):
        self._check()
        if whence == 0:
            if pos < 0:
                raise ValueError("Negative seek position %d" % pos)
            self._pos = pos
        elif whence == 1:
            self._pos = max(0, self._pos + pos)
        elif whence == 2:
            self._pos = max(0, len(self._buf) + pos)
        else:
            raise ValueError("Invalid whence (%d, should be 0, 1 or 2)" % whence)
        return self._pos

    def tell(self):
        self._check()
        return self._pos

    def truncate(self, size=None):
        self._check()
        if size is None:
            size = self._pos
        self._buf = self._buf[:size]
        return size

    def close(self):
        self.closed = True

    def flush(self):
        self._check()

    def readable(self):
        return True

    def writable(self):
        return True

    def seekable(self):
        return True

    def __iter__(self):
        self._check()
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, *exc):
        self.close()


class StringIO(_MemoryIO):
    """A text stream held in memory."""
    _empty = ""
    _closed_msg = "I/O operation on closed file"

    def __init__(self, initial_value="", newline="\n"):
        if initial_value is None:
            initial_value = ""
        if not isinstance(initial_value, str):
            raise TypeError("initial_value must be str or None, not %s" % type(initial_value).__name__)
        super().__init__(initial_value)


class BytesIO(_MemoryIO):
    """A binary stream held in memory."""
    _empty = b""

    def __init__(self, initial_bytes=b""):
        super().__init__(bytes(initial_bytes))

    def getbuffer(self):
        return bytearray(self._buf)
