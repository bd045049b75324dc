"""An exception a manager's object raises reaches the caller through the proxy: its traceback
shows CPython's frames, the proxy method made from a string (`File "<string>", line 2, in
__getitem__`), then managers.py's _callmethod, which re-raises it (files by their base name)."""
import multiprocessing as mp
import traceback


def frames(call):
    try:
        call()
    except Exception as e:
        return type(e).__name__, [(f.filename.rsplit("/", 1)[-1], f.name, f.line) for f in traceback.extract_tb(e.__traceback__)[1:]]


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Manager() as m:
        d = m.dict()
        lst = m.list([1])
        ns = m.Namespace()
        print(frames(lambda: d["missing"]))
        print(frames(lambda: lst.index(5)))
        print(frames(lambda: lst.pop(7)))
        print(frames(lambda: ns.nothing))
        print(frames(lambda: delattr(ns, "nothing")))
        print(frames(lambda: ns._private))
