"""socketserver, for Spawnpoint: the standard library's, over the loopback network.

TCPServer and UDPServer handle one request at a time, as they do anywhere. The mix-ins
that need threads or fork cannot work in a page; they say so, and what to do instead.
"""
import importlib.util as _util
import sys as _sys

_NO_THREADS = (
    "{name} needs {what}, which a web page does not have. Serve each client in its own "
    "process instead: accept() in a loop and start multiprocessing.Process(target=handle, "
    "args=(conn,)) for every connection (or use a plain TCPServer, one client at a time)."
)


def _load_stdlib():
    # The stdlib file, executed under a private name so it binds our socket and selectors.
    for finder in _sys.meta_path:
        find = getattr(finder, "find_spec", None)
        if find is None or finder.__class__.__name__ == "BuiltinImporter":
            continue
        spec = find("socketserver", None)
        if spec is not None and spec.origin and "_spawnpoint_net" not in spec.origin:
            module = _util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise ImportError("the standard library's socketserver was not found")


_std = _load_stdlib()
for _name in dir(_std):
    if not _name.startswith("__"):
        globals()[_name] = getattr(_std, _name)
__all__ = list(getattr(_std, "__all__", []))


class ThreadingMixIn:
    """Would serve each request in a new thread: not available here."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, *args, **kwargs):
        raise RuntimeError(_NO_THREADS.format(name=type(self).__name__, what="threads"))


class ForkingMixIn:
    """Would fork a process per request: not available here (there is no fork)."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError(_NO_THREADS.format(name=type(self).__name__, what="fork()"))


class ThreadingTCPServer(ThreadingMixIn, _std.TCPServer):
    pass


class ThreadingUDPServer(ThreadingMixIn, _std.UDPServer):
    pass


class ForkingTCPServer(ForkingMixIn, _std.TCPServer):
    pass


class ForkingUDPServer(ForkingMixIn, _std.UDPServer):
    pass


for _n in ("ThreadingMixIn", "ForkingMixIn", "ThreadingTCPServer", "ThreadingUDPServer", "ForkingTCPServer", "ForkingUDPServer"):
    if _n not in __all__:
        __all__.append(_n)
