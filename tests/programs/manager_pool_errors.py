"""A manager's Pool that cannot be made raises RemoteError with the server's traceback."""
import multiprocessing as mp
from multiprocessing.managers import RemoteError


def square(x):
    return x * x


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Manager() as m:
        for args in ((0,), (-1,), (2, 42)):
            try:
                m.Pool(*args)
            except RemoteError as e:
                last = str(e).strip("-\n").splitlines()[-1]
                print(args, type(e).__name__, "->", last)
        with m.Pool(2) as pool:
            print(pool.map(square, range(5)))
