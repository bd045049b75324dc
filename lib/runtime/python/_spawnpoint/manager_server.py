"""CPython's BaseManager served at an address, without threads.

CPython's `multiprocessing.managers` runs unchanged (BaseManager.register/start/connect/
get_server, Token, BaseProxy, AutoProxy, dispatch, the authkey challenge) over our
multiprocessing.connection. Only its Server needs threads: an accepter thread, and one
thread per client connection running `serve_client`'s loop. `Server` here is one loop in
one process instead: it waits (connection.wait) on the listening socket and every proxy
connection, accepts and authenticates a newcomer and answers its first request with
CPython's own `_handle_request`, and serves one request of a ready proxy connection with
CPython's own `serve_client`, which is handed a connection that gives it that one request
and then an EOF, so the loop returns after one message.

A call that would block its thread in CPython (a queue.Queue's get on an empty queue, put
on a full one, join; an Event's wait; a Lock's or Semaphore's acquire) would block the one
loop here, and with it every other client, among them the one that would unblock it. Such a
request is parked instead: its client waits for the reply while the loop serves the others,
and after each request served the parked ones that can now go on are served, in the order
they came; one whose timeout passed is served as its non-blocking form (Empty, Full, False).
"""
import importlib
import sys

import multiprocessing
from multiprocessing import process

# The snapshot imported multiprocessing.managers before shared_memory and our connection
# existed (so it has no SharedMemoryManager, and its Listener/Client are the old ones):
# import it again now (the bootstrap then puts in our SyncManager, a subclass of its own).
sys.modules.pop("multiprocessing.managers", None)
_managers = importlib.import_module("multiprocessing.managers")
multiprocessing.managers = _managers


class _OneRequest:
    """A connection as serve_client sees it: one request (`first`, else the connection's
    next, or its real EOF), then EOFError."""

    def __init__(self, conn, first=None):
        self._conn = conn
        self._first = first
        self.recvs = 0
        self.eof = False

    def recv(self):
        self.recvs += 1
        if self.recvs > 1 and not self.eof:
            raise EOFError  # serve_client asks for the next request: this turn is over
        if self._first is not None:
            return self._first
        try:
            return self._conn.recv()
        except (EOFError, OSError):
            self.eof = True
            raise EOFError from None

    def __getattr__(self, name):
        return getattr(self._conn, name)


def _bound(names, defaults, args, kwds):
    values = dict(zip(names, args))
    values.update(kwds)
    return [values.get(n, d) for n, d in zip(names, defaults)]


def _blocking(obj, methodname, args, kwds):
    """For a call that would block now: (timeout in seconds or None, whether it can go on,
    its non-blocking form as (args, kwds)). None for a call that does not block."""
    import queue
    import threading

    if isinstance(obj, queue.Queue):
        if methodname == "get":
            block, timeout = _bound(("block", "timeout"), (True, None), args, kwds)
            ready = lambda: obj.qsize() > 0  # noqa: E731
            expired = ((False,), {})
        elif methodname == "put":
            item, block, timeout = _bound(("item", "block", "timeout"), (None, True, None), args, kwds)
            ready = lambda: not (0 < obj.maxsize <= obj.qsize())  # noqa: E731
            expired = ((item, False), {})
        elif methodname == "join":
            block, timeout = True, None
            ready = lambda: obj.unfinished_tasks == 0  # noqa: E731
            expired = None
        else:
            return None
    elif isinstance(obj, threading.Event) and methodname == "wait":
        block = True
        (timeout,) = _bound(("timeout",), (None,), args, kwds)
        ready = obj.is_set
        expired = ((0,), {})
    elif isinstance(obj, (type(threading.Lock()), threading.Semaphore)) and methodname == "acquire":
        forever = -1 if not isinstance(obj, threading.Semaphore) else None
        block, timeout = _bound(("blocking", "timeout"), (True, forever), args, kwds)
        if timeout == -1:
            timeout = None
        ready = (lambda: not obj.locked()) if not isinstance(obj, threading.Semaphore) else (lambda: obj._value > 0)
        expired = ((False,), {})
    else:
        return None
    if not block or ready() or (timeout is not None and timeout <= 0):
        return None  # goes now (what it raises for a bad timeout, it raises now)
    return timeout, ready, expired


class _Parked:
    def __init__(self, conn, request, timeout, ready, expired):
        import time

        self.conn = conn
        self.request = request
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.ready = ready
        self.expired = expired


class Server(_managers.Server):
    def serve_forever(self):
        import threading
        import time
        from multiprocessing.connection import wait

        self.stop_event = threading.Event()
        process.current_process()._manager_server = self
        listening = self.listener._listener._socket
        serving = []
        self._parked = []
        try:
            while not self.stop_event.is_set():
                timeout = 1.0
                for p in self._parked:
                    if p.deadline is not None:
                        timeout = min(timeout, max(0.0, p.deadline - time.monotonic()))
                for ready in wait([listening] + serving, timeout=timeout):
                    if ready is listening:
                        self._new_connection(serving)
                    else:
                        self._one_request(ready, serving)
                    self._unpark(serving)
                    if self.stop_event.is_set():
                        break
                self._unpark(serving)
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            for conn in serving + [p.conn for p in self._parked]:
                conn.close()
            if sys.stdout != sys.__stdout__:
                sys.stdout = sys.__stdout__
                sys.stderr = sys.__stderr__
            sys.exit(0)

    def _new_connection(self, serving):
        try:
            conn = self.listener.accept()
        except OSError:
            return
        turn = _OneRequest(conn)
        try:
            self._handle_request(turn)
        except SystemExit:
            pass
        except Exception:
            turn.eof = True
        # accept_connection went on into serve_client: a proxy's connection, kept open.
        if turn.recvs > 1 and not turn.eof and not getattr(conn, "closed", False):
            serving.append(conn)
        else:
            conn.close()

    def _one_request(self, conn, serving, request=None):
        if request is None:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                serving.remove(conn)
                conn.close()
                return
            parked = self._park(conn, request)
            if parked is not None:
                serving.remove(conn)
                self._parked.append(parked)
                return
        turn = _OneRequest(conn, request)
        try:
            self.serve_client(turn)
        except SystemExit:
            pass
        if getattr(conn, "closed", False):
            if conn in serving:
                serving.remove(conn)
        elif conn not in serving:
            serving.append(conn)

    def _park(self, conn, request):
        """A request that would block (see the module's docstring), parked; else None."""
        try:
            ident, methodname, args, kwds = request
            obj = self.id_to_obj[ident][0]
            blocking = _blocking(obj, methodname, args, kwds)
        except Exception:
            return None  # serve_client answers it (with its error)
        return None if blocking is None else _Parked(conn, request, *blocking)

    def _unpark(self, serving):
        """Serves the parked requests that can go on, or whose time is up, until none can."""
        import time

        progress = True
        while progress and self._parked:
            progress = False
            for p in list(self._parked):
                if p.ready():
                    request = p.request
                elif p.deadline is not None and time.monotonic() >= p.deadline and p.expired is not None:
                    request = (p.request[0], p.request[1]) + p.expired
                else:
                    continue
                self._parked.remove(p)
                self._one_request(p.conn, serving, request)
                progress = True
                break


class SharedMemoryServer(_managers.SharedMemoryServer, Server):
    """SharedMemoryManager's server (tracks segments) with the thread-free loop above."""


def install():
    """Every manager class that serves with CPython's Server serves with this one."""
    _managers.BaseManager._Server = Server
    _managers.SharedMemoryManager._Server = SharedMemoryServer
    # BaseManager.get_server() makes the module's Server: `get_server().serve_forever()`.
    _managers.Server = Server
