"""Popen for the spawn start method: the kernel starts a worker instead of exec'ing python."""
import io
import os
import signal

from multiprocessing import context, reduction, spawn, util

import _spawnpoint

from . import call, sched, timeout_ms, tracebacks
from .shutdown import uses_util


def _exec_environ():
    from .process_os import exec_environ
    return exec_environ()


def _umask():
    from .process_os import current_umask
    return current_umask()


def _piped():
    # Imported here: process_os keeps os functions as linux_errno wraps them, after this module loads.
    from .process_os import PIPED
    return PIPED


class Popen:
    method = "spawn"

    def __init__(self, process_obj):
        uses_util()
        util._flush_std_streams()
        self.returncode = None
        self.finalizer = None
        self._inherit = []
        # Same order as CPython: preparation data first (it raises the bootstrapping
        # RuntimeError), then the pickled Process (a lambda target fails here, in the parent).
        prep_data = spawn.get_preparation_data(process_obj._name)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        sched.spawn_point()
        self.pid = call(
            "spawn",
            buf.getvalue(),
            kind="child",
            name=process_obj._name,
            daemon=bool(process_obj.daemon),
            inherit=self._inherit,
            parentName=process_obj._parent_name,
            # A child shares its parent's resource tracker, as spawn passes the tracker's fd.
            tracker=_spawnpoint.TRACKER,
            # What exec passes a real child: the environment and working directory as they
            # are now (changes after start() are not seen, as in CPython).
            env=_exec_environ(),
            cwd=os.getcwd(),
            umask=_umask(),
            # Its standard descriptors are its parent's: a pipe stays a pipe.
            piped=sorted(_piped()),
        )
        # wait() tells a sentinel (a pid here) from a socket's descriptor by its type.
        from .connection import Sentinel
        self.sentinel = Sentinel(self.pid)

    def duplicate_for_child(self, handle):
        """A handle (pipe end) pickled for the child: the kernel makes the child a holder at spawn."""
        self._inherit.append(handle)
        return handle

    def poll(self, flag=os.WNOHANG):
        if self.returncode is None:
            if flag == 0:
                return self.wait()
            try:
                code = sched.join(self.pid, 0, True) if sched.ON else call("waitpid", pid=self.pid, nohang=True)
            except OSError:
                # Reaped already (os.waitpid, os.wait): CPython's poll returns None then.
                return None
            if code is not None:
                self.returncode = code
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            try:
                if sched.ON:
                    code = sched.join(self.pid, timeout, False)
                else:
                    code = call("waitpid", pid=self.pid, timeoutMs=timeout_ms(timeout))
            except ChildProcessError:
                return None
            except OSError:
                # CPython waits without a timeout in poll()'s os.waitpid, which returns None on
                # any OSError: one a signal handler raised there (a TimeoutError from an alarm)
                # ends the join quietly.
                if timeout is not None:
                    raise
                return None
            if code is not None:
                self.returncode = code
        return self.returncode

    def _send_signal(self, sig):
        if self.returncode is None:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def interrupt(self):
        self._send_signal(signal.SIGINT)

    def terminate(self):
        self._send_signal(signal.SIGTERM)

    def kill(self):
        self._send_signal(signal.SIGKILL)

    def close(self):
        if self.finalizer is not None:
            self.finalizer()


def _launch_frames(frame, statement):
    """Popen() shows in tracebacks as CPython's spawn Popen: its __init__, popen_fork's
    __init__ and _launch, which makes the preparation data and pickles the Process."""
    launch = statement.replace("buf", "fp")
    if launch not in ("prep_data = spawn.get_preparation_data(process_obj._name)",
                      "reduction.dump(prep_data, fp)", "reduction.dump(process_obj, fp)"):
        return []
    return [("multiprocessing.popen_spawn_posix", "Popen.__init__", "super().__init__(process_obj)", "super().__init__(process_obj)"),
            ("multiprocessing.popen_fork", "Popen.__init__", "self._launch(process_obj)", "self._launch(process_obj)"),
            ("multiprocessing.popen_spawn_posix", "Popen._launch", launch, launch if launch.startswith("reduction") else None)]


tracebacks.stand_in(Popen.__init__.__code__, _launch_frames)
