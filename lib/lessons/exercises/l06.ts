import { finishes, noTraceback, outputMatches, sourceExcludes, sourceIncludes, type ExerciseSpec } from "../exercise";

export const reap: ExerciseSpec = {
  id: "06-reap",
  lesson: "zombies",
  entry: "main.py",
  starter: {
    "main.py": `import sys
import time
from multiprocessing import Process, active_children

def child(n):
    sys.exit(n)

if __name__ == "__main__":
    kids = [Process(target=child, args=(n,)) for n in (1, 2, 3)]
    for k in kids:
        k.start()
    # keep calling active_children() until no child is alive (no join!)
    print("exit codes:", [k.exitcode for k in kids])
`,
  },
  solution: {
    "main.py": `import sys
import time
from multiprocessing import Process, active_children

def child(n):
    sys.exit(n)

if __name__ == "__main__":
    kids = [Process(target=child, args=(n,)) for n in (1, 2, 3)]
    for k in kids:
        k.start()
    while active_children():
        time.sleep(0.1)
    print("exit codes:", [k.exitcode for k in kids])
`,
  },
  hints: [
    { en: "active_children() reaps finished children and returns a list of the ones still alive.", zh: "active_children() 会回收已结束的子进程，并返回仍然活着的子进程列表。" },
    { en: "An empty list is false: while active_children(): time.sleep(0.1)", zh: "空列表为假：while active_children(): time.sleep(0.1)" },
  ],
  checks: [
    sourceExcludes(/\.join\(/, { en: "Don't use join() in this exercise: reap the children with active_children().", zh: "这个练习里不许用 join()：用 active_children() 回收子进程。" }),
    sourceIncludes(/active_children\(\)/, { en: "Call active_children() to reap the children.", zh: "调用 active_children() 来回收子进程。" }),
    finishes(),
    noTraceback(),
    outputMatches("exit codes: [1, 2, 3]\n"),
  ],
};
