/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte,
 * ASPLOS 2010). Every process gets a random priority, and the highest-priority enabled one
 * always runs; at d − 1 random steps the running process drops to a priority below all the
 * initial ones. A bug of depth d (d ordering constraints) is then found with probability at
 * least 1 / (n · k^(d−1)) per run, for n processes and k steps.
 *
 * The clock advance is one more contender with its own priority, so PCT also explores a
 * timeout firing or a sleep ending early relative to the other processes.
 */
import type { Choice, Decision, Keeps, Policy } from "@/lib/kernel/sched/types";
import { mulberry32 } from "@/lib/scheduler/prng";

/** The seeded generator (mulberry32): the same seed gives the same schedules on every host. */
export const rng = mulberry32;

export interface PctParams {
  /** Bug depth: d − 1 priority change points. */
  readonly depth: number;
  /** Expected number of steps with a real choice (two options or more) in a run: the change points are spread over them. */
  readonly steps: number;
  /** Expected number of processes (priorities for later ones are drawn as they appear). */
  readonly procs: number;
  readonly seed: number;
}

const ADVANCE = -1;

/** One PCT schedule: a fresh policy per run. */
export function pctPolicy(p: PctParams): Policy {
  const random = rng(p.seed);
  const k = Math.max(1, p.steps);
  const changeAt = new Map<number, number>();
  // Change point i (1-based) gets priority d − i: below every initial priority (≥ d), in order.
  for (let i = 1; i < p.depth; i++) {
    let s = Math.floor(random() * k);
    while (changeAt.has(s) && changeAt.size < k) s = (s + 1) % k;
    changeAt.set(s, p.depth - i);
  }
  const priority = new Map<number, number>();
  // Initial priorities are distinct values ≥ d; a contender seen later draws a random one in the same range.
  const draw = (): number => p.depth + random() * (p.procs + 1) + random() * 1e-6;
  const prio = (who: number): number => {
    let v = priority.get(who);
    if (v === undefined) priority.set(who, (v = draw()));
    return v;
  };
  const best = (c: Choice): number => {
    let top = c.enabled[0].proc;
    for (const o of c.enabled) if (prio(o.proc) > prio(top)) top = o.proc;
    if (c.canAdvance && prio(ADVANCE) > prio(top)) return ADVANCE;
    return top;
  };
  // Change points count only steps with a choice: a step with one option cannot be preempted,
  // so counting it would only dilute the odds (k shrinks from all steps to the real choices).
  let choices = 0;
  let last: { readonly c: Choice; readonly pick: number } | null = null;
  return {
    choose(c: Choice): Decision {
      let pick = best(c);
      if (c.enabled.length + (c.canAdvance ? 1 : 0) >= 2) {
        const lowered = changeAt.get(choices++);
        if (lowered !== undefined) {
          priority.set(pick, lowered);
          pick = best(c);
        }
      }
      last = { c, pick };
      return pick === ADVANCE ? "advance" : pick;
    },
    /**
     * The process just chosen keeps running while it outranks every other enabled process of
     * the run and the clock, up to the next change point, and until it wakes a blocked process
     * that outranks it (`unless`: what those wait on). Nothing is drawn here: a contender with
     * no priority yet ends it.
     */
    keeps(step: number): Keeps | number {
      if (last === null || last.c.step !== step || last.pick === ADVANCE) return 0;
      const pick = last.pick;
      const mine = priority.get(pick);
      if (mine === undefined) return 0;
      const others = last.c.enabled.map((o) => o.proc).filter((q) => q !== pick);
      if (last.c.blocked.some((b) => b.deadline !== null) || (last.c.timers?.length ?? 0) > 0) others.push(ADVANCE);
      for (const q of others) {
        const v = priority.get(q);
        if (v === undefined || v > mine) return 0;
      }
      const unless: string[] = [];
      for (const b of last.c.blocked) {
        const v = priority.get(b.proc);
        if (v === undefined || v > mine) unless.push(b.obj);
      }
      let next = Infinity;
      for (const at of changeAt.keys()) if (at >= choices) next = Math.min(next, at);
      return unless.length > 0 ? { steps: next - choices, unless } : next - choices;
    },
  };
}
