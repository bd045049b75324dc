import { finishes, noTraceback, outputMatches, sourceExcludes, sourceIncludes, type ExerciseSpec } from "../exercise";

// One process on purpose: the exercise is about the queue's limits and exceptions, and a
// child's start-up time would make a get(timeout=…) exercise depend on the machine's speed.
export const drain: ExerciseSpec = {
  id: "10-drain",
  lesson: "queues",
  entry: "main.py",
  starter: {
    "main.py": `import queue
from multiprocessing import Queue

if __name__ == "__main__":
    q = Queue(maxsize=3)
    rejected = []
    # put 1 to 5 with q.put_nowait(n); collect the numbers that raise queue.Full
    got = []
    # take everything out with q.get(timeout=1) until it raises queue.Empty
    print("rejected:", rejected)
    print("got:", got)
`,
  },
  solution: {
    "main.py": `import queue
from multiprocessing import Queue

if __name__ == "__main__":
    q = Queue(maxsize=3)
    rejected = []
    for n in range(1, 6):
        try:
            q.put_nowait(n)
        except queue.Full:
            rejected.append(n)
    got = []
    while True:
        try:
            got.append(q.get(timeout=1))
        except queue.Empty:
            break
    print("rejected:", rejected)
    print("got:", got)
`,
  },
  hints: [
    { en: "Wrap each put_nowait in try/except queue.Full, and each get in try/except queue.Empty.", zh: "每次 put_nowait 都包在 try/except queue.Full 里，每次 get 都包在 try/except queue.Empty 里。" },
    { en: "For the second part: loop forever and break in the except queue.Empty: branch.", zh: "第二部分：写一个无限循环，在 except queue.Empty: 分支里 break。" },
  ],
  checks: [
    sourceExcludes(/\.(empty|qsize|full)\(/, {
      en: "Don't ask the queue whether it is empty or full: try, and catch queue.Full / queue.Empty.",
      zh: "别去问队列是空是满：直接尝试，再捕获 queue.Full / queue.Empty。",
    }),
    sourceIncludes(/\.put_nowait\(/, { en: "Use q.put_nowait(n).", zh: "请使用 q.put_nowait(n)。" }),
    sourceIncludes(/\.get\(\s*(block\s*=\s*True\s*,\s*)?timeout\s*=|\.get\(\s*True\s*,/, { en: "Use q.get(timeout=1).", zh: "请使用 q.get(timeout=1)。" }),
    finishes(),
    noTraceback(),
    outputMatches("rejected: [4, 5]\ngot: [1, 2, 3]\n"),
  ],
};
