# A Pool task whose arguments cannot be pickled fails its result, not the call: CPython's task
# handler thread meets the error after apply_async / map_async / imap returned.
import multiprocessing as mp


def f(q, x):
    q.put(x)
    return x


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    q = mp.Queue()
    errors = []
    with mp.Pool(2) as pool:
        rs = [pool.apply_async(f, (q, i), error_callback=lambda e: errors.append(type(e).__name__)) for i in range(2)]
        print("submitted")
        r = pool.map_async(f, [q, q])
        r.wait(5)
        print("map_async: ready", r.ready(), "successful", r.successful())
        try:
            rs[0].get(5)
        except RuntimeError as e:
            print("get:", e)
        print("error callbacks:", errors)
        try:
            pool.apply_async(lambda: 1).get(5)
        except Exception as e:
            print("lambda:", type(e).__name__)
        it = pool.imap(f, [(q, 1)])
        print("imap returned")
        try:
            next(it)
        except Exception as e:
            print("imap next:", type(e).__name__)
        print("the pool goes on:", pool.map(abs, [-1, -2]))
