"""Start six children at once; prints how long until all six ran their first line (ms),
from the first start(). The sandbox bench runs it with and without a 200 MiB file in the
working directory: a child gets files on first open, so the big file must not matter."""
import json
import multiprocessing as mp
import time


def child(q):
    q.put(time.time())


if __name__ == "__main__":
    q = mp.Queue()
    ps = [mp.Process(target=child, args=(q,)) for _ in range(6)]
    t0 = time.time()
    for p in ps:
        p.start()
    firsts = [q.get() for _ in range(6)]
    for p in ps:
        p.join()
    print(json.dumps({"ms": (max(firsts) - t0) * 1000}))
