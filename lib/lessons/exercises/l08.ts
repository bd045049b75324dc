import { finishes, noTraceback, outputMatches, processTree, runCheck, sourceIncludes, type ExerciseSpec } from "../exercise";

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
    sourceIncludes(/daemon\s*=\s*True/, { en: "Make the monitor a daemon: Process(target=monitor, daemon=True).", zh: "把监控进程设为守护进程：Process(target=monitor, daemon=True)。" }),
    runCheck((run) => {
      // At exit Python terminates a daemon child: the kernel records its death by SIGTERM.
      const tree = processTree(run);
      const code = tree.children.length === 1 ? tree.exitCodes.get(tree.children[0]) : undefined;
      return code === -15 ? null : { en: "Start one monitor process and let Python end it at exit (as a daemon it is terminated: exit code -15).", zh: "启动一个监控进程，让 Python 在退出时结束它（守护进程会被终止：退出码 -15）。" };
    }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": '# daemon=True\nprint("report: all systems normal")\n' } },
    {
      why: "the monitor terminated by hand instead of made a daemon",
      files: {
        "main.py": 'import time\nfrom multiprocessing import Process\n\ndef monitor():\n    while True:\n        time.sleep(0.2)\n\nif __name__ == "__main__":\n    p = Process(target=monitor)\n    p.start()\n    time.sleep(0.5)\n    print("report: all systems normal")\n    p.terminate()\n',
      },
    },
  ],
};
