# Shared ctypes objects made or used wrongly fail as ctypes does in CPython, and
# sharedctypes.synchronized wraps a raw one.
import ctypes
import multiprocessing as mp
from multiprocessing import sharedctypes


def bump(v, a):
    with v.get_lock():
        v.value += 1
    with a.get_lock():
        a[0] += 10


if __name__ == "__main__":
    mp.set_start_method("spawn")
    for make in (lambda: mp.Array("i", -1), lambda: mp.RawArray("d", -3)):
        try:
            make()
        except ValueError as e:
            print("ValueError", e)
    a = mp.Array("i", [1, 2, 3])
    for key in ("x", 1.5, None):
        try:
            a[key]
        except TypeError as e:
            print("TypeError", e)
    print(a[True], a[-1], a[0:2])
    raw_v, raw_a = mp.RawValue("i", 5), mp.RawArray("i", 2)
    v, s = sharedctypes.synchronized(raw_v), sharedctypes.synchronized(raw_a)
    print(type(v).__name__, type(s).__name__, type(sharedctypes.synchronized(mp.RawArray("c", 3))).__name__)
    ps = [mp.Process(target=bump, args=(v, s)) for _ in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(v.value, raw_v.value, s[0], raw_a[0])
    try:
        sharedctypes.synchronized(v)
    except AssertionError as e:
        print("AssertionError", e)
