"""signal.alarm, setitimer(ITIMER_REAL)/getitimer and pause."""
import signal
import time


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout


signal.signal(signal.SIGALRM, on_alarm)
print("alarm(5) returns", signal.alarm(5))
print("alarm(0) returns the old one:", signal.alarm(0))

signal.alarm(1)
start = time.monotonic()
try:
    while True:
        pass
except Timeout:
    print("busy loop ended by the alarm after ~1 s:", 0.9 <= time.monotonic() - start < 2.5)

ticks = []
signal.signal(signal.SIGALRM, lambda s, f: ticks.append(s))
print("setitimer returns the old timer:", signal.setitimer(signal.ITIMER_REAL, 0.2, 0.1))
value, interval = signal.getitimer(signal.ITIMER_REAL)
print("getitimer:", 0 < value <= 0.2, interval)
while len(ticks) < 3:
    signal.pause()
signal.setitimer(signal.ITIMER_REAL, 0)
print("three ticks:", ticks, "then disarmed:", signal.getitimer(signal.ITIMER_REAL))

signal.signal(signal.SIGALRM, on_alarm)
signal.setitimer(signal.ITIMER_REAL, 0.3)
try:
    time.sleep(5)
except Timeout:
    print("time.sleep interrupted by a handler that raises")

signal.signal(signal.SIGALRM, signal.SIG_DFL)
signal.alarm(1)
time.sleep(5)
print("not reached: SIGALRM's default action ends the process")
