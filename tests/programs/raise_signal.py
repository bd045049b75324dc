# signal.raise_signal: a deadly signal's default action ends the process (the C library's
# raise brought the interpreter down), a handler runs before it returns, bad numbers fail.
import multiprocessing as mp
import signal


def die(sig):
    signal.raise_signal(sig)
    print("not reached")


def handled():
    signal.signal(signal.SIGUSR2, lambda s, f: print("handler", s, flush=True))
    signal.raise_signal(signal.SIGUSR2)
    print("after the handler", flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    # SIGSEGV is not one the kernel delivers: its default action still ends the process.
    for target, args in ((die, (signal.SIGUSR1,)), (die, (signal.SIGTERM,)), (die, (signal.SIGSEGV,)), (handled, ())):
        p = mp.Process(target=target, args=args)
        p.start()
        p.join()
        print(target.__name__, p.exitcode, flush=True)
    signal.raise_signal(signal.SIGWINCH)  # ignored by default
    print("after SIGWINCH")
    for bad in ("x", 999, 0):
        try:
            signal.raise_signal(bad)
        except (TypeError, OSError) as e:
            print(type(e).__name__, e)
