import multiprocessing as mp
import os


def writer(path):
    with open(path, "w") as f:
        f.write("written by the child\n")


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with open("data.txt") as f:
        print("data.txt:", f.read().strip())
    p = mp.Process(target=writer, args=("out.txt",)); p.start(); p.join()
    with open("out.txt") as f:
        print("out.txt:", f.read().strip())
    print(sorted(n for n in os.listdir(".") if n.endswith(".txt")))
    open("missing.txt")
