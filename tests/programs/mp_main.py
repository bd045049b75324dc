import multiprocessing as mp

print("module level runs in", __name__, flush=True)


def work():
    print("target runs", flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    p = mp.Process(target=work)
    p.start()
    p.join()
