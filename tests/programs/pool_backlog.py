# A Pool's tasks never block the caller: map_async of 2000 slow tasks on 3 workers returns
# at once, and terminate() ends it all. An iterable that raises inside imap() raises when
# the results reach that place, not when imap() is called.
import time
from multiprocessing import Pool


class SayWhen(Exception):
    pass


def items(n, when):
    for i in range(n):
        if i == when:
            raise SayWhen("said when at %d" % i)
        yield i


def sqr(x):
    return x * x


def take(it):
    got = []
    try:
        for v in it:
            got.append(v)
    except SayWhen as e:
        return "%s, then SayWhen(%s)" % (got, e)
    return "%s" % got


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.set_start_method("spawn")
    started = time.monotonic()
    p = Pool(3)
    r = p.map_async(time.sleep, [300] * 2000, chunksize=1)
    print("map_async returned:", not r.ready())
    p.terminate()
    p.join()
    print("terminated within 60 s:", time.monotonic() - started < 60)

    with Pool(2) as p:
        it = p.imap(sqr, items(1, 0))
        print("imap() returned an iterator:", hasattr(it, "__next__"))
        print("imap, raises at once:", take(it))
        print("imap, raises at 3:", take(p.imap(sqr, items(10, 3))))
        print("imap chunksize 2, raises at 3:", take(p.imap(sqr, items(10, 3), chunksize=2)))
        print("imap_unordered, raises at 0:", take(p.imap_unordered(sqr, items(1, 0))))
        print("map still works:", p.map(sqr, range(5)))
