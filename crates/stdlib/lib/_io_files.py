"""FileIO and the buffered binary streams (BufferedReader, BufferedWriter,
BufferedRandom, BufferedRWPair) of pyvm's io module, kept in their own file for size.
io imports them back at the end of its own body; the helpers and base classes they
use come from io, which is already initialised that far."""

import os as _os
from io import (BlockingIOError, BufferedIOBase, DEFAULT_BUFFER_SIZE, RawIOBase,
                UnsupportedOperation, _find, _index, _size)

# ----- raw files ------------------------------------------------------------------------------

class FileIO(RawIOBase):
    """A raw binary file over an OS file descriptor:
    FileIO(file, mode='r', closefd=True, opener=None), file a path or a descriptor."""

    __module__ = "_io"
    _fd = -1
    _closefd = True

    def __init__(self, file, mode="r", closefd=True, opener=None):
        if self._fd >= 0:
            # Re-initialising an open FileIO closes it first.
            fd, self._fd = self._fd, -1
            if self._closefd:
                _os.close(fd)
        if isinstance(file, float):
            raise TypeError("expected str, bytes or os.PathLike object, not float")
        if not isinstance(mode, str):
            raise TypeError("FileIO() argument 'mode' must be str, not %s" % type(mode).__name__)
        for c in mode:
            if c not in "rwxab+" or mode.count(c) > 1:
                raise ValueError("invalid mode: %s" % mode)
        if sum(c in "rwxa" for c in mode) != 1:
            raise ValueError("Must have exactly one of create/read/write/append "
                             "mode and at most one plus")
        plus = "+" in mode
        self._readable = "r" in mode or plus
        self._writable = "r" not in mode or plus
        self._appending = "a" in mode
        self._created = "x" in mode
        if self._readable and self._writable:
            flags = _os.O_RDWR
        else:
            flags = _os.O_RDONLY if self._readable else _os.O_WRONLY
        flags |= {"w": _os.O_CREAT | _os.O_TRUNC, "a": _os.O_CREAT | _os.O_APPEND,
                  "x": _os.O_CREAT | _os.O_EXCL}.get(mode.strip("b+"), 0)
        flags |= getattr(_os, "O_CLOEXEC", 0)
        if isinstance(file, int):
            if file < 0:
                raise ValueError("negative file descriptor")
            fd = file
            self._closefd = bool(closefd)
        else:
            if not closefd:
                raise ValueError("Cannot use closefd=False with file name")
            if opener is None:
                fd = _os.open(file, flags, 0o666)
            else:
                fd = opener(file, flags)
                if not isinstance(fd, int):
                    raise TypeError("expected integer from opener")
                if fd < 0:
                    raise ValueError("opener returned %d" % fd)
        self._fd = fd
        self.name = file
        if self._appending:
            try:
                _os.lseek(fd, 0, 2)
            except OSError:
                pass

    @property
    def mode(self):
        if self._created:
            return "xb+" if self._readable else "xb"
        if self._appending:
            return "ab+" if self._readable else "ab"
        if self._readable:
            return "rb+" if self._writable else "rb"
        return "wb"

    closefd = property(lambda self: self._closefd)
    closed = property(lambda self: self._fd < 0)

    def _checkOpen(self, need=None):
        if self._fd < 0:
            raise ValueError("I/O operation on closed file")
        if need == "r" and not self._readable:
            raise UnsupportedOperation("File not open for reading")
        if need == "w" and not self._writable:
            raise UnsupportedOperation("File not open for writing")
        return self._fd

    def fileno(self):
        return self._checkOpen()

    def readable(self):
        self._checkOpen()
        return self._readable

    def writable(self):
        self._checkOpen()
        return self._writable

    def seekable(self):
        try:
            _os.lseek(self._checkOpen(), 0, 1)
        except OSError:
            return False
        return True

    def isatty(self):
        return _os.isatty(self._checkOpen())

    def read(self, size=-1):
        fd = self._checkOpen("r")
        size = _size(size)
        return self.readall() if size < 0 else _os.read(fd, size)

    def readall(self):
        fd = self._checkOpen("r")
        chunks = []
        while True:
            data = _os.read(fd, DEFAULT_BUFFER_SIZE)
            if not data:
                return b"".join(chunks)
            chunks.append(data)

    def readinto(self, b):
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)

    def write(self, b):
        fd = self._checkOpen("w")
        if isinstance(b, str):
            raise TypeError("a bytes-like object is required, not 'str'")
        return _os.write(fd, bytes(b))

    def seek(self, pos, whence=0):
        fd = self._checkOpen()
        if isinstance(pos, float):
            raise TypeError("an integer is required")
        return _os.lseek(fd, _index(pos), _index(whence))

    def tell(self):
        return _os.lseek(self._checkOpen(), 0, 1)

    def truncate(self, size=None):
        fd = self._checkOpen("w")
        size = self.tell() if size is None else _index(size)
        _os.ftruncate(fd, size)
        return size

    def close(self):
        if self._fd >= 0:
            try:
                super().close()
            finally:
                fd, self._fd = self._fd, -1
                if self._closefd:
                    _os.close(fd)

    def __repr__(self):
        if self._fd < 0:
            return "<_io.FileIO [closed]>"
        what = "name=%r" % (self.name,) if hasattr(self, "name") else "fd=%d" % self._fd
        return "<_io.FileIO %s mode=%r closefd=%r>" % (what, self.mode, self._closefd)


# ----- buffered binary streams ----------------------------------------------------------------

class _BufferedBase(BufferedIOBase):
    """What BufferedReader, BufferedWriter and BufferedRandom share: a raw stream
    with a read-ahead buffer (_rbuf from _rpos on) and a write buffer (_wbuf).
    (The write buffer's emptiness is tested with len(): pyvm's empty bytearray
    is truthy.)"""

    _can_read = False
    _can_write = False

    def __init__(self, raw, buffer_size=DEFAULT_BUFFER_SIZE):
        if self._can_read and not raw.readable():
            raise UnsupportedOperation("File or stream is not readable.")
        if self._can_write and not raw.writable():
            raise UnsupportedOperation("File or stream is not writable.")
        buffer_size = _index(buffer_size)
        if buffer_size <= 0:
            raise ValueError("buffer size must be strictly positive")
        self._raw = raw
        self.buffer_size = buffer_size
        self._rbuf = b""
        self._rpos = 0
        self._wbuf = bytearray()

    def _check_raw(self):
        if self._raw is None:
            raise ValueError("raw stream has been detached")
        return self._raw

    def _check_open(self, msg="I/O operation on closed file."):
        if self._check_raw().closed:
            raise ValueError(msg)

    raw = property(lambda self: self._raw)
    closed = property(lambda self: self._check_raw().closed)
    name = property(lambda self: self._check_raw().name)
    mode = property(lambda self: self._check_raw().mode)

    def readable(self):
        return self._can_read and self._check_raw().readable()

    def writable(self):
        return self._can_write and self._check_raw().writable()

    def seekable(self):
        return self._check_raw().seekable()

    def fileno(self):
        return self._check_raw().fileno()

    def isatty(self):
        return self._check_raw().isatty()

    def __repr__(self):
        try:
            return "<_io.%s name=%r>" % (type(self).__name__, self.name)
        except (AttributeError, ValueError):
            return "<_io.%s>" % type(self).__name__

    # -- reading ----------------------------------------------------------------------

    def _raw_read(self, n):
        # One read of at most n bytes from the raw stream (None: would block).
        readinto = getattr(self._raw, "readinto", None)
        if readinto is None:
            return self._raw.read(n)
        b = bytearray(n)
        got = readinto(b)
        if got is None:
            return None
        if not 0 <= got <= n:
            raise OSError("raw readinto() returned invalid length %d "
                          "(should have been between 0 and %d)" % (got, n))
        del b[got:]
        return bytes(b)

    def _prepare_read(self):
        self._check_open("read of closed file")
        if not self._can_read:
            raise UnsupportedOperation("read")
        if len(self._wbuf):
            # Reading after writing: what was written goes out first.
            self._flush_unlocked()

    def _fill(self):
        # Refill the (empty) read buffer with one raw read; False at EOF.
        data = self._raw_read(self.buffer_size)
        self._rbuf = data or b""
        self._rpos = 0
        return bool(data)

    def _buffered(self):
        return len(self._rbuf) - self._rpos

    def read(self, size=-1):
        """Read at most size bytes (until EOF when size is None or < 0)."""
        size = _size(size)
        if size < -1:
            raise ValueError("read length must be non-negative or -1")
        self._prepare_read()
        chunks = [self._rbuf[self._rpos:]]
        have = len(chunks[0])
        self._rbuf = b""
        self._rpos = 0
        while size < 0 or have < size:
            data = self._raw_read(self.buffer_size if size < 0
                                  else max(self.buffer_size, size - have))
            if not data:
                if data is None and have == 0:
                    return None
                break
            chunks.append(data)
            have += len(data)
        data = b"".join(chunks)
        if 0 <= size < len(data):
            # Keep what was read beyond size for the next read.
            self._rbuf = data
            self._rpos = size
            return data[:size]
        return data

    def read1(self, size=-1):
        """Read at most size bytes with at most one raw read."""
        size = _size(size)
        self._prepare_read()
        if size == 0:
            return b""
        if self._buffered() == 0:
            data = self._raw_read(self.buffer_size if size < 0 else max(size, self.buffer_size))
            if not data:
                return b""
            self._rbuf = data
            self._rpos = 0
        end = len(self._rbuf) if size < 0 else min(len(self._rbuf), self._rpos + size)
        data = self._rbuf[self._rpos:end]
        self._rpos = end
        return data

    def peek(self, size=0):
        """The buffered bytes (at least one when not at EOF), without moving."""
        self._prepare_read()
        if self._buffered() == 0:
            self._fill()
        return self._rbuf[self._rpos:]

    def readline(self, size=-1):
        """Read one line (at most size bytes)."""
        size = _size(size)
        self._prepare_read()
        chunks = []
        have = 0
        while size < 0 or have < size:
            if self._buffered() == 0 and not self._fill():
                break
            i = _find(self._rbuf, b"\n", self._rpos)
            end = len(self._rbuf) if i < 0 else i + 1
            if size >= 0:
                end = min(end, self._rpos + size - have)
            chunks.append(self._rbuf[self._rpos:end])
            have += end - self._rpos
            self._rpos = end
            if i >= 0 and end == i + 1:
                break
        return b"".join(chunks)

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    # -- writing ----------------------------------------------------------------------

    def write(self, b):
        """Buffer the bytes b (writing out when the buffer is full); return len(b)."""
        if not self._can_write:
            self._check_raw()
            raise UnsupportedOperation("write")
        if isinstance(b, str):
            raise TypeError("a bytes-like object is required, not 'str'")
        self._check_open("write to closed file")
        if self._buffered():
            # Writing after reading: go back to where the reader is.
            self._raw.seek(-self._buffered(), 1)
        self._rbuf = b""
        self._rpos = 0
        # What does not fit pushes out what is buffered; data larger than the
        # buffer goes straight out too.
        if len(self._wbuf) + len(b) > self.buffer_size:
            self._flush_unlocked()
        self._wbuf += b
        if len(self._wbuf) > self.buffer_size:
            self._flush_unlocked()
        return len(b)

    def _flush_unlocked(self):
        while len(self._wbuf):
            n = self._raw.write(bytes(self._wbuf))
            if n is None:
                raise BlockingIOError(11, "write could not complete without blocking", 0)
            del self._wbuf[:n]

    def flush(self):
        self._check_open("flush of closed file")
        if self._can_write:
            self._flush_unlocked()
            self._raw.flush()

    # -- positioning and closing --------------------------------------------------------

    def tell(self):
        pos = self._check_raw().tell() - self._buffered() + len(self._wbuf)
        return max(pos, 0)

    def seek(self, pos, whence=0):
        pos = _index(pos)
        whence = _index(whence)
        if whence not in (0, 1, 2):
            raise ValueError("whence value %d unsupported" % whence)
        self._check_open()
        if len(self._wbuf):
            self._flush_unlocked()
        if whence == 1:
            pos -= self._buffered()
        self._rbuf = b""
        self._rpos = 0
        return self._raw.seek(pos, whence)

    def truncate(self, pos=None):
        self._check_open()
        if not self._can_write:
            raise UnsupportedOperation("truncate")
        self.flush()
        return self._raw.truncate(self.tell() if pos is None else pos)

    def close(self):
        if self._check_raw().closed:
            return
        try:
            if self._can_write:
                self.flush()
        finally:
            self._raw.close()

    def detach(self):
        """Flush, then separate the raw stream from the buffer and return it."""
        self._check_raw()
        if self._can_write:
            self.flush()
        raw, self._raw = self._raw, None
        return raw


class BufferedReader(_BufferedBase):
    """A buffer over a readable raw stream: BufferedReader(raw, buffer_size=8192)."""

    __module__ = "_io"
    _native_kinds = ("reader",)
    _can_read = True


class BufferedWriter(_BufferedBase):
    """A buffer over a writable raw stream: BufferedWriter(raw, buffer_size=8192)."""

    __module__ = "_io"
    _native_kinds = ("writer",)
    _can_write = True


class BufferedRandom(_BufferedBase):
    """A buffer over a seekable raw stream, for reading and writing:
    BufferedRandom(raw, buffer_size=8192)."""

    __module__ = "_io"
    _native_kinds = ("random",)
    _can_read = True
    _can_write = True

    def __init__(self, raw, buffer_size=DEFAULT_BUFFER_SIZE):
        raw._checkSeekable()
        super().__init__(raw, buffer_size)


class BufferedRWPair(BufferedIOBase):
    """One reader and one writer raw stream used together as a single stream:
    BufferedRWPair(reader, writer, buffer_size=8192)."""

    __module__ = "_io"

    def __init__(self, reader, writer, buffer_size=DEFAULT_BUFFER_SIZE):
        self.reader = BufferedReader(reader, buffer_size)
        self.writer = BufferedWriter(writer, buffer_size)

    read = property(lambda self: self.reader.read)
    read1 = property(lambda self: self.reader.read1)
    readinto = property(lambda self: self.reader.readinto)
    readinto1 = property(lambda self: self.reader.readinto1)
    peek = property(lambda self: self.reader.peek)
    readable = property(lambda self: self.reader.readable)
    write = property(lambda self: self.writer.write)
    writable = property(lambda self: self.writer.writable)
    flush = property(lambda self: self.writer.flush)
    closed = property(lambda self: self.writer.closed)

    def close(self):
        try:
            self.writer.close()
        finally:
            self.reader.close()

    def isatty(self):
        return self.reader.isatty() or self.writer.isatty()
