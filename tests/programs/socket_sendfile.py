# socket.sendfile (by send, as CPython's socket.py falls back to), offset/count and the file's
# position, its errors; and socketserver.UDPServer with a child client.
import socketserver, socket, multiprocessing as mp, os

class H(socketserver.DatagramRequestHandler):
    def handle(self):
        data = self.rfile.read()
        self.wfile.write(data[::-1])

def client(addr, q):
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.settimeout(5)
    c.sendto(b"stressed", addr)
    q.put(c.recvfrom(100)[0])

if __name__ == "__main__":
    mp.set_start_method("spawn")
    with socketserver.UDPServer(("127.0.0.1", 0), H) as srv:
        q = mp.Queue()
        p = mp.Process(target=client, args=(srv.server_address, q)); p.start()
        srv.handle_request()
        print(q.get()); p.join()
    with open("sf.bin", "wb") as f:
        f.write(b"file body " * 1000)
    a = socket.create_server(("127.0.0.1", 0))
    c = socket.create_connection(a.getsockname())
    s, _ = a.accept()
    with open("sf.bin", "rb") as f:
        print("sent", c.sendfile(f))
    c.close()
    got = b""
    while chunk := s.recv(4096):
        got += chunk
    print(len(got), got[:10])
    os.remove("sf.bin")
    with open("sf2.bin", "wb") as f:
        f.write(bytes(range(256)) * 100)
    c = socket.create_connection(a.getsockname())
    s, _ = a.accept()
    with open("sf2.bin", "rb") as f:
        print("sent part", c.sendfile(f, offset=100, count=5000), f.tell())
    c.close()
    got = b""
    while chunk := s.recv(4096):
        got += chunk
    print(len(got), got[:3])
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for args in ((open("sf2.bin"),), (open("sf2.bin", "rb"), 0, 0)):
        try:
            c2 = socket.create_connection(a.getsockname()); c2.sendfile(*args)
        except ValueError as e:
            print(e)
    try:
        u.sendfile(open("sf2.bin", "rb"))
    except ValueError as e:
        print(e)
    os.remove("sf2.bin")
