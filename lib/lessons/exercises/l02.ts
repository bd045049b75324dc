import { finishes, noTraceback, outputLines, outputMatches, runCheck, startsChildren, type ExerciseSpec } from "../exercise";

const program = (body: string) => `import time
from multiprocessing import Process

def work(n):
    time.sleep(1.5 * (2 - n))
    print(f"worker {n} done")

if __name__ == "__main__":
    workers = [Process(target=work, args=(n,)) for n in range(3)]
${body}    print("all done")
`;

export const allDone: ExerciseSpec = {
  id: "02-all-done",
  lesson: "start-and-join",
  entry: "main.py",
  starter: { "main.py": program("    for w in workers:\n        w.start()\n") },
  solution: { "main.py": program("    for w in workers:\n        w.start()\n    for w in workers:\n        w.join()\n") },
  hints: [
    { en: "join() waits until a process has ended. Which processes must have ended before the last print?", zh: "join() 会等到进程结束。最后那句 print 之前，哪些进程必须已经结束？" },
    { en: "Start all three first, then join all three. Joining each right after starting it makes them run one after another.", zh: "先把三个都启动，再逐个 join。每启动一个就马上 join，它们就变成一个接一个地运行了。" },
  ],
  checks: [
    finishes(),
    noTraceback(),
    runCheck((run) => {
      const lines = outputLines(run);
      if (lines.join("\n") === "worker 0 done\nworker 1 done\nworker 2 done\nall done") {
        return {
          en: "The workers ran one after another (worker 0 first). Start all of them before joining any.",
          zh: "这些工作进程是一个接一个运行的（worker 0 最先完成）。先把它们全部启动，再去 join。",
        };
      }
      return lines.at(-1) === "all done" ? null : { en: '"all done" must be the last line: wait for the workers first.', zh: '"all done" 必须是最后一行：先等工作进程结束。' };
    }),
    // Unordered: how far apart the workers start depends on the machine; what matters is
    // that they overlap (checked above) and that "all done" comes last.
    outputMatches("worker 2 done\nworker 1 done\nworker 0 done\nall done\n", { unordered: true }),
    startsChildren(3),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": 'print("worker 2 done")\nprint("worker 1 done")\nprint("worker 0 done")\nprint("all done")\n' } },
    { why: "each worker joined right after its start", files: { "main.py": program("    for w in workers:\n        w.start()\n        w.join()\n") } },
  ],
};
