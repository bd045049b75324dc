# sys.executable names a Python interpreter by an absolute path, the same in a spawned child and
# a subprocess, an executable file there (not the host's own program).
import multiprocessing as mp
import os
import shutil
import subprocess
import sys


def child(q):
    q.put(sys.executable)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    print(os.path.basename(sys.executable), os.path.isabs(sys.executable), os.path.exists(sys.executable))
    print("base:", sys._base_executable == sys.executable, shutil.which(os.path.basename(sys.executable), path=os.path.dirname(sys.executable)) == sys.executable)
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    print("a child's is the same:", q.get() == sys.executable)
    p.join()
    r = subprocess.run([sys.executable, "-c", "import sys; print(sys.executable)"], capture_output=True, text=True)
    print("a subprocess's is the same:", r.stdout.strip() == sys.executable)
    try:
        subprocess.run([sys.executable, "-c", "raise SystemExit(3)"], check=True)
    except subprocess.CalledProcessError as e:
        print(str(e).replace(sys.executable, "<python>"))
