"""Controlled mode, the Python half (the JS half is lib/runtime/worker/sched-gate.ts).

In a controlled run exactly one process runs at a time, up to its next scheduling point,
where the kernel's controller decides who continues. Most points are gated in JS (locks,
queues, pipes, sleep, output, files); these are the ones only Python sees: a process's
start and exit, join, clock reads, and (optionally) every line of the program's own files.
Time is virtual: the clock moves only when the controller advances it to the earliest
deadline of a sleep or a timeout, so `time.time()` deltas are exactly the sleeps.
"""
import random
import sys
import time

import _spawnpoint_js as _js

ON = False
# time.time() when a controlled run starts (2026-01-01T00:00:00Z): every replay reads the same.
EPOCH = 1767225600
_OWN = ("/home/", "/tmp/")

_point = _js.sched_point
_block = _js.sched_block


def _where():
    """The innermost frame in the program's own files, as "line\\tfile" (the step UI marks it)."""
    f = sys._getframe(1)
    while f is not None:
        name = f.f_code.co_filename
        if name.startswith(_OWN):
            return "%d\t%s" % (f.f_lineno, name)
        f = f.f_back
    return ""


def start(args, pid):
    """Called first thing in a process of a controlled run: its first point, then its seed."""
    global ON
    cfg = args.get("sched")
    if not cfg:
        return
    ON = True
    import _spawnpoint
    _spawnpoint.SCHED = True
    from pyodide.ffi import create_proxy
    # Kept by the gate for the process's lifetime (a borrowed proxy dies with this call).
    _js.sched_where(create_proxy(_where))
    _point("start", "pid:%d" % pid, "read")
    # Per process, from the run's seed and the process's index: the same in every replay.
    random.seed("%d:%d" % (cfg["seed"], _js.sched_proc()))
    _install_clock()
    sys.stdout = _Located(sys.stdout)
    sys.stderr = _Located(sys.stderr)
    from . import linux_errno
    linux_errno.HINT = _hint
    if cfg.get("lineGrain"):
        _install_lines()


def _hint():
    _js.sched_hint(_where())


class _Located:
    """sys.stdout/stderr in a controlled run: a write tells the output's point where it comes
    from (that point runs inside the I/O call, where Python cannot be asked)."""

    def __init__(self, inner):
        self._inner = inner

    def write(self, s):
        _hint()
        return self._inner.write(s)

    def __getattr__(self, name):
        return getattr(self._inner, name)


def exit_point(pid):
    if ON:
        _point("exit", "pid:%d" % pid, "write")


def spawn_point():
    """Process.start(): starts are ordered among themselves (pids are handed out in order)."""
    if ON:
        _point("start", "procs", "write")


def join(pid, timeout, nohang):
    """Popen.wait/poll in a controlled run: try, then park blocked on the child until it exits
    or the virtual timeout passes. The exit code, or None."""
    from . import call
    clock = _point("join", "pid:%d" % pid, "read")
    deadline = -1 if timeout is None else clock + max(0.0, timeout) * 1000.0
    timed_out = False
    while True:
        code = call("waitpid", pid=pid, nohang=True)
        if code is not None or nohang or timed_out or timeout == 0:
            return code
        timed_out = _blocked(_block("join", "pid:%d" % pid, "join", "pid %d" % pid, deadline))


def kill_point(pid):
    """os.kill (terminate, kill): a point on the target, ordered with everything it does."""
    _point("kill", "pid:%d" % pid, "read")


def clock():
    """The virtual clock (ms) as of this process's last point."""
    return _js.sched_clock()


def kernel_point(name, args):
    """A socket call: a point on its socket ("sock:<fd>"), before the kernel sees it."""
    fd = args.get("fd")
    _point(name.replace("sock_", "sock.", 1), "sock:fd%s" % fd if fd is not None else "net", "write")


def kernel_block(would, deadline):
    """The kernel would have parked the call: park blocked until another process changed
    something, or past `deadline` (virtual ms, -1: none). True: timed out."""
    return _blocked(_block("kernel", "kernel", would["on"], would["object"], deadline))


def _blocked(result):
    """What a park at the scheduler ended with: True timed out, False woken; a signal's
    handler that raised while it waited (2) raises here, as it would inside the wait."""
    if result == 2:
        from . import signals
        signals.raise_pending()
    return result == 1


def _ms():
    return _point("clock", "clock", "read")


def _install_clock():
    def time_():
        return EPOCH + _ms() / 1000.0

    def time_ns():
        return EPOCH * 1_000_000_000 + int(_ms() * 1_000_000)

    def monotonic():
        return _ms() / 1000.0

    def monotonic_ns():
        return int(_ms() * 1_000_000)

    time.time, time.time_ns = time_, time_ns
    time.monotonic, time.monotonic_ns = monotonic, monotonic_ns
    time.perf_counter, time.perf_counter_ns = monotonic, monotonic_ns


def _install_lines():
    """Every line of the program's own files is a point (`sys.monitoring` LINE events; code
    elsewhere turns its events off at once)."""
    mon = sys.monitoring
    tool = mon.DEBUGGER_ID
    mon.use_tool_id(tool, "spawnpoint-sched")
    disable = mon.DISABLE

    def on_line(code, line):
        if not code.co_filename.startswith(_OWN):
            return disable
        _point("line", "line", "read")
        return None

    mon.register_callback(tool, mon.events.LINE, on_line)
    mon.set_events(tool, mon.events.LINE)
