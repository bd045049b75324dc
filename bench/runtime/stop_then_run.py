# Run → Stop → Run: the main process starts a child that prints at once, then waits (in a
# sleep, as a lesson's parent does) until Stop. `python3 stop_then_run.py 0` ends at once
# instead: CPython's whole run, as a reference for what the child's first line costs there.
import multiprocessing as mp
import sys
import time


def work():
    print("child done", flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    p = mp.Process(target=work)
    p.start()
    time.sleep(float(sys.argv[1]))
    p.join()
