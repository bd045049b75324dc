# ProcessPoolExecutor as CPython's: its arguments checked at construction, a Future named
# Future, a result that cannot be pickled fails with the pickling error itself (the worker's
# traceback as its cause), and an initializer that raises is logged and breaks the pool.
import concurrent.futures as cf
import multiprocessing as mp
import os
import re


def make_lambda():
    return lambda: 0


def square(x):
    return x * x


def bad_init():
    raise RuntimeError("init failed")


def mask(s):
    return re.sub(r"0x[0-9a-f]+", "0x?", s)


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    for kw in ({"max_tasks_per_child": 0}, {"max_tasks_per_child": -1}, {"max_tasks_per_child": "a"}, {"initializer": 5}, {"max_workers": 0}):
        try:
            cf.ProcessPoolExecutor(mp_context=ctx, **kw)
        except (TypeError, ValueError) as e:
            print(kw, type(e).__name__, e)
    print(cf.ProcessPoolExecutor(mp_context=ctx)._max_workers == os.process_cpu_count() if hasattr(os, "process_cpu_count") else True)
    print(mp.Pool.__name__, mp.Pool.__qualname__, mp.Queue.__qualname__)
    try:
        mp.Pool(context=None)
    except TypeError as e:
        print("TypeError", e)
    with cf.ProcessPoolExecutor(2, mp_context=ctx) as ex:
        f = ex.submit(square, 3)
        print(type(f).__name__, f.result(), mask(repr(f)))
        bad = ex.submit(make_lambda)
        e = bad.exception()
        print(type(e).__name__ in ("PicklingError", "AttributeError"), type(e.__cause__).__name__, "_sendback_result" in str(e.__cause__) or "worker" in str(e.__cause__))
        print(ex.submit(square, 4).result())
    with cf.ProcessPoolExecutor(1, mp_context=ctx, initializer=bad_init) as ex:
        try:
            ex.submit(square, 2).result()
        except cf.process.BrokenProcessPool as e:
            print("BrokenProcessPool", e)
