"""AF_UNIX stream sockets. The kernel knows a path as the host `unix:<absolute path>`
(lib/kernel/net/addr.ts); the socket file in the shared file system is made here, so ls,
os.path.exists and os.unlink see it, and bind/connect give Linux's errors from it
(EADDRINUSE, ENOENT, ECONNREFUSED). A path starting with NUL is in the abstract namespace
(no file)."""
import os

from _spawnpoint.linux_errno import LINUX as _E, error as _os_error

from .calls import _call

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
    return os.path.abspath(address)


def _unix_name(host):
    name = host[len(_UNIX):] if host.startswith(_UNIX) else ""
    # Linux (and so CPython) shows an abstract-namespace name as bytes, a path as str.
    return name.encode("utf-8", "surrogateescape") if name.startswith("\0") else name


def _unix_bind(sock, address):
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
    path = _unix_path(address)
    if not path.startswith("\0") and not os.path.lexists(path):
        raise FileNotFoundError(_E["ENOENT"], "No such file or directory")
    _call("sock_connect", fd=sock._check(), host=_UNIX + path, port=0, **sock._wait())
