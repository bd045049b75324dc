# Large transfers through the socket rings keep every byte in order: a patterned 3 MB stream
# sent with send/sendall of many sizes (some bigger than the ring), read with recv of many
# sizes and with recv_into, in both directions between two processes; compared by digest.
import hashlib
import multiprocessing as mp
import socket

SIZES = [1, 100, 4095, 4096, 4097, 65536, 65537, 200_000, 300_001]
TOTAL = 3_000_000


def stream():
    block = bytes((i * 7 + i // 251) & 0xFF for i in range(1 << 16))
    out, n, k = [], 0, 0
    while n < TOTAL:
        size = min(SIZES[k % len(SIZES)], TOTAL - n)
        start = (n * 13) % len(block)
        piece = (block[start:] + block)[:size] if size <= len(block) else (block * (size // len(block) + 2))[start:start + size]
        out.append(piece)
        n += size
        k += 1
    return out


def receive(conn, via_into):
    h, n, k = hashlib.sha256(), 0, 0
    buf = bytearray(70_000)
    while n < TOTAL:
        size = SIZES[k % len(SIZES)]
        k += 1
        if via_into:
            got = conn.recv_into(buf, min(size, len(buf)))
            data = bytes(buf[:got])
        else:
            data = conn.recv(size)
        if not data:
            break
        h.update(data)
        n += len(data)
    return n, h.hexdigest()


def peer(port_q, result_q):
    with socket.create_server(("127.0.0.1", 0)) as s:
        port_q.put(s.getsockname()[1])
        conn, _ = s.accept()
        with conn:
            result_q.put(receive(conn, via_into=False))
            for piece in stream():
                if len(piece) < 5000:
                    view = memoryview(piece)
                    while view:  # send may take only part of it
                        view = view[conn.send(view):]
                else:
                    conn.sendall(piece)


if __name__ == "__main__":
    expected = hashlib.sha256(b"".join(stream())).hexdigest()
    port_q, result_q = mp.Queue(), mp.Queue()
    p = mp.Process(target=peer, args=(port_q, result_q))
    p.start()
    c = socket.create_connection(("127.0.0.1", port_q.get()))
    for piece in stream():
        c.sendall(piece)
    n, digest = result_q.get()
    print("child received", n, "bytes, digest ok:", digest == expected)
    n, digest = receive(c, via_into=True)
    print("parent received", n, "bytes, digest ok:", digest == expected)
    c.close()
    p.join()
    print("exit code", p.exitcode)
