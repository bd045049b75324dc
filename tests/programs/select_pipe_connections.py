# select, poll and selectors over Pipe ends and process sentinels, next to a socket: a
# message wakes the wait at once, and a sentinel is ready once its process ended.
import multiprocessing as mp
import select
import selectors
import socket
import time


def child(c):
    time.sleep(0.2)
    c.send("late")
    time.sleep(0.5)  # the parent's select returns with the message, before this exit


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    r, w = mp.Pipe()
    print("fds:", r.fileno(), w.fileno())
    print("empty:", select.select([r], [], [], 0))
    w.send("x")
    print("with data:", select.select([r], [], [], 0)[0] == [r])
    r.recv()
    a, b = socket.socketpair()
    p = mp.Process(target=child, args=(w,))
    p.start()
    t0 = time.monotonic()
    got = select.select([a, r, p.sentinel], [], [], 5)[0]
    print("woken by the pipe:", got == [r], time.monotonic() - t0 < 2, r.recv())
    got = select.select([a, r, p.sentinel], [], [], 5)[0]
    print("then the sentinel:", got == [p.sentinel])
    p.join()
    sel = selectors.DefaultSelector()
    sel.register(r, selectors.EVENT_READ)
    print("selector, empty:", sel.select(0))
    w.send("y")
    print("selector, data:", [k.fileobj is r for k, ev in sel.select(1)])
    po = select.poll()
    po.register(r, select.POLLIN)
    po.register(w, select.POLLOUT)
    print("poll:", sorted(po.poll(0)) == sorted([(r.fileno(), select.POLLIN), (w.fileno(), select.POLLOUT)]))
    ro, wo = mp.Pipe(duplex=False)
    print("one-way:", select.select([ro], [wo], [], 0) == ([], [wo], []))
    ro.close()
    print("closed:", ro.closed)
    r.recv()
    print("by number, empty:", select.select([r.fileno()], [], [], 0.05))
    w.send("z")
    print("by number:", select.select([r.fileno()], [], [], 1)[0] == [r.fileno()], r.recv())
