"""SIGSTOP stops a child (it makes no progress) until SIGCONT; a SIGTERM waits while it is
stopped (only SIGKILL ends a stopped process) and ends it once SIGCONT comes.

The parent reads the counter without its lock: a child stopped while it holds the lock would
otherwise block the parent's read for good (on Linux too), and the parent is the one that
sends SIGCONT."""
import multiprocessing as mp
import os
import signal
import time


def counter(n, ready):
    ready.set()
    while True:
        with n.get_lock():
            n.value += 1
        time.sleep(0.005)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    n = mp.Value("i", 0)
    ready = mp.Event()
    p = mp.Process(target=counter, args=(n, ready))
    p.start()
    ready.wait()
    count = n.get_obj()  # the raw c_int: reading it takes no lock
    time.sleep(0.3)
    print("counting before:", count.value > 0)
    os.kill(p.pid, signal.SIGSTOP)
    time.sleep(0.2)
    stopped_at = count.value
    time.sleep(0.5)
    print("no progress while stopped:", count.value == stopped_at)
    os.kill(p.pid, signal.SIGCONT)
    time.sleep(0.5)
    print("progress after SIGCONT:", count.value > stopped_at)
    os.kill(p.pid, signal.SIGSTOP)
    time.sleep(0.1)
    p.terminate()
    p.join(0.5)
    print("a stopped child outlives SIGTERM:", p.is_alive())
    os.kill(p.pid, signal.SIGCONT)
    p.join()
    print("then SIGCONT lets SIGTERM end it:", p.exitcode)
