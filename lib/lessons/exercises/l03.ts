import { finishes, noTraceback, outputMatches, startsChildren, type ExerciseSpec } from "../exercise";

export const mainGuard: ExerciseSpec = {
  id: "03-main-guard",
  lesson: "memory-isolation",
  entry: "main.py",
  starter: {
    "main.py": `from multiprocessing import Process

def greet(name):
    print(f"hello, {name}")

print("starting a child")
p = Process(target=greet, args=("Ada",))
p.start()
p.join()
print("done")
`,
  },
  solution: {
    "main.py": `from multiprocessing import Process

def greet(name):
    print(f"hello, {name}")

if __name__ == "__main__":
    print("starting a child")
    p = Process(target=greet, args=("Ada",))
    p.start()
    p.join()
    print("done")
`,
  },
  hints: [
    {
      en: "Under spawn the child imports your file. Every top-level statement runs again in the child, including p.start().",
      zh: "在 spawn 方式下，子进程会导入你的文件，顶层的每一条语句都会在子进程里再执行一遍，包括 p.start()。",
    },
    {
      en: 'Keep greet at the top level (the child needs it) and move everything else under if __name__ == "__main__":.',
      zh: '把 greet 留在顶层（子进程要用它），其余代码都挪到 if __name__ == "__main__": 下面。',
    },
  ],
  checks: [
    finishes(),
    noTraceback((line) =>
      line.startsWith("RuntimeError")
        ? {
            en: "The child re-ran your module and tried to start a process while bootstrapping (RuntimeError). Put the start-up code under the main guard.",
            zh: "子进程重新执行了你的模块，并在启动阶段试图再启动一个进程（RuntimeError）。把启动代码放到 main 保护下面。",
          }
        : null,
    ),
    outputMatches("starting a child\nhello, Ada\ndone\n"),
    startsChildren(1),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": 'print("starting a child")\nprint("hello, Ada")\nprint("done")\n' } },
    {
      why: "the guard around the prints only",
      files: {
        "main.py": 'from multiprocessing import Process\n\ndef greet(name):\n    print(f"hello, {name}")\n\nif __name__ == "__main__":\n    print("starting a child")\np = Process(target=greet, args=("Ada",))\np.start()\np.join()\nif __name__ == "__main__":\n    print("done")\n',
      },
    },
  ],
};
