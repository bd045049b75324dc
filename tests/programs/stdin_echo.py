import multiprocessing as mp


def child_input():
    try:
        input()
    except EOFError:
        print("child stdin is closed (EOFError)", flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    name = input("name? ")
    print(f"hello {name}")
    p = mp.Process(target=child_input); p.start(); p.join()
    try:
        input()
    except EOFError:
        print("EOFError at end of input")
