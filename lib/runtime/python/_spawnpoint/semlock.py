"""`_multiprocessing.SemLock` backed by the shared heap.

The value word lives in a SharedArrayBuffer every worker maps; acquire/release are one
FFI call each doing a CAS (the uncontended fast path never leaves the worker). Only a
process that must wait parks in Atomics.wait, and tells the kernel for the event stream.
"""
import operator
import sys

import _spawnpoint_js as _js

from . import call
from .signals import raise_pending

RECURSIVE_MUTEX = 0
SEMAPHORE = 1
SEM_VALUE_MAX = 2147483647

_acquire = _js.sem_acquire
_try = _js.sem_try
_release = _js.sem_release
_value = _js.sem_value


def _bad_acquire(extra, kwds):
    """The C method's argument errors (acquire(blocking=False), as threading's Lock takes it)."""
    for name in kwds:
        if name not in ("block", "timeout"):
            raise TypeError("'%s' is an invalid keyword argument for acquire()" % name)
    raise TypeError("acquire() takes at most 2 arguments (%d given)" % (2 + len(extra) + len(kwds)))


def _seconds(timeout):
    """A timeout as the C method reads it (PyFloat_AsDouble)."""
    try:
        return operator.index(timeout) if not hasattr(timeout, "__float__") else float(timeout)
    except TypeError:
        raise TypeError("must be real number, not %s" % type(timeout).__name__) from None


class SemLock:
    SEM_VALUE_MAX = SEM_VALUE_MAX

    def __init__(self, kind, value, maxvalue, name=None, unlink=True):
        from .shutdown import uses_util  # not at the top: this module is imported before multiprocessing
        uses_util()
        # As the C type's arguments: C ints, then the kind, then what sem_open refuses.
        for n in (kind, value, maxvalue):
            if not -0x80000000 <= operator.index(n) <= 0x7FFFFFFF:
                raise OverflowError("Python int too large to convert to C int")
        if kind not in (RECURSIVE_MUTEX, SEMAPHORE):
            raise ValueError("unrecognized kind")
        if value < 0 or value > SEM_VALUE_MAX:
            from .linux_errno import error
            raise error(22, "Invalid argument")
        maxvalue = min(maxvalue, SEM_VALUE_MAX)
        role = _role() if kind == SEMAPHORE and maxvalue != 1 else ""
        handle = call("sem_create", kind=kind, value=value, maxvalue=maxvalue, role=role)
        self._init(handle, kind, maxvalue)

    def _init(self, handle, kind, maxvalue):
        self.handle = handle
        self.kind = kind
        self.maxvalue = maxvalue
        # Named semaphores need a resource tracker process; ours are anonymous (like unlink_now).
        self.name = None
        self._cnt = 0
        # Holds of this process (a count): a new one starts each time it acquires it anew.
        self._holds = 0
        self._label = ("rlock#%d" if kind == RECURSIVE_MUTEX else "lock#%d" if maxvalue == 1 else "semaphore#%d") % handle

    @classmethod
    def _rebuild(cls, handle, kind, maxvalue, name):
        self = cls.__new__(cls)
        self._init(handle, kind, maxvalue)
        return self

    def acquire(self, block=True, timeout=None, *extra, **kwds):
        if extra or kwds:
            _bad_acquire(extra, kwds)
        if timeout is not None and not isinstance(timeout, (int, float)):
            timeout = _seconds(timeout)
        if self._cnt > 0 and self.kind == RECURSIVE_MUTEX:
            self._cnt += 1
            return True
        if _try(self.handle):
            self._cnt += 1
            self._holds += 1
            return True
        if not block:
            ms = 0
        elif timeout is None:
            ms = -1
        else:
            ms = max(0.0, timeout) * 1000.0
        r = _acquire(self.handle, block, ms, self._label)
        if r == 1:
            self._cnt += 1
            self._holds += 1
            return True
        if r < 0:
            raise_pending()
        return False

    def release(self, *args):
        if args:
            raise TypeError("SemLock.release() takes no arguments (%d given)" % len(args))
        if self.kind == RECURSIVE_MUTEX:
            if self._cnt <= 0:
                raise AssertionError("attempt to release recursive lock not owned by thread")
            if self._cnt > 1:
                self._cnt -= 1
                return
            # Owned here, so the post cannot fail (CPython checks no value for an RLock).
            _release(self.handle, 1, True)
        elif _release(self.handle, self.maxvalue) < 0:
            raise ValueError("semaphore or lock released too many times")
        self._cnt -= 1

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *args):
        self.release()

    def _count(self):
        return max(0, self._cnt)

    def _is_mine(self):
        return self._cnt > 0

    def _get_value(self):
        return _value(self.handle)

    def _is_zero(self):
        return _value(self.handle) == 0

    def _after_fork(self):
        self._cnt = 0


def _role():
    """What this semaphore is part of ("event", "condition", "barrier"), so that a deadlock
    diagnosis says "waits for Event #1" rather than naming one of its inner semaphores.
    Creation only (not a hot path): the outermost synchronize object among the callers."""
    from multiprocessing import synchronize as s

    role = ""
    f = sys._getframe(2)
    for _ in range(8):
        if f is None:
            break
        me = f.f_locals.get("self")
        if isinstance(me, s.Event):
            role = "event"
        elif isinstance(me, s.Barrier):
            role = "barrier"
        elif isinstance(me, s.Condition) and not role:
            role = "condition"
        f = f.f_back
    return role


def sem_unlink(name):
    pass


flags = {}
