import { finishes, noTraceback, outputLines, runCheck, type ExerciseSpec } from "../exercise";

const TICKETS = '{"left": 2}\n';

export const ticketOffice: ExerciseSpec = {
  id: "09-ticket-office",
  lesson: "locks",
  entry: "office.py",
  starter: {
    "office.py": `import json
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
`,
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
  timeoutMs: 15000,
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
    runCheck((run, { runIndex }) => {
      const lines = outputLines(run);
      const sold = lines.filter((l) => l.endsWith(" got a ticket")).length;
      const turnedAway = lines.filter((l) => l.endsWith(": sold out")).length;
      const n = runIndex + 1;
      if (sold > 2) {
        return {
          en: `Run ${n}: ${sold} buyers got a ticket, but there were only 2. The office still oversells.`,
          zh: `第 ${n} 次运行：有 ${sold} 位顾客买到了票，可总共只有 2 张。售票处仍在超卖。`,
        };
      }
      if (sold + turnedAway !== 5) {
        return {
          en: `Run ${n}: expected an answer for each of the 5 buyers ("… got a ticket" or "…: sold out"), found ${sold + turnedAway}.`,
          zh: `第 ${n} 次运行：5 位顾客每人都应得到答复（"… got a ticket" 或 "…: sold out"），实际只有 ${sold + turnedAway} 条。`,
        };
      }
      if (sold < 2) {
        return { en: `Run ${n}: only ${sold} ticket(s) sold although 2 were available.`, zh: `第 ${n} 次运行：明明有 2 张票，却只卖出了 ${sold} 张。` };
      }
      if (!lines.includes("tickets left: 0")) {
        return { en: `Run ${n}: the file should end with 0 tickets left.`, zh: `第 ${n} 次运行：文件里最后的余票应当是 0。` };
      }
      return null;
    }),
  ],
};
