"""What a browser cannot do as Linux does, refused with an error that says why and what to use.

Every Python process here is its own WebAssembly interpreter in its own worker. A worker's
memory cannot be copied into a new worker, so there is no fork(); Pyodide is built without
threads, so a thread cannot start. spawn needs neither: it starts a fresh interpreter and
sends it what to run, which is what every Process here does.

forkserver is refused as well, not run as spawn: its server is a forked process and its
children are forks of it (their os.getppid() is the server, not the parent), so accepting
the name would promise what cannot happen. get_all_start_methods() lists only 'spawn'.
"""
import errno
import os
import threading

from multiprocessing import context

_WHY = "each Python process in Spawnpoint is its own WebAssembly interpreter in a browser worker"


def _start_method_unavailable(name):
    def check(self):
        raise ValueError(
            "start method %r is not available in Spawnpoint: a browser cannot fork a process "
            "(%s, and a worker's memory cannot be copied into another); use 'spawn', which "
            "every process here is started with" % (name, _WHY)
        )
    return check


def fork():
    raise OSError(
        errno.ENOSYS,
        "os.fork() is not available in Spawnpoint: %s, and a browser cannot copy a running "
        "worker; start a multiprocessing.Process instead (the spawn start method)" % _WHY,
    )


_thread_start = threading.Thread.start


def _no_thread_start(self):
    # CPython's own checks first: the same errors for a Thread misused.
    if not self._initialized:
        raise RuntimeError("thread.__init__() not called")
    if self._started.is_set():
        raise RuntimeError("threads can only be started once")
    raise RuntimeError(
        "can't start new thread: Spawnpoint's Python (Pyodide) has no threads, %s; to run "
        "code in parallel start a multiprocessing.Process, or use a multiprocessing.Pool or "
        "concurrent.futures.ProcessPoolExecutor instead of threads" % _WHY
    )


def install():
    context.ForkContext._check_available = _start_method_unavailable("fork")
    context.ForkServerContext._check_available = _start_method_unavailable("forkserver")
    context._default_context._default_context = context._concrete_contexts["spawn"]
    context._default_context._actual_context = None
    context.DefaultContext.get_all_start_methods = lambda self: ["spawn"]
    os.fork = fork
    threading.Thread.start = _no_thread_start
