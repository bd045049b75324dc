"""Spawnpoint's Python side: the bridge from multiprocessing to the kernel.

Every call into the kernel goes through `call` (blocking: the worker parks in Atomics.wait
until the kernel answers) or `post` (fire-and-forget). Kernel errors arrive as typed
records and become the Python exception CPython would raise.
"""
import builtins
import json
import queue as _queue

from pyodide.ffi import to_js as _to_js

import _spawnpoint_js as _js

from . import linux_errno as _linux_errno

_syscall = _js.syscall
_post = _js.post
_reply_json = _js.reply_json
_reply_bytes = _js.reply_bytes

def _bytes_by_address():
    """Whether a bytes object's data lies at id(obj) + 16 in the interpreter's memory.

    CPython's PyBytesObject on wasm32: refcount, type, size and the cached hash (4 bytes
    each), then the data. Passing that address and a length to JS costs two ints instead
    of a PyProxy and its buffer. A fresh `bytes(n)` (n > 1) belongs to its creator alone
    and has no hash yet, so a reader may fill one in place, as C code does with
    PyBytes_FromStringAndSize(NULL, n). Checked once, on a probe: a different layout falls
    back to copying through the FFI.
    """
    probe = bytes(range(256))
    try:
        return _js.bytes_probe(id(probe) + 16, probe.decode("latin-1"))
    except Exception:
        return False


BYTES_BY_ADDRESS = _bytes_by_address()

# Filled in by main.start(): this process's identity.
PID = 0
PPID = 0
# The root of this interpreter tree's resource tracker (lib/kernel/trackers.ts): a python3's
# own pid, inherited by its multiprocessing children.
TRACKER = 0
# Where that tracker warns: a subprocess pipe's handle, -1 the terminal, -2 nowhere (DEVNULL).
STDERR_TARGET = -1
CPU_COUNT = 1


def _raise(err):
    kind = err.get("pyType")
    message = err.get("message", "")
    errno = err.get("errno")
    if kind == "KeyboardInterrupt":
        raise KeyboardInterrupt
    if err.get("signal") is not None:
        # EINTR outside call(): the handler runs; if it does not raise, the caller sees EINTR.
        from . import signals
        signals.handle(err["signal"])
    if kind == "queue.Empty":
        raise _queue.Empty
    if kind == "queue.Full":
        raise _queue.Full
    if kind == "EOFError":
        raise EOFError
    if kind == "ValueError":
        raise ValueError(message)
    exc = getattr(builtins, kind, OSError)
    if errno is None:
        raise exc(message)
    # The kernel's numbers are Linux's, like the errno module here (see linux_errno).
    if exc is OSError:
        raise _linux_errno.error(errno, message, err.get("filename"))
    raise _linux_errno.make_error(exc, errno, message, err.get("filename"))


def _js_bytes(data):
    return None if data is None else _to_js(data)


def _interrupted(value, args, started):
    """EINTR: a signal with a handler arrived while the call waited in the kernel. Its
    handler runs here (and may raise); then the call is made again with what is left of
    its timeout (PEP 475). Returns False for any other error."""
    sig = value.get("signal")
    if sig is None:
        return False
    from . import signals
    signals.handle(sig)
    if args.get("timeoutMs") is not None:
        args["timeoutMs"] = max(0.0, args["timeoutMs"] - (_js.now() - started))
    return True


# Controlled mode (_spawnpoint.sched): socket calls are scheduling points, and a call the
# kernel would park comes back "would block" so that the process parks at the scheduler.
SCHED = False


def _sched_before(name, args):
    if name.startswith("sock_"):
        from . import sched
        sched.kernel_point(name, args)


def _would_block(value, args, state):
    """A controlled process's call that would wait: park at the scheduler until something
    changed (or its virtual timeout passed, then ask once more without waiting)."""
    wb = value.get("wouldBlock")
    if wb is None:
        return False
    from . import sched
    if "deadline" not in state:
        t = args.get("timeoutMs")
        state["deadline"] = -1 if t is None else sched.clock() + t
    if sched.kernel_block(wb, state["deadline"]):
        args["timeoutMs"] = 0
    return True


def call(_name, _data=None, **args):
    """Blocking syscall. Returns the JSON value; use `call_bytes` when the reply carries bytes."""
    started = _js.now()
    state = {}
    if SCHED:
        _sched_before(_name, args)
    while True:
        ok = _syscall(_name, json.dumps(args), _js_bytes(_data))
        value = json.loads(_reply_json())
        if ok:
            return value
        if not _interrupted(value, args, started) and not (SCHED and _would_block(value, args, state)):
            _raise(value)


def call_bytes(_name, _data=None, **args):
    started = _js.now()
    state = {}
    if SCHED:
        _sched_before(_name, args)
    while True:
        ok = _syscall(_name, json.dumps(args), _js_bytes(_data))
        if ok:
            b = _reply_bytes()
            return None if b is None else b.to_bytes()
        value = json.loads(_reply_json())
        if not _interrupted(value, args, started) and not (SCHED and _would_block(value, args, state)):
            _raise(value)


def post(_name, _data=None, **args):
    _post(_name, json.dumps(args), _js_bytes(_data))


def timeout_ms(timeout):
    if timeout is None:
        return None
    return max(0.0, float(timeout)) * 1000.0
