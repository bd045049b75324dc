import multiprocessing as mp
import os
import sys
import time


def leave(code):
    sys.exit(code)


def leave_now(code):
    os._exit(code)


def crash():
    raise ValueError("boom")


def forever():
    while True:
        pass


def sleepy():
    try:
        time.sleep(30)
    finally:
        print("finally must not run on terminate", flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    for target, args in [(leave, (0,)), (leave, (3,)), (leave, (None,)), (crash, ())]:
        p = mp.Process(target=target, args=args)
        p.start(); p.join()
        print(target.__name__, args, "->", p.exitcode, flush=True)
    p = mp.Process(target=forever); p.start()
    p.join(timeout=0.3)
    print("still alive after join(timeout):", p.is_alive(), p.exitcode, flush=True)
    p.terminate(); p.join()
    print("terminated busy loop ->", p.exitcode, flush=True)
    p = mp.Process(target=sleepy); p.start(); time.sleep(0.3)
    p.kill(); p.join()
    print("killed sleeper ->", p.exitcode, flush=True)
    # The parent sees an exit status's low 8 bits: never a negative (signal) exit code.
    for target, code in [(leave, 256), (leave, 300), (leave, -1), (leave_now, 257), (leave_now, -15)]:
        p = mp.Process(target=target, args=(code,))
        p.start(); p.join()
        print(target.__name__, code, "->", p.exitcode, repr(p).split()[-1], flush=True)
