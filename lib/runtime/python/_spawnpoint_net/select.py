"""select, for Spawnpoint: select(), poll() and epoll over the kernel's sockets, this process's own
files and pipes, multiprocessing's Pipe ends and process sentinels.

Sockets are waited on in the kernel, so Ctrl-C interrupts the wait like any other. A
process's own files and pipes (os.pipe, open) are in its own table, which nothing but the
process itself changes (no other process holds them): Pyodide's select looks at them once,
and when one is ready the sockets are only looked at too, without waiting. Pipe ends (queue
rings between workers) and sentinels (a pid) are looked at between short waits, on a Pipe
end's ring when one is read (see _watching).
"""
import sys

from _spawnpoint.linux_errno import LINUX as _E

from .calls import _call

error = OSError

POLLIN = 0x001
POLLPRI = 0x002
POLLOUT = 0x004
POLLERR = 0x008
POLLHUP = 0x010
POLLNVAL = 0x020
POLLRDNORM = 0x040
POLLRDBAND = 0x080
POLLWRNORM = 0x100
POLLWRBAND = 0x200
POLLMSG = 0x400
POLLRDHUP = 0x2000
PIPE_BUF = 4096


def _fileno(obj):
    if isinstance(obj, int):
        fd = obj
    else:
        try:
            fd = obj.fileno()
        except AttributeError:
            raise TypeError("argument must be an int, or have a fileno() method.") from None
        if not isinstance(fd, int):
            raise TypeError("fileno() returned a non-integer")
    if fd < 0:
        raise ValueError(f"file descriptor cannot be a negative integer ({fd})")
    return fd


def _timeout_ms(timeout, scale):
    if timeout is None:
        return None
    try:
        t = float(timeout)
    except (TypeError, ValueError):
        raise TypeError("timeout must be an integer or None") from None
    if t < 0:
        if scale == 1000.0:
            raise ValueError("timeout must be non-negative")
        return None  # poll(): a negative timeout waits forever
    return t * scale


def _waiting(call, ms, ready, **args):
    """The kernel's `call` with a timeout of `ms` (None: none), Pool and executor results taken
    meanwhile (an event loop learns of an executor's result through its own socket, which a
    callback writes to)."""
    from _spawnpoint.pool import wait_taking_results

    return wait_taking_results(lambda s: _call(call, timeoutMs=None if s is None else s * 1000.0, **args), None if ms is None else ms / 1000.0, ready)


# Pyodide's own select module (Emscripten's select and poll over the process's files), set
# by the package's install() before ours replaces it.
_native = None


def _sockets(fds, check=True):
    """`fds` split into sockets and the process's own descriptors (`check`: EBADF for one not open)."""
    import os

    from .sockobj import _SOCKET_FDS

    local = [fd for fd in fds if fd not in _SOCKET_FDS]
    for fd in local if check else ():
        os.fstat(fd)
    return [fd for fd in fds if fd in _SOCKET_FDS], local


def _watched(objs, fds, reading):
    """The Pipe ends among `objs` (and, read, the process sentinels, whose numbers are pids):
    ({index in objs: whether it is ready now}, the Pipe ends)."""
    pipes = sys.modules.get("_spawnpoint.pipe_connection")  # none made before it is imported
    if pipes is None:
        return {}, []
    from _spawnpoint.connection import Sentinel, _exited

    out, conns = {}, []
    for i, (o, fd) in enumerate(zip(objs, fds)):
        if isinstance(o, Sentinel):
            out[i] = (lambda pid=int(o): _exited(pid, 0.0)) if reading else (lambda: False)
        elif fd in pipes.BY_FD:
            conn = pipes.BY_FD[fd]
            conns.append(conn)
            out[i] = (lambda c=conn: c._readable and not c.closed and c.poll(0)) if reading else (lambda c=conn: c._writable)
    return out, conns


def _watching(rest_now, watched, block, ms):
    """Pipe ends and sentinels (`watched()`: the ready ones) next to the rest (`rest_now()`: its
    ready ones, without waiting), until something is ready or `ms` (None: no limit) passed.
    Between looks, `block(seconds)` waits 1 ms, growing to 20 ms (as connection.wait does): on a
    Pipe end's ring when one is read, so its message wakes the wait at once."""
    import time

    deadline = None if ms is None else time.monotonic() + ms / 1000.0
    delay = 0.001
    while True:
        mine, got = watched(), rest_now()
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        if mine or got or left == 0.0:
            return mine, got
        block(delay if left is None else min(delay, left))
        delay = min(delay * 2, 0.02)


def _blocker(pipes, wait_rest):
    """How `_watching` waits: on the first Pipe end that reads, else on the rest (`wait_rest`)."""
    readers = [c for c in pipes if c._readable and not c.closed]
    if readers:
        return lambda seconds: readers[0].poll(seconds)
    return wait_rest


def select(rlist, wlist, xlist, timeout=None, /):
    rl, wl, xl = list(rlist), list(wlist), list(xlist)
    r0 = [_fileno(o) for o in rl]
    w0 = [_fileno(o) for o in wl]
    x0 = [_fileno(o) for o in xl]
    ms = _timeout_ms(timeout, 1000.0)
    (wr, readers), (ww, _) = _watched(rl, r0, True), _watched(wl, w0, False)
    if wr or ww:
        rest = [[i for i in range(len(rl)) if i not in wr], [i for i in range(len(wl)) if i not in ww], list(range(len(xl)))]

        def rest_select(seconds):
            if not any(rest):
                import time

                time.sleep(seconds)
                return None
            got = select([rl[i] for i in rest[0]], [wl[i] for i in rest[1]], xl, seconds)
            # By position: a sentinel's number (a pid) may equal a descriptor's.
            return [{i for i in idx if any(lst[i] is o for o in g)} for idx, lst, g in zip(rest, (rl, wl, xl), got)] if any(got) else None

        def ready_now():
            r, w = {i for i, ready in wr.items() if ready()}, {i for i, ready in ww.items() if ready()}
            return [r, w, set()] if r or w else None

        mine, got = _watching(lambda: rest_select(0.0), ready_now, _blocker(readers, rest_select), ms)
        ready = [a | b for a, b in zip(mine or [set(), set(), set()], got or [set(), set(), set()])]
        return tuple([o for i, o in enumerate(lst) if i in idx] for lst, idx in zip((rl, wl, xl), ready))
    stdin = 0 in r0 and _terminal_stdin()
    (r, lr), (w, lw), (x, lx) = _sockets([fd for fd in r0 if not (stdin and fd == 0)]), _sockets(w0), _sockets(x0)
    mine = _native.select(lr, lw, lx, 0) if lr or lw or lx else ([], [], [])
    mine[0].extend(fd for fd in lr if fd not in mine[0] and _hung_up(fd))
    if any(mine):
        ms = 0.0
    if stdin:
        ready = _waiting("sock_select", ms, lambda got: got["r"] or got["w"] or got["x"], r=r, w=w, x=x, stdin=True)
    elif not (r or w or x):
        if ms is None:
            if lr or lw or lx:
                raise ValueError("select() would wait forever: none of this process's own files and pipes is ready, "
                                 "no other process can change that, and there is no timeout")
            raise ValueError("select() with nothing to wait for and no timeout would wait forever")
        import time

        time.sleep(ms / 1000.0)
        ready = {"r": [], "w": [], "x": []}
    else:
        ready = _waiting("sock_select", ms, lambda got: got["r"] or got["w"] or got["x"], r=r, w=w, x=x)
    rs, ws, xs = set(ready["r"] + mine[0]), set(ready["w"] + mine[1]), set(ready["x"] + mine[2])
    return ([o for o, fd in zip(rl, r0) if fd in rs], [o for o, fd in zip(wl, w0) if fd in ws], [o for o, fd in zip(xl, x0) if fd in xs])


class poll:
    """select.poll() over sockets, files and pipes: register(), modify(), unregister(), poll(timeout_ms)."""

    def __init__(self):
        self._fds = {}

    def register(self, fd, eventmask=POLLIN | POLLPRI | POLLOUT):
        self._fds[_fileno(fd)] = eventmask

    def modify(self, fd, eventmask):
        fd = _fileno(fd)
        if fd not in self._fds:
            raise FileNotFoundError(_E["ENOENT"], "No such file or directory")
        self._fds[fd] = eventmask

    def unregister(self, fd):
        del self._fds[_fileno(fd)]

    def poll(self, timeout=None):
        ms = _timeout_ms(timeout, 1.0)
        module = sys.modules.get("_spawnpoint.pipe_connection")  # none made before it is imported
        BY_FD = module.BY_FD if module is not None else {}
        pipes = [(fd, BY_FD[fd]) for fd in self._fds if fd in BY_FD]
        if not pipes:
            return self._poll(list(self._fds), ms)
        rest = [fd for fd in self._fds if fd not in BY_FD]

        def ready_now():
            return [(fd, ev) for fd, conn in pipes if (ev := _pipe_events(conn, self._fds[fd]))]

        def wait_rest(seconds):
            if rest:
                return self._poll(rest, seconds * 1000.0)
            import time

            time.sleep(seconds)

        readers = [conn for fd, conn in pipes if self._fds[fd] & POLLIN]
        mine, got = _watching(lambda: wait_rest(0.0) if rest else None, ready_now, _blocker(readers, wait_rest), ms)
        return (got or []) + (mine or [])

    def _poll(self, fds, ms):
        stdin = self._fds[0] if 0 in fds and _terminal_stdin() else None
        if stdin is not None:
            fds = [fd for fd in fds if fd != 0]
        fds, local = _sockets(fds, check=False)
        mine = []
        if local:
            import os

            p = _native.poll()
            for fd in local:
                try:
                    os.fstat(fd)
                except OSError:
                    mine.append((fd, POLLNVAL))  # not open: Linux says so, Emscripten's poll does not
                else:
                    p.register(fd, self._fds[fd])
            mine += p.poll(0)
            hung = {fd for fd in local if _hung_up(fd)}
            mine = [(fd, ev | POLLHUP if fd in hung else ev) for fd, ev in mine]
            mine += [(fd, POLLHUP) for fd in hung - {fd for fd, _ in mine}]
            if mine:
                ms = 0.0
        if not fds and stdin is None:
            if ms is None:
                if local:
                    raise ValueError("poll() would wait forever: none of this process's own files and pipes is ready, "
                                     "no other process can change that, and there is no timeout")
                raise ValueError("poll() with nothing registered and no timeout would wait forever")
            import time

            time.sleep(ms / 1000.0)
            return mine
        extra = {} if stdin is None else {"stdin": stdin}
        ready = _waiting("sock_poll", ms, bool, fds=fds, events=[self._fds[f] for f in fds], **extra)
        return [(fd, _stdin_events(ev) if fd == 0 and stdin is not None else ev) for fd, ev in ready] + mine


def _pipe_events(conn, mask):
    """poll()'s events for a Pipe end: POLLIN when a message (or the end of the pipe) is there
    to read, POLLOUT for an end that writes; POLLNVAL once closed."""
    if conn.closed:
        return POLLNVAL
    ev = 0
    if mask & POLLIN and conn._readable and conn.poll(0):
        ev |= POLLIN
    if mask & POLLOUT and conn._writable:
        ev |= POLLOUT
    return ev


def _terminal_stdin():
    """Whether descriptor 0 is the terminal's input (the kernel's, which select and poll wait
    on there: readable once a line or the end of input is in), not a file of the process."""
    from _spawnpoint import process_os

    return process_os.TERMINAL_STDIN is not None


def _stdin_events(ev):
    """The terminal's poll events as Linux gives them: a pipe's (the CLI's stdin piped: POLLHUP
    at its end), or a tty's, whose end of input (Ctrl-D) is only POLLIN."""
    from _spawnpoint import process_os

    if 0 in process_os.PIPED or not ev & POLLHUP:
        return ev
    return POLLIN


def _hung_up(fd):
    """An os.pipe reading end whose writing ends are all closed: ready, at its end of file
    (Emscripten's select and poll do not say so)."""
    from _spawnpoint.process_os import _pipe_ends

    ends = _pipe_ends(fd)
    return ends is not None and not ends[0]


EPOLLIN = POLLIN
EPOLLPRI = POLLPRI
EPOLLOUT = POLLOUT
EPOLLERR = POLLERR
EPOLLHUP = POLLHUP
EPOLLRDNORM = POLLRDNORM
EPOLLRDBAND = POLLRDBAND
EPOLLWRNORM = POLLWRNORM
EPOLLWRBAND = POLLWRBAND
EPOLLMSG = POLLMSG
EPOLLRDHUP = POLLRDHUP
EPOLLEXCLUSIVE = 1 << 28
EPOLLONESHOT = 1 << 30
EPOLLET = 1 << 31
EPOLL_CLOEXEC = 0o2000000
_EPOLL_FLAGS = EPOLLEXCLUSIVE | EPOLLONESHOT | EPOLLET


class epoll:
    """select.epoll() (what selectors.DefaultSelector and asyncio use on Linux) over poll():
    level-triggered; EPOLLONESHOT disables a descriptor once reported, until modify();
    EPOLLET is taken as level-triggered, which wakes a reader that reads until EAGAIN (as an
    edge-triggered one must) no less often. It takes a descriptor number, as Linux's does."""

    def __init__(self, sizehint=-1, flags=0):
        import os

        if sizehint != -1 and sizehint <= 0:
            raise ValueError("negative sizehint")
        self._fds = {}
        self._epfd = os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC)

    @classmethod
    def fromfd(cls, fd, /):
        raise OSError(_E["EOPNOTSUPP"], "epoll.fromfd: an epoll descriptor cannot be shared here")

    def _check(self):
        if self._epfd < 0:
            raise ValueError("I/O operation on closed epoll object")

    @property
    def closed(self):
        return self._epfd < 0

    def close(self):
        import os

        if self._epfd >= 0:
            fd, self._epfd = self._epfd, -1
            self._fds.clear()
            os.close(fd)

    def fileno(self):
        self._check()
        return self._epfd

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, *args):
        self.close()

    def _open_fd(self, fd):
        """`fd`'s number; EBADF when it is not open (a socket, or one of the process's files)."""
        import os

        from .sockobj import _SOCKET_FDS

        fd = _fileno(fd)
        if fd not in _SOCKET_FDS and not _is_pipe_end(fd):
            try:
                os.fstat(fd)
            except OSError:
                raise OSError(_E["EBADF"], "Bad file descriptor") from None
        return fd

    def register(self, fd, eventmask=EPOLLIN | EPOLLPRI | EPOLLOUT):
        self._check()
        fd = self._open_fd(fd)
        if fd in self._fds:
            raise FileExistsError(_E["EEXIST"], "File exists")
        self._fds[fd] = int(eventmask) & 0xFFFFFFFF

    def modify(self, fd, eventmask):
        self._check()
        fd = self._open_fd(fd)
        if fd not in self._fds:
            raise FileNotFoundError(_E["ENOENT"], "No such file or directory")
        self._fds[fd] = int(eventmask) & 0xFFFFFFFF

    def unregister(self, fd):
        self._check()
        fd = self._open_fd(fd)
        if fd not in self._fds:
            raise FileNotFoundError(_E["ENOENT"], "No such file or directory")
        del self._fds[fd]

    def poll(self, timeout=None, maxevents=-1):
        import math

        self._check()
        if maxevents == -1:
            maxevents = max(len(self._fds), 1)
        elif maxevents <= 0:
            raise ValueError(f"maxevents must be greater than 0, got {maxevents}")
        if timeout is None:
            ms = None
        else:
            try:
                t = float(timeout)
            except (TypeError, ValueError):
                raise TypeError("timeout must be an integer or None") from None
            ms = None if t < 0 else math.ceil(t * 1000.0)
        p = poll()
        # Always reported (epoll_ctl(2)), and what a oneshot descriptor reported disables.
        active = {fd: (m & ~_EPOLL_FLAGS) | EPOLLERR | EPOLLHUP for fd, m in self._fds.items() if m & ~_EPOLL_FLAGS or not m & EPOLLONESHOT}
        for fd, m in active.items():
            p.register(fd, m)
        if not active:
            if ms is None:
                raise ValueError("epoll.poll() with nothing registered and no timeout would wait forever")
            p.poll(ms)
            return []
        out = []
        for fd, ev in p.poll(ms):
            if ev & POLLNVAL:
                self._fds.pop(fd, None)  # closed: Linux's epoll forgets a descriptor's last close
                continue
            ev &= active.get(fd, 0)
            if not ev:
                continue
            out.append((fd, ev))
            if self._fds.get(fd, 0) & EPOLLONESHOT:
                self._fds[fd] = EPOLLONESHOT
            if len(out) == maxevents:
                break
        return out


def _is_pipe_end(fd):
    pipes = sys.modules.get("_spawnpoint.pipe_connection")
    return pipes is not None and fd in pipes.BY_FD
