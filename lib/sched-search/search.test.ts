/**
 * Schedule search on small pure transition systems (testing/model.ts), where the right
 * answers can be counted by hand: races and deadlocks found, correct programs explored to
 * the end of the bound, the preemption bound kept, commuting steps explored once, PCT and
 * clock advances. The same engine runs real Python programs in explore.test.ts.
 */
import { describe, expect, it } from "vitest";
import { decodeToken, deviations } from "@/lib/kernel/sched/policy";
import type { Policy, RunRecord } from "@/lib/kernel/sched/types";
import { pctPolicy } from "./pct";
import { search, type Execute } from "./search";
import { summarize } from "./text";
import { acquire, read, release, lockedModel, runModel, touch, write, type Model, type ModelOp } from "./testing/model";
import { dependent, firstDivergence, preemptions, traceKey } from "./trace";

const exec = (m: Model, seen?: RunRecord[]): Execute => async (p: Policy) => {
  const r = await runModel(m, p);
  seen?.push(r);
  return r;
};

/** Two processes increment x: read, then write back what they read plus one. */
const lostUpdate: Model = {
  procs: [0, 1].map(() => [read("x", "v"), write("x", (l) => l.v + 1)]),
  check: (s) => (s.x === 2 ? null : `lost update: x = ${s.x}`),
};

const locked = lockedModel;

const lockOrder: Model = {
  procs: [
    [acquire("A"), acquire("B"), release("B"), release("A")],
    [acquire("B"), acquire("A"), release("A"), release("B")],
  ],
};

const dfsOnly = { pctRuns: 0 };

describe("schedule search on transition systems", () => {
  it("finds a lost update, reports where it left the default schedule, and its token replays it", async () => {
    const res = await search(exec(lostUpdate), dfsOnly);
    expect(res.outcome).toBe("failed");
    const f = res.found!;
    expect(f.failure).toMatchObject({ kind: "exception" });
    expect(f.divergedAt).toBe(firstDivergence(f.record.steps));
    expect(f.divergedAt).toBe(1); // p0 read, then p1 reads before p0 writes back
    const again = await runModel(lostUpdate, { choose: (c) => decodeToken(f.record.token).deviations.get(c.step) ?? (c.enabled.find((o) => o.proc === c.current) ?? c.enabled[0]).proc });
    expect(again.failure).toEqual(f.failure);
    expect(deviations(again.steps)).toEqual(deviations(f.record.steps));
  });

  it("explores a correct locked program to the end of the bound with no failure", async () => {
    const seen: RunRecord[] = [];
    const res = await search(exec(locked, seen), dfsOnly);
    expect(res.outcome).toBe("exhausted");
    expect(res.found).toBeNull();
    expect(res.explored).toBeGreaterThan(3);
    // Every schedule keeps the bound, and among them are all 3! orders of the critical sections.
    for (const r of seen) expect(preemptions(r.steps)).toBeLessThanOrEqual(2);
    const orders = new Set(seen.map((r) => r.steps.filter((s) => s.choice.enabled.find((o) => o.proc === s.decision)?.op === "lock.acquire").map((s) => s.decision).join("")));
    expect(orders.size).toBe(6);
  });

  it("finds the lock-order deadlock", async () => {
    const res = await search(exec(lockOrder), dfsOnly);
    expect(res.found?.failure.kind).toBe("deadlock");
    expect(res.found?.preemptions).toBe(1);
  });

  it("explores every interleaving once without a bound: C(4,2) = 6 for two processes of two dependent steps", async () => {
    const m: Model = { procs: [0, 1].map(() => [touch("x"), touch("x")]) };
    const res = await search(exec(m), { ...dfsOnly, preemptionBound: 99 });
    expect(res.outcome).toBe("exhausted");
    expect(res.explored).toBe(6);
    expect(res.distinct).toBe(6);
  });

  it("explores independent steps once with sleep sets, and counts their orders as one trace", async () => {
    const m: Model = { procs: [0, 1, 2].map((p) => [touch(`o${p}`), touch(`o${p}`), touch(`o${p}`)]) };
    const plain = await search(exec(m), { ...dfsOnly, exhaustive: "dfs", preemptionBound: 99, reduction: false, maxSchedules: 5000 });
    const reduced = await search(exec(m), { ...dfsOnly, exhaustive: "dfs", preemptionBound: 99 });
    expect(plain.explored).toBe(1680); // 9! / (3!·3!·3!)
    expect(plain.distinct).toBe(1);
    // Sleep sets alone still run schedules that turn out to repeat the one trace; they are counted as redundant.
    expect(reduced.explored - reduced.redundant).toBe(1);
    expect(reduced.explored).toBeLessThan(plain.explored / 50);
    expect(reduced.outcome).toBe("exhausted");
  });

  it("covers every trace without a bound: the locked office of two buyers, all 3 traces in 16 schedules instead of 12 959", async () => {
    const started = (i: number): ModelOp => ({ op: "start", obj: `proc:${i}`, access: "read", blockedIf: (s) => (s.started ?? 0) < i });
    const start: ModelOp = { op: "start", obj: "procs", access: "write", run: (s) => void (s.started = (s.started ?? 0) + 1) };
    const join = (i: number): ModelOp => ({ op: "join", obj: `proc:${i}`, access: "write", blockedIf: (s) => !s[`done${i}`] });
    const exit = (i: number): ModelOp => ({ op: "exit", obj: `proc:${i}`, access: "write", run: (s) => void (s[`done${i}`] = 1) });
    const buyer = (i: number): ModelOp[] => [started(i), acquire("L"), read("t", "v"), touch(`tmp${i}`), touch(`tmp${i}`), touch("t"), touch("sales"), touch("sales"), release("L"), exit(i)];
    const m: Model = { procs: [[touch("t"), start, read("proc:1", "x"), start, join(1), join(2), touch("proc:0")], buyer(1), buyer(2)] };
    const reduced = await search(exec(m), { ...dfsOnly, exhaustive: "dfs", preemptionBound: Infinity });
    const plain = await search(exec(m), { ...dfsOnly, exhaustive: "dfs", preemptionBound: Infinity, reduction: false, maxSchedules: 20_000 });
    expect(plain).toMatchObject({ outcome: "exhausted", explored: 12_959, distinct: 3 });
    expect(reduced).toMatchObject({ outcome: "exhausted", explored: 16, distinct: 3 });
    expect(summarize(reduced)).toBe("16 schedules explored, covering every interleaving up to the order of commuting operations (3 distinct): none failed.");
  });

  it("keeps the orders that matter under reduction: reads commute, a write does not", async () => {
    // p0 and p1 read x, p2 writes it.
    const m: Model = { procs: [[read("x", "v")], [read("x", "v")], [write("x", () => 1)]] };
    const res = await search(exec(m), { ...dfsOnly, exhaustive: "dfs", preemptionBound: 99 });
    const plain = await search(exec(m), { ...dfsOnly, exhaustive: "dfs", preemptionBound: 99, reduction: false });
    expect(res.outcome).toBe("exhausted");
    expect(res.distinct).toBe(4); // W before both, after both, between p0 and p1 either way
    expect(plain.explored).toBe(6);
    // Sleep sets alone may still finish a run whose every continuation was explored (here W, p1, p0 after W, p0, p1): one too many.
    expect(res.explored).toBe(5);
  });

  it("keeps the preemption bound: bound 0 runs only non-preemptive schedules and misses the lost update", async () => {
    const seen: RunRecord[] = [];
    const res = await search(exec(lostUpdate, seen), { ...dfsOnly, preemptionBound: 0 });
    expect(res.outcome).toBe("exhausted");
    expect(res.found).toBeNull();
    for (const r of seen) expect(preemptions(r.steps)).toBe(0);
  });

  it("treats the clock advance as a choice: a timeout that fires before the flag is set is found", async () => {
    const m: Model = {
      procs: [
        [touch("work"), touch("work"), write("flag", () => 1)],
        [{ op: "wait", obj: "flag", access: "read", blockedIf: (s) => (s.flag ?? 0) === 0, timeout: 1000, onTimeout: (s) => void (s.timedOut = 1) }],
      ],
      check: (s) => (s.timedOut ? "the wait timed out" : null),
    };
    const res = await search(exec(m), dfsOnly);
    expect(res.found?.record.decisions).toContain("advance");
    const pct = await search(exec(m), { pctRuns: 20, maxSchedules: 61 });
    expect(pct.found?.strategy).toBe("pct");
  });

  it("finds the lost update with PCT alone, seeded: the same seed gives the same schedules", async () => {
    const three: Model = {
      procs: [0, 1, 2].map(() => [touch("log"), read("x", "v"), touch("log"), write("x", (l) => l.v + 1)]),
      check: (s) => (s.x === 3 ? null : `lost update: x = ${s.x}`),
    };
    const res = await search(exec(three), { pctRuns: 30, maxSchedules: 91, seed: 7 });
    expect(res.found?.strategy).toBe("pct");
    const a = await runModel(three, pctPolicy({ depth: 2, steps: 12, procs: 3, seed: 5 }));
    const b = await runModel(three, pctPolicy({ depth: 2, steps: 12, procs: 3, seed: 5 }));
    expect(a.decisions).toEqual(b.decisions);
    const orders = new Set<string>();
    for (let seed = 0; seed < 20; seed++) orders.add(traceKey((await runModel(three, pctPolicy({ depth: 3, steps: 12, procs: 3, seed }))).steps));
    expect(orders.size).toBeGreaterThan(3);
  });

  it("lets PCT promise steps past a blocked process that outranks the running one, until the running one wakes it", async () => {
    // p0 waits for the lock p1 holds; p1 works on other objects, then releases it.
    const m: Model = {
      init: { L: 1 },
      procs: [
        [acquire("L"), touch("x")],
        [touch("a"), touch("a"), touch("a"), touch("a"), release("L"), touch("b"), touch("b")],
      ],
    };
    let past = 0;
    for (let seed = 0; seed < 30; seed++) {
      const pct = pctPolicy({ depth: 1, steps: 10, procs: 2, seed });
      const counted: Policy = {
        choose: (c) => pct.choose(c),
        keeps: (step) => {
          const k = pct.keeps!(step);
          if (typeof k !== "number" && k.steps > 0) {
            expect(k.unless).toEqual(["L"]);
            past++;
          }
          return k;
        },
      };
      // runModel holds the policy to each promise, and voids it once p0 is woken.
      const r = await runModel(m, counted);
      expect(r.failure).toBeNull();
    }
    expect(past).toBeGreaterThan(0);
  });

  it("stops at the schedule budget and at the time limit", async () => {
    const m: Model = { procs: [0, 1, 2].map(() => [touch("x"), touch("x"), touch("x")]) };
    const bySchedules = await search(exec(m), { maxSchedules: 17 });
    expect(bySchedules).toMatchObject({ outcome: "schedules", explored: 17 });
    let t = 0;
    const byTime = await search(exec(m), { timeLimitMs: 100, now: () => (t += 10) });
    expect(byTime.outcome).toBe("time");
    expect(byTime.explored).toBeLessThan(17);
  });

  it("says what it checked: a bound, not a proof, in en and zh", async () => {
    const done = await search(exec(locked), dfsOnly);
    expect(summarize(done)).toBe(`${done.explored} schedules explored (all with at most 2 preemptions): none failed.`);
    expect(summarize(done, "zh")).toBe(`已探索 ${done.explored} 个调度（每个最多 2 次抢占）：没有一个失败。这是一个界限，不是证明。`);
    const mixed = await search(exec(locked), { pctRuns: 2 });
    expect(summarize(mixed)).toBe(`${mixed.explored - 6} schedules explored (all with at most 2 preemptions) and 6 more at random priorities: none failed.`);
    const cut = await search(exec(locked), { maxSchedules: 3 });
    expect(summarize(cut)).toMatch(/^3 schedules explored, none failed; the search ended at the schedule limit before every schedule/);
    const found = await search(exec(lockOrder), dfsOnly);
    expect(summarize(found)).toMatch(/^Schedule \d+ failed \(after [\d.]+ s\): deadlock/);
    expect(summarize(found)).not.toContain("input()");
    // input() reads end of file in a search: its EOFError is said to be the search's doing.
    const eof = { ...found, found: { ...found.found!, failure: { kind: "exception" as const, proc: 0, text: "Traceback (most recent call last):\nEOFError: EOF when reading a line\n" } } };
    expect(summarize(eof)).toMatch(/raised an uncaught exception: EOFError: EOF when reading a line\. No one types into a schedule search: input\(\) reads end of file/);
    expect(summarize(eof, "zh")).toContain("调度搜索中没有人输入");
    // Every schedule cut at a limit: said plainly, with the usual cause.
    expect(summarize({ ...cut, truncated: 3 })).toMatch(/3 of them did not run to their end .* None ran to its end: a process that loops without reaching a scheduling point/);
    expect(summarize({ ...cut, truncated: 2 })).not.toContain("None ran to its end");
  });

  it("takes a schedule cut short inside its replayed prefix (stopped at the time limit) as cut short, not as a program that does not repeat itself", async () => {
    let calls = 0;
    const res = await search(async (p) => {
      const r = await runModel(locked, p);
      if (++calls !== 5) return r;
      return { ...r, steps: [], decisions: [], failure: { kind: "limit", what: "steps" } };
    }, dfsOnly);
    expect(res).toMatchObject({ outcome: "exhausted", truncated: 1, found: null });
  });

  it("fails a schedule whose output differs from the expected one", async () => {
    const m: Model = { procs: [[touch("x")]] };
    const res = await search(async (p) => ({ ...(await runModel(m, p)), output: "2\n" }), { expectedOutput: "1\n" });
    expect(res.found?.failure).toEqual({ kind: "output", expected: "1\n", actual: "2\n" });
  });

  it("orders a signal with everything its target does and with other signals to it, not with other processes", () => {
    const op = (proc: number, o: string, obj: string, access: "read" | "write" = "read") => ({ proc, pid: proc + 2, op: o, obj, access });
    const kill = op(0, "kill", "proc:1");
    expect(dependent(kill, op(1, "sleep", "sleep:3", "write"))).toBe(true);
    expect(dependent(op(1, "clock", "clock"), kill)).toBe(true);
    expect(dependent(kill, op(2, "kill", "proc:1"))).toBe(true);
    expect(dependent(kill, op(2, "sleep", "sleep:4", "write"))).toBe(false);
    expect(dependent(kill, op(2, "kill", "proc:3"))).toBe(false);
  });
});

export type { ModelOp };
