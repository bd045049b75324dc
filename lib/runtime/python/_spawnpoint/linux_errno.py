"""Linux errno numbers, as CPython on Linux has them: the runtime's one errno table.

Pyodide's libc (Emscripten's musl) numbers errors its own way: ENOENT is 44 there and 2 is
EACCES, so a missing file would print `[Errno 44] No such file or directory`. The exception
*class* is right (CPython picks it inside OSError() from the compiled-in numbers); only the
number is foreign. `install()`:
- gives the `errno` module Linux's values (errno.ENOENT == 2, errno.errorcode[2] == 'ENOENT'),
  so the kernel's errors (Linux numbers) and the network's compare equal to errno.X;
- wraps the file-system entry points a program reaches (open, io.open, os.stat, os.listdir,
  os.remove, os.mkdir, …) so an OSError they raise carries the Linux number: tracebacks,
  `print(e)` and `e.errno == errno.ENOENT` all match CPython;
- gives os.strerror() glibc's texts by Linux's numbers (the kernel's table), and a renumbered error
  glibc's text where it had musl's ("Input/output error", not "I/O error").
Not covered (C-level): `OSError(2, "x")` constructed by a program picks its subclass from
Pyodide's numbers (PermissionError instead of FileNotFoundError); raise the subclass instead.
The runtime itself builds its errors with `error()`, which picks the class by Linux's number.
"""
import builtins
import errno
import functools
import io
import operator
import os
import weakref

LINUX = {
    "EPERM": 1, "ENOENT": 2, "ESRCH": 3, "EINTR": 4, "EIO": 5, "ENXIO": 6, "E2BIG": 7,
    "ENOEXEC": 8, "EBADF": 9, "ECHILD": 10, "EAGAIN": 11, "EWOULDBLOCK": 11, "ENOMEM": 12,
    "EACCES": 13, "EFAULT": 14, "ENOTBLK": 15, "EBUSY": 16, "EEXIST": 17, "EXDEV": 18, "ENODEV":
    19, "ENOTDIR": 20, "EISDIR": 21, "EINVAL": 22, "ENFILE": 23, "EMFILE": 24, "ENOTTY": 25,
    "ETXTBSY": 26, "EFBIG": 27, "ENOSPC": 28, "ESPIPE": 29, "EROFS": 30, "EMLINK": 31, "EPIPE":
    32, "EDOM": 33, "ERANGE": 34, "EDEADLK": 35, "EDEADLOCK": 35, "ENAMETOOLONG": 36, "ENOLCK":
    37, "ENOSYS": 38, "ENOTEMPTY": 39, "ELOOP": 40, "ENOMSG": 42, "EIDRM": 43, "ECHRNG": 44,
    "EL2NSYNC": 45, "EL3HLT": 46, "EL3RST": 47, "ELNRNG": 48, "EUNATCH": 49, "ENOCSI": 50,
    "EL2HLT": 51, "EBADE": 52, "EBADR": 53, "EXFULL": 54, "ENOANO": 55, "EBADRQC": 56,
    "EBADSLT": 57, "EBFONT": 59, "ENOSTR": 60, "ENODATA": 61, "ETIME": 62, "ENOSR": 63,
    "ENONET": 64, "ENOPKG": 65, "EREMOTE": 66, "ENOLINK": 67, "EADV": 68, "ESRMNT": 69, "ECOMM":
    70, "EPROTO": 71, "EMULTIHOP": 72, "EDOTDOT": 73, "EBADMSG": 74, "EOVERFLOW": 75,
    "ENOTUNIQ": 76, "EBADFD": 77, "EREMCHG": 78, "ELIBACC": 79, "ELIBBAD": 80, "ELIBSCN": 81,
    "ELIBMAX": 82, "ELIBEXEC": 83, "EILSEQ": 84, "ERESTART": 85, "ESTRPIPE": 86, "EUSERS": 87,
    "ENOTSOCK": 88, "EDESTADDRREQ": 89, "EMSGSIZE": 90, "EPROTOTYPE": 91, "ENOPROTOOPT": 92,
    "EPROTONOSUPPORT": 93, "ESOCKTNOSUPPORT": 94, "ENOTSUP": 95, "EOPNOTSUPP": 95,
    "EPFNOSUPPORT": 96, "EAFNOSUPPORT": 97, "EADDRINUSE": 98, "EADDRNOTAVAIL": 99, "ENETDOWN":
    100, "ENETUNREACH": 101, "ENETRESET": 102, "ECONNABORTED": 103, "ECONNRESET": 104,
    "ENOBUFS": 105, "EISCONN": 106, "ENOTCONN": 107, "ESHUTDOWN": 108, "ETOOMANYREFS": 109,
    "ETIMEDOUT": 110, "ECONNREFUSED": 111, "EHOSTDOWN": 112, "EHOSTUNREACH": 113, "EALREADY":
    114, "EINPROGRESS": 115, "ESTALE": 116, "EUCLEAN": 117, "ENOTNAM": 118, "ENAVAIL": 119,
    "EISNAM": 120, "EREMOTEIO": 121, "EDQUOT": 122, "ENOMEDIUM": 123, "EMEDIUMTYPE": 124,
    "ECANCELED": 125, "ENOKEY": 126, "EKEYEXPIRED": 127, "EKEYREVOKED": 128, "EKEYREJECTED":
    129, "EOWNERDEAD": 130, "ENOTRECOVERABLE": 131, "ERFKILL": 132
}
# OSError's subclass per Linux errno (CPython's table in Objects/exceptions.c). OSError(n)
# itself picks from Pyodide's numbers, so code that builds one from a Linux number uses this.
CLASS = {
    11: BlockingIOError, 114: BlockingIOError, 115: BlockingIOError, 32: BrokenPipeError,
    108: BrokenPipeError, 10: ChildProcessError, 103: ConnectionAbortedError,
    111: ConnectionRefusedError, 104: ConnectionResetError, 17: FileExistsError,
    2: FileNotFoundError, 21: IsADirectoryError, 20: NotADirectoryError, 4: InterruptedError,
    13: PermissionError, 1: PermissionError, 3: ProcessLookupError, 110: TimeoutError,
}

# errno.errorcode's name for numbers with two names, as on CPython/Linux.
_CANONICAL = {11: "EAGAIN", 35: "EDEADLOCK", 95: "ENOTSUP"}

# Pyodide number → Linux number, and back (filled by install() from Pyodide's own errno).
TO_LINUX = {}
FROM_LINUX = {}

_WRAPPED_OS = (
    "open", "stat", "lstat", "listdir", "scandir", "remove", "unlink", "rmdir", "mkdir",
    "rename", "replace", "chdir", "utime", "truncate", "readlink", "symlink", "link", "chmod",
    "read", "write", "close", "fstat", "lseek", "dup", "dup2", "ftruncate", "fsync", "getcwd",
    "waitpid", "wait", "wait3", "wait4", "waitid", "execv", "execve",
)


def make_error(cls, code, message, filename=None, filename2=None):
    """Exactly `cls(code, message[, filename[, None, filename2]])`. OSError(n, …) itself would
    pick its subclass from Pyodide's numbers (Linux's ENOMEM, 12, is ECHILD there), so a
    plain OSError is built from its message and given the number afterwards."""
    if filename2 is not None:
        args = (code, message, filename, None, filename2)
    elif filename is not None:
        args = (code, message, filename)
    else:
        args = (code, message)
    e = cls(*args)
    if type(e) is cls:
        e._linux_errno = True  # the top level prints it as it is (main._with_linux_errno)
    if type(e) is not cls:
        e = cls(message)
        e.args = (code, message)
        e.errno, e.strerror = code, message
        # Only when given: str(e) tests whether they are set at all, not whether they are None.
        if filename is not None:
            e.filename = filename
        if filename2 is not None:
            e.filename2 = filename2
        e._linux_errno = True
    return e


def error(code, message, filename=None):
    """The OSError CPython on Linux raises for errno `code` (Linux's number): its subclass
    (ConnectionRefusedError for 111, …) carrying that number."""
    return make_error(CLASS.get(code, OSError), code, message, filename)


def linux_error(exc):
    """The same OSError with Linux's errno (a new exception of the same class), or exc itself."""
    if getattr(exc, "_linux_errno", False) or type(exc).__module__ != "builtins":
        return exc
    linux = TO_LINUX.get(exc.errno)
    if linux is None or linux == exc.errno:
        return exc
    # musl's text for it ("I/O error") becomes glibc's ("Input/output error"), as the number does.
    text = _strerror(linux) if exc.strerror == _musl_strerror(exc.errno) else exc.strerror
    new = make_error(type(exc), linux, text, exc.filename, exc.filename2)
    new._linux_errno = True
    return new


# Set by _spawnpoint.sched in a controlled run: tells the file's scheduling point (taken
# inside the I/O call, where Python cannot be asked) where in the program it comes from.
HINT = None


# The file objects open() returned that buffer writes: the process's exit writes out what
# they still hold (_spawnpoint.main), as CPython's shutdown does when it destroys them.
WRITING_FILES = weakref.WeakSet()
_WRITING = (io.BufferedWriter, io.BufferedRandom)


def _wrap(fn, track=False):
    @functools.wraps(fn)
    def call(*args, **kwargs):
        if HINT is not None:
            HINT()
        try:
            f = fn(*args, **kwargs)
        except OSError as e:
            new = linux_error(e)
            if new is e:
                raise
            # Frames of this file are trimmed from tracebacks (bootstrap.trim_runtime_frames).
            raise new from None
        if track and isinstance(getattr(f, "buffer", f), _WRITING):
            WRITING_FILES.add(f)
        return f
    call._spawnpoint_wrapped = fn
    return call


# Pyodide's own: musl's texts, by Pyodide's numbers.
_musl_strerror = os.strerror


def _strerror(code):
    import _spawnpoint_js as _js  # here: python3 loads this file too (tests/unit/errno-table.test.ts)
    return _js.strerror(operator.index(code))


def install():
    if TO_LINUX:
        return
    for name, linux in LINUX.items():
        local = getattr(errno, name, None)
        if isinstance(local, int):
            TO_LINUX.setdefault(local, linux)
            FROM_LINUX.setdefault(linux, local)
    for name, linux in LINUX.items():
        setattr(errno, name, linux)
    errno.errorcode.clear()
    for name, linux in LINUX.items():
        errno.errorcode.setdefault(linux, name)
    errno.errorcode.update(_CANONICAL)
    # Pickled by reference (Pool.map(os.stat, …), Process(target=os.remove)), a wrapper is
    # looked up where it was put, not in posix or _io (whose functions the import system uses).
    for name in _WRAPPED_OS:
        fn = getattr(os, name, None)
        if fn is not None and not hasattr(fn, "_spawnpoint_wrapped"):
            wrapped = _wrap(fn)
            wrapped.__module__ = "os"
            setattr(os, name, wrapped)
    opener = _wrap(io.open, track=True)
    opener.__module__ = "io"
    io.open = opener
    builtins.open = opener
    os.strerror = _strerror
