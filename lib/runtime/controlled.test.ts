/**
 * Controlled mode on the Node host: virtual time, replay determinism (the same token gives
 * the same run byte for byte), different decisions give different interleavings, a deadlock
 * found and reported, tokens that do not fit refused. Each run boots fresh interpreters, so
 * the file is slow-ish; timeouts allow a loaded machine.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeToken, randomPolicy, replayPolicy } from "@/lib/kernel/sched/policy";
import type { Choice, Decision, Policy } from "@/lib/kernel/sched/types";
import { pctPolicy } from "@/lib/sched-search/pct";
import { encodeToken, replayToken, runControlled, ScheduleError, type ControlledRecord } from "./controlled";
import { PROGRAMS, programFiles, sharedMachine } from "./testing/programs";

const machine = sharedMachine();
const program = (name: string) => ({ files: programFiles(name), entry: name });
const T = 600_000;

/** python3 on a program that mostly sleeps: started at once, awaited at the end (it costs no CPU). */
function cpython(name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn("python3", [path.join(PROGRAMS, name)], { cwd: PROGRAMS });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    p.on("error", reject);
    p.on("close", () => resolve(out));
  });
}

/** The stable part of a record: what a replay must reproduce byte for byte. */
function fingerprint(r: ControlledRecord): string {
  return JSON.stringify({ output: r.output, exits: r.exits, events: r.events, decisions: r.decisions, failure: r.failure });
}

/** Holds back a worker's second lock.acquire while another worker has not taken its first: the classic bad interleaving. */
function firstLocksFirst(): Policy {
  const taken = new Map<number, number>();
  const count = (proc: number) => taken.get(proc) ?? 0;
  return {
    choose(c: Choice): Decision {
      const held = (o: Choice["enabled"][number]) => o.op === "lock.acquire" && count(o.proc) >= 1 && c.enabled.some((x) => x.proc > 0 && x.proc !== o.proc && count(x.proc) === 0);
      const ok = c.enabled.filter((o) => !held(o));
      const pick = ok.find((o) => o.proc === c.current) ?? ok[0] ?? c.enabled[0];
      if (pick.op === "lock.acquire") taken.set(pick.proc, count(pick.proc) + 1);
      return pick.proc;
    },
  };
}

describe("controlled runs (Node host)", () => {
  it("runs sleeps and timeouts on a virtual clock: 12 s of sleeping, exact time.time() deltas, same output as python3", { timeout: T }, async () => {
    const reference = cpython("sched_sleep.py");
    const started = performance.now();
    const r = await runControlled(machine(), program("sched_sleep.py"));
    const wall = performance.now() - started;
    expect(r.failure).toBeNull();
    expect(r.output).toBe("acquire with timeout: False\nget timed out\nalive after join(2): True\ngot woke\nexit code 0\nelapsed 12\n");
    // The virtual clock ended exactly at the child's 10 s sleep (which began at 2 s).
    expect(Math.max(...r.steps.map((s) => s.choice.clock))).toBe(12_000);
    expect(r.events.filter((e) => e.type === "unblock" && e.reason === "timeout").length).toBeGreaterThanOrEqual(3);
    // Not a speed target: without virtual time this run cannot take under 12 s.
    expect(wall).toBeLessThan(11_000);
    expect(r.output).toBe(await reference);
    // Deltas are the sleeps exactly (a real clock would add the run's own time).
    const src = "import time\nt, m = time.time(), time.monotonic_ns()\ntime.sleep(2.5)\nprint(time.time() - t, time.monotonic_ns() - m, time.time() > 1.7e9)\n";
    const exact = await runControlled(machine(), { files: { "t.py": src }, entry: "t.py" });
    expect(exact.output).toBe("2.5 2500000000 True\n");
  });

  it("replays a token byte for byte: the same output, exit codes and event stream 5 times (the bench replays 100)", { timeout: T }, async () => {
    const first = await runControlled(machine(), program("sched_race.py"), randomPolicy(3), { seed: 3 });
    expect(first.failure).toBeNull();
    const want = fingerprint(first);
    for (let i = 0; i < 5; i++) {
      const again = await replayToken(machine(), program("sched_race.py"), first.token);
      expect(again.token).toBe(first.token);
      expect(fingerprint(again)).toBe(want);
    }
  });

  it("gives the same run, byte for byte, when processes take the points the policy promises them without asking", { timeout: T }, async () => {
    // Policy.keeps lets a process go on through the next points it would be granted anyway
    // (worker/sched-gate.ts); the run must be the one a process that asks at every point gets.
    for (const [name, seed] of [["sched_race.py", 3], ["sched_prodcons.py", 1], ["sched_files.py", 2], ["sched_socket.py", 0], ["sched_signal_wait.py", 0], ["sched_sleep.py", 0]] as const) {
      const first = await runControlled(machine(), program(name), randomPolicy(seed), { seed });
      const { seed: s, deviations: devs } = decodeToken(first.token);
      let promised = 0;
      const keeping = replayPolicy(devs);
      const counted: Policy = { choose: (c) => keeping.choose(c), keeps: (step) => { const n = keeping.keeps!(step); if ((typeof n === "number" ? n : n.steps) > 0) promised++; return n; } };
      const asking: Policy = { choose: (c) => keeping.choose(c) };
      const kept = await runControlled(machine(), program(name), counted, { seed: s });
      const asked = await runControlled(machine(), program(name), asking, { seed: s });
      expect(promised, name).toBeGreaterThan(0);
      expect(fingerprint(kept), name).toBe(fingerprint(asked));
      expect(fingerprint(kept), name).toBe(fingerprint(first));
    }
  });

  it("gives the same run when a process goes on past a blocked process that outranks it (PCT), asking only at the point that wakes it", { timeout: T }, async () => {
    // PCT promises the running process its next points unless one wakes a blocked process of
    // higher priority (Keeps.unless); the worker's gate then asks at that point. The run must
    // be the one a process that asks at every point gets, under the same seeded policy.
    // The main process waits for the lock its child holds while the child prints: whoever
    // outranks the other, the child's release wakes the main process at its next point.
    const handover = {
      files: {
        "handover.py": [
          "from multiprocessing import Lock, Process",
          "def child(lock):",
          "    with lock:",
          "        for i in range(4):",
          "            print('child', i, flush=True)",
          "    print('child done', flush=True)",
          "if __name__ == '__main__':",
          "    lock = Lock()",
          "    p = Process(target=child, args=(lock,))",
          "    p.start()",
          "    with lock:",
          "        print('main', flush=True)",
          "    p.join()",
          "",
        ].join("\n"),
      },
      entry: "handover.py",
    };
    let past = 0;
    const runs = [[handover, 0], [handover, 1], [handover, 2], [handover, 3], [handover, 4], [handover, 5], [program("sched_tickets_locked.py"), 1], [program("sched_prodcons.py"), 2]] as const;
    for (const [prog, seed] of runs) {
      const name = `${prog.entry} seed ${seed}`;
      const params = { depth: 1, steps: 40, procs: 3, seed };
      const pct = pctPolicy(params);
      const counted: Policy = {
        choose: (c) => pct.choose(c),
        keeps: (step) => {
          const k = pct.keeps!(step);
          if (typeof k !== "number" && k.steps > 0) past++;
          return k;
        },
      };
      const asking = pctPolicy(params);
      const kept = await runControlled(machine(), prog, counted, { seed: 0 });
      const asked = await runControlled(machine(), prog, { choose: (c) => asking.choose(c) }, { seed: 0 });
      expect(fingerprint(kept), name).toBe(fingerprint(asked));
    }
    expect(past).toBeGreaterThan(0);
  });

  it("gives a different interleaving for different decisions on a racy program", { timeout: T }, async () => {
    const outputs = new Map<string, string>();
    for (let seed = 0; seed < 12 && outputs.size < 2; seed++) {
      const r = await runControlled(machine(), program("sched_race.py"), randomPolicy(seed), { seed });
      outputs.set(r.output, r.token);
    }
    // A lost update (counter < 6) and a clean run, each reproducible from its token.
    expect([...outputs.keys()].sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^counter [0-5]\n$/)]));
    expect(outputs.size).toBe(2);
    for (const [output, token] of outputs) expect((await replayToken(machine(), program("sched_race.py"), token)).output).toBe(output);
  });

  it("sees a reader's get end a child's wait at exit for its big queue item: no false deadlock, in any order", { timeout: T }, async () => {
    // The child's exit flush waited on the queue it had just put to, so its put woke no one.
    const r = await runControlled(machine(), program("sched_big_item.py"));
    expect(r.failure).toBeNull();
    expect(r.output).toBe("70000 100\nexit code 0\n");
    for (let seed = 1; seed <= 4; seed++) {
      const random = await runControlled(machine(), program("sched_big_item.py"), randomPolicy(seed));
      expect(random.failure, `seed ${seed}`).toBeNull();
      expect(random.output).toBe("70000 100\nexit code 0\n");
    }
  });

  it("reaps children with os.waitpid and os.wait at scheduling points, with python3's output", { timeout: T }, async () => {
    const reference = cpython("os_waitpid.py");
    const r = await runControlled(machine(), program("os_waitpid.py"));
    // Its children exit with codes 3, 4 and 5 on purpose: for a search, the first one is a failure.
    expect(r.failure).toEqual({ kind: "exit", proc: 1, code: 3 });
    expect(r.output).toBe(await reference);
    expect(r.steps.some((s) => s.choice.enabled.some((o) => o.op === "join"))).toBe(true);
  });

  it("finds the lock-order deadlock and reports who holds what", { timeout: T }, async () => {
    const clean = await runControlled(machine(), program("sched_deadlock.py"));
    expect(clean.failure).toBeNull();
    expect(clean.output).toBe("worker-1 has both\nworker-2 has both\ndone\n");
    const r = await runControlled(machine(), program("sched_deadlock.py"), firstLocksFirst());
    expect(r.failure?.kind).toBe("deadlock");
    if (r.failure?.kind !== "deadlock") return;
    const report = r.failure.report;
    expect(report.cycle).toHaveLength(2);
    expect(report.waits.filter((w) => w.kind === "lock").map((w) => w.pid).sort()).toEqual(report.cycle.slice().sort());
    expect(report.processes.map((p) => p.name)).toEqual(expect.arrayContaining(["worker-1", "worker-2"]));
    expect(r.events.some((e) => e.type === "deadlock")).toBe(true);
    // The token of the deadlocking run deadlocks again, and the machine is free afterwards.
    const again = await replayToken(machine(), program("sched_deadlock.py"), r.token);
    expect(again.failure?.kind).toBe("deadlock");
    expect(machine().processes().filter((p) => p.pid !== 1 && p.state !== "zombie")).toEqual([]);
  });

  it("makes socket calls scheduling points: accept and recv wait at the scheduler, output as python3's, replays exactly", { timeout: T }, async () => {
    const reference = await cpython("sched_socket.py");
    for (const seed of [1, 2]) {
      const r = await runControlled(machine(), program("sched_socket.py"), randomPolicy(seed), { seed });
      expect(r.failure).toBeNull();
      expect(r.output).toBe(reference);
      const ops = new Set(r.steps.flatMap((s) => s.choice.enabled.map((o) => o.op)));
      expect(ops).toContain("sock.accept");
      expect(ops).toContain("sock.recv");
      expect(fingerprint(await replayToken(machine(), program("sched_socket.py"), r.token))).toBe(fingerprint(r));
    }
  });

  it("starts every controlled run from its program's files alone: what an earlier run wrote is gone", { timeout: T }, async () => {
    // Each child appends its name; with the last run's file still there the count would grow.
    const source = `import os
from multiprocessing import Process

def sell(name):
    with open("data/sales.txt", "a") as f:
        print(name, file=f)

if __name__ == "__main__":
    print("left over:", os.path.exists("data/sales.txt"), os.listdir("/tmp"))
    open("/tmp/scratch", "w").close()
    ps = [Process(target=sell, args=(n,)) for n in ("a", "b")]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("sold", len(open("data/sales.txt").read().split()))
`;
    const prog = { files: { "sales.py": source, "data/keep.txt": "x" }, entry: "sales.py" };
    const first = await runControlled(machine(), prog);
    const second = await runControlled(machine(), prog);
    expect(first.output).toBe("left over: False []\nsold 2\n");
    expect(second.output).toBe(first.output);
    expect(second.failure).toBeNull();
  });

  it("asks the kernel for a file once per turn: spawn's prepare stats and opens the main script four times in each child", { timeout: T }, async () => {
    const m = machine();
    const kernel = m.kernel as unknown as { syscall: (pid: number, name: string, args: { path?: string }, ...rest: unknown[]) => void };
    const original = kernel.syscall;
    const lookups: string[] = [];
    kernel.syscall = function (this: unknown, pid, name, args, ...rest) {
      if (name === "fs_lookup") lookups.push(String(args.path));
      return original.call(this, pid, name, args, ...rest);
    };
    let r: ControlledRecord;
    try {
      r = await runControlled(m, program("sched_tickets_locked.py"));
    } finally {
      kernel.syscall = original;
    }
    expect(r.output).toBe("sold 1\n");
    // The main process reads it once, each of the three buyers once in its first turn.
    expect(lookups.filter((p) => p.endsWith("/sched_tickets_locked.py"))).toHaveLength(4);
  });

  it("refuses a token that does not fit the program, saying so", { timeout: T }, async () => {
    const misfit = encodeToken(0, new Map<number, Decision>([[1, 7]]));
    await expect(replayToken(machine(), program("sched_deadlock.py"), misfit)).rejects.toThrow(ScheduleError);
    await expect(replayToken(machine(), program("sched_deadlock.py"), misfit)).rejects.toThrow(/does not fit this program/);
    await expect(replayToken(machine(), program("sched_deadlock.py"), "AQ!")).rejects.toThrow(/not a schedule token/);
  });

  it("marks every point with its place in the program's own code", { timeout: T }, async () => {
    const r = await runControlled(machine(), program("sched_deadlock.py"), undefined, { lineGrain: true });
    const lines = r.steps.map((s) => s.choice.enabled.find((o) => o.proc === s.decision)).filter((o) => o?.op === "line");
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.every((o) => o?.where?.file === "/home/user/sched_deadlock.py")).toBe(true);
    const acquires = r.steps.flatMap((s) => s.choice.enabled).filter((o) => o.op === "lock.acquire");
    expect(acquires.length).toBeGreaterThan(0);
    expect(acquires.every((o) => o.where?.file === "/home/user/sched_deadlock.py" && o.where.line > 0)).toBe(true);
    // Output and file points are taken inside the I/O call: they carry where the program made it.
    const files = await runControlled(machine(), program("sched_files.py"));
    const ops = files.steps.flatMap((s) => s.choice.enabled);
    const opens = ops.filter((o) => o.op === "file.open" && o.obj === "file:/home/user/tickets.json");
    expect(opens.length).toBeGreaterThanOrEqual(4);
    expect(opens.every((o) => o.where?.file === "/home/user/sched_files.py")).toBe(true);
    expect(ops.filter((o) => o.op === "write" && o.obj === "stdout").every((o) => o.where?.line === 13)).toBe(true);
  });
});
