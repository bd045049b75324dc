# Two workers take the same two locks in opposite orders: some interleavings deadlock
# (worker-1 holds A and waits for B, worker-2 holds B and waits for A).
import multiprocessing as mp


def work(first, second, name):
    with first:
        with second:
            print(name, "has both")


if __name__ == "__main__":
    a, b = mp.Lock(), mp.Lock()
    p1 = mp.Process(target=work, args=(a, b, "worker-1"), name="worker-1")
    p2 = mp.Process(target=work, args=(b, a, "worker-2"), name="worker-2")
    p1.start()
    p2.start()
    p1.join()
    p2.join()
    print("done")
