"""The `signal` module as Linux has it, on the kernel's signals (lib/kernel/signal-delivery.ts).

The kernel decides what a signal does, so `signal.signal` tells it each disposition
(default, ignore, handler) through the `sigaction` syscall; Pyodide's own `signal.signal`
still installs the handler, which CPython runs when the worker hands it the signal number
(`PyErr_SetInterruptEx`: from the interrupt word between bytecodes, or from `deliver`
below when the signal arrives during a wait). SIGKILL and SIGSTOP cannot be caught: the
runtime keeps SIGSTOP's handler for itself, to park the worker while the process is stopped.
`alarm`, `setitimer`/`getitimer` (ITIMER_REAL) and `pause` are kernel timers and waits.
"""
import _thread
import enum as _enum
import operator
import signal as _signal
import sys

import _spawnpoint_js as _js

import _spawnpoint
from .linux_errno import LINUX as _ERRNO, error as _error

_c_signal = _signal.signal
_c_getsignal = _signal.getsignal
_interrupt_main = _thread.interrupt_main

# The signals the kernel delivers, by name (lib/kernel/signals.ts, through the FFI table);
# others stay local to this interpreter.
_KERNEL = _js.KERNEL_SIGNALS.to_py()
_KERNEL_SIGNALS = frozenset(_KERNEL.values())
SIGSTOP = _KERNEL["SIGSTOP"]
SIGCONT = _KERNEL["SIGCONT"]
SIGKILL = _KERNEL["SIGKILL"]
_EINVAL = _ERRNO["EINVAL"]

# Signals whose default action is to be ignored, or to stop the process (by a terminal).
_DEFAULT_IGNORE_OR_STOP = frozenset(
    getattr(_signal, name) for name in ("SIGWINCH", "SIGURG", "SIGTTIN", "SIGTTOU") if hasattr(_signal, name)
)

ITIMER_REAL = 0
ITIMER_VIRTUAL = 1
ITIMER_PROF = 2


class ItimerError(OSError):
    pass


# An exception a handler raised during a wait inside the worker: re-raised by the wait.
_pending = None
# True while the process is stopped (parked in _stop until SIGCONT).
_stopped = False


def deliver(sig):
    """Runs the handler of `sig` now (the worker calls this from inside a wait).

    Returns True when the wait must end: the handler raised (kept for `raise_pending`), or
    SIGCONT released a stop. False: the wait goes on (PEP 475).
    """
    global _pending, _stopped
    if _stopped and sig == SIGCONT:
        _stopped = False
        return True
    try:
        # Trips the handler (nothing for SIG_IGN / SIG_DFL); it runs before this call returns.
        _interrupt_main(sig)
    except BaseException as e:
        _pending = e
        return True
    return False


def raise_pending():
    """A wait inside the worker ended because a signal handler raised: raise that exception."""
    global _pending
    e, _pending = _pending, None
    if e is None:
        raise KeyboardInterrupt
    raise e


def handle(sig):
    """A call parked in the kernel was interrupted (EINTR) by `sig`: run its handler here."""
    if deliver(sig):
        raise_pending()


def _stop(signum, frame):
    """SIGSTOP/SIGTSTP reached the worker: park until SIGCONT (the kernel holds everything else)."""
    global _stopped
    _stopped = True
    while _stopped:
        if _js.pause(None) < 0 and _pending is not None:
            # SIGKILL ends a stopped worker from outside; nothing else can end this wait.
            raise_pending()


def _disposition(handler):
    if not callable(handler) and (handler == Handlers.SIG_IGN or handler is _C_IGN):
        return "ignore"
    if not callable(handler) and handler == Handlers.SIG_DFL:
        return "default"
    return "handler"


def signal(signalnum, handler):
    signalnum = int(signalnum)
    if not 1 <= signalnum < _signal.NSIG:
        raise ValueError("signal number out of range")
    if not callable(handler) and _disposition(handler) == "handler":
        raise TypeError("signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object")
    if signalnum in (SIGKILL, SIGSTOP):
        raise _error(_EINVAL, "Invalid argument")
    old = _c_signal(signalnum, _C_IGN if _disposition(handler) == "ignore" else handler)
    if signalnum in _KERNEL_SIGNALS:
        _spawnpoint.call("sigaction", signal=signalnum, action=_disposition(handler))
    return _as_python(old)


def getsignal(signalnum):
    signalnum = int(signalnum)
    if signalnum == SIGSTOP:
        return Handlers.SIG_DFL
    return _as_python(_c_getsignal(signalnum))


# Emscripten's C library has SIG_IGN as (void *)-2, so Pyodide's signal.SIG_IGN is 4294967294;
# Linux's is 1. The program sees Linux's; the C module is given its own.
_C_IGN = _signal.SIG_IGN
Handlers = _enum.IntEnum("Handlers", [("SIG_DFL", 0), ("SIG_IGN", 1)], module="signal")


def _as_python(handler):
    """A handler as the C module reports it, with Linux's numbers."""
    if not callable(handler) and handler is not None:
        if handler == _C_IGN:
            return Handlers.SIG_IGN
        if handler == 0:
            return Handlers.SIG_DFL
    return handler


def setitimer(which, seconds, interval=0.0):
    _check_timer(which)
    seconds = float(seconds)
    interval = float(interval)
    if seconds < 0 or interval < 0:
        raise ItimerError(_EINVAL, "Invalid argument")
    old = _spawnpoint.call("setitimer", valueMs=seconds * 1000.0, intervalMs=interval * 1000.0)
    return (old[0] / 1000.0, old[1] / 1000.0)


def getitimer(which):
    _check_timer(which)
    old = _spawnpoint.call("getitimer")
    return (old[0] / 1000.0, old[1] / 1000.0)


def _check_timer(which):
    which = int(which)
    if which == ITIMER_REAL:
        return
    if which in (ITIMER_VIRTUAL, ITIMER_PROF):
        raise ItimerError(
            _EINVAL, "only ITIMER_REAL is available here: a browser worker cannot measure the CPU time a process uses"
        )
    raise ItimerError(_EINVAL, "Invalid argument")


def alarm(seconds):
    seconds = int(seconds.__index__())
    if seconds < 0:
        raise OverflowError("Python int too large to convert to C unsigned int")
    old_ms = _spawnpoint.call("setitimer", valueMs=seconds * 1000.0, intervalMs=0)[0]
    # glibc's alarm(): the old timer's seconds, rounded to nearest, never 0 while one was set.
    whole, rest = divmod(old_ms, 1000.0)
    left = int(whole) + (1 if rest >= 500 else 0)
    return 1 if left == 0 and old_ms > 0 else left


def pause():
    """Waits until a signal whose handler runs (or a handler that raises)."""
    from . import sched
    if sched.ON:
        # At the scheduler, so that the others move meanwhile: only a signal wakes it.
        sched._blocked(sched._block("pause", "pause:%d" % _spawnpoint.PID, "sleep", "signal.pause", -1))
        return
    if _js.pause("signal.pause") < 0:
        raise_pending()


def _sigset(mask):
    """A signal set as the C module reads one: numbers from 1 to NSIG - 1."""
    out = set()
    for sig in mask:
        n = operator.index(sig)
        if not 0 < n < _signal.NSIG:
            raise ValueError("signal number %d out of range [1; %d]" % (n, _signal.NSIG - 1))
        out.add(n)
    return sorted(out)


def _signals(numbers):
    return {_signal._int_to_enum(n, _signal.Signals) for n in numbers}


def pthread_sigmask(how, mask, /):
    """The process's signal mask (the kernel keeps it): blocked signals stay pending until
    unblocked, or until sigwait takes them. Returns the old mask."""
    how, sigs = operator.index(how), _sigset(mask)
    return _signals(_spawnpoint.call("sigprocmask", how=how, signals=sigs))


def sigpending():
    return _signals(_spawnpoint.call("sigpending"))


def _sigwait(sigset, timeout):
    sigs = _sigset(sigset)
    got = _spawnpoint.call("sigwait", signals=sigs, timeoutMs=None if timeout is None else timeout * 1000.0)
    if got is None:
        return None
    import os
    sig, sender = got
    # si_code SI_USER (0): sent by kill().
    return _signal.struct_siginfo((sig, 0, 0, sender, os.getuid(), 0, 0))


def sigwait(sigset, /):
    """Waits for one of `sigset` (blocked, so pending) and takes it: its number."""
    return _signal._int_to_enum(_sigwait(sigset, None).si_signo, _signal.Signals)


def sigwaitinfo(sigset, /):
    return _sigwait(sigset, None)


def sigtimedwait(sigset, timeout, /):
    timeout = float(timeout)
    if timeout < 0:
        raise ValueError("timeout must be non-negative")
    return _sigwait(sigset, timeout)


def raise_signal(signalnum, /):
    """raise(3): the signal to this process; its handler runs, or its default action is done,
    before this returns (the C library's raise of a deadly signal brought the interpreter down)."""
    signalnum = operator.index(signalnum)
    if not 0 <= signalnum < _signal.NSIG:
        raise _error(_EINVAL, "Invalid argument")
    if signalnum == 0:
        return  # raise(0): no signal, as kill(pid, 0)
    if signalnum in _KERNEL_SIGNALS:
        from .process_os import getpid, kill
        kill(getpid(), signalnum)
        return
    # A signal only this interpreter knows: its Python handler, if it has one, else its
    # default action: nothing for those Linux ignores or that would stop it (no terminal
    # job control here), else the end of the process, killed by it (SIGSEGV: -11).
    handler = _c_getsignal(signalnum)
    if callable(handler):
        handler(signalnum, sys._getframe(1))
    elif handler != _C_IGN and signalnum not in _DEFAULT_IGNORE_OR_STOP:
        _js.sync_open_files()
        _spawnpoint.call("exit", code=-signalnum)


def start(ignored):
    """A new process: what its parent ignored stays ignored (the kernel knows already)."""
    for sig in ignored:
        _c_signal(sig, _C_IGN)


def install():
    _c_signal(SIGSTOP, _stop)
    _signal.signal = signal
    _signal.getsignal = getsignal
    _signal.Handlers = Handlers
    _signal.SIG_DFL = Handlers.SIG_DFL
    _signal.SIG_IGN = Handlers.SIG_IGN
    _signal.alarm = alarm
    _signal.setitimer = setitimer
    _signal.getitimer = getitimer
    _signal.pause = pause
    _signal.raise_signal = raise_signal
    _signal.pthread_sigmask = pthread_sigmask
    _signal.sigpending = sigpending
    _signal.sigwait = sigwait
    _signal.sigwaitinfo = sigwaitinfo
    _signal.sigtimedwait = sigtimedwait
    _signal.ITIMER_REAL = ITIMER_REAL
    _signal.ITIMER_VIRTUAL = ITIMER_VIRTUAL
    _signal.ITIMER_PROF = ITIMER_PROF
    _signal.ItimerError = ItimerError
    _signal.SIGKILL = SIGKILL
