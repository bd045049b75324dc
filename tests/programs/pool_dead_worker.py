# A Pool worker that dies in the middle of a task is replaced, as CPython's worker handler
# does: that task's result never comes, and the pool goes on with the next ones.
import multiprocessing as mp
import os
import time


def die(x):
    os._exit(1)


def plus_one(x):
    return x + 1


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Pool(1) as pool:
        before = pool.apply(os.getpid)
        lost = pool.apply_async(die, (1,))
        time.sleep(0.5)
        print("lost task ready:", lost.ready())
        print("next task:", pool.apply(plus_one, (1,)), pool.map(plus_one, range(3)))
        print("a new worker:", pool.apply(os.getpid) != before)
