import multiprocessing as mp
import queue


def produce(q, n):
    for i in range(n):
        q.put({"item": i})
    q.put(None)


def consume(jq, results):
    while True:
        x = jq.get()
        results.put(x * 2)
        jq.task_done()


def echo(conn):
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            break
        conn.send(("echo", msg))
    conn.close()


def bytes_writer(w):
    w.send_bytes(b"raw bytes")
    w.close()


if __name__ == "__main__":
    mp.set_start_method("spawn")
    q = mp.Queue()
    p = mp.Process(target=produce, args=(q, 5)); p.start()
    got = []
    while (x := q.get()) is not None:
        got.append(x["item"])
    p.join()
    print("fifo:", got)

    try:
        q.get(timeout=0.1)
    except queue.Empty:
        print("queue.Empty after timeout")
    try:
        q.get_nowait()
    except queue.Empty:
        print("queue.Empty at once")
    small = mp.Queue(maxsize=1)
    small.put("a")
    try:
        small.put("b", timeout=0.1)
    except queue.Full:
        print("queue.Full after timeout")
    try:
        small.put_nowait("b")
    except queue.Full:
        print("queue.Full at once")

    jq, results = mp.JoinableQueue(), mp.Queue()
    c = mp.Process(target=consume, args=(jq, results), daemon=True); c.start()
    for i in range(4):
        jq.put(i)
    jq.join()
    print("all tasks done:", sorted(results.get() for _ in range(4)))
    try:
        jq.task_done()
    except ValueError as e:
        print("ValueError:", e)

    sq = mp.SimpleQueue()
    sq.put([1, 2]); print("simple:", sq.get(), sq.empty())

    a, b = mp.Pipe()
    e = mp.Process(target=echo, args=(b,)); e.start()
    b.close()
    a.send("ping"); print(a.recv())
    print("poll with nothing:", a.poll(0.1))
    a.close(); e.join()

    r, w = mp.Pipe(duplex=False)
    bw = mp.Process(target=bytes_writer, args=(w,)); bw.start()
    w.close()
    print(r.recv_bytes())
    bw.join()
    try:
        r.recv()
    except EOFError:
        print("EOFError: every writer closed")
