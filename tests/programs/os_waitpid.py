# os.waitpid / os.wait reap a child as join() does underneath: its wait status, WNOHANG's
# (0, 0), any child for -1; the Process then never learns its exit code (poll() is None).
import multiprocessing as mp
import os
import subprocess
import sys
import time


def sleeper(t):
    time.sleep(t)


def code(n):
    sys.exit(n)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    p = mp.Process(target=code, args=(3,))
    p.start()
    pid, status = os.waitpid(p.pid, 0)
    print("reaped:", pid == p.pid, status, os.WIFEXITED(status), os.WEXITSTATUS(status))
    p.join()
    print("after the reap: exitcode", p.exitcode, "alive", p.is_alive())
    k = mp.Process(target=sleeper, args=(30,))
    k.start()
    k.terminate()
    pid, status = os.waitpid(k.pid, 0)
    print("terminated:", os.WIFSIGNALED(status), os.WTERMSIG(status), os.waitstatus_to_exitcode(status))
    q = mp.Process(target=sleeper, args=(0.5,))
    q.start()
    print("running, WNOHANG:", os.waitpid(q.pid, os.WNOHANG))
    q.join()
    print("joined:", q.exitcode)
    ps = [mp.Process(target=code, args=(n,)) for n in (4, 5)]
    for x in ps:
        x.start()
    print("os.wait:", sorted(os.waitstatus_to_exitcode(os.wait()[1]) for _ in ps))
    for bad in ((12345, 0), (p.pid,), ("1", 0)):
        try:
            os.waitpid(*bad)
        except (ChildProcessError, TypeError) as e:
            print(type(e).__name__, e)
    r = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(7)"])
    print("subprocess:", os.waitpid(r.pid, 0)[1] >> 8, "then wait():", r.wait())
