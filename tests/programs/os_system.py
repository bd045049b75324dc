# os.system without a shell: a Python command line runs (its wait status back), other
# commands are "not found" (127), os.abort() dies of SIGABRT.
import multiprocessing as mp
import os
import sys


def boom():
    os.abort()


if __name__ == "__main__":
    mp.set_start_method("spawn")
    print("python:", os.system(f"{sys.executable} -c \"print('hi from a child'); raise SystemExit(3)\""), flush=True)
    print("missing:", os.system("definitely-not-a-command-xyz 2>/dev/null"), flush=True)
    print("empty:", os.system(""), flush=True)
    p = mp.Process(target=boom)
    p.start(); p.join()
    print("abort exitcode:", p.exitcode)
