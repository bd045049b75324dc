# A file made by open() exists for other processes at once, before its close, and a file another
# process unlinked while this one still writes it stays gone: stat no longer finds it, and
# neither the close nor the exit brings its name back (Linux frees the nameless inode).
import multiprocessing as mp
import os
import tempfile


def look(path, q):
    q.put((os.path.exists(path), os.path.getsize(path) if os.path.exists(path) else None))


def remove(path):
    os.remove(path)


def keep_open(path):
    f = open(path, "w")
    f.write("written by a process that exits without closing it")
    remove_in = mp.Process(target=remove, args=(path,))
    remove_in.start()
    remove_in.join()


if __name__ == "__main__":
    mp.set_start_method("spawn")
    q = mp.Queue()
    os.chdir(tempfile.mkdtemp())

    f = open("made.txt", "w")
    f.write("not flushed yet")
    p = mp.Process(target=look, args=(os.path.abspath("made.txt"), q))
    p.start()
    print("a child sees the file open() made:", q.get())
    p.join()
    f.close()

    with open("big.txt", "w") as f:
        f.write("x" * 100)
    f = open("big.txt", "w")
    p = mp.Process(target=look, args=("big.txt", q))
    p.start()
    print("and the truncation of one that was there:", q.get())
    p.join()
    f.close()

    w = open("doomed.txt", "w")
    w.write("abc")
    p = mp.Process(target=remove, args=("doomed.txt",))
    p.start()
    p.join()
    print("unlinked by a child while open here, exit code", p.exitcode, "exists:", os.path.exists("doomed.txt"))
    w.write("def")
    w.close()
    print("after the close:", os.path.exists("doomed.txt"), sorted(os.listdir(".")))

    p = mp.Process(target=keep_open, args=("left.txt",))
    p.start()
    p.join()
    print("after the exit of a process that had it open:", os.path.exists("left.txt"))

    with tempfile.NamedTemporaryFile("w") as tf:
        p = mp.Process(target=look, args=(tf.name, q))
        p.start()
        print("a NamedTemporaryFile, from a child:", q.get())
        p.join()
    print("gone after the with:", os.path.exists(tf.name))
