/**
 * The search on several executors at once (one per machine on a real host) against the same
 * search on one: the same schedules explored, the same counts and the same failure, whatever
 * order the executors finish in (each run here waits a random few milliseconds first, so
 * runs end out of order).
 */
import { describe, expect, it } from "vitest";
import type { Policy, RunRecord } from "@/lib/kernel/sched/types";
import { mulberry32 } from "@/lib/scheduler/prng";
import { search, type Execute, type SearchOptions, type SearchResult } from "./search";
import { acquire, read, release, lockedModel, runModel, touch, write, type Model, type ModelOp } from "./testing/model";

const lostUpdate3: Model = {
  procs: [0, 1, 2].map(() => [touch("log"), read("x", "v"), touch("log"), write("x", (l) => l.v + 1)]),
  check: (s) => (s.x === 3 ? null : `lost update: x = ${s.x}`),
};
const locked = lockedModel;
const lockOrder: Model = {
  procs: [
    [touch("a"), acquire("A"), acquire("B"), release("B"), release("A")],
    [touch("b"), touch("b"), acquire("B"), acquire("A"), release("A"), release("B")],
  ],
};
const office = (): Model => {
  const started = (i: number): ModelOp => ({ op: "start", obj: `proc:${i}`, access: "read", blockedIf: (s) => (s.started ?? 0) < i });
  const start: ModelOp = { op: "start", obj: "procs", access: "write", run: (s) => void (s.started = (s.started ?? 0) + 1) };
  const join = (i: number): ModelOp => ({ op: "join", obj: `proc:${i}`, access: "write", blockedIf: (s) => !s[`done${i}`] });
  const exit = (i: number): ModelOp => ({ op: "exit", obj: `proc:${i}`, access: "write", run: (s) => void (s[`done${i}`] = 1) });
  const buyer = (i: number): ModelOp[] => [started(i), acquire("L"), read("t", "v"), touch(`tmp${i}`), touch("t"), touch("sales"), release("L"), exit(i)];
  return { procs: [[touch("t"), start, read("proc:1", "x"), start, join(1), join(2), touch("proc:0")], buyer(1), buyer(2)] };
};

/**
 * `n` executors over one model; every run first waits 0–11 ms (seeded), so they finish out of
 * order. Records every run, in `ahead` those run ahead of their turn (a DPOR schedule, given a
 * signal), and in `dropped` those whose signal the search aborted (they did not come next).
 */
function lanes(m: Model, n: number, seed: number, ran: RunRecord[], live = { now: 0, max: 0 }, dropped = new Set<RunRecord>(), ahead = new Set<RunRecord>()): Execute[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => async (p: Policy, signal?: AbortSignal) => {
    live.max = Math.max(live.max, ++live.now);
    try {
      await new Promise((r) => setTimeout(r, Math.floor(random() ** 3 * 12)));
      const r = await runModel(m, p);
      ran.push(r);
      // Only a schedule run ahead of its turn gets a signal.
      if (signal) ahead.add(r);
      if (signal?.aborted) dropped.add(r);
      else signal?.addEventListener("abort", () => dropped.add(r), { once: true });
      return r;
    } finally {
      live.now--;
    }
  });
}

const summary = (r: SearchResult) => ({
  outcome: r.outcome,
  explored: r.explored,
  distinct: r.distinct,
  random: r.random,
  truncated: r.truncated,
  redundant: r.redundant,
  bound: r.bound,
  found: r.found && { token: r.found.record.token, index: r.found.index, strategy: r.found.strategy, failure: r.found.failure, preemptions: r.found.preemptions, divergedAt: r.found.divergedAt },
});
const schedules = (rs: readonly RunRecord[]) => rs.map((r) => r.decisions.join(",")).sort();

const cases: [string, Model, SearchOptions][] = [
  ["a locked program, exhaustive within bound 2, after PCT", locked, { exhaustive: "dfs" }],
  ["a locked program within a budget that ends inside the exhaustive part", locked, { exhaustive: "dfs", maxSchedules: 45, pctRuns: 2 }],
  ["a lost update found by PCT", lostUpdate3, { exhaustive: "dfs", seed: 7 }],
  ["a lost update found by the bounded search", lostUpdate3, { exhaustive: "dfs", pctRuns: 0 }],
  ["the first of many failing schedules, in the bounded search's order", lostUpdate3, { exhaustive: "dfs", pctRuns: 0, preemptionBound: 3 }],
  ["a budget that ends before the first failing schedule", lostUpdate3, { exhaustive: "dfs", pctRuns: 0, preemptionBound: 3, maxSchedules: 4 }],
  ["a lock-order deadlock found by the bounded search", lockOrder, { exhaustive: "dfs", pctRuns: 0 }],
  ["an office with no bound, exhaustive", office(), { exhaustive: "dfs", pctRuns: 0, preemptionBound: Infinity }],
  ["an office without reduction within a budget", office(), { exhaustive: "dfs", pctRuns: 1, reduction: false, maxSchedules: 300 }],
];

cases.push(
  ["DPOR: a locked program, exhaustive within bound 2, after PCT", locked, {}],
  ["DPOR: a lost update found by the bounded search", lostUpdate3, { pctRuns: 0 }],
  ["DPOR: a budget that ends before the first failing schedule", lostUpdate3, { pctRuns: 0, preemptionBound: 3, maxSchedules: 4 }],
  ["DPOR: an office with no bound, exhaustive", office(), { pctRuns: 0, preemptionBound: Infinity }],
  ["DPOR: an office within a budget, after PCT", office(), { pctRuns: 1, maxSchedules: 12 }],
);

describe("schedule search on several executors", () => {
  for (const [name, model, options] of cases) {
    it(`gives the sequential result: ${name}`, { timeout: 60_000 }, async () => {
      const seqRuns: RunRecord[] = [];
      const seq = await search(lanes(model, 1, 1, seqRuns), options);
      for (const [n, seed] of [[2, 1], [2, 2], [2, 5], [3, 3], [4, 4], [4, 6]]) {
        const ran: RunRecord[] = [];
        const live = { now: 0, max: 0 };
        const dropped = new Set<RunRecord>();
        const par = await search(lanes(model, n, seed, ran, live, dropped), options);
        expect(summary(par), `${n} executors, seed ${seed}`).toEqual(summary(seq));
        // Every executor got work (the runs overlapped), and no more ran at once than the budget needs (the default schedule runs alone).
        if (options.exhaustive === "dfs") expect(live.max).toBe(Math.min(n, (options.maxSchedules ?? Infinity) - 1));
        // Runs past the first failure or the budget may start before it is known, never runs before it: all the sequential search ran, ran here.
        const mine = new Set(schedules(ran));
        for (const s of schedules(seqRuns)) expect(mine.has(s)).toBe(true);
        // With nothing to cut the search short, exactly the same schedules ran, besides those run ahead and dropped.
        if (seq.outcome === "exhausted") expect(schedules(ran.filter((r) => !dropped.has(r)))).toEqual(schedules(seqRuns));
      }
    });
  }

  it("DPOR runs the schedule that comes next on a second executor while one is in flight, and uses its record", async () => {
    const seqRuns: RunRecord[] = [];
    const options: SearchOptions = { pctRuns: 0, preemptionBound: Infinity };
    const seq = await search(lanes(office(), 1, 1, seqRuns), options);
    const ran: RunRecord[] = [];
    const live = { now: 0, max: 0 };
    const dropped = new Set<RunRecord>();
    const ahead = new Set<RunRecord>();
    const par = await search(lanes(office(), 2, 3, ran, live, dropped, ahead), options);
    expect(summary(par)).toEqual(summary(seq));
    expect(live.max).toBe(2);
    // Run ahead and not dropped: used as the schedule that came next.
    const adopted = [...ahead].filter((r) => !dropped.has(r));
    expect(adopted.length).toBeGreaterThan(0);
    expect(schedules(ran.filter((r) => !dropped.has(r)))).toEqual(schedules(seqRuns));
  });

  it("rejects with the error of a run that throws, once the other runs ended", async () => {
    let live = 0;
    let after = -1;
    const bad: Execute[] = [0, 1].map(() => async (p: Policy) => {
      live++;
      await new Promise((r) => setTimeout(r, 2));
      const r = await runModel(locked, p);
      live--;
      return r;
    });
    let calls = 0;
    bad[1] = async () => {
      if (++calls === 3) throw new Error("a machine went away");
      return bad[0]({ choose: (c) => c.enabled[0].proc });
    };
    await expect(search(bad, {}).finally(() => void (after = live))).rejects.toThrow("a machine went away");
    expect(after).toBe(0);
  });
});
