import { finishes, noTraceback, outputLines, processTree, runCheck, seededRandom, sourceIncludes, type ExerciseSpec } from "../exercise";

const GROCERIES = ["apple", "bread", "cheese", "dates", "eggs", "flour", "grapes", "honey", "jam", "kale", "lemon", "milk"];

/** The program around the worker's signal handler, its first lines and its loop. */
const worker = (handler: string, setup: string, loop: string) => `import multiprocessing as mp
import signal
import time
${handler}

def worker(started):
${setup}    with open("data/items.txt") as f:
        items = f.read().split()
    started.set()
${loop}    print("worker: all saved")


if __name__ == "__main__":
    started = mp.Event()
    p = mp.Process(target=worker, args=(started,))
    p.start()
    started.wait()
    time.sleep(0.45)
    p.terminate()
    p.join()
    print("worker exit code", p.exitcode)
`;

const SAVE = `    for item in items:
        with open("data/saved.txt", "a") as out:
            out.write(item)
            time.sleep(0.3)  # saving one item takes a while
            out.write(" ok\\n")
`;

const HANDLER = `
stopping = False


def on_term(signum, frame):
    global stopping
    stopping = True
`;

const INSTALL = "    signal.signal(signal.SIGTERM, on_term)\n";

const SOLUTION = worker(
  HANDLER,
  INSTALL,
  `${SAVE}        if stopping:
            print("worker: stopped cleanly")
            return
`,
);

// Asked after the runs, so the starter first sees what SIGTERM does to it (exit code −15).
const installsHandler = sourceIncludes(/signal\.signal\(\s*signal\.SIGTERM/, {
  en: "Install a handler for SIGTERM in the worker with signal.signal.",
  zh: "在工作进程里用 signal.signal 为 SIGTERM 安装处理函数。",
});

const files = (main: string) => ({ "main.py": main, "data/items.txt": "apple\nbread\ncheese\ndates\neggs\nflour\n", "data/saved.txt": "" });

export const cleanShutdown: ExerciseSpec = {
  id: "17-clean-shutdown",
  lesson: "signals",
  entry: "main.py",
  starter: files(worker("", "", SAVE)),
  solution: files(SOLUTION),
  runs: 2,
  timeoutMs: 20_000,
  // 5 to 8 different items per run, so a printout or a file written by hand fails.
  inputs: (runIndex, seed) => {
    const rand = seededRandom(seed + runIndex * 7919);
    const pool = [...GROCERIES];
    const items: string[] = [];
    const n = 5 + Math.floor(rand() * 4);
    while (items.length < n) items.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
    return { "data/items.txt": items.join("\n") + "\n", "data/saved.txt": "" };
  },
  hints: [
    {
      en: "Without a handler, SIGTERM ends the worker at once (exit code −15), in the middle of an item, and its open file is never closed.",
      zh: "没有处理函数时，SIGTERM 会立刻结束工作进程（退出码 −15），正好停在某一项的中间，打开的文件也不会被关闭。",
    },
    {
      en: "Install a SIGTERM handler that only sets a flag; check the flag after each item, then return.",
      zh: "安装一个只设置标志的 SIGTERM 处理函数；每处理完一项就检查这个标志，然后返回。",
    },
  ],
  checks: [
    finishes(),
    noTraceback(),
    runCheck((run, { runIndex, inputs }) => {
      const n = runIndex + 1;
      const items = (inputs["data/items.txt"] ?? "").split(/\s+/).filter(Boolean);
      const tree = processTree(run);
      if (tree.children.length !== 1) return { en: `Run ${n}: start exactly one worker process.`, zh: `第 ${n} 次运行：恰好启动一个工作进程。` };
      const code = tree.exitCodes.get(tree.children[0]);
      if (code !== 0) {
        return {
          en: `Run ${n}: the worker ended with exit code ${code}. After SIGTERM it should finish its item and return normally (exit code 0).`,
          zh: `第 ${n} 次运行：工作进程的退出码是 ${code}。收到 SIGTERM 后，它应当做完手头这一项，然后正常返回（退出码 0）。`,
        };
      }
      const saved = (run.files["data/saved.txt"] ?? "").split("\n").filter((l) => l !== "");
      const half = saved.find((l) => !l.endsWith(" ok"));
      if (half !== undefined) return { en: `Run ${n}: data/saved.txt has a half-saved item: "${half}".`, zh: `第 ${n} 次运行：data/saved.txt 里有一项只存了一半："${half}"。` };
      const names = saved.map((l) => l.slice(0, -" ok".length));
      if (names.length === 0 || names.some((name, i) => name !== items[i])) {
        return {
          en: `Run ${n}: data/saved.txt should list the first items of data/items.txt in order, each followed by " ok"; it has ${JSON.stringify(saved)}.`,
          zh: `第 ${n} 次运行：data/saved.txt 应当按顺序列出 data/items.txt 的前几项，每项后面跟着 " ok"；实际是 ${JSON.stringify(saved)}。`,
        };
      }
      if (names.length === items.length) {
        return {
          en: `Run ${n}: all ${items.length} items were saved, so the worker did not stop when asked. Stop after the item in hand.`,
          zh: `第 ${n} 次运行：${items.length} 项全都存完了，说明工作进程没有在收到请求时停下。应当在做完手头这一项后停止。`,
        };
      }
      const lines = outputLines(run);
      if (!lines.includes("worker exit code 0")) return { en: `Run ${n}: the parent should print "worker exit code 0".`, zh: `第 ${n} 次运行：父进程应当打印 "worker exit code 0"。` };
      return null;
    }),
    runCheck((_run, { files }) => installsHandler.test(files)),
  ],
  wrong: [
    {
      why: "a hard-coded printout",
      files: files('import signal\n# signal.signal(signal.SIGTERM, None)\nprint("worker: stopped cleanly")\nprint("worker exit code 0")\n'),
    },
    {
      why: "SIGTERM ignored (the worker saves everything)",
      files: files(worker("", "    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n", SAVE)),
    },
    {
      why: "a handler that exits at once (the item in hand is half saved)",
      files: files(worker("\nimport sys\n\n\ndef on_term(signum, frame):\n    sys.exit(0)\n", INSTALL, SAVE)),
    },
  ],
};
