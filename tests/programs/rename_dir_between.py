# A directory renamed by one process is renamed for all, with what is in it (and back).
import multiprocessing as mp, os
def ren(a, b): os.rename(a, b)
def mk(d): os.makedirs(d)
def ls(d, q): q.put(sorted(os.listdir(d)) if os.path.isdir(d) else None)
if __name__ == "__main__":
    mp.set_start_method("spawn")
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    def run(t, *a):
        p = ctx.Process(target=t, args=a); p.start(); p.join(); return p.exitcode
    os.makedirs("d1/sub", exist_ok=True)
    open("d1/f.txt", "w").write("f"); open("d1/sub/g.txt", "w").write("g")
    print(run(ren, "d1", "d2"))
    print(os.path.exists("d1"), os.path.exists("d2"), os.path.exists("d2/sub/g.txt"))
    run(ls, "d2", q); print(q.get())
    print(run(mk, "e1/e2/e3"), os.path.isdir("e1/e2/e3"))
    os.rename("d2", "d3")
    run(ls, "d3", q); print(q.get())
    run(ls, "d2", q); print(q.get())
    import shutil; shutil.rmtree("d3"); shutil.rmtree("e1")
