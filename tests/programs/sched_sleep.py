# Virtual time in a controlled run: sleeps and timeouts take no wall time, and time.time()
# advances by the sleeps. The output is the same under CPython (elapsed in whole seconds,
# rounded down: a loaded machine adds a little to CPython's).
import multiprocessing as mp
import queue
import time


def sleeper(q):
    time.sleep(10)
    q.put("woke")


if __name__ == "__main__":
    t0 = time.time()
    q = mp.Queue()
    lock = mp.Lock()
    lock.acquire()
    print("acquire with timeout:", lock.acquire(timeout=0.5))
    try:
        q.get(timeout=1.5)
    except queue.Empty:
        print("get timed out")
    p = mp.Process(target=sleeper, args=(q,))
    p.start()
    p.join(timeout=2)
    print("alive after join(2):", p.is_alive())
    print("got", q.get())
    p.join()
    print("exit code", p.exitcode)
    print("elapsed", int(time.time() - t0))
