"""RawValue and RawArray, like Value and Array, reach a child only as it starts (its
Process arguments, a Pool's initargs): sent as a Pool task's argument they fail with
CPython's RuntimeError "<ctype> objects should only be shared between processes through
inheritance"."""
import multiprocessing as mp


def read(shared):
    return shared.value if hasattr(shared, "value") and not hasattr(shared, "__len__") else shared[:]


def report(shared):
    print("child reads", read(shared), flush=True)


def init(shared):
    global INHERITED
    INHERITED = shared


def read_inherited(_):
    return read(INHERITED)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    raw = [mp.RawValue("i", 7), mp.RawArray("i", [1, 2]), mp.Value("d", 1.5), mp.Array("c", b"ab")]
    with mp.Pool(1) as pool:
        for shared in raw:
            try:
                print(pool.apply(read, (shared,)))
            except RuntimeError as e:
                print("RuntimeError:", e)
    for shared in raw:
        p = mp.Process(target=report, args=(shared,))
        p.start()
        p.join()
    with mp.Pool(1, initializer=init, initargs=(raw[1],)) as pool:
        print("through initargs:", pool.map(read_inherited, [0]))
