"""Value and copy() of a ctypes Structure: its fields live in shared memory."""
import multiprocessing as mp
from ctypes import Structure, c_char, c_double, c_int, c_longlong
from multiprocessing.sharedctypes import RawValue, Value, copy


class Point(Structure):
    _fields_ = [("x", c_int), ("y", c_double), ("z", c_longlong)]


class Tagged(Structure):
    _fields_ = [("flag", c_char), ("where", Point), ("name", c_char * 8), ("n", c_int * 3)]


def double(foo, raw, tagged, count):
    count.value += 1
    foo.x *= 2
    foo.y *= 2
    raw.z *= 2
    tagged.where.x += 100
    tagged.name = b"child"
    tagged.n[1] = 42


if __name__ == "__main__":
    mp.set_start_method("spawn")
    foo = Value(Point, 3, 2)
    raw = RawValue(Point, 1, 0.5, 2 ** 33)
    tagged = Value(Tagged, b"t", Point(1, 2.0, 3), b"parent", lock=False)
    print(type(foo).__name__, type(raw).__name__, foo.x, foo.y, foo.z, raw.x, raw.y, raw.z)
    print(tagged.flag, tagged.where.x, tagged.where.y, tagged.name, list(tagged.n))
    count = Value("i", 7)
    p = mp.Process(target=double, args=(foo, raw, tagged, count))
    p.start()
    p.join()
    print(count.value, foo.x, foo.y, raw.z, tagged.where.x, tagged.name, list(tagged.n))
    with foo.get_lock():
        print("locked", foo.get_obj().x)

    plain = Point(2, 5.0, 2 ** 33)
    bar = copy(plain)
    plain.x = plain.y = plain.z = 0
    print("copy", type(bar).__name__, bar.x, bar.y, bar.z)
    baz = copy(raw)
    raw.x = 99
    print("copy of shared", baz.x, baz.z)
    try:
        Value(Point, 1, 2, 3, 4)
    except TypeError as e:
        print("TypeError", e)
