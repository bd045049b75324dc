import { finishes, noTraceback, outputMatches, processTree, runCheck, sourceExcludes, sourceIncludes, type ExerciseSpec } from "../exercise";

const program = (bobLocks: string, inner = "        with second:\n            print(f\"{name}: transferred\")\n") => `import time
from multiprocessing import Barrier, Lock, Process

def transfer(name, first, second, start):
    start.wait()                  # both clerks begin at the same moment
    with first:
        time.sleep(0.5)           # long enough for the other clerk to take a lock
${inner}
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
  timeoutMs: 20_000,
  hints: [
    { en: "Alice holds A and wants B; Bob holds B and wants A. Neither will ever let go.", zh: "Alice 拿着 A 想要 B，Bob 拿着 B 想要 A，谁也不会先松手。" },
    { en: "Make both clerks take the locks in the same order: A first, then B.", zh: "让两位柜员按同一顺序加锁：先 A，后 B。" },
  ],
  checks: [
    sourceExcludes(/timeout/, { en: "Fix the lock order instead of adding timeouts.", zh: "请修正加锁顺序，而不是加超时。" }),
    // The lesson's point is the construct: a transfer holds both locks, taken in one order.
    sourceIncludes(/with\s+second\s*:/, { en: "A transfer must hold both locks: keep `with second:` inside `with first:`.", zh: "一次转账必须同时持有两把锁：在 `with first:` 里面保留 `with second:`。" }),
    finishes({ en: "Deadlock: Alice and Bob are each waiting for the lock the other holds.", zh: "死锁了：Alice 和 Bob 各自在等对方手里的锁。" }),
    noTraceback(),
    outputMatches("alice: transferred\nbob: transferred\n", { unordered: true }),
    runCheck((run) => {
      const tree = processTree(run);
      const ok = tree.children.length === 2 && tree.children.every((pid) => tree.exitCodes.get(pid) === 0);
      return ok ? null : { en: "Both transfers must run in their own process and end normally.", zh: "两笔转账都必须在各自的进程里运行，并正常结束。" };
    }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": 'print("alice: transferred")\nprint("bob: transferred")\n' } },
    { why: "the inner with second: removed", files: { "main.py": program("b, a", '        print(f"{name}: transferred")\n') } },
    { why: "the starter's opposite lock order", files: { "main.py": program("b, a") } },
  ],
};
