# A Pool's workers all run its tasks side by side from the start, and the tasks start after
# what the caller does next (CPython's task handler thread feeds them when the main thread
# next waits): "waiting" first, four starts, then the fifth task once the first one ended.
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Pool


def say(line):
    # One write per line: print() writes its end apart, and unbuffered workers' lines could mix.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def task(i):
    say("start")
    time.sleep(0.3 * (i + 1))
    say(f"end {i}")


def whoami(_):
    time.sleep(0.2)
    return os.getpid()


if __name__ == "__main__":
    pool = Pool(4)
    for i in range(5):
        pool.apply_async(task, (i,))
    say("waiting")
    pool.close()
    pool.join()
    with ProcessPoolExecutor(4) as ex:
        print("executor workers used:", len(set(ex.map(whoami, range(4)))))
