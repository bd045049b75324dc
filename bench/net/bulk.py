# 10 MB sent one way in 64 KB chunks between two processes over the loopback.
# Prints one JSON line: {"mb_per_s": …}. Run by bench/net.bench.ts with python3 and with Spawnpoint.
import json
import multiprocessing as mp
import socket
import time

CHUNK = 64 * 1024
TOTAL = 10 * 1024 * 1024


def sink(port_q):
    with socket.create_server(("127.0.0.1", 0)) as s:
        port_q.put(s.getsockname()[1])
        conn, _ = s.accept()
        n = 0
        with conn:
            while True:
                d = conn.recv(CHUNK)
                if not d:
                    break
                n += len(d)
            conn.sendall(str(n).encode())


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    q = mp.Queue()
    p = mp.Process(target=sink, args=(q,))
    p.start()
    c = socket.create_connection(("127.0.0.1", q.get()))
    chunk = b"x" * CHUNK
    t = time.perf_counter()
    for _ in range(TOTAL // CHUNK):
        c.sendall(chunk)
    c.shutdown(socket.SHUT_WR)
    received = int(c.recv(100))
    dt = time.perf_counter() - t
    assert received == TOTAL, received
    c.close()
    p.join()
    print(json.dumps({"mb_per_s": TOTAL / dt / 1e6}))
