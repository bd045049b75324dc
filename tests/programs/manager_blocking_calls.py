# A BaseManager's server answers every client while one of them waits in a blocking call
# (CPython gives each client a thread): the distributed task queue of the tutorials, a full
# queue, an Event, a Lock, a timeout that passes; and get_server().serve_forever() in a process.
import multiprocessing as mp
import queue
import threading
from multiprocessing.managers import BaseManager

tasks = queue.Queue()
results = queue.Queue()
small = queue.Queue(maxsize=1)
event = threading.Event()
lock = threading.Lock()


class QueueManager(BaseManager):
    pass


def get_tasks():
    return tasks


def get_results():
    return results


def get_small():
    return small


def get_event():
    return event


def get_lock():
    return lock


for f in (get_tasks, get_results, get_small, get_event, get_lock):
    QueueManager.register(f.__name__, callable=f)


def client(address):
    m = QueueManager(address=address, authkey=b"abc")
    m.connect()
    return m


def worker(address):
    m = client(address)
    t, r = m.get_tasks(), m.get_results()
    for _ in range(3):
        n = t.get(timeout=5)
        r.put(f"{n} * {n} = {n * n}")
    m.get_small().put("second")  # waits until the main process takes the first
    m.get_event().set()
    lock = m.get_lock()
    lock.acquire()
    r.put("worker holds the lock")
    lock.release()


def serve(addresses):
    m = QueueManager(address=("127.0.0.1", 0), authkey=b"abc")
    server = m.get_server()
    addresses.put(server.address)
    server.serve_forever()


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    manager = QueueManager(address=("127.0.0.1", 0), authkey=b"abc")
    manager.start()
    t, r, s = manager.get_tasks(), manager.get_results(), manager.get_small()
    lock = manager.get_lock()
    lock.acquire()
    s.put("first")
    p = mp.Process(target=worker, args=(manager.address,))
    p.start()
    for i in range(3):
        t.put(i)
    for _ in range(3):
        print("result:", r.get(timeout=10))
    print("small queue:", s.get(timeout=5), s.get(timeout=5))
    print("event set:", manager.get_event().wait(10))
    lock.release()
    print(r.get(timeout=10))
    p.join()
    print("worker exit code", p.exitcode)
    try:
        r.get(timeout=0.3)
    except queue.Empty:
        print("a get whose timeout passed: Empty")
    lock.acquire()
    print("an acquire whose timeout passed:", manager.get_lock().acquire(timeout=0.2))
    manager.shutdown()

    addresses = mp.Queue()
    server = mp.Process(target=serve, args=(addresses,), daemon=True)
    server.start()
    m = client(addresses.get(timeout=10))
    q = m.get_tasks()
    q.put("through serve_forever")
    print(q.get(timeout=5))
