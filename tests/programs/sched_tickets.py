# Three buyers, one ticket in a JSON file, and no lock: each buyer reads the stock, and if a
# ticket is left, writes the stock back one lower and records its sale. Two buyers that both
# read before either writes both sell: an oversell, which the parent's check catches. Found by
# schedule search on plain code, with no Barrier or sleep to force it.
import json
import os
from multiprocessing import Process

TICKETS = "tickets.json"
SALES = "sales.txt"


def buy(name):
    with open(TICKETS) as f:
        stock = json.load(f)
    if stock["left"] > 0:
        stock["left"] -= 1
        # Written aside and renamed into place, so no buyer ever reads a half-written file.
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
    buyers = [Process(target=buy, args=(f"buyer-{i}",)) for i in range(1, 4)]
    for b in buyers:
        b.start()
    for b in buyers:
        b.join()
    with open(SALES) as f:
        sold = f.read().split()
    assert len(sold) <= 1, f"oversold: {len(sold)} tickets sold, 1 existed ({', '.join(sold)})"
    print("sold to", *sold)
