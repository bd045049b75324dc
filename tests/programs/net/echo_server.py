# An echo server that starts a process per client, and several clients at once.
import socket
import sys
from multiprocessing import Process, Queue


def handle(conn, addr):
    with conn:
        while True:
            data = conn.recv(1024)
            if not data:
                break
            conn.sendall(data.upper())


def serve(port_q, clients):
    with socket.create_server(("127.0.0.1", 0)) as srv:
        port_q.put(srv.getsockname()[1])
        workers = []
        for _ in range(clients):
            conn, addr = srv.accept()
            p = Process(target=handle, args=(conn, addr))
            p.start()
            conn.close()  # the child holds the connection now
            workers.append(p)
        for p in workers:
            p.join()


def client(port, name, results):
    with socket.create_connection(("localhost", port)) as s:
        replies = []
        for i in range(3):
            msg = f"{name} message {i}".encode()
            s.sendall(msg)
            got = b""
            while len(got) < len(msg):
                got += s.recv(1024)
            replies.append(got.decode())
        results.put((name, replies))


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    port_q, results = Queue(), Queue()
    server = Process(target=serve, args=(port_q, n))
    server.start()
    port = port_q.get()
    clients = [Process(target=client, args=(port, f"client{i}", results)) for i in range(n)]
    for c in clients:
        c.start()
    got = sorted(results.get() for _ in clients)
    for c in clients:
        c.join()
    server.join()
    for name, replies in got:
        print(name, "->", " | ".join(replies))
    print("server exit code", server.exitcode)
