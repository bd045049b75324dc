# A non-blocking connect() on Linux's TCP answers EINPROGRESS even on the loopback; the outcome
# comes from select + SO_ERROR, or from the next connect() (0 once, or the refusal).
import socket, select
l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen()
s = socket.socket(); s.setblocking(False)
print("listening:", s.connect_ex(l.getsockname()))
print("writable:", select.select([], [s], [], 1)[1] != [])
print("so_error:", s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
print("again:", s.connect_ex(l.getsockname()))
s2 = socket.socket(); s2.setblocking(False)
print("closed port:", s2.connect_ex(('127.0.0.1', 1)))
print("writable:", select.select([], [s2], [], 1)[1] != [])
print("again:", s2.connect_ex(('127.0.0.1', 1)))
print("third:", s2.connect_ex(('127.0.0.1', 1)))
