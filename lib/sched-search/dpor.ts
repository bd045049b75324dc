/**
 * The exhaustive search with dynamic partial-order reduction (DPOR): instead of trying every
 * alternative at every step (./dfs.ts), a step gets a backtrack point only where a race
 * between dependent operations of two processes demands it (Flanagan and Godefroid, POPL
 * 2005), with source sets (Abdulla, Aronis, Jonsson, Sagonas, POPL 2014: a race adds nothing
 * when one of the processes that could start its reversal is already explored there) and
 * sleep sets. Dependence is the search's own (`dependent` in ./trace.ts: the kernel's object
 * of each scheduling point). The preemption bound is kept as in bounded POR (Coons,
 * Musuvathi, McKinley, OOPSLA 2013): a backtrack point past the bound is dropped, and each one
 * is also added where the block of steps it falls in began, where the same switch costs at
 * most the preemptions it would there.
 *
 * What it guarantees: with no bound (Infinity) every Mazurkiewicz trace of the program is
 * explored (DPOR with sleep sets is exact). With a bound, as the plain bounded search, it is
 * a heuristic: it explores the reversals of the races it sees whose schedules keep the bound,
 * and the conservative points above; an order that needs a race reversed only through a
 * schedule with more preemptions may be missed. The unit tests compare its verdicts with the
 * plain search's on every model and every racy program they have.
 *
 * Runs are sequential: a run's races add backtrack points to steps of earlier runs, so the
 * next schedule is known only once the last one ended. Other machines may run ahead the ones
 * that come next if the runs before them ask for no new backtrack point (`speculate`); when
 * the next schedule is such a one, its record is used (`adopt`), otherwise it is dropped.
 */
import type { Choice, Decision, PendingOp, Policy, RunRecord } from "@/lib/kernel/sched/types";
import { Continuation, everyOption, wake, type Sleep } from "./dfs";
import { actOf, Dependencies, dependent, isPreemption, killed, killsGroup, type Act } from "./trace";

interface Node {
  readonly choice: Choice;
  chosen: Decision;
  act: Act;
  /** Processes asleep when the search reached this step (proc → its op). */
  readonly sleep: ReadonlyMap<number, Act>;
  /** Decisions explored here, the current one included. */
  readonly done: Decision[];
  /** Decisions races asked for here (explored or not yet). */
  readonly backtrack: Set<Decision>;
  /** Preemptions taken by the steps before this one. */
  readonly before: number;
  /** Steps that happen before this one (a bitset over step indices). */
  hb: Uint32Array;
  /** Past a sleep-set blocked step: every extension repeats an explored trace, nothing to branch on. */
  readonly frozen: boolean;
}

const has = (set: Uint32Array, i: number): boolean => i >> 5 < set.length && (set[i >> 5] & (1 << (i & 31))) !== 0;

function procOf(a: Act): number {
  return a === "advance" ? -1 : a.proc;
}

function enabledAt(c: Choice, d: Decision): boolean {
  return d === "advance" ? c.canAdvance && c.enabled.length > 0 : c.enabled.some((o) => o.proc === d);
}

/** One schedule of the DPOR search: its policy, and whether it ended sleep-set blocked. */
export class DporRun {
  readonly cont: Continuation;
  /** What the run depends on besides the program: its prefix, its sleep set and the preemptions before its last step (see sameRun). */
  readonly identity: string;
  constructor(
    readonly prefix: readonly Decision[],
    sleep: Sleep,
    pre: number,
    bound: number,
    reduce: boolean,
  ) {
    this.cont = new Continuation(prefix, sleep, pre, bound, reduce);
    this.identity = JSON.stringify([prefix, pre, [...sleep].sort((a, b) => a[0] - b[0])]);
  }

  readonly policy: Policy = { choose: (c: Choice): Decision => this.cont.choose(c), keeps: (step: number): number => this.cont.keeps(step) };

  redundant(): boolean {
    return this.cont.blockedAt !== null;
  }
}

/** Two schedules of one search that run the same (the bound and the reduction are the search's). */
export function sameRun(a: DporRun, b: DporRun): boolean {
  return a.identity === b.identity;
}

export interface DporOptions {
  /** Also add each backtrack point where its block of steps began (bounded POR's conservative points). Default true. */
  readonly conservative?: boolean;
}

export class Dpor {
  private nodes: Node[] = [];
  /** The last run's steps by what they touch (absorb builds it; race reads it). */
  private index = new RaceIndex();
  private pending: DporRun | null | undefined;
  private running: DporRun | null = null;
  private started = false;
  /** Time spent on race analysis (ms), for the bench. */
  analysisMs = 0;
  private readonly conservative: boolean;

  constructor(
    private readonly bound: number,
    private readonly reduce = true,
    options: DporOptions = {},
  ) {
    this.conservative = options.conservative ?? true;
  }

  /** The default schedule: the root of the search. */
  root(): DporRun {
    if (this.started) throw new Error("the DPOR search has one root");
    this.started = true;
    this.running = new DporRun([], new Map(), 0, this.bound, this.reduce);
    return this.running;
  }

  /** Whether a run is in flight (the next is known only once it ended). */
  busy(): boolean {
    return this.running !== null;
  }

  /** The next schedule, without taking it (null: the search is complete). */
  peek(): DporRun | null {
    if (this.running) throw new Error("the next DPOR schedule is known only once the last one ended");
    if (this.pending === undefined) this.pending = this.makeNext();
    return this.pending;
  }

  take(): DporRun | null {
    const r = this.peek();
    this.pending = undefined;
    this.running = r;
    return r;
  }

  /**
   * While a run is in flight: the `count` schedules that come after it, one after another, if
   * none of them (nor it) asks for a new backtrack point (each the deepest alternative left
   * before the last one's branch); fewer when the search would end first. A run is
   * deterministic, so when `take` later gives a schedule with the same prefix, sleep set and
   * preemptions (`sameRun`), the record of the one run ahead is that schedule's: see `adopt`.
   */
  speculate(count: number): DporRun[] {
    const out: DporRun[] = [];
    if (!this.running) return out;
    const nodes = this.nodes;
    /** What each chosen schedule adds to `done` where it branches, and how far the tree then reaches. */
    const more = new Map<number, Decision[]>();
    let end = nodes.length;
    while (out.length < count) {
      let at = end - 1;
      let alt: Decision | null = null;
      let done: Decision[] = [];
      for (; at >= 0; at--) {
        done = [...nodes[at].done, ...(more.get(at) ?? [])];
        alt = this.alternative(nodes[at], done);
        if (alt !== null) break;
      }
      if (alt === null) break;
      out.push(this.branch(at, alt, done));
      more.set(at, [...(more.get(at) ?? []), alt]);
      for (const k of more.keys()) if (k > at) more.delete(k);
      end = at + 1;
    }
    return out;
  }

  /** `take` just gave `next`, and `ahead` (from `speculate`) is the same schedule: `ahead` is the run in flight instead. */
  adopt(next: DporRun, ahead: DporRun): void {
    if (next !== this.running || !sameRun(next, ahead)) throw new Error("adopt a run ahead only in place of the same schedule");
    this.running = ahead;
  }

  /** The run in flight ended past the search's end (its first failure or budget): nothing comes after it. */
  abandon(run: DporRun): void {
    if (run !== this.running) throw new Error("abandon the DPOR run in flight");
    this.running = null;
    this.nodes = [];
  }

  /** Call with the record of the run in flight once it ended. */
  absorb(run: DporRun, r: RunRecord): void {
    if (run !== this.running) throw new Error("absorb the DPOR run in flight");
    this.running = null;
    const steps = r.steps;
    const prefix = run.prefix;
    if (steps.length < prefix.length && r.failure?.kind === "limit") return;
    for (let j = 0; j < prefix.length; j++) {
      if (j >= steps.length || steps[j].decision !== prefix[j]) {
        const how = j >= steps.length ? `the run ended after ${steps.length} steps${r.failure ? ` (${r.failure.kind})` : ""}` : `it took ${String(steps[j].decision)}, not ${String(prefix[j])}`;
        throw new Error(`the program did not repeat itself under the same schedule (step ${j}: ${how}): search needs deterministic runs`);
      }
    }
    const t0 = performance.now();
    const cont = run.cont;
    // The step this run branched at (the last of its prefix) is an old node with a new decision; the rest are new.
    const k = Math.max(0, prefix.length - 1);
    const nodes = this.nodes;
    nodes.length = Math.min(nodes.length, k + (prefix.length === 0 ? 0 : 1));
    if (prefix.length > 0) {
      const n = nodes[k];
      n.chosen = prefix[k];
      n.act = actOf(n.choice, n.chosen);
    }
    let before = nodes.length > 0 ? nodes[nodes.length - 1].before + (isPreemption(nodes[nodes.length - 1].choice, nodes[nodes.length - 1].chosen) ? 1 : 0) : 0;
    for (let j = nodes.length; j < steps.length; j++) {
      const s = steps[j];
      nodes.push({
        choice: s.choice,
        chosen: s.decision,
        act: actOf(s.choice, s.decision),
        sleep: cont.sleepAt.get(j) ?? new Map(),
        done: [s.decision],
        backtrack: new Set([s.decision]),
        before,
        hb: new Uint32Array(0),
        frozen: cont.blockedAt !== null && j >= cont.blockedAt,
      });
      if (isPreemption(s.choice, s.decision)) before++;
    }
    // Happens-before of the new steps (k on): the steps they directly depend on and what happens
    // before those (linear in the steps but for the bitsets; see Dependencies).
    const deps = new Dependencies();
    const index = new RaceIndex();
    for (let j = 0; j < nodes.length; j++) {
      const a = nodes[j].act;
      const direct = deps.add(a);
      index.add(j, a);
      if (j < (prefix.length === 0 ? 0 : k)) continue;
      const hb = new Uint32Array((j + 31) >> 5);
      for (const i of direct) {
        hb[i >> 5] |= 1 << (i & 31);
        const h = nodes[i].hb;
        for (let w = 0; w < h.length; w++) hb[w] |= h[w];
      }
      nodes[j].hb = hb;
    }
    this.index = index;
    // Races: at every state the run reached past its branch point, each process's next
    // operation (enabled or blocked) and the clock advance against the last dependent step
    // that process has not seen.
    const last = new Map<number, number>();
    let lastAdvance = -1;
    const end = cont.blockedAt !== null ? Math.min(nodes.length, cont.blockedAt + 1) : nodes.length;
    for (let s = 0; s < end; s++) {
      if (s > k || (prefix.length === 0 && s > 0)) {
        const c = nodes[s].choice;
        for (const op of [...c.enabled, ...c.blocked]) this.race(s, op, last.get(op.proc) ?? -1);
        if (c.canAdvance && c.enabled.length > 0) this.race(s, "advance", lastAdvance);
      }
      const a = nodes[s].act;
      if (a === "advance") lastAdvance = s;
      else last.set(a.proc, s);
    }
    this.analysisMs += performance.now() - t0;
  }

  /** The race of `op` (next at state `s`, whose process last ran step `seen`) with the last dependent step it has not seen. */
  private race(s: number, op: PendingOp | "advance", seen: number): void {
    const nodes = this.nodes;
    const p = procOf(op);
    const known = seen >= 0 ? nodes[seen].hb : null;
    const knows = (t: number): boolean => t === seen || (known !== null && has(known, t));
    const i = this.index.lastRacing(s, op, seen, knows);
    if (i < 0) return;
    const n = nodes[i];
    if (n.frozen) return;
    // Every option here is asked for already (or asleep): no race can add one.
    if (everyOption(n.choice).every((q) => n.backtrack.has(q) || (q !== "advance" && n.sleep.has(q)))) return;
    // The processes that could start the reversal (source-DPOR's initials of notdep(i).op):
    // the first steps, in the rest of the run, of those not ordered after step i, and op
    // itself, that nothing before them in that sequence precedes.
    const initials: Decision[] = [];
    const seenProcs = new Set<number>();
    const words = (nodes.length + 31) >> 5;
    const inV = new Uint32Array(words);
    let opFirst = true;
    for (const t of this.index.notAfter(i, p, (u) => has(nodes[u].hb, i))) {
      const h = nodes[t].hb;
      const q = procOf(nodes[t].act);
      if (opFirst && (knows(t) || op === "advance" || dependent(nodes[t].act, op))) opFirst = false;
      if (!seenProcs.has(q)) {
        seenProcs.add(q);
        let first = true;
        for (let w = 0; w < h.length && first; w++) if ((h[w] & inV[w]) !== 0) first = false;
        if (first) initials.push(q < 0 ? "advance" : q);
      }
      inV[t >> 5] |= 1 << (t & 31);
    }
    if (opFirst) initials.push(p < 0 ? "advance" : p);
    const usable = initials.filter((q) => enabledAt(n.choice, q) && (q === "advance" || !n.sleep.has(q)));
    if (usable.length === 0) return;
    if (usable.some((q) => n.backtrack.has(q))) return;
    const q = usable.includes(p < 0 ? "advance" : p) ? (p < 0 ? "advance" : p) : usable[0];
    n.backtrack.add(q);
    if (this.conservative && this.bound !== Infinity) {
      // Bounded POR: the same switch where the block of steps holding i began.
      let b = i;
      while (b > 0 && nodes[b - 1].chosen === n.chosen) b--;
      if (b < i && !nodes[b].frozen && enabledAt(nodes[b].choice, q)) nodes[b].backtrack.add(q);
    }
  }

  private makeNext(): DporRun | null {
    const nodes = this.nodes;
    for (let at = nodes.length - 1; at >= 0; at--) {
      const n = nodes[at];
      const alt = this.alternative(n);
      if (alt === null) continue;
      const run = this.branch(at, alt, n.done);
      n.done.push(alt);
      nodes.length = at + 1;
      return run;
    }
    nodes.length = 0;
    return null;
  }

  /** The schedule that takes `alt` at step `at` after the steps before it, with `done` explored there. */
  private branch(at: number, alt: Decision, done: readonly Decision[]): DporRun {
    const nodes = this.nodes;
    const n = nodes[at];
    const sleepHere: Sleep = new Map(n.sleep);
    if (this.reduce) for (const d of done) if (d !== "advance") sleepHere.set(d, actOf(n.choice, d));
    const prefix = [...nodes.slice(0, at).map((x) => x.chosen), alt];
    const sleep = this.reduce ? wake(sleepHere, actOf(n.choice, alt)) : new Map<number, Act>();
    return new DporRun(prefix, sleep, n.before + (isPreemption(n.choice, alt) ? 1 : 0), this.bound, this.reduce);
  }

  private alternative(n: Node, done: readonly Decision[] = n.done): Decision | null {
    const c = n.choice;
    if (c.enabled.length === 0 || n.frozen) return null;
    for (const d of everyOption(c)) {
      if (!n.backtrack.has(d) || done.includes(d)) continue;
      if (d !== "advance" && n.sleep.has(d)) continue;
      if (n.before + (isPreemption(c, d) ? 1 : 0) > this.bound) continue;
      return d;
    }
    return null;
  }
}

/**
 * A run's steps by what they touch, so that a race's search for the last step dependent
 * with an operation looks only at steps that can be (a busy-wait's run of 20,000 steps made a
 * scan of every earlier step at every state take seconds). Exported for its test.
 */
export class RaceIndex {
  private readonly advances: number[] = [];
  private readonly groupKills: number[] = [];
  private readonly stepsOf = new Map<number, number[]>();
  private readonly killsOf = new Map<number, number[]>();
  private readonly onObject = new Map<string, number[]>();
  private readonly writesOn = new Map<string, number[]>();
  private readonly writes: boolean[] = [];

  add(j: number, a: Act): void {
    const at = <K>(m: Map<K, number[]>, key: K): number[] => {
      let l = m.get(key);
      if (!l) m.set(key, (l = []));
      return l;
    };
    this.writes[j] = a !== "advance" && a.access === "write";
    if (a === "advance") {
      this.advances.push(j);
      return;
    }
    at(this.stepsOf, a.proc).push(j);
    if (killsGroup(a)) this.groupKills.push(j);
    const target = killed(a);
    if (target !== null) at(this.killsOf, target).push(j);
    if (a.obj === "line") return;
    at(this.onObject, a.obj).push(j);
    if (a.access === "write") at(this.writesOn, a.obj).push(j);
  }

  /**
   * The steps after step `i`, in order, that are not ordered after it (`after`), but those of
   * process `p`. A process's steps are ordered among themselves, so those of each process are
   * the ones before its first step ordered after `i`; an advance is ordered after every step.
   */
  notAfter(i: number, p: number, after: (t: number) => boolean): number[] {
    const out: number[] = [];
    for (const [q, list] of this.stepsOf) {
      if (q === p) continue;
      for (let x = below(list, i + 1); x < list.length && !after(list[x]); x++) out.push(list[x]);
    }
    return out.sort((a, b) => a - b);
  }

  /**
   * The last step before state `s` that `op` depends on and that its process has not seen
   * (`knows`: its last step `seen` and what happens before it), or -1. Its own steps are all
   * seen. In a list whose steps are ordered among themselves, one seen step means every
   * earlier one is seen too; among an object's steps that holds past a seen write.
   */
  lastRacing(s: number, op: PendingOp | "advance", seen: number, knows: (t: number) => boolean): number {
    // Every step before an advance happens before it, and none after it: the last step, if newer.
    if (op === "advance") return s - 1 > seen ? s - 1 : -1;
    let best = -1;
    const scan = (list: readonly number[] | undefined, ordered: boolean): void => {
      if (!list) return;
      for (let x = below(list, s) - 1; x >= 0 && list[x] > best; x--) {
        const t = list[x];
        if (!knows(t)) {
          best = t;
          return;
        }
        if (ordered || this.writes[t]) return;
      }
    };
    scan(this.advances, true);
    scan(this.groupKills, true);
    // A group kill races with every process's last step it has not seen.
    if (killsGroup(op)) for (const list of this.stepsOf.values()) scan(list, true);
    scan(this.killsOf.get(op.proc), true);
    const target = killed(op);
    if (target !== null) {
      scan(this.stepsOf.get(target), true);
      scan(this.killsOf.get(target), true);
    }
    if (op.obj !== "line") {
      if (op.access === "write") scan(this.onObject.get(op.obj), false);
      else scan(this.writesOn.get(op.obj), true);
    }
    return best;
  }
}

/** How many of the sorted `list`'s entries are below `s`. */
function below(list: readonly number[], s: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
