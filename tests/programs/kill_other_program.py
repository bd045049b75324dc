"""os.kill on a process of another program: PermissionError (EPERM), as Linux answers a
process of another user; signal 0 (existence check) is refused the same way. Own child: allowed."""
import multiprocessing as mp
import os
import signal
import sys
import time


def nap():
    time.sleep(30)


if __name__ == "__main__":
    target = int(sys.argv[1])
    for sig in (signal.SIGTERM, 0):
        try:
            os.kill(target, sig)
            print("kill", sig, "allowed")
        except OSError as e:
            print("kill", sig, type(e).__name__, e.errno, e.strerror)
    p = mp.Process(target=nap)
    p.start()
    os.kill(p.pid, signal.SIGTERM)
    p.join()
    print("own child:", p.exitcode)
