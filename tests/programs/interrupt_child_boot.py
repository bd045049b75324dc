"""SIGINT to a child that is still booting: KeyboardInterrupt once its own code runs."""
import multiprocessing as mp
import os
import signal
import time


def nap():
    time.sleep(30)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    p = mp.Process(target=nap)
    p.start()
    os.kill(p.pid, signal.SIGINT)
    p.join(timeout=20)
    print("child interrupted while booting: exitcode", p.exitcode)
