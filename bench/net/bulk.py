# 10 MB sent one way in 64 KB chunks between two processes over the loopback.
# Prints one JSON line: {"mb_per_s": …}. Run by bench/net.bench.ts with python3 and with Spawnpoint.
# One untimed transfer first (warm-up), then the median of 5 timed transfers on the same
# connection; each ends when the receiver has counted all 10 MB and acknowledged.
import json
import multiprocessing as mp
import socket
import statistics
import time

CHUNK = 64 * 1024
TOTAL = 10 * 1024 * 1024
ROUNDS = 6


def sink(port_q):
    with socket.create_server(("127.0.0.1", 0)) as s:
        port_q.put(s.getsockname()[1])
        conn, _ = s.accept()
        with conn:
            for _ in range(ROUNDS):
                n = 0
                while n < TOTAL:
                    d = conn.recv(CHUNK)
                    if not d:
                        raise SystemExit("early EOF")
                    n += len(d)
                conn.sendall(str(n).encode())


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    q = mp.Queue()
    p = mp.Process(target=sink, args=(q,))
    p.start()
    c = socket.create_connection(("127.0.0.1", q.get()))
    chunk = b"x" * CHUNK
    rates = []
    for r in range(ROUNDS):
        t = time.perf_counter()
        for _ in range(TOTAL // CHUNK):
            c.sendall(chunk)
        received = int(c.recv(100))
        dt = time.perf_counter() - t
        assert received == TOTAL, received
        if r > 0:
            rates.append(TOTAL / dt / 1e6)
    c.close()
    p.join()
    print(json.dumps({"mb_per_s": statistics.median(rates), "rounds": [round(x) for x in rates]}))
