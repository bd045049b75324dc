# A race hidden by a sleep: the main process sleeps 1 s before it looks, and on an unloaded
# machine the child has put its item by then. A machine that stalls the child breaks it:
# search finds that; a timed search (sleeps keep their order) does not.
import time
from multiprocessing import Process, Queue


def child(q):
    q.put("data")


if __name__ == "__main__":
    q = Queue()
    p = Process(target=child, args=(q,))
    p.start()
    time.sleep(1)
    assert not q.empty(), "the child had not put its item yet"
    print("got", q.get())
    p.join()
