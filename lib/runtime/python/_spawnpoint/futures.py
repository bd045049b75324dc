"""concurrent.futures.ProcessPoolExecutor on the thread-free Pool (installed as
concurrent.futures.process).

CPython's executor has a management thread: it moves up to max_workers + 1 work items into the
call queue (they become RUNNING; the rest stay PENDING and can be cancelled), takes results off
the result queue as they come (futures finish, their callbacks run), and marks the pool broken
when a worker dies. Here the submitting process does that work whenever it looks: waiting
(result(), exception(), as_completed(), wait(), map(), shutdown()), asking (done(), running(),
cancel(), cancelled()) and sleeping (time.sleep; see pool.py's background pumping).
"""
import collections
import itertools
import os
import concurrent.futures as _cf
from functools import partial
from concurrent.futures import _base
from multiprocessing import util
from traceback import format_exception

from .pool import Pool
from .shutdown import uses_util

# As CPython: the work items beyond the workers' own that are moved to the call queue (RUNNING).
EXTRA_QUEUED_CALLS = 1


class BrokenProcessPool(_base.BrokenExecutor):
    """
    Raised when a process in a ProcessPoolExecutor terminated abruptly
    while a future was in the running state.
    """


class _RemoteTraceback(Exception):
    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


class _ExceptionWithTraceback:
    def __init__(self, exc, tb):
        tb = "".join(format_exception(type(exc), exc, tb))
        self.exc = exc
        # The traceback's frames hold everything in the exception's scope.
        self.exc.__traceback__ = None
        self.tb = '\n"""\n%s"""' % tb

    def __reduce__(self):
        return _rebuild_exc, (self.exc, self.tb)


def _process_chunk(fn, chunk):
    return [fn(*args) for args in chunk]


def _chain_from_iterable_of_lists(iterable):
    for element in iterable:
        element.reverse()
        while element:
            yield element.pop()


def _rebuild_exc(exc, tb):
    exc.__cause__ = _RemoteTraceback(tb)
    return exc


class _ExecutorPool(Pool):
    """The executor's workers: SpawnProcess-N, not daemonic, wrapping a task's exception with
    this module's _RemoteTraceback (CPython's _process_worker)."""
    _worker_rename = None
    _worker_daemon = False
    _wrap_exception = _ExceptionWithTraceback


class _PoolFuture(_base.Future):
    def __init__(self, executor):
        super().__init__()
        self._executor = executor

    def _pump(self, timeout):
        if not self.done():
            self._executor._pump_until(self.done, timeout)

    def result(self, timeout=None):
        self._pump(timeout)
        return super().result(timeout=0 if not self.done() else None)

    def exception(self, timeout=None):
        self._pump(timeout)
        return super().exception(timeout=0 if not self.done() else None)

    # What the management thread would have done by now is done before answering.
    def done(self):
        self._executor._pump_ready()
        return super().done()

    def running(self):
        self._executor._pump_ready()
        return super().running()

    def cancelled(self):
        self._executor._pump_ready()
        return super().cancelled()

    def cancel(self):
        self._executor._pump_ready()
        return super().cancel()


# It is the Future a program sees (its repr, type(f).__name__).
_PoolFuture.__name__ = _PoolFuture.__qualname__ = "Future"
_PoolFuture.__module__ = _base.__name__


class ProcessPoolExecutor(_base.Executor):
    def __init__(self, max_workers=None, mp_context=None, initializer=None, initargs=(), *, max_tasks_per_child=None):
        uses_util()
        # CPython's checks, at construction.
        if max_workers is None:
            max_workers = os.process_cpu_count() or 1
        elif max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        self._max_workers = max_workers
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        if max_tasks_per_child is not None:
            if not isinstance(max_tasks_per_child, int):
                raise TypeError("max_tasks_per_child must be an integer")
            elif max_tasks_per_child <= 0:
                raise ValueError("max_tasks_per_child must be >= 1")
        self._pool_args = (max_workers, initializer, initargs, max_tasks_per_child, mp_context)
        self._pool = None
        self._shutdown_thread = False
        self._broken = False
        self._pending = collections.deque()  # (future, fn, args, kwargs) not yet RUNNING
        self._in_flight = 0  # RUNNING: put on the pool's task queue, no result yet
        self._running = set()  # their futures
        self._finished = False

    def _get_pool(self):
        if self._pool is None:
            max_workers, initializer, initargs, max_tasks, ctx = self._pool_args
            self._pool = _ExecutorPool(max_workers, initializer, initargs, max_tasks, context=ctx)
            self._pool._executor = self
            # CPython's threads go on with submitted work until it is done, shut down or not
            # (shutdown(wait=False), an executor dropped): the interpreter's exit waits for
            # them. So does this process's, before the pool's finalizer (15) ends the workers.
            util.Finalize(None, self._finish, exitpriority=16)
        return self._pool

    def submit(self, fn, /, *args, **kwargs):
        if self._broken:
            raise BrokenProcessPool(self._broken)
        if self._shutdown_thread:
            raise RuntimeError("cannot schedule new futures after shutdown")
        self._get_pool()
        f = _PoolFuture(self)
        self._pending.append((f, fn, args, kwargs))
        self._dispatch()
        return f

    def map(self, fn, *iterables, timeout=None, chunksize=1, buffersize=None):
        # CPython's: chunks of the items, each a task of _process_chunk.
        if chunksize < 1:
            raise ValueError("chunksize must be >= 1.")
        results = super().map(partial(_process_chunk, fn),
                              itertools.batched(zip(*iterables), chunksize),
                              timeout=timeout,
                              buffersize=buffersize)
        return _chain_from_iterable_of_lists(results)

    def _dispatch(self):
        """Moves pending work to the workers' queue, as far as CPython's call queue would hold it."""
        pool = self._pool
        limit = pool._processes + EXTRA_QUEUED_CALLS
        while self._pending and self._in_flight < limit and not self._broken:
            f, fn, args, kwargs = self._pending.popleft()
            if not f.set_running_or_notify_cancel():
                continue  # cancelled while it was pending

            def ok(value, f=f):
                self._in_flight -= 1
                self._running.discard(f)
                f.set_result(value)
                self._dispatch()

            def fail(exc, f=f):
                self._in_flight -= 1
                self._running.discard(f)
                f.set_exception(exc)
                self._dispatch()

            try:
                pool._apply_async_any_state(fn, args, kwargs, ok, fail)
            except Exception as e:
                # CPython fails the future when its call cannot be pickled.
                f.set_exception(e)
                continue
            self._in_flight += 1
            self._running.add(f)

    def _outstanding(self):
        return bool(self._pending) or self._in_flight > 0

    def _pump_ready(self):
        if self._pool is not None and not self._broken:
            self._pool._pump_ready()

    def _pump_until(self, done, timeout=None):
        if self._pool is None or self._broken:
            return
        self._pool._pump_until(lambda: done() or self._check_workers(), timeout)

    def _check_workers(self):
        """True (and the pool broken, as CPython's management thread leaves it) when a worker
        died while work was left."""
        pool = self._pool
        if self._broken or pool is None:
            return bool(self._broken)
        # A worker that ended after its max_tasks_per_child retired (the pool replaces it).
        retire = pool._maxtasksperchild is not None
        if not self._outstanding() or all(w.exitcode is None or (retire and w.exitcode == 0) for w in pool._pool):
            return False
        self._broken = "A child process terminated abruptly, the process pool is not usable anymore"
        self._shutdown_thread = True
        bpe = BrokenProcessPool("A process in the process pool was terminated abruptly while the future was running or pending.")
        left = list(self._running) + [item[0] for item in self._pending]
        self._running.clear()
        self._pending.clear()
        self._in_flight = 0
        pool._cache.clear()
        pool.terminate()
        for f in left:
            if not f.done() and (f.running() or f.set_running_or_notify_cancel()):
                f.set_exception(bpe)
        return True

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._shutdown_thread = True
        if self._pool is None:
            return
        if cancel_futures:
            for f, *_ in self._pending:
                f.cancel()
            self._pending.clear()
        if self._broken:
            return
        if wait:
            self._finish()

    def _finish(self):
        """Runs the work left to its end, then ends the workers (once)."""
        if self._finished:
            return
        self._pump_until(lambda: not self._outstanding())
        self._finished = True
        if self._broken:
            return
        self._pool.close()
        self._pool.join()


# What CPython's reprs, tracebacks and pickles name them by (this module is that one here).
for _cls in (ProcessPoolExecutor, BrokenProcessPool, _RemoteTraceback, _ExceptionWithTraceback):
    _cls.__module__ = "concurrent.futures.process"


def _pump_any(fs, timeout):
    """Takes results until one of `fs` is done (or `timeout`). Asking done() takes results
    too, so whether any is left is asked once."""
    pending = [f for f in fs if not f.done()]
    ours = [f for f in pending if isinstance(f, _PoolFuture)]
    if not ours:
        return
    ours[0]._executor._pump_until(lambda: any(f.done() for f in pending), timeout)


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
    return _base.DoneAndNotDoneFutures(done, fs - done)
