# Process groups: a program is one, led by its main process. kill(0) and killpg reach every
# process of it (the caller's handler too), getpgid/getpgrp name it, a missing group is ESRCH.
import multiprocessing as mp
import os
import signal
import time


def child(ready):
    print("child in the group:", os.getpgrp() == os.getppid() == os.getpgid(0), flush=True)
    ready.set()
    time.sleep(30)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    print("leader:", os.getpgrp() == os.getpid() == os.getpgid(0) == os.getsid(0))
    signal.signal(signal.SIGUSR1, lambda s, f: print("main got", s, flush=True))
    ready = mp.Event()
    p = mp.Process(target=child, args=(ready,))
    p.start()
    ready.wait()
    print("child's group:", os.getpgid(p.pid) == os.getpgrp())
    os.kill(0, signal.SIGUSR1)
    p.join()
    print("child after kill(0, SIGUSR1):", p.exitcode)
    q = mp.Process(target=child, args=(ready,))
    ready.clear()
    q.start()
    ready.wait()
    signal.signal(signal.SIGTERM, lambda s, f: print("main got", s, flush=True))
    os.killpg(os.getpgrp(), signal.SIGTERM)
    q.join()
    print("child after killpg(SIGTERM):", q.exitcode)
    for call, args in ((os.killpg, (-5, 15)), (os.kill, (-999999, 15)), (os.getpgid, (999999,)), (os.killpg, (1,)), (os.getpgrp, (1,))):
        try:
            call(*args)
        except (OSError, TypeError) as e:
            print(call.__name__, type(e).__name__, e)
