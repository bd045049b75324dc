"""socket, for Spawnpoint: the kernel's loopback network instead of the host's.

The page is one computer with one network interface, the loopback: 127.0.0.1, localhost,
0.0.0.0 and '' all name it. Everything else raises an error saying there is no outside
network. Errors are CPython's: OSError(errno, text) picks ConnectionRefusedError (111),
BrokenPipeError (32), ConnectionResetError (104)…; timeouts raise TimeoutError, which
`socket.timeout` is an alias of.
"""
import io as _io
import json as _json
from enum import IntEnum as _IntEnum
from enum import IntFlag as _IntFlag

import _spawnpoint as _sp
from _spawnpoint.linux_errno import LINUX as _E, error as _os_error
import _spawnpoint_js as _js
from _spawnpoint.signals import raise_pending

__all__ = [
    "socket", "SocketType", "create_connection", "create_server", "has_dualstack_ipv6",
    "getaddrinfo", "gethostname", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
    "getfqdn", "socketpair", "fromfd", "getdefaulttimeout", "setdefaulttimeout",
    "error", "timeout", "herror", "gaierror", "AddressFamily", "SocketKind",
]


class AddressFamily(_IntEnum):
    AF_UNSPEC = 0
    AF_UNIX = 1
    AF_INET = 2
    AF_INET6 = 10


class SocketKind(_IntEnum):
    SOCK_STREAM = 1
    SOCK_DGRAM = 2
    SOCK_RAW = 3


class MsgFlag(_IntFlag):
    MSG_OOB = 1
    MSG_PEEK = 2
    MSG_DONTWAIT = 64
    MSG_WAITALL = 256


class AddressInfo(_IntFlag):
    AI_PASSIVE = 1
    AI_CANONNAME = 2
    AI_NUMERICHOST = 4
    AI_ADDRCONFIG = 32
    AI_NUMERICSERV = 1024


AF_UNSPEC = AddressFamily.AF_UNSPEC
AF_UNIX = AddressFamily.AF_UNIX
AF_INET = AddressFamily.AF_INET
AF_INET6 = AddressFamily.AF_INET6
SOCK_STREAM = SocketKind.SOCK_STREAM
SOCK_DGRAM = SocketKind.SOCK_DGRAM
SOCK_RAW = SocketKind.SOCK_RAW
SOCK_NONBLOCK = 2048
SOCK_CLOEXEC = 524288
MSG_OOB = MsgFlag.MSG_OOB
MSG_PEEK = MsgFlag.MSG_PEEK
MSG_DONTWAIT = MsgFlag.MSG_DONTWAIT
MSG_WAITALL = MsgFlag.MSG_WAITALL
AI_PASSIVE = AddressInfo.AI_PASSIVE
AI_CANONNAME = AddressInfo.AI_CANONNAME
AI_NUMERICHOST = AddressInfo.AI_NUMERICHOST
AI_ADDRCONFIG = AddressInfo.AI_ADDRCONFIG
AI_NUMERICSERV = AddressInfo.AI_NUMERICSERV
NI_NUMERICHOST = 1
NI_NUMERICSERV = 2
NI_NAMEREQD = 8
SOL_SOCKET = 1
SO_REUSEADDR = 2
SO_TYPE = 3
SO_ERROR = 4
SO_BROADCAST = 6
SO_SNDBUF = 7
SO_RCVBUF = 8
SO_KEEPALIVE = 9
SO_LINGER = 13
SO_REUSEPORT = 15
SO_RCVTIMEO = 20
SO_SNDTIMEO = 21
IPPROTO_IP = 0
IPPROTO_TCP = 6
IPPROTO_UDP = 17
IPPROTO_IPV6 = 41
TCP_NODELAY = 1
TCP_KEEPIDLE = 4
TCP_KEEPINTVL = 5
TCP_KEEPCNT = 6
SHUT_RD = 0
SHUT_WR = 1
SHUT_RDWR = 2
SOMAXCONN = 4096
INADDR_ANY = 0
INADDR_LOOPBACK = 0x7F000001
INADDR_BROADCAST = 0xFFFFFFFF
EAI_NONAME = -2
EAI_AGAIN = -3
EAI_SERVICE = -8
has_ipv6 = False

error = OSError
timeout = TimeoutError


class herror(OSError):
    pass


class gaierror(OSError):
    pass


_GLOBAL_DEFAULT_TIMEOUT = object()
_default_timeout = None

_NO_OUTSIDE = "this page has no outside network: only 127.0.0.1 (localhost) works here"
_HOSTNAME = "spawnpoint"
_SERVICES = {"echo": 7, "daytime": 13, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "http": 80, "pop3": 110, "imap": 143, "https": 443}

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


_raise = _sp._raise


def _call(name, data=None, **args):
    started = _js.now()
    while True:
        ok = _sp._syscall(name, _json.dumps(args), _sp._js_bytes(data))
        value = _json.loads(_sp._reply_json())
        if ok:
            return value
        # EINTR: the signal's handler runs, then the call goes on (PEP 475).
        if not _sp._interrupted(value, args, started):
            _raise(value)


def _call_with_bytes(name, **args):
    """A syscall whose reply has a JSON value and raw bytes (recv, recvfrom)."""
    started = _js.now()
    while True:
        ok = _sp._syscall(name, _json.dumps(args), None)
        if ok:
            break
        value = _json.loads(_sp._reply_json())
        if not _sp._interrupted(value, args, started):
            _raise(value)
    b = _sp._reply_bytes()
    return _json.loads(_sp._reply_json()), (b"" if b is None else b.to_bytes())


# Socket rings (lib/kernel/net/sock-ring.ts): an established TCP connection's bytes go
# straight between workers through the shared heap; these return a byte count, or one of
# the negative codes below. SLOW means "ask the kernel" (EOF, reset, shutdown, errors).
_ring_send_text = _js.sock_send_text
_ring_send_buf = _js.sock_send_buf
_ring_sent = _js.sock_sent
_ring_recv = _js.sock_recv
_ring_recv_into = _js.sock_recv_into
_ring_send_at = _js.sock_send_at
_ring_recv_at = _js.sock_recv_at
_INTERRUPTED, _TIMEOUT, _AGAIN, _SLOW = _js.SOCK_INTERRUPTED, _js.SOCK_TIMEOUT, _js.SOCK_AGAIN, _js.SOCK_SLOW


_BY_ADDRESS = _sp.BYTES_BY_ADDRESS  # see _spawnpoint._bytes_by_address
_BIG = _js.SOCK_BIG  # recv: −(_BIG + n) means n bytes are ready, too many for a string
_TEXT_MAX = _js.SOCK_TEXT_MAX


def _ring_error(r):
    if r == _INTERRUPTED:
        raise_pending()
    if r == _TIMEOUT:
        raise TimeoutError("timed out")
    raise BlockingIOError(_E["EAGAIN"], "Resource temporarily unavailable")


def _ring_ms(timeout):
    return -1.0 if timeout is None else timeout * 1000.0


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


# ─── names and addresses ────────────────────────────────────────────────────


def _is_loopback_ip(host):
    parts = host.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts) and parts[0] == "127"


def _is_ipv4(host):
    parts = host.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts)


def _resolve(host):
    """Name resolution on a machine whose only interface is the loopback."""
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("idna")
    if host is None:
        return "127.0.0.1"
    if not isinstance(host, str):
        raise TypeError(f"str, bytes or bytearray expected, not {type(host).__name__}")
    h = host.lower()
    if h in ("", "0.0.0.0", "<any>"):
        return "0.0.0.0"
    if h in ("localhost", "localhost.localdomain", "ip6-localhost", _HOSTNAME, "<broadcast>") or h.endswith(".localhost"):
        return "127.0.0.1"
    if _is_ipv4(h):
        return h
    if ":" in h:
        raise gaierror(-9, f"Address family for hostname not supported (no IPv6 here; {_NO_OUTSIDE})")
    raise gaierror(EAI_NONAME, f"Name or service not known: {host!r} ({_NO_OUTSIDE})")


def _port(port, what):
    if isinstance(port, bool) or not hasattr(port, "__index__"):
        raise TypeError(f"'{type(port).__name__}' object cannot be interpreted as an integer")
    port = port.__index__()
    if not 0 <= port <= 65535:
        raise OverflowError(f"{what}(): port must be 0-65535.")
    return port


def _inet_address(address, what):
    if not isinstance(address, tuple):
        raise TypeError(f"AF_INET address must be tuple, not {type(address).__name__}")
    if len(address) != 2:
        raise TypeError(f"AF_INET address must be a pair (host, port)")
    host, port = address
    return _resolve(host), _port(port, what)


def gethostname():
    return _HOSTNAME


def getfqdn(name=""):
    name = name.strip()
    if not name or name in ("0.0.0.0", "::"):
        return _HOSTNAME
    return "localhost" if _resolve(name) == "127.0.0.1" else name


def gethostbyname(hostname):
    ip = _resolve(hostname)
    return "127.0.0.1" if ip == "0.0.0.0" and hostname != "0.0.0.0" else ip


def gethostbyname_ex(hostname):
    ip = gethostbyname(hostname)
    return (hostname if ip != "127.0.0.1" else "localhost", [], [ip])


def gethostbyaddr(ip_address):
    ip = _resolve(ip_address)
    if not _is_loopback_ip(ip):
        raise herror(1, f"Unknown host ({_NO_OUTSIDE})")
    return ("localhost", [], [ip])


def getservbyname(servicename, protocolname=None):
    try:
        return _SERVICES[servicename]
    except KeyError:
        raise OSError("service/proto not found") from None


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    if family not in (0, AF_INET):
        if family == AF_INET6:
            raise gaierror(-9, "Address family for hostname not supported (no IPv6 here)")
        raise gaierror(-6, "ai_family not supported")
    if port is None:
        p = 0
    elif isinstance(port, (str, bytes)):
        s = port.decode() if isinstance(port, bytes) else port
        if s.isdigit():
            p = int(s)
        elif s in _SERVICES:
            p = _SERVICES[s]
        else:
            raise gaierror(EAI_SERVICE, "Servname not supported for ai_socktype")
    elif isinstance(port, int):
        p = port
    else:
        raise OSError("Int or String expected")
    if host is None:
        ip = "0.0.0.0" if flags & AI_PASSIVE else "127.0.0.1"
    else:
        ip = _resolve(host)
        if ip == "0.0.0.0" and host != "0.0.0.0" and host != "":
            ip = "127.0.0.1"
    kinds = [(SOCK_STREAM, IPPROTO_TCP), (SOCK_DGRAM, IPPROTO_UDP), (SOCK_RAW, IPPROTO_IP)]
    out = []
    for kind, pr in kinds:
        if type and type != kind:
            continue
        if proto and proto != pr:
            continue
        out.append((AF_INET, kind, pr, "", (ip, p)))
    if not out:
        raise gaierror(-7, "ai_socktype not supported")
    return out


def getnameinfo(sockaddr, flags):
    host, port = sockaddr[0], sockaddr[1]
    ip = _resolve(host)
    name = ip if flags & NI_NUMERICHOST or not _is_loopback_ip(ip) else "localhost"
    return (name, str(port))


def inet_aton(ip_string):
    parts = ip_string.split(".")
    if not _is_ipv4(ip_string):
        raise OSError("illegal IP address string passed to inet_aton")
    return bytes(int(p) for p in parts)


def inet_ntoa(packed_ip):
    if len(packed_ip) != 4:
        raise OSError("packed IP wrong length for inet_ntoa")
    return ".".join(str(b) for b in packed_ip)


def inet_pton(address_family, ip_string):
    if address_family != AF_INET:
        raise _os_error(_E["EAFNOSUPPORT"], "Address family not supported by protocol")
    return inet_aton(ip_string)


def inet_ntop(address_family, packed_ip):
    if address_family != AF_INET:
        raise ValueError("unknown address family")
    return inet_ntoa(packed_ip)


def htons(x):
    return ((x & 0xFF) << 8) | ((x >> 8) & 0xFF)


ntohs = htons


def htonl(x):
    return int.from_bytes((x & 0xFFFFFFFF).to_bytes(4, "little"), "big")


ntohl = htonl


# ─── the socket object ──────────────────────────────────────────────────────


class socket:
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
            self._fd = _call("sock_socket", proto="tcp" if type == SOCK_STREAM else "udp")
        else:
            self._fd = int(fileno)
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
            try:
                _call("sock_close", fd=fd)
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
        return socket(self.family, self.type, self.proto, fileno=_call("sock_dup", fd=self._check()))

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

    def accept(self):
        r = _call("sock_accept", fd=self._check(), **self._wait())
        conn = socket(self.family, self.type, self.proto, fileno=r["fd"])
        if getdefaulttimeout() is None and self.gettimeout():
            conn.setblocking(True)
        return conn, self._addr(r)

    def _accept(self):
        r = _call("sock_accept", fd=self._check(), **self._wait())
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
            return 11
        except OSError as e:
            if isinstance(e, gaierror) or e.errno is None:
                raise
            return e.errno
        return 0

    def getsockname(self):
        a = _call("sock_getsockname", fd=self._check())
        if self.family == AF_UNIX and a["host"] == "0.0.0.0":
            return ""  # not bound yet
        return self._addr(a)

    def getpeername(self):
        a = _call("sock_getpeername", fd=self._check())
        return self._addr(a)

    # ── data ──
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
            if (level, optname) in self._opts:
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
    def makefile(self, mode="r", buffering=None, *, encoding=None, errors=None, newline=None):
        if not set(mode) <= {"r", "w", "b"}:
            raise ValueError("invalid mode %r (only r, w, b allowed)" % (mode,))
        writing = "w" in mode
        reading = "r" in mode or not writing
        assert reading or writing
        binary = "b" in mode
        rawmode = ""
        if reading:
            rawmode += "r"
        if writing:
            rawmode += "w"
        raw = SocketIO(self, rawmode)
        self._io_refs += 1
        if buffering is None:
            buffering = -1
        if buffering < 0:
            buffering = _io.DEFAULT_BUFFER_SIZE
        if buffering == 0:
            if not binary:
                raise ValueError("unbuffered streams must be binary")
            return raw
        if reading and writing:
            buffer = _io.BufferedRWPair(raw, raw, buffering)
        elif reading:
            buffer = _io.BufferedReader(raw, buffering)
        else:
            buffer = _io.BufferedWriter(raw, buffering)
        if binary:
            return buffer
        encoding = _io.text_encoding(encoding)
        text = _io.TextIOWrapper(buffer, encoding, errors, newline)
        text.mode = mode
        return text

    def __reduce_ex__(self, protocol):
        return _reduce_socket(self)


SocketType = socket


def _reduce_socket(s):
    """Pickling for another process: the kernel keeps the connection open for the receiver."""
    ticket = _call("sock_share", fd=s._check())
    return _rebuild_socket, (int(s.family), int(s.type), s.proto, ticket, s._timeout)


def _rebuild_socket(family, type, proto, ticket, timeout):
    s = socket(family, type, proto, fileno=_call("sock_claim", ticket=ticket))
    s._timeout = timeout
    return s


def _register_reducer():
    """multiprocessing pickles with ForkingPickler: make it use our reducer, not resource_sharer."""
    try:
        from multiprocessing.reduction import ForkingPickler
    except Exception:  # multiprocessing may be replaced or absent: __reduce_ex__ still works
        return
    ForkingPickler.register(socket, _reduce_socket)


class SocketIO(_io.RawIOBase):
    """Raw I/O on a socket, for makefile() (as in CPython's socket.py)."""

    def __init__(self, sock, mode):
        if mode not in ("r", "w", "rw", "rb", "wb", "rwb"):
            raise ValueError("invalid mode: %r" % mode)
        _io.RawIOBase.__init__(self)
        self._sock = sock
        if "b" not in mode:
            mode += "b"
        self._mode = mode
        self._reading = "r" in mode
        self._writing = "w" in mode
        self._timeout_occurred = False

    def readinto(self, b):
        self._checkClosed()
        self._checkReadable()
        if self._timeout_occurred:
            raise OSError("cannot read from timed out object")
        try:
            return self._sock.recv_into(b)
        except TimeoutError:
            self._timeout_occurred = True
            raise
        except BlockingIOError:
            return None

    def write(self, b):
        self._checkClosed()
        self._checkWritable()
        try:
            return self._sock.send(b)
        except BlockingIOError:
            return None

    def readable(self):
        if self.closed:
            raise ValueError("I/O operation on closed socket.")
        return self._reading

    def writable(self):
        if self.closed:
            raise ValueError("I/O operation on closed socket.")
        return self._writing

    def seekable(self):
        if self.closed:
            raise ValueError("I/O operation on closed socket.")
        return super().seekable()

    def fileno(self):
        self._checkClosed()
        return self._sock.fileno()

    @property
    def name(self):
        return self.fileno() if not self.closed else -1

    @property
    def mode(self):
        return self._mode

    def close(self):
        if self.closed:
            return
        _io.RawIOBase.close(self)
        self._sock._decref_socketios()
        self._sock = None


def fromfd(fd, family, type, proto=0):
    return socket(family, type, proto, fileno=_call("sock_dup", fd=fd))


def socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0):
    """A connected pair: AF_UNIX by default, as on Linux (through a listener in the abstract
    namespace, which has no file), or over the loopback with AF_INET."""
    if family not in (AF_UNIX, AF_INET):
        raise ValueError("Only AF_UNIX and AF_INET are supported here")
    lsock = socket(family, type, proto)
    try:
        if family == AF_UNIX:
            import secrets
            _call("sock_bind", fd=lsock._check(), host=_UNIX + "\0socketpair-" + secrets.token_hex(8), port=0)
        else:
            lsock.bind(("127.0.0.1", 0))
        lsock.listen()
        a = socket(family, type, proto)
        try:
            if family == AF_UNIX:
                _call("sock_connect", fd=a._check(), host=_call("sock_getsockname", fd=lsock._check())["host"], port=0, nonblock=False, timeoutMs=None)
            else:
                a.connect(lsock.getsockname())
            b, _ = lsock.accept()
        except BaseException:
            a.close()
            raise
    finally:
        lsock.close()
    return a, b


# ─── AF_UNIX ────────────────────────────────────────────────────────────────
# The kernel knows a path as the host `unix:<absolute path>` (lib/kernel/net/addr.ts); the
# socket file in the shared file system is made here, so ls, os.path.exists and os.unlink
# see it, and bind/connect give Linux's errors from it (EADDRINUSE, ENOENT, ECONNREFUSED).
_UNIX = "unix:"


def _unix_path(address):
    if isinstance(address, (bytes, bytearray)):
        address = bytes(address).decode("utf-8", "surrogateescape")
    if not isinstance(address, str):
        raise TypeError("a bytes-like object is required, not '%s'" % type(address).__name__)
    if len(address.encode("utf-8", "surrogateescape")) > 107:
        raise OSError("AF_UNIX path too long")
    if address.startswith("\0"):
        return address  # the abstract namespace: no file
    import os
    return os.path.abspath(address)


def _unix_name(host):
    return host[len(_UNIX):] if host.startswith(_UNIX) else ""


def _unix_bind(sock, address):
    import os
    path = _unix_path(address)
    if not path.startswith("\0"):
        parent = os.path.dirname(path)
        if not os.path.isdir(parent):
            raise FileNotFoundError(_E["ENOENT"], "No such file or directory")
        if os.path.lexists(path):
            raise _os_error(_E["EADDRINUSE"], "Address already in use")
    _call("sock_bind", fd=sock._check(), host=_UNIX + path, port=0)
    if not path.startswith("\0"):
        open(path, "wb").close()  # the socket file


def _unix_connect(sock, address):
    import os
    path = _unix_path(address)
    if not path.startswith("\0") and not os.path.lexists(path):
        raise FileNotFoundError(_E["ENOENT"], "No such file or directory")
    _call("sock_connect", fd=sock._check(), host=_UNIX + path, port=0, **sock._wait())


def has_dualstack_ipv6():
    return False


def create_connection(address, timeout=_GLOBAL_DEFAULT_TIMEOUT, source_address=None, *, all_errors=False):
    host, port = address
    exceptions = []
    for af, socktype, proto, _canon, sa in getaddrinfo(host, port, 0, SOCK_STREAM):
        sock = None
        try:
            sock = socket(af, socktype, proto)
            if timeout is not _GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sa)
            exceptions.clear()
            return sock
        except OSError as exc:
            if not all_errors:
                exceptions.clear()
            exceptions.append(exc)
            if sock is not None:
                sock.close()
    if len(exceptions):
        try:
            if not all_errors:
                raise exceptions[0]
            raise ExceptionGroup("create_connection failed", exceptions)
        finally:
            exceptions.clear()
    raise OSError("getaddrinfo returns an empty list")


def create_server(address, *, family=AF_INET, backlog=None, reuse_port=False, dualstack_ipv6=False):
    if dualstack_ipv6:
        raise ValueError("dualstack_ipv6 not supported on this platform")
    sock = socket(family, SOCK_STREAM)
    try:
        # As CPython does on POSIX: a restarted server can take its port back from TIME_WAIT.
        sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1)
        try:
            sock.bind(address)
        except OSError as err:
            msg = "%s (while attempting to bind on address %r)" % (err.strerror, address)
            raise OSError(err.errno, msg) from None
        if backlog is None:
            sock.listen()
        else:
            sock.listen(backlog)
        return sock
    except OSError:
        sock.close()
        raise
