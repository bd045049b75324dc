"""multiprocessing.Barrier with its state in the shared heap (CPython keeps it in an mmap'd BufferWrapper)."""
from multiprocessing import synchronize

from .sharedctypes import RawArray


class Barrier(synchronize.Barrier):
    """While this process holds the condition's lock, `_state` and `_count` are read once per
    hold and then kept here: the Barrier writes them only under that lock, so no other process
    changes them meanwhile (writes still go to the heap at once). In relay mode each heap read
    is a round trip to the host, and a wait reads them about ten times."""

    _held = None  # (the lock's hold it was read in, {index: value})
    __module__ = "multiprocessing.synchronize"

    def __init__(self, parties, action=None, timeout=None, *, ctx):
        cond = ctx.Condition()
        self.__setstate__((parties, action, timeout, cond, RawArray("i", 2)))
        self._state = 0
        self._count = 0

    def __setstate__(self, state):
        (self._parties, self._action, self._timeout, self._cond, self._wrapper) = state
        self._array = self._wrapper

    def _words(self):
        lock = self._cond._lock._semlock
        if lock._cnt <= 0:
            return None
        held = self._held
        if held is None or held[0] != lock._holds:
            held = self._held = (lock._holds, {})
        return held[1]

    def _get(self, i):
        words = self._words()
        if words is None:
            return self._array[i]
        if i not in words:
            words[i] = self._array[i]
        return words[i]

    def _put(self, i, value):
        self._array[i] = value
        words = self._words()
        if words is not None:
            words[i] = value

    @property
    def _state(self):
        return self._get(0)

    @_state.setter
    def _state(self, value):
        self._put(0, value)

    @property
    def _count(self):
        return self._get(1)

    @_count.setter
    def _count(self, value):
        self._put(1, value)


def _barrier_str(self):
    # The server's threading.Barrier, as a manager's proxy shows it.
    if self.broken:
        return "<threading.Barrier at %#x: broken>" % id(self)
    return "<threading.Barrier at %#x: waiters=%d/%d>" % (id(self), self.n_waiting, self.parties)


class ManagedBarrier(Barrier):
    """A manager's Barrier (this one shares its state itself), shown as its BarrierProxy."""


def _install():
    from multiprocessing import synchronize as mp_synchronize
    from .manager_shared import _proxy_repr, as_proxy
    # Pickled by name: multiprocessing.synchronize.Barrier is this one.
    mp_synchronize.Barrier = Barrier
    ManagedBarrier.__repr__ = _proxy_repr("BarrierProxy", "Barrier")
    as_proxy(ManagedBarrier, "BarrierProxy", _barrier_str)


_install()

