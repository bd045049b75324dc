# What a child inherits is the C environment: os.environ's changes, and os.putenv/os.unsetenv
# called directly, which change what a child (spawned, subprocess, os.system) sees but not
# os.environ, as on Linux.
import multiprocessing as mp
import os
import subprocess
import sys

SHOW = "import os; print(os.environ.get('SP_VAR'), os.environ.get('SP_ONLY_PUT'))"


def show(tag):
    print(tag, os.environ.get("SP_VAR"), os.environ.get("SP_ONLY_PUT"), flush=True)


def sub(tag):
    r = subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True)
    print(tag, r.stdout.strip(), flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    os.environ["SP_VAR"] = "environ"
    os.putenv("SP_ONLY_PUT", "put")
    print("here:", os.environ.get("SP_VAR"), os.environ.get("SP_ONLY_PUT"))
    sub("subprocess:")
    p = mp.Process(target=show, args=("spawned child:",))
    p.start()
    p.join()
    os.unsetenv("SP_VAR")
    print("here after unsetenv:", os.environ.get("SP_VAR"))
    sub("subprocess after unsetenv:")
    sys.stdout.flush()
    os.system(f"{sys.executable} -c \"{SHOW}\"")
    os.environ["SP_VAR"] = "again"
    del os.environ["SP_VAR"]
    sub("after set and del:")
    try:
        os.putenv("A=B", "x")
    except ValueError as e:
        print(e)
