# Children started one after another (the later ones in recycled workers) each read a file
# too big to come with their start: every one sees all of it, and so does the parent after.
import os
from multiprocessing import Process

BIG = "big.txt"


def read_it(i):
    with open(BIG) as f:
        print(f"child {i} read {len(f.read())} characters", flush=True)


if __name__ == "__main__":
    with open(BIG, "w") as f:
        f.write("x" * 300_000)
    for i in range(3):
        p = Process(target=read_it, args=(i,))
        p.start()
        p.join()
    print("parent: size", os.path.getsize(BIG))
    os.remove(BIG)
