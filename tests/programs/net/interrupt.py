# Blocking socket calls can be interrupted with Ctrl-C (SIGINT → KeyboardInterrupt).
import socket

srv = socket.create_server(("127.0.0.1", 0))
try:
    print("waiting in accept", flush=True)
    srv.accept()
except KeyboardInterrupt:
    print("interrupted in accept")
c = socket.create_connection(srv.getsockname())
c.settimeout(30)
try:
    print("waiting in recv", flush=True)
    c.recv(10)
except KeyboardInterrupt:
    print("interrupted in recv")
print("still works:", c.getpeername() == srv.getsockname())
