"""Linux details multiprocessing checks: the main thread's native id is the pid, and AF_UNIX
names in the abstract namespace (leading NUL) work and come back as bytes."""
import multiprocessing as mp
import os
import socket
import threading
from multiprocessing import connection, util


def child(q):
    q.put(threading.main_thread().native_id == os.getpid() == threading.get_native_id())
    q.put(threading.main_thread().native_id)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    print("native id supported", threading._HAVE_THREAD_NATIVE_ID)
    mine = threading.main_thread().native_id
    print("parent: native id is the pid", mine == os.getpid() == threading.get_native_id())
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    print("child: native id is its pid", q.get())
    print("child's differs", q.get() != mine)
    p.join()

    print("abstract sockets supported", util.abstract_sockets_supported)
    with connection.Listener("\0spawnpoint-abstract") as listener:
        print("listener address", listener.address)
        with connection.Client(listener.address) as client, listener.accept() as served:
            client.send(1729)
            print("received", served.recv())
    try:
        listener.accept()
    except OSError as e:
        print("accept after close:", type(e).__name__)

    s = socket.socket(socket.AF_UNIX)
    s.bind(b"\0raw-abstract")
    s.listen()
    c = socket.socket(socket.AF_UNIX)
    c.connect("\0raw-abstract")
    a, addr = s.accept()
    print("getsockname", s.getsockname(), "peer of client", c.getpeername(), "accepted from", repr(addr))
    for x in (a, c, s):
        x.close()
