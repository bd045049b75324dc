# AF_UNIX sockets, compared with python3: a server on a path in the file system and a
# client process, socketpair(), Listener/Client over AF_UNIX, and Linux's errors
# (EADDRINUSE for an existing path, ENOENT for a missing one, ECONNREFUSED for a stale file).
import multiprocessing as mp
import os
import socket
import tempfile
from multiprocessing.connection import Client, Listener


def client(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
        c.connect(path)
        c.sendall(b"hello over a path")
        got = c.recv(100)
        print("client peer:", c.getpeername() == path, "own name:", repr(c.getsockname()), flush=True)
        print("client got:", got, flush=True)


def mp_client(address):
    with Client(address, authkey=b"key") as conn:
        conn.send(["over", "AF_UNIX"])


if __name__ == "__main__":
    mp.set_start_method("spawn")
    d = tempfile.mkdtemp()
    path = os.path.join(d, "server.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen()
    print("bound:", srv.getsockname() == path, "file exists:", os.path.exists(path), srv.family.name)
    p = mp.Process(target=client, args=(path,))
    p.start()
    conn, addr = srv.accept()
    print("accepted from", repr(addr), "local", conn.getsockname() == path)
    data = conn.recv(100)
    conn.sendall(data.upper())
    p.join()
    conn.close()

    for what, act in (
        ("bind an existing path", lambda: socket.socket(socket.AF_UNIX).bind(path)),
        ("connect to a missing path", lambda: socket.socket(socket.AF_UNIX).connect(os.path.join(d, "missing"))),
        ("bind in a missing dir", lambda: socket.socket(socket.AF_UNIX).bind(os.path.join(d, "no", "x"))),
    ):
        try:
            act()
        except OSError as e:
            print(what + ":", type(e).__name__, e.errno)
    srv.close()
    try:
        socket.socket(socket.AF_UNIX).connect(path)
    except OSError as e:
        print("connect to a stale socket file:", type(e).__name__, e.errno)
    os.unlink(path)

    a, b = socket.socketpair()
    print("socketpair:", a.family.name, repr(a.getsockname()), repr(b.getpeername()))
    a.sendall(b"pair")
    print("pair got:", b.recv(10))
    a.close()
    print("EOF:", b.recv(10))
    b.close()

    with Listener(family="AF_UNIX", authkey=b"key") as listener:
        print("listener address is a path:", isinstance(listener.address, str), os.path.exists(listener.address))
        p = mp.Process(target=mp_client, args=(listener.address,))
        p.start()
        with listener.accept() as conn:
            print("listener got:", conn.recv())
        p.join()
        address = listener.address
    print("path removed on close:", not os.path.exists(address))
