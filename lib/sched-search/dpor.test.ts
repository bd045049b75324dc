/**
 * DPOR (./dpor.ts) against the plain bounded search (./dfs.ts) on the same models: the same
 * verdicts (the same failure found, or none) at every bound, fewer schedules; without a bound,
 * every Mazurkiewicz trace the unreduced search sees, on seeded random programs of reads,
 * writes and locks.
 */
import { describe, expect, it } from "vitest";
import type { Policy, RunRecord } from "@/lib/kernel/sched/types";
import { mulberry32 } from "@/lib/scheduler/prng";
import { Dpor, sameRun, type DporRun } from "./dpor";
import { search, type Execute, type SearchOptions } from "./search";
import { acquire, lockedModel, read, release, runModel, touch, write, type Model, type ModelOp } from "./testing/model";
import { traceKey } from "./trace";

const exec = (m: Model, traces?: Set<string>): Execute => async (p: Policy): Promise<RunRecord> => {
  const r = await runModel(m, p);
  traces?.add(traceKey(r.steps));
  return r;
};

const started = (i: number): ModelOp => ({ op: "start", obj: `proc:${i}`, access: "read", blockedIf: (s) => (s.started ?? 0) < i });
const start: ModelOp = { op: "start", obj: "procs", access: "write", run: (s) => void (s.started = (s.started ?? 0) + 1) };
const join = (i: number): ModelOp => ({ op: "join", obj: `proc:${i}`, access: "write", blockedIf: (s) => !s[`done${i}`] });
const exit = (i: number): ModelOp => ({ op: "exit", obj: `proc:${i}`, access: "write", run: (s) => void (s[`done${i}`] = 1) });
/** The locked ticket office: a parent starts two buyers that each sell under a lock, and joins them. */
const office = (locked: boolean): Model => {
  const buyer = (i: number): ModelOp[] => [started(i), ...(locked ? [acquire("L")] : []), read("t", "v"), touch(`tmp${i}`), touch(`tmp${i}`), write("t", (l) => l.v + 1), touch("sales"), ...(locked ? [release("L")] : []), exit(i)];
  return { procs: [[touch("t"), start, read("proc:1", "x"), start, join(1), join(2), touch("stdout")], buyer(1), buyer(2)], check: (s) => (s.t === 2 ? null : `oversold: ${s.t}`) };
};

const models: [string, Model][] = [
  ["a lost update", { procs: [0, 1].map(() => [read("x", "v"), write("x", (l) => l.v + 1)]), check: (s) => (s.x === 2 ? null : "lost update") }],
  ["a lost update among three behind log writes", { procs: [0, 1, 2].map(() => [touch("log"), read("x", "v"), touch("log"), write("x", (l) => l.v + 1)]), check: (s) => (s.x === 3 ? null : "lost update") }],
  ["a locked counter", lockedModel],
  ["a lock-order deadlock", { procs: [[touch("a"), acquire("A"), acquire("B"), release("B"), release("A")], [touch("b"), touch("b"), acquire("B"), acquire("A"), release("A"), release("B")]] }],
  ["the locked office", office(true)],
  ["the unlocked office", office(false)],
  [
    // kill(0, SIGWINCH) reaches the whole program; a child that set a handler first dies of it.
    "a signal to the process group before or after a child's handler",
    {
      procs: [[touch("work"), { op: "kill", obj: "pid:0", access: "read", run: (s) => void (s.handled = s.handler ?? 0) }], [touch("own1"), write("handler", () => 1)]],
      check: (s) => (s.handled ? "the child's handler ran" : null),
    },
  ],
  [
    "a timeout that fires before the flag is set",
    {
      procs: [[touch("work"), touch("work"), write("flag", () => 1)], [{ op: "wait", obj: "flag", access: "read", blockedIf: (s) => (s.flag ?? 0) === 0, timeout: 1000, onTimeout: (s) => void (s.timedOut = 1) }]],
      check: (s) => (s.timedOut ? "the wait timed out" : null),
    },
  ],
];

/** A seeded random program: 2 or 3 processes of reads, writes and short critical sections. */
function randomModel(seed: number): Model {
  const random = mulberry32(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(random() * a.length)];
  const procs: ModelOp[][] = [];
  const n = 2 + Math.floor(random() * 2);
  for (let p = 0; p < n; p++) {
    const ops: ModelOp[] = [];
    const len = 2 + Math.floor(random() * 4);
    for (let i = 0; i < len; i++) {
      const r = random();
      if (r < 0.2) {
        const L = pick(["L", "M"]);
        ops.push(acquire(L), pick([touch("x"), read("y", "v"), touch(`own${p}`)]), release(L));
      } else if (r < 0.5) ops.push(read(pick(["x", "y", "z"]), "v"));
      else ops.push(touch(pick(["x", "y", "z", `own${p}`])));
    }
    procs.push(ops);
  }
  return { procs };
}

const verdict = (o: { outcome: string; found: { failure: { kind: string } } | null }) => `${o.outcome}${o.found ? `: ${o.found.failure.kind}` : ""}`;

describe("DPOR", () => {
  it("reaches the plain search's verdict on every model at every bound, in as many schedules or fewer", async () => {
    let fewer = 0;
    for (const [name, m] of models) {
      for (const bound of [0, 1, 2, Infinity]) {
        const options: SearchOptions = { pctRuns: 0, preemptionBound: bound, maxSchedules: 100_000 };
        const dfs = await search(exec(m), { ...options, exhaustive: "dfs" });
        const dpor = await search(exec(m), { ...options, exhaustive: "dpor" });
        expect(verdict(dpor), `${name}, bound ${bound}`).toBe(verdict(dfs));
        expect(dpor.explored, `${name}, bound ${bound}`).toBeLessThanOrEqual(dfs.explored);
        if (dpor.explored < dfs.explored) fewer++;
      }
    }
    expect(fewer).toBeGreaterThan(5);
  });

  it("runs the locked office within bound 2 in 7 schedules where the plain search runs 15, seeing the same 3 traces", async () => {
    const a = new Set<string>();
    const b = new Set<string>();
    const dfs = await search(exec(office(true), a), { pctRuns: 0, exhaustive: "dfs" });
    const dpor = await search(exec(office(true), b), { pctRuns: 0 });
    expect({ dfs: [dfs.outcome, dfs.explored, dfs.distinct], dpor: [dpor.outcome, dpor.explored, dpor.distinct] }).toEqual({ dfs: ["exhausted", 15, 3], dpor: ["exhausted", 7, 3] });
    expect([...b].sort()).toEqual([...a].sort());
  });

  it("covers every trace without a bound: the same traces as the unreduced search on 40 random programs", { timeout: 120_000 }, async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const m = randomModel(seed);
      const all = new Set<string>();
      const mine = new Set<string>();
      const plain = await search(exec(m, all), { pctRuns: 0, preemptionBound: Infinity, exhaustive: "dfs", reduction: false, maxSchedules: 2000 });
      if (plain.outcome !== "exhausted") continue;
      const dpor = await search(exec(m, mine), { pctRuns: 0, preemptionBound: Infinity, maxSchedules: 50_000 });
      expect(dpor.outcome).toBe("exhausted");
      expect([...mine].sort(), `random program ${seed}`).toEqual([...all].sort());
      expect(dpor.explored).toBeLessThanOrEqual(plain.explored);
    }
  });

  it("speculates right: each schedule it runs ahead, when it does come, comes where the chain said", async () => {
    // Sequential DPOR by hand, asking speculate(3) while each run is in flight.
    let predicted = 0;
    let deep = 0;
    for (const [name, m] of [...models, ...Array.from({ length: 20 }, (_, i): [string, Model] => [`random program ${i}`, randomModel(i + 100)])]) {
      const d = new Dpor(Infinity);
      const taken: DporRun[] = [];
      const chains: DporRun[][] = [];
      for (let run: DporRun | null = d.root(); run !== null; run = d.take()) {
        taken.push(run);
        chains.push(d.speculate(3));
        d.absorb(run, await runModel(m, run.policy));
      }
      // The chain asked during run i names runs i+1, i+2, i+3 if nothing new is found meanwhile:
      // a guess at position j is either the schedule taken then, or one never taken in its place.
      chains.forEach((chain, i) =>
        chain.forEach((guess, j) => {
          const then = taken[i + 1 + j];
          if (then && sameRun(then, guess)) {
            predicted++;
            if (j > 0) deep++;
          } else expect(taken.slice(i + 1, i + 2 + j).some((t) => sameRun(t, guess)), `${name}: run ${i}, guess ${j}`).toBe(false);
        }),
      );
    }
    expect(predicted).toBeGreaterThan(0);
    expect(deep).toBeGreaterThan(0);
  });

  it("keeps the preemption bound", async () => {
    const seen: RunRecord[] = [];
    await search(async (p) => {
      const r = await runModel(office(false), p);
      seen.push(r);
      return r;
    }, { pctRuns: 0, preemptionBound: 1, maxSchedules: 1000 });
    const { preemptions } = await import("./trace");
    for (const r of seen) expect(preemptions(r.steps)).toBeLessThanOrEqual(1);
  });
});
