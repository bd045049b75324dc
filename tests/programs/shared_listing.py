"""What one process wrote and closed, another sees in listdir / exists / stat; deletions and renames too."""
import multiprocessing as mp
import os


def write(name, text):
    with open(name, "w") as f:
        f.write(text)


def delete(name):
    os.remove(name)


def rename(src, dst):
    os.replace(src, dst)


def report(label):
    names = sorted(n for n in os.listdir(".") if n.startswith("made_"))
    sizes = [os.stat(n).st_size for n in names]
    print(label, names, sizes, os.path.exists("made_by_child.txt"))


def run(target, *args):
    p = mp.Process(target=target, args=args)
    p.start()
    p.join()


if __name__ == "__main__":
    mp.set_start_method("spawn")
    report("before:")
    run(write, "made_by_child.txt", "hello from the child\n")
    report("after the child wrote:")
    print("getsize:", os.path.getsize("made_by_child.txt"), "isfile:", os.path.isfile("made_by_child.txt"))
    write("made_by_parent.txt", "parent\n")
    run(report, "the child sees:")
    run(rename, "made_by_parent.txt", "made_renamed.txt")
    report("after the child renamed:")
    run(delete, "made_by_child.txt")
    report("after the child deleted:")
    os.remove("made_renamed.txt")
    run(report, "the child after the parent deleted:")
