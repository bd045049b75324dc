/**
 * "Find a schedule that breaks this": runs schedules of one program until one fails or the
 * budget is spent. Each schedule is one controlled run (`execute`), so the search works on
 * any host: the Node CLI, tests, benches and the browser's MachinePort alike.
 *
 * Order: the default schedule first (an unloaded machine; it is also the root of the
 * exhaustive search), then PCT at depths 1, 2 and 3 in turn (cheap, finds shallow bugs in a
 * few runs), then the preemption-bounded exhaustive search with sleep sets until it is
 * complete. Distinct schedules are counted by their happens-before order (traceKey).
 * Several executors (machines) run schedules at once with the same result: see `search`.
 */
import type { Failure, Policy, RunRecord } from "@/lib/kernel/sched/types";
import { dfsRoot, type DfsRun } from "./dfs";
import { Dpor, sameRun, type DporRun } from "./dpor";
import { pctPolicy } from "./pct";
import { firstDivergence, preemptions, traceKey } from "./trace";

/**
 * One schedule: a controlled run of the program under `policy`. A schedule run ahead of its
 * turn gets a `signal`, aborted when its record will not be used (the executor may stop it).
 */
export type Execute = (policy: Policy, signal?: AbortSignal) => Promise<RunRecord>;

/** "dfs" and "dpor": the two exhaustive searches (see `exhaustive`). */
export type Strategy = "default" | "pct" | "dfs" | "dpor";

export interface SearchOptions {
  /** Default 1000. */
  readonly maxSchedules?: number;
  /** Default 120 000 (two minutes). */
  readonly timeLimitMs?: number;
  /** CHESS's preemption bound for the exhaustive part. Default 2. */
  readonly preemptionBound?: number;
  /** PCT depths, tried in turn. Default [1, 2, 3]. */
  readonly pctDepths?: readonly number[];
  /** PCT schedules per depth before the exhaustive search. Default 10. */
  readonly pctRuns?: number;
  /** Seeds PCT's priorities. Default 0. */
  readonly seed?: number;
  /** Sleep-set reduction. Default true (off only to measure what it saves). */
  readonly reduction?: boolean;
  /**
   * The exhaustive part: "dpor" (default) branches only where a race between dependent
   * operations demands it (./dpor.ts); each of its schedules is known only once the last one
   * ended, so free executors run ahead the ones that come next if the runs before them ask for
   * no new backtrack point, and each is used when it does come next. "dfs" tries every
   * alternative at every step within the bound (./dfs.ts), on every executor at once.
   */
  readonly exhaustive?: "dpor" | "dfs";
  /** For lesson blocks: a schedule whose output differs from this fails. */
  readonly expectedOutput?: string;
  /** For exercises: a schedule fails when this returns a message about its output. */
  readonly judge?: (output: string) => string | null;
  /**
   * Replaces the rules above: a schedule fails exactly when this returns a message (a lesson
   * block's check, to which an exception or a deadlock may be the expected outcome).
   */
  readonly verdict?: (r: RunRecord) => string | null;
  /** Asked between schedules: true ends the search ("stopped"). */
  readonly shouldStop?: () => boolean;
  /** A clock in ms (tests pass a fake one). Default Date.now. */
  readonly now?: () => number;
}

export interface SearchProgress {
  readonly explored: number;
  readonly distinct: number;
  readonly strategy: Strategy;
  readonly elapsedMs: number;
}

export interface FoundFailure {
  readonly record: RunRecord;
  readonly failure: Failure;
  /** The first step at which this schedule left the default one (where to look first); null when it is the default schedule. */
  readonly divergedAt: number | null;
  readonly strategy: Strategy;
  /** 1-based: the schedule that failed. */
  readonly index: number;
  readonly preemptions: number;
}

export type Outcome = "failed" | "exhausted" | "schedules" | "time" | "stopped";

export interface SearchResult {
  readonly outcome: Outcome;
  readonly explored: number;
  /** Schedules with different happens-before orders (Mazurkiewicz traces). */
  readonly distinct: number;
  /** Of `explored`, how many were PCT's (they may have more preemptions than the bound). */
  readonly random: number;
  readonly elapsedMs: number;
  readonly bound: number;
  /** Schedules that ran out of steps (not failures). */
  readonly truncated: number;
  /** Exhaustive-search schedules that only repeated an explored trace (sleep-set blocked). */
  readonly redundant: number;
  /** Host time DPOR spent finding races between the schedules (ms). */
  readonly analysisMs: number;
  readonly found: FoundFailure | null;
}

/** What counts as failing: anything the runner reports but the step limit, or output that differs from the expected. */
export function failureOf(r: RunRecord, expectedOutput?: string, judge?: (output: string) => string | null, verdict?: (r: RunRecord) => string | null): Failure | null {
  if (verdict) {
    if (r.failure?.kind === "limit") return null;
    const message = verdict(r);
    return message === null ? null : { kind: "check", message };
  }
  if (r.failure && r.failure.kind !== "limit") return r.failure;
  if (expectedOutput !== undefined && r.failure === null && r.output !== expectedOutput) return { kind: "output", expected: expectedOutput, actual: r.output };
  const message = r.failure === null ? (judge?.(r.output) ?? null) : null;
  return message === null ? null : { kind: "check", message };
}

/** Where a schedule stands in the sequential order: the default one, then PCT's in turn, then the exhaustive search's pre-order. */
type Key = readonly number[];

function earlier(a: Key, b: Key): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return a.length < b.length;
}

interface Task {
  readonly key: Key;
  readonly strategy: Strategy;
  readonly policy: Policy;
  readonly dfs: DfsRun | null;
  readonly dpor: DporRun | null;
  /** The schedule already runs ahead (a DPOR schedule adopted, see Ahead): its record comes from there. */
  readonly ran?: Promise<RunRecord>;
}

/** A DPOR schedule run on a free executor before it is known to come next (Dpor.speculate). */
interface Ahead {
  readonly run: DporRun;
  readonly record: Promise<RunRecord>;
  readonly abort: AbortController;
}

interface Ran {
  readonly key: Key;
  readonly strategy: Strategy;
  readonly record: RunRecord;
  readonly trace: string;
  readonly failure: Failure | null;
  readonly redundant: boolean;
}

/**
 * Runs the search on one executor, or on several at once (one per machine: `execute` may be
 * an array; each runs one schedule at a time). The result is the sequential search's, whatever
 * the number of executors: the schedules reported are the first ones in the sequential order
 * (the default schedule, PCT's, then the exhaustive search's depth-first order) up to the
 * first failing one or the schedule budget, and the failure reported is the first in that
 * order. With several executors a free one takes the earliest schedule that can start (the
 * next child of a finished run, so each executor mostly walks its own subtree), or runs a
 * DPOR schedule ahead of its turn (see `exhaustive`); runs that turn out to lie past the first
 * failure or the budget are discarded, and no schedule past them starts. Only a time limit
 * or `shouldStop` leaves a set that depends on timing: then every schedule that finished is
 * reported, and the first failure in the order among them.
 */
export async function search(execute: Execute | readonly Execute[], options: SearchOptions = {}, onProgress?: (p: SearchProgress) => void): Promise<SearchResult> {
  const lanes: readonly Execute[] = typeof execute === "function" ? [execute] : execute;
  if (lanes.length === 0) throw new Error("search needs at least one executor");
  const now = options.now ?? Date.now;
  const started = now();
  const maxSchedules = options.maxSchedules ?? 1000;
  // The default schedule always runs.
  const budget = Math.max(1, maxSchedules);
  const timeLimit = options.timeLimitMs ?? 120_000;
  const bound = options.preemptionBound ?? 2;
  const depths = options.pctDepths ?? [1, 2, 3];
  const pctRuns = options.pctRuns ?? 10;
  const seed = options.seed ?? 0;
  const useDpor = (options.exhaustive ?? "dpor") === "dpor";
  const root = dfsRoot(bound, options.reduction ?? true);
  const dpor = new Dpor(bound, options.reduction ?? true);
  let dporTaken = 0;

  const finished: Ran[] = [];
  const traces = new Set<string>();
  /** Keys of the schedules finished or running, sorted: the budget's cut is the budget-th. */
  const keys: Key[] = [];
  let firstFailure: Key | null = null;
  const pct: Task[] = [];
  /** Finished exhaustive-search runs that may have children left, with the key their children extend. */
  const open: { run: DfsRun; base: Key; taken: number }[] = [];
  let rootStarted = false;
  /** The DPOR search has been absorbed into and may have schedules left. */
  let dporOpen = false;
  let ended: Outcome | null = null;
  let error: { e: unknown } | null = null;
  /** DPOR schedules running ahead on other executors, in the order they would come (Dpor.speculate). */
  let ahead: Ahead[] = [];
  const drop = (from: number): void => {
    for (const a of ahead.slice(from)) a.abort.abort();
    ahead = ahead.slice(0, from);
  };

  const addKey = (k: Key): void => {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (earlier(keys[mid], k)) lo = mid + 1;
      else hi = mid;
    }
    keys.splice(lo, 0, k);
  };
  /** No schedule at or past this key is needed: the first failure, or the last one within the budget. */
  const cut = (): Key | null => {
    let c = firstFailure;
    if (keys.length >= budget && (c === null || earlier(keys[budget - 1], c))) c = keys[budget - 1];
    return c;
  };
  const nextTask = (): Task | null => {
    if (!rootStarted) {
      rootStarted = true;
      if (useDpor) {
        const r = dpor.root();
        return { key: [0], strategy: "default", policy: r.policy, dfs: null, dpor: r };
      }
      return { key: [0], strategy: "default", policy: { choose: root.choose, keeps: root.keeps }, dfs: root, dpor: null };
    }
    let best: Key | null = pct.length > 0 ? pct[0].key : null;
    let from = -1;
    if (useDpor && dporOpen && !dpor.busy()) {
      if (dpor.peek() === null) dporOpen = false;
      else {
        const k = [2, dporTaken];
        if (best === null || earlier(k, best)) {
          best = k;
          from = -2;
        }
      }
    }
    for (let i = 0; i < open.length; i++) {
      const o = open[i];
      if (o.run.peekChild() === null) {
        open.splice(i--, 1);
        continue;
      }
      const k = [...o.base, o.taken];
      if (best === null || earlier(k, best)) {
        best = k;
        from = i;
      }
    }
    if (best === null) return null;
    const c = cut();
    if (c !== null && !earlier(best, c)) return null;
    if (from === -2) {
      const run = dpor.take();
      if (run === null) return null;
      dporTaken++;
      const a = ahead[0];
      if (a && sameRun(a.run, run)) {
        ahead.shift();
        dpor.adopt(run, a.run);
        return { key: best, strategy: "dpor", policy: a.run.policy, dfs: null, dpor: a.run, ran: a.record };
      }
      drop(0);
      return { key: best, strategy: "dpor", policy: run.policy, dfs: null, dpor: run };
    }
    if (from < 0) return pct.shift() ?? null;
    const o = open[from];
    const run = o.run.takeChild();
    if (run === null) return null;
    o.taken++;
    return { key: best, strategy: "dfs", policy: { choose: run.choose, keeps: run.keeps }, dfs: run, dpor: null };
  };
  const finish = (t: Task, r: RunRecord): void => {
    const failure = failureOf(r, options.expectedOutput, options.judge, options.verdict);
    const trace = traceKey(r.steps);
    traces.add(trace);
    const redundant = t.strategy === "dfs" ? t.dfs !== null && t.dfs.redundant() : t.strategy === "dpor" ? t.dpor !== null && t.dpor.redundant() : false;
    finished.push({ key: t.key, strategy: t.strategy, record: r, trace, failure, redundant });
    if (failure && (firstFailure === null || earlier(t.key, firstFailure))) firstFailure = t.key;
    const c = cut();
    // A run past the cut opens nothing: its children come after it.
    if (t.dfs && (c === null || earlier(t.key, c))) {
      t.dfs.absorb(r);
      open.push({ run: t.dfs, base: t.strategy === "default" ? [2] : t.key, taken: 0 });
    }
    if (t.dpor) {
      // DPOR runs one at a time: the next schedule comes from every run so far.
      if (c === null || earlier(t.key, c)) {
        dpor.absorb(t.dpor, r);
        dporOpen = true;
      } else dpor.abandon(t.dpor);
    }
    if (t.strategy === "default" && !failure) {
      const procs = new Set(r.steps.flatMap((s) => s.choice.enabled.map((o) => o.proc))).size;
      const choiceSteps = r.steps.filter((s) => s.choice.enabled.length + (s.choice.canAdvance ? 1 : 0) >= 2).length;
      for (let i = 0; i < pctRuns; i++) {
        for (let d = 0; d < depths.length; d++) {
          const policy = pctPolicy({ depth: depths[d], steps: choiceSteps, procs, seed: (seed * 1_000_003 + i * 97 + depths[d]) >>> 0 });
          pct.push({ key: [1, i * depths.length + d], strategy: "pct", policy, dfs: null, dpor: null });
        }
      }
    }
    onProgress?.({ explored: finished.length, distinct: traces.size, strategy: t.strategy, elapsedMs: now() - started });
  };
  const result = (): SearchResult => {
    const order = [...finished].sort((a, b) => (earlier(a.key, b.key) ? -1 : earlier(b.key, a.key) ? 1 : 0));
    const shown: Ran[] = [];
    for (const x of order) {
      if (shown.length >= budget) break;
      shown.push(x);
      if (x.failure) break;
    }
    const last = shown.at(-1);
    const found: FoundFailure | null =
      last?.failure ? { record: last.record, failure: last.failure, divergedAt: firstDivergence(last.record.steps), strategy: last.strategy, index: shown.length, preemptions: preemptions(last.record.steps) } : null;
    const outcome: Outcome = found ? "failed" : (ended ?? (shown.length >= maxSchedules ? "schedules" : "exhausted"));
    return {
      outcome,
      explored: shown.length,
      distinct: new Set(shown.map((x) => x.trace)).size,
      random: shown.filter((x) => x.strategy === "pct").length,
      analysisMs: dpor.analysisMs,
      elapsedMs: now() - started,
      bound,
      truncated: shown.filter((x) => x.record.failure?.kind === "limit").length,
      redundant: shown.filter((x) => x.redundant).length,
      found,
    };
  };

  return new Promise<SearchResult>((resolve, reject) => {
    const free = [...lanes];
    /** Schedules started and not finished (an adopted one included), and executors running ahead. */
    let running = 0;
    let runningAhead = 0;
    const settle = (t: Task, record: Promise<RunRecord>): void => {
      running++;
      addKey(t.key);
      record
        .then(
          (r) => {
            try {
              if (error === null) finish(t, r);
            } catch (e) {
              error ??= { e };
            }
          },
          (e: unknown) => void (error ??= { e }),
        )
        .finally(() => {
          running--;
          pump();
        });
    };
    /**
     * On free executors, what comes after the DPOR schedule in flight if it, and each run
     * ahead before them, add no backtrack point (see Dpor.speculate). Runs ahead that no longer
     * fit that chain (the search moved on) are dropped.
     */
    const runAhead = (): void => {
      if (!useDpor || !dpor.busy()) return;
      const chain = dpor.speculate(ahead.length + free.length);
      let same = 0;
      while (same < ahead.length && same < chain.length && sameRun(ahead[same].run, chain[same])) same++;
      drop(same);
      const c = cut();
      for (let i = ahead.length; i < chain.length && free.length > 0; i++) {
        if (c !== null && !earlier([2, dporTaken + i], c)) break;
        const run = chain[i];
        const lane = free.shift()!;
        const abort = new AbortController();
        runningAhead++;
        const go = async (): Promise<RunRecord> => lane(run.policy, abort.signal);
        const record = go();
        ahead.push({ run, record, abort });
        // Its outcome counts only once adopted (settle); dropped, it is only waited for.
        void record
          .catch(() => undefined)
          .finally(() => {
            runningAhead--;
            free.push(lane);
            pump();
          });
      }
    };
    const pump = (): void => {
      while (error === null && ended === null && free.length > 0) {
        if (rootStarted) {
          if (options.shouldStop?.()) ended = "stopped";
          // As the sequential search: the schedule budget goes before the time limit.
          else if (finished.length + running < maxSchedules && now() - started >= timeLimit) ended = "time";
          if (ended) break;
        }
        const t = nextTask();
        if (!t) break;
        if (t.ran) {
          settle(t, t.ran);
          continue;
        }
        const lane = free.shift()!;
        const go = async (): Promise<RunRecord> => lane(t.policy);
        settle(
          t,
          go().finally(() => free.push(lane)),
        );
      }
      // The DPOR schedules are over, or past the cut: what runs ahead would never be adopted.
      const over = error !== null || ended !== null || (free.length > 0 && !dpor.busy());
      if (over) drop(0);
      else runAhead();
      if (running > 0 || runningAhead > 0) return;
      if (error) reject(error.e);
      else resolve(result());
    };
    pump();
  });
}
