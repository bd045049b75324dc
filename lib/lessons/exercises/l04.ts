import { finishes, noTraceback, outputMatches, type ExerciseSpec } from "../exercise";

export const family: ExerciseSpec = {
  id: "04-family",
  lesson: "pids",
  entry: "main.py",
  starter: {
    "main.py": `import os
from multiprocessing import Process

def child():
    # print "child C of P": your own pid and your parent's
    pass

if __name__ == "__main__":
    # print "parent P", start the child, wait for it,
    # then print "parent saw child C" using p.pid
    pass
`,
  },
  solution: {
    "main.py": `import os
from multiprocessing import Process

def child():
    print(f"child {os.getpid()} of {os.getppid()}")

if __name__ == "__main__":
    print(f"parent {os.getpid()}")
    p = Process(target=child)
    p.start()
    p.join()
    print(f"parent saw child {p.pid}")
`,
  },
  hints: [
    { en: "os.getpid() is your own PID, os.getppid() your parent's.", zh: "os.getpid() 是自己的 PID，os.getppid() 是父进程的 PID。" },
    {
      en: "p.pid is None until p.start(); print it after join() so the child's line comes first.",
      zh: "p.start() 之前 p.pid 是 None；在 join() 之后再打印它，子进程那一行就会排在前面。",
    },
  ],
  checks: [finishes(), noTraceback(), outputMatches("parent {pid:p}\nchild {pid:c} of {pid:p}\nparent saw child {pid:c}\n")],
};
