# Every process reads the one shared copy of the stdlib zip; a process that writes to it gets
# its own copy first, so no other process sees the change (Spawnpoint only: CPython has no zip).
import multiprocessing as mp
import sys


def child(q):
    import colorsys  # not preloaded: read from the stdlib zip

    q.put(colorsys.rgb_to_hsv(1.0, 0.0, 0.0))


if __name__ == "__main__":
    zip_path = next(p for p in sys.path if p.endswith(".zip"))
    with open(zip_path, "r+b") as f:
        head = f.read(4)
        size = f.seek(0, 2)
        f.seek(0)
        f.write(b"\0" * size)  # the whole zip: had it been shared, no process could import from it
    with open(zip_path, "rb") as f:
        print("parent's copy changed:", head == b"PK\x03\x04", f.read(4) == b"\0\0\0\0")
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    print("child imported colorsys:", q.get(timeout=20))
    p.join()
    print("exitcode", p.exitcode)
