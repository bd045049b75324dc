"""multiprocessing.Barrier with its state in the shared heap (CPython keeps it in an mmap'd BufferWrapper)."""
from multiprocessing import synchronize

from .sharedctypes import RawArray


class Barrier(synchronize.Barrier):
    def __init__(self, parties, action=None, timeout=None, *, ctx):
        cond = ctx.Condition()
        self.__setstate__((parties, action, timeout, cond, RawArray("i", 2)))
        self._state = 0
        self._count = 0

    def __setstate__(self, state):
        (self._parties, self._action, self._timeout, self._cond, self._wrapper) = state
        self._array = self._wrapper
