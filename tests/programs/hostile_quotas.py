# A hostile program against the quotas: a 3 GiB file, more files than its share of the disk,
# 3 GiB of bytearrays, never-read Queue items. Each must fail with Linux's error, and the
# program (and the machine) go on. The host runs it with small quotas (quotas.test.ts).
import errno
import os
import multiprocessing as mp

MiB = 1 << 20


def big_file():
    n = 0
    try:
        chunk = b"x" * MiB
        with open("big.bin", "wb") as f:
            for n in range(3 * 1024):
                f.write(chunk)
        print("3 GiB file written")
    except OSError as e:
        print("3 GiB file:", type(e).__name__, e.strerror, "at", n, "MiB")
    os.remove("big.bin")


def disk_share():
    k = 0
    try:
        for k in range(20):
            with open(f"part{k}.bin", "wb") as f:
                f.write(b"y" * (3 * MiB))
        print("60 MiB of files written")
    except OSError as e:
        print("disk share:", type(e).__name__, e.strerror, "at file", k)
    print("part files kept:", sum(os.path.exists(f"part{i}.bin") for i in range(20)))
    for i in range(20):
        if os.path.exists(f"part{i}.bin"):
            os.remove(f"part{i}.bin")


def bytearrays():
    # The largest one wasm32 can index (3 GiB is an OverflowError there before any allocation).
    try:
        bytearray(2**31 - 1)
        print("one 2 GiB bytearray")
    except MemoryError:
        print("one 2 GiB bytearray: MemoryError")
    held = []
    try:
        for _ in range(3 * 1024 // 32):
            held.append(bytearray(32 * MiB))
        print("3 GiB of bytearrays")
    except MemoryError:
        print("3 GiB of bytearrays: MemoryError below", 3 * 1024, "MiB:", len(held) * 32 < 3 * 1024)
    held.clear()


def unread_items():
    q = mp.Queue()
    n = 0
    try:
        for n in range(30):
            q.put(b"z" * (3 * MiB))
        print("90 MiB of unread items")
    except (MemoryError, OSError) as e:
        print("unread items:", type(e).__name__, getattr(e, "errno", None) == errno.ENOMEM, "at item", n)
    q.cancel_join_thread()


if __name__ == "__main__":
    big_file()
    disk_share()
    bytearrays()
    unread_items()
    print("still running")
