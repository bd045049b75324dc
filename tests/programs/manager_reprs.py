"""A manager's synchronization objects show their proxies' reprs, in the parent and in a child."""
import multiprocessing as mp
import re


def shown(obj):
    return re.sub(r"0x[0-9a-f]+", "0x…", repr(obj))


def child(event, lock):
    print("child:", shown(event), event.is_set())
    print("child:", shown(lock))


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Manager() as m:
        event = m.Event()
        print(shown(event))
        event.set()
        print(shown(event), event.is_set())
        for make in (m.Lock, m.RLock, m.Semaphore, m.BoundedSemaphore, m.Condition, m.Queue, m.JoinableQueue):
            print(shown(make()))
        p = mp.Process(target=child, args=(event, m.Lock()))
        p.start()
        p.join()
        print("exit code", p.exitcode)
