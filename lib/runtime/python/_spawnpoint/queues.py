"""multiprocessing.Queue / SimpleQueue / JoinableQueue on kernel message queues.

CPython buffers `put` in a feeder thread; Pyodide has no threads, so an unbounded put is
a fire-and-forget message to the kernel (it returns at once, like the feeder's buffer),
and a bounded put waits in the kernel while the queue is full.
"""
import queue as _queue  # noqa: F401  (queue.Empty / queue.Full are what callers catch)
import types

from multiprocessing import context
from multiprocessing.reduction import ForkingPickler

from . import call, call_bytes, post, timeout_ms


class Queue:
    def __init__(self, maxsize=0, *, ctx=None):
        if maxsize <= 0:
            maxsize = 0
        self._maxsize = maxsize
        self._id = call("queue_create", maxsize=maxsize)
        self._closed = False

    def __getstate__(self):
        context.assert_spawning(self)
        return (self._id, self._maxsize)

    def __setstate__(self, state):
        self._id, self._maxsize = state
        self._closed = False

    def __repr__(self):
        return "<%s.%s object at %#x>" % (type(self).__module__, type(self).__qualname__, id(self))

    def _check_closed(self):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")

    def put(self, obj, block=True, timeout=None):
        self._check_closed()
        data = bytes(ForkingPickler.dumps(obj))
        if self._maxsize == 0:
            post("queue_put", data, id=self._id, block=True)
        else:
            call("queue_put", data, id=self._id, block=bool(block), timeoutMs=timeout_ms(timeout))

    def get(self, block=True, timeout=None):
        self._check_closed()
        data = call_bytes("queue_get", id=self._id, block=bool(block), timeoutMs=timeout_ms(timeout))
        return ForkingPickler.loads(data)

    def put_nowait(self, obj):
        return self.put(obj, False)

    def get_nowait(self):
        return self.get(False)

    def qsize(self):
        return call("queue_qsize", id=self._id)

    def empty(self):
        return self.qsize() == 0

    def full(self):
        return self._maxsize > 0 and self.qsize() >= self._maxsize

    def close(self):
        self._closed = True

    def join_thread(self):
        pass

    def cancel_join_thread(self):
        pass

    __class_getitem__ = classmethod(types.GenericAlias)


class JoinableQueue(Queue):
    def task_done(self):
        call("queue_task_done", id=self._id)

    def join(self):
        call("queue_join", id=self._id)


class SimpleQueue:
    def __init__(self, *, ctx=None):
        self._id = call("queue_create", maxsize=0)
        self._closed = False

    def __getstate__(self):
        context.assert_spawning(self)
        return self._id

    def __setstate__(self, state):
        self._id = state
        self._closed = False

    def put(self, obj):
        post("queue_put", bytes(ForkingPickler.dumps(obj)), id=self._id, block=True)

    def get(self):
        return ForkingPickler.loads(call_bytes("queue_get", id=self._id, block=True, timeoutMs=None))

    def empty(self):
        return call("queue_qsize", id=self._id) == 0

    def close(self):
        self._closed = True

    __class_getitem__ = classmethod(types.GenericAlias)
