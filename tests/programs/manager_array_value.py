# A manager's Array (an array.array the server keeps) and Value, as a child and the parent see them.
import multiprocessing as mp


def fill(arr, val):
    for i in range(len(arr)):
        arr[i] = i * 10
    val.value = 7


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Manager() as m:
        arr = m.Array("i", [0] * 4)
        val = m.Value("i", 5)
        print(arr, len(arr), val, val.value)
        p = mp.Process(target=fill, args=(arr, val))
        p.start()
        p.join()
        print(arr, arr[1], arr[-1], val, val.get())
        print(arr._getvalue(), type(arr).__name__)
        try:
            arr[9] = 1
        except IndexError as e:
            print("IndexError", e)
