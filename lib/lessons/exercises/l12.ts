import { noTraceback, outputLines, processTree, runCheck, seededRandom, type ExerciseSpec } from "../exercise";

/** Four to eight distinct order numbers, different on every run. */
const ordersFor = (runIndex: number, seed: number): number[] => {
  const rnd = seededRandom(seed + runIndex * 15485863);
  const count = 4 + Math.floor(rnd() * 5);
  const orders = new Set<number>();
  while (orders.size < count) orders.add(100 + Math.floor(rnd() * 900));
  return [...orders];
};

const program = (done: string, daemon: string) => `import json
from multiprocessing import JoinableQueue, Process

def packer(orders):
    while True:
        order = orders.get()
        print("packed order", order)
${done}
if __name__ == "__main__":
    with open("data/orders.json") as f:
        numbers = json.load(f)
    orders = JoinableQueue()
    for _ in range(2):
        Process(target=packer, args=(orders,)${daemon}).start()
    for n in numbers:
        orders.put(n)
    orders.join()
    print("all orders packed")
`;

const ORDERS = "[1, 2, 3, 4, 5]\n";

export const packers: ExerciseSpec = {
  id: "12-packers",
  lesson: "producer-consumer",
  entry: "main.py",
  starter: { "main.py": program("", ""), "data/orders.json": ORDERS },
  solution: { "main.py": program("        orders.task_done()\n", ", daemon=True"), "data/orders.json": ORDERS },
  runs: 2,
  inputs: (runIndex, seed) => ({ "data/orders.json": `${JSON.stringify(ordersFor(runIndex, seed))}\n` }),
  timeoutMs: 20_000,
  hints: [
    { en: "orders.join() waits until task_done() has been called once for every order that was put.", zh: "orders.join() 会一直等到每张放进去的订单都调用过一次 task_done()。" },
    { en: "Even then, the packers loop forever; the interpreter waits for them at exit unless they are daemons.", zh: "即便如此，打包工也在无限循环；除非它们是守护进程，否则解释器退出时会一直等它们。" },
  ],
  checks: [
    runCheck((run) => {
      if (!run.timedOut && !run.deadlock) return null;
      return run.output.includes("all orders packed")
        ? { en: "All orders were packed, but the program never ended: at exit Python waits for the packers. Make them daemons.", zh: "订单都打包完了，程序却没有结束：退出时 Python 在等打包工。把它们设成守护进程。" }
        : { en: "orders.join() never returned: each packer must call orders.task_done() once per order.", zh: "orders.join() 一直没有返回：打包工每处理完一张订单，都要调用一次 orders.task_done()。" };
    }),
    noTraceback(),
    runCheck((run, { inputs }) => {
      const want = JSON.parse(inputs["data/orders.json"] ?? "[]") as number[];
      const lines = outputLines(run);
      const packed = lines.filter((l) => /^packed order \d+$/.test(l)).map((l) => Number(l.split(" ")[2]));
      const same = packed.length === want.length && [...packed].sort((a, b) => a - b).join() === [...want].sort((a, b) => a - b).join();
      if (!same) {
        return {
          en: `This run's data/orders.json holds ${JSON.stringify(want)}: each must be packed exactly once (found ${JSON.stringify(packed)}).`,
          zh: `这一次 data/orders.json 里是 ${JSON.stringify(want)}：每张订单都必须恰好打包一次（实际是 ${JSON.stringify(packed)}）。`,
        };
      }
      if (lines.at(-1) !== "all orders packed") return { en: 'The last line must be "all orders packed".', zh: '最后一行必须是 "all orders packed"。' };
      return null;
    }),
    runCheck((run) => {
      const tree = processTree(run);
      return tree.children.length === 2 ? null : { en: "Keep the two packer processes: the orders must be packed by them.", zh: "保留两个打包工进程：订单必须由它们来打包。" };
    }),
  ],
  wrong: [
    { why: "a hard-coded printout", files: { "main.py": 'for n in range(1, 6):\n    print("packed order", n)\nprint("all orders packed")\n', "data/orders.json": ORDERS } },
    { why: "daemon packers without task_done() (orders.join() never returns)", files: { "main.py": program("", ", daemon=True"), "data/orders.json": ORDERS } },
    { why: "task_done() without daemons (the program never exits)", files: { "main.py": program("        orders.task_done()\n", ""), "data/orders.json": ORDERS } },
  ],
};
