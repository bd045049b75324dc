# Two processes increment a shared counter without holding the lock across the
# read-modify-write: whether an update is lost depends on the interleaving.
import multiprocessing as mp


def work(counter, n):
    for _ in range(n):
        with counter.get_lock():
            v = counter.value
        with counter.get_lock():
            counter.value = v + 1


if __name__ == "__main__":
    counter = mp.Value("i", 0)
    ps = [mp.Process(target=work, args=(counter, 3)) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("counter", counter.value)
