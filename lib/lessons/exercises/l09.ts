import { finishes, noTraceback, outputLines, processTree, runCheck, seededRandom, sourceIncludes, type ExerciseSpec } from "../exercise";

const TICKETS = '{"left": 2}\n';

// Asked after the runs, so the racy starter first shows what goes wrong (an oversold office),
// and only an office that behaves without a Lock hears that the lesson wants one.
const usesLock = sourceIncludes(/\bLock\(\)/, { en: "Create a Lock in the main block and pass it to every buyer.", zh: "在 main 代码块里创建一把 Lock，并传给每位顾客。" });

const STARTER = `import json
import time
from multiprocessing import Barrier, Process

TICKETS = "data/tickets.json"

def buy(name, doors):
    doors.wait()                     # everyone rushes in at once
    with open(TICKETS) as f:
        stock = json.load(f)
    if stock["left"] > 0:
        time.sleep(0.1)              # the clerk checks your ID
        stock["left"] -= 1
        with open(TICKETS, "w") as f:
            json.dump(stock, f)
        print(f"{name} got a ticket")
    else:
        print(f"{name}: sold out")

if __name__ == "__main__":
    buyers = ["Ana", "Bo", "Cai", "Dev", "Eli"]
    doors = Barrier(len(buyers))
    procs = [Process(target=buy, args=(b, doors)) for b in buyers]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    with open(TICKETS) as f:
        print("tickets left:", json.load(f)["left"])
`;

export const ticketOffice: ExerciseSpec = {
  id: "09-ticket-office",
  lesson: "locks",
  entry: "office.py",
  starter: {
    "office.py": STARTER,
    "data/tickets.json": TICKETS,
  },
  solution: {
    "office.py": `import json
import time
from multiprocessing import Barrier, Lock, Process

TICKETS = "data/tickets.json"

def buy(name, doors, lock):
    doors.wait()
    with lock:                       # one buyer at the counter at a time
        with open(TICKETS) as f:
            stock = json.load(f)
        if stock["left"] > 0:
            time.sleep(0.1)
            stock["left"] -= 1
            with open(TICKETS, "w") as f:
                json.dump(stock, f)
            print(f"{name} got a ticket")
        else:
            print(f"{name}: sold out")

if __name__ == "__main__":
    buyers = ["Ana", "Bo", "Cai", "Dev", "Eli"]
    doors = Barrier(len(buyers))
    lock = Lock()
    procs = [Process(target=buy, args=(b, doors, lock)) for b in buyers]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    with open(TICKETS) as f:
        print("tickets left:", json.load(f)["left"])
`,
    "data/tickets.json": TICKETS,
  },
  runs: 3,
  timeoutMs: 20_000,
  // 1 to 4 tickets per run, so "Ana got a ticket" typed in, or a count learnt by heart, fails.
  inputs: (runIndex, seed) => ({ "data/tickets.json": `{"left": ${1 + Math.floor(seededRandom(seed + runIndex * 31337)() * 4)}}\n` }),
  hints: [
    {
      en: "Every buyer reads the file, checks, waits, and writes. If two buyers read before either writes, both see the same ticket.",
      zh: "每位顾客都要读文件、检查、等待、再写回。如果两个人都在对方写回之前读了文件，他们看到的就是同一张票。",
    },
    {
      en: "Create one Lock in the main block, pass it to every buyer, and put the whole read-check-write inside with lock:.",
      zh: "在 main 代码块里创建一把 Lock，传给每位顾客，把完整的读取-检查-写回放进 with lock: 里。",
    },
  ],
  checks: [
    finishes(),
    noTraceback(),
    // The lesson's point is a construct: the Barrier and the ID check stay (they make the
    // race happen every run instead of rarely), and a Lock guards the counter.
    sourceIncludes(/doors\.wait\(\)/, { en: "Keep doors.wait(): without it the race still exists, it just shows up rarely.", zh: "保留 doors.wait()：去掉它，竞态依然存在，只是很少露面。" }),
    sourceIncludes(/time\.sleep\(/, { en: "Keep the clerk's time.sleep(): hiding the race is not fixing it.", zh: "保留售票员的 time.sleep()：把竞态藏起来不等于修好了它。" }),
    runCheck((run, { runIndex, inputs }) => {
      const stock = Number(/"left":\s*(\d+)/.exec(inputs["data/tickets.json"] ?? "")?.[1] ?? 2);
      const lines = outputLines(run);
      const sold = lines.filter((l) => l.endsWith(" got a ticket")).length;
      const turnedAway = lines.filter((l) => l.endsWith(": sold out")).length;
      const n = runIndex + 1;
      if (sold > stock) {
        return {
          en: `Run ${n}: ${sold} buyers got a ticket, but there were only ${stock}. The office still oversells.`,
          zh: `第 ${n} 次运行：有 ${sold} 位顾客买到了票，可总共只有 ${stock} 张。售票处仍在超卖。`,
        };
      }
      if (sold + turnedAway !== 5) {
        return {
          en: `Run ${n}: expected an answer for each of the 5 buyers ("… got a ticket" or "…: sold out"), found ${sold + turnedAway}.`,
          zh: `第 ${n} 次运行：5 位顾客每人都应得到答复（"… got a ticket" 或 "…: sold out"），实际只有 ${sold + turnedAway} 条。`,
        };
      }
      if (sold < stock) {
        return { en: `Run ${n}: only ${sold} ticket(s) sold although ${stock} were available.`, zh: `第 ${n} 次运行：明明有 ${stock} 张票，却只卖出了 ${sold} 张。` };
      }
      // The file the office leaves behind, not what it prints, is the stock.
      const left = Number(/"left":\s*(-?\d+)/.exec(run.files["data/tickets.json"] ?? "")?.[1]);
      if (left !== 0) {
        return { en: `Run ${n}: data/tickets.json should end with 0 tickets left, it says ${left}.`, zh: `第 ${n} 次运行：data/tickets.json 里最后的余票应当是 0，实际是 ${left}。` };
      }
      if (processTree(run).children.length !== 5) {
        return { en: `Run ${n}: each of the 5 buyers must be a process of its own.`, zh: `第 ${n} 次运行：5 位顾客必须各是一个进程。` };
      }
      return null;
    }),
    runCheck((_run, { files }) => usesLock.test(files)),
  ],
  // The fix must hold in every interleaving the search tries, not only in the usual one.
  search: {
    maxSchedules: 12,
    timeLimitMs: 90_000,
    judge: (output, inputs) => {
      const stock = Number(/"left":\s*(\d+)/.exec(inputs["data/tickets.json"] ?? "")?.[1] ?? 2);
      const sold = output.split("\n").filter((l) => l.endsWith(" got a ticket")).length;
      return sold > stock
        ? { en: `${sold} buyers got a ticket, but there were only ${stock}.`, zh: `有 ${sold} 位顾客买到了票，可总共只有 ${stock} 张。` }
        : null;
    },
  },
  wrong: [
    {
      why: "a hard-coded printout",
      files: { "office.py": 'import time\nfrom multiprocessing import Barrier, Lock\n# doors.wait() time.sleep( Lock()\nfor n in ["Ana", "Bo"]:\n    print(n, "got a ticket")\nfor n in ["Cai", "Dev", "Eli"]:\n    print(n + ": sold out")\nprint("tickets left: 0")\n', "data/tickets.json": TICKETS },
    },
    { why: "the Barrier and the sleep deleted instead of adding a lock", files: { "office.py": STARTER.replace("    doors.wait()                     # everyone rushes in at once\n", "").replace("        time.sleep(0.1)              # the clerk checks your ID\n", ""), "data/tickets.json": TICKETS } },
    {
      // Passes every normal run (each buyer reads after the one before wrote), not every order.
      why: "buyers kept apart by sleeping, with a Lock made but not used",
      files: {
        "office.py": STARTER.replace("from multiprocessing import Barrier, Process", "from multiprocessing import Barrier, Lock, Process")
          .replace("def buy(name, doors):\n    doors.wait()                     # everyone rushes in at once\n", "def buy(name, doors, delay):\n    doors.wait()                     # everyone rushes in at once\n    time.sleep(delay)\n")
          .replace("    procs = [Process(target=buy, args=(b, doors)) for b in buyers]", "    lock = Lock()\n    procs = [Process(target=buy, args=(b, doors, 0.3 * i)) for i, b in enumerate(buyers)]"),
        "data/tickets.json": TICKETS,
      },
    },
    {
      why: "a lock around the write only",
      files: {
        "office.py": STARTER.replace("from multiprocessing import Barrier, Process", "from multiprocessing import Barrier, Lock, Process")
          .replace("def buy(name, doors):", "def buy(name, doors, lock):")
          .replace('        with open(TICKETS, "w") as f:\n            json.dump(stock, f)', '        with lock:\n            with open(TICKETS, "w") as f:\n                json.dump(stock, f)')
          .replace("    procs = [Process(target=buy, args=(b, doors)) for b in buyers]", "    lock = Lock()\n    procs = [Process(target=buy, args=(b, doors, lock)) for b in buyers]"),
        "data/tickets.json": TICKETS,
      },
    },
  ],
};
