"""What a child writes to files it never closes reaches the parent: at exit the fds close
and file objects write out their buffers; os._exit keeps only what reached the fd."""
import multiprocessing as mp
import os
import sys

KEEP = []


def leave_open(name):
    f = open(name + ".text", "w", encoding="utf-8")
    f.write("buffered text")
    KEEP.append(f)
    fd = os.open(name + ".raw", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    os.write(fd, b"raw bytes")


def crash_into_file(name):
    fd = os.open(name + ".err", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    sys.stderr = open(fd, "w", encoding="utf-8", closefd=False)
    1 / 0


def hard_exit(name):
    f = open(name + ".lost", "w", encoding="utf-8")
    f.write("still in the buffer")
    KEEP.append(f)
    fd = os.open(name + ".kept", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    os.write(fd, b"written before os._exit")
    os._exit(3)


def show(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    os.unlink(path)
    return text.strip().splitlines()[-1] if text.strip() else repr(text)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    name = "unclosed_\u00e6"
    for target, suffixes in ((leave_open, (".text", ".raw")), (crash_into_file, (".err",)), (hard_exit, (".lost", ".kept"))):
        p = mp.Process(target=target, args=(name,))
        p.start()
        p.join()
        print(target.__name__, "exit code", p.exitcode)
        for suffix in suffixes:
            print(" ", suffix, show(name + suffix))
