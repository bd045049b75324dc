"""The os and time functions a process sees through the kernel: its pid and parent's,
kill (a signal sent to itself runs its handler before kill returns, as on Linux), _exit,
waitpid and wait (reaping a child, as join() does underneath),
cpu_count, mkdir of a shared directory, umask, sleep, and the terminal's stdin."""
import io
import operator
import os
import sys
import time

from multiprocessing import util

import _spawnpoint_js as _js

import _spawnpoint
from .signals import raise_pending

_pyodide_getpid = None
_os_putenv = _os_unsetenv = None

def getpid():
    return _spawnpoint.PID


def getppid():
    # Changes to 1 when the parent dies (orphans are adopted by init).
    return _spawnpoint.call("getppid")


def kill(pid, sig):
    if _spawnpoint.SCHED:
        from . import sched
        sched.kill_point(int(pid))
    _spawnpoint.call("kill", pid=int(pid), signal=int(sig))
    # pid 0 or below: a process group (the kernel's kill), which may hold this process too.
    if (int(pid) == _spawnpoint.PID or int(pid) <= 0) and _js.take_interrupt():
        # Linux delivers a signal a process sends itself before kill() returns: its handler runs now.
        raise_pending()


def killpg(*args):
    """os.killpg(pgid, sig): kill(-pgid, sig); 0 is the caller's group."""
    pgid, sig = _args("killpg", args, 2)
    if pgid < 0:
        from .linux_errno import error
        raise error(22, "Invalid argument")
    kill(-pgid, sig)


def getpgid(*args):
    """A process's group: its program's, which its main process leads (as a shell's job)."""
    if len(args) != 1:
        raise TypeError("getpgid() missing required argument 'pid' (pos 1)" if not args else "getpgid() takes at most 1 argument (%d given)" % len(args))
    return _spawnpoint.call("getpgid", pid=operator.index(args[0]))


def getpgrp(*args):
    _args("getpgrp", args, 0)
    return _spawnpoint.call("getpgid", pid=0)


def getsid(*args):
    """A process's session: its program's group (a program runs as `setsid python3 FILE` would)."""
    if len(args) != 1:
        raise TypeError("posix.getsid() takes exactly one argument (%d given)" % len(args))
    return _spawnpoint.call("getpgid", pid=operator.index(args[0]))


def _exit(code):
    code = operator.index(code)  # TypeError for a float or str, as os._exit's C int argument
    if not -(2**31) <= code < 2**31:
        raise OverflowError("Python int too large to convert to C int")
    # Linux closes the fds: what was written to them stays (what sits in Python's buffers does not).
    _js.sync_open_files()
    # The parent sees the low 8 bits (os._exit(256) is 0, os._exit(-1) is 255).
    _spawnpoint.call("exit", code=code & 0xFF)


def _wait_status(code):
    """A child's wait status from its exit code as the kernel keeps it (-N: killed by signal N)."""
    return -code if code < 0 else (code & 0xFF) << 8


def _args(name, args, count):
    """CPython's checks of a C function's positional arguments, with its wording."""
    if len(args) != count:
        if count == 0:
            raise TypeError("posix.%s() takes no arguments (%d given)" % (name, len(args)))
        raise TypeError("%s() takes exactly %d arguments (%d given)" % (name, count, len(args)))
    return [operator.index(a) for a in args]


def waitpid(*args):
    """os.waitpid(pid, options): reaps child `pid` (pid -1 or 0: any child; -pgid: any
    child in this process group, which all of them are) and returns (pid, wait status),
    or (0, 0) with WNOHANG while it runs. A child reaped here is gone for its Process too:
    join() then returns at once and exitcode stays None, as in CPython."""
    pid, options = _args("waitpid", args, 2)
    nohang = bool(options & os.WNOHANG)
    if pid > 0:
        if _spawnpoint.SCHED:
            from . import sched
            code = sched.join(pid, None, nohang)
        else:
            code = _spawnpoint.call("waitpid", pid=pid, nohang=nohang)
        return (0, 0) if code is None else (pid, _wait_status(code))
    if pid < -1 and -pid != os.getpgrp():
        raise _no_children()
    return _wait_any(nohang)


def _wait_any(nohang):
    if not _spawnpoint.SCHED:
        done = _spawnpoint.call("waitany", nohang=nohang)
        return (0, 0) if done is None else (done[0], _wait_status(done[1]))
    # A controlled run: a point on each child in turn (what a join of each would be), and
    # between rounds a sleep on the virtual clock, as connection.wait does with several objects.
    from . import sched
    delay = 0.001
    while True:
        children = _spawnpoint.call("waitany", children=True)
        if not children:
            raise _no_children()
        for child in children:
            code = sched.join(child, 0, True)
            if code is not None:
                return (child, _wait_status(code))
        if nohang:
            return (0, 0)
        time.sleep(delay)
        delay = min(delay * 2, 0.02)


def _no_children():
    from .linux_errno import error
    return error(10, "No child processes")  # ECHILD


def wait(*args):
    """os.wait(): waitpid(-1, 0)."""
    _args("wait", args, 0)
    return waitpid(-1, 0)


def system(command):
    """os.system without a shell (there is none): a Python command line runs as a process of
    its own, as `sh -c` would start it; `clear` clears the terminal; anything else gets the
    shell's "not found", status 127. Returns a wait status, as CPython's does."""
    import shlex
    import subprocess
    from .subprocess_popen import _is_python
    command = os.fsdecode(command)
    if not command.strip():
        return 0
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        argv = list(lexer)
    except ValueError:
        argv = command.split()
    # Pipes, redirections, lists, subshells: only a shell has them.
    syntax = any(word and set(word) <= set("();<>|&") for word in argv)
    if argv and _is_python(argv[0]):
        if syntax:
            sys.stderr.write("sh: 1: shell syntax (|, &, ;, <, >, ...) needs a shell, which Spawnpoint has not: "
                             "os.system runs a Python command line only\n")
            sys.stderr.flush()
            return 2 << 8
        code = subprocess.call(argv)
        return (code & 0xFF) << 8 if code >= 0 else -code
    if argv == ["clear"]:
        sys.stdout.write("\x1b[H\x1b[2J\x1b[3J")
        sys.stdout.flush()
        return 0
    name = argv[0] if argv else command.split()[0]
    sys.stderr.write("sh: 1: %s: not found (Spawnpoint runs only Python: there is no shell)\n" % name)
    sys.stderr.flush()
    return 127 << 8


def abort():
    """SIGABRT, as abort(3): a handler may run, then the process dies of it all the same."""
    import signal
    kill(getpid(), signal.SIGABRT)
    signal.signal(signal.SIGABRT, signal.SIG_DFL)
    kill(getpid(), signal.SIGABRT)


def cpu_count():
    return _spawnpoint.CPU_COUNT


def sched_getaffinity(*args):
    """The CPUs a process may run on: all of them, as for any process nobody pinned."""
    if len(args) != 1:
        raise TypeError("posix.sched_getaffinity() takes exactly one argument (%d given)" % len(args))
    pid = operator.index(args[0])
    if pid != 0:
        _spawnpoint.call("kill", pid=pid, signal=0)  # ProcessLookupError for no such process
    return set(range(_spawnpoint.CPU_COUNT))


# Directories: the worker mirrors files at open/close and deletions (rmdir too) to the
# kernel's fs; a new directory is mirrored here, so other processes see it in listdir/stat
# and a child can start in it (spawn.prepare chdirs into the parent's cwd).
_SHARED_ROOTS = ("/home/", "/tmp/")
_os_mkdir = os.mkdir


def _shared_path(path, dir_fd):
    path = os.fsdecode(path)
    if dir_fd is not None:
        try:
            path = os.path.join(os.readlink("/proc/self/fd/%d" % dir_fd), path)
        except OSError:
            return None
    path = os.path.abspath(path)
    return path if path.startswith(_SHARED_ROOTS) else None


def mkdir(path, mode=0o777, *, dir_fd=None):
    shared = _shared_path(path, dir_fd)
    if shared is not None:
        # Bring this process's copy up to date first (stat syncs from the kernel), so a
        # directory another process made raises FileExistsError here as on Linux.
        for p in (os.path.dirname(shared), shared):
            try:
                os.stat(p)
            except OSError:
                pass
    _os_mkdir(path, mode, dir_fd=dir_fd)
    if shared is not None:
        _spawnpoint.call("fs_mkdir", path=shared)


def umask(mask, /):
    """os.umask: the mask open and mkdir apply (the worker's file system keeps it, see fs-mirror.ts)."""
    return _js.umask(operator.index(mask) & 0o777)


def current_umask():
    """The mask, unchanged (what a child inherits)."""
    return _js.umask(-1)


# The environment exec passes a child (C's environ): os.environ's changes reach it through
# putenv/unsetenv, and so do direct os.putenv/os.unsetenv calls, which os.environ does not see.
_EXEC_ENV = {}


def putenv(name, value, /):
    _os_putenv(name, value)
    _EXEC_ENV[os.fsdecode(name)] = os.fsdecode(value)


def unsetenv(name, /):
    _os_unsetenv(name)
    _EXEC_ENV.pop(os.fsdecode(name), None)


def start_environ(env):
    """The process's environment at its start: os.environ and what a child inherits."""
    os.environ.clear()
    os.environ.update(env)
    _EXEC_ENV.clear()
    _EXEC_ENV.update(os.environ)


def exec_environ():
    """What a child started now inherits (as exec's envp with environ)."""
    return dict(_EXEC_ENV)


def make_local_dir(path):
    """A directory the kernel's fs already has, made in this worker's copy only."""
    import pyodide_js
    pyodide_js.FS.mkdirTree(path)


_js_sleep = _js.sleep


def _plain_sleep(seconds):
    if _js_sleep(float(seconds)) < 0:
        raise_pending()


def sleep(seconds):
    # What CPython's C function takes: a float, or an int (through __index__).
    if not isinstance(seconds, float):
        seconds = operator.index(seconds)
    elif seconds != seconds:
        raise ValueError("Invalid value NaN (not a number)")
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    if seconds * 1e9 >= 2.0**63:
        raise OverflowError("timestamp too large to convert to C PyTime_t")  # 3.14's nanosecond clock
    # A Pool's or executor's results come meanwhile (CPython's helper threads take them).
    from .pool import wait_taking_results
    wait_taking_results(_plain_sleep, float(seconds))




class KernelStdin(io.TextIOBase):
    """The terminal's input, read from the kernel a line at a time (what a terminal's line
    discipline hands over) and given out as asked: input() and readline() a line, read(n)
    n characters, read() up to end of file; `buffer` the same as bytes."""

    name = "<stdin>"
    mode = "r"

    def __init__(self):
        super().__init__()
        self._pending = ""
        self._eof = False
        self.buffer = _StdinBytes(self)

    def readable(self):
        return True

    def _more(self):
        """One more line from the kernel into the pending text; False at end of file."""
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        if self._eof:
            # Ctrl-D ends one read; the next waits for the terminal again, as Linux's does.
            self._eof = False
            return False
        line = _spawnpoint.call("stdin_readline")
        self._pending += line
        if not line:
            self._eof = True
        return bool(line)

    def _take(self, n):
        out, self._pending = self._pending[:n], self._pending[n:]
        return out

    def readline(self, size=-1):
        size = -1 if size is None else operator.index(size)
        if "\n" not in self._pending and (size < 0 or len(self._pending) < size):
            self._more()
        end = self._pending.find("\n") + 1 or len(self._pending)
        return self._take(end if size < 0 else min(end, size))

    def read(self, size=-1):
        size = -1 if size is None else operator.index(size)
        if size < 0:
            while self._more():
                pass
            self._eof = False
            return self._take(len(self._pending))
        while len(self._pending) < size and self._more():
            pass
        return self._take(size)

    def fileno(self):
        return 0  # select, poll and os.read take it as the terminal (select.py, read above)

    def isatty(self):
        # The terminal's, as stdout and stderr are (a child's stdin is os.devnull: not one),
        # unless the CLI's own stdin is a pipe or a file.
        return 0 not in PIPED

    @property
    def encoding(self):
        return "utf-8"


class _StdinBytes(io.RawIOBase):
    """sys.stdin.buffer: the terminal's input as UTF-8 bytes, from the same lines."""

    name = "<stdin>"
    mode = "rb"

    def __init__(self, text):
        super().__init__()
        self._text = text
        self._pending = b""

    def readable(self):
        return True

    def _fill(self, size):
        while "\n" not in self._text._pending and (size < 0 or len(self._pending) + len(self._text._pending.encode()) < size) and self._text._more():
            pass
        self._pending += self._text._take(len(self._text._pending)).encode()

    def readline(self, size=-1):
        size = -1 if size is None else operator.index(size)
        if b"\n" not in self._pending:
            self._fill(size)
        end = self._pending.find(b"\n") + 1 or len(self._pending)
        end = end if size < 0 else min(end, size)
        out, self._pending = self._pending[:end], self._pending[end:]
        return out

    def read(self, size=-1):
        size = -1 if size is None else operator.index(size)
        if size < 0:
            while self._text._more():
                pass
            self._text._eof = False
            self._fill(0)
            out, self._pending = self._pending, b""
            return out
        while len(self._pending) < size and "\n" not in self._text._pending and self._text._more():
            self._fill(size)
        self._fill(size)
        out, self._pending = self._pending[:size], self._pending[size:]
        return out

    def readinto(self, b):
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)

    def fileno(self):
        return 0

    def isatty(self):
        return 0 not in PIPED


# os.pipe ends: Emscripten's pipe says EAGAIN where Linux's says end of file (every writing end
# closed), and takes writes nobody can read. Its two ends share one `pipe` object.
_os_read = _os_write = _os_set_blocking = None


def _pipe_ends(fd):
    """For an os.pipe end `fd`: (whether a writing end is open, whether a reading end is);
    None for another descriptor."""
    import stat
    try:
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return None
    except OSError:
        return None
    import pyodide_js
    FS = pyodide_js.FS
    pipe = FS.getStream(fd).node.pipe
    writing = reading = False
    streams = FS.streams
    for i in range(streams.length):
        s = streams[i]
        node = getattr(s, "node", None) if s is not None else None
        if node is None or getattr(node, "pipe", None) != pipe:
            continue
        mode = s.flags & 3  # O_ACCMODE
        writing = writing or mode != os.O_RDONLY
        reading = reading or mode != os.O_WRONLY
    return writing, reading


def read(fd, n):
    if fd == 0 and TERMINAL_STDIN is not None:
        # The terminal's input (a tty's read: at most one line), not the worker's own fd 0.
        return TERMINAL_STDIN.buffer.read(operator.index(n))
    try:
        return _os_read(fd, n)
    except BlockingIOError:
        ends = _pipe_ends(fd) if os.get_blocking(fd) else None
        if ends is not None and not ends[0]:
            return b""  # every writing end is closed: end of file
        raise


def write(fd, data):
    ends = _pipe_ends(fd)
    if ends is not None and not ends[1]:
        from .linux_errno import error
        raise error(32, "Broken pipe")  # every reading end is closed (Python ignores SIGPIPE)
    return _os_write(fd, data)


def set_blocking(fd, blocking, /):
    _os_set_blocking(fd, blocking)
    if blocking and not os.get_blocking(fd):
        # Emscripten's F_SETFL adds flags and never clears one: clear O_NONBLOCK itself.
        import pyodide_js
        stream = pyodide_js.FS.getStream(fd)
        stream.flags = stream.flags & ~os.O_NONBLOCK


# Which of the standard descriptors (0, 1, 2) are no terminal for this program: the CLI's own
# stdin, stdout or stderr is a pipe or a file (the page's are always its terminal). Set for each
# process by main._setup.
PIPED = frozenset()
_os_isatty = None


def isatty(fd):
    if fd in PIPED:
        return False
    return _os_isatty(fd)


# The KernelStdin that is this process's descriptor 0 (the main process's), or None.
TERMINAL_STDIN = None


def install_stdin():
    global TERMINAL_STDIN
    sys.stdin = sys.__stdin__ = TERMINAL_STDIN = KernelStdin()


def install():
    """Once per worker, while it waits in the pool (bootstrap)."""
    global _pyodide_getpid, _os_read, _os_write, _os_set_blocking, _os_isatty
    os.mkdir = mkdir
    global _os_putenv, _os_unsetenv
    _os_putenv, _os_unsetenv = os.putenv, os.unsetenv
    for fn in (putenv, unsetenv):
        fn.__module__, fn.__doc__ = "os", getattr(os, fn.__name__).__doc__
        setattr(os, fn.__name__, fn)
    umask.__module__, umask.__doc__ = "os", os.umask.__doc__
    os.umask = umask
    _os_isatty = os.isatty
    isatty.__module__, isatty.__doc__ = "os", os.isatty.__doc__
    os.isatty = isatty
    _os_read, _os_write, _os_set_blocking = os.read, os.write, os.set_blocking
    for fn in (read, write, set_blocking):
        fn.__module__, fn.__doc__ = "os", getattr(os, fn.__name__).__doc__
        setattr(os, fn.__name__, fn)
    _pyodide_getpid = os.getpid
    os.getpid = getpid
    os.getppid = getppid
    # util.Finalize bound os.getpid as a default argument when the snapshot imported it.
    util.Finalize.__call__.__defaults__ = tuple(
        getpid if d is _pyodide_getpid else d for d in util.Finalize.__call__.__defaults__
    )
    os.kill = kill
    os.killpg = killpg
    os.getpgid = getpgid
    os.getpgrp = getpgrp
    os.getsid = getsid
    os.waitpid = waitpid
    os.wait = wait
    os._exit = _exit
    os.system = system
    os.abort = abort
    # Linux gives every thread an id; a process's main (and only) thread's is its pid.
    import _thread
    import threading
    _thread.get_native_id = threading.get_native_id = getpid
    threading._HAVE_THREAD_NATIVE_ID = True
    if not hasattr(threading.Thread, "native_id"):
        # What threading defines when the platform has native ids (Process._bootstrap calls it).
        threading.Thread.native_id = property(lambda self: getattr(self, "_native_id", None), doc="Native integral thread ID of this thread.")

        def _set_native_id(self):
            self._native_id = getpid()
        threading.Thread._set_native_id = _set_native_id
    # The kernel's AF_UNIX sockets have Linux's abstract namespace (a name starting with NUL).
    util.abstract_sockets_supported = True
    os.cpu_count = cpu_count
    os.sched_getaffinity = sched_getaffinity
    if hasattr(os, "process_cpu_count"):
        os.process_cpu_count = cpu_count
    time.sleep = sleep
