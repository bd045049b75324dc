"""Spawnpoint's network modules: `socket`, `select`, `selectors` and `socketserver` over the
kernel's loopback network (lib/kernel/net).

Pyodide imports its own `socket`/`select` at startup (and its `socket` "connects" without
error), so `install()` replaces the entries in `sys.modules` before any user code runs,
then re-imports the pure-Python stdlib modules that are built on them.
"""
import importlib
import sys


# Linux's numbers for the errors the network raises. Pyodide's errno module has
# Emscripten's (ECONNREFUSED is 14 there); programs compare e.errno with errno.X, and the
# kernel reports Linux numbers, like CPython on Linux.
_LINUX_ERRNO = {
    "EBADF": 9, "EAGAIN": 11, "EWOULDBLOCK": 11, "EINVAL": 22, "EMFILE": 24, "EPIPE": 32,
    "ENOTSOCK": 88, "EDESTADDRREQ": 89, "EMSGSIZE": 90, "ENOPROTOOPT": 92,
    "ESOCKTNOSUPPORT": 94, "EOPNOTSUPP": 95, "EAFNOSUPPORT": 97, "EADDRINUSE": 98,
    "EADDRNOTAVAIL": 99, "ENETUNREACH": 101, "ECONNABORTED": 103, "ECONNRESET": 104,
    "EISCONN": 106, "ENOTCONN": 107, "ETIMEDOUT": 110, "ECONNREFUSED": 111,
    "EHOSTUNREACH": 113, "EALREADY": 114, "EINPROGRESS": 115,
}


def _linux_errno():
    import errno

    for name, value in _LINUX_ERRNO.items():
        setattr(errno, name, value)
        if name != "EWOULDBLOCK":
            errno.errorcode[value] = name


def install():
    _linux_errno()
    from . import socket as _socket_mod
    from . import select as _select_mod

    sys.modules["socket"] = _socket_mod
    sys.modules["select"] = _select_mod
    # selectors is pure Python over select: a fresh import picks up our select.poll.
    sys.modules.pop("selectors", None)
    importlib.import_module("selectors")
    # socketserver: the stdlib module over our socket/selectors, with threads and fork
    # explained instead of failing obscurely.
    sys.modules.pop("socketserver", None)
    from . import socketserver as _socketserver_mod

    sys.modules["socketserver"] = _socketserver_mod
    _socket_mod._register_reducer()
