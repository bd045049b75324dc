/**
 * What schedule search knows about one run's steps: which operations commute, how many
 * preemptions a schedule took, which happens-before order (Mazurkiewicz trace) it belongs to,
 * and where it first left the default schedule. Pure: no host, no kernel.
 */
import { defaultDecision } from "@/lib/kernel/sched/policy";
import type { Choice, Decision, PendingOp, Step } from "@/lib/kernel/sched/types";

/** What a step did: a process's operation, or a clock advance (which can wake anyone). */
export type Act = PendingOp | "advance";

/** The op the decision ran at this step. */
export function actOf(choice: Choice, decision: Decision): Act {
  if (decision === "advance") return "advance";
  const op = choice.enabled.find((o) => o.proc === decision);
  if (!op) throw new Error(`process ${decision} is not enabled at step ${choice.step}`);
  return op;
}

/** The process a `kill` point signals (its object is `proc:<index>`), or null. */
function killed(a: PendingOp): number | null {
  return a.op === "kill" && a.obj.startsWith("proc:") ? Number(a.obj.slice(5)) : null;
}

/**
 * Two acts are dependent when their order can matter: the same process, the same object
 * with a write among them, or a clock advance (it wakes sleepers and fires timeouts, so it
 * is ordered with everything). A signal is ordered with everything its target does, and
 * with other signals to it. Line points commute with everything but their own process.
 */
export function dependent(a: Act, b: Act): boolean {
  if (a === "advance" || b === "advance") return true;
  if (a.proc === b.proc) return true;
  const ka = killed(a);
  const kb = killed(b);
  if (ka === b.proc || kb === a.proc || (ka !== null && ka === kb)) return true;
  if (a.obj !== b.obj) return false;
  if (a.obj === "line") return false;
  return a.access === "write" || b.access === "write";
}

/** Whether choosing `decision` at `choice` is a preemption: the current process could go on, and another goes instead. */
export function isPreemption(choice: Choice, decision: Decision): boolean {
  if (choice.current === null || decision === choice.current) return false;
  return choice.enabled.some((o) => o.proc === choice.current);
}

export function preemptions(steps: readonly Step[]): number {
  let n = 0;
  for (const s of steps) if (isPreemption(s.choice, s.decision)) n++;
  return n;
}

/** The first step whose decision differs from the default schedule's (null: the run is the default schedule). */
export function firstDivergence(steps: readonly Step[]): number | null {
  for (const s of steps) if (s.decision !== defaultDecision(s.choice)) return s.choice.step;
  return null;
}

function actKey(a: Act): string {
  return a === "advance" ? "advance" : `${a.proc}:${a.op}:${a.obj}:${a.access}`;
}

/**
 * A key for the run's Mazurkiewicz trace: two runs get the same key exactly when one is a
 * reordering of the other by swapping adjacent independent steps. It is the trace's
 * lexicographic normal form: repeatedly emit, among the steps whose dependent predecessors
 * are all out, the one with the smallest (process, position). Quadratic in the steps, which
 * is cheap next to running the schedule.
 */
export function traceKey(steps: readonly Step[]): string {
  const acts = steps.map((s) => actOf(s.choice, s.decision));
  const n = acts.length;
  const preds = new Array<number>(n).fill(0);
  const succs: number[][] = acts.map(() => []);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < j; i++) {
      if (dependent(acts[i], acts[j])) {
        succs[i].push(j);
        preds[j]++;
      }
    }
  }
  const rank = (i: number): number => (acts[i] === "advance" ? -1 : (acts[i] as PendingOp).proc);
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (preds[i] === 0) ready.push(i);
  const out: string[] = [];
  while (ready.length > 0) {
    let best = 0;
    for (let k = 1; k < ready.length; k++) {
      const a = ready[k];
      const b = ready[best];
      if (rank(a) < rank(b) || (rank(a) === rank(b) && a < b)) best = k;
    }
    const i = ready.splice(best, 1)[0];
    out.push(actKey(acts[i]));
    for (const j of succs[i]) if (--preds[j] === 0) ready.push(j);
  }
  return out.join("|");
}
