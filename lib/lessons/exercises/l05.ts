import { finishes, noTraceback, outputMatches, processTree, runCheck, sourceIncludes, type ExerciseSpec } from "../exercise";

export const stopRunaway: ExerciseSpec = {
  id: "05-stop-runaway",
  lesson: "ending-a-process",
  entry: "main.py",
  starter: {
    "main.py": `import time
from multiprocessing import Process

def worker():
    while True:
        time.sleep(0.1)

if __name__ == "__main__":
    p = Process(target=worker)
    p.start()
    p.join()          # waits forever: give the worker one second instead
    print("still running after 1 s:", p.is_alive())
    # stop the worker here
    print("exitcode:", p.exitcode)
`,
  },
  solution: {
    "main.py": `import time
from multiprocessing import Process

def worker():
    while True:
        time.sleep(0.1)

if __name__ == "__main__":
    p = Process(target=worker)
    p.start()
    p.join(timeout=1)
    print("still running after 1 s:", p.is_alive())
    if p.is_alive():
        p.terminate()
        p.join()
    print("exitcode:", p.exitcode)
`,
  },
  timeoutMs: 8000,
  hints: [
    { en: "join(timeout=1) returns after at most one second, whether or not the process has ended.", zh: "join(timeout=1) 最多等一秒就返回，不管进程结束没有。" },
    { en: "terminate() sends SIGTERM; join() afterwards waits until the process is really gone, so exitcode is set.", zh: "terminate() 发送 SIGTERM；之后再 join() 一次，等进程真正退出，exitcode 才会有值。" },
  ],
  checks: [
    sourceIncludes(/\.join\(\s*(timeout\s*=\s*)?1(\.0)?\s*\)/, {
      en: "Wait with a timeout of one second: p.join(timeout=1) (or p.join(1)).",
      zh: "用一秒的超时来等待：p.join(timeout=1)（或 p.join(1)）。",
    }),
    finishes({ en: "Your program never finished: a join() without a timeout waits for the worker forever.", zh: "你的程序一直没结束：不带超时的 join() 会永远等待这个工作进程。" }),
    noTraceback(),
    runCheck((run) =>
      run.output.includes("exitcode: -9")
        ? { en: "exitcode -9 means SIGKILL: that is kill(). Use terminate(), which sends SIGTERM (-15).", zh: "exitcode 为 -9 表示 SIGKILL，那是 kill()。请用 terminate()，它发送的是 SIGTERM（-15）。" }
        : run.output.includes("exitcode: None")
          ? { en: "exitcode is still None: join() the process after terminating it, so its end is recorded.", zh: "exitcode 仍是 None：终止之后还要再 join() 一次，进程的结束才会被记录下来。" }
          : null,
    ),
    outputMatches("still running after 1 s: True\nexitcode: -15\n"),
    runCheck((run) => {
      // The kernel's record, not the printout: the worker ended by SIGTERM.
      const tree = processTree(run);
      const code = tree.children.length === 1 ? tree.exitCodes.get(tree.children[0]) : undefined;
      return code === -15
        ? null
        : { en: "Start one worker and end it with terminate(): the kernel should record its death by SIGTERM (exit code -15).", zh: "启动一个工作进程，并用 terminate() 结束它：内核应当记录它死于 SIGTERM（退出码 -15）。" };
    }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": '# .join(timeout=1)\nprint("still running after 1 s: True")\nprint("exitcode: -15")\n' } },
    {
      why: "kill() instead of terminate()",
      files: {
        "main.py": 'import time\nfrom multiprocessing import Process\n\ndef worker():\n    while True:\n        time.sleep(0.1)\n\nif __name__ == "__main__":\n    p = Process(target=worker)\n    p.start()\n    p.join(timeout=1)\n    print("still running after 1 s:", p.is_alive())\n    p.kill()\n    p.join()\n    print("exitcode:", p.exitcode)\n',
      },
    },
  ],
};
