import multiprocessing as mp

if __name__ == "__main__":
    mp.set_start_method("spawn")
    p = mp.Process(target=lambda: print("hi"))
    try:
        p.start()
    except Exception as e:
        print("start failed:", type(e).__name__)
    print("children:", mp.active_children())
