# os.truncate by path cuts (or zero-fills) the shared file, for this process and the others.
import multiprocessing as mp
import os


def cut(path, n):
    os.truncate(path, n)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with open("t.txt", "w") as f:
        f.write("0123456789")
    os.truncate("t.txt", 3)
    print(repr(open("t.txt").read()))
    p = mp.Process(target=cut, args=("t.txt", 5)); p.start(); p.join()
    print(repr(open("t.txt", "rb").read()), os.path.getsize("t.txt"))
    with open("t.txt", "r+") as f:
        f.truncate(1)
    p = mp.Process(target=print, args=(repr(open("t.txt").read()),)); p.start(); p.join()
    try:
        os.truncate("missing.txt", 1)
    except OSError as e:
        print(type(e).__name__, e)
    os.remove("t.txt")
