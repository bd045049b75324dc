import { finishes, noTraceback, outputLines, runCheck, seededRandom, sourceExcludes, sourceIncludes, type ExerciseSpec } from "../exercise";

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
    with open("data/numbers.txt") as f:
        numbers = [int(x) for x in f.read().split()]
    q = Queue(maxsize=3)
    rejected = []
    # put each number with q.put_nowait(n); collect the numbers that raise queue.Full
    got = []
    # take everything out with q.get(timeout=1) until it raises queue.Empty
    print("rejected:", rejected)
    print("got:", got)
`,
    "data/numbers.txt": "1 2 3 4 5\n",
  },
  solution: {
    "main.py": `import queue
from multiprocessing import Queue

if __name__ == "__main__":
    with open("data/numbers.txt") as f:
        numbers = [int(x) for x in f.read().split()]
    q = Queue(maxsize=3)
    rejected = []
    for n in numbers:
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
    "data/numbers.txt": "1 2 3 4 5\n",
  },
  runs: 2,
  // Other numbers every run (4 to 7 of them): a printed answer fails.
  inputs: (runIndex, seed) => {
    const rand = seededRandom(seed + runIndex * 3001);
    const numbers = Array.from({ length: 4 + Math.floor(rand() * 4) }, () => 10 + Math.floor(rand() * 90));
    return { "data/numbers.txt": numbers.join(" ") + "\n" };
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
    runCheck((run, { runIndex, inputs }) => {
      const numbers = (inputs["data/numbers.txt"] ?? "").split(/\s+/).filter(Boolean).map(Number);
      const want = [`rejected: [${numbers.slice(3).join(", ")}]`, `got: [${numbers.slice(0, 3).join(", ")}]`];
      return outputLines(run).join("\n") === want.join("\n")
        ? null
        : { en: `Run ${runIndex + 1}: for this run's data/numbers.txt the program should print:\n${want.join("\n")}`, zh: `第 ${runIndex + 1} 次运行：对这一次的 data/numbers.txt，程序应当打印：\n${want.join("\n")}` };
    }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": '# .put_nowait( .get(timeout=1)\nprint("rejected: [4, 5]")\nprint("got: [1, 2, 3]")\n', "data/numbers.txt": "1 2 3 4 5\n" } },
    {
      why: "numbers 1 to 5 put whatever the file says",
      files: {
        "main.py": 'import queue\nfrom multiprocessing import Queue\n\nif __name__ == "__main__":\n    q = Queue(maxsize=3)\n    rejected = []\n    for n in range(1, 6):\n        try:\n            q.put_nowait(n)\n        except queue.Full:\n            rejected.append(n)\n    got = []\n    while True:\n        try:\n            got.append(q.get(timeout=1))\n        except queue.Empty:\n            break\n    print("rejected:", rejected)\n    print("got:", got)\n',
        "data/numbers.txt": "1 2 3 4 5\n",
      },
    },
  ],
};
