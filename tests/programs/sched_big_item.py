# A child puts one item bigger than the queue's 64 KiB pipe, then ends: its exit waits (as
# CPython's feeder thread does) until the parent has taken the item. Correct in every order.
import multiprocessing as mp


def work(q):
    q.put(b"x" * 70_000)
    q.put(b"y" * 100)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    q = mp.Queue()
    p = mp.Process(target=work, args=(q,))
    p.start()
    print(len(q.get()), len(q.get()))
    p.join()
    print("exit code", p.exitcode)
