# 1000 connections opened and closed: every socket must end up closed (checked by the test
# through the kernel's event stream) and no descriptor may stay open in either process.
import socket
import sys
from multiprocessing import Process, Queue

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000


def server(port_q, n):
    with socket.create_server(("127.0.0.1", 0), backlog=64) as srv:
        port_q.put(srv.getsockname()[1])
        for _ in range(n):
            conn, _ = srv.accept()
            with conn:
                data = conn.recv(100)
                conn.sendall(data)


if __name__ == "__main__":
    q = Queue()
    p = Process(target=server, args=(q, N))
    p.start()
    port = q.get()
    ok = 0
    for i in range(N):
        with socket.create_connection(("127.0.0.1", port)) as c:
            c.sendall(b"%d" % i)
            if c.recv(100) == b"%d" % i:
                ok += 1
    p.join()
    print(ok, "of", N, "connections echoed; server exit code", p.exitcode)
