import { finishes, noTraceback, outputLines, processTree, runCheck, seededRandom, sourceIncludes, type ExerciseSpec } from "../exercise";

/** Four to seven numbers in 1..50, different on every run, so the printout cannot be typed in. */
const numbersFor = (runIndex: number, seed: number): number[] => {
  const rnd = seededRandom(seed + runIndex * 104729);
  return Array.from({ length: 4 + Math.floor(rnd() * 4) }, () => 1 + Math.floor(rnd() * 50));
};

const program = (child: string, parent: string) => `import json
from multiprocessing import Pipe, Process

def squarer(conn):
${child}
if __name__ == "__main__":
    with open("data/numbers.json") as f:
        numbers = json.load(f)
    mine, theirs = Pipe()
    p = Process(target=squarer, args=(theirs,))
    p.start()
    answers = []
${parent}    p.join()
    print("squares:", answers)
`;

const CHILD = `    while True:
        n = conn.recv()
        if n is None:
            break
        conn.send(n * n)
`;

const NUMBERS = "[1, 2, 3, 4, 5]\n";

export const pipeSquares: ExerciseSpec = {
  id: "11-pipe-squares",
  lesson: "queues-and-pipes",
  entry: "main.py",
  starter: {
    "main.py": program("    # receive numbers until None; answer each one with its square\n    pass\n", "    # send each number, collect the answers, then send None\n"),
    "data/numbers.json": NUMBERS,
  },
  solution: {
    "main.py": program(CHILD, "    for n in numbers:\n        mine.send(n)\n        answers.append(mine.recv())\n    mine.send(None)\n"),
    "data/numbers.json": NUMBERS,
  },
  runs: 2,
  inputs: (runIndex, seed) => ({ "data/numbers.json": `${JSON.stringify(numbersFor(runIndex, seed))}\n` }),
  hints: [
    { en: "In the child: loop, n = conn.recv(), stop on None, otherwise conn.send(n * n).", zh: "子进程里：循环执行 n = conn.recv()，收到 None 就停，否则 conn.send(n * n)。" },
    { en: "In the parent: for each n, mine.send(n) then answers.append(mine.recv()). Send None before join().", zh: "父进程里：对每个 n，先 mine.send(n)，再 answers.append(mine.recv())。join() 之前记得发送 None。" },
  ],
  checks: [
    sourceIncludes(/\.send\(/, { en: "Send the numbers over the pipe with send().", zh: "用 send() 把数字通过管道发出去。" }),
    finishes({ en: "Your program never finished. Does the child stop when it receives None, and does the parent send it?", zh: "你的程序一直没结束。子进程收到 None 时会停下吗？父进程发送 None 了吗？" }),
    noTraceback(),
    runCheck((run, { inputs }) => {
      const numbers = JSON.parse(inputs["data/numbers.json"] ?? "[]") as number[];
      const want = `squares: [${numbers.map((n) => n * n).join(", ")}]`;
      const got = outputLines(run).at(-1) ?? "";
      return got === want
        ? null
        : {
            en: `This run's data/numbers.json holds ${JSON.stringify(numbers)}, so the last line should be "${want}", not "${got}".`,
            zh: `这一次 data/numbers.json 里是 ${JSON.stringify(numbers)}，最后一行应当是 "${want}"，而不是 "${got}"。`,
          };
    }),
    runCheck((run) => {
      const tree = processTree(run);
      return tree.children.length === 1 && tree.exitCodes.get(tree.children[0]) === 0
        ? null
        : { en: "The squares must come from one child process that ends normally (exit code 0).", zh: "平方数必须由一个正常结束（退出码 0）的子进程算出来。" };
    }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": 'print("squares: [1, 4, 9, 16, 25]")\n', "data/numbers.json": NUMBERS } },
    {
      why: "the answers collected after all the sends, with join() before None",
      files: {
        "main.py": program(CHILD, "    for n in numbers:\n        mine.send(n)\n    p.join()\n    answers = [mine.recv() for _ in numbers]\n    mine.send(None)\n"),
        "data/numbers.json": NUMBERS,
      },
    },
    { why: "None never sent (the child waits forever)", files: { "main.py": program(CHILD, "    for n in numbers:\n        mine.send(n)\n        answers.append(mine.recv())\n"), "data/numbers.json": NUMBERS } },
  ],
};
