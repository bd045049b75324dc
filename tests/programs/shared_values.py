import multiprocessing as mp


def work(v, arr, f):
    v.value += 5
    for i in range(len(arr)):
        arr[i] = arr[i] * 10
    f.value = 2.5


if __name__ == "__main__":
    mp.set_start_method("spawn")
    v = mp.Value("i", 1)
    arr = mp.Array("i", [1, 2, 3])
    f = mp.Value("d", 0.0)
    p = mp.Process(target=work, args=(v, arr, f)); p.start(); p.join()
    print(v.value, arr[:], f.value, len(arr))
    raw = mp.RawArray("b", 4)
    print(list(raw))
    # sharedctypes.copy: a new raw object with the same contents.
    from multiprocessing.sharedctypes import copy
    c = copy(v.get_obj())
    c.value = -1
    print("copy:", v.value, c.value, list(copy(arr.get_obj())) == arr[:])
    # ctypes' conversions: 64-bit values past 2**53 exactly, the low bits of a too-big int,
    # __index__, and ctypes' errors.
    big = mp.Value("q", 2**53 + 1)
    ubig = mp.Array("Q", [2**64 - 1, 2**63])
    p = mp.Process(target=print, args=(big.value, ubig[:])); p.start(); p.join()
    big.value = -(2**62) - 3
    print(big.value, mp.Value("Q", -1).value, mp.Value("i", 2**32 + 7).value, mp.Value("b", 200).value)

    class Seven:
        def __index__(self):
            return 7

    print(mp.Value("i", Seven()).value, mp.Value("d", Seven()).value)
    for code, bad in [("i", 1.5), ("i", "x"), ("d", "1.5"), ("d", None)]:
        try:
            mp.Value(code, bad)
        except TypeError as e:
            print(code, repr(bad), e)
