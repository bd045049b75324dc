# A Pool dropped while running warns (ResourceWarning), as CPython's does; one whose
# arguments were refused does not.
import gc
import warnings
import multiprocessing
import multiprocessing.pool


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    pool = multiprocessing.Pool(1)
    pool.terminate()
    pool.join()
    pool._state = multiprocessing.pool.RUN
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        pool = None
        gc.collect()
    print([str(x.message).split(" <")[0] for x in w], [x.category.__name__ for x in w])
    try:
        multiprocessing.Pool(0)
    except ValueError as e:
        print("ValueError:", e)
