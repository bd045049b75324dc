# Process.start() → first line of the child's target, in ms (wall clock in both processes).
# Prints one JSON line. Run by bench/runtime.bench.ts with python3 and with Spawnpoint.
import json
import multiprocessing as mp
import sys
import time

# The child re-imports this module as __mp_main__ (spawn): only the imports lesson programs
# use sit at the top, so the row measures starting a process, not compiling a stdlib module
# (`import statistics` at the top adds ~75 ms to every child in Pyodide, whose stdlib zip
# holds sources without bytecode, vs ~2 ms in CPython).


def first_line(q):
    q.put(time.time())


if __name__ == "__main__":
    import statistics

    mp.set_start_method("spawn", force=True)
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    pause = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    q = mp.Queue()
    samples = []
    for _ in range(rounds):
        time.sleep(pause)  # lets Spawnpoint refill its pool of booted interpreters
        p = mp.Process(target=first_line, args=(q,))
        t0 = time.time()
        p.start()
        samples.append((q.get() - t0) * 1000)
        p.join()
    print(json.dumps({"ms": statistics.median(samples)}))
