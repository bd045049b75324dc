/**
 * Small pure transition systems that behave like controlled runs: processes with a list of
 * operations on shared state, run one step at a time under a Policy, recorded as a RunRecord
 * (the runner's rules: try then block, deadlines and clock advances, deadlock when nothing
 * can move). The search's unit tests use them to check the algorithms on programs whose
 * schedules can be counted by hand; the real runner is tested on Python programs.
 */
import type { DeadlockReport } from "@/lib/kernel/deadlock";
import { defaultDecision, deviations, encodeToken } from "@/lib/kernel/sched/policy";
import type { Access, BlockedOp, Choice, Decision, Failure, PendingOp, Policy, RunRecord, Step } from "@/lib/kernel/sched/types";

export type State = Record<string, number>;

export interface ModelOp {
  readonly op: string;
  readonly obj: string;
  readonly access: Access;
  /** Runs the op (throw to fail the process as an uncaught exception). */
  readonly run?: (s: State, local: State) => void;
  /** While true, the op cannot run (it is blocked on `obj`). */
  readonly blockedIf?: (s: State, local: State) => boolean;
  /** A blocked op with a timeout: the clock advance ends the wait and runs `onTimeout` instead. */
  readonly timeout?: number;
  readonly onTimeout?: (s: State, local: State) => void;
}

export interface Model {
  readonly procs: readonly (readonly ModelOp[])[];
  readonly init?: State;
  /** Checked at the end: a message fails the run (as the main process's exception would). */
  readonly check?: (s: State) => string | null;
}

/**
 * One run of `model` under `policy`, as the runner would record it. It also holds the policy to
 * its promises (Policy.keeps, which lets a process take points without asking): after every
 * step given to a process, each of the next `keeps(step)` steps must go to that process again
 * while its next operation can go on.
 */
export async function runModel(model: Model, policy: Policy, maxSteps = 10_000): Promise<RunRecord> {
  const s: State = { ...(model.init ?? {}) };
  const locals: State[] = model.procs.map(() => ({}));
  const pc = model.procs.map(() => 0);
  const deadline: (number | null)[] = model.procs.map(() => null);
  const steps: Step[] = [];
  let clock = 0;
  let current: number | null = null;
  let failure: Failure | null = null;
  /** What the policy promised `current` (Policy.keeps): steps left, and the blocked processes whose waking ends it (Keeps.unless). */
  let promises: { left: number; readonly wakers: ReadonlySet<number> }[] = [];
  const pending = (p: number): PendingOp => {
    const o = model.procs[p][pc[p]];
    return { proc: p, pid: p + 2, op: o.op, obj: o.obj, access: o.access };
  };
  for (let step = 0; ; step++) {
    const live = model.procs.map((_, p) => p).filter((p) => pc[p] < model.procs[p].length);
    if (live.length === 0) break;
    if (step >= maxSteps) {
      failure = { kind: "limit", what: "steps" };
      break;
    }
    const enabled: PendingOp[] = [];
    const blocked: BlockedOp[] = [];
    for (const p of live) {
      const o = model.procs[p][pc[p]];
      if (o.blockedIf?.(s, locals[p])) {
        if (o.timeout !== undefined && deadline[p] === null) deadline[p] = clock + o.timeout;
        blocked.push({ ...pending(p), deadline: deadline[p] });
      } else enabled.push(pending(p));
    }
    const canAdvance = blocked.some((b) => b.deadline !== null);
    if (enabled.length === 0 && !canAdvance) {
      // The model has no kernel objects: a bare report that names who waits (no holders, no cycle).
      const report: DeadlockReport = { program: 2, waits: [], processes: blocked.map((b) => ({ pid: b.pid, name: `p${b.proc}`, exitCode: null })), cycle: [] };
      failure = { kind: "deadlock", report };
      break;
    }
    const choice: Choice = { step, enabled, blocked, canAdvance, clock, current };
    const decision: Decision = enabled.length === 0 ? "advance" : await policy.choose(choice);
    if (decision !== "advance" && !enabled.some((o) => o.proc === decision)) throw new Error(`decision ${decision} not on offer at step ${step}`);
    // Every promise lasts while the process can go on and none of the processes it named in
    // `unless` was woken.
    const canGoOn = enabled.some((o) => o.proc === current);
    promises = promises.filter((q) => q.left > 0 && canGoOn && !enabled.some((o) => q.wakers.has(o.proc)));
    if (promises.length > 0 && decision !== current) {
      throw new Error(`the policy promised step ${step} to process ${String(current)} (keeps) but chose ${String(decision)}`);
    }
    for (const q of promises) q.left--;
    if (decision === "advance") promises = [];
    else {
      const k = policy.keeps?.(step) ?? 0;
      const left = typeof k === "number" ? k : k.steps;
      const unless = new Set(typeof k === "number" ? [] : k.unless);
      const wakers = new Set(blocked.filter((b) => unless.has(b.obj)).map((b) => b.proc));
      // A promise no shorter and ended by no more wakers makes an older one redundant.
      if (left > 0) promises = [...promises.filter((q) => !(q.left <= left && [...wakers].every((w) => q.wakers.has(w)))), { left, wakers }];
    }
    if (decision === "advance" && !canAdvance) throw new Error(`cannot advance at step ${step}`);
    steps.push({ choice, decision });
    if (decision === "advance") {
      clock = Math.min(...blocked.flatMap((b) => (b.deadline === null ? [] : [b.deadline])));
      for (const b of blocked) {
        if (b.deadline === clock) {
          model.procs[b.proc][pc[b.proc]].onTimeout?.(s, locals[b.proc]);
          deadline[b.proc] = null;
          pc[b.proc]++;
        }
      }
      current = null;
      continue;
    }
    const p: number = decision;
    try {
      model.procs[p][pc[p]].run?.(s, locals[p]);
    } catch (e) {
      failure ??= { kind: "exception", proc: p, text: String(e) };
      pc[p] = model.procs[p].length;
      current = p;
      continue;
    }
    deadline[p] = null;
    pc[p]++;
    current = p;
  }
  if (!failure && model.check) {
    const msg = model.check(s);
    if (msg) failure = { kind: "exception", proc: 0, text: msg };
  }
  return { decisions: steps.map((x) => x.decision), steps, output: "", exits: [], failure, token: encodeToken(0, deviations(steps)) };
}

// Building blocks.
export const read = (obj: string, into: string): ModelOp => ({ op: "read", obj, access: "read", run: (s, l) => void (l[into] = s[obj] ?? 0) });
export const write = (obj: string, f: (l: State) => number): ModelOp => ({ op: "write", obj, access: "write", run: (s, l) => void (s[obj] = f(l)) });
export const acquire = (lock: string): ModelOp => ({ op: "lock.acquire", obj: lock, access: "write", blockedIf: (s) => (s[lock] ?? 0) === 1, run: (s) => void (s[lock] = 1) });
export const release = (lock: string): ModelOp => ({ op: "lock.release", obj: lock, access: "write", run: (s) => void (s[lock] = 0) });
export const touch = (obj: string): ModelOp => ({ op: "write", obj, access: "write" });

export { defaultDecision };

/** Three processes each add one to x under lock L: correct in every schedule (the unit tests' locked program). */
export const lockedModel: Model = {
  procs: [0, 1, 2].map(() => [acquire("L"), read("x", "v"), write("x", (l) => l.v + 1), release("L")]),
  check: (s) => (s.x === 3 ? null : `lost update: x = ${s.x}`),
};
