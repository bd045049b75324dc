"""SIG_IGN drops the signal: a child that ignores SIGINT gets no KeyboardInterrupt from
os.kill(pid, SIGINT); one that does not gets KeyboardInterrupt (exit code 1). Handlers are
not inherited through spawn, SIG_IGN is."""
import multiprocessing as mp
import os
import signal
import time


def ignoring(ready, done):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ready.set()
    done.wait()
    print("ignoring child still here", flush=True)


def plain(ready, done):
    # Sleeps rather than waits on `done`: a KeyboardInterrupt inside Event.wait can land
    # between the Condition's bookkeeping steps, and then the parent's done.set() waits for
    # a sleeper that is gone (python3 hangs there too, now and then).
    try:
        ready.set()
        time.sleep(30)
    except KeyboardInterrupt:
        print("plain child: KeyboardInterrupt", flush=True)
        raise


def inherits():
    print("SIGUSR1 ignored in child:", signal.getsignal(signal.SIGUSR1) == signal.SIG_IGN)
    print("SIGTERM handler in child:", signal.getsignal(signal.SIGTERM) == signal.SIG_DFL and "default")


if __name__ == "__main__":
    mp.set_start_method("spawn")
    for target in (ignoring, plain):
        ready, done = mp.Event(), mp.Event()
        p = mp.Process(target=target, args=(ready, done))
        p.start()
        ready.wait()
        os.kill(p.pid, signal.SIGINT)
        time.sleep(0.3)
        done.set()
        p.join()
        print(target.__name__, "exitcode", p.exitcode)
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda s, f: None)
    p = mp.Process(target=inherits)
    p.start()
    p.join()
