"""How the socket module reaches the kernel's network: `sock_*` syscalls (the slow path,
where the TCP state machine decides) and the socket rings' FFI calls (the fast path)."""
import json as _json

import _spawnpoint as _sp
from _spawnpoint.linux_errno import LINUX as _E
import _spawnpoint_js as _js
from _spawnpoint.signals import raise_pending

_raise = _sp._raise


def _call(name, data=None, **args):
    started = _js.now()
    state = {}
    if _sp.SCHED:
        _sp._sched_before(name, args)
    while True:
        ok = _sp._syscall(name, _json.dumps(args), _sp._js_bytes(data))
        value = _json.loads(_sp._reply_json())
        if ok:
            return value
        # EINTR: the signal's handler runs, then the call goes on (PEP 475). Controlled
        # mode: a call that would wait parks at the scheduler, then goes on.
        if not _sp._interrupted(value, args, started) and not (_sp.SCHED and _sp._would_block(value, args, state)):
            _raise(value)


def _call_with_bytes(name, **args):
    """A syscall whose reply has a JSON value and raw bytes (recv, recvfrom)."""
    started = _js.now()
    state = {}
    if _sp.SCHED:
        _sp._sched_before(name, args)
    while True:
        ok = _sp._syscall(name, _json.dumps(args), None)
        if ok:
            break
        value = _json.loads(_sp._reply_json())
        if not _sp._interrupted(value, args, started) and not (_sp.SCHED and _sp._would_block(value, args, state)):
            _raise(value)
    b = _sp._reply_bytes()
    return _json.loads(_sp._reply_json()), (b"" if b is None else b.to_bytes())


# Socket rings (lib/kernel/net/sock-ring.ts): an established TCP connection's bytes go
# straight between workers through the shared heap; these return a byte count, or one of
# the negative codes below. SLOW means "ask the kernel" (EOF, reset, shutdown, errors).
_ring_send_text = _js.sock_send_text
_ring_send_buf = _js.sock_send_buf
_ring_sent = _js.sock_sent
_ring_recv = _js.sock_recv
_ring_recv_into = _js.sock_recv_into
_ring_send_at = _js.sock_send_at
_ring_recv_at = _js.sock_recv_at
_INTERRUPTED, _TIMEOUT, _AGAIN, _SLOW = _js.SOCK_INTERRUPTED, _js.SOCK_TIMEOUT, _js.SOCK_AGAIN, _js.SOCK_SLOW


_BY_ADDRESS = _sp.BYTES_BY_ADDRESS  # see _spawnpoint._bytes_by_address
_BIG = _js.SOCK_BIG  # recv: −(_BIG + n) means n bytes are ready, too many for a string
_TEXT_MAX = _js.SOCK_TEXT_MAX


def _ring_error(r):
    if r == _INTERRUPTED:
        raise_pending()
    if r == _TIMEOUT:
        raise TimeoutError("timed out")
    raise BlockingIOError(_E["EAGAIN"], "Resource temporarily unavailable")


def _ring_ms(timeout):
    return -1.0 if timeout is None else timeout * 1000.0
