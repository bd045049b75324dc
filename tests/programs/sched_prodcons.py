# A correct producer and consumer: the producer puts five numbers and then None on a Queue,
# the consumer adds them up until None and sends the total back. Every interleaving gives 10.
from multiprocessing import Process, Queue


def producer(q, n):
    for i in range(n):
        q.put(i)
    q.put(None)


def consumer(q, out):
    total = 0
    while (item := q.get()) is not None:
        total += item
    out.put(total)


if __name__ == "__main__":
    q, out = Queue(), Queue()
    p = Process(target=producer, args=(q, 5))
    c = Process(target=consumer, args=(q, out))
    p.start()
    c.start()
    total = out.get()
    p.join()
    c.join()
    assert total == 10, total
    print("total", total)
