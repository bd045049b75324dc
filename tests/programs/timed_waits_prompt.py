"""A process's first timed waits end at their timeout, as python3's do: a Queue.get, a Lock's
and an Event's wait, a join and a Pipe's poll with a timeout under a second each return within
90 ms of it (the runtime's idle garbage collection, which once ran inside such a wait, would
add 100 ms or more)."""
import multiprocessing as mp
import queue
import time


def timed(label, wait, timeout):
    start = time.perf_counter()
    wait(timeout)
    late = time.perf_counter() - start - timeout
    print(label, "on time" if -0.005 < late < 0.09 else "late by %.3f s" % late, flush=True)


def quiet_get(q, timeout):
    try:
        q.get(timeout=timeout)
    except queue.Empty:
        pass


if __name__ == "__main__":
    mp.set_start_method("spawn")
    lock = mp.Lock()
    lock.acquire()
    timed("lock.acquire", lambda t: lock.acquire(timeout=t), 0.3)
    timed("queue.get", lambda t: quiet_get(mp.Queue(), t), 0.3)
    timed("event.wait", mp.Event().wait, 0.3)
    reader, writer = mp.Pipe()
    timed("pipe.poll", reader.poll, 0.3)
    p = mp.Process(target=time.sleep, args=(5,))
    p.start()
    timed("join", p.join, 0.3)
    timed("join again", p.join, 0.3)
    p.terminate()
    p.join()
