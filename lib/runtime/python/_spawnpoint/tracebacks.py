"""Tracebacks show the user's frames only: the runtime's own (where our time.sleep, os._exit…
raise, and between a wait and the signal handler it ran) are dropped, as CPython's C code
leaves none."""
import os
import sys
import traceback as _traceback

# Both packages: _spawnpoint (multiprocessing, os, time…) and _spawnpoint_net (socket, select).
_RUNTIME_DIR = os.path.dirname(os.path.dirname(__file__)) + "/"

# Runtime functions that are Python code in CPython too (its socket.py): CPython's tracebacks
# show their frames (`raise exceptions[0]` in create_connection…), so ours keep them.
_STDLIB_PYTHON = {
    ("_spawnpoint_net/socket.py", "create_connection"),
    ("_spawnpoint_net/socket.py", "create_server"),
    ("_spawnpoint_net/sockobj.py", "accept"),
    ("_spawnpoint_net/sockobj.py", "sendfile"),
    ("_spawnpoint_net/sockobj.py", "_sendfile_use_send"),
    ("_spawnpoint_net/sockobj.py", "_check_sendfile_params"),
    ("_spawnpoint_net/socketio.py", "readinto"),
    ("_spawnpoint_net/socketio.py", "write"),
}


def _kept(code):
    name = code.co_filename
    return not name.startswith(_RUNTIME_DIR) or (name[len(_RUNTIME_DIR):], code.co_name) in _STDLIB_PYTHON


def trim_runtime_frames(tb):
    """Drops the runtime's own frames from a traceback (where our time.sleep, os._exit,
    socket.recv… raise, and between a wait and the signal handler it ran), so tracebacks show
    only the user's frames, as CPython's do where its C code runs. Returns the new first entry."""
    user = []
    node = tb
    while node is not None:
        if _kept(node.tb_frame.f_code):
            user.append(node)
        node = node.tb_next
    if not user:
        return tb
    for a, b in zip(user, user[1:]):
        a.tb_next = b
    user[-1].tb_next = None
    return user[0]


_print_exc = _traceback.print_exc


def _print_exc_trimmed(limit=None, file=None, chain=True):
    e = sys.exception()
    if e is not None:
        e.__traceback__ = trim_runtime_frames(e.__traceback__)
    _print_exc(limit=limit, file=file, chain=chain)




def install():
    _traceback.print_exc = _print_exc_trimmed
