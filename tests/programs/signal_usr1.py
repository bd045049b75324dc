"""SIGUSR1 to a child: its handler runs in the middle of time.sleep, which then goes on for
the time that is left (PEP 475); a lock wait too. Without a handler SIGUSR1 ends it (−10)."""
import multiprocessing as mp
import os
import signal
import time


def sleeper(ready, acks):
    def on_usr1(signum, frame):
        acks.put(signum)

    signal.signal(signal.SIGUSR1, on_usr1)
    print("handler installed:", signal.getsignal(signal.SIGUSR1) is on_usr1, flush=True)
    ready.set()
    start = time.monotonic()
    time.sleep(1.0)
    print("slept the whole second:", time.monotonic() - start >= 0.95, flush=True)
    lock = mp.Lock()
    lock.acquire()
    start = time.monotonic()
    # Long enough that the parent's second signal (1.2 s after the first one's ack) lands in
    # it even when that ack is slow (relay mode on a loaded machine once took over 0.6 s).
    print("lock wait timed out:", lock.acquire(timeout=3.0) is False, flush=True)
    print("waited the whole timeout:", time.monotonic() - start >= 2.95, flush=True)


def unprepared(ready):
    ready.set()
    time.sleep(30)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    ready, acks = mp.Event(), mp.Queue()
    p = mp.Process(target=sleeper, args=(ready, acks))
    p.start()
    ready.wait()
    time.sleep(0.2)
    os.kill(p.pid, signal.SIGUSR1)
    print("handler ran with", acks.get(timeout=10))
    time.sleep(1.2)
    os.kill(p.pid, signal.SIGUSR1)
    print("handler ran again with", acks.get(timeout=10))
    p.join()
    print("sleeper exitcode", p.exitcode)

    ready = mp.Event()
    q = mp.Process(target=unprepared, args=(ready,))
    q.start()
    ready.wait()
    os.kill(q.pid, signal.SIGUSR1)
    q.join()
    print("unprepared exitcode", q.exitcode)
