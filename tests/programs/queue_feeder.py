"""A process that put items waits at exit until they are in the queue's pipe (64 KiB)."""
import multiprocessing as mp


def put_small(q):
    for i in range(10):
        q.put(i)


def put_many(q, cancel):
    if cancel:
        q.cancel_join_thread()
    for i in range(200):
        q.put("x" * 1000)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    q = mp.Queue()
    p = mp.Process(target=put_small, args=(q,))
    p.start()
    p.join(timeout=5)
    print("small items fit in the pipe: finished", not p.is_alive(), p.exitcode)
    print("got", [q.get() for _ in range(10)])

    p = mp.Process(target=put_many, args=(q, False))
    p.start()
    p.join(timeout=1)
    print("200 KB not read: alive after join(timeout)", p.is_alive(), p.exitcode)
    items = [q.get() for _ in range(200)]
    p.join()
    print("drained", len(items), "then joined:", p.exitcode)

    p = mp.Process(target=put_many, args=(q, True))
    p.start()
    p.join(timeout=5)
    print("cancel_join_thread: finished", not p.is_alive(), p.exitcode)

    q2 = mp.Queue()
    try:
        q2.join_thread()
    except AssertionError:
        print("join_thread before close: AssertionError")
    q2.put("last")
    q2.close()
    q2.join_thread()
    try:
        q2.put("more")
    except ValueError as e:
        print("put after close: ValueError", "is closed" in str(e))
