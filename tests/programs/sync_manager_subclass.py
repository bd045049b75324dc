# SyncManager is a BaseManager, as in CPython: a subclass registers types of its own next to
# dict, list, Queue and Lock; one at an address is reached with connect() from another process.
import multiprocessing as mp
from multiprocessing.managers import BaseManager, SyncManager


class Counter:
    def __init__(self):
        self.n = 0

    def add(self, k):
        self.n += k
        return self.n


class MyManager(SyncManager):
    pass


MyManager.register("Counter", Counter)


def child(address):
    m = SyncManager(address=address, authkey=b"abc")
    m.connect()
    print("child connected:", m.address == address)
    try:
        SyncManager(address=address, authkey=b"wrong").connect()
    except Exception as e:
        print("wrong key:", type(e).__name__, e)


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    print("SyncManager is a BaseManager:", issubclass(SyncManager, BaseManager), hasattr(SyncManager, "register"))
    with mp.Manager() as m:
        d, q = m.dict(a=1), m.Queue()
        q.put(3)
        print(isinstance(m, BaseManager), type(m).__name__, dict(d), q.get())
    for what, use in (("a proxy", lambda: d["a"]), ("a new object", m.dict)):
        try:
            use()
        except Exception as e:
            print(what, "after shutdown:", type(e).__name__, e)
    with MyManager() as m:
        c = m.Counter()
        print("Counter:", c.add(20), c.add(22))
        d, l, q, lock = m.dict(x=1), m.list([5]), m.Queue(), m.Lock()
        q.put("hi")
        print(dict(d), l[0], q.get(), lock.acquire(), lock.release())
    sm = SyncManager(address=("127.0.0.1", 0), authkey=b"abc")
    sm.start()
    print("at an address:", sm.address[0], sm.address[1] > 0)
    p = mp.Process(target=child, args=(sm.address,))
    p.start()
    p.join()
    sm.shutdown()
    print("child exit code", p.exitcode)
