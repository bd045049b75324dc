"""Spawnpoint's network modules: `socket`, `select`, `selectors` and `socketserver` over the
kernel's loopback network (lib/kernel/net).

Pyodide imports its own `socket`/`select` at startup (and its `socket` "connects" without
error), so `install()` replaces the entries in `sys.modules` before any user code runs,
then re-imports the pure-Python stdlib modules that are built on them.
"""
import importlib
import sys


def install():
    # The errno module already has Linux's numbers (_spawnpoint.linux_errno, installed first).
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
