# CPython's errors for every misuse the lessons meet.
import socket

srv = socket.create_server(("127.0.0.1", 0))
port = srv.getsockname()[1]


def attempt(label, fn):
    try:
        r = fn()
        print(label, "->", r)
    except Exception as e:
        print(label, "->", type(e).__name__ + ":", e)


attempt("bind a port in use", lambda: socket.socket().bind(("127.0.0.1", port)))
attempt("port out of range", lambda: socket.socket().bind(("127.0.0.1", 70000)))
attempt("connect refused", lambda: socket.create_connection(("127.0.0.1", 9)))
attempt("outside address", lambda: socket.create_connection(("10.1.2.3", 80)))
attempt("outside name", lambda: socket.create_connection(("example.com", 80)))
attempt("gethostbyname", lambda: socket.gethostbyname("localhost"))
closed = socket.socket()
closed.close()
attempt("use after close", lambda: closed.send(b"x"))
attempt("fileno after close", lambda: closed.fileno())

# EOF, reset, broken pipe
c = socket.create_connection(("127.0.0.1", port))
conn, _ = srv.accept()
c.sendall(b"last words")
c.close()
print("recv", conn.recv(100), conn.recv(100))
attempt("send after the peer closed (1st)", lambda: conn.send(b"a"))
attempt("send after the peer closed (2nd)", lambda: conn.send(b"b"))

c = socket.create_connection(("127.0.0.1", port))
conn, _ = srv.accept()
c.sendall(b"never read")
conn.close()  # unread data: RST
attempt("recv after a reset", lambda: c.recv(100))
attempt("recv again", lambda: c.recv(100))
c.close()

import errno

print("errno names", errno.ECONNREFUSED, errno.EADDRINUSE, errno.errorcode[98])
import socketserver

attempt("ThreadingTCPServer", lambda: socketserver.ThreadingTCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler))
srv.close()
