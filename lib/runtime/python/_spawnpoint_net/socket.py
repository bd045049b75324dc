"""socket, for Spawnpoint: the kernel's loopback network instead of the host's.

The page is one computer with one network interface, the loopback: 127.0.0.1, localhost,
0.0.0.0 and '' all name it. Everything else raises an error saying there is no outside
network. Errors are CPython's: OSError(errno, text) picks ConnectionRefusedError (111),
BrokenPipeError (32), ConnectionResetError (104)…; timeouts raise TimeoutError, which
`socket.timeout` is an alias of.

The module is spread over this package: constants.py (numbers, enums, exception types),
names.py (resolution, getaddrinfo, inet_*), sockobj.py (the socket object), data.py (its
send/recv), calls.py (the kernel's syscalls and the socket rings' FFI), unix.py (AF_UNIX
paths), socketio.py (makefile); this file gathers them as the `socket` module and adds its
functions (socketpair, create_connection, pickling a socket for another process…).
"""
import os as _os

from _spawnpoint.linux_errno import error as _os_error

from .calls import _call
from .constants import *  # noqa: F401,F403 (the socket module's public names)
from .constants import (
    AF_INET, AF_UNIX, SO_REUSEADDR, SO_REUSEPORT, SOCK_STREAM, SOL_SOCKET, AddressFamily, AddressInfo, MsgFlag,
    SocketKind, gaierror, herror,
)
from .names import (  # noqa: F401 (the socket module's public names)
    getaddrinfo, getfqdn, gethostbyaddr, gethostbyname, gethostbyname_ex, gethostname,
    getnameinfo, getservbyname, htonl, htons, inet_aton, inet_ntoa, inet_ntop, inet_pton, ntohl, ntohs,
)
from .socketio import SocketIO
from .sockobj import _SOCKET_FDS, _new_fd, _reduce_socket, getdefaulttimeout, setdefaulttimeout, socket  # noqa: F401 (public names)
from .unix import _UNIX

__all__ = [
    "socket", "SocketType", "create_connection", "create_server", "has_dualstack_ipv6",
    "getaddrinfo", "gethostname", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
    "getfqdn", "socketpair", "fromfd", "getdefaulttimeout", "setdefaulttimeout",
    "error", "timeout", "herror", "gaierror", "AddressFamily", "SocketKind",
]

_GLOBAL_DEFAULT_TIMEOUT = object()
SocketType = socket


def _register_reducer():
    """multiprocessing pickles with ForkingPickler: make it use our reducer, not resource_sharer."""
    try:
        from multiprocessing.reduction import ForkingPickler
    except Exception:  # multiprocessing may be replaced or absent: __reduce_ex__ still works
        return
    ForkingPickler.register(socket, _reduce_socket)


def fromfd(fd, family, type, proto=0):
    return socket(family, type, proto, fileno=_new_fd("sock_dup", fd=fd))


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
    # socketpair(2) makes two descriptors, the lowest free: the listener's number is free again.
    for s in (a, b):
        s._unnamed = family == AF_UNIX
        new = _new_fd("sock_dup", fd=s._fd)
        keep, drop = (new, s._fd) if new < s._fd else (s._fd, new)
        s._fd = keep
        _SOCKET_FDS.discard(drop)
        _call("sock_close", fd=drop)
        _os.close(drop)
    return a, b


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
            raise _os_error(err.errno, msg) from None
        if backlog is None:
            sock.listen()
        else:
            sock.listen(backlog)
        return sock
    except OSError:
        sock.close()
        raise


# As in CPython, these are the socket module's own (tracebacks print `socket.gaierror: …`).
for _cls in (socket, SocketIO, AddressFamily, SocketKind, MsgFlag, AddressInfo, herror, gaierror):
    _cls.__module__ = "socket"
del _cls
