/**
 * CPython's own multiprocessing tests as the conformance measure: CPython 3.11's
 * Lib/test/_test_multiprocessing.py (Debian's libpython3.11-testsuite), spawn classes, run
 * by tests/cpython/run_suite.py on Spawnpoint's Node host and on /usr/bin/python3.11 with
 * the same selection in the same run. One row per class: tests passed, ours next to
 * CPython's; the per-class run/passed/failed/skipped table and every failure's first line
 * are printed too. Our interpreter is CPython 3.14 (Pyodide) running 3.11's tests.
 * Run alone: `npx tsx bench/cpython-suite.bench.ts [Class ...]`.
 */
import { type ClassCounts, countByClass, runCPython, runOurs, type SuiteResult } from "../tests/cpython/suite";
import { report, runBench } from "./report";

/** Generous: the whole selection spawns several hundred processes. */
const TIMEOUT_MS = 45 * 60_000;

function classesOf(argv: string[]): string[] {
  return argv.length > 0 ? argv : [];
}

function line(name: string, c: ClassCounts | undefined): string {
  return c ? `${c.run} run, ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped` : "not run";
}

function firstLine(reason: string): string {
  const lines = reason.trim().split("\n");
  return (lines.at(-1) ?? "").slice(0, 160);
}

function total(counts: Map<string, ClassCounts>): ClassCounts {
  const t = { run: 0, passed: 0, failed: 0, skipped: 0 };
  for (const c of counts.values()) for (const k of ["run", "passed", "failed", "skipped"] as const) t[k] += c[k];
  return t;
}

async function main(): Promise<void> {
  const classes = classesOf(process.argv.slice(2));
  const theirs: SuiteResult | null = await runCPython(classes, TIMEOUT_MS);
  const ours = await runOurs(classes, TIMEOUT_MS);
  const oc = countByClass(ours);
  const tc = theirs ? countByClass(theirs) : new Map<string, ClassCounts>();
  console.log(`CPython 3.11 suite: ours ${ours.seconds.toFixed(0)} s, CPython ${theirs ? theirs.seconds.toFixed(0) : "—"} s${ours.hung ? `; ours stopped in ${ours.hung}` : ""}`);
  for (const cls of new Set([...tc.keys(), ...oc.keys()])) {
    console.log(`  ${cls}: ours ${line(cls, oc.get(cls))} | CPython ${line(cls, tc.get(cls))}`);
    const o = oc.get(cls);
    const t = tc.get(cls);
    report({ metric: `CPython 3.11 suite ${cls}: passed of ${o?.run ?? 0} run`, ours: o?.passed ?? 0, cpython: t?.passed ?? null, target: "= CPython", ok: t ? (o?.passed ?? 0) >= t.passed : null });
  }
  for (const [id, t] of ours.tests) if (t.outcome === "failed") console.log(`  ours failed ${id}: ${firstLine(t.reason)}`);
  const to = total(oc);
  const tt = total(tc);
  console.log(`  total: ours ${to.run} run, ${to.passed} passed, ${to.failed} failed, ${to.skipped} skipped | CPython ${tt.run} run, ${tt.passed} passed, ${tt.failed} failed, ${tt.skipped} skipped`);
  report({ metric: "CPython 3.11 suite, all selected classes: passed", ours: to.passed, cpython: theirs ? tt.passed : null, target: "= CPython", ok: theirs ? to.passed >= tt.passed : null });
  report({ metric: "CPython 3.11 suite, all selected classes: skipped (skip list + the tests' own)", ours: to.skipped, cpython: theirs ? tt.skipped : null, target: "only threads / fork / outside network", ok: null });
}

runBench(main);
