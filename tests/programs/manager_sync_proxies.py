# What a SyncManager hands out looks like CPython's proxies (type names, module, repr, str as the
# server's object's repr, _callmethod, a Condition's RuntimeError), and still pickles into a
# Pool task and a Process; a plain Barrier is multiprocessing.synchronize.Barrier.
import multiprocessing as mp, pickle, re

def mask(s): return re.sub(r"owner=[1-9][0-9]*", "owner=N", re.sub(r"0x[0-9a-f]+", "0x?", str(s)))


def use(objs):
    l, r, s, b, c, e, q, jq, bar, d, li, ns, v = objs
    with l: pass
    with r: pass
    s.acquire(); s.release()
    with c: c.notify_all()
    e.set(); q.put("q"); jq.put("jq")
    d["k"] = 1; li.append(2); ns.x = 3; v.value = 4
    return type(l).__name__, type(bar).__name__, type(d).__name__

def wait_bar(bar):
    return bar.wait(5)

def shown():
    with mp.Manager() as m:
        objs = [m.Lock(), m.RLock(), m.Semaphore(2), m.BoundedSemaphore(1), m.Condition(), m.Event(), m.Queue(), m.JoinableQueue(), m.Barrier(2), m.Value("i", 1), m.Array("i", [1]), m.dict(), m.list(), m.Namespace()]
        for o in objs:
            print(type(o).__name__, type(o).__module__, "|", mask(repr(o)), "|", mask(str(o)), "|", hasattr(o, "_callmethod"), hasattr(o, "get_value"))
        l = objs[0]; l.acquire(); print(mask(str(l))); l.release()
        r = objs[1]; r.acquire(); print(mask(str(r))); r.release()
        c = objs[4]
        for f in (c.wait, c.notify, c.notify_all):
            try: f()
            except Exception as e: print(type(e).__name__, e)
        c.acquire(); print(mask(str(c))); c.release()
        e = objs[5]; e.set(); print(mask(str(e)))


if __name__ == "__main__":
    mp.set_start_method("spawn")
    shown()
    with mp.Manager() as m:
        objs = (m.Lock(), m.RLock(), m.Semaphore(2), m.BoundedSemaphore(1), m.Condition(), m.Event(), m.Queue(), m.JoinableQueue(), m.Barrier(2), m.dict(), m.list(), m.Namespace(), m.Value("i", 0))
        with mp.Pool(2) as pool:
            print(pool.apply(use, (objs,)))
            print(sorted(pool.map(wait_bar, [objs[8], objs[8]])))
        p = mp.Process(target=use, args=(objs,)); p.start(); p.join(); print("child", p.exitcode)
        print(objs[5].is_set(), objs[6].get(), objs[7].get(), dict(objs[9]), list(objs[10]), objs[11].x, objs[12].value)
        print(type(pickle.loads(pickle.dumps(objs[0]))).__name__)
    b = mp.Barrier(2)
    p = mp.Process(target=wait_bar, args=(b,)); p.start(); print(b.wait(5) in (0, 1)); p.join(); print(type(b).__module__, repr(b)[:38])
