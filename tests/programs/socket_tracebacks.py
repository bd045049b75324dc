# An uncaught socket error's traceback: the program's frames, and the frames of what is Python
# code in CPython's socket.py (create_connection, accept, makefile's reads), none of the
# runtime's own. Each case runs as `python -c` and prints the functions its traceback names.
import re
import subprocess
import sys

CASES = {
    "connect refused": "s = socket.socket(); s.connect(('127.0.0.1', PORT))",
    "create_connection refused": "socket.create_connection(('127.0.0.1', PORT))",
    "bind in use": "a = socket.create_server(('127.0.0.1', 0)); socket.socket().bind(a.getsockname())",
    "accept timeout": "a = socket.create_server(('127.0.0.1', 0)); a.settimeout(0.05); a.accept()",
    "recv timeout": "a = socket.create_server(('127.0.0.1', 0)); c = socket.create_connection(a.getsockname()); c.settimeout(0.05); c.recv(1)",
    "readline timeout": "a = socket.create_server(('127.0.0.1', 0)); c = socket.create_connection(a.getsockname(), timeout=0.05); c.makefile('rb').readline()",
    "getpeername unconnected": "socket.socket().getpeername()",
    "send after close": "a = socket.create_server(('127.0.0.1', 0)); c = socket.create_connection(a.getsockname()); s, _ = a.accept(); s.close(); c.shutdown(socket.SHUT_WR); c.sendall(b'x')",
    "select closed socket": "import select; s = socket.socket(); s.close(); select.select([s], [], [], 0)",
}


def frames(stderr):
    names = re.findall(r'^  File "[^"]*", line \d+, in (\S+)$', stderr, re.M)
    return names, stderr.strip().splitlines()[-1]


if __name__ == "__main__":
    for name, code in CASES.items():
        src = "import socket\nPORT = 27613\n" + code.replace("; ", "\n") + "\n"
        r = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True)
        names, last = frames(r.stderr)
        print(f"{name}: exit {r.returncode}, frames {names}, {last}")
