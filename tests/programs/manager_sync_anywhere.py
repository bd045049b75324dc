"""A manager's Event, Condition and Barrier can travel through a queue (not only to Process at start)."""
import multiprocessing as mp


def child(q):
    event, cond, barrier = q.get()
    barrier.wait()
    event.wait(timeout=10)
    with cond:
        cond.notify_all()
    print("child: event set?", event.is_set())


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Manager() as m:
        event, cond, barrier = m.Event(), m.Condition(), m.Barrier(2)
        q = mp.Queue()
        p = mp.Process(target=child, args=(q,))
        p.start()
        q.put((event, cond, barrier))
        barrier.wait()
        event.set()
        p.join()
        print("parent: child exit", p.exitcode)
