"""A process's end as CPython's interpreter shutdown: atexit callbacks, then the main
module's globals cleared (so an object only the script held is destroyed and its __del__
runs), then a collection. This interpreter is never shut down (its worker restores it for
the next process), so main.py calls these where Py_FinalizeEx would start.

multiprocessing.util registers its exit handler (terminate daemonic children, join the
others) with atexit when it is first imported. CPython imports it with a program's first
Process, lock, queue, pipe or shared value, so the handler runs before the atexit callbacks
registered earlier and after those registered later. The snapshot imported util long
before the program ran: bootstrap.py takes its registration back, and `uses_util()` makes
it where CPython would. In a child, spawn imports util before the program's code.
"""
import atexit
import gc
import sys

from multiprocessing import util

_registered = False
# How a KeyboardInterrupt in the exit handler is shown (main.py's traceback printer).
on_interrupt = None


def _exit_function():
    try:
        util._exit_function()
    except KeyboardInterrupt as e:
        if on_interrupt is None:
            raise
        on_interrupt(e)


def uses_util():
    """The program did what makes CPython import multiprocessing.util (once per process)."""
    global _registered
    if not _registered:
        _registered = True
        atexit.register(_exit_function)


def _clear(d):
    # As _PyModule_ClearDict (names with one leading underscore first, then the rest), but the
    # dunders last: CPython destroys most of a script's objects in its shutdown collection,
    # while their module's dict is still whole (a __del__ that reads __name__ sees it).
    keys = [k for k in d if isinstance(k, str)]
    for key in [k for k in keys if k[:1] == "_" and k[1:2] != "_"]:
        d[key] = None
    for key in [k for k in keys if k[:2] != "__"]:
        d[key] = None
    for key in [k for k in keys if k[:2] == "__" and k != "__builtins__"]:
        d[key] = None


def _script_dicts():
    """__main__'s dict, and in a child also the copy runpy ran the main script in, which the
    script's functions keep as their globals."""
    dicts = {}
    for name in ("__main__", "__mp_main__"):
        module = sys.modules.get(name)
        d = getattr(module, "__dict__", None)
        if isinstance(d, dict):
            dicts[id(d)] = d
    for d in list(dicts.values()):
        for value in list(d.values()):
            g = getattr(value, "__globals__", None)
            if isinstance(g, dict) and g.get("__name__") in ("__main__", "__mp_main__"):
                dicts.setdefault(id(g), g)
    return list(dicts.values())


def run_exit_functions():
    """atexit callbacks, multiprocessing's exit handler among them (or last, if the program
    never made it register: it then finds nothing to do, or what the runtime started)."""
    atexit._run_exitfuncs()
    _exit_function()


def clear_script():
    """A collection (the program's garbage), then the script's globals cleared, then another
    for what that freed. The snapshot froze the runtime's own objects: collections look at
    the program's only."""
    gc.collect()
    for d in _script_dicts():
        _clear(d)
    gc.collect()
