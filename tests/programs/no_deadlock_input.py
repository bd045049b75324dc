# A child waits for an Event the parent sets only after a line arrives on stdin: while the
# parent waits in input(), the terminal can still feed it, so this is not a deadlock.
from multiprocessing import Event, Process


def child(go):
    go.wait()
    print("child saw the line")


if __name__ == "__main__":
    go = Event()
    p = Process(target=child, args=(go,))
    p.start()
    line = input()
    print("read", line)
    go.set()
    p.join()
