/**
 * The bench row protocol: a bench prints `@@bench {json}` lines on stdout (one per metric);
 * bench/run.ts collects them from every bench/*.bench.ts into one table. Anything else a
 * bench prints is passed through.
 */
export interface BenchRow {
  /** What is measured, with its unit, e.g. "Queue put→get round trip (µs)". */
  readonly metric: string;
  readonly ours: number | null;
  /** CPython measured in the same run (spawn start method), or null if not comparable. */
  readonly cpython: number | null;
  /** The target, as text, e.g. "≤ 1.5× CPython" or "< 5 µs". */
  readonly target: string;
  /** Whether the target is met (null: not judged). */
  readonly ok: boolean | null;
}

export const ROW_PREFIX = "@@bench ";

export function report(row: BenchRow): void {
  process.stdout.write(`${ROW_PREFIX}${JSON.stringify(row)}\n`);
}

/**
 * Runs a bench's `main` and ends the process: 0 when it finished (workers or servers a bench
 * leaves behind must not keep it alive), 1 with the error on stderr when it threw.
 */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
