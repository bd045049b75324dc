"""concurrent.futures.ProcessPoolExecutor on the thread-free Pool.

Futures complete when the submitting process waits (result(), exception(), as_completed(),
wait(), map()): waiting pumps the pool's result queue. `submit` pickles at once, so an
unpicklable function fails in submit (CPython fails the future instead).
"""
import concurrent.futures as _cf
from concurrent.futures import _base

from .pool import Pool
from .shutdown import uses_util


class _PoolFuture(_base.Future):
    def __init__(self, executor):
        super().__init__()
        self._executor = executor

    def _pump(self, timeout):
        pool = self._executor._pool
        if pool is not None:
            pool._pump_until(self.done, timeout)

    def result(self, timeout=None):
        self._pump(timeout)
        return super().result(timeout=0 if not self.done() else None)

    def exception(self, timeout=None):
        self._pump(timeout)
        return super().exception(timeout=0 if not self.done() else None)


class ProcessPoolExecutor(_base.Executor):
    def __init__(self, max_workers=None, mp_context=None, initializer=None, initargs=(), *, max_tasks_per_child=None):
        uses_util()
        if max_workers is not None and max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        self._max_workers = max_workers
        self._pool_args = (max_workers, initializer, initargs, max_tasks_per_child, mp_context)
        self._pool = None
        self._shutdown = False
        self._futures = set()

    def _get_pool(self):
        if self._pool is None:
            max_workers, initializer, initargs, max_tasks, ctx = self._pool_args
            self._pool = Pool(max_workers, initializer, initargs, max_tasks, context=ctx)
        return self._pool

    def submit(self, fn, /, *args, **kwargs):
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        pool = self._get_pool()
        f = _PoolFuture(self)

        def ok(value):
            if f.set_running_or_notify_cancel():
                f.set_result(value)

        def fail(exc):
            if f.set_running_or_notify_cancel():
                f.set_exception(exc)

        pool.apply_async(fn, args, kwargs, callback=ok, error_callback=fail)
        self._futures.add(f)
        return f

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._shutdown = True
        if self._pool is None:
            return
        if cancel_futures:
            for f in self._futures:
                f.cancel()
        if wait:
            self._pool.close()
            self._pool.join()
        else:
            self._pool.terminate()


_orig_as_completed = _cf.as_completed
_orig_wait = _cf.wait


def _pump_any(fs, timeout):
    pending = [f for f in fs if isinstance(f, _PoolFuture) and not f.done()]
    if pending:
        pending[0]._executor._pool._pump_until(lambda: any(f.done() for f in pending), timeout)


def as_completed(fs, timeout=None):
    import time
    fs = set(fs)
    deadline = None if timeout is None else time.monotonic() + timeout
    done = set()
    while len(done) < len(fs):
        for f in fs - done:
            if f.done():
                done.add(f)
                yield f
        if len(done) == len(fs):
            return
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise TimeoutError("%d (of %d) futures unfinished" % (len(fs) - len(done), len(fs)))
        _pump_any(fs - done, remaining)


def wait(fs, timeout=None, return_when=_cf.ALL_COMPLETED):
    import time
    fs = set(fs)
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        done = {f for f in fs if f.done()}
        not_done = fs - done
        if not not_done:
            break
        if return_when == _cf.FIRST_COMPLETED and done:
            break
        if return_when == _cf.FIRST_EXCEPTION and any(not f.cancelled() and f.exception(0) is not None for f in done):
            break
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            break
        _pump_any(not_done, remaining)
    return _cf.DoneAndNotDoneFutures(done, fs - done)
