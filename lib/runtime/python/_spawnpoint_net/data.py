"""The socket's data calls: an established TCP connection sends and receives through its
socket rings in the shared heap, straight to and from the peer's worker (lib/kernel/net/
sock-ring.ts); when a ring says the kernel must decide (EOF, reset, shutdown, an error) or
the socket has no rings (UDP, flags, not connected), the `sock_*` syscalls do it."""
from .calls import (
    _AGAIN, _BIG, _BY_ADDRESS, _SLOW, _TEXT_MAX, _call, _call_with_bytes, _ring_error, _ring_ms,
    _ring_recv, _ring_recv_at, _ring_recv_into, _ring_send_at, _ring_send_buf, _ring_send_text, _ring_sent,
)
from .constants import MSG_PEEK, MSG_WAITALL, SOCK_STREAM
from .names import _inet_address


class _SocketData:
    """send*/recv* of `socket` (socket.py), which owns `_fd`, `_rx`/`_tx`, `_timeout`, `_wait` and `_check`."""

    def _rings(self):
        """Learns the socket rings once the connection is established (None until then)."""
        r = _call("sock_rings", fd=self._check())
        if r is None:
            return None
        self._rx, self._tx = r["rx"], r["tx"]
        return self._tx

    def _ring_send(self, tx, data, all):
        """send/sendall through the ring: bytes sent, or None when the kernel must decide (data left: `_rest`)."""
        if type(data) is not bytes:
            data = memoryview(data).cast("B").tobytes()
        ms = _ring_ms(self._timeout)
        if len(data) <= _TEXT_MAX:
            r = _ring_send_text(tx, data.decode("latin-1"), ms, all, self._fd)
        elif _BY_ADDRESS:
            r = _ring_send_at(tx, id(data) + 16, len(data), ms, all, self._fd)
        else:
            r = _ring_send_buf(tx, data, ms, all, self._fd)
        if r >= 0:
            return r
        if r != _SLOW:
            _ring_error(r)
        self._rest = data[_ring_sent():]
        return None

    def send(self, data, flags=0):
        tx = self._tx
        if tx is None and self._fd >= 0:
            tx = self._rings()
        if tx and not flags:
            n = self._ring_send(tx, data, False)
            if n is not None:
                return n
            data = self._rest
        data = memoryview(data).cast("B").tobytes()
        return _call("sock_send", data, fd=self._check(), **self._wait(flags))

    def sendall(self, data, flags=0):
        tx = self._tx
        if tx is None and self._fd >= 0:
            tx = self._rings()
        if tx and not flags:
            if self._ring_send(tx, data, True) is not None:
                return None
            data = self._rest
        data = memoryview(data).cast("B").tobytes()
        _call("sock_sendall", data, fd=self._check(), **self._wait(flags))

    def sendto(self, data, flags_or_addr, addr=None):
        if addr is None:
            flags, address = 0, flags_or_addr
        else:
            flags, address = flags_or_addr, addr
        host, port = _inet_address(address, "sendto")
        data = memoryview(data).cast("B").tobytes()
        return _call("sock_send", data, fd=self._check(), host=host, port=port, **self._wait(flags))

    def recv(self, bufsize, flags=0):
        rx = self._rx
        if rx is None and self._fd >= 0:
            self._rings()
            rx = self._rx
        if rx and not flags and bufsize > 0:
            r = _ring_recv(rx, bufsize, _ring_ms(self._timeout), self._fd)
            if type(r) is str:
                return r.encode("latin-1")
            if r <= -_BIG:
                k = -r - _BIG
                if _BY_ADDRESS:
                    out = bytes(k)
                    n = _ring_recv_at(rx, id(out) + 16, k, 0.0, self._fd)
                    if n == k:
                        return out
                    if n >= 0:
                        return out[:n]
                    if n == _AGAIN:  # another process sharing the socket read them first
                        return self.recv(bufsize, flags)
                    if n != _SLOW:
                        _ring_error(n)
                    return self.recv(bufsize, flags)
                # Big reads: copied once, from the ring into a buffer Python owns.
                buf = bytearray(k)
                n = _ring_recv_into(rx, buf, len(buf), 0.0, self._fd)
                if n == len(buf):
                    return bytes(buf)
                if n >= 0:
                    return bytes(memoryview(buf)[:n])
                if n == _AGAIN:  # another process sharing the socket read them first
                    return self.recv(bufsize, flags)
                r = n
            if r != _SLOW:
                _ring_error(r)
        if bufsize < 0:
            raise ValueError("negative buffersize in recv")
        fd = self._check()
        if flags & MSG_WAITALL and self.type == SOCK_STREAM:
            chunks, got = [], 0
            while got < bufsize:
                part = _call_with_bytes("sock_recv", fd=fd, n=bufsize - got, peek=False, **self._wait(flags))[1]
                if not part:
                    break
                chunks.append(part)
                got += len(part)
            return b"".join(chunks)
        return _call_with_bytes("sock_recv", fd=fd, n=bufsize, peek=bool(flags & MSG_PEEK), **self._wait(flags))[1]

    def recvfrom(self, bufsize, flags=0):
        if bufsize < 0:
            raise ValueError("negative buffersize in recvfrom")
        a, data = _call_with_bytes("sock_recv", fd=self._check(), n=bufsize, peek=bool(flags & MSG_PEEK), **{"from": True}, **self._wait(flags))
        return data, (None if a is None else (a["host"], a["port"]))

    def recv_into(self, buffer, nbytes=0, flags=0):
        if nbytes < 0:
            raise ValueError("negative buffersize in recv_into")
        view = memoryview(buffer).cast("B")
        n = nbytes or len(view)
        if n > len(view):
            raise ValueError("buffer too small for requested bytes")
        rx = self._rx
        if rx is None and self._fd >= 0:
            self._rings()
            rx = self._rx
        if rx and not flags and n > 0 and not view.readonly:
            r = _ring_recv_into(rx, view, n, _ring_ms(self._timeout), self._fd)
            if r >= 0:
                return r
            if r != _SLOW:
                _ring_error(r)
        data = self.recv(n, flags)
        view[: len(data)] = data
        return len(data)

    def recvfrom_into(self, buffer, nbytes=0, flags=0):
        view = memoryview(buffer).cast("B")
        n = nbytes or len(view)
        data, addr = self.recvfrom(n, flags)
        view[: len(data)] = data
        return len(data), addr
