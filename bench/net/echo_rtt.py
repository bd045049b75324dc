# Echo round trip of 100 bytes between two processes over the loopback.
# Prints one JSON line: {"rtt_us": …}. Run by bench/net.bench.ts with python3 and with Spawnpoint.
# One second of warm-up (both interpreters settle; Spawnpoint's pool boots replacements for
# the interpreters it handed out in the background), then the median of 7 timed batches.
import json
import multiprocessing as mp
import socket
import statistics
import sys
import time

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000


def server(port_q):
    with socket.create_server(("127.0.0.1", 0)) as s:
        port_q.put(s.getsockname()[1])
        conn, _ = s.accept()
        with conn:
            while True:
                d = conn.recv(65536)
                if not d:
                    break
                conn.sendall(d)


def round_trip(c, msg):
    c.sendall(msg)
    got = c.recv(100)
    while len(got) < 100:
        got += c.recv(100 - len(got))


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    q = mp.Queue()
    p = mp.Process(target=server, args=(q,))
    p.start()
    c = socket.create_connection(("127.0.0.1", q.get()))
    msg = b"x" * 100
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        round_trip(c, msg)
    batches = []
    for _ in range(7):
        t = time.perf_counter()
        for _ in range(ROUNDS):
            round_trip(c, msg)
        batches.append((time.perf_counter() - t) / ROUNDS * 1e6)
    c.close()
    p.join()
    print(json.dumps({"rtt_us": statistics.median(batches), "batches": [round(x, 1) for x in batches]}))
