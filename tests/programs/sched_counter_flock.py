# sched_counter_file.py with a flock on the counter file itself, taken after the open: no
# interleaving loses an update (what is read under the lock is what the last holder wrote).
import fcntl
import multiprocessing as mp


def add():
    with open("counter.txt", "r+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
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
