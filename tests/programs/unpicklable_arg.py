# A child that cannot unpickle its Process (the class is made under the main guard, so
# __mp_main__ has none): its traceback starts where CPython's spawned child's does.
import multiprocessing as mp

def show(x):
    print(x)

if __name__ == "__main__":
    mp.set_start_method("spawn")
    class Local:
        pass
    p = mp.Process(target=show, args=(Local(),))
    p.start(); p.join()
    print("exitcode", p.exitcode)
