# A process's signal mask: blocked signals wait (sigpending) and act once unblocked; sigwait
# takes one; a child starts with its parent's mask; SIGKILL cannot be blocked.
import multiprocessing as mp
import os
import signal
import time


def handler(signum, frame):
    print("handled", signal.Signals(signum).name, flush=True)


def child_mask(q):
    q.put(sorted(s.name for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])))


def waiter(ready):
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGTERM})
    ready.set()
    got = signal.sigwait({signal.SIGUSR1, signal.SIGTERM})
    print("sigwait got", got.name, flush=True)
    info = signal.sigwaitinfo([signal.SIGTERM])
    print("sigwaitinfo got", signal.Signals(info.si_signo).name, info.si_code, info.si_pid == os.getppid(), flush=True)
    print("timed out:", signal.sigtimedwait([signal.SIGUSR1], 0.2), flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    signal.signal(signal.SIGUSR1, handler)
    old = signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1, signal.SIGKILL])
    print("old mask", old)
    os.kill(os.getpid(), signal.SIGUSR1)
    time.sleep(0.2)
    print("pending", signal.sigpending())
    q = mp.Queue()
    p = mp.Process(target=child_mask, args=(q,))
    p.start()
    print("child's mask", q.get())
    p.join()
    print("unblock ->", signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1]))
    time.sleep(0.2)
    print("pending after", signal.sigpending())
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(0.2)
    print("still here, pending", signal.sigpending())
    print("setmask ->", sorted(s.name for s in signal.pthread_sigmask(signal.SIG_SETMASK, [signal.SIGINT, signal.SIGTERM])))
    print("sigwait for SIGTERM:", signal.sigwait([signal.SIGTERM]).name)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    for bad in (lambda: signal.pthread_sigmask(7, []), lambda: signal.pthread_sigmask(signal.SIG_BLOCK, [0]), lambda: signal.sigtimedwait([1], -1)):
        try:
            bad()
        except (OSError, ValueError) as e:
            print(type(e).__name__, e)
    ready = mp.Event()
    p = mp.Process(target=waiter, args=(ready,))
    p.start()
    ready.wait()
    time.sleep(0.1)
    os.kill(p.pid, signal.SIGUSR1)
    time.sleep(0.2)
    os.kill(p.pid, signal.SIGTERM)
    p.join()
    print("waiter exit", p.exitcode)
    p = mp.Process(target=time.sleep, args=(5,))
    p.start()
    time.sleep(0.3)
    os.kill(p.pid, signal.SIGKILL)
    p.join()
    print("killed", p.exitcode)
