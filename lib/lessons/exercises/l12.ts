import { noTraceback, outputLines, runCheck, type ExerciseSpec } from "../exercise";

export const packers: ExerciseSpec = {
  id: "12-packers",
  lesson: "producer-consumer",
  entry: "main.py",
  starter: {
    "main.py": `from multiprocessing import JoinableQueue, Process

def packer(orders):
    while True:
        order = orders.get()
        print("packed order", order)

if __name__ == "__main__":
    orders = JoinableQueue()
    for _ in range(2):
        Process(target=packer, args=(orders,)).start()
    for n in range(1, 6):
        orders.put(n)
    orders.join()
    print("all orders packed")
`,
  },
  solution: {
    "main.py": `from multiprocessing import JoinableQueue, Process

def packer(orders):
    while True:
        order = orders.get()
        print("packed order", order)
        orders.task_done()

if __name__ == "__main__":
    orders = JoinableQueue()
    for _ in range(2):
        Process(target=packer, args=(orders,), daemon=True).start()
    for n in range(1, 6):
        orders.put(n)
    orders.join()
    print("all orders packed")
`,
  },
  timeoutMs: 8000,
  hints: [
    { en: "orders.join() waits until task_done() has been called once for every order that was put.", zh: "orders.join() 会一直等到每张放进去的订单都调用过一次 task_done()。" },
    { en: "Even then, the packers loop forever; the interpreter waits for them at exit unless they are daemons.", zh: "即便如此，打包工也在无限循环；除非它们是守护进程，否则解释器退出时会一直等它们。" },
  ],
  checks: [
    runCheck((run) => {
      if (!run.timedOut) return null;
      return run.output.includes("all orders packed")
        ? { en: "All orders were packed, but the program never ended: at exit Python waits for the packers. Make them daemons.", zh: "订单都打包完了，程序却没有结束：退出时 Python 在等打包工。把它们设成守护进程。" }
        : { en: "orders.join() never returned: each packer must call orders.task_done() once per order.", zh: "orders.join() 一直没有返回：打包工每处理完一张订单，都要调用一次 orders.task_done()。" };
    }),
    noTraceback(),
    runCheck((run) => {
      const lines = outputLines(run);
      const packed = lines.filter((l) => /^packed order \d+$/.test(l)).map((l) => Number(l.split(" ")[2]));
      if (packed.length !== 5 || new Set(packed).size !== 5) {
        return { en: `Expected 5 different "packed order N" lines, found ${packed.length}.`, zh: `应当有 5 行不同的 "packed order N"，实际有 ${packed.length} 行。` };
      }
      if (lines.at(-1) !== "all orders packed") {
        return { en: 'The last line must be "all orders packed".', zh: '最后一行必须是 "all orders packed"。' };
      }
      return null;
    }),
  ],
};
