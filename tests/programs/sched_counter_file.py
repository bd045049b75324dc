# Two processes add one to a counter in a file: read, add, write back. With no lock some
# interleavings lose an update; sched_counter_flock.py takes a flock around it.
import multiprocessing as mp


def add():
    with open("counter.txt", "r+") as f:
        n = int(f.read())
        f.seek(0)
        f.write(str(n + 1))


if __name__ == "__main__":
    with open("counter.txt", "w") as f:
        f.write("0")
    procs = [mp.Process(target=add) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    with open("counter.txt") as f:
        n = int(f.read())
    assert n == 2, "lost update: the counter is %d" % n
    print("counter:", n)
