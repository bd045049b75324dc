"""terminate() with a SIGTERM handler: the handler runs, sys.exit(3) gives exit code 3 and
runs `finally`; without a handler the child dies with −15 and runs no `finally`."""
import multiprocessing as mp
import signal
import sys
import time


def on_term(signum, frame):
    print("handler got", signal.Signals(signum).name, flush=True)
    sys.exit(3)


def graceful(ready):
    signal.signal(signal.SIGTERM, on_term)
    try:
        ready.set()
        time.sleep(30)
        print("not reached")
    finally:
        print("finally runs", flush=True)


def abrupt(ready):
    try:
        ready.set()
        time.sleep(30)
    finally:
        print("finally must not run", flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    for target in (graceful, abrupt):
        ready = mp.Event()
        p = mp.Process(target=target, args=(ready,))
        p.start()
        ready.wait()
        p.terminate()
        p.join()
        print(target.__name__, "exitcode", p.exitcode)
