# time.sleep checks its argument as CPython's C function does; a Pipe's ends are
# multiprocessing.connection.Connection objects, as on Linux.
import multiprocessing as mp
import time

for value in ("x", None, [1], float("nan"), -1):
    try:
        time.sleep(value)
    except (TypeError, ValueError, OverflowError) as e:
        print(type(e).__name__, e)
time.sleep(0)
time.sleep(0.001)
time.sleep(True)
a, b = mp.Pipe()
print(type(a).__name__, type(a).__module__, repr(a).split(" object at ")[0], isinstance(a, mp.connection.Connection))
