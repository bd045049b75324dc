# File locks between processes: fcntl.flock (per open file description) and lockf / fcntl
# record locks (per process, byte ranges), as on Linux.
import fcntl
import multiprocessing as mp
import os
import signal
import struct
import time

COUNTER = "counter.txt"
LOCK = "x.lock"
DATA = "ranges.dat"
FLOCK = "hhqqi"  # struct flock: l_type, l_whence, l_start, l_len, l_pid


def err(e):
    return "%s: %s" % (type(e).__name__, e)


def incrementer(n):
    # The counter file is opened before its lock is taken: what it reads under the lock must
    # still be what the last holder wrote.
    for _ in range(n):
        with open(COUNTER, "r+") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            value = int(f.read())
            f.seek(0)
            f.write(str(value + 1))
            f.truncate()


def try_flock(q, op):
    with open(LOCK) as f:
        try:
            fcntl.flock(f, op)
            q.put("got it")
        except OSError as e:
            q.put(err(e))


def hold_then_exit(holding, how):
    f = open(LOCK)
    fcntl.flock(f, fcntl.LOCK_EX)
    holding.set()
    if how == "exit":
        os._exit(0)  # the descriptor is never closed: the exit releases the lock
    time.sleep(30)


def holder(how):
    """A child that holds LOCK until it exits (how "exit"), or sleeps holding it."""
    holding = mp.Event()
    p = mp.Process(target=hold_then_exit, args=(holding, how))
    p.start()
    holding.wait()
    return p


def signaller(pid, sig, delay):
    time.sleep(delay)
    os.kill(pid, sig)


def signal_later(pid, sig, delay):
    k = mp.Process(target=signaller, args=(pid, sig, delay))
    k.start()
    return k


def range_child(q, ppid):
    with open(DATA, "r+") as f:
        for length, start in ((10, 10), (5, 5), (0, 25)):
            try:
                fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, length, start)
                q.put("lockf %d+%d: got it" % (start, length))
            except OSError as e:
                q.put("lockf %d+%d: %s" % (start, length, err(e)))
        got = fcntl.fcntl(f, fcntl.F_GETLK, struct.pack(FLOCK, fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0))
        t, whence, start, length, pid = struct.unpack(FLOCK, got)
        q.put("F_GETLK: type=%s start=%d len=%d by parent=%s" % ({fcntl.F_WRLCK: "F_WRLCK", fcntl.F_RDLCK: "F_RDLCK", fcntl.F_UNLCK: "F_UNLCK"}[t], start, length, pid == ppid))
        try:
            fcntl.fcntl(f, fcntl.F_SETLK, struct.pack(FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 1, 0))
            q.put("F_SETLK: got it")
        except OSError as e:
            q.put("F_SETLK: " + err(e))
        # flock and record locks do not meet.
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        q.put("flock beside the parent's record lock: got it")


def deadlock_child(q):
    with open(DATA, "r+") as f:
        fcntl.lockf(f, fcntl.LOCK_EX, 1, 1)
        q.put("child holds byte 1")
        time.sleep(0.3)
        try:
            fcntl.lockf(f, fcntl.LOCK_EX, 1, 0)
            q.put("child got byte 0")
        except OSError as e:
            q.put("child: " + err(e))


def section(title):
    print("--", title)


def main():
    mp.set_start_method("spawn")
    q = mp.Queue()

    section("three processes increment one counter under flock")
    with open(COUNTER, "w") as f:
        f.write("0")
    procs = [mp.Process(target=incrementer, args=(10,)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    with open(COUNTER) as f:
        print("counter:", f.read())

    section("LOCK_NB")
    open(LOCK, "w").close()
    a = open(LOCK)
    b = open(LOCK)
    fcntl.flock(a, fcntl.LOCK_EX)
    try:
        fcntl.flock(b, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError as e:
        print("second open() in the same process:", err(e))
    dup = os.dup(a.fileno())
    fcntl.flock(dup, fcntl.LOCK_EX | fcntl.LOCK_NB)
    print("a dup of the holder's descriptor: got it")
    p = mp.Process(target=try_flock, args=(q, fcntl.LOCK_SH | fcntl.LOCK_NB))
    p.start()
    print("child:", q.get())
    p.join()
    a.close()
    try:
        fcntl.flock(b, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as e:
        print("after closing one of two descriptors:", err(e))
    os.close(dup)
    fcntl.flock(b, fcntl.LOCK_EX | fcntl.LOCK_NB)
    print("after closing the last one: got it")
    fcntl.flock(b, fcntl.LOCK_SH)
    p = mp.Process(target=try_flock, args=(q, fcntl.LOCK_SH | fcntl.LOCK_NB))
    p.start()
    print("child LOCK_SH beside LOCK_SH:", q.get())
    p.join()
    fcntl.flock(b, fcntl.LOCK_UN)
    for op in (0, fcntl.LOCK_SH | fcntl.LOCK_EX):
        try:
            fcntl.flock(b, op)
        except OSError as e:
            print("flock(%d):" % op, err(e))
    b.close()
    try:
        fcntl.flock(b.fileno() if not b.closed else 99, fcntl.LOCK_EX)
    except OSError as e:
        print("closed descriptor:", err(e))

    section("a holder that exits or is terminated")
    with open(LOCK) as f:
        for how in ("exit", "terminate"):
            p = holder(how)
            if how == "terminate":
                p.terminate()
            p.join()
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            print("after the child's %s (exit code %s): got it" % (how, p.exitcode))
            fcntl.flock(f, fcntl.LOCK_UN)
        # A wait that ends when another process terminates the holder.
        p = holder("sleep")
        k = signal_later(p.pid, signal.SIGTERM, 0.2)
        fcntl.flock(f, fcntl.LOCK_EX)
        p.join()
        k.join()
        print("blocked until the holder was terminated: got it, exit code", p.exitcode)
        fcntl.flock(f, fcntl.LOCK_UN)

    section("signals while blocked")
    with open(LOCK) as f:
        def on_usr1(sig, frame):
            print("handler ran")

        signal.signal(signal.SIGUSR1, on_usr1)
        p = holder("sleep")
        k1 = signal_later(os.getpid(), signal.SIGUSR1, 0.15)
        k2 = signal_later(p.pid, signal.SIGTERM, 0.5)
        fcntl.flock(f, fcntl.LOCK_EX)
        print("the wait went on after the handler: got it")
        for c in (p, k1, k2):
            c.join()
        fcntl.flock(f, fcntl.LOCK_UN)

        def raising(sig, frame):
            raise TimeoutError("gave up")

        signal.signal(signal.SIGUSR1, raising)
        p = holder("sleep")
        k = signal_later(os.getpid(), signal.SIGUSR1, 0.15)
        try:
            fcntl.flock(f, fcntl.LOCK_EX)
        except TimeoutError as e:
            print("a handler that raises ends the wait:", err(e))
        p.terminate()
        p.join()
        k.join()

    section("lockf and fcntl record locks")
    with open(DATA, "w") as f:
        f.write("x" * 40)
    with open(DATA, "r+") as f:
        fcntl.lockf(f, fcntl.LOCK_EX, 10, 0)
        fcntl.lockf(f, fcntl.LOCK_SH, 10, 20)
        p = mp.Process(target=range_child, args=(q, os.getpid()))
        p.start()
        for _ in range(6):
            print(q.get())
        p.join()
        # Closing any descriptor of the file releases the process's record locks on it.
        os.close(os.open(DATA, os.O_RDONLY))
        p = mp.Process(target=range_child, args=(q, os.getpid()))
        p.start()
        for _ in range(6):
            print(q.get())
        p.join()
    with open(DATA) as f:
        try:
            fcntl.lockf(f, fcntl.LOCK_EX)
        except OSError as e:
            print("LOCK_EX on a read-only descriptor:", err(e))
        try:
            fcntl.lockf(f, 0)
        except ValueError as e:
            print("lockf(fd, 0):", err(e))
        try:
            fcntl.lockf(f, fcntl.LOCK_SH, 10, -5)
        except OSError as e:
            print("negative start:", err(e))
        got = fcntl.fcntl(f, fcntl.F_GETLK, struct.pack(FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0))
        print("F_GETLK with nothing in the way:", struct.unpack(FLOCK, got)[0] == fcntl.F_UNLCK)

    section("a cycle of record-lock waiters")
    with open(DATA, "r+") as f:
        fcntl.lockf(f, fcntl.LOCK_EX, 1, 0)
        p = mp.Process(target=deadlock_child, args=(q,))
        p.start()
        print(q.get())
        # The child will ask for byte 0 while this process waits for its byte 1.
        fcntl.lockf(f, fcntl.LOCK_EX, 1, 1)
        print("parent got byte 1")
        print(q.get())
        p.join()
    for name in (COUNTER, LOCK, DATA):
        os.remove(name)


if __name__ == "__main__":
    main()
