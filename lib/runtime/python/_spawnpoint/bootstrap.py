"""Patches applied once per worker while it waits in the pool (before it has a pid).

Pyodide ships multiprocessing's pure-Python modules but no `_multiprocessing`, no fork
and no threads. We keep CPython's process.py / spawn.py / synchronize.py / context.py
(names, reaping, assertions, the __mp_main__ re-import, Condition/Event...) and replace
what needs the OS: SemLock, Popen, Queue, Pipe, Value/Array, Barrier, Pool, Manager.
"""
import io
import os
import signal
import sys
import time

import _spawnpoint_js as _js

import _spawnpoint
from . import semlock as _semlock_mod

# ── _multiprocessing (C module in CPython) ────────────────────────────────────
sys.modules["_multiprocessing"] = _semlock_mod

import multiprocessing  # noqa: E402
from multiprocessing import context, process, spawn, util  # noqa: E402

from . import popen as _popen  # noqa: E402

# ── start methods: spawn only ─────────────────────────────────────────────────


def _spawn_popen(process_obj):
    return _popen.Popen(process_obj)


context.SpawnProcess._Popen = staticmethod(_spawn_popen)


from . import unavailable as _unavailable  # noqa: E402

_unavailable.install()
context.BaseContext.cpu_count = lambda self: _spawnpoint.CPU_COUNT


# ── context factories for the replaced objects ─────────────────────────────────


def _Queue(self, maxsize=0):
    from .queues import Queue
    return Queue(maxsize, ctx=self.get_context())


def _JoinableQueue(self, maxsize=0):
    from .queues import JoinableQueue
    return JoinableQueue(maxsize, ctx=self.get_context())


def _SimpleQueue(self):
    from .queues import SimpleQueue
    return SimpleQueue(ctx=self.get_context())


def _Pipe(self, duplex=True):
    from .connection import Pipe
    return Pipe(duplex)


def _Value(self, typecode_or_type, *args, lock=True):
    from .sharedctypes import Value
    return Value(typecode_or_type, *args, lock=lock, ctx=self.get_context())


def _Array(self, typecode_or_type, size_or_initializer, *, lock=True):
    from .sharedctypes import Array
    return Array(typecode_or_type, size_or_initializer, lock=lock, ctx=self.get_context())


def _RawValue(self, typecode_or_type, *args):
    from .sharedctypes import RawValue
    return RawValue(typecode_or_type, *args)


def _RawArray(self, typecode_or_type, size_or_initializer):
    from .sharedctypes import RawArray
    return RawArray(typecode_or_type, size_or_initializer)


def _Barrier(self, parties, action=None, timeout=None):
    from .synchronize import Barrier
    return Barrier(parties, action, timeout, ctx=self.get_context())


def _Pool(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None):
    from .pool import Pool
    return Pool(processes, initializer, initargs, maxtasksperchild, context=self.get_context())


def _Manager(self):
    from .managers import SyncManager
    m = SyncManager(ctx=self.get_context())
    m.start()
    return m


for _name, _fn in {
    "Queue": _Queue,
    "JoinableQueue": _JoinableQueue,
    "SimpleQueue": _SimpleQueue,
    "Pipe": _Pipe,
    "Value": _Value,
    "Array": _Array,
    "RawValue": _RawValue,
    "RawArray": _RawArray,
    "Barrier": _Barrier,
    "Pool": _Pool,
    "Manager": _Manager,
}.items():
    setattr(context.BaseContext, _name, _fn)

# multiprocessing/__init__.py bound the default context's methods at import: rebind.
multiprocessing.__dict__.update(
    (name, getattr(context._default_context, name)) for name in multiprocessing.__all__
)

# ── errno: Linux's numbers, not Emscripten's (before the network adds its own; both before CPython's multiprocessing.connection imports socket) ──
from . import linux_errno as _linux_errno  # noqa: E402

_linux_errno.install()

# ── network (lib/kernel/net): socket, select, selectors, socketserver over the loopback ──
import _spawnpoint_net  # noqa: E402

_spawnpoint_net.install()

# Modules some programs import directly.
from . import queues as _queues, connection as _connection, sharedctypes as _sharedctypes  # noqa: E402

from . import shared_memory as _shared_memory  # noqa: E402

_shared_memory.install()

import multiprocessing.queues as _mq  # noqa: E402
_mq.Queue, _mq.JoinableQueue, _mq.SimpleQueue = _queues.Queue, _queues.JoinableQueue, _queues.SimpleQueue
sys.modules["multiprocessing.sharedctypes"] = _sharedctypes
multiprocessing.sharedctypes = _sharedctypes


# ── the parent as seen from a child ────────────────────────────────────────────


def _parent_is_alive(self):
    return os.getppid() == self._pid


def _parent_join(self, timeout=None):
    deadline = None if timeout is None else time.monotonic() + timeout
    while _parent_is_alive(self) and (deadline is None or time.monotonic() < deadline):
        time.sleep(0.01)


process._ParentProcess.is_alive = _parent_is_alive
process._ParentProcess.join = _parent_join


# ── os / time / stdin ──────────────────────────────────────────────────────────


def getpid():
    return _spawnpoint.PID


def getppid():
    # Changes to 1 when the parent dies (orphans are adopted by init).
    return _spawnpoint.call("getppid")


def kill(pid, sig):
    _spawnpoint.call("kill", pid=int(pid), signal=int(sig))
    if int(pid) == _spawnpoint.PID and _js.take_interrupt():
        # Linux delivers a signal a process sends itself before kill() returns: its handler runs now.
        _signals.raise_pending()


def _exit(code):
    _spawnpoint.call("exit", code=int(code))


def cpu_count():
    return _spawnpoint.CPU_COUNT


# Directories: the worker mirrors files at open/close and deletions (rmdir too) to the
# kernel's fs; a new directory is mirrored here, so other processes see it in listdir/stat
# and a child can start in it (spawn.prepare chdirs into the parent's cwd).
_SHARED_ROOTS = ("/home/", "/tmp/")
_os_mkdir = os.mkdir


def _shared_path(path, dir_fd):
    path = os.fsdecode(path)
    if dir_fd is not None:
        try:
            path = os.path.join(os.readlink("/proc/self/fd/%d" % dir_fd), path)
        except OSError:
            return None
    path = os.path.abspath(path)
    return path if path.startswith(_SHARED_ROOTS) else None


def mkdir(path, mode=0o777, *, dir_fd=None):
    shared = _shared_path(path, dir_fd)
    if shared is not None:
        # Bring this process's copy up to date first (stat syncs from the kernel), so a
        # directory another process made raises FileExistsError here as on Linux.
        for p in (os.path.dirname(shared), shared):
            try:
                os.stat(p)
            except OSError:
                pass
    _os_mkdir(path, mode, dir_fd=dir_fd)
    if shared is not None:
        _spawnpoint.call("fs_mkdir", path=shared)


def make_local_dir(path):
    """A directory the kernel's fs already has, made in this worker's copy only."""
    import pyodide_js
    pyodide_js.FS.mkdirTree(path)


os.mkdir = mkdir

_pyodide_getpid = os.getpid
os.getpid = getpid
os.getppid = getppid
# util.Finalize bound os.getpid as a default argument when the snapshot imported it.
util.Finalize.__call__.__defaults__ = tuple(
    getpid if d is _pyodide_getpid else d for d in util.Finalize.__call__.__defaults__
)
os.kill = kill
os._exit = _exit
os.cpu_count = cpu_count
if hasattr(os, "process_cpu_count"):
    os.process_cpu_count = cpu_count

_js_sleep = _js.sleep


def sleep(seconds):
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    if _js_sleep(float(seconds)) < 0:
        _signals.raise_pending()


time.sleep = sleep


class KernelStdin(io.TextIOBase):
    """The terminal's input, read a line at a time from the kernel (input() falls back to readline)."""

    def readable(self):
        return True

    def readline(self, size=-1):
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        return _spawnpoint.call("stdin_readline")

    def read(self, size=-1):
        out = []
        while True:
            line = self.readline()
            if not line:
                return "".join(out)
            out.append(line)

    def fileno(self):
        raise io.UnsupportedOperation("fileno")

    def isatty(self):
        return False

    @property
    def encoding(self):
        return "utf-8"


_RUNTIME_DIR = os.path.dirname(__file__) + "/"


def trim_runtime_frames(tb):
    """Drops the runtime's own frames from a traceback (where our time.sleep, os._exit…
    raise, and between a wait and the signal handler it ran), so tracebacks show only the
    user's frames, as CPython's do where its C code runs. Returns the new first entry."""
    user = []
    node = tb
    while node is not None:
        if not node.tb_frame.f_code.co_filename.startswith(_RUNTIME_DIR):
            user.append(node)
        node = node.tb_next
    if not user:
        return tb
    for a, b in zip(user, user[1:]):
        a.tb_next = b
    user[-1].tb_next = None
    return user[0]


import traceback as _traceback  # noqa: E402

_print_exc = _traceback.print_exc


def _print_exc_trimmed(limit=None, file=None, chain=True):
    e = sys.exception()
    if e is not None:
        e.__traceback__ = trim_runtime_frames(e.__traceback__)
    _print_exc(limit=limit, file=file, chain=chain)


_traceback.print_exc = _print_exc_trimmed


def install_stdin():
    sys.stdin = sys.__stdin__ = KernelStdin()


# ── signal: dispositions known to the kernel, alarm/setitimer/pause (see signals.py) ──
from . import signals as _signals  # noqa: E402

_signals.install()


# concurrent.futures: ProcessPoolExecutor and the waiting helpers that must pump it.
import concurrent.futures as _cf  # noqa: E402
from . import futures as _futures  # noqa: E402

sys.modules["concurrent.futures.process"] = _futures
_cf.ProcessPoolExecutor = _futures.ProcessPoolExecutor
_cf.as_completed = _futures.as_completed
_cf.wait = _futures.wait
import multiprocessing.pool as _mpool  # noqa: E402
from . import pool as _pool  # noqa: E402
_mpool.Pool = _pool.Pool
import multiprocessing.managers as _mmanagers  # noqa: E402
from . import managers as _managers  # noqa: E402
_mmanagers.SyncManager = _managers.SyncManager
from . import manager_server as _manager_server  # noqa: E402

_manager_server.install()
