# A shared char array (Array("c", ...)): built from bytes, .value (up to the first NUL) and
# .raw (every byte) read and written in this process and in a child, and ctypes' errors.
import multiprocessing as mp


def shout(a):
    a.value = a.value.upper()


if __name__ == "__main__":
    a = mp.Array("c", b"hello")
    print(a.value, a.raw, len(a), a[0], a[1:3])
    a.value = b"hi"
    print(a.value, a.raw)
    a.raw = b"xyz"
    print(a.value, a.raw)
    for bad in (b"toolong", "text"):
        for attr in ("value", "raw"):
            try:
                setattr(a, attr, bad)
            except (ValueError, TypeError) as e:
                print(attr, type(e).__name__, e)
    try:
        a[0] = "x"
    except TypeError as e:
        print("item", e)
    p = mp.Process(target=shout, args=(a,))
    p.start()
    p.join()
    print("after the child:", a.value, a.raw)
    r = mp.RawArray("c", 4)
    r.value = b"ab"
    print(r.raw, mp.Array("c", 3).raw)
