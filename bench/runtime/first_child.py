# A main script that imports json, statistics and time at the top (as a typical program does:
# every spawned child re-imports them as __mp_main__), starts children one after another and
# reports Process.start() → the child's first line, in ms: the first child (as a fresh run
# pays it) and the median of the later ones. Prints one JSON line.
import json
import statistics
import sys
import time

import multiprocessing as mp


def first_line(q):
    q.put(time.time())


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    pause = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    q = mp.Queue()
    samples = []
    for i in range(rounds):
        if i:
            time.sleep(pause)
        p = mp.Process(target=first_line, args=(q,))
        t0 = time.time()
        p.start()
        samples.append((q.get() - t0) * 1000)
        p.join()
    later = samples[1:]
    print(json.dumps({"first": samples[0], "warm": statistics.median(later) if later else None}))
