# Pipes between processes, compared with python3: order, sizes up to 3 MB, poll timing,
# a Connection passed through a Queue, EOFError when the writer's process ends,
# BrokenPipeError when the reader is gone, and a send that waits while the pipe is full.
import multiprocessing as mp
import time


def echo(conn):
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            break
        conn.send(msg)
    conn.close()


def late_sender(conn, delay):
    time.sleep(delay)
    conn.send("late")
    conn.close()


def take_from_queue(q):
    conn = q.get()
    conn.send_bytes(b"via queue")
    conn.close()


def slow_reader(conn, started, result):
    started.set()
    time.sleep(0.3)
    total = 0
    for _ in range(4):
        total += len(conn.recv_bytes())
    result.put(total)


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    # Order and sizes, both ways.
    a, b = mp.Pipe()
    p = mp.Process(target=echo, args=(b,))
    p.start()
    b.close()
    for msg in [0, "x" * 5000, b"y" * 70_000, list(range(300_000)), {"k": ("v", 1.5)}]:
        a.send(msg)
        back = a.recv()
        print(type(back).__name__, back == msg)
    for i in range(100):  # CPython's duplex pipe is a socketpair: ~100 small messages fit
        a.send(i)
    print("100 in order:", [a.recv() for _ in range(100)] == list(range(100)))
    a.close()
    p.join()
    print("echo exit code", p.exitcode)

    # poll: False at once, then True within its timeout; recv_bytes_into.
    r, w = mp.Pipe(duplex=False)
    p = mp.Process(target=late_sender, args=(w, 0.2))
    p.start()
    w.close()
    print("poll(0):", r.poll(0))
    t = time.monotonic()
    print("poll(5):", r.poll(5), "waited < 2 s:", time.monotonic() - t < 2)
    print("recv:", r.recv())
    p.join()
    print("after the writer's process ended, poll:", r.poll(0))
    try:
        r.recv()
    except EOFError:
        print("EOFError")

    # A Connection sent through a Queue.
    r, w = mp.Pipe(duplex=False)
    q = mp.Queue()
    p = mp.Process(target=take_from_queue, args=(q,))
    p.start()
    q.put(w)  # (CPython pickles it later, in the queue's feeder thread: keep it open until then)
    print("recv_bytes:", r.recv_bytes())
    p.join()
    w.close()

    # The reader is gone: BrokenPipeError.
    r, w = mp.Pipe(duplex=False)
    r.close()
    try:
        w.send("nobody")
    except BrokenPipeError as e:
        print("BrokenPipeError", e.errno)

    # A full pipe makes send wait for the reader (4 × 40 KB > the 64 KiB of a Linux pipe;
    # a duplex Pipe is a socketpair in CPython, whose buffers hold more).
    b, a = mp.Pipe(duplex=False)
    started, result = mp.Event(), mp.Queue()
    p = mp.Process(target=slow_reader, args=(b, started, result))
    p.start()
    started.wait()
    t = time.monotonic()
    for _ in range(4):
        a.send_bytes(b"z" * 40_000)
    print("send waited for the reader:", time.monotonic() - t > 0.2)
    print("reader got", result.get())
    p.join()
