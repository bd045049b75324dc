"""SIGKILL and SIGSTOP cannot be caught; sys.exit in a handler runs `finally`; SIGCHLD is
ignored by default and runs a handler when there is one; os.kill to itself."""
import multiprocessing as mp
import os
import signal
import time


def stubborn(ready):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready.set()
    time.sleep(30)


def quick():
    pass


if __name__ == "__main__":
    mp.set_start_method("spawn")
    for sig in (signal.SIGKILL, signal.SIGSTOP):
        try:
            signal.signal(sig, lambda s, f: None)
        except OSError as e:
            print(signal.Signals(sig).name, "cannot be caught:", e)
    print("SIGCHLD default:", signal.getsignal(signal.SIGCHLD) == signal.SIG_DFL)

    ready = mp.Event()
    p = mp.Process(target=stubborn, args=(ready,))
    p.start()
    ready.wait()
    p.terminate()
    p.join(0.5)
    print("SIGTERM ignored, still alive:", p.is_alive())
    p.kill()
    p.join()
    print("SIGKILL exitcode", p.exitcode)

    # SIGCHLD: ignored by default, the sleep is not disturbed.
    p = mp.Process(target=quick)
    p.start()
    start = time.monotonic()
    time.sleep(1.0)
    print("slept through the child's exit:", time.monotonic() - start >= 0.95)
    p.join()

    got = []
    signal.signal(signal.SIGCHLD, lambda s, f: got.append(s))
    p = mp.Process(target=quick)
    p.start()
    p.join()
    deadline = time.monotonic() + 5
    while not got and time.monotonic() < deadline:
        time.sleep(0.01)
    print("SIGCHLD handler ran:", bool(got))
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)

    hits = []
    signal.signal(signal.SIGUSR2, lambda s, f: hits.append(s))
    os.kill(os.getpid(), signal.SIGUSR2)
    time.sleep(0.1)
    print("os.kill to itself ran the handler:", hits)

    def bye(signum, frame):
        raise SystemExit(7)

    signal.signal(signal.SIGHUP, bye)
    try:
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(5)
    finally:
        print("finally after sys.exit in a handler")
