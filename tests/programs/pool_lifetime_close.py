# close() then join() on a Pool whose workers each do one task: new workers are started for
# the tasks left after close(), so join() returns with every result, as in CPython.
import time
import multiprocessing


def sqr(x, wait=0.0):
    time.sleep(wait)
    return x * x


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    p = multiprocessing.Pool(3, maxtasksperchild=1)
    results = [p.apply_async(sqr, (i, 0.3)) for i in range(6)]
    p.close()
    p.join()
    print([r.get() for r in results])
