# A directory one process removes is gone for the others too, also for those already running
# that saw it (os.rmdir, shutil.rmtree; mkdtemp's directory the parent never looked at again).
import multiprocessing as mp
import os
import shutil
import tempfile


def remove(d, how):
    os.rmdir(d) if how == "rmdir" else shutil.rmtree(d)


def watcher(d, seen, removed):
    print("watcher sees it:", os.path.isdir(d), sorted(os.listdir(d)), flush=True)
    seen.set()
    removed.wait()
    print("watcher after the removal:", os.path.exists(d), os.path.exists(os.path.join(d, "f.txt")), flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    for how in ("rmdir", "rmtree"):
        d = tempfile.mkdtemp()
        if how == "rmtree":
            os.mkdir(os.path.join(d, "sub"))
            with open(os.path.join(d, "sub", "f.txt"), "w") as f:
                f.write("x")
        p = mp.Process(target=remove, args=(d, how))
        p.start()
        p.join()
        print(how, p.exitcode, os.path.exists(d), os.path.basename(d) in os.listdir(tempfile.gettempdir()))
        os.mkdir(d)
        os.rmdir(d)
    d = tempfile.mkdtemp()
    with open(os.path.join(d, "f.txt"), "w") as f:
        f.write("x")
    seen, removed = mp.Event(), mp.Event()
    w = mp.Process(target=watcher, args=(d, seen, removed))
    w.start()
    seen.wait()
    shutil.rmtree(d)
    removed.set()
    w.join()
