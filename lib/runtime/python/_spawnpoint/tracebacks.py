"""Tracebacks show the user's frames only: the runtime's own (where our time.sleep, os._exit…
raise, and between a wait and the signal handler it ran) are dropped, as CPython's C code
leaves none. Where the runtime replaces a stdlib module's Python code (Pool, its results, the
executor), a frame of ours at a statement the stdlib function has too is shown as the stdlib's
frame, so a worker's RemoteTraceback or `pool.map`'s traceback names the files, functions and
lines CPython's do."""
import linecache
import os
import sys
import traceback as _traceback
import types

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


# The runtime's files that stand for a stdlib module: their functions are named as its.
_TWINS = {
    "pool.py": "multiprocessing.pool",
    "pool_results.py": "multiprocessing.pool",
    "futures.py": "concurrent.futures.process",
    "queues.py": "multiprocessing.queues",
    "manager_proxies.py": "multiprocessing.managers",
}
# A function's code → resolve(frame, statement): (module, function, statement, expression), or a
# list of them (CPython's calls that one function of ours does at once), for a statement whose
# stdlib counterpart reads otherwise (an executor's task in the Pool's worker); function may be
# "Class.method". expression: the call the position spans in that statement; None, the same columns
# as ours; a number n, the statement from its start to the end of the line n lines below.
_resolvers = {}


def stand_in(code, resolve):
    _resolvers[code] = resolve


def _module_globals(module):
    """What linecache needs to read a stdlib module's source (from the zip, through its loader),
    also for one whose sys.modules entry is the runtime's. None: no such module."""
    import importlib.machinery
    package = sys.modules.get(module.rpartition(".")[0])
    spec = importlib.machinery.PathFinder.find_spec(module, getattr(package, "__path__", None))
    if spec is None or spec.loader is None or not spec.origin:
        return None
    return {"__name__": module, "__loader__": spec.loader, "__file__": spec.origin}


_located = {}


def _locate(module, function, statement):
    """The 1-based line and its text of `statement` in `function` of the stdlib's `module`."""
    key = (module, function, statement)
    if key not in _located:
        _located[key] = None
        g = _module_globals(module)
        if g is not None:
            filename = g["__file__"]
            lines = linecache.getlines(filename, g)
            # "Class.method": the first such class's (a module may define one per platform).
            cls, _, function = function.rpartition(".")
            within = None if cls else -1
            inside = None
            for i, line in enumerate(lines):
                text = line.strip()
                indent = len(line) - len(line.lstrip())
                if within is not None and within >= 0 and text and indent <= within:
                    break
                if inside is not None and text and indent <= inside:
                    inside = None
                if within is None:
                    if text.startswith(("class %s(" % cls, "class %s:" % cls)):
                        within = indent
                elif text.startswith("def %s(" % function):
                    inside = indent
                elif inside is not None and text == statement:
                    _located[key] = (filename, i + 1, line.rstrip("\n"), g)
                    break
    return _located[key]


def _twins(frame, lineno, colno, end_colno):
    """The stdlib frames a runtime frame stands for: [(fake frame, position)], empty for none."""
    code = frame.f_code
    filename = code.co_filename
    if lineno is None:
        return []
    ours = linecache.getline(filename, lineno)
    statement = ours.strip()
    resolve = _resolvers.get(code)
    targets = resolve(frame, statement) if resolve is not None else None
    if targets is None:
        module = _TWINS.get(os.path.basename(filename))
        if module is None:
            return []
        # The same method of the same class if the stdlib has it, else a function of that name.
        if "<" not in code.co_qualname and _locate(module, code.co_qualname, statement) is not None:
            targets = (module, code.co_qualname, statement, None)
        else:
            targets = (module, code.co_name, statement, None)
    if isinstance(targets, tuple):
        targets = [targets]
    twins = []
    for module, function, statement, expression in targets:
        found = _locate(module, function, statement)
        if found is None:
            return []
        twins.append(_twin(found, function, ours, expression, colno, end_colno))
    return twins


def _twin(found, function, ours, expression, colno, end_colno):
    path, line, text, g = found
    end_line = line
    if expression is None:
        if colno is None or end_colno is None:
            col = end = None
        else:
            shift = (len(text) - len(text.lstrip())) - (len(ours) - len(ours.lstrip()))
            col, end = colno + shift, end_colno + shift
    elif isinstance(expression, int):
        # From the statement's first character to the end of its line `expression` lines on.
        col = len(text) - len(text.lstrip())
        end_line = line + expression
        end = len(linecache.getline(path, end_line, g).rstrip())
    else:
        col = text.index(expression)
        end = col + len(expression)
    name = function.rpartition(".")[2]
    fake = types.SimpleNamespace(f_code=types.SimpleNamespace(co_filename=path, co_name=name),
                                 f_globals=g, f_locals={})
    return fake, (line, end_line, col, end)


def _is_runtime(frame):
    return not _kept(frame.f_code)


def trim_runtime_frames(tb):
    """Drops the runtime's own frames from a traceback (where our time.sleep, os._exit,
    socket.recv… raise, and between a wait and the signal handler it ran), so tracebacks show
    only the user's frames, as CPython's do where its C code runs; keeps those that stand for a
    stdlib frame (the extraction below shows them so). Returns the new first entry."""
    user = []
    node = tb
    while node is not None:
        if not _is_runtime(node.tb_frame) or _twins(node.tb_frame, node.tb_lineno, None, None):
            user.append(node)
        node = node.tb_next
    if not user:
        return tb
    for a, b in zip(user, user[1:]):
        a.tb_next = b
    user[-1].tb_next = None
    return user[0]


_extract = _traceback.StackSummary._extract_from_extended_frame_gen.__func__


def _extract_as_cpython(klass, frame_gen, **kwargs):
    """Every traceback and stack the traceback module formats: the runtime's frames shown as
    the stdlib's they stand for, or dropped (all kept when nothing else is left)."""
    frames = list(frame_gen)
    shown = []
    for f, pos in frames:
        if not _is_runtime(f):
            shown.append((f, pos))
            continue
        lineno, _, colno, end_colno = pos
        shown.extend(_twins(f, lineno, colno, end_colno))
    if not any(not _is_runtime(f) for f, _ in frames):
        shown = frames
    return _extract(klass, iter(shown), **kwargs)


_print_exc = _traceback.print_exc


def _print_exc_trimmed(limit=None, file=None, chain=True):
    e = sys.exception()
    if e is not None:
        e.__traceback__ = trim_runtime_frames(e.__traceback__)
    _print_exc(limit=limit, file=file, chain=chain)


def install():
    _traceback.print_exc = _print_exc_trimmed
    _traceback.StackSummary._extract_from_extended_frame_gen = classmethod(_extract_as_cpython)
