"""Temporary files and directories (pyvm's own implementation of the tempfile module).

Names are made as CPython makes them -- prefix, eight characters drawn from
"abcdefghijklmnopqrstuvwxyz0123456789_", suffix -- in gettempdir() (the first of
$TMPDIR, $TEMP, $TMP, /tmp, /var/tmp, /usr/tmp and the working directory in which a
file can actually be written) unless a dir is given, and every name is claimed
exclusively, drawing a new one when it is already taken.

Files are claimed as CPython claims them, with os.open(path, O_RDWR | O_CREAT |
O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600) -- mkstemp() returns that descriptor -- and
directories with os.mkdir(path, 0o700). Differences:

* pyvm has no os.fdopen, so NamedTemporaryFile and TemporaryFile close the new
  descriptor and open the claimed file again by name with the built-in open();
* TemporaryFile() unlinks the file right after opening it, as CPython does when
  O_TMPFILE is unavailable, so its .name is the (gone) path, not a descriptor number.

Only str paths are supported (no bytes prefix/suffix/dir).
"""

import os as _os
import io as _io
import weakref as _weakref
import functools as _functools
import shutil as _shutil
from random import Random as _Random

try:
    import warnings as _warnings
except ImportError:
    _warnings = None

try:
    from types import GenericAlias as _GenericAlias
except ImportError:
    _GenericAlias = None

__all__ = [
    "NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile", "TemporaryDirectory",
    "mkstemp", "mkdtemp", "mktemp", "TMP_MAX", "gettempprefix", "tempdir", "gettempdir",
    "gettempprefixb", "gettempdirb",
]

# os.TMP_MAX on Linux: how many names to try before giving up.
TMP_MAX = 10000

# The default prefix of every name.
template = "tmp"

# The directory gettempdir() returns; None until it is first needed. Scripts may set
# it to force a directory, exactly as with CPython.
tempdir = None

_EEXIST = 17
_ENOENT = 2

# The flags CPython's tempfile opens new files with (_bin_openflags; text mode makes no
# difference on POSIX).
_bin_openflags = _os.O_RDWR | _os.O_CREAT | _os.O_EXCL | _os.O_NOFOLLOW | _os.O_CLOEXEC
_text_openflags = _bin_openflags


# ----- names -------------------------------------------------------------------------------

class _RandomNameSequence:
    """An endless iterator of 8-character random names."""

    characters = "abcdefghijklmnopqrstuvwxyz0123456789_"

    def __init__(self):
        # Seeded from the clock and the object's identity; collisions between
        # processes are harmless since every name is claimed exclusively.
        self.rng = _Random()

    def __iter__(self):
        return self

    def __next__(self):
        return "".join(self.rng.choices(self.characters, k=8))


_name_sequence = None


def _get_candidate_names():
    global _name_sequence
    if _name_sequence is None:
        _name_sequence = _RandomNameSequence()
    return _name_sequence


def _sanitize_params(prefix, suffix, dir):
    # The defaults every public function shares.
    for arg in (prefix, suffix, dir):
        if isinstance(arg, bytes):
            raise TypeError("pyvm's tempfile supports only str path components")
    if suffix is None:
        suffix = ""
    if prefix is None:
        prefix = template
    if dir is None:
        dir = gettempdir()
    return prefix, suffix, dir


# ----- the default directory ---------------------------------------------------------------

def _candidate_tempdir_list():
    dirlist = []
    # os.environ rather than os.getenv: pyvm's environ is a plain dict that getenv
    # does not see, and a script's own os.environ["TMPDIR"] = ... must count.
    for envname in ("TMPDIR", "TEMP", "TMP"):
        dirname = _os.environ.get(envname)
        if dirname:
            dirlist.append(dirname)
    dirlist.extend(["/tmp", "/var/tmp", "/usr/tmp"])
    try:
        dirlist.append(_os.getcwd())
    except (AttributeError, OSError):
        dirlist.append(_os.curdir)
    return dirlist


def _get_default_tempdir():
    # The first candidate in which a file can really be created and written: being
    # listed or existing is not enough (read-only mounts, wrong permissions).
    namer = _RandomNameSequence()
    dirlist = _candidate_tempdir_list()
    for dir in dirlist:
        if dir != _os.curdir:
            dir = _os.path.abspath(dir)
        # A few names per directory; anything but a name clash rules the directory out.
        for _ in range(100):
            filename = _os.path.join(dir, next(namer))
            try:
                f = open(filename, "xb")
                try:
                    try:
                        f.write(b"blat")
                    finally:
                        f.close()
                finally:
                    _os.unlink(filename)
                return dir
            except FileExistsError:
                pass
            except OSError:
                break
    raise FileNotFoundError(_ENOENT, "No usable temporary directory found in %s" % dirlist)


def _gettempdir():
    global tempdir
    if tempdir is None:
        tempdir = _get_default_tempdir()
    return tempdir


def gettempdir():
    """The directory temporary files are created in by default."""
    return _gettempdir()


def gettempdirb():
    """gettempdir() as bytes."""
    return _gettempdir().encode()


def gettempprefix():
    """The default prefix of temporary names ('tmp')."""
    return template


def gettempprefixb():
    """gettempprefix() as bytes."""
    return template.encode()


# ----- claiming names ----------------------------------------------------------------------

def _mkstemp_inner(dir, pre, suf, flags):
    """Create and open a new file under a fresh name in dir, as CPython does: with
    O_EXCL (so the name is ours) and owner-only permissions. (descriptor, absolute path)."""
    dir = _os.path.abspath(dir)
    names = _get_candidate_names()
    for _ in range(TMP_MAX):
        path = _os.path.join(dir, pre + next(names) + suf)
        try:
            fd = _os.open(path, flags, 0o600)
        except FileExistsError:
            continue
        return fd, path
    raise FileExistsError(_EEXIST, "No usable temporary file name found")


def _create_file(dir, prefix, suffix, mode, buffering, encoding, newline, errors):
    """Open a new file under a fresh name in dir; (file object, absolute path). The name
    is claimed with os.open as mkstemp claims it, then the file is opened again by name
    (pyvm has no os.fdopen); an 'x' mode becomes 'w' there, the file being ours."""
    fd, path = _mkstemp_inner(dir, prefix, suffix, _bin_openflags)
    _os.close(fd)
    open_mode = mode.replace("x", "w") if "w" not in mode else mode
    try:
        f = open(path, open_mode, buffering, encoding, errors, newline)
    except BaseException:
        _os.unlink(path)
        raise
    return f, path


def mkstemp(suffix=None, prefix=None, dir=None, text=False):
    """Create a new file named prefix + random + suffix in dir (default gettempdir()),
    readable and writable only by its owner, and return (descriptor, absolute path)
    from os.open; the caller closes the descriptor and removes the file. text makes
    no difference on POSIX."""
    prefix, suffix, dir = _sanitize_params(prefix, suffix, dir)
    flags = _text_openflags if text else _bin_openflags
    return _mkstemp_inner(dir, prefix, suffix, flags)


def mkdtemp(suffix=None, prefix=None, dir=None):
    """Create a new directory named prefix + random + suffix in dir (default
    gettempdir()) and return its path; the caller removes it."""
    prefix, suffix, dir = _sanitize_params(prefix, suffix, dir)
    names = _get_candidate_names()
    for _ in range(TMP_MAX):
        path = _os.path.join(dir, prefix + next(names) + suffix)
        try:
            # Owner-only, as CPython asks.
            _os.mkdir(path, 0o700)
        except FileExistsError:
            continue
        # As in CPython 3.11, relative when dir is relative.
        return path
    raise FileExistsError(_EEXIST, "No usable temporary directory name found")


def mktemp(suffix="", prefix=template, dir=None):
    """A name that did not exist when checked (unsafe: someone may take it first;
    kept for old scripts)."""
    if dir is None:
        dir = gettempdir()
    names = _get_candidate_names()
    for _ in range(TMP_MAX):
        path = _os.path.join(dir, prefix + next(names) + suffix)
        if not _os.path.exists(path):
            return path
    raise FileExistsError(_EEXIST, "No usable temporary filename found")


# ----- NamedTemporaryFile ------------------------------------------------------------------

class _TemporaryFileCloser:
    """Closes the file and removes it, once. Kept apart from the wrapper so that the
    wrapper's bound methods can keep it (and so the file) alive after the wrapper is
    gone, and so that dropping the last reference still cleans up."""

    file = None
    close_called = False

    def __init__(self, file, name, delete=True):
        self.file = file
        self.name = name
        self.delete = delete

    # os.unlink is bound as a default so that it is still reachable when the module's
    # globals are being torn down at exit.
    def close(self, unlink=_os.unlink):
        if not self.close_called and self.file is not None:
            self.close_called = True
            try:
                self.file.close()
            finally:
                if self.delete:
                    unlink(self.name)

    def __del__(self):
        self.close()


class _TemporaryFileWrapper:
    """A file object with a name that is removed on close (when delete is true).
    Everything the wrapper does not define is looked up on the file."""

    def __init__(self, file, name, delete=True):
        self.file = file
        self.name = name
        self.delete = delete
        self._closer = _TemporaryFileCloser(file, name, delete)

    def __getattr__(self, name):
        file = self.__dict__["file"]
        a = getattr(file, name)
        if hasattr(a, "__call__"):
            func = a
            closer = self._closer

            # The method holds the closer: `w = NamedTemporaryFile().write` must
            # not see its file closed when the wrapper itself is dropped.
            @_functools.wraps(func)
            def func_wrapper(*args, **kwargs):
                return func(*args, **kwargs)
            func_wrapper._closer = closer
            a = func_wrapper
        # Cache methods and the like, but not changing values such as `closed`.
        if not isinstance(a, int):
            setattr(self, name, a)
        return a

    def __enter__(self):
        # The file's own __enter__ would return the file; the wrapper must be used.
        self.file.__enter__()
        return self

    def __exit__(self, exc, value, tb):
        result = self.file.__exit__(exc, value, tb)
        self.close()
        return result

    def close(self):
        """Close the file, removing it if delete is true."""
        self._closer.close()

    def __iter__(self):
        # A generator rather than iter(self.file), so that the wrapper (and so the
        # file) stays alive while it is being iterated.
        for line in self.file:
            yield line


def NamedTemporaryFile(mode="w+b", buffering=-1, encoding=None, newline=None,
                       suffix=None, prefix=None, dir=None, delete=True, *, errors=None):
    """A new temporary file, opened with `mode`, whose path is in .name and the file
    object in .file; it is removed on close() (or when the object is dropped) if
    `delete` is true. Usable as a context manager."""
    prefix, suffix, dir = _sanitize_params(prefix, suffix, dir)
    file, name = _create_file(dir, prefix, suffix, mode, buffering, encoding, newline, errors)
    return _TemporaryFileWrapper(file, name, delete)


def TemporaryFile(mode="w+b", buffering=-1, encoding=None, newline=None,
                  suffix=None, prefix=None, dir=None, *, errors=None):
    """A new temporary file object with no directory entry: the file is removed as
    soon as it is opened and disappears for good when it is closed."""
    prefix, suffix, dir = _sanitize_params(prefix, suffix, dir)
    file, name = _create_file(dir, prefix, suffix, mode, buffering, encoding, newline, errors)
    try:
        _os.unlink(name)
    except BaseException:
        file.close()
        raise
    return file


# ----- SpooledTemporaryFile ----------------------------------------------------------------

class SpooledTemporaryFile:
    """A temporary file kept in memory (io.BytesIO, or io.StringIO in text mode) until
    it grows past max_size (0: never) or rollover() is called, then moved to a
    TemporaryFile."""

    _rolled = False

    def __init__(self, max_size=0, mode="w+b", buffering=-1, encoding=None,
                 newline=None, suffix=None, prefix=None, dir=None, *, errors=None):
        if "b" in mode:
            self._file = _io.BytesIO()
        else:
            self._file = _io.StringIO()
        self._max_size = max_size
        self._rolled = False
        self._TemporaryFileArgs = {"mode": mode, "buffering": buffering,
                                   "suffix": suffix, "prefix": prefix,
                                   "encoding": encoding, "newline": newline,
                                   "dir": dir, "errors": errors}

    if _GenericAlias is not None:
        __class_getitem__ = classmethod(_GenericAlias)

    def _check(self, file):
        if self._rolled:
            return
        if self._max_size and file.tell() > self._max_size:
            self.rollover()

    def rollover(self):
        """Move the data to a real file (no-op once done)."""
        if self._rolled:
            return
        mem = self._file
        args = self._TemporaryFileArgs
        newfile = self._file = TemporaryFile(**args)
        del self._TemporaryFileArgs
        pos = mem.tell()
        data = mem.getvalue()
        newfile.write(data)
        if isinstance(data, str):
            # A StringIO position counts characters; the file's counts UTF-8 bytes.
            pos = len(data[:pos].encode())
        newfile.seek(pos, 0)
        self._rolled = True

    def __enter__(self):
        if self._file.closed:
            raise ValueError("Cannot enter context with closed file")
        return self

    def __exit__(self, exc, value, tb):
        self._file.close()

    def __iter__(self):
        return self._file.__iter__()

    def close(self):
        self._file.close()

    @property
    def closed(self):
        return self._file.closed

    @property
    def encoding(self):
        return self._file.encoding

    @property
    def errors(self):
        return self._file.errors

    def fileno(self):
        self.rollover()
        return self._file.fileno()

    def flush(self):
        self._file.flush()

    def isatty(self):
        return self._file.isatty()

    @property
    def mode(self):
        try:
            return self._file.mode
        except AttributeError:
            return self._TemporaryFileArgs["mode"]

    @property
    def name(self):
        try:
            return self._file.name
        except AttributeError:
            return None

    @property
    def newlines(self):
        return self._file.newlines

    def readable(self):
        return self._file.readable()

    def read(self, *args):
        return self._file.read(*args)

    def readline(self, *args):
        return self._file.readline(*args)

    def readlines(self, *args):
        return self._file.readlines(*args)

    def seekable(self):
        return self._file.seekable()

    def seek(self, *args):
        return self._file.seek(*args)

    def tell(self):
        return self._file.tell()

    def truncate(self, size=None):
        if size is None:
            return self._file.truncate()
        if size > self._max_size:
            self.rollover()
        return self._file.truncate(size)

    def writable(self):
        return self._file.writable()

    def write(self, s):
        file = self._file
        rv = file.write(s)
        self._check(file)
        return rv

    def writelines(self, iterable):
        file = self._file
        rv = file.writelines(iterable)
        self._check(file)
        return rv


# ----- TemporaryDirectory ------------------------------------------------------------------

class TemporaryDirectory:
    """A new temporary directory (as mkdtemp makes it), removed with everything in it
    by cleanup(), on leaving a `with` block (which binds the path), or when the object
    is dropped."""

    def __init__(self, suffix=None, prefix=None, dir=None, ignore_cleanup_errors=False):
        self.name = mkdtemp(suffix, prefix, dir)
        self._ignore_cleanup_errors = ignore_cleanup_errors
        self._finalizer = _weakref.finalize(
            self, self._cleanup, self.name,
            warn_message="Implicitly cleaning up {!r}".format(self),
            ignore_errors=self._ignore_cleanup_errors)

    @classmethod
    def _rmtree(cls, name, ignore_errors=False):
        def onerror(func, path, exc_info):
            if issubclass(exc_info[0], PermissionError):
                # CPython makes the entry writable again and retries; that needs
                # os.chmod, which pyvm may not have.
                if hasattr(_os, "chmod"):
                    try:
                        if path != name:
                            _os.chmod(_os.path.dirname(path), 0o700)
                        _os.chmod(path, 0o700)
                        try:
                            _os.unlink(path)
                        except (IsADirectoryError, PermissionError):
                            cls._rmtree(path, ignore_errors=ignore_errors)
                    except FileNotFoundError:
                        pass
                elif not ignore_errors:
                    raise
            elif issubclass(exc_info[0], FileNotFoundError):
                pass
            elif not ignore_errors:
                raise

        _shutil.rmtree(name, onerror=onerror)

    @classmethod
    def _cleanup(cls, name, warn_message, ignore_errors=False):
        cls._rmtree(name, ignore_errors=ignore_errors)
        if _warnings is not None:
            _warnings.warn(warn_message, ResourceWarning)

    def __repr__(self):
        return "<{} {!r}>".format(self.__class__.__name__, self.name)

    def __enter__(self):
        return self.name

    def __exit__(self, exc, value, tb):
        self.cleanup()

    def cleanup(self):
        """Remove the directory and its contents (once; later calls do nothing)."""
        if self._finalizer.detach() or _os.path.exists(self.name):
            self._rmtree(self.name, ignore_errors=self._ignore_cleanup_errors)

    if _GenericAlias is not None:
        __class_getitem__ = classmethod(_GenericAlias)
