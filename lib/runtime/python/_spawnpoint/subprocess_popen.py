"""subprocess for Python itself: `Popen([sys.executable, ...])` starts a new process on the kernel.

A browser has no programs but the Python this runtime starts, so `subprocess.Popen` here runs
only `sys.executable` (or a path named python, python3, python3.N): the kernel spawns a new
process (a child of the caller, its own pid, shown by `ps`) that runs `-c CODE`, `-m MODULE`, a
script, or a program read from its stdin, with its own `sys.argv`, as `python3` would. Every
other executable raises FileNotFoundError, as Linux does for a program that does not exist,
with a message that says why. CPython's own subprocess module stays: run, call, check_call,
check_output, CompletedProcess, CalledProcessError and TimeoutExpired are its code, on this Popen.

stdin/stdout/stderr are PIPE (a one-way kernel pipe, multiprocessing.Pipe's without its ring),
DEVNULL, STDOUT (stderr into stdout's pipe) or None (inherited: the program's terminal). The
child's sys.stdin/sys.stdout/sys.stderr are files on those pipes; a write to file descriptor 1
or 2 itself (os.write) still goes to the terminal. communicate() needs no threads: it writes the
input, then waits over the pipe ends and the child's pid (multiprocessing.connection.wait).
"""
import io
import os
import signal
import subprocess
import time

from . import call, sched
from .connection import Sentinel
from .pipe_connection import PipeConnection

PIPE, STDOUT, DEVNULL = subprocess.PIPE, subprocess.STDOUT, subprocess.DEVNULL

# Interpreter options that take no value (accepted; -u makes stdout/stderr unbuffered).
_FLAGS = set("bBdEhiIOPqsSuvVx")
_WITH_VALUE = set("WX")
_CHUNK = 32 * 1024


def _unsupported(text):
    """EOPNOTSUPP with Linux's number (a Pyodide OSError(95) would not be)."""
    from .linux_errno import LINUX, error
    return error(LINUX["EOPNOTSUPP"], text)


def _exec_environ():
    from .process_os import exec_environ
    return exec_environ()


def _current_umask():
    from .process_os import current_umask
    return current_umask()


def _is_python(path):
    import re
    import sys
    if path == sys.executable:
        return True
    return re.fullmatch(r"python(3(\.\d+)?)?", os.path.basename(path)) is not None


def _parse_argv(argv):
    """`python3 [options] (-c CODE | -m MODULE | SCRIPT | -) [args]` → the child's start args."""
    opts = {"unbuffered": False}
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "-" or not a.startswith("-") or a == "--":
            break
        j = 1
        while j < len(a):
            ch = a[j]
            if ch in ("c", "m"):
                value = a[j + 1:] or (argv[i + 1] if i + 1 < len(argv) else None)
                if value is None:
                    return {"error": "Argument expected for the -%s option" % ch}
                rest = argv[i + 1:] if a[j + 1:] else argv[i + 2:]
                if ch == "c":
                    return dict(opts, code=value, argv0="-c", argv=list(rest))
                return dict(opts, module=value, argv0="-m", argv=list(rest))
            if ch in _WITH_VALUE:
                if not a[j + 1:]:
                    i += 1
                break
            if ch not in _FLAGS:
                return {"error": "Unknown option: -%s" % ch}
            if ch == "u":
                opts["unbuffered"] = True
            if ch in "IP":
                opts["safePath"] = True  # -I / -P: no script folder or '' first on sys.path
            j += 1
        i += 1
    if i < len(argv) and argv[i] == "--":
        i += 1
    if i >= len(argv) or argv[i] == "-":
        return dict(opts, stdinScript=True, argv0="-" if i < len(argv) else "", argv=list(argv[i + 1:]))
    script = argv[i]
    return dict(opts, entry=os.path.join(os.getcwd(), script), argv0=script, argv=list(argv[i + 1:]))


class _PipeReader(io.RawIOBase):
    """The reading end of a kernel pipe as a raw file: each message is a chunk of bytes."""

    def __init__(self, conn):
        self._conn = conn
        self._left = b""
        self._eof = False

    def readable(self):
        return True

    def fileno(self):
        return self._conn.fileno()

    def readinto(self, b):
        if not self._left and not self._eof:
            try:
                self._left = self._conn.recv_bytes()
            except EOFError:
                self._eof = True
        n = min(len(b), len(self._left))
        b[:n] = self._left[:n]
        self._left = self._left[n:]
        return n

    def close(self):
        if not self.closed:
            self._conn.close()
        super().close()


class _PipeWriter(io.RawIOBase):
    """The writing end of a kernel pipe as a raw file (a closed reader: BrokenPipeError)."""

    def __init__(self, conn):
        self._conn = conn

    def writable(self):
        return True

    def fileno(self):
        return self._conn.fileno()

    def write(self, b):
        data = bytes(b)
        for k in range(0, len(data), _CHUNK):
            self._conn.send_bytes(data[k:k + _CHUNK])
        return len(data)

    def close(self):
        if not self.closed:
            self._conn.close()
        super().close()


def _text(binary, line_buffering=False, encoding=None, errors=None):
    return io.TextIOWrapper(binary, encoding=encoding or "utf-8", errors=errors, line_buffering=line_buffering, write_through=False)


class Popen:
    """subprocess.Popen for [sys.executable, ...] (see the module's doc)."""

    def __init__(self, args, bufsize=-1, executable=None, stdin=None, stdout=None, stderr=None,
                 preexec_fn=None, close_fds=True, shell=False, cwd=None, env=None,
                 universal_newlines=None, startupinfo=None, creationflags=0,
                 restore_signals=True, start_new_session=False, pass_fds=(), *,
                 user=None, group=None, extra_groups=None, encoding=None, errors=None,
                 text=None, umask=-1, pipesize=-1, process_group=None):
        self.args = args
        self.stdin = self.stdout = self.stderr = None
        self.pid = None
        self.returncode = None
        self._communicated = None
        if pass_fds:
            raise _unsupported("pass_fds is not supported in Spawnpoint: a browser worker has no file descriptors to pass")
        if universal_newlines is not None and text is not None and bool(universal_newlines) != bool(text):
            raise subprocess.SubprocessError("Cannot disambiguate when both text and universal_newlines are supplied but different. Pass one or the other.")
        self.text_mode = bool(encoding or errors or text or universal_newlines)
        self.encoding, self.errors = encoding, errors
        if isinstance(args, (str, bytes, os.PathLike)):
            argv = ["/bin/sh", "-c", os.fsdecode(args)] if shell else [os.fsdecode(args)]
        else:
            argv = [os.fsdecode(a) for a in args]
            if shell:
                argv = ["/bin/sh", "-c"] + argv
        program = os.fsdecode(executable) if executable is not None else argv[0]
        if not _is_python(program):
            from .linux_errno import error
            raise error(
                2,
                "No such file or directory (Spawnpoint runs only Python: a browser has no other "
                "programs, so subprocess can start only [sys.executable, ...])",
                program,
            )
        start = _parse_argv(argv)
        if "error" in start:
            start = {"code": "import sys; sys.stderr.write(%r); sys.exit(2)" % (
                "%s\nusage: python3 [option] ... [-c cmd | -m mod | file | -] [arg] ...\n"
                "Try `python -h' for more information.\n" % start["error"]), "argv0": "-c", "argv": []}
        if cwd is not None:
            cwd = os.path.abspath(os.fsdecode(cwd))
            if not os.path.isdir(cwd):
                raise FileNotFoundError(2, "No such file or directory", cwd)
            if "entry" in start:
                start["entry"] = os.path.join(cwd, argv[argv.index(start["argv0"])])
        # The child's standard streams: ["pipe", handle, ring] | "devnull" | "stdout" | "inherit".
        stdio, inherit, child_ends = {}, [], []
        for name, spec in (("stdin", stdin), ("stdout", stdout), ("stderr", stderr)):
            if spec is None:
                stdio[name] = "inherit"
            elif spec == DEVNULL:
                stdio[name] = "devnull"
            elif spec == STDOUT and name == "stderr":
                stdio[name] = "stdout"
            elif spec == PIPE:
                # Without rings: the messages stay in the kernel, which can then add the
                # child's resource tracker warning to its stderr (lib/kernel/trackers.ts).
                h1, h2 = call("pipe_create", duplex=False)
                reader, writer = PipeConnection(h1, writable=False), PipeConnection(h2, readable=False)
                if name == "stdin":
                    mine, theirs = writer, reader
                    stdio[name] = ["pipe", theirs._handle, theirs._rx]
                else:
                    mine, theirs = reader, writer
                    stdio[name] = ["pipe", theirs._handle, theirs._tx]
                inherit.append(theirs._handle)
                child_ends.append(theirs)
                setattr(self, "_" + name + "_conn", mine)
            else:
                raise _unsupported("%s=%r is not supported in Spawnpoint: a child's %s can be PIPE, DEVNULL, STDOUT (stderr only) or None" % (name, spec, name))
        # No flush of this process's stdout first: CPython's subprocess runs the child with what
        # is still in the parent's buffer left there (multiprocessing's start() flushes, this not).
        sched.spawn_point()
        try:
            self.pid = call(
                "spawn",
                None,
                kind="main",
                name="MainProcess",
                daemon=False,
                inherit=inherit,
                parentName="MainProcess",
                env=_exec_environ() if env is None else {os.fsdecode(k): os.fsdecode(v) for k, v in env.items()},
                cwd=cwd or os.getcwd(),
                umask=_current_umask(),
                stdio=stdio,
                piped=_piped(stdio),
                **start,
            )
        finally:
            for end in child_ends:
                end.close()
        self.sentinel = Sentinel(self.pid)
        if stdin == PIPE:
            raw = _PipeWriter(self._stdin_conn)
            self.stdin = io.BufferedWriter(raw) if bufsize != 0 else raw
            if self.text_mode:
                self.stdin = _text(self.stdin, bufsize == 1, encoding, errors)
        for name in ("stdout", "stderr"):
            if (stdout if name == "stdout" else stderr) == PIPE:
                f = io.BufferedReader(_PipeReader(getattr(self, "_" + name + "_conn")))
                setattr(self, name, _text(f, False, encoding, errors) if self.text_mode else f)

    def __repr__(self):
        return "<%s: returncode: %s args: %r>" % (self.__class__.__name__, self.returncode, self.args)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, value, traceback):
        for f in (self.stdout, self.stderr):
            if f:
                f.close()
        try:
            if self.stdin:
                self.stdin.close()
        except BrokenPipeError:
            pass
        finally:
            if exc_type == KeyboardInterrupt:
                self.wait(0.25) if self.returncode is None else None
            else:
                self.wait()

    def poll(self):
        if self.returncode is None:
            try:
                code = sched.join(self.pid, 0, True) if sched.ON else call("waitpid", pid=self.pid, nohang=True)
            except ChildProcessError:
                code = 0  # reaped already (os.wait): its status is lost, and CPython says 0
            if code is not None:
                self.returncode = code
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            if timeout is not None and timeout <= 0:
                if self.poll() is None:
                    raise subprocess.TimeoutExpired(self.args, timeout)
                return self.returncode
            try:
                if sched.ON:
                    code = sched.join(self.pid, timeout, False)
                else:
                    code = call("waitpid", pid=self.pid, timeoutMs=None if timeout is None else max(1, int(timeout * 1000)))
            except ChildProcessError:
                code = 0
            if code is None:
                raise subprocess.TimeoutExpired(self.args, timeout)
            self.returncode = code
        return self.returncode

    def send_signal(self, sig):
        # As CPython: a child already reaped is not signalled (its pid may be someone else's).
        self.poll()
        if self.returncode is not None:
            return
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def _stdin_write(self, data):
        try:
            if data:
                self.stdin.write(data)
        except BrokenPipeError:
            pass
        try:
            self.stdin.close()
        except BrokenPipeError:
            pass

    def communicate(self, input=None, timeout=None):
        if self._communicated is not None and input:
            raise ValueError("Cannot send input after starting communication")
        deadline = None if timeout is None else time.monotonic() + timeout
        if self._communicated is None:
            self._communicated = {"stdout": [], "stderr": []}
            if self.stdin:
                if input is not None and self.text_mode and isinstance(input, bytes):
                    raise TypeError("input must be str in text mode")
                self._stdin_write(input)
        elif self.stdin and not self.stdin.closed:
            self.stdin.close()
        from multiprocessing.connection import wait as _wait
        open_ends = {}
        for name in ("stdout", "stderr"):
            f = getattr(self, name)
            if f is not None and not f.closed:
                open_ends[getattr(self, "_" + name + "_conn")] = name
        while open_ends:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                self._timed_out(timeout)
            for conn in _wait(list(open_ends), left):
                try:
                    self._communicated[open_ends[conn]].append(conn.recv_bytes())
                except EOFError:
                    del open_ends[conn]
        # As CPython's _communicate ends: a wait for the time left, whose TimeoutExpired says that
        # time and carries no output (the pipes are read to their end by now).
        self.wait(None if deadline is None else deadline - time.monotonic())
        out, err = (self._result(n) for n in ("stdout", "stderr"))
        for f in (self.stdout, self.stderr):
            if f is not None:
                f.close()
        return out, err

    def _timed_out(self, timeout):
        raise subprocess.TimeoutExpired(self.args, timeout, output=self._partial("stdout"), stderr=self._partial("stderr"))

    def _partial(self, name):
        # None until something was read, as CPython's _check_timeout says.
        parts = self._communicated[name] if getattr(self, name) is not None else None
        return b"".join(parts) if parts else None

    def _result(self, name):
        f = getattr(self, name)
        if f is None:
            return None
        data = b"".join(self._communicated[name])
        if not self.text_mode:
            return data
        text = data.decode(self.encoding or "utf-8", self.errors or "strict")
        # Text mode reads with universal newlines, as CPython's TextIOWrapper does.
        return text.replace("\r\n", "\n").replace("\r", "\n")


def _piped(stdio):
    """The child's standard descriptors that are no terminal: those given a pipe or os.devnull,
    and those it inherits that are none in this process (stderr=STDOUT: as its stdout)."""
    from .process_os import PIPED
    out = stdio["stdout"] != "inherit" or 1 in PIPED
    return [fd for fd, name in enumerate(("stdin", "stdout", "stderr"))
            if (out if stdio[name] == "stdout" else stdio[name] != "inherit" or fd in PIPED)]


def setup_child(stdio, unbuffered):
    """In the child (main.py): its sys.stdin/stdout/stderr on the pipes its parent asked for."""
    import sys

    if hasattr(stdio, "to_py"):
        stdio = stdio.to_py()

    import _spawnpoint

    def writer(spec, line_buffering):
        if spec == "devnull":
            return open(os.devnull, "w")
        raw = _PipeWriter(PipeConnection(spec[1], readable=False, tx=spec[2]))
        # -u: no buffer between print() and the pipe.
        buffered = raw if unbuffered else io.BufferedWriter(raw)
        return io.TextIOWrapper(buffered, encoding="utf-8", line_buffering=line_buffering, write_through=unbuffered)

    spec_in, spec_out, spec_err = (stdio.get(k, "inherit") for k in ("stdin", "stdout", "stderr"))
    if spec_in == "devnull":
        sys.stdin = sys.__stdin__ = open(os.devnull, "r")
    elif spec_in != "inherit":
        raw = _PipeReader(PipeConnection(spec_in[1], writable=False, rx=spec_in[2]))
        sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8")
    if spec_out != "inherit":
        sys.stdout = sys.__stdout__ = writer(spec_out, False)
    # Where this interpreter's resource tracker warns: its stderr.
    target = spec_out if spec_err == "stdout" else spec_err
    _spawnpoint.STDERR_TARGET = -1 if target == "inherit" else -2 if target == "devnull" else target[1]
    if spec_err == "stdout":
        sys.stderr = sys.__stderr__ = sys.stdout
    elif spec_err != "inherit":
        out = writer(spec_err, True)
        out.reconfigure(errors="backslashreplace")
        sys.stderr = sys.__stderr__ = out
