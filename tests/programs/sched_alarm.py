# alarm and setitimer where a controlled run's clock is virtual: a SIGALRM ends a wait that
# nothing else would end (no deadlock), interval ticks wake signal.pause() while the others
# move, and SIGALRM's default action ends a process blocked on an Event (-14).
import multiprocessing as mp
import signal
import time


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout


def waiter(lock):
    signal.signal(signal.SIGALRM, on_alarm)
    print("waiter: alarm(2) returns", signal.alarm(2), flush=True)
    start = time.monotonic()
    try:
        lock.acquire()
        print("waiter: acquired", flush=True)
    except Timeout:
        print("waiter: gave up after", round(time.monotonic() - start), "s", flush=True)


def ticker(done):
    ticks = []
    signal.signal(signal.SIGALRM, lambda s, f: ticks.append(s))
    signal.setitimer(signal.ITIMER_REAL, 0.2, 0.2)
    value, interval = signal.getitimer(signal.ITIMER_REAL)
    print("ticker: getitimer", 0 < value <= 0.2, interval, flush=True)
    while len(ticks) < 3:
        signal.pause()
    signal.setitimer(signal.ITIMER_REAL, 0)
    print("ticker: three ticks, then", signal.getitimer(signal.ITIMER_REAL), flush=True)
    done.set()


def doomed():
    signal.alarm(1)
    mp.Event().wait()
    print("doomed: not reached", flush=True)


if __name__ == "__main__":
    lock = mp.Lock()
    lock.acquire()
    w = mp.Process(target=waiter, args=(lock,))
    w.start()
    w.join()
    print("waiter exit code", w.exitcode)

    done = mp.Event()
    t = mp.Process(target=ticker, args=(done,))
    t.start()
    done.wait()
    t.join()
    print("ticker exit code", t.exitcode)

    d = mp.Process(target=doomed)
    d.start()
    d.join()
    print("doomed exit code", d.exitcode)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        lock.acquire()
    except Timeout:
        print("main: the lock it holds, given up at the alarm")
