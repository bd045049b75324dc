# A BaseManager served at an address, compared with python3: a manager process serves a
# registered class and a queue at ('127.0.0.1', port) with an authkey; another process
# connect()s and uses the proxies; a wrong authkey is refused; shutdown stops the server.
import multiprocessing as mp
import queue
from multiprocessing.managers import BaseManager


class Counter:
    def __init__(self, start=0):
        self.n = start

    def add(self, k):
        self.n += k
        return self.n

    def value(self):
        return self.n


_queue = None


def get_queue():
    global _queue
    if _queue is None:
        _queue = queue.Queue()
    return _queue


class MyManager(BaseManager):
    pass


MyManager.register("Counter", Counter)
MyManager.register("get_queue", callable=get_queue)


class RemoteManager(BaseManager):
    pass


RemoteManager.register("Counter")
RemoteManager.register("get_queue")


def worker(address, authkey, tag):
    m = RemoteManager(address=address, authkey=authkey)
    m.connect()
    m.get_queue().put("hello from " + tag)
    c = m.Counter(100)
    print(tag, "counter:", c.add(5), c.value(), flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    manager = MyManager(address=("127.0.0.1", 0), authkey=b"secret")
    manager.start()
    host, port = manager.address
    print("served at", host, type(port).__name__)
    c = manager.Counter(1)
    print("local proxy:", c.add(2), c.value(), type(c).__name__)
    p = mp.Process(target=worker, args=(manager.address, b"secret", "child"))
    p.start()
    p.join()
    print("child exit code:", p.exitcode)
    q = manager.get_queue()
    print("queue got:", q.get(timeout=10), q.qsize())

    bad = RemoteManager(address=manager.address, authkey=b"wrong")
    try:
        bad.connect()
    except mp.AuthenticationError as e:
        print("wrong authkey:", type(e).__name__, e)
    try:
        c.missing()
    except AttributeError as e:
        print("AttributeError:", e)
    manager.shutdown()
    print("server exit code:", manager._process.exitcode)
