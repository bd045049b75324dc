"""The victim of hostile_heap.py: a Queue and a Lock whose numbers it prints, then keeps
using both until told to stop (a line on stdin)."""
import multiprocessing as mp

if __name__ == "__main__":
    q = mp.Queue()
    lock = mp.Lock()
    print(q._id, lock._semlock.handle, flush=True)
    input()
    with lock:
        for i in range(100):
            q.put(i)
        print("victim sum", sum(q.get(timeout=5) for _ in range(100)))
