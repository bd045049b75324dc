/**
 * "Find a schedule that breaks this": runs schedules of one program until one fails or the
 * budget is spent. Each schedule is one controlled run (`execute`), so the search works on
 * any host: the Node CLI, tests, benches and the browser's MachinePort alike.
 *
 * Order: the default schedule first (an unloaded machine; it is also the root of the
 * exhaustive search), then PCT at depths 1, 2 and 3 in turn (cheap, finds shallow bugs in a
 * few runs), then the preemption-bounded exhaustive search with sleep sets until it is
 * complete. Distinct schedules are counted by their happens-before order (traceKey).
 */
import type { Failure, Policy, RunRecord } from "@/lib/kernel/sched/types";
import { BoundedDfs } from "./dfs";
import { pctPolicy } from "./pct";
import { firstDivergence, preemptions, traceKey } from "./trace";

/** One schedule: a controlled run of the program under `policy`. */
export type Execute = (policy: Policy) => Promise<RunRecord>;

export type Strategy = "default" | "pct" | "dfs";

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

export async function search(execute: Execute, options: SearchOptions = {}, onProgress?: (p: SearchProgress) => void): Promise<SearchResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const maxSchedules = options.maxSchedules ?? 1000;
  const timeLimit = options.timeLimitMs ?? 120_000;
  const bound = options.preemptionBound ?? 2;
  const depths = options.pctDepths ?? [1, 2, 3];
  const pctRuns = options.pctRuns ?? 10;
  const seed = options.seed ?? 0;
  const dfs = new BoundedDfs(bound, options.reduction ?? true);
  const traces = new Set<string>();
  let explored = 0;
  let random = 0;
  let truncated = 0;
  let redundant = 0;
  let found: FoundFailure | null = null;

  const one = async (policy: Policy, strategy: Strategy): Promise<RunRecord> => {
    const r = await execute(policy);
    explored++;
    if (strategy === "pct") random++;
    if (r.failure?.kind === "limit") truncated++;
    traces.add(traceKey(r.steps));
    const failure = failureOf(r, options.expectedOutput, options.judge, options.verdict);
    if (failure && !found) found = { record: r, failure, divergedAt: firstDivergence(r.steps), strategy, index: explored, preemptions: preemptions(r.steps) };
    onProgress?.({ explored, distinct: traces.size, strategy, elapsedMs: now() - started });
    return r;
  };
  const outOfBudget = (): Outcome | null => {
    if (options.shouldStop?.()) return "stopped";
    if (explored >= maxSchedules) return "schedules";
    if (now() - started >= timeLimit) return "time";
    return null;
  };
  const result = (outcome: Outcome): SearchResult => ({
    outcome: found ? "failed" : outcome,
    explored,
    distinct: traces.size,
    random,
    elapsedMs: now() - started,
    bound,
    truncated,
    redundant,
    found,
  });

  // The default schedule, which is also where the exhaustive search starts.
  const root = dfs.next();
  if (!root) return result("exhausted");
  const first = await one({ choose: root.choose }, "default");
  root.absorb(first);
  if (found) return result("failed");

  const procs = new Set(first.steps.flatMap((s) => s.choice.enabled.map((o) => o.proc))).size;
  const choiceSteps = first.steps.filter((s) => s.choice.enabled.length + (s.choice.canAdvance ? 1 : 0) >= 2).length;
  for (let r = 0; r < pctRuns; r++) {
    for (const depth of depths) {
      const stop = outOfBudget();
      if (stop) return result(stop);
      await one(pctPolicy({ depth, steps: choiceSteps, procs, seed: (seed * 1_000_003 + r * 97 + depth) >>> 0 }), "pct");
      if (found) return result("failed");
    }
  }

  for (;;) {
    const stop = outOfBudget();
    if (stop) return result(stop);
    const run = dfs.next();
    if (!run) return result("exhausted");
    run.absorb(await one({ choose: run.choose }, "dfs"));
    if (run.redundant()) redundant++;
    if (found) return result("failed");
  }
}
