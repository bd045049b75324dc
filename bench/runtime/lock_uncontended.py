# Uncontended Lock acquire + release in one process, in µs.
import json
import multiprocessing as mp
import sys
import time

if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    lock = mp.Lock()
    acquire, release = lock.acquire, lock.release
    t = time.perf_counter()
    for _ in range(n):
        acquire()
        release()
    print(json.dumps({"us": (time.perf_counter() - t) / n * 1e6}))
