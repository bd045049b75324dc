# Queue put → get round trip between two processes (ping-pong), in µs.
# Same script for python3 and Spawnpoint: one second of warm-up (both interpreters settle;
# Spawnpoint's pool boots the replacements for the two interpreters it handed out, a one-off
# background cost), then the median of 7 timed batches, so one noisy moment on a shared
# machine does not decide the figure.
import json
import multiprocessing as mp
import statistics
import sys
import time


def echo(inq, outq):
    while True:
        x = inq.get()
        if x is None:
            break
        outq.put(x)


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    a, b = mp.Queue(), mp.Queue()
    p = mp.Process(target=echo, args=(a, b))
    p.start()
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        a.put(0)
        b.get()
    batches = []
    for _ in range(7):
        t = time.perf_counter()
        for i in range(rounds):
            a.put(i)
            b.get()
        batches.append((time.perf_counter() - t) / rounds * 1e6)
    a.put(None)
    p.join()
    print(json.dumps({"us": statistics.median(batches), "batches": [round(x, 1) for x in batches]}))
