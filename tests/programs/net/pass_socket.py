# A connection passed to a child stays open until every process holding it closed it.
import socket
import time
from multiprocessing import Process, Event


def child(conn, done):
    conn.sendall(b"hello from the child\n")
    done.wait()
    conn.sendall(b"bye\n")
    conn.close()


if __name__ == "__main__":
    srv = socket.create_server(("127.0.0.1", 0))
    c = socket.create_connection(srv.getsockname())
    conn, _ = srv.accept()
    done = Event()
    p = Process(target=child, args=(conn, done))
    p.start()
    conn.close()  # the parent's copy: the connection must stay open
    f = c.makefile("rb")
    print(f.readline())
    c.settimeout(0.2)
    try:
        c.recv(10)
    except TimeoutError:
        print("still open after the parent closed its copy")
    c.settimeout(None)
    done.set()
    print(f.readline())
    print("EOF:", c.recv(10))
    p.join()
    f.close()
    c.close()
    srv.close()
    print("child exit code", p.exitcode)
