import { finishes, noTraceback, outputLines, processTree, runCheck, seededRandom, type ExerciseSpec } from "../exercise";

const NAMES = ["ana", "bo", "cai", "dev", "eli", "fay"];

/** The tally program; `store` is where a worker leaves its count, `setup` what the main block makes for it. */
const program = (head: string, worker: string, setup: string, args: string, read: string) => `from collections import Counter
from multiprocessing import Manager, Process
${head}

def count(share, ${args}index):
${worker}

if __name__ == "__main__":
    with open("data/votes.txt") as f:
        votes = f.read().split()
    with Manager() as manager:
${setup}        shares = [votes[i::3] for i in range(3)]
        procs = [Process(target=count, args=(share, ${args}i)) for i, share in enumerate(shares)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        total = sum(${read}.values(), Counter())
    for name, n in sorted(total.items()):
        print(f"{name}: {n}")
`;

const STARTER = program("\nresults = {}  # each worker's count, by share\n", "    results[index] = Counter(share)\n", "", "", "results");
const SOLUTION = program("", "    results[index] = Counter(share)  # a message to the manager's process\n", "        results = manager.dict()\n", "results, ", "results");

const files = (main: string) => ({ "main.py": main, "data/votes.txt": "ana bo ana cai bo ana\n" });

export const tally: ExerciseSpec = {
  id: "19-tally",
  lesson: "sharing-state",
  entry: "main.py",
  starter: files(STARTER),
  solution: files(SOLUTION),
  runs: 2,
  timeoutMs: 30_000,
  // Other votes every run: a printed tally fails.
  inputs: (runIndex, seed) => {
    const rand = seededRandom(seed + runIndex * 5003);
    const votes = Array.from({ length: 15 + Math.floor(rand() * 15) }, () => NAMES[Math.floor(rand() * NAMES.length)]);
    return { "data/votes.txt": votes.join(" ") + "\n" };
  },
  hints: [
    { en: "Each worker has its own copy of the module's results dict: the parent's stays empty.", zh: "每个工作进程都有模块里 results 字典的一份自己的副本：父进程的那份始终是空的。" },
    { en: "Make results = manager.dict() in the main block and pass it to every worker as an argument.", zh: "在 main 代码块里创建 results = manager.dict()，并作为参数传给每个工作进程。" },
  ],
  checks: [
    finishes(),
    noTraceback(),
    runCheck((run, { runIndex, inputs }) => {
      const k = runIndex + 1;
      const counts = new Map<string, number>();
      for (const v of (inputs["data/votes.txt"] ?? "").split(/\s+/).filter(Boolean)) counts.set(v, (counts.get(v) ?? 0) + 1);
      const want = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, n]) => `${name}: ${n}`);
      const got = outputLines(run);
      if (got.join("\n") !== want.join("\n")) {
        return {
          en: `Run ${k}: for this run's votes the tally should be:\n${want.join("\n")}\nIt printed ${got.length ? `:\n${got.join("\n")}` : "nothing"}.`,
          zh: `第 ${k} 次运行：按这一次的选票，计票结果应当是：\n${want.join("\n")}\n程序打印的是${got.length ? `：\n${got.join("\n")}` : "空的"}。`,
        };
      }
      if (processTree(run).children.length < 3) return { en: `Run ${k}: let three worker processes count a share each.`, zh: `第 ${k} 次运行：让三个工作进程各数一份。` };
      return null;
    }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: files('print("ana: 3")\nprint("bo: 2")\nprint("cai: 1")\n') },
    {
      why: "the parent counts alone",
      files: files('from collections import Counter\n\nwith open("data/votes.txt") as f:\n    votes = f.read().split()\nfor name, n in sorted(Counter(votes).items()):\n    print(f"{name}: {n}")\n'),
    },
    { why: "a plain dict that each worker fills in its own memory", files: files(STARTER) },
  ],
};
