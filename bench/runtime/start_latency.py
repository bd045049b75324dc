# Process.start() → the first line of the child's target, in ms (wall clock in both
# processes), for children started one after another. Prints one JSON line: "first" (the first
# child, what a fresh run pays), "warm" (the median of the later ones) and "ms" (the median of
# all). Run with python3 and with Spawnpoint by bench/runtime.bench.ts and bench/spawn.bench.ts.
#
#   start_latency.py [ROUNDS [PAUSE [--imports-at-top]]]
#
# PAUSE seconds before each child let Spawnpoint refill its pool of booted interpreters.
# A spawned child re-imports this module as __mp_main__: by default only what lesson programs
# use sits at the top, so the time is that of starting a process. --imports-at-top also imports
# statistics at the top, as a typical script does, so every child imports it again as a user's
# would (CPython from bytecode; Spawnpoint has it in its snapshot, see SNAPSHOT_PRELOAD).
import json
import sys
import time

import multiprocessing as mp

# A spawned child has the parent's sys.argv before it imports this module (spawn's preparation data).
if "--imports-at-top" in sys.argv:
    import statistics


def first_line(q):
    q.put(time.time())


if __name__ == "__main__":
    import statistics

    mp.set_start_method("spawn", force=True)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rounds = int(args[0]) if len(args) > 0 else 5
    pause = float(args[1]) if len(args) > 1 else 0.0
    q = mp.Queue()
    samples = []
    for _ in range(rounds):
        time.sleep(pause)
        p = mp.Process(target=first_line, args=(q,))
        t0 = time.time()
        p.start()
        samples.append((q.get() - t0) * 1000)
        p.join()
    later = samples[1:]
    print(json.dumps({"first": samples[0], "warm": statistics.median(later) if later else None, "ms": statistics.median(samples)}))
