"""The client side of a SyncManager: proxies that forward each call, as one request on the
server's kernel queue, to the object the manager's process owns (dict, list, Namespace,
Value), and wait for the reply on this process's own reply queue."""
import collections.abc
import types

from multiprocessing.reduction import ForkingPickler

from . import call, call_bytes, post, tracebacks

_reply_queues = {}
# Servers this process shut down: a proxy's call to one fails as a call over the closed
# connection does in CPython (elsewhere it would wait for a reply that never comes).
_shut_down = set()


def _reply_qid():
    import os
    pid = os.getpid()
    qid = _reply_queues.get(pid)
    if qid is None:
        qid = _reply_queues[pid] = call("queue_create", maxsize=0)
    return qid


def _request(server_qid, op, oid=None, name=None, args=(), kwds=None):
    if server_qid in _shut_down:
        from .linux_errno import error
        raise error(32, "Broken pipe")
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
        if self._typeid == "Array":
            return self._callmethod("__copy__")
        return self._callmethod("copy") if self._typeid in ("dict", "list") else None

    def __reduce__(self):
        # By name through this module: the class's own name is CPython's (multiprocessing.managers).
        return _rebuild_proxy, (type(self).__name__, self._server, self._id, self._typeid)

    def __repr__(self):
        return "<%s object, typeid %r at %#x>" % (type(self).__name__, self._typeid, id(self))

    def __str__(self):
        return self._callmethod("__repr__")


def _make_proxy(name, exposed):
    # As CPython's MakeProxyType: each method exec'd from a string, so a traceback through it
    # shows `File "<string>", line 2, in __getitem__` as CPython's does.
    dic = {}
    for meth in exposed:
        exec('''def %s(self, /, *args, **kwds):
        return self._callmethod(%r, args, kwds)''' % (meth, meth), dic)
    dic["_exposed_"] = tuple(exposed)
    return type(name, (BaseProxy,), dic)


# CPython's exposed methods: no comparisons (a proxy equals only itself, as in CPython).
DictProxy = _make_proxy("DictProxy", (
    "__contains__", "__delitem__", "__getitem__", "__ior__", "__iter__", "__len__", "__or__",
    "__reversed__", "__ror__", "__setitem__", "clear", "copy", "fromkeys", "get", "items", "keys",
    "pop", "popitem", "setdefault", "update", "values",
))
ListProxy = _make_proxy("ListProxy", (
    "__add__", "__contains__", "__delitem__", "__getitem__", "__imul__", "__len__", "__mul__",
    "__reversed__", "__rmul__", "__setitem__", "append", "clear", "copy", "count", "extend", "index",
    "insert", "pop", "remove", "reverse", "sort",
))

ArrayProxy = _make_proxy("ArrayProxy", ("__len__", "__getitem__", "__setitem__"))


class IteratorProxy(BaseProxy):
    """An iterator the server holds (CPython's typeid 'Iterator'): each next() asks it, so
    it sees changes made meanwhile, and a dict changed in size raises RuntimeError."""
    _exposed_ = ("__next__", "send", "throw", "close")

    def __iter__(self):
        return self

    def __next__(self, *args):
        return self._callmethod("__next__", args)

    def send(self, *args):
        return self._callmethod("send", args)

    def throw(self, *args):
        return self._callmethod("throw", args)

    def close(self, *args):
        return self._callmethod("close", args)


def _iter(self):
    # The server keeps the iterator and answers with its id.
    return IteratorProxy(self._server, self._callmethod("__iter__"), "Iterator")


# A ListProxy has no __iter__, as in CPython: iter() falls back to __getitem__ per index.
DictProxy.__iter__ = _iter


def _iadd(self, value):
    self._callmethod("extend", (value,))
    return self


def _imul(self, value):
    self._callmethod("__imul__", (value,))
    return self


def _ior(self, value):
    self._callmethod("__ior__", (value,))
    return self


ListProxy.__iadd__ = _iadd
ListProxy.__imul__ = _imul
DictProxy.__ior__ = _ior
for _proxy in (DictProxy, ListProxy):
    _proxy.__class_getitem__ = classmethod(types.GenericAlias)
collections.abc.MutableSequence.register(ListProxy)
collections.abc.MutableMapping.register(DictProxy)


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


# type(proxy) shows CPython's class (multiprocessing.managers.DictProxy).
_PROXY_TYPES = {cls.__name__: cls for cls in (BaseProxy, DictProxy, ListProxy, ArrayProxy, IteratorProxy, NamespaceProxy, ValueProxy)}
for _cls in _PROXY_TYPES.values():
    _cls.__module__ = "multiprocessing.managers"


def _rebuild_proxy(name, *args):
    return _PROXY_TYPES[name](*args)


# A call the manager's object raised in: the traceback ends where CPython's proxy re-raises it.
_RERAISE = ("multiprocessing.managers", "BaseProxy._callmethod", "raise convert_to_error(kind, result)",
            "raise convert_to_error(kind, result)")
tracebacks.stand_in(BaseProxy._callmethod.__code__, lambda frame, statement: _RERAISE)


def _namespace_frames(attribute, call):
    return lambda frame, statement: [
        ("multiprocessing.managers", "NamespaceProxy." + attribute, "return " + call, call), _RERAISE,
    ] if statement.startswith("return _request(") else None


tracebacks.stand_in(NamespaceProxy.__getattr__.__code__, _namespace_frames("__getattr__", "callmethod('__getattribute__', (key,))"))
tracebacks.stand_in(NamespaceProxy.__setattr__.__code__, _namespace_frames("__setattr__", "callmethod('__setattr__', (key, value))"))
tracebacks.stand_in(NamespaceProxy.__delattr__.__code__, _namespace_frames("__delattr__", "callmethod('__delattr__', (key,))"))
