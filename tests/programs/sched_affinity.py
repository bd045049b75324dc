# os.sched_getaffinity: every CPU (what tutorials count workers by), for this process and
# another one; a pid that does not exist is ProcessLookupError.
import multiprocessing as mp
import os


def cpus(q):
    q.put(len(os.sched_getaffinity(0)))


if __name__ == "__main__":
    mp.set_start_method("spawn")
    print(os.sched_getaffinity(0) == set(range(os.cpu_count())), os.sched_getaffinity(os.getpid()) == os.sched_getaffinity(0))
    q = mp.Queue()
    p = mp.Process(target=cpus, args=(q,))
    p.start()
    print(q.get() == os.cpu_count(), os.sched_getaffinity(p.pid) == os.sched_getaffinity(0))
    p.join()
    for args in ((999999,), ()):
        try:
            os.sched_getaffinity(*args)
        except (OSError, TypeError) as e:
            print(type(e).__name__, e)
