"""Tracebacks show the user's frames only: the runtime's own (where our time.sleep, os._exit…
raise, and between a wait and the signal handler it ran) are dropped, as CPython's C code
leaves none."""
import os
import sys
import traceback as _traceback

_RUNTIME_DIR = os.path.dirname(__file__) + "/"


def trim_runtime_frames(tb):
    """Drops the runtime's own frames from a traceback (where our time.sleep, os._exit…
    raise, and between a wait and the signal handler it ran), so tracebacks show only the
    user's frames, as CPython's do where its C code runs. Returns the new first entry."""
    user = []
    node = tb
    while node is not None:
        if not node.tb_frame.f_code.co_filename.startswith(_RUNTIME_DIR):
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
