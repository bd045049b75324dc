/**
 * Lesson blocks in a real browser: opens the fixture page /dev/lessons (built with
 * SPAWNPOINT_DEV_PAGES=1), which runs each named block or exercise solution on the page's own
 * runtime (the kernel, Pyodide workers and, without SharedArrayBuffer, the service worker's
 * relay: what a reader's Run and Check use) and judges it as the Node suite does
 * (lib/lessons/judge.ts). Used by bench/webkit-lessons.bench.ts (every case) and by the
 * webkit-nosab step of tests/browsers (a sample).
 */
import type { CaseResult, LessonsApi } from "../../app/dev/lessons/LessonBlocksFixture";
import { waitFor, type Tab } from "./tab";

export type { CaseResult };

/**
 * Cases the browser cannot run at all, by name, with the reason: listed in every report,
 * never silently skipped. Empty: every block and exercise runs in the browser.
 */
export const BROWSER_CANNOT_RUN: Record<string, string> = {};

export interface LessonRun {
  /** The page runtime's mode ("relay": compatibility mode). */
  mode: string | null;
  results: CaseResult[];
  /** Cases left out, with the reason (BROWSER_CANNOT_RUN). */
  skipped: { name: string; reason: string }[];
  seconds: number;
}

export interface LessonRunOptions {
  /** Which cases to run, by name (default: all of them). */
  select?: (names: string[]) => string[];
  /** Called as each result arrives. */
  onResult?: (r: CaseResult) => void;
  /** Fails when no case finishes for this long (default 6 min: three runs of a 90 s block, booting included). */
  stallMs?: number;
}

const API = "window.__spLessons";

export async function runLessonBlocks(tab: Tab, base: string, options: LessonRunOptions = {}): Promise<LessonRun> {
  const { select = (n) => n, onResult, stallMs = 360_000 } = options;
  const t0 = Date.now();
  await tab.goto(`${base}/dev/lessons`);
  await waitFor(tab, `return Boolean(${API});`, "the lesson-blocks fixture", 60_000);
  const { names, mode } = await tab.eval<Pick<LessonsApi, "names" | "mode">>(`return { names: ${API}.names, mode: ${API}.mode };`);
  const chosen = select(names);
  const unknown = chosen.filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new Error(`no such lesson cases: ${unknown.join(", ")}`);
  const skipped = chosen.filter((n) => n in BROWSER_CANNOT_RUN).map((name) => ({ name, reason: BROWSER_CANNOT_RUN[name] }));
  const toRun = chosen.filter((n) => !(n in BROWSER_CANNOT_RUN));
  await tab.eval(`${API}.start(${JSON.stringify(toRun)}); return true;`);
  const results: CaseResult[] = [];
  let lastProgress = Date.now();
  for (;;) {
    const state = await tab.eval<{ results: CaseResult[]; done: boolean; fatal: string | null }>(
      `const a = ${API}; return { results: a.results.slice(${results.length}), done: a.done, fatal: a.fatal };`,
    );
    for (const r of state.results) {
      results.push(r);
      onResult?.(r);
      lastProgress = Date.now();
    }
    if (state.fatal) throw new Error(`the page's runtime failed: ${state.fatal}`);
    if (state.done && results.length === toRun.length) break;
    if (Date.now() - lastProgress > stallMs) throw new Error(`no lesson case finished within ${stallMs / 1000} s (stuck at ${toRun[results.length]})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { mode, results, skipped, seconds: (Date.now() - t0) / 1000 };
}

/** One line per case, as the bench and the test print them. */
export function formatResult(r: CaseResult): string {
  const head = `  ${r.ok ? "✓" : "✘"} ${r.name} (${r.seconds.toFixed(1)}s${r.tries > 1 ? `, ${r.tries} runs` : ""})`;
  const missed = r.missed.map((m, i) => `\n      run ${i + 1}: ${m}`).join("");
  return r.error ? `${head}${missed}\n      ${r.error.split("\n").join("\n      ")}` : `${head}${missed}`;
}
