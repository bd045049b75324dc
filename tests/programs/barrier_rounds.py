"""Three processes pass one Barrier twenty times; each round's wait() indices are 0, 1, 2 once
each, and n_waiting / broken read outside the lock stay right. (Relay mode keeps the Barrier's
state words for the time its lock is held: lib/runtime/relay.test.ts.)"""
from multiprocessing import Barrier, Process, Queue

ROUNDS = 20


def party(doors, q):
    for r in range(ROUNDS):
        q.put((r, doors.wait()))


if __name__ == "__main__":
    doors = Barrier(3)
    q = Queue()
    ps = [Process(target=party, args=(doors, q)) for _ in range(2)]
    for p in ps:
        p.start()
    mine = [doors.wait() for _ in range(ROUNDS)]
    theirs = [q.get() for _ in range(2 * ROUNDS)]
    for p in ps:
        p.join()
    rounds = {r: sorted([mine[r]] + [i for (k, i) in theirs if k == r]) for r in range(ROUNDS)}
    print("every round got indices 0, 1, 2:", all(v == [0, 1, 2] for v in rounds.values()))
    print("n_waiting:", doors.n_waiting, "broken:", doors.broken, "parties:", doors.parties)
    doors.abort()
    print("after abort, broken:", doors.broken)
