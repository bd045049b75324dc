# select and poll see an os.pipe's end of file: its reading end is ready (POLLHUP) once every
# writing end is closed.
import os
import select

r, w = os.pipe()
os.close(w)
print(select.select([r], [], [], 1)[0] == [r])
po = select.poll()
po.register(r, select.POLLIN)
print(po.poll(1000))
r2, w2 = os.pipe()
os.write(w2, b"hi")
os.close(w2)
po = select.poll()
po.register(r2, select.POLLIN)
print(po.poll(1000))
got = b""
while select.select([r2], [], [], 1)[0]:
    d = os.read(r2, 10)
    if not d:
        break
    got += d
print("EOF", got)
r3, w3 = os.pipe()
print(select.select([r3], [], [], 0.05))
