"""Iterating a manager's list or dict asks the server item by item, as CPython's proxies do."""
import multiprocessing as mp


def child(a, d):
    print("child:", [x for x in a], d.copy())


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Manager() as m:
        a = m.list(range(5))
        it = iter(a)
        print(type(it).__name__, list(it), list(it))
        it = iter(a)
        a[0] = 100
        print("sees the change:", next(it))
        a.append(5)
        print("rest:", list(it))

        d = m.dict(x=1, y=2)
        it = iter(d)
        print(type(it).__name__, list(it), list(it))
        it = iter(d)
        print(next(it))
        d.clear()
        try:
            next(it)
        except RuntimeError as e:
            print("RuntimeError:", e)
        d["z"] = 3
        print("for:", [k for k in d], "in:", "z" in d, "list:", list(m.list("ab")))

        p = mp.Process(target=child, args=(a, d))
        p.start()
        p.join()
