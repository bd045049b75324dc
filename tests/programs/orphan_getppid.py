# A grandchild whose parent exits is re-parented to init: os.getppid() becomes 1.
import multiprocessing as mp
import os
import time


def grandchild(q, ready):
    q.put(("grandchild's parent is the child", os.getppid() == q_child_pid(q)))
    ready.set()
    deadline = time.monotonic() + 20
    while os.getppid() != 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    q.put(("grandchild's getppid() after the child exited", os.getppid()))


def q_child_pid(q):
    return mp.parent_process().pid


def child(q):
    ready = mp.Event()
    g = mp.Process(target=grandchild, args=(q, ready))
    g.start()
    ready.wait()
    q.put(("child exits", True))
    q.close()
    q.join_thread()
    os._exit(0)  # without joining the grandchild: it is orphaned


if __name__ == "__main__":
    mp.set_start_method("spawn")
    q = mp.Queue()
    c = mp.Process(target=child, args=(q,))
    c.start()
    for line in sorted(q.get() for _ in range(3)):
        print(*line)
    c.join()
    print("child exitcode:", c.exitcode)
