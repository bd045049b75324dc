# The child starts in the parent's current directory, including one the parent has just
# created (spawn.prepare chdirs into it), and sees what the parent wrote there.
import multiprocessing as mp
import os
import shutil


def child(base, second=False):
    print("child cwd:", os.path.relpath(os.getcwd(), base), flush=True)
    print("child sees:", sorted(os.listdir(".")), flush=True)
    with open("note.txt") as f:
        print("child reads:", f.read(), flush=True)
    if second:
        try:
            os.makedirs("made_by_child/deeper")
        except FileExistsError as e:
            print("child: FileExistsError", e.errno, e.filename, flush=True)
        return
    os.makedirs("made_by_child/deeper")
    with open("made_by_child/deeper/out.txt", "w") as f:
        f.write("from the child")


def show_cwd(base):
    print("child cwd:", os.path.relpath(os.getcwd(), base), os.listdir("."), flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    base = os.getcwd()
    os.makedirs("inherit_cwd_work/a/b", exist_ok=True)
    os.mkdir("inherit_cwd_work/empty")
    try:
        os.chdir("inherit_cwd_work/a")
        with open("note.txt", "w") as f:
            f.write("written by the parent")
        p = mp.Process(target=child, args=(base,))
        p.start()
        p.join()
        print("parent exitcode:", p.exitcode)
        with open("made_by_child/deeper/out.txt") as f:
            print("parent reads:", f.read())
        print("parent sees:", sorted(os.listdir(".")))
        os.rmdir("b")
        q = mp.Process(target=child, args=(base, True))
        q.start()
        q.join()
        print("second child exitcode:", q.exitcode)
        os.chdir("../empty")  # a directory that never held a file
        r = mp.Process(target=show_cwd, args=(base,))
        r.start()
        r.join()
        print("third child exitcode:", r.exitcode)
    finally:
        os.chdir(base)
        shutil.rmtree("inherit_cwd_work")
    print("cleaned up:", not os.path.exists("inherit_cwd_work"))
