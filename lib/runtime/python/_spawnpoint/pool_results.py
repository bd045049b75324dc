"""What Pool.apply_async / map_async / imap return. Their results are set by the pool
(`_set`) when the caller pumps the result queue while it waits (`Pool._pump_until`), sleeps
or asks `ready()`, since no result-handler thread does it here; callbacks run then, in the
caller."""
import itertools
import types

from multiprocessing.context import TimeoutError

_job_counter = itertools.count()


class ApplyResult:
    def __init__(self, pool, callback=None, error_callback=None):
        self._pool = pool
        self._job = next(_job_counter)
        self._callback = callback
        self._error_callback = error_callback
        self._done = False
        self._success = None
        self._value = None
        pool._cache[self._job] = self

    def ready(self):
        if not self._done:
            self._pool._pump_ready()
        return self._done

    def successful(self):
        if not self.ready():
            raise ValueError("{0!r} not ready".format(self))
        return self._success

    def wait(self, timeout=None):
        self._pool._pump_until(lambda: self._done, timeout)

    def get(self, timeout=None):
        self.wait(timeout)
        if not self._done:
            raise TimeoutError
        if self._success:
            return self._value
        raise self._value

    def _set(self, i, obj):
        self._success, self._value = obj
        if self._callback and self._success:
            self._callback(self._value)
        if self._error_callback and not self._success:
            self._error_callback(self._value)
        self._done = True
        del self._pool._cache[self._job]

    __class_getitem__ = classmethod(types.GenericAlias)


AsyncResult = ApplyResult


class MapResult(ApplyResult):
    def __init__(self, pool, chunksize, length, callback, error_callback):
        ApplyResult.__init__(self, pool, callback, error_callback=error_callback)
        self._success = True
        self._value = [None] * length
        self._chunksize = chunksize
        if chunksize <= 0:
            self._number_left = 0
            self._done = True
            del pool._cache[self._job]
        else:
            self._number_left = length // chunksize + bool(length % chunksize)

    def _set(self, i, success_result):
        self._number_left -= 1
        success, result = success_result
        if success and self._success:
            self._value[i * self._chunksize:(i + 1) * self._chunksize] = result
            if self._number_left == 0:
                if self._callback:
                    self._callback(self._value)
                del self._pool._cache[self._job]
                self._done = True
        else:
            if not success and self._success:
                self._success = False
                self._value = result
            if self._number_left == 0:
                if self._error_callback:
                    self._error_callback(self._value)
                del self._pool._cache[self._job]
                self._done = True


class IMapIterator:
    def __init__(self, pool):
        self._pool = pool
        self._job = next(_job_counter)
        self._items = {}
        self._unordered = []
        self._index = 0
        self._length = None
        pool._cache[self._job] = self

    def __iter__(self):
        return self

    def _available(self):
        return self._index in self._items

    def next(self, timeout=None):
        self._pool._pump_until(lambda: self._available() or self._index == self._length, timeout)
        if self._available():
            success, value = self._items.pop(self._index)
            self._index += 1
            if success:
                return value
            raise value
        if self._index == self._length:
            self._pool._cache.pop(self._job, None)
            raise StopIteration from None
        raise TimeoutError from None

    __next__ = next

    def _set(self, i, obj):
        self._items[i] = obj

    def _set_length(self, length):
        self._length = length


class IMapUnorderedIterator(IMapIterator):
    def _set(self, i, obj):
        self._items[len(self._items) + self._index] = obj
