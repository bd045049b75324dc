# select, poll and a selector over the terminal's input (descriptor 0, sys.stdin.fileno()) next
# to a socket, as a chat client waits on both: stdin is readable once a line or its end is in.
# Run with input piped in ("one\ntwo\nthree\n"), as python3 reading a pipe.
import select
import selectors
import socket
import sys

print("fileno", sys.stdin.fileno(), sys.stdin.buffer.fileno())
r, _, _ = select.select([sys.stdin], [], [], 5)
print("select: stdin ready:", r == [sys.stdin])
p = select.poll()
p.register(0, select.POLLIN)
print("poll:", p.poll(5000))
print(repr(sys.stdin.read()))
a, b = socket.socketpair()
sel = selectors.DefaultSelector()
sel.register(sys.stdin, selectors.EVENT_READ, "stdin")
sel.register(a, selectors.EVENT_READ, "socket")
b.send(b"ping")
events = []
while "stdin at its end" not in events or "ping" not in events:
    for key, _ in sel.select(timeout=5):
        if key.data == "socket":
            events.append(a.recv(10).decode())
        else:
            line = sys.stdin.readline()
            events.append(line.strip() if line else "stdin at its end")
            if not line:
                sel.unregister(sys.stdin)
print(sorted(events))
