"""What a SyncManager hands out without asking its server: the kernel already shares locks,
queues, semaphores and conditions between processes, so the manager gives out those objects,
made picklable anywhere (into Pool tasks, through queues) as its proxies are."""
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
