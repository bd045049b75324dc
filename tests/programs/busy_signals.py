"""A child in a busy loop (no call that waits) still gets its signals: SIGINT raises
KeyboardInterrupt there, terminate() runs its SIGTERM handler, SIGSTOP stops it until SIGCONT."""
import multiprocessing as mp
import os
import signal
import sys
import time


def spin_int(ready):
    ready.set()
    try:
        while True:
            pass
    except KeyboardInterrupt:
        print("child: KeyboardInterrupt in a busy loop", flush=True)
        sys.exit(4)


def on_term(signum, frame):
    print("child: SIGTERM handler ran in a busy loop", flush=True)
    sys.exit(5)


def spin_term(ready):
    signal.signal(signal.SIGTERM, on_term)
    ready.set()
    n = 0
    while True:
        n += 1


def spin_count(ready, counter):
    ready.set()
    while True:
        counter.value += 1


if __name__ == "__main__":
    for target, send in ((spin_int, lambda p: os.kill(p.pid, signal.SIGINT)), (spin_term, lambda p: p.terminate())):
        ready = mp.Event()
        p = mp.Process(target=target, args=(ready,))
        p.start()
        ready.wait()
        time.sleep(0.1)
        send(p)
        p.join()
        print(target.__name__, "exitcode", p.exitcode)

    ready = mp.Event()
    counter = mp.Value("q", 0, lock=False)
    p = mp.Process(target=spin_count, args=(ready, counter))
    p.start()
    ready.wait()
    time.sleep(0.2)
    os.kill(p.pid, signal.SIGSTOP)
    time.sleep(0.3)
    before = counter.value
    time.sleep(0.5)
    print("stopped child made progress:", counter.value != before)
    os.kill(p.pid, signal.SIGCONT)
    time.sleep(0.3)
    print("continued child made progress:", counter.value != before)
    p.kill()
    p.join()
    print("killed exitcode", p.exitcode)
