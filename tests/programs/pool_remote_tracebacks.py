"""What a task's exception shows through Pool and ProcessPoolExecutor: the worker's
RemoteTraceback text and the caller's traceback name multiprocessing/pool.py's and
concurrent/futures/process.py's functions and statements, as CPython's do, and so does a task
that cannot be pickled (files by their
base name, no line numbers or carets: those vary between versions)."""
import multiprocessing as mp
import re
import traceback
from concurrent.futures import ProcessPoolExecutor


def check(n):
    if n == 2:
        raise RuntimeError("task %d failed" % n)
    return n


def frames(tb):
    return [(f.filename.rsplit("/", 1)[-1], f.name, f.line) for f in traceback.extract_tb(tb)]


def remote(text):
    text = re.sub(r'File "(?:[^"]*/)?([^/"]+)", line \d+', r'File "\1"', text)
    # Python 3.11 shows a comprehension as a frame of its own (3.12 inlines it).
    text = re.sub(r'  File "[^"]*", in <listcomp>\n.*\n', "", text)
    return [line for line in text.splitlines() if line.strip() and set(line.strip()) - set("~^")]


def show(label, call):
    try:
        call()
    except RuntimeError as e:
        print(label)
        for frame in frames(e.__traceback__)[1:]:
            print("  caller:", frame)
        for line in remote(str(e.__cause__)):
            print("  remote:", line)
        # The same, formatted by the traceback module (not only by print_exc).
        text = "".join(traceback.format_exception(e))
        print("  formatted names the runtime:", "_spawnpoint" in text)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Pool(2) as pool:
        show("map", lambda: pool.map(check, range(4)))
        show("starmap", lambda: pool.starmap(check, [(1,), (2,)]))
        show("apply", lambda: pool.apply(check, (2,)))
        show("apply_async", lambda: pool.apply_async(check, (2,)).get(timeout=10))
        show("imap", lambda: list(pool.imap(check, range(4))))
        # A task that cannot be pickled: from CPython's task handler thread to the reducer.
        for shared in (mp.Value("i", 1), mp.Queue(), mp.RawArray("i", 2)):
            try:
                pool.apply(check, (shared,))
            except RuntimeError as e:
                print(type(shared).__name__, "task:", [(file, name) for file, name, _ in frames(e.__traceback__)[1:]])
    with ProcessPoolExecutor(2) as ex:
        show("executor submit", lambda: ex.submit(check, 2).result())
        show("executor map", lambda: list(ex.map(check, range(4))))
        try:
            ex.map(check, range(4), chunksize=0)
        except ValueError as e:
            print("ValueError:", e)
