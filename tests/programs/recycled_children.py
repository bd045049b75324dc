# Children started one after another, each in a fresh interpreter on CPython. Spawnpoint
# reuses a finished child's worker (restored to its state before any program ran): nothing
# a child changed may reach the next one.
import json
import os
import random
import shutil
import sys
import tempfile
import time
from multiprocessing import Process, Queue

counter = 0


def child(i, q, start_cwd, scratch):
    global counter
    counter += 1
    fresh = {
        "counter": counter,
        "json_marked": hasattr(json, "marker"),
        "env_marked": "RECYCLE_MARK" in os.environ,
        "modules_marked": "recycle_marker" in sys.modules,
        "path_marked": "/nowhere" in sys.path,
        "same_cwd": os.getcwd() == start_cwd,
    }
    json.marker = i
    os.environ["RECYCLE_MARK"] = str(i)
    sys.modules["recycle_marker"] = json
    sys.path.append("/nowhere")
    os.chdir("/")
    leftover = open(os.path.join(scratch, f"left-open-{i}.txt"), "w")
    leftover.write("x")  # never closed: flushed when the process ends, as CPython does
    q.put((i, fresh, random.random()))


if __name__ == "__main__":
    q = Queue()
    draws = []
    scratch = tempfile.mkdtemp()
    for i in range(5):
        p = Process(target=child, args=(i, q, os.getcwd(), scratch))
        p.start()
        i, fresh, draw = q.get(timeout=30)
        p.join()
        draws.append(draw)
        print(i, json.dumps(fresh, sort_keys=True), p.exitcode)
        time.sleep(0.3)  # time for the finished worker to be put back
    print("every child drew its own random numbers:", len(set(draws)) == len(draws))
    print("left-open files:", sorted(open(os.path.join(scratch, f)).read() for f in os.listdir(scratch)))
    shutil.rmtree(scratch)
