# Replies bigger than a worker's control block cross in chunks: a 5 MB file another process
# wrote (read through the kernel's fs), a 3 MB queue item and a 3 MB pipe message.
import hashlib
import multiprocessing as mp
import os


def payload(n, seed):
    block = hashlib.sha256(seed.encode()).digest() * 64  # 2 KiB, no long zero runs
    return (block * (n // len(block) + 1))[:n]


def writer(path):
    with open(path, "wb") as f:
        f.write(payload(5_000_000, "file"))


def sender(q, conn):
    q.put(payload(3_000_000, "queue"))
    conn.send_bytes(payload(3_000_000, "pipe"))
    conn.close()


if __name__ == "__main__":
    path = os.path.join(os.getcwd(), "big.bin")
    p = mp.Process(target=writer, args=(path,))
    p.start()
    p.join()
    with open(path, "rb") as f:
        data = f.read()
    print("file", len(data), data == payload(5_000_000, "file"))
    print("size", os.path.getsize(path))

    q = mp.Queue()
    here, there = mp.Pipe()
    s = mp.Process(target=sender, args=(q, there))
    s.start()
    item = q.get(timeout=60)
    print("queue", len(item), item == payload(3_000_000, "queue"))
    msg = here.recv_bytes()
    print("pipe", len(msg), msg == payload(3_000_000, "pipe"))
    s.join()
    os.remove(path)
    print("exitcodes", p.exitcode, s.exitcode)
