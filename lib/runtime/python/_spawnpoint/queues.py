"""multiprocessing.Queue / SimpleQueue / JoinableQueue on shared-memory rings.

A queue is a ring in the shared heap (lib/kernel/shared-heap.ts): put and get copy pickled
bytes in and out with one FFI call each and wake the other side directly, without a trip
through the kernel thread. Items bigger than the ring travel as kernel blobs referenced
from it (order is kept).

The ring plays CPython's pipe: it holds 64 KiB of pickled items. Queue.put, like CPython's,
never waits for the pipe: what does not fit stays in this process's backlog (the feeder
thread's buffer, kept by the JS side and moved into the ring whenever this process touches
a queue or waits), and at exit the process waits until its backlog is in the pipe, so
joining a child before draining what it put can deadlock, as in CPython.
cancel_join_thread() skips that wait. SimpleQueue.put writes straight to the pipe and
waits when it is full, like CPython's.
"""
import queue as _queue
import types

import _spawnpoint_js as _js

from multiprocessing import context
from multiprocessing.reduction import ForkingPickler
from pyodide.ffi import to_js as _to_js

from . import call, call_bytes, tracebacks
from .semlock import SEM_VALUE_MAX as _SEM_VALUE_MAX  # a Queue's bound when made without one, as CPython's
from .signals import raise_pending

# The ring calls' results (lib/runtime/worker/ring.ts), from the FFI table.
_OK, _BLOB, _AGAIN, _TOO_BIG = _js.RING_OK, _js.RING_BLOB, _js.RING_AGAIN, _js.RING_TOO_BIG

_ring_put = _js.ring_put
_ring_bytes = _js.ring_bytes
_ring_blob = _js.ring_blob
_ring_size = _js.ring_size
_loads = ForkingPickler.loads
_PLAIN = frozenset((int, float, str, bytes, bool, type(None)))
_pickle_dumps = __import__("pickle").dumps


def _dumps(obj):
    # Plain values need none of ForkingPickler's reducers: skip building a pickler per item.
    if type(obj) in _PLAIN:
        return _pickle_dumps(obj, -1)
    return bytes(ForkingPickler.dumps(obj))


def _ms(block, timeout):
    if not block:
        return 0
    if timeout is None:
        return -1
    return max(0.0, float(timeout)) * 1000.0


_ring_put_text = _js.ring_put_text
_ring_get_text = _js.ring_get_text
_TEXT_MAX = 4096


_ring_feed = _js.ring_feed
_ring_feed_text = _js.ring_feed_text


def _write(put_text, put, base, label, data, block, timeout, unbounded=False):
    """Queue.put (put = the feeder's ring_feed) and SimpleQueue.put (ring_put) of a pickle:
    small ones cross the FFI as latin-1 text, bigger ones as bytes, and what the ring cannot
    hold at all as a kernel blob referenced from it. `unbounded`: a feed into a queue without
    maxsize, which cannot wait or be full (relay mode posts it without waiting for an answer)."""
    ms = _ms(block, timeout)
    if len(data) <= _TEXT_MAX:
        r = put_text(base, data.decode("latin-1"), block, ms, label, unbounded)
    else:
        r = put(base, _to_js(data), 0, 0, block, ms, label)
    if r == _TOO_BIG:
        r = put(base, None, call("blob_put", data), len(data), block, ms, label)
    if r == _OK:
        return
    if r == _AGAIN:
        raise _queue.Full
    if r == _js.RING_NO_MEMORY:
        raise MemoryError("Queue.put: this process's unsent items fill its feeder buffer (128 MiB)")
    raise_pending()


def _put(base, label, obj, block, timeout):
    _write(_ring_put_text, _ring_put, base, label, _dumps(obj), block, timeout)


def _feed(base, label, data, block, timeout, unbounded):
    _write(_ring_feed_text, _ring_feed, base, label, data, block, timeout, unbounded)


def _taken(r):
    """The item bytes a ring get returned: a latin-1 string, or OK / BLOB (fetch them); None for another result."""
    if type(r) is str:
        return r.encode("latin-1")
    if r == _OK:
        return _ring_bytes().to_bytes()
    if r == _BLOB:
        return call_bytes("blob_take", id=_ring_blob())
    return None


def _get(base, label, block, timeout):
    r = _ring_get_text(base, block, _ms(block, timeout), label)
    data = _taken(r)
    if data is not None:
        return _loads(data)
    if r == _AGAIN:
        raise _queue.Empty
    raise_pending()


class Queue:
    def __init__(self, maxsize=0, *, ctx=None):
        if maxsize <= 0:
            maxsize = _SEM_VALUE_MAX
        elif maxsize > _SEM_VALUE_MAX:
            raise OverflowError("Python int too large to convert to C int")  # its semaphore's C int
        self._maxsize = maxsize
        self._id = call("ring_create", maxsize=0 if maxsize == _SEM_VALUE_MAX else maxsize)
        self._closed = False
        self._label = "queue#%d" % self._id

    def __getstate__(self):
        context.assert_spawning(self)
        return (self._id, self._maxsize)

    def __setstate__(self, state):
        self._id, self._maxsize = state
        self._closed = False
        self._label = "queue#%d" % self._id

    def __repr__(self):
        return "<%s.%s object at %#x>" % (type(self).__module__, type(self).__qualname__, id(self))

    def _check_closed(self):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")

    def put(self, obj, block=True, timeout=None):
        self._check_closed()
        try:
            data = _dumps(obj)
        except Exception as e:
            # CPython pickles in the feeder thread: put() returns, the item is dropped and
            # the hook reports the error.
            self._on_queue_feeder_error(e, obj)
            return
        _feed(self._id, self._label, data, block, timeout, self._maxsize == _SEM_VALUE_MAX)

    def get(self, block=True, timeout=None):
        self._check_closed()
        return _get(self._id, self._label, block, timeout)

    def put_nowait(self, obj):
        return self.put(obj, False)

    def get_nowait(self):
        return self.get(False)

    def qsize(self):
        return _ring_size(self._id)

    def empty(self):
        # CPython polls the pipe: items still in a feeder's buffer do not count.
        return _js.ring_in_pipe(self._id) == 0

    def full(self):
        return self.qsize() >= self._maxsize

    def close(self):
        self._closed = True

    def join_thread(self):
        assert self._closed, "Queue {0!r} not closed".format(self)
        if _js.ring_flush(self._id) < 0:
            raise_pending()

    def cancel_join_thread(self):
        _js.ring_cancel(self._id)

    @staticmethod
    def _on_queue_feeder_error(e, obj):
        """Called when an item put() cannot be pickled; subclasses override it (as
        concurrent.futures does). CPython's prints the traceback."""
        import traceback
        traceback.print_exc()

    __class_getitem__ = classmethod(types.GenericAlias)


class JoinableQueue(Queue):
    def task_done(self):
        if _js.ring_task_done(self._id) < 0:
            raise ValueError("task_done() called too many times")

    def join(self):
        if _js.ring_join(self._id, self._label) < 0:
            raise_pending()


class SimpleQueue:
    def __init__(self, *, ctx=None):
        self._id = call("ring_create", maxsize=0)
        self._closed = False
        self._label = "queue#%d" % self._id

    def __getstate__(self):
        context.assert_spawning(self)
        return self._id

    def __setstate__(self, state):
        self._id = state
        self._closed = False
        self._label = "queue#%d" % self._id

    def _check_closed(self):
        # CPython's SimpleQueue.close() closes its pipe's two ends: a later call uses a closed one.
        if self._closed:
            raise OSError("handle is closed")

    def put(self, obj):
        self._check_closed()
        _put(self._id, self._label, obj, True, None)

    def get(self):
        self._check_closed()
        return _get(self._id, self._label, True, None)

    def _get_timeout(self, timeout):
        return _get(self._id, self._label, True, timeout)

    def _feed(self, obj):
        """put() through this process's feeder backlog, which never waits for room (Pool's
        task handler thread does this in CPython): the items flow into the pipe, in order,
        as readers make room."""
        _feed(self._id, self._label, _dumps(obj), True, None, True)

    def _hold_feed(self):
        """What this process feeds waits until it next waits (see Rings.hold): a Pool's tasks."""
        _js.ring_hold(self._id)

    def _cancel_feed(self):
        """The exit does not wait for what is still in the backlog (a terminated Pool's tasks)."""
        _js.ring_cancel(self._id)

    def empty(self):
        self._check_closed()
        return _ring_size(self._id) == 0

    def close(self):
        self._closed = True

    __class_getitem__ = classmethod(types.GenericAlias)


# An item put() could not pickle: its traceback starts where CPython's feeder thread pickles.
tracebacks.stand_in(Queue.put.__code__, lambda frame, statement: (
    "multiprocessing.queues", "Queue._feed", "obj = _ForkingPickler.dumps(obj)", "_ForkingPickler.dumps(obj)")
    if statement == "data = _dumps(obj)" else [])


def flush_at_exit():
    """The exit's wait for every Queue's feeder (CPython joins the feeder threads)."""
    if _js.ring_flush(-1) < 0:
        raise_pending()
