# The Python part of pyvm's posixpath (os.path), run in the namespace of the native
# module once its native functions (join, exists, isfile, isdir, basename, dirname,
# split, splitext, abspath, getsize, isabs) and `sep` are installed. (Comments, not a
# docstring: a docstring here would replace the module's __doc__.)
#
# This adds the rest of CPython 3.11's posixpath API. Every function here takes str,
# bytes or an os.PathLike object, as CPython's do. The native ones take str only, so
# the functions here that need joining, splitting or an absolute path use the private
# helpers below (which work on both str and bytes) rather than the native ones.

import stat
import sys


class _OsWhenNeeded:
    """Stands for the os module until a function here first uses it. This module is
    set up while os itself is (os.path is part of os), when `import os` would be a
    circular import; the first attribute lookup imports os and puts the real module in
    its place."""

    def __getattr__(self, name):
        import os as module
        globals()["os"] = module
        return getattr(module, name)

    def __repr__(self):
        return "<os, not imported yet>"


os = sys.modules.get("os") or _OsWhenNeeded()

curdir = "."
pardir = ".."
extsep = "."
sep = "/"
pathsep = ":"
defpath = "/bin:/usr/bin"
altsep = None
devnull = "/dev/null"
supports_unicode_filenames = False

__all__ = [
    "normcase", "isabs", "join", "splitdrive", "split", "splitext", "basename",
    "dirname", "commonprefix", "getsize", "getmtime", "getatime", "getctime",
    "islink", "exists", "lexists", "isdir", "isfile", "ismount", "expanduser",
    "expandvars", "normpath", "abspath", "samefile", "sameopenfile", "samestat",
    "curdir", "pardir", "sep", "pathsep", "defpath", "altsep", "extsep", "devnull",
    "realpath", "supports_unicode_filenames", "relpath", "commonpath",
]


# ----- helpers (str and bytes alike) -----------------------------------------------------

def _consts(p):
    """(sep, curdir, pardir) of the type of path p."""
    if isinstance(p, bytes):
        return b"/", b".", b".."
    return "/", ".", ".."


def _join(a, *parts):
    s = _consts(a)[0]
    out = a
    for b in parts:
        if b.startswith(s):
            out = b
        elif not out or out.endswith(s):
            out = out + b
        else:
            out = out + s + b
    return out


def _split(p):
    s = _consts(p)[0]
    i = p.rfind(s) + 1
    head, tail = p[:i], p[i:]
    if head and head != s * len(head):
        head = head.rstrip(s)
    return head, tail


def _cwd_like(p):
    cwd = os.getcwd()
    if isinstance(p, bytes):
        return _fsencode(cwd)
    return cwd


def _fsencode(s):
    # os.fsencode, which may not exist yet when this module is set up.
    return s.encode("utf-8", "surrogateescape")


def _abspath(p):
    if not p.startswith(_consts(p)[0]):
        p = _join(_cwd_like(p), p)
    return normpath(p)


def _type_check(funcname, *args):
    """Raise the TypeError CPython's genericpath._check_arg_types gives for arguments
    that are not all str or all bytes. (CPython checks after a str/bytes operation
    failed; checking first gives the same errors, and is needed as pyvm's bytes
    methods accept str arguments.)"""
    kinds = set()
    for a in args:
        if isinstance(a, str):
            kinds.add(str)
        elif isinstance(a, bytes):
            kinds.add(bytes)
        else:
            raise TypeError("%s() argument must be str, bytes, or os.PathLike object, not %r"
                            % (funcname, type(a).__name__)) from None
    if len(kinds) > 1:
        raise TypeError("Can't mix strings and bytes in path components") from None


# ----- pure path manipulation ------------------------------------------------------------

def normcase(s):
    """Normalize the case of a pathname: on POSIX, the path unchanged."""
    return os.fspath(s)


def splitdrive(p):
    """Split a pathname into (drive, path): on POSIX the drive is always empty."""
    p = os.fspath(p)
    return p[:0], p


def normpath(path):
    """Collapse redundant separators and '.' components and resolve '..' components
    lexically: 'A//B', 'A/./B' and 'A/foo/../B' all become 'A/B'."""
    path = os.fspath(path)
    s, cur, par = _consts(path)
    if not path:
        return cur
    # POSIX gives exactly two leading slashes an implementation-defined meaning, so they
    # are kept; one, or three and more, become one.
    lead = 0
    if path.startswith(s):
        lead = 2 if path.startswith(s * 2) and not path.startswith(s * 3) else 1
    kept = []
    for part in path.split(s):
        if not part or part == cur:
            continue
        if part == par:
            if kept and kept[-1] != par:
                kept.pop()
                continue
            if lead:
                continue  # '..' at the root stays at the root
        kept.append(part)
    out = s * lead + s.join(kept)
    return out or cur


def commonprefix(m):
    """The longest string that is a prefix of every item of m (character by character,
    so possibly not a valid path)."""
    if not m:
        return ""
    if not isinstance(m[0], (list, tuple)):
        m = tuple(map(os.fspath, m))
    lo = min(m)
    hi = max(m)
    n = 0
    for n in range(len(lo) + 1):
        if n == len(lo) or lo[n] != hi[n]:
            break
    return lo[:n]


def commonpath(paths):
    """The longest common sub-path of the paths of a sequence (whole components)."""
    if not paths:
        raise ValueError("commonpath() arg is an empty sequence")
    paths = tuple(map(os.fspath, paths))
    _type_check("commonpath", *paths)
    s, cur, _ = _consts(paths[0])
    try:
        parts = [p.split(s) for p in paths]
        absolute = {p[:1] == s for p in paths}
        if len(absolute) != 1:
            raise ValueError("Can't mix absolute and relative paths") from None
        absolute = absolute.pop()
        parts = [[c for c in cs if c and c != cur] for cs in parts]
        lo = min(parts)
        hi = max(parts)
        common = lo
        for i in range(len(lo)):
            if lo[i] != hi[i]:
                common = lo[:i]
                break
        return (s if absolute else s[:0]) + s.join(common)
    except (TypeError, AttributeError):
        _type_check("commonpath", *paths)
        raise


def relpath(path, start=None):
    """path relative to start (default: the current directory), computed lexically."""
    if not path:
        raise ValueError("no path specified")
    path = os.fspath(path)
    s, cur, par = _consts(path)
    if start is None:
        start = cur
    else:
        start = os.fspath(start)
    _type_check("relpath", path, start)
    try:
        from_parts = [c for c in _abspath(start).split(s) if c]
        to_parts = [c for c in _abspath(path).split(s) if c]
        n = 0
        while n < len(from_parts) and n < len(to_parts) and from_parts[n] == to_parts[n]:
            n += 1
        rel = [par] * (len(from_parts) - n) + to_parts[n:]
        if not rel:
            return cur
        return _join(*rel)
    except (TypeError, AttributeError, BytesWarning, DeprecationWarning):
        _type_check("relpath", path, start)
        raise


# ----- user and environment expansion ----------------------------------------------------

def _passwd_home(name=None, uid=None):
    """The home directory of a user from /etc/passwd (pyvm has no pwd module), by name
    or by uid; None when there is no such entry."""
    try:
        with open("/etc/passwd", encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split(":")
        if len(fields) < 7:
            continue
        if name is not None and fields[0] == name:
            return fields[5]
        if uid is not None and fields[2] == str(uid):
            return fields[5]
    return None


def _own_uid():
    try:
        with open("/proc/self/status") as f:
            for line in f.read().splitlines():
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def expanduser(path):
    """Replace a leading '~' or '~user' by that user's home directory; the path is
    returned unchanged when it has no such prefix or the user is unknown."""
    path = os.fspath(path)
    is_bytes = isinstance(path, bytes)
    tilde = b"~" if is_bytes else "~"
    if not path.startswith(tilde):
        return path
    s = _consts(path)[0]
    end = path.find(s, 1)
    if end < 0:
        end = len(path)
    if end == 1:
        home = os.environ.get("HOME")
        if home is None:
            uid = _own_uid()
            home = None if uid is None else _passwd_home(uid=uid)
            if home is None:
                return path
    else:
        name = path[1:end]
        if is_bytes:
            name = str(name, "ASCII")
        home = _passwd_home(name=name)
        if home is None:
            return path
    if is_bytes:
        home = _fsencode(home)
    home = home.rstrip(s)
    return (home + path[end:]) or s


_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def expandvars(path):
    """Replace $name and ${name} by the value of that environment variable; unknown
    variables are left as they are."""
    path = os.fspath(path)
    is_bytes = isinstance(path, bytes)
    # Work on text (bytes as latin-1, which maps each byte to one character).
    text = path.decode("latin-1") if is_bytes else path
    if "$" not in text:
        return path
    i = 0
    while True:
        i = text.find("$", i)
        if i < 0:
            break
        j = i + 1
        if j < len(text) and text[j] in _WORD:
            while j < len(text) and text[j] in _WORD:
                j += 1
            name = text[i + 1:j]
        elif text.startswith("{", j) and text.find("}", j) >= 0:
            j = text.find("}", j) + 1
            name = text[i + 2:j - 1]
        else:
            i += 1
            continue
        if is_bytes:
            value = os.environ.get(name.encode("latin-1").decode("utf-8", "surrogateescape"))
            if value is not None:
                value = _fsencode(value).decode("latin-1")
        else:
            value = os.environ.get(name)
        if value is None:
            i = j
        else:
            text = text[:i] + value + text[j:]
            i += len(value)
    return text.encode("latin-1") if is_bytes else text


# ----- the file system -------------------------------------------------------------------

def islink(path):
    """Whether path is a symbolic link (False when it does not exist)."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISLNK(st.st_mode)


def lexists(path):
    """Whether path exists, a broken symbolic link counting as existing."""
    try:
        os.lstat(path)
    except (OSError, ValueError):
        return False
    return True


def ismount(path):
    """Whether path is a mount point: a directory on another device than its parent,
    or the same directory as its parent (the root)."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return False
    if stat.S_ISLNK(st.st_mode):
        return False
    path = os.fspath(path)
    parent = realpath(_join(path, _consts(path)[2]))
    try:
        up = os.lstat(parent)
    except (OSError, ValueError):
        return False
    return st.st_dev != up.st_dev or st.st_ino == up.st_ino


def getmtime(filename):
    """The time of last modification of a file, in seconds since the epoch."""
    return os.stat(filename).st_mtime


def getatime(filename):
    """The time of last access of a file, in seconds since the epoch."""
    return os.stat(filename).st_atime


def getctime(filename):
    """The time of the last metadata change of a file, in seconds since the epoch."""
    return os.stat(filename).st_ctime


def samestat(s1, s2):
    """Whether two stat results are of the same file."""
    return s1.st_ino == s2.st_ino and s1.st_dev == s2.st_dev


def samefile(f1, f2):
    """Whether two paths name the same file (after following symbolic links)."""
    return samestat(os.stat(f1), os.stat(f2))


def sameopenfile(fp1, fp2):
    """Whether two file descriptors refer to the same file."""
    return samestat(os.fstat(fp1), os.fstat(fp2))


def realpath(filename, *, strict=False):
    """The canonical path of filename: absolute, with every symbolic link resolved.
    With strict=False (the default) missing components are taken as they are and a
    symlink loop stops the resolution; with strict=True both raise OSError."""
    filename = os.fspath(filename)
    resolved, _ = _resolve(filename[:0], filename, strict, {})
    return _abspath(resolved)


def _resolve(base, rest, strict, links):
    """Resolve the path rest relative to the already resolved path base. links maps a
    symlink's path to what it resolved to (None while it is being resolved, to see
    loops). Returns (path, finished); finished is False when a loop stopped it."""
    s, cur, par = _consts(rest)
    if rest.startswith(s):
        base = s
        rest = rest[1:]
    while rest:
        name, _, rest = rest.partition(s)
        if not name or name == cur:
            continue
        if name == par:
            if not base:
                base = par
            else:
                base, last = _split(base)
                if last == par:
                    base = _join(base, par, par)
            continue
        candidate = _join(base, name)
        try:
            mode = os.lstat(candidate).st_mode
        except OSError:
            if strict:
                raise
            mode = 0
        if not stat.S_ISLNK(mode):
            base = candidate
            continue
        if candidate in links:
            target = links[candidate]
            if target is not None:
                base = target
                continue
            # A loop: the link is being resolved already.
            if strict:
                os.stat(candidate)  # raises OSError (ELOOP)
            return _join(candidate, rest), False
        links[candidate] = None
        base, finished = _resolve(base, os.readlink(candidate), strict, links)
        if not finished:
            return _join(base, rest), False
        links[candidate] = base
    return base, True
