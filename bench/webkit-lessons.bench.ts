/**
 * Every lesson block and every exercise's solution in WebKit without SharedArrayBuffer
 * (WebKitGTK's MiniBrowser as Debian ships it, no JSC_useSharedArrayBuffer): the site's
 * compatibility mode, through the page's own runtime (/dev/lessons, tests/browsers/lesson-blocks.ts),
 * judged as the Node suite judges them. Prints a line per case, a line per lesson and the
 * total time; fails (exit 1) when any case fails.
 *
 *   npx tsx bench/webkit-lessons.bench.ts [SUBSTRING…]   # only cases whose name contains one
 *
 * Uses the build in $NEXT_DIST_DIR (default .next-test), building it first if missing;
 * WEBKIT_BENCH_URL=http://localhost:3114 uses a server that is already running.
 */
import { EXERCISES } from "../lib/lessons/exercises";
import { freePort } from "../lib/live/testing/redis-server";
import { formatResult, runLessonBlocks, type CaseResult } from "../tests/browsers/lesson-blocks";
import { openWebKit } from "../tests/browsers/webkit";
import { startNextServer } from "./next-server";
import { report, runBench } from "./report";

const distDir = process.env.NEXT_DIST_DIR || ".next-test";
const filters = process.argv.slice(2);

/** The lesson folder's slug a case belongs to (`NN-slug/en.mdx:…`, or an exercise's lesson). */
function lessonOf(name: string): string {
  if (name.startsWith("exercise:")) return EXERCISES.find((e) => `exercise:${e.id}` === name)?.lesson ?? "?";
  return name.split("/")[0].replace(/^\d{2}-/, "");
}

async function main(): Promise<void> {
  const { base, child } = await startNextServer({ distDir, probePath: "/dev/lessons", reuseUrl: process.env.WEBKIT_BENCH_URL });
  let run;
  try {
    const tab = await openWebKit({ sharedArrayBuffer: false, port: Number(process.env.WEBKIT_DRIVER_PORT ?? (await freePort())) });
    try {
      run = await runLessonBlocks(tab, base, {
        select: (names) => names.filter((n) => filters.length === 0 || filters.some((f) => n.includes(f))),
        onResult: (r) => console.error(formatResult(r)),
      });
    } finally {
      await tab.close();
    }
  } finally {
    child?.kill();
  }
  if (run.mode !== "relay") throw new Error(`WebKit without the flag should run in compatibility mode (relay), the page chose ${run.mode}`);
  for (const s of run.skipped) console.error(`  – ${s.name}: cannot run in a browser: ${s.reason}`);
  const byLesson = new Map<string, CaseResult[]>();
  for (const r of run.results) byLesson.set(lessonOf(r.name), [...(byLesson.get(lessonOf(r.name)) ?? []), r]);
  console.error("\nper lesson (cases passed / run, seconds):");
  for (const [lesson, rs] of byLesson) {
    const passed = rs.filter((r) => r.ok).length;
    console.error(`  ${passed === rs.length ? "✓" : "✘"} ${lesson}: ${passed}/${rs.length}, ${rs.reduce((s, r) => s + r.seconds, 0).toFixed(0)} s`);
  }
  const failed = run.results.filter((r) => !r.ok);
  const retried = run.results.filter((r) => r.ok && r.tries > 1 && !r.name.startsWith("exercise:"));
  console.error(
    `\nWebKit without SharedArrayBuffer: ${run.results.length - failed.length} passed, ${failed.length} failed, ${run.skipped.length} cannot run in a browser; ` +
      `${retried.length} passed only on a later run; ${run.seconds.toFixed(0)} s in all`,
  );
  report({
    metric: `WebKit without SharedArrayBuffer: lesson blocks and exercise solutions that pass (of ${run.results.length}${run.skipped.length ? `, ${run.skipped.length} not runnable` : ""})`,
    ours: run.results.length - failed.length,
    cpython: null,
    target: `all ${run.results.length}`,
    ok: failed.length === 0,
  });
  report({ metric: "WebKit without SharedArrayBuffer: every lesson case, page load to last verdict (s)", ours: run.seconds, cpython: null, target: "", ok: null });
  if (failed.length > 0) throw new Error(`${failed.length} lesson case(s) failed in WebKit without SharedArrayBuffer:\n${failed.map((r) => `  ${r.name}`).join("\n")}`);
}

runBench(main);
