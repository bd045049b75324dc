"""multiprocessing.Manager without server threads.

Manager() starts a real server process (SyncManager-N) that owns dicts, lists, namespaces
and values and answers proxy calls one at a time from a kernel queue. Locks, queues,
events… need no server here: the kernel already shares them between processes, so the
manager hands out kernel objects whose proxies pickle freely (into Pool tasks, queues…).
"""
import itertools

from multiprocessing import context as _mpcontext, synchronize as _sync, util
from multiprocessing.reduction import ForkingPickler

from . import call, call_bytes, post
from .queues import JoinableQueue, Queue
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


_FACTORIES = {"dict": dict, "list": list, "Namespace": Namespace, "Value": _Value}


def _serve(request_qid):
    objects = {}
    ids = itertools.count(1)
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
                oid = next(ids)
                objects[oid] = _FACTORIES[name](*args, **kwds)
                result = oid
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
                if name in ("keys", "values", "items", "__iter__", "__reversed__"):
                    result = list(result)
            reply = (True, result)
        except Exception as e:
            reply = (False, e)
        try:
            payload = ForkingPickler.dumps(reply)
        except Exception as e:
            payload = ForkingPickler.dumps((False, e))
        post("queue_put", bytes(payload), id=reply_qid, block=True)


# ── client side ───────────────────────────────────────────────────────────────

_reply_queues = {}


def _reply_qid():
    import os
    pid = os.getpid()
    qid = _reply_queues.get(pid)
    if qid is None:
        qid = _reply_queues[pid] = call("queue_create", maxsize=0)
    return qid


def _request(server_qid, op, oid=None, name=None, args=(), kwds=None):
    reply_qid = _reply_qid()
    post("queue_put", bytes(ForkingPickler.dumps((reply_qid, op, oid, name, args, kwds or {}))), id=server_qid, block=True)
    ok, value = ForkingPickler.loads(call_bytes("queue_get", id=reply_qid, block=True, timeoutMs=None))
    if ok:
        return value
    raise value


class BaseProxy:
    _exposed_ = ()

    def __init__(self, server_qid, oid, typeid):
        self._server = server_qid
        self._id = oid
        self._typeid = typeid

    def _callmethod(self, methodname, args=(), kwds={}):
        return _request(self._server, "call", self._id, methodname, tuple(args), dict(kwds))

    def _getvalue(self):
        return self._callmethod("copy") if self._typeid in ("dict", "list") else None

    def __reduce__(self):
        return type(self), (self._server, self._id, self._typeid)

    def __repr__(self):
        return "<%s object, typeid %r at %#x>" % (type(self).__name__, self._typeid, id(self))

    def __str__(self):
        return self._callmethod("__repr__")


def _make_proxy(name, exposed):
    def method(m):
        def f(self, /, *args, **kwds):
            return self._callmethod(m, args, kwds)
        f.__name__ = m
        return f

    dic = {m: method(m) for m in exposed}
    dic["_exposed_"] = tuple(exposed)
    return type(name, (BaseProxy,), dic)


DictProxy = _make_proxy("DictProxy", (
    "__contains__", "__delitem__", "__getitem__", "__iter__", "__len__", "__setitem__", "clear", "copy",
    "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values", "__eq__", "__ne__",
))
DictProxy.__iter__ = lambda self: iter(self._callmethod("keys"))
ListProxy = _make_proxy("ListProxy", (
    "__add__", "__contains__", "__delitem__", "__getitem__", "__len__", "__mul__", "__reversed__",
    "__rmul__", "__setitem__", "append", "count", "extend", "index", "insert", "pop", "remove",
    "reverse", "sort", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
))
ListProxy.__iter__ = lambda self: iter(self._callmethod("copy"))


def _iadd(self, value):
    self._callmethod("extend", (value,))
    return self


def _imul(self, value):
    self._callmethod("__imul__", (value,))
    return self


ListProxy.__iadd__ = _iadd
ListProxy.__imul__ = _imul


class NamespaceProxy(BaseProxy):
    def __getattr__(self, key):
        if key[0] == "_":
            return object.__getattribute__(self, key)
        return _request(self._server, "getattr", self._id, key)

    def __setattr__(self, key, value):
        if key[0] == "_":
            return object.__setattr__(self, key, value)
        return _request(self._server, "setattr", self._id, key, (value,))

    def __delattr__(self, key):
        if key[0] == "_":
            return object.__delattr__(self, key)
        return _request(self._server, "delattr", self._id, key)


class ValueProxy(BaseProxy):
    def get(self):
        return self._callmethod("get")

    def set(self, value):
        return self._callmethod("set", (value,))

    value = property(get, set)


class _ManagedQueue(Queue):
    """Kernel queues are global: a manager's queue may be pickled anywhere (into Pool tasks…)."""

    def __getstate__(self):
        return (self._id, self._maxsize)


class _ManagedJoinableQueue(JoinableQueue):
    def __getstate__(self):
        return (self._id, self._maxsize)


def _free_state(self):
    sl = self._semlock
    return (sl.handle, sl.kind, sl.maxvalue, sl.name)


class ManagedLock(_sync.Lock):
    __getstate__ = _free_state


class ManagedRLock(_sync.RLock):
    __getstate__ = _free_state


class ManagedSemaphore(_sync.Semaphore):
    __getstate__ = _free_state


class ManagedBoundedSemaphore(_sync.BoundedSemaphore):
    __getstate__ = _free_state


class ManagedCondition(_sync.Condition):
    def __getstate__(self):
        return (self._lock, self._sleeping_count, self._woken_count, self._wait_semaphore)


_FREE = {
    _sync.Lock: ManagedLock,
    _sync.RLock: ManagedRLock,
    _sync.Semaphore: ManagedSemaphore,
    _sync.BoundedSemaphore: ManagedBoundedSemaphore,
    _sync.Condition: ManagedCondition,
}


def _free(obj):
    """Makes a primitive picklable anywhere, like a manager's proxy (CPython's pickle only
    while spawning): the same shared-heap semaphores, in a class without that check."""
    cls = _FREE.get(type(obj))
    if cls is not None:
        obj.__class__ = cls
    if isinstance(obj, _sync.Condition):
        for part in (obj._lock, obj._sleeping_count, obj._woken_count, obj._wait_semaphore):
            _free(part)
    return obj


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
        ev = _sync.Event(ctx=self._ctx)
        _free(ev._cond)
        _free(ev._flag)
        return ev

    def Barrier(self, parties, action=None, timeout=None):
        from .synchronize import Barrier
        barrier = Barrier(parties, action, timeout, ctx=self._ctx)
        _free(barrier._cond)
        return barrier

    def Pool(self, processes=None, initializer=None, initargs=()):
        return self._ctx.Pool(processes, initializer, initargs)
