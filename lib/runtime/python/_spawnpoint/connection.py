"""multiprocessing.Pipe / Connection on kernel pipes (each end an inheritable handle)."""
import io

from multiprocessing import context
from multiprocessing.reduction import ForkingPickler

from . import call, call_bytes, post, timeout_ms


class Connection:
    def __init__(self, handle, readable=True, writable=True):
        if not readable and not writable:
            raise ValueError("at least one of `readable` and `writable` must be True")
        self._handle = handle
        self._readable = readable
        self._writable = writable

    def __del__(self):
        if getattr(self, "_handle", None) is not None:
            try:
                post("handle_close", handle=self._handle)
            except Exception:
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
        return self._handle

    def close(self):
        if self._handle is not None:
            post("handle_close", handle=self._handle)
            self._handle = None

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
        call("pipe_send", bytes(m[offset:offset + size]), handle=self._handle)

    def send(self, obj):
        self._check_closed()
        self._check_writable()
        call("pipe_send", bytes(ForkingPickler.dumps(obj)), handle=self._handle)

    def _recv(self):
        self._check_closed()
        self._check_readable()
        return call_bytes("pipe_recv", handle=self._handle)

    def recv_bytes(self, maxlength=None):
        if maxlength is not None and maxlength < 0:
            raise ValueError("negative maxlength")
        data = self._recv()
        if maxlength is not None and len(data) > maxlength:
            self.close()
            raise OSError("bad message length")
        return data

    def recv_bytes_into(self, buf, offset=0):
        data = self._recv()
        with memoryview(buf) as m:
            itemsize = m.itemsize
            bytesize = itemsize * len(m)
            if offset < 0:
                raise ValueError("negative offset")
            elif offset > bytesize:
                raise ValueError("offset too large")
            if bytesize - offset < len(data):
                from multiprocessing import BufferTooShort
                raise BufferTooShort(data)
            m.cast("B")[offset:offset + len(data)] = data
        return len(data) // itemsize

    def recv(self):
        return ForkingPickler.loads(self._recv())

    def poll(self, timeout=0.0):
        self._check_closed()
        self._check_readable()
        return call("pipe_poll", handle=self._handle, timeoutMs=timeout_ms(timeout))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self.close()

    def __reduce__(self):
        self._check_closed()
        popen = context.get_spawning_popen()
        if popen is not None:
            popen.duplicate_for_child(self._handle)
            return _rebuild, (self._handle, self._readable, self._writable, True)
        return _rebuild, (self._handle, self._readable, self._writable, False)


def _rebuild(handle, readable, writable, inherited):
    if not inherited:
        # Received over a queue or pipe: this process now holds the end too.
        call("handle_attach", handle=handle)
    return Connection(handle, readable, writable)


def Pipe(duplex=True):
    h1, h2 = call("pipe_create", duplex=bool(duplex))
    if duplex:
        return Connection(h1), Connection(h2)
    return Connection(h1, writable=False), Connection(h2, readable=False)
