"""The socket object of the kernel's loopback network (the `socket.socket` class): its
lifecycle, blocking mode, addresses and options; its data calls are data.py's."""
import os as _os

from _spawnpoint.linux_errno import LINUX as _E, error as _os_error
import _spawnpoint as _sp

from .calls import _call
from .constants import (
    AF_INET, AF_INET6, AF_UNIX, IPPROTO_IP, IPPROTO_TCP, MSG_DONTWAIT, SO_BROADCAST, SO_ERROR, SO_KEEPALIVE,
    SO_RCVBUF, SO_REUSEADDR, SO_REUSEPORT, SO_SNDBUF, SO_TYPE, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK,
    SOCK_STREAM, SOL_SOCKET, SOMAXCONN, TCP_NODELAY, AddressFamily, SocketKind, gaierror,
)
from .data import _SocketData
from .names import _inet_address
from .socketio import makefile as _makefile
from .unix import _unix_bind, _unix_connect, _unix_name

_default_timeout = None

# Read-only SOL_SOCKET options that follow from the socket itself, as Linux answers them:
# SO_ACCEPTCONN (listening), SO_DOMAIN, SO_PROTOCOL (TCP 6, UDP 17, AF_UNIX 0).
_DERIVED_OPTS = {
    30: lambda s: 1 if getattr(s, "_listening", False) else 0,
    39: lambda s: int(s.family),
    38: lambda s: 0 if s.family == AF_UNIX else (IPPROTO_TCP if s.type == SOCK_STREAM else 17),
}

# Kernel option names (lib/kernel/net): (level, optname) → name.
_KERNEL_OPTS = {
    (SOL_SOCKET, SO_REUSEADDR): "SO_REUSEADDR",
    (SOL_SOCKET, SO_REUSEPORT): "SO_REUSEPORT",
    (SOL_SOCKET, SO_KEEPALIVE): "SO_KEEPALIVE",
    (SOL_SOCKET, SO_BROADCAST): "SO_BROADCAST",
    (SOL_SOCKET, SO_RCVBUF): "SO_RCVBUF",
    (SOL_SOCKET, SO_SNDBUF): "SO_SNDBUF",
    (SOL_SOCKET, SO_ERROR): "SO_ERROR",
    (SOL_SOCKET, SO_TYPE): "SO_TYPE",
    (IPPROTO_TCP, TCP_NODELAY): "TCP_NODELAY",
}


# This process's descriptor numbers that are sockets (the others are its own files and pipes).
_SOCKET_FDS = set()


def _new_fd(name, **args):
    """A kernel call that makes a descriptor (socket, accept, dup, claim), given the lowest
    number free in this process's own table of files: Linux has one table for files, pipes
    and sockets, so a socket made after open() gets the next number, never the file's. An
    open /dev/null holds the number here until the socket closes. The call's value."""
    at = _os.open("/dev/null", _os.O_RDWR)
    try:
        value = _call(name, at=at, **args)
    except BaseException:
        _os.close(at)
        raise
    _SOCKET_FDS.add(at)
    return value


def getdefaulttimeout():
    return _default_timeout


def setdefaulttimeout(timeout):
    global _default_timeout
    _default_timeout = _check_timeout(timeout)


def _check_timeout(value):
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError("Timeout value must be int, float or None") from None
    if value != value or value < 0.0:
        raise ValueError("Timeout value out of range")
    return value


class socket(_SocketData):
    """A socket of the kernel's loopback network (AF_INET: SOCK_STREAM = TCP, SOCK_DGRAM = UDP)."""

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if family == -1:
            family = AF_INET
        if type == -1:
            type = SOCK_STREAM
        if proto == -1:
            proto = 0
        if family not in (AF_INET, AF_UNIX):
            if family == AF_INET6:
                raise _os_error(_E["EAFNOSUPPORT"], "Address family not supported by protocol (no IPv6 here: use AF_INET and 127.0.0.1)")
            raise _os_error(_E["EAFNOSUPPORT"], "Address family not supported by protocol")
        nonblock = bool(type & SOCK_NONBLOCK)
        type &= ~(SOCK_NONBLOCK | SOCK_CLOEXEC)
        if type not in (SOCK_STREAM, SOCK_DGRAM):
            raise _os_error(_E["ESOCKTNOSUPPORT"], "Socket type not supported")
        if family == AF_UNIX and type != SOCK_STREAM:
            raise _os_error(_E["ESOCKTNOSUPPORT"], "Socket type not supported (only SOCK_STREAM AF_UNIX sockets here)")
        self._closed = False
        self._io_refs = 0
        # Socket ring indices: None = not known yet (asked once connected), 0 = none.
        self._rx = self._tx = None if type == SOCK_STREAM else 0
        self._opts = {}
        self.family = AddressFamily(family)
        self.type = SocketKind(type)
        self.proto = proto
        if fileno is None:
            self._fd = _new_fd("sock_socket", proto="tcp" if type == SOCK_STREAM else "udp")
        else:
            self._fd = int(fileno)
        _SOCKET_FDS.add(self._fd)
        self._timeout = 0.0 if nonblock else _default_timeout

    # ── lifecycle ──
    def fileno(self):
        return self._fd

    def _check(self):
        # Like CPython, a socket closed while makefile() objects still use it keeps its
        # descriptor until the last of them is closed (`_io_refs`).
        if self._fd < 0:
            raise _os_error(_E["EBADF"], "Bad file descriptor")
        return self._fd

    def close(self):
        if self._closed:
            return
        self._closed = True
        if self._io_refs <= 0:
            self._real_close()

    def _real_close(self):
        self._rx = self._tx = 0
        fd, self._fd = self._fd, -1
        if fd >= 0:
            _SOCKET_FDS.discard(fd)
            try:
                _call("sock_close", fd=fd)
            except OSError:
                pass
            try:
                _os.close(fd)  # the number's hold in this process's table (see _new_fd)
            except OSError:
                pass

    def _decref_socketios(self):
        if self._io_refs > 0:
            self._io_refs -= 1
        if self._closed and self._io_refs <= 0:
            self._real_close()

    def detach(self):
        self._rx = self._tx = 0
        fd = self._fd
        self._closed = True
        self._fd = -1
        return fd

    def __del__(self):
        try:
            if not self._closed:
                self._closed = True
                self._real_close()
        except BaseException:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()

    def __repr__(self):
        closed = getattr(self, "_closed", False)
        s = "<%s.%s%s fd=%i, family=%s, type=%s, proto=%i" % (
            "socket", "socket", " [closed]" if closed else "", self.fileno(), int(self.family), int(self.type), self.proto)
        if not closed:
            try:
                laddr = self.getsockname()
                if laddr:
                    s += ", laddr=%s" % str(laddr)
            except OSError:
                pass
            try:
                raddr = self.getpeername()
                if raddr:
                    s += ", raddr=%s" % str(raddr)
            except OSError:
                pass
        return s + ">"

    def dup(self):
        s = socket(self.family, self.type, self.proto, fileno=_new_fd("sock_dup", fd=self._check()))
        s._unnamed = self._unnamed
        return s

    # ── blocking mode ──
    def _wait(self, flags=0):
        """Syscall args for the current timeout: non-blocking, a timeout, or wait forever."""
        if self._timeout == 0.0 or flags & MSG_DONTWAIT:
            return {"nonblock": True, "timeoutMs": None}
        return {"nonblock": False, "timeoutMs": _sp.timeout_ms(self._timeout)}

    def settimeout(self, value):
        self._timeout = _check_timeout(value)

    def gettimeout(self):
        return self._timeout

    @property
    def timeout(self):
        return self._timeout

    def setblocking(self, flag):
        self._timeout = None if flag else 0.0

    def getblocking(self):
        return self._timeout != 0.0

    # ── addresses ──
    def bind(self, address):
        if self.family == AF_UNIX:
            return _unix_bind(self, address)
        host, port = _inet_address(address, "bind")
        _call("sock_bind", fd=self._check(), host=host, port=port)

    def listen(self, backlog=None):
        if backlog is None:
            backlog = min(SOMAXCONN, 128)
        _call("sock_listen", fd=self._check(), backlog=int(backlog))
        self._listening = True

    def accept(self):
        fd, addr = self._accept()
        conn = socket(self.family, self.type, self.proto, fileno=fd)
        if getdefaulttimeout() is None and self.gettimeout():
            conn.setblocking(True)
        return conn, addr

    def _accept(self):
        r = _new_fd("sock_accept", fd=self._check(), **self._wait())
        return r["fd"], self._addr(r)

    def _addr(self, a):
        """A kernel address as Python shows it: (host, port), or an AF_UNIX path ('' unnamed)."""
        if self.family == AF_UNIX:
            return _unix_name(a["host"])
        return (a["host"], a["port"])

    def connect(self, address):
        if self.family == AF_UNIX:
            return _unix_connect(self, address)
        host, port = _inet_address(address, "connect")
        _call("sock_connect", fd=self._check(), host=host, port=port, **self._wait())

    def connect_ex(self, address):
        try:
            self.connect(address)
        except TimeoutError:
            return _E["EAGAIN"]  # as CPython's connect_ex reports a timeout
        except OSError as e:
            if isinstance(e, gaierror) or e.errno is None:
                raise
            return e.errno
        return 0

    # A socketpair() end: connected through a listener of its own, unnamed on Linux.
    _unnamed = False

    def getsockname(self):
        a = _call("sock_getsockname", fd=self._check())
        if self.family == AF_UNIX and (a["host"] == "0.0.0.0" or self._unnamed):
            return ""  # not bound yet, or a socketpair() end
        return self._addr(a)

    def getpeername(self):
        a = _call("sock_getpeername", fd=self._check())
        return "" if self.family == AF_UNIX and self._unnamed else self._addr(a)

    def shutdown(self, how):
        _call("sock_shutdown", fd=self._check(), how=int(how))

    # ── options ──
    def setsockopt(self, level, optname, value, optlen=None):
        fd = self._check()
        name = _KERNEL_OPTS.get((level, optname))
        if name is None:
            # Options this network has no use for (SO_LINGER, TCP_KEEPIDLE…) are kept, like a
            # kernel that accepts and ignores them.
            self._opts[(level, optname)] = value
            return
        if isinstance(value, (bytes, bytearray)):
            value = int.from_bytes(value[:4].ljust(4, b"\0"), "little")
        if value is None:
            raise TypeError("setsockopt() value must be an int or a bytes-like object")
        _call("sock_setsockopt", fd=fd, opt=name, value=int(value))

    def getsockopt(self, level, optname, buflen=None):
        fd = self._check()
        name = _KERNEL_OPTS.get((level, optname))
        if name is None:
            if level == SOL_SOCKET and optname in _DERIVED_OPTS:
                v = _DERIVED_OPTS[optname](self)
            elif (level, optname) in self._opts:
                v = self._opts[(level, optname)]
            elif level in (SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP):
                v = 0
            else:
                raise _os_error(_E["ENOPROTOOPT"], "Protocol not available")
        else:
            v = _call("sock_getsockopt", fd=fd, opt=name)
        if buflen is None:
            return v if isinstance(v, int) else int.from_bytes(bytes(v)[:4].ljust(4, b"\0"), "little")
        b = v if isinstance(v, (bytes, bytearray)) else int(v).to_bytes(4, "little", signed=True)
        return bytes(b)[:buflen]

    # ── files ──
    def sendfile(self, file, offset=0, count=None):
        """sendfile(file[, offset[, count]]) -> sent: a binary file's bytes from `offset` until
        EOF (or `count` of them) by send(), as CPython's socket.py does where os.sendfile
        cannot be used; the file's position ends after what was sent."""
        return self._sendfile_use_send(file, offset, count)

    def _check_sendfile_params(self, file, offset, count):
        if "b" not in getattr(file, "mode", "b"):
            raise ValueError("file should be opened in binary mode")
        if not self.type & SOCK_STREAM:
            raise ValueError("only SOCK_STREAM type sockets are supported")
        if count is not None:
            if not isinstance(count, int):
                raise TypeError("count must be a positive integer (got {!r})".format(count))
            if count <= 0:
                raise ValueError("count must be a positive integer (got {!r})".format(count))

    def _sendfile_use_send(self, file, offset=0, count=None):
        self._check_sendfile_params(file, offset, count)
        if self.gettimeout() == 0:
            raise ValueError("non-blocking sockets are not supported")
        if offset:
            file.seek(offset)
        blocksize = min(count, 8192) if count else 8192
        total_sent = 0
        try:
            while True:
                if count:
                    blocksize = min(count - total_sent, blocksize)
                    if blocksize <= 0:
                        break
                data = memoryview(file.read(blocksize))
                if not data:
                    break
                while True:
                    try:
                        sent = self.send(data)
                    except BlockingIOError:
                        continue
                    total_sent += sent
                    if sent < len(data):
                        data = data[sent:]
                    else:
                        break
            return total_sent
        finally:
            if total_sent > 0 and hasattr(file, "seek"):
                file.seek(offset + total_sent)

    def makefile(self, mode="r", buffering=None, *, encoding=None, errors=None, newline=None):
        return _makefile(self, mode, buffering, encoding=encoding, errors=errors, newline=newline)

    def __reduce_ex__(self, protocol):
        return _reduce_socket(self)


def _reduce_socket(s):
    """Pickling for another process: the kernel keeps the connection open for the receiver."""
    ticket = _call("sock_share", fd=s._check())
    return _rebuild_socket, (int(s.family), int(s.type), s.proto, ticket, s._timeout, s._unnamed)


def _rebuild_socket(family, type, proto, ticket, timeout, unnamed=False):
    s = socket(family, type, proto, fileno=_new_fd("sock_claim", ticket=ticket))
    s._timeout = timeout
    s._unnamed = unnamed
    return s
