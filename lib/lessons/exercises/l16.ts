import { finishes, noTraceback, outputLines, processTree, runCheck, seededRandom, sourceIncludes, type ExerciseSpec } from "../exercise";

/** The dinner for n guests; `forks` is the expression of the two forks guest i takes, in order. */
const dinner = (forks: string, extra = "") => `import time
from multiprocessing import Barrier, Lock, Process


def dine(name, first, second, table):
    table.wait()  # everyone sits down at the same moment
    with first:
        time.sleep(0.5)  # thinks, holding one fork
        with second:
            print(f"{name} eats")


if __name__ == "__main__":
    with open("data/guests.txt") as f:
        n = int(f.read())
    forks = [Lock() for _ in range(n)]
    table = Barrier(n)
    philosophers = []
    for i in range(n):
${extra}        philosophers.append(Process(target=dine, args=(f"phil-{i + 1}", ${forks}, table)))
    for p in philosophers:
        p.start()
    for p in philosophers:
        p.join()
    print("everyone has eaten")
`;

const files = (main: string) => ({ "main.py": main, "data/guests.txt": "3\n" });

export const philosophers: ExerciseSpec = {
  id: "16-philosophers",
  lesson: "conditions-and-semaphores",
  entry: "main.py",
  starter: files(dinner("forks[i], forks[(i + 1) % n]")),
  solution: files(dinner("forks[low], forks[high]", "        low, high = sorted((i, (i + 1) % n))  # the lower-numbered fork first\n")),
  runs: 2,
  timeoutMs: 20_000,
  // 3 to 6 guests per run, so a printout of three meals fails.
  inputs: (runIndex, seed) => ({ "data/guests.txt": `${3 + Math.floor(seededRandom(seed + runIndex * 4099)() * 4)}\n` }),
  hints: [
    {
      en: "Everyone holds the fork on their left and waits for the one on their right: a cycle. Break the cycle, not the table.",
      zh: "每个人都拿着左手的叉子，等着右手的那把：这是一个环。要打破的是这个环，而不是餐桌。",
    },
    {
      en: "Number the forks and let every philosopher take the lower-numbered of their two forks first.",
      zh: "给叉子编号，让每位哲学家先拿自己两把叉子里编号较小的那一把。",
    },
  ],
  checks: [
    // The Barrier and the sleep make the deadlock happen every run; removing them only hides it.
    sourceIncludes(/table\.wait\(\)/, { en: "Keep table.wait(): without it the deadlock still exists, it just shows up rarely.", zh: "保留 table.wait()：去掉它，死锁依然存在，只是很少露面。" }),
    sourceIncludes(/time\.sleep\(/, { en: "Keep the philosophers' time.sleep(): hiding the deadlock is not fixing it.", zh: "保留哲学家的 time.sleep()：把死锁藏起来不等于修好了它。" }),
    finishes({
      en: "The philosophers deadlocked (or did not finish in time): each holds one fork and waits for another that is held.",
      zh: "哲学家们死锁了（或者没能按时吃完）：每个人都拿着一把叉子，等着另一把已被别人拿着的叉子。",
    }),
    noTraceback(),
    runCheck((run, { runIndex, inputs }) => {
      const n = Number((inputs["data/guests.txt"] ?? "3").trim());
      const k = runIndex + 1;
      const lines = outputLines(run);
      const want = Array.from({ length: n }, (_, i) => `phil-${i + 1} eats`);
      const ate = lines.filter((l) => l.endsWith(" eats")).sort();
      if (JSON.stringify(ate) !== JSON.stringify([...want].sort())) {
        return {
          en: `Run ${k}: data/guests.txt says ${n} guests, so phil-1 … phil-${n} should each eat once; got ${JSON.stringify(ate)}.`,
          zh: `第 ${k} 次运行：data/guests.txt 里是 ${n} 位客人，phil-1 … phil-${n} 应当各吃一次；实际是 ${JSON.stringify(ate)}。`,
        };
      }
      if (lines.at(-1) !== "everyone has eaten") return { en: `Run ${k}: the last line should be "everyone has eaten".`, zh: `第 ${k} 次运行：最后一行应当是 "everyone has eaten"。` };
      if (processTree(run).children.length !== n) return { en: `Run ${k}: each of the ${n} philosophers must be a process of its own.`, zh: `第 ${k} 次运行：${n} 位哲学家必须各是一个进程。` };
      return null;
    }),
  ],
  wrong: [
    {
      why: "a hard-coded printout",
      files: files('# table.wait() time.sleep(\nfor i in range(3):\n    print(f"phil-{i + 1} eats")\nprint("everyone has eaten")\n'),
    },
    { why: "everyone takes the right fork first (still a cycle)", files: files(dinner("forks[(i + 1) % n], forks[i]")) },
    { why: "the Barrier and the sleep deleted", files: files(dinner("forks[i], forks[(i + 1) % n]").replace("    table.wait()  # everyone sits down at the same moment\n", "").replace("        time.sleep(0.5)  # thinks, holding one fork\n", "")) },
  ],
};
