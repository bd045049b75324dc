# Three buyers and one ticket in a JSON file, no lock: read, check, write back. Some
# interleavings sell the ticket more than once (an oversell).
import json
import multiprocessing as mp


def buy(name):
    with open("tickets.json") as f:
        left = json.load(f)["left"]
    if left > 0:
        with open("tickets.json", "w") as f:
            json.dump({"left": left - 1}, f)
        print(name, "bought a ticket")


if __name__ == "__main__":
    with open("tickets.json", "w") as f:
        json.dump({"left": 1}, f)
    buyers = [mp.Process(target=buy, args=("buyer-%d" % i,)) for i in (1, 2, 3)]
    for b in buyers:
        b.start()
    for b in buyers:
        b.join()
