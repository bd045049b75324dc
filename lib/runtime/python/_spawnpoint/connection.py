"""multiprocessing.connection: CPython's own module, with our Pipe, sockets and wait().

CPython's `multiprocessing/connection.py` runs unchanged (Listener, Client, the authkey
challenge with its HMAC digests, address families, `arbitrary_address`…) on top of our
`socket` (lib/kernel/net). What needs the OS is replaced here:

- `Connection` (what Listener.accept and Client return) reads and writes a socket of the
  kernel's network instead of calling os.read / os.write on a file descriptor;
- `Pipe()` gives `PipeConnection`s on queue rings in the shared heap (pipe_connection.py);
- `wait()` accepts pipe ends, socket connections, sockets and process sentinels.
"""
import importlib
import io
import sys
import time

from multiprocessing.reduction import ForkingPickler

from . import call, timeout_ms

# CPython's module, imported over our socket (the bootstrap installs the network first).
sys.modules.pop("multiprocessing.connection", None)
_cp = importlib.import_module("multiprocessing.connection")


class Connection(_cp.Connection):
    """A connection over a socket of the kernel's network (CPython's framing: 4-byte length + bytes)."""

    _sock = None

    def _socket(self):
        s = self._sock
        if s is None:
            import socket
            s = self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, fileno=self._handle)
        return s

    def _close(self):
        s = self._socket()
        self._sock = None
        s.close()

    def _send(self, buf):
        self._socket().sendall(buf)

    def _recv(self, size):
        buf = io.BytesIO()
        s = self._socket()
        remaining = size
        while remaining > 0:
            chunk = s.recv(min(_cp.BUFSIZE, remaining))
            if not chunk:
                if remaining == size:
                    raise EOFError
                raise OSError("got end of file during message")
            buf.write(chunk)
            remaining -= len(chunk)
        return buf

    def _poll(self, timeout):
        return bool(wait([self], timeout))


def _reduce_socket_connection(conn):
    """A socket connection sent to another process: the kernel holds it open until claimed."""
    from _spawnpoint_net.calls import _call
    ticket = _call("sock_share", fd=conn.fileno())
    return _rebuild_socket_connection, (ticket, conn.readable, conn.writable)


def _rebuild_socket_connection(ticket, readable, writable):
    from _spawnpoint_net.sockobj import _new_fd
    return Connection(_new_fd("sock_claim", ticket=ticket), readable, writable)


ForkingPickler.register(Connection, _reduce_socket_connection)


class Sentinel(int):
    """A process's sentinel: its pid, marked so that wait() tells it from a socket's descriptor."""

    __slots__ = ()


def _ready_now(pipes, socks, pids):
    """Indices (into the caller's lists) of what is ready without waiting."""
    ready = set()
    for i, conn in pipes:
        if conn.poll(0):
            ready.add(i)
    for i, pid in pids:
        if _exited(pid, 0.0):
            ready.add(i)
    if socks:
        ready.update(_select([fd for _, fd in socks], socks, 0.0))
    return ready


def _exited(pid, timeout):
    """Whether child `pid` has ended, without reaping it (a reaped one counts, like the
    closed pipe CPython's sentinel is)."""
    try:
        return call("waitpid", pid=int(pid), nohang=timeout == 0.0, nowait=True, timeoutMs=timeout_ms(timeout)) is not None
    except ChildProcessError:
        return True


def _select(fds, socks, timeout):
    from _spawnpoint_net.select import select
    r = set(select(fds, [], [], timeout)[0])
    return {i for i, fd in socks if fd in r}


def wait(object_list, timeout=None):
    """Wait till an object in object_list is ready/readable (CPython's contract).

    One kind of object waits where it lives: pipe ends on their ring, sentinels in the
    kernel's waitpid, sockets in the kernel's select. A mix is checked in slices (1 → 20 ms),
    a slice spent parked on the sockets when there are any, so a socket wakes it at once.
    """
    objects = list(object_list)
    pipes, socks, pids = [], [], []
    for i, o in enumerate(objects):
        if isinstance(o, PipeConnection):
            pipes.append((i, o))
        elif isinstance(o, Sentinel):
            pids.append((i, o))
        else:
            fd = o if isinstance(o, int) else o.fileno()
            socks.append((i, fd))
    deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)

    def left():
        return None if deadline is None else max(0.0, deadline - time.monotonic())

    if len(objects) == 1 and pipes:
        return objects if pipes[0][1].poll(timeout) else []
    if len(objects) == 1 and pids:
        return objects if _exited(pids[0][1], timeout) else []
    if not pipes and not pids and socks:
        return [objects[i] for i in sorted(_select([fd for _, fd in socks], socks, timeout))]
    delay = 0.001
    while True:
        ready = _ready_now(pipes, socks, pids)
        remaining = left()
        if ready or remaining == 0.0:
            return [objects[i] for i in sorted(ready)]
        nap = delay if remaining is None else min(delay, remaining)
        if socks:
            ready = _select([fd for _, fd in socks], socks, nap)
            if ready:
                return [objects[i] for i in sorted(ready)]
        else:
            time.sleep(nap)
        delay = min(delay * 2, 0.02)


# Pipe ends subclass Connection above (isinstance checks in CPython's code hold for them too).
from .pipe_connection import Pipe, PipeConnection  # noqa: E402


def _install():
    """Our pieces into CPython's module, which is what `multiprocessing.connection` is."""
    _cp.Connection = Connection
    _cp.PipeConnection = PipeConnection
    _cp.Pipe = Pipe
    _cp.wait = wait
    # reduction imported the socket module before ours was installed; descriptors cannot
    # travel over AF_UNIX here (no SCM_RIGHTS), so say so as a platform without it does.
    import multiprocessing.reduction as reduction
    reduction.socket = sys.modules["socket"]
    reduction.HAVE_SEND_HANDLE = False
    import multiprocessing
    multiprocessing.connection = _cp
    sys.modules["multiprocessing.connection"] = _cp


_install()
