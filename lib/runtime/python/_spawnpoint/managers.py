"""multiprocessing.Manager without server threads.

Manager() starts a real server process (SyncManager-N) that owns dicts, lists, namespaces
and values and answers proxy calls (manager_proxies.py) one at a time from a kernel queue.
Locks, queues, events… need no server here: the kernel already shares them between
processes, so the manager hands out kernel objects that pickle freely (manager_shared.py).
"""
import itertools

from multiprocessing import context as _mpcontext, synchronize as _sync, util
from multiprocessing.reduction import ForkingPickler

from . import call, call_bytes, post
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


def _serve(request_qid):
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


class SyncManager:
    _counter = itertools.count(1)

    def __init__(self, address=None, authkey=None, serializer="pickle", ctx=None, *, shutdown_timeout=1.0):
        self._ctx = ctx or _mpcontext._default_context.get_context()
        self._process = None
        self._server = None
        self._state = "initial"

    def start(self, initializer=None, initargs=()):
        if self._state == "started":
            from multiprocessing import ProcessError
            raise ProcessError("Already started server")
        self._server = call("queue_create", maxsize=0)
        self._process = self._ctx.Process(target=_serve, args=(self._server,), name="SyncManager-%d" % next(self._counter))
        self._process.start()
        self._state = "started"
        self._finalizer = util.Finalize(self, SyncManager._finalize_manager, args=(self._process, self._server), exitpriority=0)

    @staticmethod
    def _finalize_manager(process, server):
        if process.is_alive():
            try:
                _request(server, "shutdown")
            except Exception:
                pass
            process.join(timeout=1.0)
            if process.is_alive():
                process.terminate()
                process.join()
        _shut_down.add(server)

    def shutdown(self):
        if self._state == "started":
            self._state = "shutdown"
            self._finalizer()

    def join(self, timeout=None):
        if self._process is not None:
            self._process.join(timeout)

    def __enter__(self):
        if self._state == "initial":
            self.start()
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.shutdown()

    @property
    def address(self):
        return ("spawnpoint-manager", self._server)

    # What CPython's test suite asks a manager at teardown: the objects its server holds.
    # This server keeps every object it made until it shuts down (proxies do no decref).
    def _number_of_objects(self):
        return _request(self._server, "count")

    def _debug_info(self):
        return _request(self._server, "debug_info")

    def _create(self, typeid, proxytype, *args, **kwds):
        if self._state != "started":
            raise ValueError("Manager has not been started")
        oid = _request(self._server, "create", None, typeid, args, kwds)
        return proxytype(self._server, oid, typeid)

    def dict(self, *args, **kwds):
        return self._create("dict", DictProxy, *args, **kwds)

    def list(self, *args):
        return self._create("list", ListProxy, *args)

    def Namespace(self, **kwds):
        return self._create("Namespace", NamespaceProxy, **kwds)

    def Value(self, typecode, value, lock=True):
        return self._create("Value", ValueProxy, typecode, value, lock)

    def Array(self, typecode, sequence, lock=True):
        return self._create("Array", ArrayProxy, typecode, sequence, lock)

    def Queue(self, maxsize=0):
        return _ManagedQueue(maxsize)

    def JoinableQueue(self, maxsize=0):
        return _ManagedJoinableQueue(maxsize)

    def Lock(self):
        return ManagedLock(ctx=self._ctx)

    def RLock(self):
        return ManagedRLock(ctx=self._ctx)

    def Semaphore(self, value=1):
        return ManagedSemaphore(value, ctx=self._ctx)

    def BoundedSemaphore(self, value=1):
        return ManagedBoundedSemaphore(value, ctx=self._ctx)

    # Like the proxies above, these may be pickled anywhere (through a queue, into Pool tasks).
    def Condition(self, lock=None):
        return _free(_sync.Condition(lock, ctx=self._ctx))

    def Event(self):
        return _free(_sync.Event(ctx=self._ctx))

    def Barrier(self, parties, action=None, timeout=None):
        from .synchronize import Barrier
        barrier = Barrier(parties, action, timeout, ctx=self._ctx)
        _free(barrier._cond)
        return barrier

    def Pool(self, processes=None, initializer=None, initargs=()):
        # CPython's server makes the pool: what its constructor raises comes back as a
        # RemoteError carrying the server's traceback.
        try:
            return self._ctx.Pool(processes, initializer, initargs)
        except Exception:
            import traceback
            from multiprocessing.managers import RemoteError
            raise RemoteError(traceback.format_exc()) from None
