# Files written by several processes keep every write, as on Linux: a reader's close does not
# give up a writer's later writes; processes appending at once ('a', O_APPEND, a logging
# FileHandler) each add their lines; a file another process made can be removed and renamed.
import logging
import multiprocessing as mp
import os


def append_lines(i, bar):
    f = open("c.log", "a", buffering=1)
    bar.wait()
    for j in range(5):
        f.write(f"{i}-{j}\n")
    bar.wait()
    f.close()


def append_fd(i, bar):
    fd = os.open("d.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    bar.wait()
    for j in range(5):
        os.write(fd, f"{i}-{j}\n".encode())
    bar.wait()
    os.close(fd)


def log_to_file(i, bar):
    handler = logging.FileHandler("e.log")
    logger = logging.getLogger("w%d" % i)
    logger.addHandler(handler)
    bar.wait()
    for j in range(5):
        logger.warning("%d-%d", i, j)
    bar.wait()


def make(name):
    with open(name, "w") as f:
        f.write("x")


def child_write(path):
    with open(path, "w") as g:
        g.write("CHILD-DATA")


if __name__ == "__main__":
    mp.set_start_method("spawn")
    log = open("app.log", "w")
    log.write("line1\n")
    log.flush()
    with open("app.log") as r:
        print("peek:", repr(r.read()))
    log.write("line2\n")
    log.close()
    print("final:", repr(open("app.log").read()))
    os.remove("app.log")

    for target, name in ((append_lines, "c.log"), (append_fd, "d.log"), (log_to_file, "e.log")):
        bar = mp.Barrier(3)
        ps = [mp.Process(target=target, args=(i, bar)) for i in range(3)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        lines = open(name).read().splitlines()
        print(name, len(lines), sorted(lines) == sorted(f"{i}-{j}" for i in range(3) for j in range(5)))
        os.remove(name)

    with open("x.txt", "w") as f:
        f.write("original")
    keep = open("x.txt", "a")
    p = mp.Process(target=child_write, args=("x.txt",))
    p.start()
    p.join()
    with open("x.txt") as r:
        print("parent reads:", r.read())
    keep.write("+tail")
    keep.close()
    print("then:", open("x.txt").read())
    os.remove("x.txt")

    for name in ["a.txt", "b.txt", "c.txt"]:
        p = mp.Process(target=make, args=(name,))
        p.start()
        p.join()
    os.remove("a.txt")
    os.rename("b.txt", "b2.txt")
    os.unlink("c.txt")
    os.mkdir("made")
    p = mp.Process(target=make, args=("made/f.txt",))
    p.start()
    p.join()
    os.remove("made/f.txt")
    os.rmdir("made")
    print(sorted(f for f in os.listdir(".") if f.endswith(".txt") or f == "made"))
    os.remove("b2.txt")
