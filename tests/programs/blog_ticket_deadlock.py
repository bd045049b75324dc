# The ticket office with a Lock, as the source blog wrote it: the file is opened with "rt",
# so json.dump fails in the first buyer, which never releases the lock. The other nine wait
# for it forever and the parent waits for them: the program hangs (under CPython too).
import json
from multiprocessing import Lock, Process

TICKETS = "tickets.json"


def buy(lock):
    lock.acquire()
    with open(TICKETS, "rt") as f:
        stock = json.load(f)
        if stock["left"] > 0:
            stock["left"] -= 1
            f.seek(0)
            json.dump(stock, f)
    lock.release()


if __name__ == "__main__":
    with open(TICKETS, "w") as f:
        json.dump({"left": 5}, f)
    lock = Lock()
    buyers = [Process(target=buy, args=(lock,), name=f"buyer-{i}") for i in range(1, 11)]
    for b in buyers:
        b.start()
    for b in buyers:
        b.join()
    print("done")
