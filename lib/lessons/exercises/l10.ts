import { finishes, noTraceback, outputMatches, sourceExcludes, sourceIncludes, type ExerciseSpec } from "../exercise";

export const drain: ExerciseSpec = {
  id: "10-drain",
  lesson: "queues",
  entry: "main.py",
  starter: {
    "main.py": `import queue
from multiprocessing import Process, Queue

def speaker(q):
    for word in "processes do not share memory".split():
        q.put(word)

if __name__ == "__main__":
    q = Queue()
    p = Process(target=speaker, args=(q,))
    p.start()
    words = []
    # collect words with q.get(timeout=1) until it raises queue.Empty
    p.join()
    print(" ".join(words))
`,
  },
  solution: {
    "main.py": `import queue
from multiprocessing import Process, Queue

def speaker(q):
    for word in "processes do not share memory".split():
        q.put(word)

if __name__ == "__main__":
    q = Queue()
    p = Process(target=speaker, args=(q,))
    p.start()
    words = []
    while True:
        try:
            words.append(q.get(timeout=1))
        except queue.Empty:
            break
    p.join()
    print(" ".join(words))
`,
  },
  hints: [
    { en: "Loop forever and leave the loop in an except queue.Empty: branch.", zh: "写一个无限循环，在 except queue.Empty: 分支里跳出。" },
    { en: "q.get(timeout=1) waits up to a second for the next word; when the speaker is done, it raises queue.Empty.", zh: "q.get(timeout=1) 最多等一秒取下一个词；说话的进程结束后，它就会抛出 queue.Empty。" },
  ],
  checks: [
    sourceExcludes(/\.(empty|qsize)\(/, { en: "Don't ask the queue whether it is empty: try get(timeout=1) and catch queue.Empty.", zh: "别去问队列是不是空的：尝试 get(timeout=1)，再捕获 queue.Empty。" }),
    sourceIncludes(/\.get\(\s*(block\s*=\s*True\s*,\s*)?timeout\s*=|\.get\(\s*True\s*,/, { en: "Use q.get(timeout=1).", zh: "请使用 q.get(timeout=1)。" }),
    finishes(),
    noTraceback(),
    outputMatches("processes do not share memory\n"),
  ],
};
