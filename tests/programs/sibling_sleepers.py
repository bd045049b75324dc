"""Children started together run together: five children, each sleeping its own time, wake in
the order of their sleeps, as in CPython (where each starts within milliseconds of the others),
also when the first ones found idle interpreters and the rest waited for one to boot."""
import sys
import time
from multiprocessing import Process


def nap(name, seconds):
    time.sleep(seconds)
    sys.stdout.write("%s woke after %.1f s\n" % (name, seconds))
    sys.stdout.flush()


if __name__ == "__main__":
    naps = [("a", 2.5), ("b", 0.5), ("c", 2.0), ("d", 1.0), ("e", 1.5)]
    children = [Process(target=nap, args=n) for n in naps]
    for p in children:
        p.start()
    for p in children:
        p.join()
    print("all woke")
