import { finishes, noTraceback, outputLines, processTree, runCheck, seededRandom, sourceExcludes, sourceIncludes, type ExerciseSpec } from "../exercise";

/** Three exit codes in 1..9, different on every run, so the printout cannot be typed in. */
const codesFor = (runIndex: number, seed: number): number[] => {
  const rnd = seededRandom(seed + runIndex * 7919);
  return [0, 1, 2].map(() => 1 + Math.floor(rnd() * 9));
};

const program = (wait: string) => `import json
import sys
import time
from multiprocessing import Process, active_children

def child(n):
    sys.exit(n)

if __name__ == "__main__":
    with open("data/codes.json") as f:
        codes = json.load(f)
    kids = [Process(target=child, args=(n,)) for n in codes]
    for k in kids:
        k.start()
${wait}    print("exit codes:", [k.exitcode for k in kids])
`;

export const reap: ExerciseSpec = {
  id: "06-reap",
  lesson: "zombies",
  entry: "main.py",
  starter: { "main.py": program("    # keep calling active_children() until no child is alive (no join!)\n"), "data/codes.json": "[1, 2, 3]\n" },
  solution: { "main.py": program("    while active_children():\n        time.sleep(0.1)\n"), "data/codes.json": "[1, 2, 3]\n" },
  runs: 2,
  inputs: (runIndex, seed) => ({ "data/codes.json": `${JSON.stringify(codesFor(runIndex, seed))}\n` }),
  hints: [
    { en: "active_children() reaps finished children and returns a list of the ones still alive.", zh: "active_children() 会回收已结束的子进程，并返回仍然活着的子进程列表。" },
    { en: "An empty list is false: while active_children(): time.sleep(0.1)", zh: "空列表为假：while active_children(): time.sleep(0.1)" },
  ],
  checks: [
    sourceExcludes(/\.join\(/, { en: "Don't use join() in this exercise: reap the children with active_children().", zh: "这个练习里不许用 join()：用 active_children() 回收子进程。" }),
    sourceIncludes(/active_children\(\)/, { en: "Call active_children() to reap the children.", zh: "调用 active_children() 来回收子进程。" }),
    finishes(),
    noTraceback(),
    runCheck((run, { inputs }) => {
      const codes = JSON.parse(inputs["data/codes.json"] ?? "[]") as number[];
      const want = `exit codes: [${codes.join(", ")}]`;
      const got = outputLines(run).at(-1) ?? "";
      if (got !== want) {
        return {
          en: `This run's children exit with ${JSON.stringify(codes)} (from data/codes.json), so the last line should be "${want}", not "${got}". Are the children reaped before you print?`,
          zh: `这一次的子进程以 ${JSON.stringify(codes)} 退出（来自 data/codes.json），最后一行应当是 "${want}"，而不是 "${got}"。打印之前子进程都被回收了吗？`,
        };
      }
      return null;
    }),
    // The kernel saw every child reaped by the main process (not left for the exit handler).
    runCheck((run) => {
      const tree = processTree(run);
      const unreaped = tree.children.filter((pid) => tree.reapedBy.get(pid) !== tree.root);
      if (tree.children.length !== 3 || unreaped.length > 0) {
        return { en: "The kernel did not see your main process reap three children.", zh: "内核没有看到主进程回收三个子进程。" };
      }
      return null;
    }),
  ],
  wrong: [
    {
      why: "a hard-coded printout next to one active_children() call",
      files: { "main.py": 'from multiprocessing import active_children\nactive_children()\nprint("exit codes: [1, 2, 3]")\n', "data/codes.json": "[1, 2, 3]\n" },
    },
    { why: "one active_children() call right after start() (the children are not done yet)", files: { "main.py": program("    active_children()\n"), "data/codes.json": "[1, 2, 3]\n" } },
  ],
};
