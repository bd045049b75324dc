# os.umask: 022 at the start, applied by open, os.open and mkdir, inherited by a spawned child and
# a subprocess, and what python3 returns for odd masks (Emscripten had none: files were 0666).
import os, stat, multiprocessing as mp, subprocess, sys

def mode(p):
    return oct(stat.S_IMODE(os.stat(p).st_mode))

def child(name):
    open(name, "w").close()
    print("child umask", oct(os.umask(0)), mode(name), flush=True)

if __name__ == "__main__":
    mp.set_start_method("spawn")
    old = os.umask(0o022)
    print(oct(old), oct(os.umask(0o022)))
    open("um.txt", "w").close()
    os.mkdir("umdir")
    os.makedirs("umdir/a/b", exist_ok=True)
    fd = os.open("um2.txt", os.O_CREAT | os.O_WRONLY, 0o777); os.close(fd)
    print([mode(p) for p in ("um.txt", "umdir", "umdir/a/b", "um2.txt")])
    os.umask(0o027)
    p = mp.Process(target=child, args=("c1.txt",)); p.start(); p.join()
    print(subprocess.run([sys.executable, "-c", "import os; print(oct(os.umask(0)))"], capture_output=True, text=True).stdout.strip())
    os.chmod("um.txt", 0o600)
    print(mode("um.txt"), mode("c1.txt"))
    for f in ("um.txt", "um2.txt", "c1.txt"): os.remove(f)
    os.removedirs("umdir/a/b")
    try:
        os.umask(-1)
    except Exception as e:
        print(type(e).__name__)
    print(oct(os.umask(0o1777)))
    print(oct(os.umask(0)))
