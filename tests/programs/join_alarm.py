# An alarm whose handler raises an OSError subclass during join(): CPython's join waits in
# os.waitpid, whose OSError it takes as "no child", so the join returns with exitcode None;
# another exception goes through.
import multiprocessing as mp
import signal
import time


def on_alarm(signum, frame):
    raise TimeoutError("took too long")


def on_alarm_value(signum, frame):
    raise ValueError("stop waiting")


if __name__ == "__main__":
    mp.set_start_method("spawn")
    signal.signal(signal.SIGALRM, on_alarm)
    p = mp.Process(target=time.sleep, args=(0.8,))
    p.start()
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    p.join()
    print("join returned:", p.exitcode, p.is_alive())
    p.join()
    print("joined:", p.exitcode)
    signal.signal(signal.SIGALRM, on_alarm_value)
    p = mp.Process(target=time.sleep, args=(0.8,))
    p.start()
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        p.join()
    except ValueError as e:
        print("ValueError", e, p.exitcode)
    p.join()
    print("joined:", p.exitcode)
