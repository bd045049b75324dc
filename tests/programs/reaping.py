import multiprocessing as mp
import os
import time


def quick():
    pass


def orphan_maker(q):
    c = mp.Process(target=report_parent, args=(q, os.getpid()))
    c.start()
    q.put(("child pid", c.pid))
    os._exit(0)  # the parent dies without joining: its child is an orphan


def report_parent(q, old_parent):
    # Wait (up to 10 s, for loaded machines) until the parent has died and init adopted us.
    deadline = time.monotonic() + 10
    while os.getppid() == old_parent and time.monotonic() < deadline:
        time.sleep(0.05)
    q.put(("orphan adopted by init", os.getppid() == 1, os.getppid() != old_parent))


if __name__ == "__main__":
    mp.set_start_method("spawn")
    p = mp.Process(target=quick); p.start()
    time.sleep(2)  # ample time for the child to finish, even on a loaded machine
    # Finished but not joined: a zombie; active_children() reaps it.
    print("exitcode before reaping:", p._popen.returncode)
    print("active children:", mp.active_children())
    print("exitcode after:", p.exitcode)
    q = mp.Queue()
    m = mp.Process(target=orphan_maker, args=(q,)); m.start(); m.join()
    print("orphan maker exit:", m.exitcode)
    print(q.get()[0])
    print(q.get())
