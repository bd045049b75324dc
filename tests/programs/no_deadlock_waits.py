# Waits that look stuck for a while but are not: a timed acquire, a wait for a lock whose
# holder sleeps and then releases it, and gets fed from another process's Queue backlog
# while that process itself waits for an Event.
import time
from multiprocessing import Event, Lock, Process, Queue


def holder(lock, ready):
    with lock:
        ready.set()
        time.sleep(1.5)


def producer(q, go):
    for i in range(40):
        q.put(bytes(10_000))
    go.wait()
    print("producer done")


if __name__ == "__main__":
    lock, ready = Lock(), Event()
    p = Process(target=holder, args=(lock, ready))
    p.start()
    ready.wait()
    print("timed acquire:", lock.acquire(timeout=0.3))
    with lock:
        print("acquired after the holder's sleep")
    p.join()
    q, go = Queue(), Event()
    p = Process(target=producer, args=(q, go))
    p.start()
    total = 0
    for i in range(40):
        total += len(q.get())
        if i == 0:
            time.sleep(1.0)
    print("got", total)
    go.set()
    p.join()
