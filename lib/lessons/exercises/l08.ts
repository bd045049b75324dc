import { finishes, noTraceback, outputMatches, type ExerciseSpec } from "../exercise";

export const daemon: ExerciseSpec = {
  id: "08-daemon",
  lesson: "daemons",
  entry: "main.py",
  starter: {
    "main.py": `import time
from multiprocessing import Process

def monitor():
    while True:
        time.sleep(0.2)

if __name__ == "__main__":
    Process(target=monitor).start()
    time.sleep(0.5)
    print("report: all systems normal")
`,
  },
  solution: {
    "main.py": `import time
from multiprocessing import Process

def monitor():
    while True:
        time.sleep(0.2)

if __name__ == "__main__":
    Process(target=monitor, daemon=True).start()
    time.sleep(0.5)
    print("report: all systems normal")
`,
  },
  timeoutMs: 6000,
  hints: [
    { en: "At exit, the interpreter joins every non-daemonic child. The monitor never ends, so neither does the program.", zh: "退出时，解释器会 join 每一个非守护子进程。监控进程永不结束，程序也就永不结束。" },
    { en: "Process(target=monitor, daemon=True)", zh: "Process(target=monitor, daemon=True)" },
  ],
  checks: [
    finishes({
      en: "The program printed its report but never ended: at exit, Python waits for every child that is not a daemon.",
      zh: "程序打印了报告却没有结束：退出时，Python 会等待每一个非守护子进程。",
    }),
    noTraceback(),
    outputMatches("report: all systems normal\n"),
  ],
};
