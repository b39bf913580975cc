"""Constants and helpers for interpreting os.stat() results (pyvm's own implementation
of the `stat` module).

All values are the Linux ones CPython 3.11 exposes: the file-type bits (S_IF*) and the
tests on them (S_IS*), the permission bits (S_I*), the indices into a stat tuple
(ST_*), the BSD user/system flags (UF_*, SF_*), the Windows FILE_ATTRIBUTE_* values,
S_IFMT()/S_IMODE() and filemode(), which renders a mode the way `ls -l` does.
The functions check their argument like CPython's C `_stat` module: an int that fits
in an unsigned 32-bit mode_t.
"""

# ----- indices into the tuple form of a stat result ------------------------------------

ST_MODE = 0
ST_INO = 1
ST_DEV = 2
ST_NLINK = 3
ST_UID = 4
ST_GID = 5
ST_SIZE = 6
ST_ATIME = 7
ST_MTIME = 8
ST_CTIME = 9

# ----- file types (the S_IFMT part of a mode) ------------------------------------------

S_IFDIR = 0o040000   # directory
S_IFCHR = 0o020000   # character device
S_IFBLK = 0o060000   # block device
S_IFREG = 0o100000   # regular file
S_IFIFO = 0o010000   # fifo (named pipe)
S_IFLNK = 0o120000   # symbolic link
S_IFSOCK = 0o140000  # socket
# Solaris doors, event ports and BSD whiteouts do not exist on Linux.
S_IFDOOR = 0
S_IFPORT = 0
S_IFWHT = 0

_FILE_TYPE_MASK = 0o170000
_PERMISSION_MASK = 0o7777
_MODE_T_MAX = 0xFFFFFFFF

# ----- permission and special bits -----------------------------------------------------

S_ISUID = 0o4000  # set user id on execution
S_ISGID = 0o2000  # set group id on execution
S_ENFMT = S_ISGID  # record locking enforced
S_ISVTX = 0o1000  # sticky bit
S_IREAD = 0o0400  # Unix V7 synonym for S_IRUSR
S_IWRITE = 0o0200  # Unix V7 synonym for S_IWUSR
S_IEXEC = 0o0100  # Unix V7 synonym for S_IXUSR
S_IRWXU = 0o0700  # owner: read, write, execute
S_IRUSR = 0o0400
S_IWUSR = 0o0200
S_IXUSR = 0o0100
S_IRWXG = 0o0070  # group: read, write, execute
S_IRGRP = 0o0040
S_IWGRP = 0o0020
S_IXGRP = 0o0010
S_IRWXO = 0o0007  # others: read, write, execute
S_IROTH = 0o0004
S_IWOTH = 0o0002
S_IXOTH = 0o0001

# ----- BSD file flags (st_flags) -------------------------------------------------------

UF_NODUMP = 0x00000001      # do not dump file
UF_IMMUTABLE = 0x00000002   # file may not be changed
UF_APPEND = 0x00000004      # file may only be appended to
UF_OPAQUE = 0x00000008      # directory is opaque when viewed through a union stack
UF_NOUNLINK = 0x00000010    # file may not be renamed or deleted
UF_COMPRESSED = 0x00000020  # macOS: file is compressed
UF_HIDDEN = 0x00008000      # macOS: file should not be displayed
SF_ARCHIVED = 0x00010000    # file may be archived
SF_IMMUTABLE = 0x00020000   # file may not be changed
SF_APPEND = 0x00040000      # file may only be appended to
SF_NOUNLINK = 0x00100000    # file may not be renamed or deleted
SF_SNAPSHOT = 0x00200000    # file is a snapshot file

# ----- Windows file attributes (os.stat_result.st_file_attributes) ---------------------

FILE_ATTRIBUTE_READONLY = 1
FILE_ATTRIBUTE_HIDDEN = 2
FILE_ATTRIBUTE_SYSTEM = 4
FILE_ATTRIBUTE_DIRECTORY = 16
FILE_ATTRIBUTE_ARCHIVE = 32
FILE_ATTRIBUTE_DEVICE = 64
FILE_ATTRIBUTE_NORMAL = 128
FILE_ATTRIBUTE_TEMPORARY = 256
FILE_ATTRIBUTE_SPARSE_FILE = 512
FILE_ATTRIBUTE_REPARSE_POINT = 1024
FILE_ATTRIBUTE_COMPRESSED = 2048
FILE_ATTRIBUTE_OFFLINE = 4096
FILE_ATTRIBUTE_NOT_CONTENT_INDEXED = 8192
FILE_ATTRIBUTE_ENCRYPTED = 16384
FILE_ATTRIBUTE_INTEGRITY_STREAM = 32768
FILE_ATTRIBUTE_VIRTUAL = 65536
FILE_ATTRIBUTE_NO_SCRUB_DATA = 131072


# ----- functions -----------------------------------------------------------------------

def _mode(mode):
    """Check that `mode` is a valid mode_t value (as CPython's _stat does) and return it."""
    if not isinstance(mode, int):
        raise TypeError("an integer is required")
    if mode < 0:
        raise OverflowError("can't convert negative value to unsigned int")
    if mode > _MODE_T_MAX:
        if mode > 0xFFFFFFFFFFFFFFFF:
            raise OverflowError("Python int too large to convert to C unsigned long")
        raise OverflowError("mode out of range")
    return int(mode)


def S_IMODE(mode):
    """Return the portion of the file's mode that can be set by os.chmod()."""
    return _mode(mode) & _PERMISSION_MASK


def S_IFMT(mode):
    """Return the portion of the file's mode that describes the file type."""
    return _mode(mode) & _FILE_TYPE_MASK


def S_ISDIR(mode):
    """S_ISDIR(mode) -> bool

Return True if mode is from a directory."""
    return S_IFMT(mode) == S_IFDIR


def S_ISCHR(mode):
    """S_ISCHR(mode) -> bool

Return True if mode is from a character special device file."""
    return S_IFMT(mode) == S_IFCHR


def S_ISBLK(mode):
    """S_ISBLK(mode) -> bool

Return True if mode is from a block special device file."""
    return S_IFMT(mode) == S_IFBLK


def S_ISREG(mode):
    """S_ISREG(mode) -> bool

Return True if mode is from a regular file."""
    return S_IFMT(mode) == S_IFREG


def S_ISFIFO(mode):
    """S_ISFIFO(mode) -> bool

Return True if mode is from a FIFO (named pipe)."""
    return S_IFMT(mode) == S_IFIFO


def S_ISLNK(mode):
    """S_ISLNK(mode) -> bool

Return True if mode is from a symbolic link."""
    return S_IFMT(mode) == S_IFLNK


def S_ISSOCK(mode):
    """S_ISSOCK(mode) -> bool

Return True if mode is from a socket."""
    return S_IFMT(mode) == S_IFSOCK


def S_ISDOOR(mode):
    """S_ISDOOR(mode) -> bool

Return True if mode is from a door (never, on Linux)."""
    _mode(mode)
    return False


def S_ISPORT(mode):
    """S_ISPORT(mode) -> bool

Return True if mode is from an event port (never, on Linux)."""
    _mode(mode)
    return False


def S_ISWHT(mode):
    """S_ISWHT(mode) -> bool

Return True if mode is from a whiteout (never, on Linux)."""
    _mode(mode)
    return False


# The letter `ls -l` shows for each file type; anything else is '?'.
_TYPE_LETTERS = {
    S_IFREG: "-",
    S_IFDIR: "d",
    S_IFLNK: "l",
    S_IFCHR: "c",
    S_IFBLK: "b",
    S_IFIFO: "p",
    S_IFSOCK: "s",
}

# For each of owner, group and others: (read bit, write bit, execute bit, special bit,
# letter for execute+special, letter for special alone).
_PERMISSION_TRIPLES = (
    (S_IRUSR, S_IWUSR, S_IXUSR, S_ISUID, "s", "S"),
    (S_IRGRP, S_IWGRP, S_IXGRP, S_ISGID, "s", "S"),
    (S_IROTH, S_IWOTH, S_IXOTH, S_ISVTX, "t", "T"),
)


def filemode(mode):
    """Convert a file's mode to a string of the form '-rwxrwxrwx'"""
    mode = _mode(mode)
    chars = [_TYPE_LETTERS.get(mode & _FILE_TYPE_MASK, "?")]
    for read, write, execute, special, both, special_only in _PERMISSION_TRIPLES:
        chars.append("r" if mode & read else "-")
        chars.append("w" if mode & write else "-")
        if mode & special:
            chars.append(both if mode & execute else special_only)
        else:
            chars.append("x" if mode & execute else "-")
    return "".join(chars)
