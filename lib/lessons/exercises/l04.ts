import { finishes, noTraceback, outputLines, outputMatches, processTree, runCheck, type ExerciseSpec } from "../exercise";

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
  checks: [
    finishes(),
    noTraceback(),
    outputMatches("parent {pid:p}\nchild {pid:c} of {pid:p}\nparent saw child {pid:c}\n"),
    // The shape alone could be typed in by hand: the numbers must be the kernel's.
    runCheck((run) => {
      const tree = processTree(run);
      const [parent, child] = outputLines(run).map((l) => Number(/(\d+)/.exec(l)?.[1]));
      if (tree.root === null || parent !== tree.root) {
        return { en: `"parent ${parent}" is not your main process's PID (it is ${tree.root}). Print os.getpid().`, zh: `"parent ${parent}" 不是主进程的 PID（应该是 ${tree.root}）。请打印 os.getpid()。` };
      }
      if (!tree.children.includes(child)) {
        return { en: `${child} is not the PID of the child your program started. Print the child's os.getpid() and p.pid.`, zh: `${child} 不是你的程序启动的那个子进程的 PID。请打印子进程里的 os.getpid() 和 p.pid。` };
      }
      return null;
    }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": 'print("parent 100")\nprint("child 101 of 100")\nprint("parent saw child 101")\n' } },
    {
      why: "the child prints its own PID twice (os.getpid() where os.getppid() belongs)",
      files: {
        "main.py": `import os
from multiprocessing import Process

def child():
    print(f"child {os.getpid()} of {os.getpid()}")

if __name__ == "__main__":
    print(f"parent {os.getpid()}")
    p = Process(target=child)
    p.start()
    p.join()
    print(f"parent saw child {p.pid}")
`,
      },
    },
  ],
};
