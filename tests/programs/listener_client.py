# multiprocessing.connection, compared with python3: Listener / Client over AF_INET with an
# authkey, a wrong authkey, wait() on pipe ends, socket connections, sockets and process
# sentinels, and answer_challenge / deliver_challenge on a Pipe.
import multiprocessing as mp
import socket
import time
from multiprocessing.connection import (
    AuthenticationError, Client, Listener, answer_challenge, deliver_challenge, wait,
)


def client(address, authkey, tag):
    with Client(address, authkey=authkey) as conn:
        conn.send(("hello from", tag))
        conn.send_bytes(b"x" * 100_000)
        print("client got:", conn.recv(), flush=True)


def bad_client(address):
    try:
        Client(address, authkey=b"wrong key")
    except AuthenticationError as e:
        print("bad client:", type(e).__name__, e, flush=True)


def sleeper(seconds):
    time.sleep(seconds)


def challenged(conn):
    answer_challenge(conn, b"secret")
    deliver_challenge(conn, b"secret")
    conn.send("authenticated child")


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with Listener(("localhost", 0), authkey=b"secret") as listener:
        print("family:", Listener(("127.0.0.1", 0)).address[0], type(listener.address).__name__)
        p = mp.Process(target=client, args=(listener.address, b"secret", "child"))
        p.start()
        with listener.accept() as conn:
            print("server got:", conn.recv())
            data = conn.recv_bytes()
            print("bytes:", len(data), data[:3])
            print("last_accepted is a tuple:", isinstance(listener.last_accepted, tuple))
            conn.send({"reply": [1, 2, 3]})
        p.join()
        print("client exit code:", p.exitcode)

        q = mp.Process(target=bad_client, args=(listener.address,))
        q.start()
        try:
            listener.accept()
        except AuthenticationError as e:
            q.join()
            print("server:", type(e).__name__, e)

    # wait() on a mix: a pipe end, a sentinel, a socket.
    a, b = mp.Pipe()
    s1, s2 = socket.socketpair()
    p = mp.Process(target=sleeper, args=(0.3,))
    p.start()
    print("nothing ready:", wait([a, p.sentinel, s1], timeout=0.05))
    ready = wait([a, p.sentinel, s1], timeout=120)  # returns when the child ends (a loaded machine may take long to start it)
    print("sentinel ready:", ready == [p.sentinel])
    p.join()
    b.send("ping")
    s2.sendall(b"sock")
    ready = wait([a, p.sentinel, s1], timeout=10)
    print("all ready (a joined child's sentinel too):", len(ready), a in ready, s1 in ready, p.sentinel in ready)
    print("single pipe:", wait([a], timeout=0) == [a], a.recv(), a.poll(0))
    b.close()
    print("EOF counts as ready:", wait([a], timeout=1) == [a])

    # The challenge on its own, over a Pipe.
    here, there = mp.Pipe()
    p = mp.Process(target=challenged, args=(there,))
    p.start()
    deliver_challenge(here, b"secret")
    answer_challenge(here, b"secret")
    print(here.recv())
    p.join()

    # recv_bytes_into counts bytes, whatever the buffer's item size.
    import array
    x, y = mp.Pipe()
    y.send_bytes(array.array("i", [1, 2, 3, 4]))
    buf = array.array("i", [0] * 6)
    print("recv_bytes_into:", x.recv_bytes_into(buf, 4), list(buf))
