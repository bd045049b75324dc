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
export function killed(a: PendingOp): number | null {
  return a.op === "kill" && a.obj.startsWith("proc:") ? Number(a.obj.slice(5)) : null;
}

/**
 * Whether a `kill` point signals a process group (`pid:0`, `pid:-N`, `pid:-1`): the program is
 * one group, so the signal may reach every one of its processes.
 */
export function killsGroup(a: Act): boolean {
  return a !== "advance" && a.op === "kill" && a.obj.startsWith("pid:") && Number(a.obj.slice(4)) <= 0;
}

/**
 * Two acts are dependent when their order can matter: the same process, the same object
 * with a write among them, or a clock advance (it wakes sleepers and fires timeouts, so it
 * is ordered with everything). A signal is ordered with everything its target does, and
 * with other signals to it; a signal to a process group, with everything. Line points commute
 * with everything but their own process.
 */
export function dependent(a: Act, b: Act): boolean {
  if (a === "advance" || b === "advance") return true;
  if (a.proc === b.proc || killsGroup(a) || killsGroup(b)) return true;
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
 * The steps a run's steps directly depend on, found in linear time: for each new act, the
 * last earlier step of each kind `dependent` pairs it with (the last advance and the last
 * group kill; its process's last step; the last kill of its process; for a kill, the target's
 * last step and the last kill of the target; for an advance or a group kill, every process's
 * last step; on its object, the last write, and for a write also the reads since).
 * Every earlier dependent step is ordered before one of these by the same rules, so their
 * transitive closure is the run's whole happens-before order, which the quadratic test of
 * every pair gave (20,000 steps of a busy-wait took 40 s and 3 GB that way).
 */
export class Dependencies {
  private lastAdvance = -1;
  private lastGroupKill = -1;
  private readonly lastOf = new Map<number, number>();
  private readonly lastKillOf = new Map<number, number>();
  private readonly objects = new Map<string, { write: number; reads: number[] }>();
  private count = 0;

  /** Adds the next step's act; returns the earlier steps it directly depends on (one may come twice). */
  add(a: Act): number[] {
    const j = this.count++;
    const preds: number[] = [];
    const push = (i: number | undefined): void => {
      if (i !== undefined && i >= 0) preds.push(i);
    };
    push(this.lastAdvance);
    push(this.lastGroupKill);
    if (a === "advance") {
      for (const i of this.lastOf.values()) push(i);
      this.lastAdvance = j;
      return preds;
    }
    if (killsGroup(a)) {
      for (const i of this.lastOf.values()) push(i);
      this.lastGroupKill = j;
    }
    push(this.lastOf.get(a.proc));
    push(this.lastKillOf.get(a.proc));
    const target = killed(a);
    if (target !== null) {
      push(this.lastOf.get(target));
      push(this.lastKillOf.get(target));
      this.lastKillOf.set(target, j);
    }
    if (a.obj !== "line") {
      let o = this.objects.get(a.obj);
      if (!o) this.objects.set(a.obj, (o = { write: -1, reads: [] }));
      push(o.write);
      if (a.access === "write") {
        for (const i of o.reads) push(i);
        o.write = j;
        o.reads = [];
      } else o.reads.push(j);
    }
    this.lastOf.set(a.proc, j);
    return preds;
  }
}

/**
 * A key for the run's Mazurkiewicz trace: two runs get the same key exactly when one is a
 * reordering of the other by swapping adjacent independent steps. It is the trace's
 * lexicographic normal form: repeatedly emit, among the steps whose dependent predecessors
 * are all out, the one with the smallest (process, position). Linear in the steps (each
 * process's steps are ordered, so at most one per process is ready at a time).
 */
export function traceKey(steps: readonly Step[]): string {
  const acts = steps.map((s) => actOf(s.choice, s.decision));
  const n = acts.length;
  const preds = new Array<number>(n).fill(0);
  const succs: number[][] = acts.map(() => []);
  const deps = new Dependencies();
  for (let j = 0; j < n; j++) {
    for (const i of deps.add(acts[j])) {
      succs[i].push(j);
      preds[j]++;
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
