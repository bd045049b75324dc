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
