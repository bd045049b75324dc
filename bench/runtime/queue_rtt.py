# Queue put → get round trip between two processes (ping-pong), in µs.
import json
import multiprocessing as mp
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
    for i in range(50):  # warm up
        a.put(i); b.get()
    t = time.perf_counter()
    for i in range(rounds):
        a.put(i)
        b.get()
    dt = time.perf_counter() - t
    a.put(None)
    p.join()
    print(json.dumps({"us": dt / rounds * 1e6}))
