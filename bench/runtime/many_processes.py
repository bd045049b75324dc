# N processes alive at once (main + N-1 children parked on an Event); time until all run, in ms.
import json
import multiprocessing as mp
import sys
import time


def park(started, go):
    started.put(1)
    go.wait()


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 32
    started, go = mp.Queue(), mp.Event()
    t = time.time()
    ps = [mp.Process(target=park, args=(started, go)) for _ in range(n - 1)]
    for p in ps:
        p.start()
    for _ in ps:
        started.get()
    alive = sum(p.is_alive() for p in ps) + 1
    ms = (time.time() - t) * 1000
    go.set()
    for p in ps:
        p.join()
    print(json.dumps({"alive": alive, "ms": ms, "exitcodes_ok": int(all(p.exitcode == 0 for p in ps))}))
