"""One process gets from a Queue it alone can reach, then starts a child that gets the rest,
and both check qsize and empty on the way: every item is got once, in order, whoever gets it.
(Relay mode reads ahead while a process is its program's only one: lib/runtime/relay.test.ts.)"""
from multiprocessing import Process, Queue


def rest(q, n):
    got = [q.get() for _ in range(n)]
    print("child got", len(got), "items, first", got[0], "last", got[-1], "in order:", got == list(range(got[0], got[0] + n)))
    print("child: empty now?", q.empty())
    q.put("from child")


if __name__ == "__main__":
    q = Queue()
    for i in range(5000):
        q.put(i)
    print("sum of 4000 gets:", sum(q.get() for _ in range(4000)), "expected:", sum(range(4000)))
    print("qsize after:", q.qsize())
    first = [q.get() for _ in range(10)]
    print("next ten:", first)
    p = Process(target=rest, args=(q, 990))
    p.start()
    p.join()
    print("parent got:", q.get(), "| empty:", q.empty())
