"""The resource tracker: a SharedMemory left registered when its interpreter's processes end
(here a python3 subprocess killed by SIGTERM, and this program itself) is unlinked, with the
tracker's warning on that interpreter's stderr; one unlinked in time is not."""
import os
import subprocess
import sys
import time
from multiprocessing import shared_memory

import _posixshmem

WARNING = "resource_tracker: There appear to be 1 leaked shared_memory objects to clean up at shutdown"

leaker = """if 1:
    import sys, time
    from multiprocessing import shared_memory
    sm = shared_memory.SharedMemory(create=True, size=10)
    tidy = shared_memory.SharedMemory(create=True, size=10)
    tidy.close()
    tidy.unlink()
    print(sm.name, flush=True)
    time.sleep(100)
"""
with subprocess.Popen([sys.executable, "-E", "-c", leaker], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as p:
    name = p.stdout.readline().strip().decode()
    p.terminate()
    print("exit:", p.wait())
    for _ in range(50):
        try:
            # Probe the name without registering it anywhere.
            _posixshmem.shm_open("/" + name, os.O_RDWR)
        except FileNotFoundError:
            print("unlinked after the child was killed")
            break
        time.sleep(0.1)
    else:
        print("leaked")
    err = p.stderr.read().decode()
    print("warning on the child's stderr:", WARNING in err, err.count("UserWarning"))

# A segment this program leaks: its own tracker warns on the terminal when it ends.
kept = shared_memory.SharedMemory(create=True, size=10)
print("done")
