# Files, pipes and sockets share one table of descriptor numbers, as on Linux: a socket made
# after open() gets the next number, and a number a socket let go is the next file's.
import multiprocessing as mp
import os
import socket


def child(s):
    print("child received", s.recv(5))
    s.close()


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    f = open(__file__)
    s = socket.socket()
    r, w = os.pipe()
    print("file, socket, pipe:", f.fileno(), s.fileno(), r, w)
    s.close()
    os.close(r)
    os.close(w)
    srv = socket.create_server(("127.0.0.1", 0))
    c = socket.create_connection(srv.getsockname())
    conn, _ = srv.accept()
    print("listener, client, accepted:", srv.fileno(), c.fileno(), conn.fileno())
    d = c.dup()
    print("dup:", d.fileno())
    d.close()
    g = open(__file__)
    print("a file after a socket closed:", g.fileno())
    a, b = socket.socketpair()
    print("socketpair:", a.fileno(), b.fileno())
    # (Not printed: a process's start holds descriptors of its own in CPython.)
    p = mp.Process(target=child, args=(conn,))
    p.start()
    conn.close()
    c.sendall(b"hello")
    p.join()
    print("child exit code", p.exitcode)
    print("a socketpair's ends are unnamed:", [repr(n) for s in (a, b, a.dup()) for n in (s.getsockname(), s.getpeername())])
