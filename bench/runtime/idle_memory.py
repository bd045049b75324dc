# Starts N idle children and reports their pids, then waits for "go" on stdin-less signal file.
# The bench measures memory from outside (CPython: /proc/<pid>/status; Spawnpoint: host RSS).
import json
import multiprocessing as mp
import os
import sys
import time


def idle(started, go):
    started.put(os.getpid())
    go.wait()


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    started, go = mp.Queue(), mp.Event()
    ps = [mp.Process(target=idle, args=(started, go)) for _ in range(n)]
    for p in ps:
        p.start()
    pids = [started.get() for _ in ps]
    print(json.dumps({"pids": pids}), flush=True)
    time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 2.0)  # measured now
    go.set()
    for p in ps:
        p.join()
