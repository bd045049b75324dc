# UDP datagrams, makefile() both ways, a socket sent through a Queue, and a killed peer.
import multiprocessing as mp
import socket
import time
from multiprocessing import Process, Queue


def owner(q):
    s = q.get()
    s.sendall(b"sent by the process that got me from a queue")
    s.close()


def victim(conn):
    conn.sendall(b"about to be killed")
    time.sleep(60)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    # UDP keeps message boundaries.
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.sendto(b"one", rx.getsockname())
    tx.sendto(b"two", rx.getsockname())
    data, addr = rx.recvfrom(1024)
    print("udp", data, rx.recv(1024), addr[1] == tx.getsockname()[1])
    rx.close()
    tx.close()

    # makefile: lines over a stream.
    srv = socket.create_server(("127.0.0.1", 0))
    c = socket.create_connection(srv.getsockname())
    conn, _ = srv.accept()
    w = c.makefile("w")
    w.write("line 1\nline 2\n")
    w.flush()
    r = conn.makefile("r")
    print("makefile", repr(r.readline()), repr(r.readline()))
    w.close()
    r.close()

    q = Queue()
    p = Process(target=owner, args=(q,))
    p.start()
    q.put(conn)
    print("queue", c.recv(100))
    conn.close()
    p.join()
    print("EOF once both closed it:", c.recv(100))
    c.close()

    c = socket.create_connection(srv.getsockname())
    conn, _ = srv.accept()
    v = Process(target=victim, args=(conn,))
    v.start()
    conn.close()
    print("victim says", c.recv(100))
    v.kill()
    v.join()
    print("after SIGKILL:", c.recv(100), "exitcode", v.exitcode)
    c.close()
    srv.close()
