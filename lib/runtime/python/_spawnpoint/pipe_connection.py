"""multiprocessing.Pipe: two `PipeConnection`s whose directions are queue rings in the shared
heap (lib/kernel/pipes.ts). send and recv copy pickled bytes straight between workers, and
send waits while the 64 KiB "pipe" is full, like CPython's. The kernel keeps the ends'
handles and marks the ring when the last holder of an end lets go: recv then raises
EOFError once the ring is empty, send BrokenPipeError. A channel without a ring (the shared
heap was full) goes through the kernel's pipe_send / pipe_recv instead.
"""
import os
import weakref

import _spawnpoint_js as _js

from multiprocessing import context
from multiprocessing.reduction import ForkingPickler
from pyodide.ffi import to_js as _to_js

from . import BYTES_BY_ADDRESS, call, call_bytes, post, timeout_ms
from . import linux_errno as _linux_errno
from .connection import Connection
from .queues import _TEXT_MAX, _dumps, _taken
from .shutdown import uses_util
from .signals import raise_pending

# The ring calls' results (lib/runtime/worker/ring.ts), from the FFI table.
_OK, _TOO_BIG, _EOF, _NO_READER = _js.RING_OK, _js.RING_TOO_BIG, _js.RING_EOF, _js.RING_NO_READER
_INTERRUPTED = _js.RING_INTERRUPTED
_EPIPE = _linux_errno.LINUX["EPIPE"]

_send_text = _js.pipe_send_text
_send = _js.pipe_send
_send_at = _js.pipe_send_at
_recv_text = _js.pipe_recv_text
_poll = _js.pipe_poll


# This process's Pipe ends by their descriptor numbers (select and poll look them up here).
BY_FD = weakref.WeakValueDictionary()


class PipeConnection(Connection):
    def __init__(self, handle, readable=True, writable=True, rx=0, tx=0):
        if not readable and not writable:
            raise ValueError("at least one of `readable` and `writable` must be True")
        # The kernel names the end by its handle; the program sees a descriptor number from the
        # process's own table (held by an open /dev/null), as a socketpair's or os.pipe's on Linux.
        self._fd = os.open("/dev/null", os.O_RDWR)
        BY_FD[self._fd] = self
        self._handle = handle
        self._readable = readable
        self._writable = writable
        self._rx = rx  # ring this end reads from (0: through the kernel)
        self._tx = tx  # ring this end writes to
        self._label = "pipe#%d" % handle

    def __del__(self):
        if getattr(self, "_handle", None) is not None:
            try:
                post("handle_close", handle=self._handle)
            except Exception:
                pass
            self._close_fd()

    def _close_fd(self):
        fd, self._fd = getattr(self, "_fd", -1), -1
        if fd >= 0:
            if BY_FD.get(fd) is self:
                del BY_FD[fd]
            try:
                os.close(fd)
            except OSError:
                pass

    def _check_closed(self):
        if self._handle is None:
            raise OSError("handle is closed")

    def _check_readable(self):
        if not self._readable:
            raise OSError("connection is write-only")

    def _check_writable(self):
        if not self._writable:
            raise OSError("connection is read-only")

    @property
    def closed(self):
        return self._handle is None

    @property
    def readable(self):
        return self._readable

    @property
    def writable(self):
        return self._writable

    def fileno(self):
        self._check_closed()
        return self._fd

    def close(self):
        if self._handle is not None:
            # A call, not a post: the ring must be marked before this process's next step
            # (a send on the other end right after close must see EPIPE, as in CPython).
            call("handle_close", handle=self._handle)
            self._handle = None
            self._close_fd()

    def send_bytes(self, buf, offset=0, size=None):
        self._check_closed()
        self._check_writable()
        m = memoryview(buf)
        if m.itemsize > 1:
            m = m.cast("B")
        n = m.nbytes
        if offset < 0:
            raise ValueError("offset is negative")
        if n < offset:
            raise ValueError("buffer length < offset")
        if size is None:
            size = n - offset
        elif size < 0:
            raise ValueError("size is negative")
        elif offset + size > n:
            raise ValueError("buffer length < offset + size")
        self._send_bytes(bytes(m[offset:offset + size]))

    def send(self, obj):
        self._check_closed()
        self._check_writable()
        self._send_bytes(_dumps(obj))

    def _send_bytes(self, data):
        tx = self._tx
        if not tx:
            call("pipe_send", data, handle=self._handle)
            return
        if len(data) <= _TEXT_MAX:
            r = _send_text(tx, data.decode("latin-1"), self._label)
        elif BYTES_BY_ADDRESS:
            r = _send_at(tx, id(data) + 16, len(data), self._label)
        else:
            r = _send(tx, _to_js(data), 0, 0, self._label)
        if r == _TOO_BIG:  # the bytes travel as a kernel blob
            r = _send(tx, None, call("blob_put", data), len(data), self._label)
        if r == _OK:
            return
        if r == _NO_READER:
            raise _linux_errno.error(_EPIPE, "Broken pipe")
        raise_pending()

    def _recv(self):
        self._check_closed()
        self._check_readable()
        rx = self._rx
        if not rx:
            return call_bytes("pipe_recv", handle=self._handle)
        r = _recv_text(rx, self._label)
        data = _taken(r)
        if data is not None:
            return data
        if r == _EOF:
            raise EOFError
        raise_pending()

    def recv_bytes(self, maxlength=None):
        self._check_closed()
        self._check_readable()
        if maxlength is not None and maxlength < 0:
            raise ValueError("negative maxlength")
        data = self._recv()
        if maxlength is not None and len(data) > maxlength:
            # As CPython's _bad_message_length: a duplex end can still send.
            if self._writable:
                self._readable = False
            else:
                self.close()
            raise OSError("bad message length")
        return data

    def recv_bytes_into(self, buf, offset=0):
        self._check_closed()
        self._check_readable()
        with memoryview(buf) as m:
            itemsize = m.itemsize
            bytesize = itemsize * len(m)
            if offset < 0:
                raise ValueError("negative offset")
            elif offset > bytesize:
                raise ValueError("offset too large")
            data = self._recv()
            if bytesize - offset < len(data):
                from multiprocessing import BufferTooShort
                raise BufferTooShort(data)
            m.cast("B")[offset:offset + len(data)] = data
        return len(data)  # bytes, as CPython returns (not items)

    def recv(self):
        return ForkingPickler.loads(self._recv())

    def poll(self, timeout=0.0):
        self._check_closed()
        self._check_readable()
        if not self._rx:
            return call("pipe_poll", handle=self._handle, timeoutMs=timeout_ms(timeout))
        ms = timeout_ms(timeout)
        r = _poll(self._rx, -1 if ms is None else ms, self._label)
        if r == _INTERRUPTED:
            raise_pending()
        return r == _OK

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self.close()

    def __reduce__(self):
        self._check_closed()
        popen = context.get_spawning_popen()
        if popen is not None:
            popen.duplicate_for_child(self._handle)
            return _rebuild, (self._handle, self._readable, self._writable, True, self._rx, self._tx)
        return _rebuild, (self._handle, self._readable, self._writable, False, self._rx, self._tx)

    def _poll(self, timeout):
        return self.poll(timeout)


def _rebuild(handle, readable, writable, inherited, rx=0, tx=0):
    if not inherited and not call("handle_attach", handle=handle):
        # Received over a queue or pipe after every holder closed it: its rings may be gone,
        # so this end talks to the kernel, which answers like a closed descriptor.
        rx = tx = 0
    return PipeConnection(handle, readable, writable, rx, tx)


# A Pipe's ends are multiprocessing.connection.Connection objects on Linux, as their type and
# repr say (PipeConnection is the Windows class's name).
PipeConnection.__name__ = PipeConnection.__qualname__ = "Connection"
PipeConnection.__module__ = "multiprocessing.connection"


def Pipe(duplex=True):
    uses_util()
    h1, h2, r1, r2 = call("pipe_create", duplex=bool(duplex), rings=True)
    if duplex:
        return PipeConnection(h1, rx=r1, tx=r2), PipeConnection(h2, rx=r2, tx=r1)
    return PipeConnection(h1, writable=False, rx=r1), PipeConnection(h2, readable=False, tx=r1)
