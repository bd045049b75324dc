import { finishes, noTraceback, outputMatches, sourceIncludes, startsChildren, type ExerciseSpec } from "../exercise";

export const subclass: ExerciseSpec = {
  id: "01-subclass",
  lesson: "what-is-a-process",
  entry: "main.py",
  starter: {
    "main.py": `from multiprocessing import Process


class Echo(Process):
    def __init__(self, word):
        self.word = word

    # define run(self): print the word, "from" and self.name


if __name__ == "__main__":
    for word in ["ping", "pong"]:
        e = Echo(word)
        e.start()
        e.join()
`,
  },
  solution: {
    "main.py": `from multiprocessing import Process


class Echo(Process):
    def __init__(self, word):
        super().__init__()
        self.word = word

    def run(self):
        print(self.word, "from", self.name)


if __name__ == "__main__":
    for word in ["ping", "pong"]:
        e = Echo(word)
        e.start()
        e.join()
`,
  },
  hints: [
    { en: "__init__ must call super().__init__() before anything else, or start() fails.", zh: "__init__ 必须先调用 super().__init__()，否则 start() 会失败。" },
    { en: "run() is what the child executes: print(self.word, \"from\", self.name)", zh: "run() 就是子进程要执行的内容：print(self.word, \"from\", self.name)" },
  ],
  checks: [
    sourceIncludes(/super\(\)\.__init__\(/, { en: "Call super().__init__() in Echo.__init__.", zh: "请在 Echo.__init__ 里调用 super().__init__()。" }),
    sourceIncludes(/def run\(self/, { en: "Override run(self): it is what the child process executes.", zh: "请重写 run(self)：这是子进程要执行的方法。" }),
    finishes(),
    noTraceback(),
    outputMatches("ping from Echo-1\npong from Echo-2\n"),
    // run() instead of start() prints the same lines from the parent: count the children.
    startsChildren(2, { en: "Each word needs a child process: call start(), not run() (run() executes in the parent).", zh: "每个词都需要一个子进程：调用 start()，不是 run()（run() 会在父进程里执行）。" }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": '# super().__init__( def run(self\nprint("ping from Echo-1")\nprint("pong from Echo-2")\n' } },
    {
      why: "run() called instead of start()",
      files: {
        "main.py": 'from multiprocessing import Process\n\nclass Echo(Process):\n    def __init__(self, word):\n        super().__init__()\n        self.word = word\n\n    def run(self):\n        print(self.word, "from", self.name)\n\nif __name__ == "__main__":\n    for word in ["ping", "pong"]:\n        e = Echo(word)\n        e.run()\n',
      },
    },
  ],
};
