# Every standard Linux signal reaches a process with its default action (core-dumping ones
# end it with -N, SIGPIPE/SIGXFSZ are ignored by Python, SIGWINCH/SIGURG by default, SIGTTIN
# stops), a handler catches the catchable ones, and SIG_IGN is Linux's 1.
import multiprocessing as mp, os, signal, time

def victim(sigs, handle):
    for sig in sigs:
        if handle:
            signal.signal(sig, lambda s, f: print("caught", signal.Signals(s).name, flush=True))
        os.kill(os.getpid(), sig)
        time.sleep(0.1)
        print("survived", signal.Signals(sig).name, flush=True)


def dfl_pipe():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGPIPE)
    time.sleep(0.3)
    print("not reached")

if __name__ == "__main__":
    mp.set_start_method("spawn")
    for sigs, handle in [([signal.SIGSEGV], False), ([signal.SIGQUIT], False), ([signal.SIGFPE], False),
                         ([signal.SIGPIPE, signal.SIGWINCH, signal.SIGURG, signal.SIGXFSZ], False),
                         ([signal.SIGBUS, signal.SIGSYS], True), ([signal.SIGPROF], False)]:
        p = mp.Process(target=victim, args=(sigs, handle)); p.start(); p.join()
        print([signal.Signals(s).name for s in sigs], p.exitcode, flush=True)
    p = mp.Process(target=dfl_pipe); p.start(); p.join(); print("dfl pipe", p.exitcode)
    p = mp.Process(target=time.sleep, args=(5,)); p.start(); time.sleep(0.5)
    os.kill(p.pid, signal.SIGTTIN); time.sleep(0.3)
    print("alive while stopped:", p.is_alive())
    os.kill(p.pid, signal.SIGCONT); os.kill(p.pid, signal.SIGTERM); p.join(); print("ttin", p.exitcode)
    print(signal.getsignal(signal.SIGPIPE), signal.getsignal(signal.SIGXFSZ), repr(signal.SIG_IGN), int(signal.SIG_DFL))
    print(signal.signal(signal.SIGTERM, signal.SIG_IGN), repr(signal.getsignal(signal.SIGTERM)), signal.signal(signal.SIGTERM, 0))
    signal.signal(signal.SIGUSR1, 1)
    os.kill(os.getpid(), signal.SIGUSR1)
    print("SIGUSR1 ignored by the number 1:", repr(signal.getsignal(signal.SIGUSR1)))
