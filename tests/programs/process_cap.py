import multiprocessing as mp
import time


def idle():
    time.sleep(30)


if __name__ == "__main__":
    procs = []
    try:
        while True:
            p = mp.Process(target=idle, daemon=True)
            p.start()
            procs.append(p)
    except OSError as e:
        print("after", len(procs), "children:", type(e).__name__, e)
