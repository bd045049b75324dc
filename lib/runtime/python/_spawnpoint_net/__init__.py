"""Spawnpoint's network modules: `socket`, `select`, `selectors` and `socketserver` over the
kernel's loopback network (lib/kernel/net).

Pyodide imports its own `socket`/`select` at startup (and its `socket` "connects" without
error), so `install()` replaces the entries in `sys.modules` before any user code runs,
then re-imports the pure-Python stdlib modules that are built on them. Pyodide's asyncio
runs on its browser event loop (whose run_until_complete needs WebAssembly stack switching:
asyncio.run failed) over the C library's sockets; `install()` gives it back the default
loop, selecting on ours.
"""
import importlib
import sys


def install():
    # The errno module already has Linux's numbers (_spawnpoint.linux_errno, installed first).
    from . import socket as _socket_mod
    from . import select as _select_mod

    native = sys.modules.get("select")
    if native is not None and native is not _select_mod:
        _select_mod._native = native
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
    _default_asyncio()


def _default_asyncio():
    """asyncio as CPython has it on Linux: asyncio.run unwrapped, the default event loop policy
    (a selector loop), our socket and selectors in its modules, and no loop marked running
    (Pyodide's browser loop was, in the C part of asyncio)."""
    if "asyncio" not in sys.modules:
        return
    import types

    import _asyncio
    import asyncio
    import asyncio.runners
    import selectors
    import socket

    for name, module in list(sys.modules.items()):
        if not (name == "asyncio" or name.startswith("asyncio.")) or module is None:
            continue
        for attr, ours in (("socket", socket), ("selectors", selectors)):
            if isinstance(getattr(module, attr, None), types.ModuleType):
                setattr(module, attr, ours)
    asyncio.run = asyncio.runners.run
    set_policy = getattr(asyncio.events, "_set_event_loop_policy", None) or asyncio.set_event_loop_policy
    set_policy(asyncio.DefaultEventLoopPolicy() if hasattr(asyncio, "DefaultEventLoopPolicy") else asyncio.events._DefaultEventLoopPolicy())
    _asyncio._set_running_loop(None)
    _unthreaded_executor_shutdown(asyncio.base_events.BaseEventLoop)
    _resolve_in_place(asyncio.base_events.BaseEventLoop, socket)
    _linux_oserror(asyncio.selector_events.BaseSelectorEventLoop._sock_connect_cb)


def _linux_oserror(fn):
    """`fn` builds its OSError from a socket's SO_ERROR (a Linux number): OSError(111, ...)
    picks its subclass from Pyodide's numbers (a plain OSError, not ConnectionRefusedError,
    so `except ConnectionRefusedError` missed asyncio's refused connection). The name it
    builds it with becomes one that picks by Linux's numbers; it names OSError nowhere else."""
    from _spawnpoint.linux_errno import error

    code = getattr(fn, "__code__", None)
    if code is None or "OSError" not in code.co_names:
        return
    fn.__code__ = code.replace(co_names=tuple("_linux_OSError" if n == "OSError" else n for n in code.co_names))
    fn.__globals__["_linux_OSError"] = error


def _resolve_in_place(loop_class, socket):
    """An event loop resolves names in its default executor's threads, which do not exist here:
    open_connection('localhost', ...) failed. The loopback's names resolve at once, in place."""

    async def getaddrinfo(self, host, port, *, family=0, type=0, proto=0, flags=0):
        return socket.getaddrinfo(host, port, family, type, proto, flags)

    async def getnameinfo(self, sockaddr, flags=0):
        return socket.getnameinfo(sockaddr, flags)

    for fn in (getaddrinfo, getnameinfo):
        fn.__qualname__ = getattr(loop_class, fn.__name__).__qualname__
        setattr(loop_class, fn.__name__, fn)


def _unthreaded_executor_shutdown(loop_class):
    """asyncio.run's last step joins the default executor in a thread of its own; a default
    executor that started no thread (there are none here: run_in_executor(None, ...) raised
    the reason) is shut down without one, so its error is the only one the program shows."""
    threaded = loop_class.shutdown_default_executor

    async def shutdown_default_executor(self, timeout=None):
        executor = self._default_executor
        if executor is None or getattr(executor, "_threads", None):
            return await threaded(self, timeout)
        self._executor_shutdown_called = True
        self._default_executor = None
        executor.shutdown(wait=False)

    shutdown_default_executor.__qualname__ = threaded.__qualname__
    shutdown_default_executor.__doc__ = threaded.__doc__
    loop_class.shutdown_default_executor = shutdown_default_executor
