# Spawnpoint only: the worker of a process killed while it waits runs the next process. What
# the killed process handed to JS (a function kept in a JS global) must not reach into that
# next process's interpreter. `leak` keeps one and waits to be killed; `probe`, run next on
# the same machine, calls it from every process it starts.
import sys
import time
from multiprocessing import Process

import js


def probe(tag):
    try:
        leak = getattr(js, "leak", None)
        result = None if leak is None else leak()
    except Exception as e:
        print(tag, "refused:", type(e).__name__, str(e).strip().splitlines()[-1], flush=True)
        return
    print(tag, "fresh" if leak is None else f"called: {result}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "leak":
        js.leak = lambda: "the killed process's function ran"
        print("leaked", flush=True)
        time.sleep(60)  # killed here
    else:
        probe("main")
        ps = [Process(target=probe, args=(f"child-{i}",)) for i in range(3)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
