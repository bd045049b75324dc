/**
 * Bounded exhaustive search, stateless (CHESS: Musuvathi and Qadeer, PLDI 2007 and OSDI
 * 2008): every schedule is a fresh run whose policy replays a prefix of decisions and then
 * continues without preempting. Backtracking picks the deepest step with an alternative not
 * yet tried, within the preemption bound; the search is exhaustive when none is left.
 *
 * Sleep sets (Godefroid 1996) cut the schedules that only reorder commuting steps: once
 * the alternatives a1 … ai at a step are explored, a later sibling's subtree need not run
 * a1 … ai first unless something dependent ran in between. The continuation avoids
 * sleeping processes as well, where the bound allows, and a run that reaches a step where
 * every enabled process sleeps (sleep-set blocked) opens no branches past that step.
 *
 * Without a bound (Infinity) this covers every Mazurkiewicz trace of the program. With one,
 * it is a heuristic, as in CHESS: the trace a sleeping process stands for was explored in a
 * sibling's subtree, but its order there may need more preemptions than the bound allows, so
 * some orders that have a schedule within the bound are skipped (Coons, Musuvathi, McKinley,
 * OOPSLA 2013, make the two exact together; not done here). On the locked ticket model of the
 * unit tests: bound 2 runs 259 schedules and sees 51 of the 78 traces that have a schedule
 * within 2 preemptions; no bound runs 498 and sees all 86 traces.
 *
 * The search's default is DPOR (./dpor.ts), which branches only at races; this one stays
 * selectable (`exhaustive: "dfs"`) to compare with, and runs on several executors at once.
 */
import type { Choice, Decision, RunRecord } from "@/lib/kernel/sched/types";
import { actOf, dependent, isPreemption, type Act } from "./trace";

interface Node {
  readonly choice: Choice;
  /** Processes whose op at this step need not run first (proc → its op). */
  readonly sleep: ReadonlyMap<number, Act>;
  /** Decisions explored here so far, the current one included. */
  readonly done: Decision[];
  readonly chosen: Decision;
  /** Preemptions taken by the steps before this one. */
  readonly before: number;
}

export type Sleep = Map<number, Act>;

export function wake(sleep: ReadonlyMap<number, Act>, ran: Act): Sleep {
  const out: Sleep = new Map();
  for (const [proc, op] of sleep) if (!dependent(op, ran)) out.set(proc, op);
  return out;
}

/** The continuation after the prefix: keep the current process, else the lowest awake one; it records the sleep set it saw at each step. */
export class Continuation {
  readonly sleepAt = new Map<number, Sleep>();
  /** The first step at which every enabled process was asleep: from there on the run only repeats explored traces (null: never). */
  blockedAt: number | null = null;
  private sleep: Sleep;
  private last: number;
  private pre: number;

  constructor(
    private readonly prefix: readonly Decision[],
    sleep: Sleep,
    pre: number,
    private readonly bound: number,
    private readonly reduce: boolean,
  ) {
    this.sleep = sleep;
    this.last = prefix.length - 1;
    this.pre = pre;
  }

  /**
   * Policy.keeps: the prefix's decisions that repeat the one at `step`, then, past the prefix,
   * every step (the continuation keeps the current process, which is never asleep: it just ran).
   */
  keeps(step: number): number {
    const prefix = this.prefix;
    if (step >= prefix.length) return Infinity;
    let n = 0;
    while (step + 1 + n < prefix.length && prefix[step + 1 + n] === prefix[step]) n++;
    return step + 1 + n === prefix.length ? Infinity : n;
  }

  choose(c: Choice): Decision {
    if (c.step < this.prefix.length) return this.prefix[c.step];
    // Steps the policy was not asked about were forced clock advances: they wake everyone.
    if (c.step !== this.last + 1) this.sleep = new Map();
    this.last = c.step;
    const sleep = this.reduce ? this.sleep : new Map<number, Act>();
    this.sleepAt.set(c.step, sleep);
    const awake = c.enabled.filter((o) => !sleep.has(o.proc));
    if (awake.length === 0 && c.enabled.length > 0) this.blockedAt ??= c.step;
    const cur = c.enabled.find((o) => o.proc === c.current);
    let d: Decision;
    if (cur && !sleep.has(cur.proc)) d = cur.proc;
    else if (cur) d = awake.length > 0 && this.pre < this.bound ? awake[0].proc : cur.proc;
    else d = awake.length > 0 ? awake[0].proc : c.enabled.length > 0 ? c.enabled[0].proc : "advance";
    if (isPreemption(c, d)) this.pre++;
    this.sleep = wake(this.sleep, actOf(c, d));
    return d;
  }
}

export function everyOption(c: Choice): Decision[] {
  const all: Decision[] = c.enabled.map((o) => o.proc);
  if (c.canAdvance) all.push("advance");
  return all;
}

/**
 * One schedule of the exhaustive search and the schedules it branches to. The search is a
 * tree of runs: a run replays its prefix, continues on its own, and each later step with an
 * alternative within the bound opens a child run (the prefix up to that step, then the
 * alternative). The sequential order is the tree's pre-order, a run's children taken from
 * its deepest step up and, at one step, in the order of `everyOption`: the order of CHESS's
 * backtracking stack. A child depends only on its run's steps (its prefix, sleep set and
 * preemptions come from them), never on what a sibling's subtree found, so subtrees can run
 * in any order, or at once, and still make up the same set of schedules.
 */
export class DfsRun {
  private readonly cont: Continuation;
  private nodes: Node[] | null = null;
  private decisions: readonly Decision[] = [];
  /** The deepest node that may still have an alternative. */
  private at = -1;
  private pending: DfsRun | null | undefined;

  constructor(
    private readonly prefix: readonly Decision[],
    sleep: Sleep,
    private readonly pre: number,
    private readonly bound: number,
    private readonly reduce: boolean,
  ) {
    this.cont = new Continuation(prefix, sleep, pre, bound, reduce);
  }

  /** The run's policy. */
  readonly choose = (c: Choice): Decision => this.cont.choose(c);
  readonly keeps = (step: number): number => this.cont.keeps(step);

  /** After the run: it was sleep-set blocked, so it added no new trace (sleep sets alone cannot tell before running). */
  redundant(): boolean {
    return this.cont.blockedAt !== null;
  }

  /** Call with the run's record once it ended: the steps past the prefix become the nodes its children branch from. */
  absorb(r: RunRecord): void {
    const steps = r.steps;
    const prefix = this.prefix;
    if (steps.length < prefix.length && r.failure?.kind === "limit") {
      // Cut short (stopped at the search's time limit) before the end of its prefix: nothing to branch from.
      this.nodes = [];
      return;
    }
    for (let j = 0; j < prefix.length; j++) {
      if (j >= steps.length || steps[j].decision !== prefix[j]) {
        const how = j >= steps.length ? `the run ended after ${steps.length} steps${r.failure ? ` (${r.failure.kind})` : ""}` : `it took ${String(steps[j].decision)}, not ${String(prefix[j])}`;
        throw new Error(`the program did not repeat itself under the same schedule (step ${j}: ${how}): search needs deterministic runs`);
      }
    }
    const cont = this.cont;
    const nodes: Node[] = [];
    let before = this.pre;
    for (let j = prefix.length; j < steps.length; j++) {
      const s = steps[j];
      // Past a sleep-set blocked step every extension is equivalent to an explored one: nothing to branch on there.
      const done: Decision[] = cont.blockedAt !== null && j >= cont.blockedAt ? everyOption(s.choice) : [s.decision];
      nodes.push({ choice: s.choice, sleep: cont.sleepAt.get(j) ?? new Map(), done, chosen: s.decision, before });
      if (isPreemption(s.choice, s.decision)) before++;
    }
    this.nodes = nodes;
    this.decisions = steps.map((s) => s.decision);
    this.at = nodes.length - 1;
  }

  /** The next child in the sequential order, without taking it (null: none is left). */
  peekChild(): DfsRun | null {
    if (this.pending === undefined) this.pending = this.makeChild();
    return this.pending;
  }

  /** Takes the next child: the caller runs it. */
  takeChild(): DfsRun | null {
    const c = this.peekChild();
    this.pending = undefined;
    return c;
  }

  private makeChild(): DfsRun | null {
    const nodes = this.nodes;
    if (nodes === null) throw new Error("a run's children are known only once it ended");
    for (; this.at >= 0; this.at--) {
      const n = nodes[this.at];
      const alt = this.alternative(n);
      if (alt === null) continue;
      const sleepHere: Sleep = new Map(n.sleep);
      if (this.reduce) for (const d of n.done) if (d !== "advance") sleepHere.set(d, actOf(n.choice, d));
      n.done.push(alt);
      const step = this.prefix.length + this.at;
      const prefix = [...this.decisions.slice(0, step), alt];
      const sleep = this.reduce ? wake(sleepHere, actOf(n.choice, alt)) : new Map<number, Act>();
      return new DfsRun(prefix, sleep, n.before + (isPreemption(n.choice, alt) ? 1 : 0), this.bound, this.reduce);
    }
    // Nothing more to branch to: let go of the steps.
    this.nodes = [];
    this.decisions = [];
    return null;
  }

  private alternative(n: Node): Decision | null {
    const c = n.choice;
    if (c.enabled.length === 0) return null;
    for (const d of everyOption(c)) {
      if (n.done.includes(d)) continue;
      if (d !== "advance" && n.sleep.has(d)) continue;
      if (n.before + (isPreemption(c, d) ? 1 : 0) > this.bound) continue;
      return d;
    }
    return null;
  }
}

/** The root of the exhaustive search: the default schedule (no prefix, nothing asleep). */
export function dfsRoot(bound: number, reduce = true): DfsRun {
  return new DfsRun([], new Map(), 0, bound, reduce);
}
