import multiprocessing as mp
import time


def spin():
    while True:
        time.sleep(0.05)


def grandparent():
    try:
        mp.Process(target=spin).start()
    except AssertionError as e:
        print("AssertionError:", e, flush=True)


def slow():
    time.sleep(0.3)
    print("non-daemon child finished", flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    d = mp.Process(target=grandparent, daemon=True)
    d.start(); d.join()
    spinner = mp.Process(target=spin, daemon=True)
    spinner.start()
    mp.Process(target=slow).start()
    print("main body done", flush=True)
