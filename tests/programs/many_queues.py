"""A program making 100 Queues (each a ring in the shared heap) and a Lock each."""
import multiprocessing as mp

if __name__ == "__main__":
    qs = [mp.Queue() for _ in range(100)]
    locks = [mp.Lock() for _ in range(100)]
    for i, q in enumerate(qs):
        q.put(i)
    print(sum(q.get() for q in qs), len(locks))
