/**
 * The linear dependency analysis (Dependencies in ./trace.ts, DPOR's RaceIndex) against the
 * quadratic definition it replaces (`dependent` on every pair), on seeded random runs of
 * reads, writes, kills (of a process and of a group), line points and clock advances; and a
 * busy-wait's 20,000 steps.
 */
import { describe, expect, it } from "vitest";
import type { PendingOp, Step } from "@/lib/kernel/sched/types";
import { mulberry32 } from "@/lib/scheduler/prng";
import { Dpor, RaceIndex } from "./dpor";
import { Dependencies, dependent, traceKey, type Act } from "./trace";

function randomActs(seed: number, n: number): Act[] {
  const random = mulberry32(seed);
  const procs = 2 + Math.floor(random() * 3);
  const acts: Act[] = [];
  for (let j = 0; j < n; j++) {
    const r = random();
    if (r < 0.08) {
      acts.push("advance");
      continue;
    }
    const proc = Math.floor(random() * procs);
    const obj = r < 0.16 ? `proc:${Math.floor(random() * procs)}` : r < 0.19 ? ["pid:0", "pid:-2", "pid:-1"][Math.floor(random() * 3)] : r < 0.3 ? "line" : ["x", "y", "clock", "stdout"][Math.floor(random() * 4)];
    const op = obj.startsWith("proc:") ? (random() < 0.7 ? "kill" : "join") : obj.startsWith("pid:") ? "kill" : "op";
    acts.push({ proc, pid: proc + 2, op, obj, access: random() < 0.5 ? "read" : "write" });
  }
  return acts;
}

/** For each step, the earlier steps ordered before it: the closure of every dependent pair. */
function closureOfPairs(acts: readonly Act[]): Set<number>[] {
  const before: Set<number>[] = [];
  for (let j = 0; j < acts.length; j++) {
    const s = new Set<number>();
    for (let i = 0; i < j; i++) if (dependent(acts[i], acts[j])) for (const t of [i, ...before[i]]) s.add(t);
    before.push(s);
  }
  return before;
}

function closureOfDependencies(acts: readonly Act[]): Set<number>[] {
  const deps = new Dependencies();
  const before: Set<number>[] = [];
  for (const a of acts) {
    const s = new Set<number>();
    for (const i of deps.add(a)) for (const t of [i, ...before[i]]) s.add(t);
    before.push(s);
  }
  return before;
}

describe("dependencies found in linear time", () => {
  it("order a run's steps exactly as every dependent pair does", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const acts = randomActs(seed, 60);
      expect(closureOfDependencies(acts), `seed ${seed}`).toEqual(closureOfPairs(acts));
    }
  });

  it("find the last step a pending operation races with, as a scan of every earlier step does", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const acts = randomActs(seed, 60);
      const before = closureOfPairs(acts);
      const index = new RaceIndex();
      acts.forEach((a, j) => index.add(j, a));
      const pending = randomActs(seed + 1000, 20);
      for (let s = 0; s <= acts.length; s += 3) {
        for (const op of pending) {
          const p = op === "advance" ? -1 : op.proc;
          let seen = -1;
          for (let t = s - 1; t >= 0 && seen < 0; t--) if ((acts[t] === "advance" ? -1 : (acts[t] as PendingOp).proc) === p) seen = t;
          const knows = (t: number): boolean => t === seen || (seen >= 0 && before[seen].has(t));
          let expected = s - 1;
          for (; expected >= 0; expected--) {
            const a = acts[expected];
            if ((a === "advance" ? -1 : a.proc) === p || knows(expected)) continue;
            if (op === "advance" ? a !== "advance" : dependent(a, op)) break;
          }
          expect(index.lastRacing(s, op, seen, knows), `seed ${seed}, state ${s}`).toBe(expected);
        }
      }
    }
  });

  it("list the steps after a step that are not ordered after it, as a scan of the rest of the run does", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const acts = randomActs(seed, 60);
      const before = closureOfPairs(acts);
      const index = new RaceIndex();
      acts.forEach((a, j) => index.add(j, a));
      for (let i = 0; i < acts.length; i++) {
        for (const p of [-1, 0, 1, 2]) {
          const after = (t: number): boolean => before[t].has(i);
          const expected = acts.map((_, t) => t).filter((t) => t > i && !after(t) && (acts[t] === "advance" ? -1 : (acts[t] as PendingOp).proc) !== p);
          expect(index.notAfter(i, p, after), `seed ${seed}, step ${i}`).toEqual(expected);
        }
      }
    }
  });

  it("analyse a busy-wait cut at the step limit (20,000 steps) without a quadratic blow-up", () => {
    // The main process polls a flag under its lock and sleeps; the child waits to set it.
    const main = (k: number): PendingOp => [{ proc: 0, pid: 2, op: "clock", obj: "clock", access: "read" }, { proc: 0, pid: 2, op: "lock.acquire", obj: "lock:1", access: "write" }, { proc: 0, pid: 2, op: "lock.release", obj: "lock:1", access: "write" }][k % 3] as PendingOp;
    const child: PendingOp = { proc: 1, pid: 3, op: "lock.acquire", obj: "lock:1", access: "write" };
    const steps: Step[] = [];
    for (let j = 0; j < 20_000; j++) steps.push({ choice: { step: j, enabled: [main(j), child], blocked: [], canAdvance: false, clock: 0, current: 0 }, decision: 0 });
    // Before: 40 s and 3 GB for the key, seconds for DPOR's analysis; now well under a second each.
    expect(traceKey(steps).split("|")).toHaveLength(20_000);
    const dpor = new Dpor(2, true);
    dpor.absorb(dpor.root(), { steps, decisions: steps.map((s) => s.decision), output: "", exits: [], failure: { kind: "limit", what: "steps" }, token: "" });
    expect(dpor.peek()).not.toBeNull();
  }, 30_000);
});
