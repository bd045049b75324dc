"""multiprocessing.Pool without helper threads.

CPython runs three threads per pool (task feeder, result handler, worker handler). Here the
calling process does that work when it waits (`AsyncResult.get()` / `wait()` / iteration),
sleeps (time.sleep, select, poll: wait_taking_results) or asks (`ready()`): it pulls results off the result
queue and dispatches them (callbacks run then, in the caller).
Workers are real processes named SpawnPoolWorker-N reading a shared task queue.
"""
import itertools
import os
import warnings
import weakref

from multiprocessing import context as _mpcontext, util
from multiprocessing.pool import (  # noqa: F401  (re-exported like multiprocessing.pool)
    ExceptionWithTraceback,
    MaybeEncodingError,
    mapstar,
    starmapstar,
)
from multiprocessing.context import TimeoutError  # noqa: F401  (re-exported like multiprocessing.pool)
# multiprocessing.pool's own states: code (and CPython's tests) may set them.
from multiprocessing.pool import CLOSE, INIT, RUN, TERMINATE

from .pool_results import ApplyResult, AsyncResult, IMapIterator, IMapUnorderedIterator, MapResult  # noqa: F401
from . import tracebacks


def worker(inqueue, outqueue, initializer=None, initargs=(), maxtasks=None, wrap_exception=True):
    # An executor's worker (wrap_exception its own class) is CPython's _process_worker.
    executor = isinstance(wrap_exception, type)
    if initializer is not None:
        try:
            initializer(*initargs)
        except BaseException:
            if not executor:
                raise
            from concurrent.futures import _base
            _base.LOGGER.critical("Exception in initializer:", exc_info=True)
            # The parent sees this worker end and marks the pool broken.
            return
    completed = 0
    while maxtasks is None or completed < maxtasks:
        task = inqueue.get()
        if task is None:
            break
        job, i, func, args, kwds = task
        try:
            result = (True, func(*args, **kwds))
        except BaseException as e:
            # A pool's worker lets SystemExit and KeyboardInterrupt end it; an executor's
            # (wrapping with its own class) sends every exception back.
            if not isinstance(e, Exception) and not executor:
                raise
            if wrap_exception and func is not _helper_reraises_exception:
                wrap = wrap_exception if isinstance(wrap_exception, type) else ExceptionWithTraceback
                e = wrap(e, e.__traceback__)
            result = (False, e)
        try:
            outqueue.put((job, i, result))
        except Exception as e:
            # A pool says which result could not be sent; an executor sends the error itself
            # (CPython's _sendback_result).
            wrapped = wrap_exception(e, e.__traceback__) if executor else MaybeEncodingError(e, result[1])
            outqueue.put((job, i, (False, wrapped)))
        task = job = result = func = args = kwds = None
        completed += 1


def _worker_frame(frame, statement):
    """An executor's worker shows in tracebacks as CPython's _process_worker (a pool's, as
    multiprocessing.pool's worker: tracebacks.py)."""
    sending = statement == "outqueue.put((job, i, result))"
    if not isinstance(frame.f_locals.get("wrap_exception"), type):
        return ("multiprocessing.pool", "worker", "put((job, i, result))", None) if sending else None
    if statement == "result = (True, func(*args, **kwds))":
        call = "call_item.fn(*call_item.args, **call_item.kwargs)"
        return ("concurrent.futures.process", "_process_worker", "r = " + call, call)
    if sending:
        # A result that cannot be pickled: CPython's _sendback_result, a call over two lines.
        return ("concurrent.futures.process", "_sendback_result", "result_queue.put(_ResultItem(work_id, result=result,", 1)
    return ("concurrent.futures.process", "_process_worker", statement, None)


tracebacks.stand_in(worker.__code__, _worker_frame)


# How long Pool() waits for its workers to run (_await_workers): several boots on a loaded machine.
_WORKERS_UP_MS = 10_000


def _helper_reraises_exception(ex):
    raise ex


class Pool:
    _wrap_exception = True
    # CPython's pool workers: ForkPoolWorker-N / SpawnPoolWorker-N, daemonic.
    _worker_rename = ("Process", "PoolWorker")
    _worker_daemon = True
    # The ProcessPoolExecutor that owns this pool, told after each look at the results (its
    # workers' deaths break it).
    _executor = None

    @staticmethod
    def Process(ctx, *args, **kwds):
        return ctx.Process(*args, **kwds)

    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None, context=None):
        # INIT until it is ready: a pool whose arguments were refused is not "left running".
        self._state = INIT
        self._ctx = context or _mpcontext._default_context.get_context()
        self._cache = {}
        self._outstanding = 0  # tasks put whose result has not come back yet
        self._unsent = []  # (job, index, (False, error)) of tasks that could not be pickled
        if processes is None:
            processes = os.cpu_count() or 1
        if processes < 1:
            raise ValueError("Number of processes must be at least 1")
        if maxtasksperchild is not None and (not isinstance(maxtasksperchild, int) or maxtasksperchild <= 0):
            raise ValueError("maxtasksperchild must be a positive int or None")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._processes = processes
        self._initializer = initializer
        self._initargs = initargs
        self._maxtasksperchild = maxtasksperchild
        self._inqueue = self._ctx.SimpleQueue()
        self._inqueue._hold_feed()
        self._outqueue = self._ctx.SimpleQueue()
        self._pool = []
        self._repopulate_pool()
        self._await_workers()
        self._finalizer = util.Finalize(self, Pool._terminate_pool, args=(self._pool, self._inqueue), exitpriority=15)
        # Its results come in the background: this process's sleeps take them as they come.
        _background.add(self)
        self._state = RUN

    def __del__(self, _warn=warnings.warn, RUN=RUN):
        # As CPython: a pool dropped while still running says so (shown with -W default or -X dev).
        if self._state == RUN:
            _warn(f"unclosed running multiprocessing pool {self!r}", ResourceWarning, source=self)

    def _repopulate_pool(self):
        for _ in range(self._processes - len(self._pool)):
            w = self.Process(
                self._ctx,
                target=worker,
                args=(self._inqueue, self._outqueue, self._initializer, self._initargs,
                      self._maxtasksperchild, self._wrap_exception),
            )
            if self._worker_rename:
                w.name = w.name.replace(*self._worker_rename)
            w.daemon = self._worker_daemon
            w.start()
            self._pool.append(w)

    def _await_workers(self):
        """Returns once every worker runs. CPython's are all up within milliseconds of Pool(), so
        tasks spread over them; here a worker may first boot an interpreter, and the first one
        up would take task after task meanwhile (five 0.5 s tasks on Pool(4) ran two in a row on
        one worker). A controlled run needs no wait: there a new process runs to its first
        point before anything else moves."""
        from . import call, sched
        if not sched.ON:
            call("waitstarted", pids=[w.pid for w in self._pool], timeoutMs=_WORKERS_UP_MS)

    def _maintain_pool(self):
        # As CPython's worker handler: replace workers that ended (a task limit, or one that
        # died: its task is lost, the pool goes on) while running, and after close() for as
        # long as tasks are left. An executor's pool does not: a death breaks the executor.
        if self._state == TERMINATE or (self._executor is not None and self._maxtasksperchild is None):
            return
        if self._state != RUN and self._outstanding <= 0:
            return
        alive = [w for w in self._pool if w.exitcode is None]
        if len(alive) != len(self._pool):
            for w in self._pool:
                if w.exitcode is not None:
                    w.join()
            self._pool[:] = alive
            self._repopulate_pool()

    def _pump_one(self, timeout):
        """Takes one result off the result queue (waiting up to `timeout`); False on timeout.
        The failures of tasks that could not be sent come first."""
        import queue
        if self._unsent:
            job, i, obj = self._unsent.pop(0)
        else:
            try:
                job, i, obj = self._outqueue._get_timeout(timeout)
            except queue.Empty:
                return False
        self._outstanding -= 1
        target = self._cache.get(job)
        if target is not None:
            target._set(i, obj)
        return True

    def _pump_until(self, done, timeout=None):
        import time
        deadline = None if timeout is None else time.monotonic() + timeout
        while not done():
            self._maintain_pool()
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return
            self._pump_one(self._slice(remaining))
            if self._executor is not None:
                self._executor._check_workers()

    def _slice(self, remaining):
        """How long one wait for a result may last: a tenth of a second, to look at the workers
        now and then (replacements, an executor's dead workers). A controlled run's clock is
        virtual: there only a task limit or an executor needs a look (a dead worker of a plain
        pool is then a deadlock the kernel reports, rather than a point every 0.1 s)."""
        from . import sched
        if sched.ON and self._maxtasksperchild is None and self._executor is None:
            return remaining
        return 0.1 if remaining is None else min(0.1, remaining)

    def _pump_ready(self):
        """Takes the results that have come, without waiting (what CPython's result handler
        thread would have done by now)."""
        while self._outstanding > 0 and self._state != TERMINATE and self._pump_one(0):
            pass
        self._maintain_pool()
        if self._executor is not None:
            self._executor._check_workers()

    def _check_running(self):
        if self._state != RUN:
            raise ValueError("Pool not running")

    def _put(self, task):
        # Never waits: 10 000 tasks for 3 busy workers must not block map_async (CPython's task
        # handler thread takes them); they reach the workers in order as the pipe has room.
        try:
            self._inqueue._feed(task)
        except Exception as e:
            # A task that cannot be pickled (a Queue or a lambda among its arguments) fails its
            # result, not the call: CPython's task handler thread meets the error after the call
            # returned. Its result gets it with the next results taken.
            self._unsent.append((task[0], task[1], (False, e)))
        self._outstanding += 1

    def apply(self, func, args=(), kwds={}):
        return self.apply_async(func, args, kwds).get()

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        self._check_running()
        return self._apply_async_any_state(func, args, kwds, callback, error_callback)

    def _apply_async_any_state(self, func, args, kwds, callback, error_callback):
        result = ApplyResult(self, callback, error_callback)
        try:
            self._put((result._job, 0, func, args, kwds))
        except BaseException:
            self._cache.pop(result._job, None)
            raise
        return result

    @staticmethod
    def _get_tasks(func, it, size):
        it = iter(it)
        while True:
            x = tuple(itertools.islice(it, size))
            if not x:
                return
            yield (func, x)

    def _map_async(self, func, iterable, mapper, chunksize=None, callback=None, error_callback=None):
        self._check_running()
        if not hasattr(iterable, "__len__"):
            iterable = list(iterable)
        if chunksize is None:
            chunksize, extra = divmod(len(iterable), len(self._pool) * 4)
            if extra:
                chunksize += 1
        if len(iterable) == 0:
            chunksize = 0
        task_batches = Pool._get_tasks(func, iterable, chunksize)
        result = MapResult(self, chunksize, len(iterable), callback, error_callback=error_callback)
        try:
            for i, x in enumerate(task_batches):
                self._put((result._job, i, mapper, (x,), {}))
        except BaseException:
            self._cache.pop(result._job, None)
            raise
        return result

    def map(self, func, iterable, chunksize=None):
        return self._map_async(func, iterable, mapstar, chunksize).get()

    def starmap(self, func, iterable, chunksize=None):
        return self._map_async(func, iterable, starmapstar, chunksize).get()

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, mapstar, chunksize, callback, error_callback)

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, starmapstar, chunksize, callback, error_callback)

    def _imap(self, cls, func, iterable, chunksize):
        self._check_running()
        if chunksize < 1:
            raise ValueError("Chunksize must be 1+, not {0:n}".format(chunksize))
        result = cls(self)
        n = 0
        if chunksize == 1:
            for task in Pool._guarded(result._job, func, ((x,) for x in iterable)):
                self._put(task)
                n += 1
            result._set_length(n)
            return result
        for task in Pool._guarded(result._job, mapstar, ((batch,) for batch in Pool._get_tasks(func, iterable, chunksize))):
            self._put(task)
            n += 1
        result._set_length(n)
        return (item for chunk in result for item in chunk)

    @staticmethod
    def _guarded(job, func, argses):
        """The tasks of an imap. If the iterable raises, its exception goes out as one more
        task that raises it in a worker, so the caller meets it at that place in the results
        (as CPython's task feeder does), not when calling imap()."""
        i = -1
        try:
            for i, args in enumerate(argses):
                yield (job, i, func, args, {})
        except Exception as e:
            yield (job, i + 1, _helper_reraises_exception, (e,), {})

    def imap(self, func, iterable, chunksize=1):
        return self._imap(IMapIterator, func, iterable, chunksize)

    def imap_unordered(self, func, iterable, chunksize=1):
        return self._imap(IMapUnorderedIterator, func, iterable, chunksize)

    def close(self):
        if self._state == RUN:
            self._state = CLOSE

    def terminate(self):
        self._state = TERMINATE
        self._finalizer()

    @staticmethod
    def _terminate_pool(pool, inqueue):
        # Tasks no worker will take: the exit must not wait to deliver them.
        inqueue._cancel_feed()
        for w in pool:
            if w.exitcode is None:
                w.terminate()
        for w in pool:
            w.join()

    def join(self):
        if self._state == RUN:
            raise ValueError("Pool is still running")
        if self._state not in (CLOSE, TERMINATE):
            raise ValueError("In unknown state")
        if self._state == CLOSE:
            # Let queued tasks finish, then one sentinel per worker.
            self._pump_until(lambda: self._outstanding <= 0)
            for _ in self._pool:
                self._inqueue._feed(None)
        for w in self._pool:
            w.join()

    def __reduce__(self):
        raise NotImplementedError("pool objects cannot be passed between processes or pickled")

    def __enter__(self):
        self._check_running()
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.terminate()

    def __repr__(self):
        state = {INIT: "INIT", RUN: "RUN", CLOSE: "CLOSE", TERMINATE: "TERMINATE"}[self._state]
        return f"<{type(self).__module__}.{type(self).__qualname__} state={state} pool_size={len(self._pool)}>"


# Pools whose results may come while this process does something else. CPython's result
# handler thread takes them as they come (callbacks run, AsyncResults and futures become ready)
# while the main thread sleeps; here time.sleep, select and poll do it (wait_taking_results).
_background = weakref.WeakSet()


def _waiting_pools():
    return [p for p in _background if p._outstanding > 0 and p._state != TERMINATE]


def wait_taking_results(wait, seconds, ready=None):
    """`wait(s)`, a wait of at most s seconds (None: no limit), until `ready(got)` says its
    result will do or `seconds` (None: no limit) have passed; returns the last wait's result.
    While a Pool or executor of this process waits for results, they are taken as they come
    (CPython's helper threads take them meanwhile): a plain sleep (no `ready`) beside one such
    pool waits on that pool's results, any other wait is cut into waits of 20 ms with the
    results that came taken between them."""
    import time
    deadline = None if seconds is None else time.monotonic() + seconds
    while True:
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        pools = _waiting_pools()
        if not pools:
            return wait(left)
        if ready is None and len(pools) == 1:
            pool = pools[0]
            pool._pump_until(lambda: pool._outstanding <= 0, left)
            got = None
        else:
            for pool in pools:
                pool._pump_ready()
            got = wait(0.02 if left is None else min(0.02, left))
        if left == 0.0 or (ready is not None and ready(got)):
            return got


# A task that cannot be pickled: CPython's task handler thread meets the error sending it.
tracebacks.stand_in(Pool._put.__code__, lambda frame, statement: [
    ("multiprocessing.pool", "Pool._handle_tasks", "put(task)", "put(task)"),
    ("multiprocessing.connection", "_ConnectionBase.send", "self._send_bytes(_ForkingPickler.dumps(obj))", "_ForkingPickler.dumps(obj)"),
] if statement == "self._inqueue._feed(task)" else [])
