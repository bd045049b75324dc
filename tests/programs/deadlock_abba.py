# Two workers take two locks in opposite orders; the Barrier makes sure each holds its
# first lock before it asks for the second, so the cycle closes on every run.
from multiprocessing import Barrier, Lock, Process


def worker(first, second, ready):
    with first:
        ready.wait()
        with second:
            print("never printed")


if __name__ == "__main__":
    a, b = Lock(), Lock()
    ready = Barrier(2)
    w1 = Process(target=worker, args=(a, b, ready), name="worker-1")
    w2 = Process(target=worker, args=(b, a, ready), name="worker-2")
    w1.start()
    w2.start()
    print("started")
    w1.join()
    w2.join()
