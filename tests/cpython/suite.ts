/**
 * CPython 3.11's own multiprocessing tests (Debian's libpython3.11-testsuite), run by
 * tests/cpython/run_suite.py on Spawnpoint's Node host and on CPython 3.11 itself, with the
 * same test selection, so the two sets of counts can stand side by side (the bench and the
 * unit test's floor). Our interpreter is CPython 3.14 (Pyodide) running 3.11's tests: a
 * test that checks a detail 3.14 changed can fail for that reason alone.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createNodeMachine } from "@/lib/runtime/node";

/** Where Debian's libpython3.11-testsuite puts CPython's `test` package. */
export const TESTSUITE = "/usr/lib/python3.11/test";
export const CPYTHON = "/usr/bin/python3.11";
const HERE = __dirname;

export interface Outcome {
  readonly outcome: "passed" | "failed" | "skipped";
  readonly reason: string;
}

export interface ClassCounts {
  run: number;
  passed: number;
  failed: number;
  skipped: number;
}

export interface SuiteResult {
  readonly tests: Map<string, Outcome>;
  /** The test that had started but not finished when the run ended (a hang), if any. */
  readonly hung: string | null;
  readonly seconds: number;
}

/** The files of a run: the runner, its skip list and CPython's `test` package under `test/`. */
export function suiteFiles(): Record<string, Uint8Array> {
  if (!fs.existsSync(path.join(TESTSUITE, "_test_multiprocessing.py"))) {
    throw new Error(`${TESTSUITE}/_test_multiprocessing.py is missing: install Debian's libpython3.11-testsuite`);
  }
  const files: Record<string, Uint8Array> = {};
  for (const f of ["run_suite.py", "skips.py"]) files[f] = fs.readFileSync(path.join(HERE, f));
  for (const f of ["__init__.py", "_test_multiprocessing.py", "mp_preload.py"]) files[`test/${f}`] = fs.readFileSync(path.join(TESTSUITE, f));
  for (const f of fs.readdirSync(path.join(TESTSUITE, "support"))) {
    if (f.endsWith(".py")) files[`test/support/${f}`] = fs.readFileSync(path.join(TESTSUITE, "support", f));
  }
  return files;
}

/** Reads run_suite.py's `@@start` / `@@test` lines. */
export function parseSuite(stdout: string, seconds: number): SuiteResult {
  const tests = new Map<string, Outcome>();
  let started: string | null = null;
  for (const line of stdout.split("\n")) {
    if (line.startsWith("@@start ")) started = line.slice(8).trim();
    else if (line.startsWith("@@test ")) {
      const t = JSON.parse(line.slice(7)) as { id: string; outcome: Outcome["outcome"]; reason: string };
      // Class-level errors (setUpClass/tearDownClass) come as "tearDownClass (__main__.Cls)".
      const m = /^(\w+) \(\w+\.(\w+)\)$/.exec(t.id);
      const id = m ? `${m[2]}.${m[1]}` : t.id;
      tests.set(id, { outcome: t.outcome, reason: t.reason });
      if (id === started) started = null;
    }
  }
  return { tests, hung: started !== null && !tests.has(started) ? started : null, seconds };
}

/** Per-class counts; a hung test counts as run and failed. */
export function countByClass(r: SuiteResult): Map<string, ClassCounts> {
  const out = new Map<string, ClassCounts>();
  const add = (id: string, outcome: Outcome["outcome"]): void => {
    const cls = id.split(".")[0];
    const c = out.get(cls) ?? { run: 0, passed: 0, failed: 0, skipped: 0 };
    c.run++;
    c[outcome]++;
    out.set(cls, c);
  };
  for (const [id, t] of r.tests) add(id, t.outcome);
  if (r.hung) add(r.hung, "failed");
  return out;
}

/** Runs the selection on Spawnpoint's Node host; stops it after `timeoutMs`. */
export async function runOurs(classes: readonly string[], timeoutMs: number): Promise<SuiteResult> {
  const machine = createNodeMachine();
  let stdout = "";
  const decoder = new TextDecoder();
  machine.onOutput((c) => {
    if (c.fd === 1) stdout += decoder.decode(c.data, { stream: true });
  });
  const t0 = performance.now();
  try {
    const { exit } = machine.run({ files: suiteFiles(), entry: "run_suite.py", argv: [...classes] });
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([exit, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  } finally {
    machine.dispose();
  }
  return parseSuite(stdout, (performance.now() - t0) / 1000);
}

/** The same selection on CPython 3.11 (null when python3.11 is not installed). */
export function runCPython(classes: readonly string[], timeoutMs: number): Promise<SuiteResult | null> {
  if (!fs.existsSync(CPYTHON)) return Promise.resolve(null);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(CPYTHON, ["run_suite.py", ...classes], { cwd: HERE, env: { ...process.env, PYTHONPATH: path.dirname(TESTSUITE) }, stdio: ["ignore", "pipe", "ignore"] });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", () => {
      clearTimeout(timer);
      resolve(parseSuite(stdout, (performance.now() - t0) / 1000));
    });
  });
}
