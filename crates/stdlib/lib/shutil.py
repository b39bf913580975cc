"""High-level file operations (pyvm's own implementation of the shutil module).

Copying files and trees, removing trees, moving, and looking commands up on $PATH,
with CPython's results, return values and exceptions, written on what pyvm's os
module offers: open(), os.listdir, os.mkdir/makedirs, os.unlink, os.rmdir,
os.rename and the os.path predicates. What that leaves out:

* no os.stat/os.chmod/os.utime: copymode() and copystat() (so also copy() and
  copy2()) copy no permission bits or times -- they only fail like CPython when
  a file is missing;
* no os.lstat/os.path.islink/os.readlink/os.symlink: copytree() follows symbolic
  links whatever `symlinks` says, and sameness of files is judged by absolute path
  (a hard link or a symbolic link to the same file is not recognised);
* rmtree() never follows a symbolic link all the same: every entry is first
  unlinked, which removes files and links, and only an entry the OS reports to
  be a directory is descended into (see _rmtree_dir) -- in a directory that may
  not be written to, a subdirectory is therefore reported, not emptied;
* no os.access: which() accepts any regular file on the path, executable or not;
* disk_usage(), chown() and the archive functions are not provided, and
  get_terminal_size() only knows $COLUMNS/$LINES and the fallback.
"""

import os
import sys

__all__ = ["copyfileobj", "copyfile", "copymode", "copystat", "copy", "copy2",
           "copytree", "move", "rmtree", "Error", "SpecialFileError", "ExecError",
           "ignore_patterns", "which", "get_terminal_size", "SameFileError"]

# CPython's buffer size for copyfileobj on POSIX.
COPY_BUFSIZE = 64 * 1024


class Error(OSError):
    """copytree() and move() failures; copytree's carries a list of
    (source, destination, reason) triples as its argument."""


class SameFileError(Error):
    """copyfile() was asked to copy a file onto itself."""


class SpecialFileError(OSError):
    """The file is of a kind (a FIFO, say) that cannot be copied."""


class ExecError(OSError):
    """A command could not be run."""


class ReadError(OSError):
    """An archive could not be read (kept for compatibility; no archives here)."""


class RegistryError(Exception):
    """Bad use of the archive format registries (kept for compatibility)."""


# ----- stand-ins for the os functions pyvm lacks -------------------------------------------
#
# rmtree's onerror callback receives the function that failed; CPython passes os.lstat,
# os.scandir or os.path.islink for some failures. Callers look at func.__name__ or
# call func(path) again, so when os lacks them, pass functions with those names that
# behave the same way on the path.

def _make_standins():
    def lstat(path):
        # Fails as stat() does on a missing path (getsize reads the metadata).
        os.path.getsize(path)

    def scandir(path="."):
        return iter(os.listdir(path))

    def islink(path):
        return False

    return lstat, scandir, islink


_lstat, _scandir, _islink = _make_standins()
_lstat = getattr(os, "lstat", _lstat)
_scandir = getattr(os, "scandir", _scandir)
_islink = getattr(os.path, "islink", _islink)


def _stat_check(path):
    # What os.stat(path) would raise, without os.stat: metadata is read by getsize.
    os.path.getsize(path)


# ----- copying files -----------------------------------------------------------------------

def copyfileobj(fsrc, fdst, length=0):
    """Copy the rest of file-like object fsrc to file-like object fdst."""
    if not length:
        length = COPY_BUFSIZE
    read = fsrc.read
    write = fdst.write
    while True:
        buf = read(length)
        if not buf:
            break
        write(buf)


def _samefile(src, dst):
    # CPython compares device and inode; without os.stat, two existing paths that
    # normalise to the same absolute path are the same file.
    try:
        return (os.path.exists(src) and os.path.exists(dst)
                and os.path.abspath(src) == os.path.abspath(dst))
    except (OSError, TypeError, ValueError):
        return False


def copyfile(src, dst, *, follow_symlinks=True):
    """Copy the contents of file src to file dst (created or truncated); return dst."""
    if _samefile(src, dst):
        raise SameFileError("{!r} and {!r} are the same file".format(src, dst))
    with open(src, "rb") as fsrc:
        try:
            with open(dst, "wb") as fdst:
                copyfileobj(fsrc, fdst)
        except IsADirectoryError as e:
            # "dst/" naming a directory that does not exist fails as EISDIR; say so.
            if not os.path.exists(dst):
                raise FileNotFoundError(f"Directory does not exist: {dst}") from e
            raise
    return dst


def copymode(src, dst, *, follow_symlinks=True):
    """Copy the permission bits of src to dst."""
    import stat
    os.chmod(dst, stat.S_IMODE(os.stat(src).st_mode))


def copystat(src, dst, *, follow_symlinks=True):
    """Copy permission bits and access/modification times of src to dst."""
    import stat
    st = os.stat(src)
    os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.chmod(dst, stat.S_IMODE(st.st_mode))


def copy(src, dst, *, follow_symlinks=True):
    """Copy file src to dst (a file, or a directory to copy into) with its mode bits
    (see copymode); return the path of the new file."""
    if os.path.isdir(dst):
        dst = os.path.join(dst, os.path.basename(src))
    copyfile(src, dst, follow_symlinks=follow_symlinks)
    copymode(src, dst, follow_symlinks=follow_symlinks)
    return dst


def copy2(src, dst, *, follow_symlinks=True):
    """copy() that also copies times and flags (see copystat); return the new path."""
    if os.path.isdir(dst):
        dst = os.path.join(dst, os.path.basename(src))
    copyfile(src, dst, follow_symlinks=follow_symlinks)
    copystat(src, dst, follow_symlinks=follow_symlinks)
    return dst


# ----- glob patterns for ignore_patterns ---------------------------------------------------

def _class_match(pat, i, ch):
    """pat[i] is '['. (matched, index after the class), or None when the bracket is
    not closed (and so stands for itself)."""
    j = i + 1
    negate = j < len(pat) and pat[j] == "!"
    if negate:
        j += 1
    start = j
    # A ']' right after '[' or '[!' is a member, not the end.
    if j < len(pat) and pat[j] == "]":
        j += 1
    j = pat.find("]", j)
    if j < 0:
        return None
    members = pat[start:j]
    found = False
    k = 0
    while k < len(members):
        if k + 2 < len(members) and members[k + 1] == "-":
            if members[k] <= ch <= members[k + 2]:
                found = True
            k += 3
        else:
            if members[k] == ch:
                found = True
            k += 1
    return found != negate, j + 1


def _fnmatch(name, pat):
    # Shell-style matching as fnmatch.fnmatchcase: '*' (any run, '/' included), '?'
    # (any one character), '[...]' / '[!...]'. Backtracking goes to the latest '*'.
    n = p = 0
    star_p = -1
    star_n = 0
    while n < len(name):
        if p < len(pat):
            c = pat[p]
            if c == "*":
                star_p, star_n = p, n
                p += 1
                continue
            if c == "?":
                n += 1
                p += 1
                continue
            if c == "[":
                res = _class_match(pat, p, name[n])
                if res is not None:
                    if res[0]:
                        n += 1
                        p = res[1]
                        continue
                elif name[n] == "[":
                    n += 1
                    p += 1
                    continue
            elif c == name[n]:
                n += 1
                p += 1
                continue
        if star_p < 0:
            return False
        star_n += 1
        n = star_n
        p = star_p + 1
    while p < len(pat) and pat[p] == "*":
        p += 1
    return p == len(pat)


def ignore_patterns(*patterns):
    """An `ignore` callable for copytree() that ignores the names matching any of the
    shell-style patterns."""
    def _ignore_patterns(path, names):
        ignored = []
        for pattern in patterns:
            ignored.extend(name for name in names if _fnmatch(name, pattern))
        return set(ignored)
    return _ignore_patterns


# ----- copytree ----------------------------------------------------------------------------

def copytree(src, dst, symlinks=False, ignore=None, copy_function=copy2,
             ignore_dangling_symlinks=False, dirs_exist_ok=False):
    """Copy the directory tree src to dst (which must not exist unless dirs_exist_ok),
    copying files with copy_function; return dst. Failures are collected and raised
    together as Error([(srcname, dstname, reason), ...])."""
    names = os.listdir(src)
    if ignore is not None:
        ignored_names = ignore(os.fspath(src) if hasattr(os, "fspath") else src, names)
    else:
        ignored_names = set()
    os.makedirs(dst, exist_ok=dirs_exist_ok)
    errors = []
    for name in names:
        if name in ignored_names:
            continue
        srcname = os.path.join(src, name)
        dstname = os.path.join(dst, name)
        try:
            if os.path.isdir(srcname):
                copytree(srcname, dstname, symlinks, ignore, copy_function,
                         ignore_dangling_symlinks, dirs_exist_ok)
            else:
                # Listed but not there: a dangling symbolic link.
                if ignore_dangling_symlinks and not os.path.exists(srcname):
                    continue
                copy_function(srcname, dstname)
        except Error as err:
            errors.extend(err.args[0])
        except OSError as why:
            errors.append((srcname, dstname, str(why)))
    try:
        copystat(src, dst)
    except OSError as why:
        errors.append((src, dst, str(why)))
    if errors:
        raise Error(errors)
    return dst


# ----- rmtree ------------------------------------------------------------------------------

def _is_real_dir(path):
    # After unlink(path) failed with EPERM/EACCES (macOS answers EPERM for every
    # directory): rmdir tells a directory from a file or link, as it never follows
    # a link. True when removed already (it was an empty directory).
    try:
        os.rmdir(path)
        return True
    except (NotADirectoryError, PermissionError):
        return False
    except OSError:
        # Not empty, busy...: only a real directory gets that far.
        return True


def _rmtree_dir(path, onerror):
    # Empty the directory `path`, then remove it. Each entry is unlinked first: that
    # removes files and symbolic links (a link to a directory included, without
    # touching what it points to). Only when the OS answers that the entry is a
    # directory is it descended into -- so a link never leads the removal outside
    # the tree, even though pyvm has no lstat.
    try:
        names = os.listdir(path)
    except OSError:
        onerror(_scandir, path, sys.exc_info())
        names = []
    for name in names:
        fullname = os.path.join(path, name)
        try:
            os.unlink(fullname)
            continue
        except IsADirectoryError:
            pass
        except PermissionError:
            # (Still handling unlink's error after the probe: a bare `raise` in
            # onerror re-raises that one.)
            if not _is_real_dir(fullname):
                onerror(os.unlink, fullname, sys.exc_info())
                continue
        except OSError:
            onerror(os.unlink, fullname, sys.exc_info())
            continue
        if os.path.exists(fullname):
            _rmtree_dir(fullname, onerror)
    try:
        os.rmdir(path)
    except OSError:
        onerror(os.rmdir, path, sys.exc_info())


def rmtree(path, ignore_errors=False, onerror=None, *, dir_fd=None):
    """Remove the directory tree `path`. Errors are ignored with ignore_errors, else
    passed to onerror(func, path, exc_info) when given, else raised."""
    if ignore_errors:
        def onerror(*args):
            pass
    elif onerror is None:
        def onerror(*args):
            raise
    if dir_fd is not None:
        raise NotImplementedError("dir_fd unavailable on this platform")
    # Try removing `path` as an empty directory first: the errors tell what it is
    # without lstat. rmdir does not follow a symbolic link, so ENOTDIR with a
    # directory behind the name means a link to a directory.
    try:
        os.rmdir(path)
        return
    except FileNotFoundError:
        onerror(_lstat, path, sys.exc_info())
        return
    except NotADirectoryError:
        if os.path.isdir(path):
            try:
                raise OSError("Cannot call rmtree on a symbolic link")
            except OSError:
                onerror(_islink, path, sys.exc_info())
            return
        # A file: _rmtree_dir fails to list it, as CPython does.
    except OSError:
        # Not empty (or not removable yet): empty it first.
        pass
    _rmtree_dir(path, onerror)


# Checked by callers that care (CPython's is True where it removes through fds).
rmtree.avoids_symlink_attacks = False


# ----- move --------------------------------------------------------------------------------

def _basename(path):
    # basename() of a path with trailing slashes is '', which is not wanted here.
    sep = os.path.sep
    return os.path.basename(path.rstrip(sep))


def _destinsrc(src, dst):
    src = os.path.abspath(src)
    dst = os.path.abspath(dst)
    if not src.endswith(os.path.sep):
        src += os.path.sep
    if not dst.endswith(os.path.sep):
        dst += os.path.sep
    return dst.startswith(src)


def move(src, dst, copy_function=copy2):
    """Move file or directory src to dst (into it when dst is a directory), renaming
    when possible and copying then removing otherwise; return the new path."""
    real_dst = dst
    if os.path.isdir(dst):
        if _samefile(src, dst):
            # Same directory, perhaps differing in case: rename anyway.
            os.rename(src, dst)
            return
        real_dst = os.path.join(dst, _basename(src))
        if os.path.exists(real_dst):
            raise Error("Destination path '%s' already exists" % real_dst)
    try:
        os.rename(src, real_dst)
    except OSError:
        if os.path.isdir(src):
            if _destinsrc(src, dst):
                raise Error("Cannot move a directory '%s' into itself '%s'." % (src, dst))
            copytree(src, real_dst, copy_function=copy_function, symlinks=True)
            rmtree(src)
        else:
            copy_function(src, real_dst)
            os.unlink(src)
    return real_dst


# ----- which -------------------------------------------------------------------------------

_F_OK = getattr(os, "F_OK", 0)
_X_OK = getattr(os, "X_OK", 1)


def _access_check(fn, mode):
    if hasattr(os, "access"):
        return os.path.exists(fn) and os.access(fn, mode) and not os.path.isdir(fn)
    # No os.access in pyvm: any regular file will do.
    return os.path.isfile(fn)


def which(cmd, mode=_F_OK | _X_OK, path=None):
    """The path of the file `cmd` would run ($PATH searched unless cmd has a
    directory part, or the given `path` string), or None."""
    if os.path.dirname(cmd):
        if _access_check(cmd, mode):
            return cmd
        return None
    if path is None:
        path = os.environ.get("PATH", None)
        if path is None:
            path = getattr(os, "defpath", "/bin:/usr/bin")
    if not path:
        return None
    seen = set()
    for dir in path.split(getattr(os, "pathsep", ":")):
        if dir not in seen:
            seen.add(dir)
            name = os.path.join(dir, cmd)
            if _access_check(name, mode):
                return name
    return None


# ----- get_terminal_size -------------------------------------------------------------------

class _terminal_size(tuple):
    """(columns, lines), as os.terminal_size (used when os has none)."""

    def __new__(cls, size):
        return tuple.__new__(cls, size)

    @property
    def columns(self):
        return self[0]

    @property
    def lines(self):
        return self[1]

    def __repr__(self):
        return "os.terminal_size(columns=%r, lines=%r)" % (self[0], self[1])


def get_terminal_size(fallback=(80, 24)):
    """The terminal's size as (columns, lines): $COLUMNS and $LINES when set to
    positive numbers, else what the terminal reports, else `fallback`."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    try:
        lines = int(os.environ["LINES"])
    except (KeyError, ValueError):
        lines = 0
    make = getattr(os, "terminal_size", _terminal_size)
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())
        except (AttributeError, ValueError, OSError):
            size = make(fallback)
        if columns <= 0:
            columns = size.columns or fallback[0]
        if lines <= 0:
            lines = size.lines or fallback[1]
    return make((columns, lines))
