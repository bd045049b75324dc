# os functions and open pickled by reference: as a Pool's function, a Process's target.
import builtins
import io
import multiprocessing as mp
import os
import pickle
import tempfile

if __name__ == "__main__":
    mp.set_start_method("spawn")
    names = ("stat", "remove", "listdir", "getcwd", "rename", "waitpid", "wait", "kill", "getpid", "read", "write")
    same = [n for n in names if pickle.loads(pickle.dumps(getattr(os, n))) is getattr(os, n)]
    print("round trip:", same == list(names), [pickle.loads(pickle.dumps(f)) is f for f in (open, io.open, builtins.open)])
    with tempfile.TemporaryDirectory() as d:
        paths = [os.path.join(d, "f%d.txt" % i) for i in range(3)]
        for i, path in enumerate(paths):
            with open(path, "w") as f:
                f.write("x" * i)
        with mp.Pool(2) as pool:
            print("sizes:", [s.st_size for s in pool.map(os.stat, paths)])
        p = mp.Process(target=os.remove, args=(paths[0],))
        p.start()
        p.join()
        print("removed by a child:", p.exitcode, os.path.exists(paths[0]))
