# A manager's errors as CPython's server reports them, nothing more on stderr, and its proxies
# after it shut down.
import multiprocessing as mp

if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Manager() as m:
        d = m.dict()
        items = m.list([1])
        try:
            items[5]
        except IndexError as e:
            print("IndexError", e)
        for make in (m.Lock, m.RLock, m.BoundedSemaphore):
            try:
                make().release()
            except Exception as e:
                print(make.__name__, type(e).__name__, e)
        d["a"] = 1
        # The server's last reply an error: nothing of it may be left for its exit to finalize.
        try:
            d["missing"]
        except KeyError as e:
            print("KeyError", e)
    try:
        print(len(d))
    except Exception as e:
        print("after shutdown:", type(e).__name__, e)
