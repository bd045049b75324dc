# What CPython's helper threads do while the main program looks elsewhere: futures become
# RUNNING as they are handed to the workers (max_workers + 1 of them), results and callbacks
# come while the program sleeps or polls, and a worker that dies breaks the executor.
import multiprocessing as mp
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, wait, FIRST_COMPLETED
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.pool import AsyncResult


def slow(x):
    time.sleep(1.0)
    print("ran", x, flush=True)
    return x


def double(x):
    time.sleep(0.2)
    return 2 * x


def fail(x):
    raise ValueError(f"bad {x}")


def leave(x):
    sys.exit(x)


def who(_):
    p = mp.current_process()
    return p.name.rsplit("-", 1)[0], p.daemon


def until(check, limit=30.0):
    deadline = time.monotonic() + limit
    while not check() and time.monotonic() < deadline:
        time.sleep(0.05)
    return check()


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with ProcessPoolExecutor(1) as ex:
        fs = [ex.submit(slow, i) for i in range(4)]
        time.sleep(0.3)
        print("running:", [f.running() for f in fs], flush=True)
        print("cancel:", [f.cancel() for f in fs], flush=True)
        done, not_done = wait(fs)
        print("wait:", len(done), len(not_done), [f.cancelled() for f in fs], [f.result() for f in fs[:2]], flush=True)

    with ProcessPoolExecutor(2) as ex:
        f = ex.submit(double, 21)
        fired = []
        f.add_done_callback(lambda fut: fired.append(fut.result()))
        print("done by polling:", until(f.done), "callback:", fired, flush=True)
        first = ex.submit(double, 1)
        done, _ = wait([first, ex.submit(slow, 9)], return_when=FIRST_COMPLETED)
        print("first completed:", [g.result() for g in done], flush=True)
        e = ex.submit(fail, 3).exception()
        print("exception:", type(e).__name__, e, type(e.__cause__).__name__, flush=True)
        print("SystemExit in a task:", type(ex.submit(leave, 4).exception()).__name__, flush=True)
        print("workers:", sorted(set(ex.map(who, range(4)))), flush=True)

    ex = ProcessPoolExecutor(1)
    fs = [ex.submit(slow, i) for i in range(10, 16)]
    time.sleep(0.3)
    ex.shutdown(wait=True, cancel_futures=True)
    print("cancel_futures:", sum(f.cancelled() for f in fs), "cancelled,", all(f.done() for f in fs), flush=True)

    with mp.Pool(2) as pool:
        got = []
        r = pool.apply_async(double, (5,), callback=got.append)
        print("AsyncResult:", isinstance(r, AsyncResult), flush=True)
        print("callback while sleeping:", until(lambda: got == [10]), flush=True)
        r2 = pool.apply_async(double, (6,))
        print("ready by polling:", until(r2.ready), r2.successful(), r2.get(), flush=True)

    with ProcessPoolExecutor(1) as ex:
        try:
            ex.submit(os._exit, 1).result()
        except BrokenProcessPool as e:
            print("broken:", e, flush=True)
        try:
            ex.submit(double, 1)
        except BrokenProcessPool as e:
            print("submit after:", e, flush=True)

    ex = ProcessPoolExecutor(1)
    late = ex.submit(slow, 99)
    ex.shutdown(wait=False)
    print("shutdown(wait=False) returned", flush=True)
