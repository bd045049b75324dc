"""Patches applied once per worker while it waits in the pool (before it has a pid).

Pyodide ships multiprocessing's pure-Python modules but no `_multiprocessing`, no fork
and no threads. We keep CPython's process.py / spawn.py / synchronize.py / context.py
(names, reaping, assertions, the __mp_main__ re-import, Condition/Event...) and replace
what needs the OS: SemLock, Popen, Queue, Pipe, Value/Array, Barrier, Pool, Manager.
"""
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
from multiprocessing import context, process, spawn  # noqa: E402

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
    # As CPython's methods show themselves (mp.Pool.__qualname__, a bad keyword's TypeError).
    _fn.__name__, _fn.__qualname__, _fn.__module__ = _name, "BaseContext." + _name, context.__name__
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


def _named_as_cpython(module, *classes):
    """Our classes that stand in CPython's modules under their names say so (reprs, type()):
    `<multiprocessing.queues.Queue object at …>`, not the runtime's module."""
    for cls in classes:
        if getattr(module, cls.__name__, None) is cls:
            cls.__module__ = module.__name__


_named_as_cpython(_mq, _queues.Queue, _queues.JoinableQueue, _queues.SimpleQueue)
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


class _StartOrder(dict):
    """process._children, a set, in the order the children started. A set iterates in the
    order of its members' addresses, which change with whatever else the process allocated,
    and start() and join() poll the children in that order: a schedule's scheduling points
    would depend on it, and a token would replay differently once anything allocates more."""

    def add(self, p):
        self[p] = None

    def discard(self, p):
        self.pop(p, None)


process._children = _StartOrder()
# process.py's only set(): a child's _bootstrap makes its own `_children = set()`.
process.set = _StartOrder


# ── os / time / stdin (process_os.py) and tracebacks without the runtime's frames ──
from . import process_os as _process_os  # noqa: E402
from .process_os import install_stdin, make_local_dir  # noqa: E402,F401  (main.py calls them here)
from . import tracebacks as _tracebacks  # noqa: E402
from .tracebacks import trim_runtime_frames  # noqa: E402,F401  (main.py and linux_errno call it here)

_process_os.install()
_tracebacks.install()
# _spawn_popen, in tracebacks: CPython's SpawnProcess._Popen.
_tracebacks.stand_in(_spawn_popen.__code__, lambda frame, statement: (
    "multiprocessing.context", "SpawnProcess._Popen", "return Popen(process_obj)", "Popen(process_obj)"))


# ── signal: dispositions known to the kernel, alarm/setitimer/pause (see signals.py) ──
from . import signals as _signals  # noqa: E402

_signals.install()


# ── fcntl: flock, lockf and record locks on the kernel's file locks (file_locks.py) ──
from . import file_locks as _file_locks  # noqa: E402

_file_locks.install()


# concurrent.futures: ProcessPoolExecutor and the waiting helpers that must pump it.
import concurrent.futures as _cf  # noqa: E402
from . import futures as _futures  # noqa: E402

sys.modules["concurrent.futures.process"] = _futures
_cf.process = _futures
_cf.ProcessPoolExecutor = _futures.ProcessPoolExecutor
_cf.as_completed = _futures.as_completed
_cf.wait = _futures.wait
import multiprocessing.pool as _mpool  # noqa: E402
from . import pool as _pool  # noqa: E402
from . import pool_results as _pool_results  # noqa: E402
_mpool.Pool = _pool.Pool
# isinstance(pool.apply_async(...), multiprocessing.pool.AsyncResult), and CPython's reprs.
for _name in ("ApplyResult", "AsyncResult", "MapResult", "IMapIterator", "IMapUnorderedIterator"):
    setattr(_mpool, _name, getattr(_pool_results, _name))
for _cls in (_pool.Pool, _pool_results.ApplyResult, _pool_results.MapResult, _pool_results.IMapIterator, _pool_results.IMapUnorderedIterator):
    _cls.__module__ = "multiprocessing.pool"
from . import manager_server as _manager_server  # noqa: E402
from . import managers as _managers  # noqa: E402

_manager_server._managers.SyncManager = _managers.SyncManager
_manager_server.install()


# subprocess: Popen of [sys.executable, ...] starts a process on the kernel (subprocess_popen.py).
import subprocess as _subprocess  # noqa: E402
from . import subprocess_popen as _subprocess_popen  # noqa: E402

_subprocess.Popen = _subprocess_popen.Popen


# ── shutdown: multiprocessing's exit handler registers with atexit where CPython would first
# import multiprocessing.util (shutdown.py), not when this snapshot imported it ──
import atexit  # noqa: E402
import functools  # noqa: E402
from multiprocessing import util as _util  # noqa: E402
from . import shutdown as _shutdown  # noqa: E402

atexit.unregister(_util._exit_function)


def _registering_exit(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _shutdown.uses_util()
        return fn(*args, **kwargs)
    return wrapper


# CPython's multiprocessing.connection imports util: its Listener and Client are CPython's.
_connection_mod = sys.modules["multiprocessing.connection"]
_connection_mod.Listener.__init__ = _registering_exit(_connection_mod.Listener.__init__)
_connection_mod.Client = _registering_exit(_connection_mod.Client)
context.BaseContext.log_to_stderr = _registering_exit(context.BaseContext.log_to_stderr)
context.BaseContext.get_logger = _registering_exit(context.BaseContext.get_logger)
multiprocessing.log_to_stderr = context._default_context.log_to_stderr
multiprocessing.get_logger = context._default_context.get_logger
