# Pipe send → recv round trip between two processes (ping-pong), in µs.
# Same method as queue_rtt.py: one second of warm-up, then the median of 7 timed batches.
import json
import multiprocessing as mp
import statistics
import sys
import time


def echo(conn):
    while True:
        x = conn.recv()
        if x is None:
            break
        conn.send(x)


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    a, b = mp.Pipe()
    p = mp.Process(target=echo, args=(b,))
    p.start()
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        a.send(0)
        a.recv()
    batches = []
    for _ in range(7):
        t = time.perf_counter()
        for i in range(rounds):
            a.send(i)
            a.recv()
        batches.append((time.perf_counter() - t) / rounds * 1e6)
    a.send(None)
    p.join()
    print(json.dumps({"us": statistics.median(batches), "batches": [round(x, 1) for x in batches]}))
