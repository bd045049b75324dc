"""What a SyncManager hands out without asking its server: the kernel already shares locks,
queues, semaphores and conditions between processes, so the manager gives out those objects,
made picklable anywhere (into Pool tasks, through queues) as its proxies are."""
import copyreg

from multiprocessing import synchronize as _sync

from .queues import JoinableQueue, Queue


class _ManagedQueue(Queue):
    """Kernel queues are global: a manager's queue may be pickled anywhere (into Pool tasks…)."""

    def __getstate__(self):
        return (self._id, self._maxsize)


class _ManagedJoinableQueue(JoinableQueue):
    def __getstate__(self):
        return (self._id, self._maxsize)


def _proxy_repr(proxytype, typeid):
    """The repr of the proxy CPython's manager would hand out for this object."""
    def __repr__(self):
        return "<%s object, typeid %r at %#x>" % (proxytype, typeid, id(self))
    return __repr__


_ManagedQueue.__repr__ = _proxy_repr("AutoProxy[Queue]", "Queue")
_ManagedJoinableQueue.__repr__ = _proxy_repr("AutoProxy[JoinableQueue]", "JoinableQueue")


def _free_state(self):
    sl = self._semlock
    return (sl.handle, sl.kind, sl.maxvalue, sl.name)


def _server_error(cls, caught, raised, text):
    """release() as the manager's server reports it: its object is a threading primitive, whose
    errors differ from a multiprocessing one's."""
    def _make_methods(self):
        # SemLock binds release on the instance (here and when unpickled).
        super(cls, self)._make_methods()
        semlock_release = self.release

        def release():
            try:
                return semlock_release()
            except caught:
                raise raised(text) from None
        self.release = release
    cls._make_methods = _make_methods


class ManagedLock(_sync.Lock):
    __getstate__ = _free_state
    __repr__ = _proxy_repr("AcquirerProxy", "Lock")


class ManagedRLock(_sync.RLock):
    __getstate__ = _free_state
    __repr__ = _proxy_repr("AcquirerProxy", "RLock")


_server_error(ManagedLock, ValueError, RuntimeError, "release unlocked lock")
_server_error(ManagedRLock, AssertionError, RuntimeError, "cannot release un-acquired lock")


class ManagedSemaphore(_sync.Semaphore):
    __getstate__ = _free_state
    __repr__ = _proxy_repr("AcquirerProxy", "Semaphore")


class ManagedBoundedSemaphore(_sync.BoundedSemaphore):
    __getstate__ = _free_state
    __repr__ = _proxy_repr("AcquirerProxy", "BoundedSemaphore")


_server_error(ManagedBoundedSemaphore, ValueError, ValueError, "Semaphore released too many times")


class ManagedCondition(_sync.Condition):
    def __getstate__(self):
        return (self._lock, self._sleeping_count, self._woken_count, self._wait_semaphore)

    __repr__ = _proxy_repr("ConditionProxy", "Condition")


class ManagedEvent(_sync.Event):
    __repr__ = _proxy_repr("EventProxy", "Event")


_FREE = {
    _sync.Lock: ManagedLock,
    _sync.RLock: ManagedRLock,
    _sync.Semaphore: ManagedSemaphore,
    _sync.BoundedSemaphore: ManagedBoundedSemaphore,
    _sync.Condition: ManagedCondition,
}


def _callmethod(self, methodname, args=(), kwds={}):
    """BaseProxy._callmethod: the method by its name (the object is here, not in a server)."""
    return getattr(self, methodname)(*args, **kwds)


_MANAGED = {}


def _rebuild_managed(key, state):
    cls = _MANAGED[key]
    obj = cls.__new__(cls)
    if hasattr(obj, "__setstate__"):
        obj.__setstate__(state)
    else:
        obj.__dict__.update(state)
    return obj


class _Anywhere:
    """A RawValue/RawArray in a managed object's state, which a proxy may pickle at any time
    (a plain one pickles only while a process starts, as in CPython): unpickled as itself."""

    def __init__(self, raw):
        self.raw = raw

    def __reduce__(self):
        return self.raw._reduce_anywhere()


def _reduce_managed(obj):
    state = obj.__getstate__()
    if isinstance(state, tuple):
        state = tuple(_Anywhere(s) if hasattr(s, "_reduce_anywhere") else s for s in state)
    return _rebuild_managed, (obj._managed_key, state)


def as_proxy(cls, name, str_):
    """What CPython's manager hands out is a proxy: its class's name and module, `_callmethod`,
    and str() the server's object's repr (a threading primitive's, or a queue.Queue's). Pickled
    through this module, not by that name (which is CPython's class)."""
    key = cls.__qualname__
    cls.__name__ = cls.__qualname__ = name
    cls.__module__ = "multiprocessing.managers"
    cls._callmethod = _callmethod
    cls.__str__ = str_
    cls._managed_key = key
    _MANAGED[key] = cls
    copyreg.pickle(cls, _reduce_managed)


def _no_get_value(self):
    raise AttributeError("%r object has no attribute 'get_value'" % type(self).__name__)


def _rlock_str(lock):
    sl = lock._semlock
    if not sl._is_zero():
        return "<unlocked _thread.RLock object owner=0 count=0 at %#x>" % id(lock)
    import threading
    mine = sl._is_mine()
    return "<locked _thread.RLock object owner=%d count=%d at %#x>" % (
        threading.get_ident() if mine else 1, sl._count() if mine else 1, id(lock))


def _cond_str(self):
    waiters = self._sleeping_count._semlock._get_value() - self._woken_count._semlock._get_value()
    inner = _rlock_str(self._lock) if isinstance(self._lock, _sync.RLock) else str(self._lock)
    return "<Condition(%s, %d)>" % (inner, waiters)


def _cond_errors(method, text):
    """threading.Condition's RuntimeError where multiprocessing's raises AssertionError."""
    def call(self, *args, **kwds):
        try:
            return method(self, *args, **kwds)
        except AssertionError:
            raise RuntimeError(text) from None
    call.__name__ = method.__name__
    return call


as_proxy(ManagedLock, "AcquirerProxy", lambda self: "<%s _thread.lock object at %#x>" % (
    "locked" if self._semlock._is_zero() else "unlocked", id(self)))
as_proxy(ManagedRLock, "AcquirerProxy", _rlock_str)
as_proxy(ManagedSemaphore, "AcquirerProxy", lambda self: "<threading.Semaphore at %#x: value=%d>" % (
    id(self), self._semlock._get_value()))
as_proxy(ManagedBoundedSemaphore, "AcquirerProxy", lambda self: "<threading.BoundedSemaphore at %#x: value=%d/%d>" % (
    id(self), self._semlock._get_value(), self._semlock.maxvalue))
ManagedSemaphore.get_value = ManagedBoundedSemaphore.get_value = property(_no_get_value)
as_proxy(ManagedCondition, "ConditionProxy", _cond_str)
ManagedCondition.wait = _cond_errors(_sync.Condition.wait, "cannot wait on un-acquired lock")
ManagedCondition.notify = _cond_errors(_sync.Condition.notify, "cannot notify on un-acquired lock")
ManagedCondition.notify_all = _cond_errors(_sync.Condition.notify_all, "cannot notify on un-acquired lock")
as_proxy(ManagedEvent, "EventProxy", lambda self: "<threading.Event at %#x: %s>" % (id(self), "set" if self.is_set() else "unset"))
as_proxy(_ManagedQueue, "AutoProxy[Queue]", lambda self: "<queue.Queue object at %#x>" % id(self))
as_proxy(_ManagedJoinableQueue, "AutoProxy[JoinableQueue]", lambda self: "<queue.Queue object at %#x>" % id(self))


def _free(obj):
    """Makes a primitive picklable anywhere, like a manager's proxy (CPython's pickle only
    while spawning): the same shared-heap semaphores, in a class without that check."""
    cls = _FREE.get(type(obj))
    if cls is not None:
        obj.__class__ = cls
    if type(obj) is _sync.Event:
        obj.__class__ = ManagedEvent
        _free(obj._cond)
        _free(obj._flag)
    if isinstance(obj, _sync.Condition):
        for part in (obj._lock, obj._sleeping_count, obj._woken_count, obj._wait_semaphore):
            _free(part)
    return obj
