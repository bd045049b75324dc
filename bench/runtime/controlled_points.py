# Controlled-mode bench: `procs` processes (the main one included) each take and release
# one shared lock `n` times (2n scheduling points each).
import multiprocessing as mp
import sys


def work(lock, n):
    for _ in range(n):
        with lock:
            pass


if __name__ == "__main__":
    n, procs = int(sys.argv[1]), int(sys.argv[2])
    lock = mp.Lock()
    ps = [mp.Process(target=work, args=(lock, n)) for _ in range(procs - 1)]
    for p in ps:
        p.start()
    work(lock, n)
    for p in ps:
        p.join()
