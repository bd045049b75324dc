# os.pipe as on Linux: end of file once every writing end is closed (Emscripten's pipe said
# EAGAIN), EPIPE on a write nobody can read, and set_blocking(True) that clears O_NONBLOCK.
import os
r, w = os.pipe()
os.write(w, b"abc")
os.close(w)
print(os.read(r, 10), os.read(r, 10))
r, w = os.pipe()
os.write(w, b"data" * 3)
os.close(w)
chunks = []
while d := os.read(r, 5):
    chunks.append(d)
print(chunks)
r, w = os.pipe()
os.close(r)
try:
    os.write(w, b"x")
except BrokenPipeError as e:
    print("write:", type(e).__name__, e.errno)
r, w = os.pipe()
w2 = os.dup(w)
os.close(w)
os.set_blocking(r, False)
try:
    os.read(r, 1)
except BlockingIOError as e:
    print("non-blocking, a writer left:", e.errno)
os.set_blocking(r, True)
os.close(w2)
print("after the last writer:", os.read(r, 1))

import pickle

print(pickle.loads(pickle.dumps(os.read)) is os.read)
r, w = os.pipe()
os.set_blocking(r, False)
print(os.get_blocking(r))
os.set_blocking(r, True)
print(os.get_blocking(r))
