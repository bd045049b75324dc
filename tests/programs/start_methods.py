import multiprocessing as mp

if __name__ == "__main__":
    for method in ("fork", "forkserver"):
        try:
            mp.get_context(method)
        except ValueError as e:
            print("ValueError:", e)
    ctx = mp.get_context("spawn")
    print(ctx.get_start_method(), mp.get_all_start_methods())
    mp.set_start_method("spawn")
    print(mp.get_start_method())
