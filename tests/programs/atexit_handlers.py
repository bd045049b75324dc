"""A process's end as CPython's shutdown: atexit callbacks (in the main process around
multiprocessing's own exit handler, which joins the children), then the script's globals
destroyed, their __del__ run; also in a child, and after an uncaught exception."""
import atexit
import multiprocessing as mp
import sys


class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name, __name__, flush=True)


class Cycle:
    def __init__(self):
        self.me = self

    def __del__(self):
        print("del cycle", flush=True)


def bye(who):
    print("atexit", who, flush=True)


def broken():
    raise ValueError("callback failed")


atexit.register(bye, "top of " + __name__)
_private = Noisy("private")
public = Noisy("public")


def child(fail):
    atexit.register(bye, "child")
    atexit.register(broken)
    print("child runs", flush=True)
    if fail:
        raise RuntimeError("child failed")
    # Garbage in a cycle: the shutdown's collection finds it (a traceback printed first might
    # set off an earlier collection in CPython, at a point that depends on allocation counts).
    Cycle()


if __name__ == "__main__":
    mp.set_start_method("spawn")
    p = mp.Process(target=child, args=(False,))
    p.start()
    atexit.register(bye, "main, after the first start")
    p.join()
    q = mp.Process(target=child, args=(True,))
    q.start()
    q.join()
    print("exit codes", p.exitcode, q.exitcode, flush=True)
    sys.stderr.flush()
    raise SystemExit(3)
