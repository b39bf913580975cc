# More of the os module in Python, run in the namespace of the native os module once
# its native functions exist (it uses fspath, scandir, stat, lstat, mkdir, rmdir and
# rename, and neither os.path nor the OS_PY classes): walk, makedirs, removedirs,
# renames, fsencode/fsdecode, PathLike, error and the path constants that are missing
# natively. As CPython 3.11's os on Linux. (Comments, not a docstring: a docstring
# here would replace the module's __doc__.)

import abc as _abc
import stat as _st
from types import GenericAlias as _GenericAlias

# Only the constants the native module does not define already.
for _name, _value in (("sep", "/"), ("curdir", "."), ("pardir", ".."), ("extsep", "."),
                      ("altsep", None), ("pathsep", ":"), ("defpath", "/bin:/usr/bin"),
                      ("devnull", "/dev/null"), ("linesep", "\n")):
    if _name not in globals():
        globals()[_name] = _value
del _name, _value

error = OSError


# ----- str and bytes helpers --------------------------------------------------------------

def _split(p):
    """posixpath.split for str and bytes (the native os.path.split takes str only)."""
    s = b"/" if isinstance(p, bytes) else "/"
    i = p.rfind(s) + 1
    head, tail = p[:i], p[i:]
    if head and head != s * len(head):
        head = head.rstrip(s)
    return head, tail


def _join(a, b):
    s = b"/" if isinstance(a, bytes) else "/"
    if b.startswith(s):
        return b
    if not a or a.endswith(s):
        return a + b
    return a + s + b


def _exists(p):
    try:
        stat(p)
    except (OSError, ValueError):
        return False
    return True


def _isdir(p):
    try:
        return _st.S_ISDIR(stat(p).st_mode)
    except (OSError, ValueError):
        return False


def _islink(p):
    try:
        return _st.S_ISLNK(lstat(p).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


# ----- file names as bytes ----------------------------------------------------------------

def fsencode(filename):
    """Encode a file name (str or os.PathLike) to bytes with the file system encoding
    (UTF-8, 'surrogateescape'); bytes are returned unchanged."""
    filename = fspath(filename)
    if isinstance(filename, str):
        return filename.encode("utf-8", "surrogateescape")
    return filename


def fsdecode(filename):
    """Decode a file name (bytes or os.PathLike) to str with the file system encoding
    (UTF-8, 'surrogateescape'); str is returned unchanged."""
    filename = fspath(filename)
    if isinstance(filename, bytes):
        return filename.decode("utf-8", "surrogateescape")
    return filename


# ----- directory trees ----------------------------------------------------------------------

def makedirs(name, mode=0o777, exist_ok=False):
    """Create the directory name and any missing parents. An existing directory is an
    error (FileExistsError) unless exist_ok is true; mode applies to the leaf only."""
    head, tail = _split(fspath(name))
    if not tail:
        head, tail = _split(head)
    if head and tail and not _exists(head):
        try:
            makedirs(head, exist_ok=exist_ok)
        except FileExistsError:
            pass  # created meanwhile
        # 'x/new/.' exists as soon as 'x/new' does.
        if tail == (b"." if isinstance(tail, bytes) else "."):
            return
    try:
        mkdir(name, mode)
    except OSError:
        if not exist_ok or not _isdir(name):
            raise


def removedirs(name):
    """Remove the directory name, then each parent named in the path that becomes
    empty, stopping silently at the first one that cannot be removed."""
    rmdir(name)
    head, tail = _split(fspath(name))
    if not tail:
        head, tail = _split(head)
    while head and tail:
        try:
            rmdir(head)
        except OSError:
            break
        head, tail = _split(head)


def renames(old, new):
    """Rename old to new, creating the missing directories of new first and removing
    the directories of old that the move leaves empty afterwards."""
    head, tail = _split(fspath(new))
    if head and tail and not _exists(head):
        makedirs(head)
    rename(old, new)
    head, tail = _split(fspath(old))
    if head and tail:
        try:
            removedirs(head)
        except OSError:
            pass


def walk(top, topdown=True, onerror=None, followlinks=False):
    """Generate (dirpath, dirnames, filenames) for the directory top and every directory
    below it. Top-down (the default) each directory comes before its subdirectories,
    and the caller may prune or reorder dirnames in place to steer the walk; bottom-up
    it comes after them. Errors listing a directory go to onerror(OSError) if given and
    that directory is skipped. Symbolic links to directories are listed in dirnames but
    entered only when followlinks is true."""
    return _walk(fspath(top), topdown, onerror, followlinks)


def _walk(top, topdown, onerror, followlinks):
    # A stack of directories still to list and, bottom-up, of results to yield once
    # everything below them has been (tuples).
    todo = [top]
    # pyvm's scandir gives str names and paths for a bytes directory too (CPython:
    # bytes); as_bytes makes them bytes then.
    as_bytes = isinstance(top, bytes)
    while todo:
        item = todo.pop()
        if isinstance(item, tuple):
            yield item
            continue
        dirs, files, below = [], [], []
        try:
            entries = scandir(item)
        except OSError as err:
            if onerror is not None:
                onerror(err)
            continue
        failed = False
        with entries:
            while True:
                try:
                    entry = next(entries)
                except StopIteration:
                    break
                except OSError as err:
                    if onerror is not None:
                        onerror(err)
                    failed = True
                    break
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                name = entry.name
                if as_bytes and isinstance(name, str):
                    name = fsencode(name)
                if not is_dir:
                    files.append(name)
                    continue
                dirs.append(name)
                if not topdown:
                    descend = followlinks
                    if not descend:
                        try:
                            descend = not entry.is_symlink()
                        except OSError:
                            descend = True
                    if descend:
                        below.append(_join(item, name))
        if failed:
            continue
        if topdown:
            yield item, dirs, files
            # dirs as the caller left it; pushed in reverse so the first comes next.
            for name in reversed(dirs):
                sub = _join(item, name)
                if followlinks or not _islink(sub):
                    todo.append(sub)
        else:
            todo.append((item, dirs, files))
            todo.extend(reversed(below))


# ----- os.PathLike ------------------------------------------------------------------------

class PathLike(_abc.ABC):
    """Abstract base class for objects implementing the file system path protocol:
    any class with an __fspath__ method is a virtual subclass."""

    @_abc.abstractmethod
    def __fspath__(self):
        """Return the file system path representation of the object."""
        raise NotImplementedError

    @classmethod
    def __subclasshook__(cls, subclass):
        if cls is not PathLike:
            return NotImplemented
        for klass in subclass.__mro__:
            if "__fspath__" in klass.__dict__:
                if klass.__dict__["__fspath__"] is None:
                    return NotImplemented
                return True
        return NotImplemented

    __class_getitem__ = classmethod(_GenericAlias)


class _ResultTuple(tuple):
    """A named result tuple (os.uname_result, os.times_result) with CPython's repr."""

    _fields = ()

    def __new__(cls, seq):
        self = tuple.__new__(cls, seq)
        return self

    def __getattr__(self, name):
        try:
            return self[type(self)._fields.index(name)]
        except ValueError:
            raise AttributeError(f"'{type(self).__module__}.{type(self).__name__}' object has no attribute '{name}'") from None

    def __repr__(self):
        fields = ", ".join(f"{n}={v!r}" for n, v in zip(type(self)._fields, self))
        return f"{type(self).__module__}.{type(self).__name__}({fields})"


class uname_result(_ResultTuple):
    __module__ = "posix"
    _fields = ("sysname", "nodename", "release", "version", "machine")


class times_result(_ResultTuple):
    __module__ = "posix"
    _fields = ("user", "system", "children_user", "children_system", "elapsed")


def uname():
    return uname_result(_uname())


def times():
    return times_result(_times())
