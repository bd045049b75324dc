# The ticket office of sched_tickets.py with a Lock around each buyer's read-check-write:
# whatever the interleaving, exactly one ticket is sold.
import json
import os
from multiprocessing import Lock, Process

TICKETS = "tickets.json"
SALES = "sales.txt"


def buy(name, lock):
    with lock:
        with open(TICKETS) as f:
            stock = json.load(f)
        if stock["left"] > 0:
            stock["left"] -= 1
            tmp = f"{TICKETS}.{name}"
            with open(tmp, "w") as f:
                json.dump(stock, f)
            os.replace(tmp, TICKETS)
            with open(SALES, "a") as f:
                print(name, file=f)


if __name__ == "__main__":
    with open(TICKETS, "w") as f:
        json.dump({"left": 1}, f)
    open(SALES, "w").close()
    lock = Lock()
    buyers = [Process(target=buy, args=(f"buyer-{i}", lock)) for i in range(1, 4)]
    for b in buyers:
        b.start()
    for b in buyers:
        b.join()
    with open(SALES) as f:
        sold = f.read().split()
    assert len(sold) == 1, f"{len(sold)} tickets sold, 1 existed ({', '.join(sold)})"
    print("sold", len(sold))
