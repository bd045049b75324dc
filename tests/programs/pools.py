import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor, as_completed


def square(x):
    return x * x


def fail(x):
    raise KeyError(x)


def fill(d, l, ns, lock, i):
    with lock:
        d[i] = i * 10
        l.append(i)
        ns.count += 1


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Pool(2) as pool:
        print(pool.map(square, range(8)))
        print(pool.starmap(pow, [(2, 3), (3, 2)]))
        print(pool.apply(square, (7,)), pool.apply_async(square, (8,)).get(timeout=10))
        print(list(pool.imap(square, range(4))), sorted(pool.imap_unordered(square, range(4))))
        try:
            pool.apply(fail, ("k",))
        except KeyError as e:
            print("KeyError from worker:", e)
    with ProcessPoolExecutor(max_workers=2) as ex:
        futures = [ex.submit(square, i) for i in range(4)]
        print(sorted(f.result() for f in as_completed(futures)), list(ex.map(square, [1, 2, 3])))
    with mp.Manager() as m:
        d, l, ns, lock = m.dict(), m.list(), m.Namespace(count=0), m.Lock()
        ps = [mp.Process(target=fill, args=(d, l, ns, lock, i)) for i in range(3)]
        for p in ps: p.start()
        for p in ps: p.join()
        print(sorted(d.items()), sorted(l), ns.count)
