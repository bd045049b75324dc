# Timeouts, non-blocking sockets and select.
import select
import socket
import time

srv = socket.socket()
srv.bind(("", 0))
srv.listen()
port = srv.getsockname()[1]
srv.settimeout(0.1)
print("gettimeout", srv.gettimeout())
try:
    srv.accept()
except socket.timeout as e:
    print("accept:", type(e).__name__, e, socket.timeout is TimeoutError)

c = socket.create_connection(("127.0.0.1", port), timeout=1.5)
print("client timeout", c.gettimeout())
conn, _ = srv.accept()
t = time.monotonic()
c.settimeout(0.2)
try:
    c.recv(10)
except TimeoutError as e:
    # Its timeout, not less (a loaded machine may add a little: not a speed check).
    print("recv:", e, "after its 0.2 s:", 0.2 <= time.monotonic() - t < 2.0)

c.setblocking(False)
try:
    c.recv(10)
except BlockingIOError as e:
    print("non-blocking recv:", e.errno, e.strerror)

r, w, x = select.select([c], [c], [], 0)
print("select before data: readable", len(r), "writable", len(w))
conn.send(b"ping")
r, w, x = select.select([c], [], [], 1.0)
print("select after data: readable", r == [c], c.recv(10))

with socket.socket() as s:
    print("connect_ex to a closed port:", s.connect_ex(("127.0.0.1", 1)))

import selectors

sel = selectors.DefaultSelector()
sel.register(srv, selectors.EVENT_READ, data="listener")
print("selector with nothing pending:", sel.select(timeout=0.05))
c2 = socket.create_connection(("127.0.0.1", port))
events = sel.select(timeout=1)
print("selector sees:", [key.data for key, mask in events])
sel.close()
for s in (c, c2, conn, srv):
    s.close()
