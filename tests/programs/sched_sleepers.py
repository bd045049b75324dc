# Each sleep ends at its own deadline: a short sleep ending (here or in another process)
# never ends a longer one early.
import time
from multiprocessing import Process


def nap(name, seconds, start):
    time.sleep(seconds)
    print(f"{name} slept its {seconds} s:", time.time() - start >= seconds, flush=True)


if __name__ == "__main__":
    start = time.time()
    ps = [Process(target=nap, args=(f"nap-{s}", s, start)) for s in (1.5, 0.5)]
    for p in ps:
        p.start()
    time.sleep(0.2)
    print("main slept its 0.2 s:", time.time() - start >= 0.2, flush=True)
    for p in ps:
        p.join()
