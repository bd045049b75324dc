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
"""
import importlib
import sys

import multiprocessing
from multiprocessing import process

# The snapshot imported multiprocessing.managers before shared_memory and our connection
# existed (so it has no SharedMemoryManager, and its Listener/Client are the old ones):
# import it again now, keeping the SyncManager the bootstrap put in.
_old = sys.modules.pop("multiprocessing.managers", None)
_managers = importlib.import_module("multiprocessing.managers")
multiprocessing.managers = _managers
if _old is not None:
    _managers.SyncManager = _old.SyncManager


class _OneRequest:
    """A connection as serve_client sees it: one request (or the real EOF), then EOFError."""

    def __init__(self, conn):
        self._conn = conn
        self.recvs = 0
        self.eof = False

    def recv(self):
        self.recvs += 1
        if self.recvs > 1 and not self.eof:
            raise EOFError  # serve_client asks for the next request: this turn is over
        try:
            return self._conn.recv()
        except (EOFError, OSError):
            self.eof = True
            raise EOFError from None

    def __getattr__(self, name):
        return getattr(self._conn, name)


class Server(_managers.Server):
    def serve_forever(self):
        import threading
        from multiprocessing.connection import wait

        self.stop_event = threading.Event()
        process.current_process()._manager_server = self
        listening = self.listener._listener._socket
        serving = []
        try:
            while not self.stop_event.is_set():
                for ready in wait([listening] + serving, timeout=1.0):
                    if ready is listening:
                        self._new_connection(serving)
                    else:
                        self._one_request(ready, serving)
                    if self.stop_event.is_set():
                        break
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            for conn in serving:
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

    def _one_request(self, conn, serving):
        turn = _OneRequest(conn)
        try:
            self.serve_client(turn)
        except SystemExit:
            pass
        if turn.eof or getattr(conn, "closed", False):
            serving.remove(conn)
            conn.close()


class SharedMemoryServer(_managers.SharedMemoryServer, Server):
    """SharedMemoryManager's server (tracks segments) with the thread-free loop above."""


def install():
    """Every manager class that serves with CPython's Server serves with this one."""
    _managers.BaseManager._Server = Server
    _managers.SharedMemoryManager._Server = SharedMemoryServer
