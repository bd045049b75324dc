import { extractNumbers } from "../output";
import { finishes, noTraceback, outputLines, outputMatches, processTree, runCheck, sourceIncludes, type ExerciseSpec } from "../exercise";

export const orphan: ExerciseSpec = {
  id: "07-orphan",
  lesson: "orphans",
  entry: "main.py",
  starter: {
    "main.py": `import os
import time
from multiprocessing import Event, Process

def grandchild(ready):
    print("before:", os.getppid())
    ready.set()
    # wait until your parent is gone, then print "after:" and os.getppid() again

def child(ready):
    Process(target=grandchild, args=(ready,)).start()
    ready.wait()
    # leave at once, without waiting for the grandchild

if __name__ == "__main__":
    ready = Event()
    c = Process(target=child, args=(ready,))
    c.start()
    c.join()
    time.sleep(2)
`,
  },
  solution: {
    "main.py": `import os
import time
from multiprocessing import Event, Process

def grandchild(ready):
    parent = os.getppid()
    print("before:", parent)
    ready.set()
    while os.getppid() == parent:
        time.sleep(0.05)
    print("after:", os.getppid())

def child(ready):
    Process(target=grandchild, args=(ready,)).start()
    ready.wait()
    os._exit(0)

if __name__ == "__main__":
    ready = Event()
    c = Process(target=child, args=(ready,))
    c.start()
    c.join()
    time.sleep(2)
`,
  },
  hints: [
    { en: "os._exit(0) ends the child on the spot, skipping multiprocessing's wait for its own children.", zh: "os._exit(0) 会当场结束子进程，跳过 multiprocessing 等待其子进程的那一步。" },
    { en: "In the grandchild, remember the first getppid() and loop (with a short sleep) until it changes.", zh: "在孙进程里记下第一次的 getppid()，然后循环（每次小睡一下）直到它变化。" },
  ],
  checks: [
    sourceIncludes(/os\._exit\(/, { en: "The child should leave with os._exit(0) right after the grandchild is ready.", zh: "孙进程就绪后，子进程应当立即用 os._exit(0) 离开。" }),
    finishes(),
    noTraceback(),
    outputMatches("before: {n}\nafter: {n}\n"),
    runCheck((run) => {
      const [before, after] = outputLines(run);
      const b = extractNumbers("before: {n}", before ?? "");
      const a = extractNumbers("after: {n}", after ?? "");
      if (b && a && b[0] === a[0]) {
        return { en: "Both lines show the same parent: the grandchild printed 'after' before its parent was gone.", zh: "两行显示的是同一个父进程：孙进程在父进程消失之前就打印了 after。" };
      }
      return null;
    }),
    runCheck((run) => {
      // The kernel's record: the child's child was re-parented to init, and "before" named the child.
      const tree = processTree(run);
      const adopted = run.events.some((e) => e.type === "reparent" && e.to === 1);
      const b = extractNumbers("before: {n}", outputLines(run)[0] ?? "");
      if (!adopted) return { en: "No process was orphaned: the child must leave while its own child still runs.", zh: "没有进程成为孤儿：子进程必须在它自己的子进程还在运行时离开。" };
      return b && tree.children.includes(b[0]) ? null : { en: '"before:" should print the grandchild\'s parent, the child\'s pid.', zh: '"before:" 应当打印孙进程的父进程，也就是子进程的 pid。' };
    }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": '# os._exit(\nprint("before: 3")\nprint("after: 1")\n' } },
    {
      why: "the child waits for the grandchild instead of leaving",
      files: {
        "main.py": 'import os\nimport time\nfrom multiprocessing import Event, Process\n\ndef grandchild(ready):\n    parent = os.getppid()\n    print("before:", parent)\n    ready.set()\n    time.sleep(0.5)\n    print("after:", os.getppid())\n\ndef child(ready):\n    g = Process(target=grandchild, args=(ready,))\n    g.start()\n    ready.wait()\n    g.join()\n    os._exit(0)\n\nif __name__ == "__main__":\n    ready = Event()\n    c = Process(target=child, args=(ready,))\n    c.start()\n    c.join()\n    time.sleep(2)\n',
      },
    },
  ],
};
