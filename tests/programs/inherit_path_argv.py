# spawn's preparation data carries sys.path and sys.argv: the child sees the parent's,
# including entries the parent added before start().
import multiprocessing as mp
import sys


def child(parent_path, parent_argv):
    print("child sys.path[0]:", sys.path[0], flush=True)
    print("child sys.path == parent's:", sys.path == parent_path, flush=True)
    print("child sys.argv[1:]:", sys.argv[1:], flush=True)
    print("child sys.argv == parent's:", sys.argv == parent_argv, flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    sys.path.insert(0, "/opt/extra-modules")
    sys.argv.extend(["--size", "3"])
    p = mp.Process(target=child, args=(sys.path, sys.argv))
    p.start()
    p.join()
