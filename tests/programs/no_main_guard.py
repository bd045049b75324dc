import multiprocessing as mp


def work():
    print("never printed")


mp.set_start_method("spawn", force=True)
p = mp.Process(target=work)
p.start()
p.join()
print("parent sees exitcode", p.exitcode, flush=True)
