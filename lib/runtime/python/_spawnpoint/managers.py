"""multiprocessing.Manager without server threads.

Manager() starts a real server process (SyncManager-N) that owns dicts, lists, namespaces
and values and answers proxy calls (manager_proxies.py) one at a time from a kernel queue.
Locks, queues, events… need no server here: the kernel already shares them between
processes, so the manager hands out kernel objects that pickle freely (manager_shared.py).
A SyncManager at an address, or a subclass that registers types of its own, is CPython's,
served by manager_server.py.
"""
import functools
import itertools

from multiprocessing import synchronize as _sync, util
from multiprocessing.reduction import ForkingPickler

from . import call, call_bytes, post
from .manager_server import _managers as _cp
from .manager_proxies import ArrayProxy, DictProxy, ListProxy, NamespaceProxy, ValueProxy, _request, _shut_down
from .manager_shared import (
    ManagedBoundedSemaphore, ManagedLock, ManagedRLock, ManagedSemaphore, _free, _ManagedJoinableQueue, _ManagedQueue,
)
from .sharedctypes import RawValue  # noqa: F401

# ── server side ───────────────────────────────────────────────────────────────


class _Value:
    def __init__(self, typecode, value, lock=True):
        self._typecode = typecode
        self._value = value

    def get(self):
        return self._value

    def set(self, value):
        self._value = value

    def __repr__(self):
        return "Value(%r, %r)" % (self._typecode, self._value)

    value = property(get, set)


def _array(typecode, sequence, lock=True):
    import array
    return array.array(typecode, sequence)


class Namespace:
    def __init__(self, /, **kwds):
        self.__dict__.update(kwds)

    def __repr__(self):
        items = list(self.__dict__.items())
        temp = []
        for name, value in items:
            if not name.startswith("_"):
                temp.append("%s=%r" % (name, value))
        temp.sort()
        return "%s(%s)" % (self.__class__.__name__, ", ".join(temp))


_FACTORIES = {"dict": dict, "list": list, "Namespace": Namespace, "Value": _Value, "Array": _array}


def _serve(request_qid, initializer=None, initargs=()):
    if initializer is not None:
        initializer(*initargs)
    objects = {}
    ids = itertools.count(1)

    def _keep(obj):
        oid = next(ids)
        objects[oid] = obj
        return oid

    while True:
        data = call_bytes("queue_get", id=request_qid, block=True, timeoutMs=None)
        reply_qid, op, oid, name, args, kwds = ForkingPickler.loads(data)
        try:
            if op == "shutdown":
                post("queue_put", bytes(ForkingPickler.dumps((True, None))), id=reply_qid, block=True)
                return
            if op == "count":
                result = len(objects)
            elif op == "debug_info":
                result = "\n".join("  %s: refcount=1\n    %r" % (i, obj) for i, obj in objects.items())
            elif op == "create":
                result = _keep(_FACTORIES[name](*args, **kwds))
            elif op == "getattr":
                result = getattr(objects[oid], name)
            elif op == "setattr":
                setattr(objects[oid], name, args[0])
                result = None
            elif op == "delattr":
                delattr(objects[oid], name)
                result = None
            else:
                result = getattr(objects[oid], name)(*args, **kwds)
                if name == "__iter__":
                    result = _keep(result)
                elif name in ("keys", "values", "items", "__reversed__"):
                    result = list(result)
            reply = (True, result)
        except Exception as e:
            reply = (False, e)
        # Bytes, not dumps()'s view of its BytesIO; and no reply kept: an error's traceback holds
        # this frame, and a cycle through it would keep that BytesIO exported until a
        # collection finalizes the two in the wrong order ("Exception ignored ... BufferError").
        try:
            payload = bytes(ForkingPickler.dumps(reply))
        except Exception as e:
            payload = bytes(ForkingPickler.dumps((False, e)))
        reply = None
        post("queue_put", payload, id=reply_qid, block=True)


def _kernel_or_cpython(fn):
    """A SyncManager method: ours on a manager of kernel objects, else CPython's (a proxy of an
    object its server holds)."""
    name = fn.__name__

    @functools.wraps(fn)
    def method(self, *args, **kwds):
        if self._kernel:
            return fn(self, *args, **kwds)
        return getattr(super(SyncManager, self), name)(*args, **kwds)

    return method


class SyncManager(_cp.SyncManager):
    """multiprocessing.Manager()'s class, a BaseManager as in CPython. A manager with no
    address whose class registered nothing of its own (what Manager() makes) serves from the
    kernel: a server process for dicts, lists, namespaces and values, kernel objects for the
    rest. One at an address, or of a subclass with types of its own (`register`), is CPython's
    SyncManager: its server (manager_server.Server) holds every object, `connect()` reaches it."""

    _counter = itertools.count(1)

    def __init__(self, address=None, authkey=None, serializer="pickle", ctx=None, *, shutdown_timeout=1.0):
        super().__init__(address, authkey, serializer, ctx, shutdown_timeout=shutdown_timeout)
        self._kernel = address is None and type(self)._registry is _cp.SyncManager._registry
        self._server = None

    def start(self, initializer=None, initargs=()):
        if not self._kernel:
            return super().start(initializer, initargs)
        if self._state.value != _cp.State.INITIAL:
            from multiprocessing import ProcessError
            if self._state.value == _cp.State.STARTED:
                raise ProcessError("Already started server")
            if self._state.value == _cp.State.SHUTDOWN:
                raise ProcessError("Manager has shut down")
            raise ProcessError("Unknown state {!r}".format(self._state.value))
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._server = call("queue_create", maxsize=0)
        self._address = ("spawnpoint-manager", self._server)
        self._process = self._ctx.Process(target=_serve, args=(self._server, initializer, initargs), name="SyncManager-%d" % next(self._counter))
        self._process.start()
        self._state.value = _cp.State.STARTED
        self.shutdown = util.Finalize(self, SyncManager._finalize_kernel_manager, args=(self._process, self._server, self._state), exitpriority=0)

    @staticmethod
    def _finalize_kernel_manager(process, server, state):
        if process.is_alive():
            try:
                _request(server, "shutdown")
            except Exception:
                pass
            process.join(timeout=1.0)
            if process.is_alive():
                process.terminate()
                process.join()
        state.value = _cp.State.SHUTDOWN
        _shut_down.add(server)

    # What CPython's test suite asks a manager at teardown: the objects its server holds.
    # This server keeps every object it made until it shuts down (proxies do no decref).
    @_kernel_or_cpython
    def _number_of_objects(self):
        return _request(self._server, "count")

    @_kernel_or_cpython
    def _debug_info(self):
        return _request(self._server, "debug_info")

    def _kernel_create(self, typeid, proxytype, *args, **kwds):
        assert self._state.value == _cp.State.STARTED, "server not yet started"  # CPython's _create
        oid = _request(self._server, "create", None, typeid, args, kwds)
        return proxytype(self._server, oid, typeid)

    @_kernel_or_cpython
    def dict(self, *args, **kwds):
        return self._kernel_create("dict", DictProxy, *args, **kwds)

    @_kernel_or_cpython
    def list(self, *args):
        return self._kernel_create("list", ListProxy, *args)

    @_kernel_or_cpython
    def Namespace(self, **kwds):
        return self._kernel_create("Namespace", NamespaceProxy, **kwds)

    @_kernel_or_cpython
    def Value(self, typecode, value, lock=True):
        return self._kernel_create("Value", ValueProxy, typecode, value, lock)

    @_kernel_or_cpython
    def Array(self, typecode, sequence, lock=True):
        return self._kernel_create("Array", ArrayProxy, typecode, sequence, lock)

    @_kernel_or_cpython
    def Queue(self, maxsize=0):
        return _ManagedQueue(maxsize)

    @_kernel_or_cpython
    def JoinableQueue(self, maxsize=0):
        return _ManagedJoinableQueue(maxsize)

    @_kernel_or_cpython
    def Lock(self):
        return ManagedLock(ctx=self._ctx)

    @_kernel_or_cpython
    def RLock(self):
        return ManagedRLock(ctx=self._ctx)

    @_kernel_or_cpython
    def Semaphore(self, value=1):
        return ManagedSemaphore(value, ctx=self._ctx)

    @_kernel_or_cpython
    def BoundedSemaphore(self, value=1):
        return ManagedBoundedSemaphore(value, ctx=self._ctx)

    # Like the proxies above, these may be pickled anywhere (through a queue, into Pool tasks).
    @_kernel_or_cpython
    def Condition(self, lock=None):
        return _free(_sync.Condition(lock, ctx=self._ctx))

    @_kernel_or_cpython
    def Event(self):
        return _free(_sync.Event(ctx=self._ctx))

    @_kernel_or_cpython
    def Barrier(self, parties, action=None, timeout=None):
        from .synchronize import ManagedBarrier
        barrier = ManagedBarrier(parties, action, timeout, ctx=self._ctx)
        _free(barrier._cond)
        return barrier

    @_kernel_or_cpython
    def Pool(self, processes=None, initializer=None, initargs=()):
        # CPython's server makes the pool: what its constructor raises comes back as a
        # RemoteError carrying the server's traceback.
        try:
            return self._ctx.Pool(processes, initializer, initargs)
        except Exception:
            import traceback
            from multiprocessing.managers import RemoteError
            raise RemoteError(traceback.format_exc()) from None
