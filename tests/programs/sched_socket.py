# A server process and a client over a loopback socket, with an accept and a recv that
# wait for the other process: in a controlled run they park at the scheduler.
import multiprocessing as mp
import socket


def serve(port_q):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    port_q.put(srv.getsockname()[1])
    conn, _ = srv.accept()
    data = conn.recv(100)
    conn.sendall(data.upper())
    conn.close()
    srv.close()


if __name__ == "__main__":
    q = mp.Queue()
    p = mp.Process(target=serve, args=(q,))
    p.start()
    port = q.get()
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(b"hello")
    print(c.recv(100).decode())
    c.close()
    p.join()
    print("server exit", p.exitcode)
