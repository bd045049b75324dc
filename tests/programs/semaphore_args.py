# Semaphores and locks made or called with wrong arguments fail as CPython's C SemLock does, and a
# Queue without a bound has its semaphore's largest value as _maxsize.
import multiprocessing as mp
if __name__ == "__main__":
    mp.set_start_method("spawn")
    for mk in (lambda: mp.Semaphore(-1), lambda: mp.Semaphore(2**31), lambda: mp.Semaphore(2**31 - 1), lambda: mp.BoundedSemaphore(2**31), lambda: mp.Semaphore(-2**31 - 1), lambda: mp.Semaphore(1.5), lambda: mp.Semaphore("2")):
        try:
            s = mk(); print("ok", s.get_value())
        except Exception as e:
            print(type(e).__name__, e)
    print(mp.Queue()._maxsize, mp.Queue(-3)._maxsize, mp.Queue(5)._maxsize, mp.JoinableQueue()._maxsize)
    l = mp.Lock()
    for f in (lambda: l.acquire(blocking=False), lambda: l.acquire(timeout="x"), lambda: l.acquire(True, 1, 2), lambda: l.release(2)):
        try: print(f())
        except Exception as e: print(type(e).__name__, e)
    l.acquire(timeout=0.1); l.release()
    print(l.acquire(False, None), l.acquire(block=False)); l.release()
