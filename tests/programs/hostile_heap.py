"""A hostile program against another program's shared memory: it knows the victim's Queue
ring and Lock (argv) and pokes them through the runtime's own FFI. Every touch is refused
(EFAULT); its own Value still works."""
import multiprocessing as mp
import sys

import _spawnpoint_js as js

RING_CAP_WORD = 5


def attempt(what, fn):
    try:
        fn()
        print(what, "allowed")
    except Exception as e:
        print(what, "refused:", "Bad address" in str(e))


if __name__ == "__main__":
    ring, lock = int(sys.argv[1]), int(sys.argv[2])
    attempt("heap_set on its ring lock", lambda: js.heap_set("i", ring * 4, 1))
    attempt("heap_set on its ring capacity", lambda: js.heap_set("i", (ring + RING_CAP_WORD) * 4, 1 << 30))
    attempt("heap_get of its ring", lambda: js.heap_get("i", ring * 4))
    attempt("ring_get_text (take its item)", lambda: js.ring_get_text(ring, False, 0, "x"))
    attempt("ring_put_text", lambda: js.ring_put_text(ring, "junk", False, 0, "x"))
    attempt("sem_try on its lock", lambda: js.sem_try(lock))
    attempt("heap_set outside every block", lambda: js.heap_set("i", 4, 0))
    v = mp.Value("i", 5)
    v.value += 1
    print("own Value", v.value)
