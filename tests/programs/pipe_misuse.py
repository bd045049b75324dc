# Pipe ends and a SimpleQueue used wrongly fail as in CPython, and lose nothing they should keep:
# a message too long for recv_bytes(maxlength) disables reading but a duplex end still sends;
# recv_bytes_into with a bad offset leaves the message in the pipe; a closed end says so first.
import multiprocessing as mp

if __name__ == "__main__":
    mp.set_start_method("spawn")
    a, b = mp.Pipe()
    a.send_bytes(b"0123456789")
    try:
        b.recv_bytes(4)
    except OSError as e:
        print("too long:", e)
    b.send_bytes(b"still sends")
    print(a.recv_bytes())
    try:
        b.recv_bytes()
    except OSError as e:
        print("then:", e)

    a, b = mp.Pipe()
    a.send_bytes(b"12345")
    buf = bytearray(10)
    for offset in (11, -1):
        try:
            b.recv_bytes_into(buf, offset)
        except ValueError as e:
            print(offset, e)
    print("kept:", b.poll(), b.recv_bytes())
    b.close()
    for call in (lambda: b.recv_bytes(-1), lambda: b.recv_bytes_into(buf, -1), lambda: b.poll()):
        try:
            call()
        except (OSError, ValueError) as e:
            print(type(e).__name__, e)

    r, w = mp.Pipe(duplex=False)
    w.send_bytes(b"abcdef")
    try:
        r.recv_bytes(2)
    except OSError as e:
        print("one-way:", e, r.closed)

    q = mp.SimpleQueue()
    q.put(1)
    print(q.get(), q.empty())
    q.close()
    for call in (lambda: q.put(2), lambda: q.get(), lambda: q.empty()):
        try:
            call()
        except OSError as e:
            print(type(e).__name__, e)
