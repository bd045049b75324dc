"""What shared ctypes objects look like: their reprs and type names, in the parent and in a
child that got them pickled, and the errors for types ctypes cannot size."""
import ctypes
import multiprocessing as mp
import re
from multiprocessing.sharedctypes import copy


def shown(obj):
    return re.sub(r" at 0x[0-9a-f]+", "", repr(obj))


def child(v, arr, chars, wide):
    print("child:", shown(v), shown(arr), type(arr.get_obj()).__name__, shown(chars), wide[:])


if __name__ == "__main__":
    mp.set_start_method("spawn")
    v = mp.Value("i", 7)
    print(shown(v), shown(v.get_obj()))
    for t in ("b", "B", "h", "H", "I", "l", "L", "q", "Q", "f", "d", "c", "u"):
        print(t, shown(mp.RawValue(t)), type(mp.RawValue(t)).__module__)
    for t in (ctypes.c_bool, ctypes.c_longlong, ctypes.c_ubyte, ctypes.c_char, ctypes.c_int8, ctypes.c_double):
        print(shown(mp.Value(t)))
    print(shown(mp.Value("f", 0.1)), shown(mp.Value("c", b"x")), shown(mp.Value("i", 3, lock=False)))
    arr = mp.Array("i", 3)
    print(shown(arr), type(arr.get_obj()).__name__, type(arr.get_obj()).__module__)
    print(type(mp.RawArray("b", 2)).__name__, type(mp.RawArray("d", [1.5, 2])).__name__)
    chars = mp.Array("c", b"hi")
    wide = mp.Array("u", 4)
    wide[0], wide[1] = "h", "\u00e9"
    print(shown(chars), repr(wide[:]), type(wide).__name__)
    # The wrappers' classes, as type() shows them.
    print(type(v), type(arr), type(chars))
    w = mp.Value("u", "z")
    print(shown(w))
    for bad in (3, "ab"):
        try:
            w.value = bad
        except TypeError as e:
            print("TypeError:", e)
    print(shown(copy(mp.Value("l", 5).get_obj())), type(copy(arr.get_obj())).__name__)
    for t in ("?", "x", int, ctypes.Structure, 5):
        try:
            mp.Value(t)
        except TypeError as e:
            print(repr(t), "TypeError:", e)
    p = mp.Process(target=child, args=(v, arr, chars, wide))
    p.start()
    p.join()
