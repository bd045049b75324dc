import multiprocessing as mp
import time


def add(counter, lock, n):
    for _ in range(n):
        with lock:
            counter.value += 1


def hold_forever(lock, ready):
    lock.acquire()
    ready.set()
    time.sleep(60)


def waiter(cond, flag, out):
    with cond:
        cond.wait_for(lambda: flag.value == 1)
        out.put("condition met")


def meet(barrier, out, i):
    n = barrier.wait()
    out.put(("passed", i, 0 <= n < 3))


if __name__ == "__main__":
    mp.set_start_method("spawn")
    counter, lock = mp.Value("i", 0), mp.Lock()
    ps = [mp.Process(target=add, args=(counter, lock, 200)) for _ in range(3)]
    for p in ps: p.start()
    for p in ps: p.join()
    print("counter:", counter.value)

    ready = mp.Event()
    h = mp.Process(target=hold_forever, args=(lock, ready)); h.start()
    ready.wait()
    h.terminate(); h.join()
    print("lock held by a terminated process:", lock.acquire(timeout=0.2))
    lock.release()  # any process may release a Lock
    print("released by another process:", lock.acquire(block=False))

    r = mp.RLock()
    with r:
        with r:
            print("rlock reentrant")
    try:
        r.release()
    except AssertionError as e:
        print("AssertionError:", e)

    s = mp.BoundedSemaphore(1)
    s.acquire(); s.release()
    try:
        s.release()
    except ValueError as e:
        print("ValueError:", e)
    sem = mp.Semaphore(2)
    print("semaphore:", sem.acquire(False), sem.acquire(False), sem.acquire(False))
    try:
        mp.Semaphore(-1)
    except OSError as e:
        print("Semaphore(-1):", type(e).__name__, e)

    cond, flag, out = mp.Condition(), mp.Value("i", 0), mp.Queue()
    w = mp.Process(target=waiter, args=(cond, flag, out)); w.start()
    time.sleep(0.2)
    with cond:
        flag.value = 1
        cond.notify_all()
    print(out.get(timeout=10)); w.join()

    b = mp.Barrier(3)
    ps = [mp.Process(target=meet, args=(b, out, i)) for i in range(3)]
    for p in ps: p.start()
    print(sorted(out.get(timeout=10) for _ in range(3)))
    for p in ps: p.join()
