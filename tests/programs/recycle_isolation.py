# Spawnpoint only: a worker whose process ended is restored and reused. `dirty` changes what
# a process can reach in its own worker: runtime files, a left-open descriptor, JS timers, and
# its copies of the shared files (a file and folders, which reach the machine's files; a link
# and the script's bytes and mode, which the next run's start files undo). `killed` does the
# same and waits to be killed. `check`, run next on the same machine, reports what its
# processes find.
import hashlib
import os
import sys
import time
from multiprocessing import Process

import _spawnpoint

RUNTIME = os.path.dirname(os.path.dirname(_spawnpoint.__file__))
PKG = os.path.join(RUNTIME, "_spawnpoint")
VICTIM = os.path.join(PKG, "tracebacks.py")


SCRIPT = os.path.abspath(__file__)


def dirty(timer=False):
    with open("leftover.txt", "w") as f:
        f.write("from the last run\n")
    os.makedirs("/tmp/leftover-dir/sub", exist_ok=True)
    if not os.path.lexists("leftover-link"):
        os.symlink(SCRIPT, "leftover-link")
    with open(SCRIPT, "a") as f:
        f.write("# tampered\n")
    os.chmod(SCRIPT, 0o400)
    with open(VICTIM, "r+b") as f:
        f.write(b"#" * 16)  # in place: the file keeps its node
    with open(VICTIM, "ab") as f:
        f.write(b"\nraise SystemExit('tampered')\n")
    with open(os.path.join(RUNTIME, "junk.py"), "w") as f:
        f.write("x = 1\n")
    os.mkdir(os.path.join(RUNTIME, "junkdir"))
    os.unlink(os.path.join(PKG, "unavailable.py"))
    os.chmod(PKG, 0o500)
    os.open(os.path.join(PKG, "main.py"), os.O_RDONLY)  # never closed
    if timer:
        import js
        js.setTimeout(lambda: None, 1000)  # would fire in the next process: its proxy is long gone
    bigger = bytearray(20 << 20)  # the memory grows past what boot recorded
    bigger[-1] = 1


def check(tag):
    with open(VICTIM, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    main_py = os.stat(os.path.join(PKG, "main.py")).st_ino
    fds = []
    for fd in range(3, 64):
        try:
            if os.fstat(fd).st_ino == main_py:
                fds.append(fd)
        except OSError:
            pass
    shared = []
    for root in ("/home", "/tmp"):
        for where, dirs, files in os.walk(root):
            dirs.sort()
            shared += [os.path.join(where, name) for name in sorted(dirs + files)]
    with open(SCRIPT, "rb") as f:
        script = hashlib.sha256(f.read()).hexdigest()
    print(tag, digest, "open main.py fds:", fds, os.path.exists(os.path.join(RUNTIME, "junk.py")), os.path.exists(os.path.join(RUNTIME, "junkdir")),
          os.path.exists(os.path.join(PKG, "unavailable.py")), oct(os.stat(PKG).st_mode & 0o777), "script:", script, oct(os.stat(SCRIPT).st_mode & 0o777),
          "shared:", ",".join(shared), flush=True)


def dirty_then_wait(timer=False):
    dirty(timer)
    print("child dirtied", flush=True)
    time.sleep(60)  # killed here


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "killed":
        # Both processes are killed while they wait: the child in a sleep, the main in join().
        dirty()
        p = Process(target=dirty_then_wait, args=(True,))
        p.start()
        print("main dirtied", flush=True)
        p.join()
    elif mode == "dirty":
        dirty()
        p = Process(target=dirty, args=(True,))
        p.start()
        p.join()
        print("dirty", p.exitcode)
    else:
        check("main")
        for i in range(3):
            p = Process(target=check, args=(f"child-{i}",))
            p.start()
            p.join()
            time.sleep(0.3)
