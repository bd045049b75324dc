"""select, for Spawnpoint: select() and poll() over the kernel's sockets.

Only sockets can be watched (the kernel's network knows nothing about files or the
terminal); waiting is done in the kernel, so Ctrl-C interrupts it like any other wait.
"""
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


def select(rlist, wlist, xlist, timeout=None, /):
    rl, wl, xl = list(rlist), list(wlist), list(xlist)
    r = [_fileno(o) for o in rl]
    w = [_fileno(o) for o in wl]
    x = [_fileno(o) for o in xl]
    ms = _timeout_ms(timeout, 1000.0)
    if not (r or w or x):
        if ms is None:
            raise ValueError("select() with nothing to wait for and no timeout would wait forever")
        import time

        time.sleep(ms / 1000.0)
        return [], [], []
    ready = _waiting("sock_select", ms, lambda got: got["r"] or got["w"] or got["x"], r=r, w=w, x=x)
    rs, ws, xs = set(ready["r"]), set(ready["w"]), set(ready["x"])
    return ([o for o, fd in zip(rl, r) if fd in rs], [o for o, fd in zip(wl, w) if fd in ws], [o for o, fd in zip(xl, x) if fd in xs])


class poll:
    """select.poll() over sockets: register(), modify(), unregister(), poll(timeout_ms)."""

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
        fds = list(self._fds)
        if not fds:
            if ms is None:
                raise ValueError("poll() with nothing registered and no timeout would wait forever")
            import time

            time.sleep(ms / 1000.0)
            return []
        ready = _waiting("sock_poll", ms, bool, fds=fds, events=[self._fds[f] for f in fds])
        return [(fd, ev) for fd, ev in ready]
