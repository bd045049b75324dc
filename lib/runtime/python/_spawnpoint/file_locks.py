"""fcntl.flock, fcntl.lockf and fcntl.fcntl's record locks (F_GETLK, F_SETLK, F_SETLKW) on the
kernel's file locks (lib/kernel/file-locks.ts), with Linux's semantics; Emscripten's do nothing.

flock locks belong to the open file description, record locks to the process; the kernel
releases them at close (lib/runtime/worker/file-locks.ts) and at exit. A blocking lock waits
in the kernel, where a signal's handler interrupts it and the call goes on (PEP 475) unless
the handler raised. In a controlled run every lock operation is a scheduling point on its
file's lock (`flock:<path>`, `lockf:<path>`) and a lock that has to wait parks blocked there.
A lock is also where this process's copies of shared files meet the kernel's (`_js.lock_sync`).
"""
import errno
import fcntl
import os
import struct
import sys

import _spawnpoint_js as _js

import _spawnpoint
from . import linux_errno

# struct flock on wasm32, laid out as on x86-64 Linux: l_type, l_whence, l_start, l_len, l_pid.
_FLOCK = "hhqqi"
_FLOCK_SIZE = struct.calcsize(_FLOCK)
_O_ACCMODE = 3
_RECORD = {fcntl.F_RDLCK: "r", fcntl.F_WRLCK: "w", fcntl.F_UNLCK: "u"}
_TYPE = {"r": fcntl.F_RDLCK, "w": fcntl.F_WRLCK}
_emscripten_fcntl = fcntl.fcntl


def _error(code):
    return linux_errno.error(code, os.strerror(code))


def _fileno(fd):
    if isinstance(fd, int):
        if fd < 0:
            raise ValueError("file descriptor cannot be a negative integer (%d)" % fd)
        return fd
    fileno = getattr(fd, "fileno", None)
    if fileno is None:
        raise TypeError("argument must be an int, or have a fileno() method.")
    return _fileno(fileno())


def _target(fd, record):
    """(ofd, flags, path) of descriptor `fd`; EBADF when it is no open file."""
    info = _js.lock_target(fd, record)
    if not info:
        raise _error(errno.EBADF)
    ofd, flags, path = info.split("\t", 2)
    return int(ofd), int(flags), path


def _lock(kind, path, take, blocking, acquires):
    """Runs `take(wait, park)` (the kernel call) as a lock operation of `kind` ("flock",
    "lockf") on `path`: this process's changed shared files reach the kernel first and, once a
    lock is taken, the files it has open are read again. In a controlled run the kernel
    answers EAGAIN instead of a wait (`park` False), and the process waits at its scheduler."""
    _js.lock_sync(False)
    if not _spawnpoint.SCHED:
        take(blocking, True)
    else:
        from . import sched
        obj = "%s:%s" % (kind, path)
        _js.sched_point(kind, obj, "write")
        while True:
            try:
                take(blocking, False)
                break
            except BlockingIOError:
                if not blocking:
                    raise
            sched._blocked(_js.sched_block(kind, obj, "lock", "%s %s" % (kind, path), -1))
    if acquires:
        _js.lock_sync(True)


def flock(fd, operation, /):
    fd = _fileno(fd)
    sys.audit("fcntl.flock", fd, operation)
    ofd, _flags, path = _target(fd, False)
    op = {fcntl.LOCK_SH: "sh", fcntl.LOCK_EX: "ex", fcntl.LOCK_UN: "un"}.get(operation & ~fcntl.LOCK_NB)
    if op is None:
        raise _error(errno.EINVAL)
    nb = bool(operation & fcntl.LOCK_NB)
    _lock("flock", path, lambda wait, park: _spawnpoint.call("file_flock", path=path, ofd=ofd, op=op, nb=not (wait and park)), not nb, op != "un")


def _range(fd, whence, start, length):
    """A record lock's start as an offset from the file's beginning (l_whence resolved)."""
    if whence == os.SEEK_CUR:
        start += os.lseek(fd, 0, os.SEEK_CUR)
    elif whence == os.SEEK_END:
        start += os.fstat(fd).st_size
    elif whence != os.SEEK_SET:
        raise _error(errno.EINVAL)
    return start, length


def _setlk(fd, type_, whence, start, length, wait):
    """F_SETLK / F_SETLKW."""
    kind = _RECORD.get(type_)
    if kind is None:
        raise _error(errno.EINVAL)
    _ofd, flags, path = _target(fd, True)
    mode = flags & _O_ACCMODE
    if (kind == "r" and mode == os.O_WRONLY) or (kind == "w" and mode == os.O_RDONLY):
        raise _error(errno.EBADF)
    start, length = _range(fd, whence, start, length)
    _lock("lockf", path, lambda w, park: _spawnpoint.call("file_setlk", path=path, type=kind, start=start, len=length, wait=w, park=park), wait, kind != "u")


def _getlk(fd, type_, whence, start, length):
    """F_GETLK: None (no lock would stop it), or (type, start, len, pid) of one that would."""
    kind = _RECORD.get(type_)
    if kind is None or kind == "u":
        raise _error(errno.EINVAL)
    _ofd, _flags, path = _target(fd, True)
    start, length = _range(fd, whence, start, length)
    if _spawnpoint.SCHED:
        _js.sched_point("getlk", "lockf:%s" % path, "read")
    found = _spawnpoint.call("file_getlk", path=path, type=kind, start=start, len=length)
    return None if found is None else (_TYPE[found[0]], found[1], found[2], found[3])


def lockf(fd, cmd, len=0, start=0, whence=0, /):
    fd = _fileno(fd)
    sys.audit("fcntl.lockf", fd, cmd, len, start, whence)
    if cmd == fcntl.LOCK_UN:
        type_ = fcntl.F_UNLCK
    elif cmd & fcntl.LOCK_SH:
        type_ = fcntl.F_RDLCK
    elif cmd & fcntl.LOCK_EX:
        type_ = fcntl.F_WRLCK
    else:
        raise ValueError("unrecognized lockf argument")
    _setlk(fd, type_, whence, start, len, not cmd & fcntl.LOCK_NB)


def fcntl_(fd, cmd, arg=0, /):
    if cmd not in (fcntl.F_GETLK, fcntl.F_SETLK, fcntl.F_SETLKW) or isinstance(arg, int):
        return _emscripten_fcntl(fd, cmd, arg)
    fd = _fileno(fd)
    sys.audit("fcntl.fcntl", fd, cmd, arg)
    data = arg.encode() if isinstance(arg, str) else bytes(arg)
    if len(data) > 1024:
        raise ValueError("fcntl argument 3 is too long")
    buf = bytearray(data.ljust(_FLOCK_SIZE, b"\0"))
    type_, whence, start, length, _pid = struct.unpack_from(_FLOCK, buf)
    if cmd == fcntl.F_GETLK:
        found = _getlk(fd, type_, whence, start, length)
        if found is None:
            struct.pack_into("h", buf, 0, fcntl.F_UNLCK)
        else:
            t, s, n, pid = found
            struct.pack_into(_FLOCK, buf, 0, t, os.SEEK_SET, s, n, pid)
    else:
        _setlk(fd, type_, whence, start, length, cmd == fcntl.F_SETLKW)
    return bytes(buf[:len(data)])


def install():
    flock.__module__ = lockf.__module__ = fcntl_.__module__ = "fcntl"
    fcntl_.__name__ = fcntl_.__qualname__ = "fcntl"
    fcntl.flock = flock
    fcntl.lockf = lockf
    fcntl.fcntl = fcntl_
