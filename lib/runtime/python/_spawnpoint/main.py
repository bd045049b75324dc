"""Process entry points: `begin(args, payload)` then, for a child, `resume()` are called once
per process by the JS side (a recycled worker's interpreter is restored to its state before
the first call; `start` is the two in one).

main:  runs the script as __main__ (like `python3 FILE.py ARGS`), then multiprocessing's
       exit handler (terminate daemonic children, join the others).
child: the spawn protocol of Lib/multiprocessing/spawn.py: prepare (re-import the main
       script as __mp_main__), unpickle the Process, `_bootstrap()`, exit handler.
"""
import builtins
import io
import os
import random
import sys
import traceback
import types

import _spawnpoint
from _spawnpoint import bootstrap


def _exit_code(e):
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return _status(code)
    sys.stderr.write(str(code) + "\n")
    return 1


def _status(code):
    """What the parent sees of exit(code): its low 8 bits, as waitpid() reports them
    (sys.exit(256) is 0, sys.exit(-1) is 255: never a death by signal)."""
    return code & 0xFF


def _print_user_traceback(exc, above=()):
    """Print like CPython's top level: drop the frames of this runner (`above`: the frames
    CPython's own runner would show first)."""
    tb = exc.__traceback__
    exc = _with_linux_errno(exc)
    here = __file__
    while tb is not None and tb.tb_frame.f_code.co_filename == here:
        tb = tb.tb_next
    te = traceback.TracebackException(type(exc), exc, bootstrap.trim_runtime_frames(tb), compact=True)
    if above:
        te.stack = traceback.StackSummary.from_list(list(above) + list(te.stack))
    te.print(file=sys.stderr)


# sys.executable: where python3 is on a Linux machine.
EXECUTABLE = "/usr/bin/python3"

# How CPython starts a spawned child (spawn.get_command_line), as its tracebacks show it.
_SPAWN_COMMAND = "from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=4, pipe_handle=6)"


def _spawn_main_frames(failed):
    """The frames above a spawned child's failure in its spawn protocol, where CPython shows
    them: its `-c` command, spawn_main, and the statement of spawn._main that failed."""
    import linecache
    from multiprocessing import spawn
    frames = [traceback.FrameSummary("<string>", 1, "<module>", line=_SPAWN_COMMAND, end_lineno=1,
                                     colno=_SPAWN_COMMAND.index("spawn_main("), end_colno=len(_SPAWN_COMMAND))]
    lines = linecache.getlines(spawn.__file__, spawn.__dict__)  # from the stdlib zip: through its loader
    for name, text in (("spawn_main", "exitcode = _main(fd, parent_sentinel)"), ("_main", failed)):
        at = [i for i, line in enumerate(lines) if line.strip() == text]
        if not at:
            return ()  # a spawn.py unlike CPython's: no frames rather than wrong ones
        line = lines[at[0]]
        start = line.index(text) + (text.index("= ") + 2 if "= " in text else 0)
        frames.append(traceback.FrameSummary(spawn.__file__, at[0] + 1, name, end_lineno=at[0] + 1,
                                             colno=start, end_colno=line.index(text) + len(text)))
    return frames


def _with_linux_errno(exc):
    """An OSError raised below Python's own calls (a write to stdout whose reader went away:
    Pyodide's number for EPIPE) with Linux's errno, as the traceback shows it; other
    exceptions as they are."""
    if not isinstance(exc, OSError):
        return exc
    # Already Linux's (the program's own FileNotFoundError(2, ...), the runtime's errors from the
    # kernel): its number and its text agree (os.strerror reads Linux's numbers).
    if exc.strerror is None or os.strerror(exc.errno) == exc.strerror:
        return exc
    from .linux_errno import _musl_strerror, linux_error
    # Raised below Python, its text is the C library's for its number; another text is the
    # program's own, whose number is Linux's (OSError(errno.ECONNREFUSED, "Connect call failed")).
    if exc.strerror != _musl_strerror(exc.errno):
        return exc
    new = linux_error(exc)
    if new is not exc:
        new.__cause__, new.__context__ = exc.__cause__, exc.__context__
        new.__suppress_context__ = exc.__suppress_context__
    return new


def _flush_stdout():
    """What CPython's top level does before it prints an uncaught exception or an exit
    message: stdout first, so a line the program left unfinished comes before them."""
    try:
        sys.stdout.flush()
    except Exception:
        pass


def _flush():
    for s in (sys.stdout, sys.stderr):
        try:
            s.flush()
        except Exception:
            pass


def _flush_at_exit():
    """stdout's last flush, as CPython's finalization makes it: one that fails (its reader went
    away) is reported as an exception ignored, and the process's status becomes 120. False then."""
    try:
        sys.stdout.flush()
    except OSError as e:
        from .linux_errno import linux_error
        try:
            sys.stderr.write("Exception ignored while flushing sys.stdout:\n")
            sys.stderr.write("".join(traceback.format_exception_only(linux_error(e))))
            sys.stderr.flush()
        except Exception:
            pass
        return False
    except Exception:
        pass
    return True


def _flush_open_files():
    """CPython's shutdown destroys the file objects a program left open, which writes out
    their buffers; this interpreter is never shut down, so write them out here (the worker
    then hands what the process wrote to its shared files to the kernel's fs)."""
    from .linux_errno import WRITING_FILES
    for f in list(WRITING_FILES):
        try:
            if not f.closed:
                f.flush()
        except Exception:
            pass


def _run_exit_handlers():
    """What CPython's shutdown does at a process's end (./shutdown.py): atexit callbacks with
    multiprocessing's exit handler among them, then the script's globals cleared."""
    from _spawnpoint import queues, shutdown
    shutdown.on_interrupt = _print_user_traceback
    shutdown.run_exit_functions()
    try:
        # Last, like CPython's queue finalizers (exitpriority −5): wait until every item this
        # process put is in its queue's pipe. Visible as a block on the queue; Ctrl-C ends it.
        queues.flush_at_exit()
    except KeyboardInterrupt as e:
        _print_user_traceback(e)
    shutdown.clear_script()


def _setup(args):
    _spawnpoint.PID = args["pid"]
    _spawnpoint.PPID = args["ppid"]
    _spawnpoint.TRACKER = args.get("tracker") or args["pid"]
    _spawnpoint.STDERR_TARGET = -1
    import threading
    threading.main_thread()._native_id = args["pid"]
    _spawnpoint.CPU_COUNT = args.get("cpuCount", 1)
    cwd = args["cwd"]
    for d in args.get("dirs", ()):
        bootstrap.make_local_dir(d)
    os.chdir(cwd)
    env = args.get("env")
    # A spawned child's environment is its parent's at start() (exec's envp); a program's main
    # process gets a login's, as the shell shows it ($HOME, $USER), and what the host adds.
    if env is None:
        env = _login_environ(cwd, args.get("environ") or {})
    from . import process_os
    process_os.start_environ(env)
    # The interpreter's path as on Linux (Emscripten's is the host's own program: on Node, the
    # worker's script), which subprocess runs as Python and reprs show.
    sys.executable = sys._base_executable = EXECUTABLE
    if not os.path.exists(EXECUTABLE):  # a file there, as shutil.which and os.path.exists expect
        os.makedirs(os.path.dirname(EXECUTABLE), exist_ok=True)
        os.close(os.open(EXECUTABLE, os.O_CREAT | os.O_WRONLY, 0o755))
    from multiprocessing import spawn as _mp_spawn
    _mp_spawn.set_executable(EXECUTABLE)
    if "umask" in args:
        process_os.umask(args["umask"])  # a child's is its parent's, as exec keeps it
    process_os.PIPED = frozenset(args.get("piped") or ())
    unbuffered = bool(args.get("unbuffered") or os.environ.get("PYTHONUNBUFFERED"))
    if unbuffered or process_os.PIPED & {1, 2}:
        _stdio(unbuffered, process_os.PIPED)
    from multiprocessing import process
    process.ORIGINAL_DIR = cwd
    # Every interpreter comes from the same snapshot: give each its own random stream.
    random.seed()
    bootstrap.install_stdin()
    from . import signals
    signals.start(args.get("sigIgnored", []))
    from . import sched
    sched.start(args, args["pid"])


def _login_environ(home, extra):
    env = {"HOME": home, "LANG": "C.UTF-8", "LOGNAME": "user", "PATH": "/usr/local/bin:/usr/bin:/bin",
           "PWD": home, "SHELL": "/bin/bash", "TERM": "xterm-256color", "USER": "user"}
    # Pyodide's loader looks for shared libraries (an extension module's) along it.
    if "LD_LIBRARY_PATH" in os.environ:
        env["LD_LIBRARY_PATH"] = os.environ["LD_LIBRARY_PATH"]
    if hasattr(extra, "to_py"):
        extra = extra.to_py()
    env.update({str(k): str(v) for k, v in dict(extra).items()})
    return env


class _NotATerminal(io.FileIO):
    """stdout or stderr when the CLI's own is a pipe or a file."""

    def isatty(self):
        return False

    def write(self, b):
        try:
            return super().write(b)
        except OSError as e:
            # A reader that went away: Linux's EPIPE (32), not Emscripten's number for it.
            from .linux_errno import linux_error
            raise linux_error(e) from None


def _stdio(unbuffered, piped):
    """stdout and stderr as CPython makes them. `python3 -u` or PYTHONUNBUFFERED: they write
    straight to their file, with no buffer in between, so a line left unfinished is out before
    an os._exit or a kill. A stdout that is no terminal (`piped`) is block-buffered: what the
    process printed comes out when the buffer fills, at a flush (multiprocessing flushes before
    it starts a child) or at its exit, so the lines of a parent and its children come in
    CPython's order; stderr stays line-buffered."""
    for name, fd in (("stdout", 1), ("stderr", 2)):
        if not unbuffered and fd not in piped:
            continue
        old = getattr(sys, name)
        raw = (_NotATerminal if fd in piped else io.FileIO)(fd, "w", closefd=False)
        if unbuffered:
            new = io.TextIOWrapper(raw, encoding=old.encoding, errors=old.errors, line_buffering=False, write_through=True)
        else:
            new = io.TextIOWrapper(io.BufferedWriter(raw), encoding=old.encoding, errors=old.errors, line_buffering=fd == 2)
        new.mode = "w"
        setattr(sys, name, new)
        setattr(sys, "__%s__" % name, new)


def _enable_interrupts():
    """From here on a SIGINT (also one that arrived while the worker booted) becomes
    KeyboardInterrupt in the program's own code, never in the runtime's setup."""
    bootstrap._js.enable_interrupts()


def _run_main(args):
    argv = list(args.get("argv", []))
    cwd = args["cwd"]
    entry = args.get("entry") or os.path.join(cwd, "<string>")
    rel = os.path.relpath(entry, cwd) if entry.startswith(cwd + "/") else entry
    # `python -c CODE` runs the code from a temp file but, like CPython, shows '-c' as argv[0].
    sys.argv = [args["argv0"] if "argv0" in args else rel] + argv
    # As `python3 FILE`: the script's folder first and no '' (the current directory), which
    # spawn would turn into ORIGINAL_DIR in a child's sys.path.
    sys.path[:] = [os.path.dirname(entry)] + [p for p in sys.path if p != ""]
    module = types.ModuleType("__main__")
    module.__file__ = entry
    # The builtins module, as in CPython's __main__ (a module's own __builtins__ is its dict).
    module.__builtins__ = builtins
    module.__spec__ = None
    sys.modules["__main__"] = module
    # multiprocessing, imported when the interpreter booted, aliased the boot's __main__; CPython
    # imports it later and aliases the script, so a class pickled by a child as __mp_main__.X
    # (one defined in the script) unpickles here.
    sys.modules["__mp_main__"] = module
    if "entry" not in args:
        del module.__file__  # -c, -m, stdin: __main__ has no file
    try:
        if "entry" not in args or args.get("safePath"):
            del sys.path[0]  # no script folder: -c/-m/stdin put their own, -I and -P nothing
        if "code" in args:
            # subprocess: `python3 -c CODE` (argv[0] '-c', the current directory first on sys.path).
            sys.path[0:0] = [] if args.get("safePath") else [""]
            code = compile(args["code"], "<string>", "exec")
        elif "module" in args:
            # subprocess: `python3 -m MODULE` (runpy sets argv[0] to the module's file).
            sys.path[0:0] = [] if args.get("safePath") else [cwd]
            code = compile("import runpy\nrunpy._run_module_as_main(%r)\n" % args["module"], "<runpy>", "exec")
        elif args.get("stdinScript"):
            # subprocess: `python3` or `python3 -`, the program read from stdin.
            sys.path[0:0] = [] if args.get("safePath") else [""]
            code = compile(sys.stdin.read(), "<stdin>", "exec")
        else:
            try:
                with open(entry, "rb") as f:
                    source = f.read()
            except OSError as e:
                # Linux's number and text (linux_errno wraps open).
                sys.stderr.write("python3: can't open file %r: [Errno %d] %s\n" % (entry, e.errno, e.strerror))
                return 2
            code = compile(source, entry, "exec")
        _enable_interrupts()
        exec(code, module.__dict__)
        status = 0
    except SystemExit as e:
        _flush_stdout()
        status = _exit_code(e)
    except KeyboardInterrupt as e:
        _flush_stdout()
        _print_user_traceback(e)
        status = -2
    except BaseException as e:
        _flush_stdout()
        _print_user_traceback(e)
        status = 1
    _flush()
    _run_exit_handlers()
    return status


def _prepare_child(payload):
    """The spawn protocol up to the child's own code: re-import the main script as
    __mp_main__, unpickle the Process. The Process, or an exit status when that failed."""
    from multiprocessing import process, reduction, spawn
    from _spawnpoint import shutdown
    shutdown.uses_util()  # spawn imports multiprocessing.util first thing
    from_parent = io.BytesIO(payload)
    failed = "preparation_data = reduction.pickle.load(from_parent)"
    try:
        process.current_process()._inheriting = True
        try:
            preparation_data = reduction.pickle.load(from_parent)
            failed = "prepare(preparation_data)"
            spawn.prepare(preparation_data)
            failed = "self = reduction.pickle.load(from_parent)"
            self = reduction.pickle.load(from_parent)
        finally:
            del process.current_process()._inheriting
    except SystemExit as e:
        return _exit_code(e)
    except BaseException as e:
        _print_user_traceback(e, _spawn_main_frames(failed))
        return 1
    return self


def _run_prepared(self):
    _enable_interrupts()
    exitcode = self._bootstrap(parent_sentinel=_spawnpoint.PPID)
    _run_exit_handlers()
    # spawn_main's sys.exit(exitcode)
    return _status(exitcode) if isinstance(exitcode, int) else exitcode


# The child begin() prepared, for resume().
_prepared = None


def _end(status):
    _flush_open_files()
    if not _flush_at_exit():
        # What CPython's finalization does when its flush of stdout fails (a reader gone: `| head`).
        status = 120
    _flush()
    from . import sched
    sched.exit_point(_spawnpoint.PID)
    return status


def _guarded(run):
    """`run()`'s result; a SystemExit gives its exit code, any other exception a traceback and 1."""
    try:
        return run()
    except SystemExit as e:
        return _exit_code(e)
    except BaseException as e:
        _print_user_traceback(e)
        return 1


def begin(args, payload):
    """Starts the process: a main process runs to its end (its exit status is returned); a
    child is prepared (see _prepare_child) and None is returned, for `resume()` to run it.
    The JS side calls the two separately: between them the worker may keep the child's
    state for the next run of the same child (worker/checkpoint.ts)."""
    args = dict(args)

    def run():
        global _prepared
        _setup(args)
        if args.get("stdio"):
            from .subprocess_popen import setup_child
            setup_child(args["stdio"], bool(args.get("unbuffered") or os.environ.get("PYTHONUNBUFFERED")))
        if args["kind"] == "main":
            return _run_main(args)
        prepared = _prepare_child(payload.to_bytes() if payload is not None else b"")
        if isinstance(prepared, int):
            return prepared
        _prepared = prepared
        return None

    status = _guarded(run)
    return None if status is None else _end(status)


def resume():
    """Runs the child begin() prepared to its end; returns its exit status."""
    global _prepared
    self, _prepared = _prepared, None
    return _end(_guarded(lambda: _run_prepared(self)))


def start(args, payload):
    """Runs the process to its end and returns its exit status (the JS side tells the kernel)."""
    status = begin(args, payload)
    return resume() if status is None else status
