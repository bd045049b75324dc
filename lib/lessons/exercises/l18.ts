import { finishes, noTraceback, outputLines, processTree, runCheck, seededRandom, type ExerciseSpec } from "../exercise";

const program = (body: string) => `from multiprocessing import Pool


def sum_of_squares(numbers):
    return sum(n * n for n in numbers)


if __name__ == "__main__":
    with open("data/numbers.txt") as f:
        numbers = [int(x) for x in f.read().split()]
    with open("data/processes.txt") as f:
        processes = int(f.read())
${body}`;

const SPLIT = `    parts = [numbers[i::processes] for i in range(processes)]  # one share per process
`;

const files = (main: string) => ({ "main.py": main, "data/numbers.txt": "1 2 3 4 5 6 7 8 9 10\n", "data/processes.txt": "2\n" });

export const shareTheWork: ExerciseSpec = {
  id: "18-share-the-work",
  lesson: "why-processes",
  entry: "main.py",
  starter: files(program('    # Split the numbers into `processes` shares and let a Pool of that many workers sum them.\n    print("sum of squares:", sum_of_squares(numbers))\n')),
  solution: files(program(`${SPLIT}    with Pool(processes) as pool:\n        print("sum of squares:", sum(pool.map(sum_of_squares, parts)))\n`)),
  runs: 2,
  timeoutMs: 30_000,
  // Other numbers and 2 or 3 processes per run: a printed answer or a fixed Pool(4) fails.
  inputs: (runIndex, seed) => {
    const rand = seededRandom(seed + runIndex * 6007);
    const numbers = Array.from({ length: 12 + Math.floor(rand() * 12) }, () => 1 + Math.floor(rand() * 999));
    return { "data/numbers.txt": numbers.join(" ") + "\n", "data/processes.txt": `${2 + Math.floor(rand() * 2)}\n` };
  },
  hints: [
    { en: "numbers[i::processes] takes every processes-th number starting at i: one share per process.", zh: "numbers[i::processes] 从第 i 个开始，每隔 processes 个取一个数：每个进程一份。" },
    { en: "with Pool(processes) as pool: pool.map(sum_of_squares, parts) returns one sum per share; add them up.", zh: "with Pool(processes) as pool: pool.map(sum_of_squares, parts) 为每一份返回一个和，再把它们加起来。" },
  ],
  checks: [
    finishes(),
    noTraceback(),
    runCheck((run, { runIndex, inputs }) => {
      const k = runIndex + 1;
      const numbers = (inputs["data/numbers.txt"] ?? "").split(/\s+/).filter(Boolean).map(Number);
      const processes = Number((inputs["data/processes.txt"] ?? "2").trim());
      const want = `sum of squares: ${numbers.reduce((a, n) => a + n * n, 0)}`;
      if (!outputLines(run).includes(want)) {
        return { en: `Run ${k}: for this run's data/numbers.txt the program should print "${want}".`, zh: `第 ${k} 次运行：对这一次的 data/numbers.txt，程序应当打印 "${want}"。` };
      }
      const children = processTree(run).children.length;
      if (children !== processes) {
        return {
          en: `Run ${k}: data/processes.txt says ${processes}, but the program started ${children} process(es). Share the work among exactly that many.`,
          zh: `第 ${k} 次运行：data/processes.txt 里是 ${processes}，程序却启动了 ${children} 个进程。请把工作恰好分给这么多个进程。`,
        };
      }
      return null;
    }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: files('print("sum of squares: 385")\n') },
    { why: "the sum computed in the parent, no processes", files: files(program('    print("sum of squares:", sum_of_squares(numbers))\n')) },
    { why: "a Pool of 4 whatever the file says", files: files(program(`${SPLIT}    with Pool(4) as pool:\n        print("sum of squares:", sum(pool.map(sum_of_squares, parts)))\n`)) },
  ],
};
