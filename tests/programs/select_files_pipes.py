# select and poll over a process's own pipes and files, alone and next to sockets.
import os
import select
import socket
import time

r, w = os.pipe()
f = open(__file__, "rb")
print("empty pipe:", select.select([r], [w], [], 0))
os.write(w, b"ping")
print("pipe with data:", select.select([r], [], [], 0))
print("a file is always ready:", select.select([f], [f], [], 0) == ([f], [f], []))
a, b = socket.socketpair()
t0 = time.monotonic()
print("a pipe ready next to an idle socket:", select.select([a, r], [], [], 5) == ([r], [], []), time.monotonic() - t0 < 2)
print(os.read(r, 10))
t0 = time.monotonic()
print("nothing ready waits its timeout:", select.select([a, r], [], [], 0.2), time.monotonic() - t0 >= 0.2)
b.send(b"x")
print("the socket ready, the pipe not:", select.select([r, a], [], [], 5) == ([a], [], []))
p = select.poll()
p.register(r, select.POLLIN)
p.register(w, select.POLLOUT)
p.register(a, select.POLLIN)
print("poll:", sorted(p.poll(0)) == sorted([(w, select.POLLOUT), (a.fileno(), select.POLLIN)]))
os.write(w, b"pong")
print("poll after a write:", sorted(fd for fd, _ in p.poll(100)) == sorted([r, w, a.fileno()]))
try:
    select.select([99], [], [], 0)
except OSError as e:
    print("a closed descriptor:", type(e).__name__, e.errno)
q = select.poll()
q.register(99, select.POLLIN)
print("poll of a closed descriptor:", q.poll(0) == [(99, select.POLLNVAL)])
