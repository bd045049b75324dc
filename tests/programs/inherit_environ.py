# The child sees os.environ as it was at start(): changes made before start() are
# inherited, changes made after it are not.
import multiprocessing as mp
import os


def show(started):
    started.wait()
    print("child SPAWN_BEFORE =", os.environ.get("SPAWN_BEFORE"), flush=True)
    print("child SPAWN_AFTER =", os.environ.get("SPAWN_AFTER"), flush=True)
    print("child SPAWN_REMOVED =", os.environ.get("SPAWN_REMOVED"), flush=True)
    print("child HOME unchanged:", os.environ.get("HOME") == os.environ.get("PARENT_HOME"), flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    os.environ["SPAWN_BEFORE"] = "set before start"
    os.environ["PARENT_HOME"] = os.environ.get("HOME", "")
    os.environ["SPAWN_REMOVED"] = "x"
    del os.environ["SPAWN_REMOVED"]
    started = mp.Event()
    p = mp.Process(target=show, args=(started,))
    p.start()
    os.environ["SPAWN_AFTER"] = "set after start"
    os.environ["SPAWN_BEFORE"] = "changed after start"
    started.set()
    p.join()
    print("parent SPAWN_BEFORE =", os.environ["SPAWN_BEFORE"])
