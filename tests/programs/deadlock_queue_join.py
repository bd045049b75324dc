# The multiprocessing docs' "joining processes that use queues": the child cannot end
# until its big item has left its feeder, and the parent joins it before getting it.
from multiprocessing import Process, Queue


def produce(q):
    q.put("X" * 1_000_000)


if __name__ == "__main__":
    q = Queue()
    p = Process(target=produce, args=(q,), name="producer")
    p.start()
    print("joining")
    p.join()
    print(len(q.get()))
