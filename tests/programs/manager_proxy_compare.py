# A manager's dict and list proxies compare by identity, as CPython's do (they expose no
# comparison methods): equal contents are not equal proxies.
import multiprocessing as mp

if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Manager() as m:
        d, l = m.dict(a=1), m.list([3, 1, 2])
        print(d == {"a": 1}, d != {"a": 1}, d == d, l == [3, 1, 2], l != [3, 1, 2], l == l)
        print(d.copy() == {"a": 1}, l[:] == [3, 1, 2], sorted(l), l + [4], 2 * l)
        try:
            l < [4]
        except TypeError as e:
            print("TypeError", e)
        l *= 2
        l += [9]
        print(l, list(reversed(l)), len(d), "a" in d)
