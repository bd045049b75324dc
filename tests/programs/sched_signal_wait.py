# Signals interrupt waits (controlled runs must not hold them until the wait ends):
# a SIGTERM handler that exits ends a 30 s sleep at once and runs `finally`; a SIGUSR1
# handler that returns lets Queue.get go on waiting (PEP 475) until the item comes.
import multiprocessing as mp
import os
import signal
import sys
import time


def on_term(signum, frame):
    print("sleeper: got", signal.Signals(signum).name, flush=True)
    sys.exit(3)


def sleeper(ready):
    signal.signal(signal.SIGTERM, on_term)
    try:
        ready.set()
        time.sleep(30)
        print("sleeper: slept through", flush=True)
    finally:
        print("sleeper: cleaning up", flush=True)


def on_usr1(signum, frame):
    print("getter: got", signal.Signals(signum).name, flush=True)


def getter(ready, q):
    signal.signal(signal.SIGUSR1, on_usr1)
    ready.set()
    print("getter: took", q.get(timeout=60), flush=True)


if __name__ == "__main__":
    started = time.monotonic()
    ready = mp.Event()
    p = mp.Process(target=sleeper, args=(ready,))
    p.start()
    ready.wait()
    p.terminate()
    p.join()
    print("sleeper exit code", p.exitcode, "within 5 s:", time.monotonic() - started < 5)

    ready = mp.Event()
    q = mp.Queue()
    g = mp.Process(target=getter, args=(ready, q))
    g.start()
    ready.wait()
    os.kill(g.pid, signal.SIGUSR1)
    time.sleep(1)
    q.put("item")
    g.join()
    print("getter exit code", g.exitcode)
