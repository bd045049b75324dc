"""__builtins__ in the script run as __main__ is the builtins module (so
`__builtins__.print` works there), in the script a spawned child imports as __mp_main__ a
dict, as in any imported module; `python3 -c` code runs as __main__ too."""
import multiprocessing as mp
import subprocess
import sys


def child():
    print("child:", __name__, type(__builtins__).__name__, flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    print("main:", __name__, type(__builtins__).__name__, __builtins__.len("abc"), flush=True)
    p = mp.Process(target=child)
    p.start()
    p.join()
    subprocess.run([sys.executable, "-c", "print('-c:', __name__, type(__builtins__).__name__)"], check=True)
