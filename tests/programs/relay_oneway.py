"""Releases, Value stores and puts on an unbounded Queue from several processes, with a
Barrier and a Condition between them: the totals show no update was lost or reordered.
(Relay mode posts these calls without waiting for an answer: lib/runtime/relay.test.ts.)"""
from multiprocessing import Barrier, Condition, Process, Queue, RLock, Semaphore, Value

N = 300


def worker(k, q, total, lock, slots, doors, cond, ready):
    doors.wait()
    for i in range(N):
        q.put((k, i))
        with lock:
            total.value += i
        slots.release()
    with cond:
        ready.value += 1
        cond.notify_all()
    q.put(None)


if __name__ == "__main__":
    q = Queue()
    total = Value("i", 0, lock=False)
    ready = Value("i", False, lock=False)  # a bool stored as an int
    lock = RLock()
    slots = Semaphore(0)
    doors = Barrier(3)
    cond = Condition()
    ps = [Process(target=worker, args=(k, q, total, lock, slots, doors, cond, ready)) for k in range(2)]
    for p in ps:
        p.start()
    print("barrier index in", range(3), doors.wait() in range(3))
    seen = {0: [], 1: []}
    done = 0
    while done < 2:
        item = q.get()
        if item is None:
            done += 1
        else:
            seen[item[0]].append(item[1])
    with cond:
        cond.wait_for(lambda: ready.value == 2)
    for p in ps:
        p.join()
    print("each worker's items in order:", all(seen[k] == list(range(N)) for k in seen))
    print("total:", total.value, "expected:", 2 * sum(range(N)))
    taken = 0
    while slots.acquire(False):
        taken += 1
    print("semaphore releases:", taken)
    print("exit codes:", [p.exitcode for p in ps])
