import { finishes, noTraceback, outputMatches, sourceExcludes, type ExerciseSpec } from "../exercise";

const program = (bobLocks: string) => `import time
from multiprocessing import Barrier, Lock, Process

def transfer(name, first, second, start):
    start.wait()                  # both clerks begin at the same moment
    with first:
        time.sleep(0.5)           # long enough for the other clerk to take a lock
        with second:
            print(f"{name}: transferred")

if __name__ == "__main__":
    a, b = Lock(), Lock()
    start = Barrier(2)
    alice = Process(target=transfer, args=("alice", a, b, start))
    bob = Process(target=transfer, args=("bob", ${bobLocks}, start))
    for p in (alice, bob):
        p.start()
    for p in (alice, bob):
        p.join()
`;

export const deadlock: ExerciseSpec = {
  id: "14-deadlock",
  lesson: "beyond-the-basics",
  entry: "main.py",
  starter: { "main.py": program("b, a") },
  solution: { "main.py": program("a, b") },
  timeoutMs: 8000,
  hints: [
    { en: "Alice holds A and wants B; Bob holds B and wants A. Neither will ever let go.", zh: "Alice 拿着 A 想要 B，Bob 拿着 B 想要 A，谁也不会先松手。" },
    { en: "Make both clerks take the locks in the same order: A first, then B.", zh: "让两位柜员按同一顺序加锁：先 A，后 B。" },
  ],
  checks: [
    sourceExcludes(/timeout/, { en: "Fix the lock order instead of adding timeouts.", zh: "请修正加锁顺序，而不是加超时。" }),
    finishes({ en: "Deadlock: after several seconds Alice and Bob are still each waiting for the lock the other holds.", zh: "死锁了：过了好几秒，Alice 和 Bob 仍在各自等待对方手里的锁。" }),
    noTraceback(),
    outputMatches("alice: transferred\nbob: transferred\n", { unordered: true }),
  ],
};
