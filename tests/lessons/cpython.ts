/**
 * Author tool: runs every runnable block of every lesson with the machine's real CPython
 * (spawn start method forced by a sitecustomize, line-buffered like a terminal) and compares
 * with the lesson's output block. This is how the expected outputs were verified; the CI
 * test (lessons.test.ts) runs the same blocks through the Node host instead.
 *
 *   npx tsx tests/lessons/cpython.ts [lesson-dir-substring] [--runs N]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { compareOutput, extractRunnableBlocks } from "../../lib/lessons";
import type { ProgramRunner, RunnableBlock } from "../../lib/lessons";
import { EXERCISES, checkExercise } from "../../lib/lessons";

const root = path.resolve(__dirname, "../..");
const args = process.argv.slice(2);
const runsIdx = args.indexOf("--runs");
const runs = runsIdx >= 0 ? Number(args[runsIdx + 1]) : 1;
const filter = args.find((a, i) => !a.startsWith("--") && (runsIdx < 0 || i !== runsIdx + 1)) ?? "";

const site = mkdtempSync(path.join(tmpdir(), "sp-site-"));
// Line-buffered stdout/stderr like a terminal. (This machine exports PYTHONUNBUFFERED;
// unbuffered output splits print()'s text and its newline into two writes, which then
// interleave between processes.)
writeFileSync(
  path.join(site, "sitecustomize.py"),
  [
    "import io, multiprocessing, sys",
    'multiprocessing.set_start_method("spawn")',
    'sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8", line_buffering=True)',
    'sys.stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8", errors="backslashreplace", line_buffering=True)',
    "",
  ].join("\n"),
);

interface ProcResult {
  output: string;
  status: number | null;
}

/** Runs one python3 program in its own process group so a server and its children can all be stopped. */
function startPython(cwd: string, file: string) {
  const child = spawn("python3", [file], { cwd, detached: true, env: { ...process.env, PYTHONPATH: site, PYTHONUNBUFFERED: "" } });
  let output = "";
  const onData = (d: Buffer) => (output += d.toString("utf8"));
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const done = new Promise<ProcResult>((resolve) => child.on("close", (code) => resolve({ output, status: code })));
  const stop = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  return { done, stop, output: () => output };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runBlock(block: RunnableBlock, work: string): Promise<ProcResult & { timedOut: boolean }> {
  const main = startPython(work, block.entry);
  let timedOut = false;
  const limit = setTimeout(() => {
    timedOut = true;
    main.stop();
  }, (block.timeout ?? 20) * 1000);
  if (block.companions.length > 0) {
    while (!main.output().includes("\n") && !timedOut) await sleep(50);
    for (const name of block.companions) {
      const c = startPython(work, name);
      const r = await c.done;
      process.stdout.write(r.output.split("\n").map((l) => `    [${name}] ${l}`).join("\n") + "\n");
    }
    await sleep(500);
    main.stop();
  }
  const res = await main.done;
  clearTimeout(limit);
  return { ...res, timedOut };
}

/** A ProgramRunner on real CPython, for checking exercise specs against the reference. */
const cpythonRunner: ProgramRunner = async (program, { timeoutMs }) => {
  const work = mkdtempSync(path.join(tmpdir(), "sp-ex-"));
  for (const [name, text] of Object.entries(program.files)) {
    mkdirSync(path.dirname(path.join(work, name)), { recursive: true });
    writeFileSync(path.join(work, name), text);
  }
  const main = startPython(work, program.entry);
  let timedOut = false;
  const limit = setTimeout(() => {
    timedOut = true;
    main.stop();
  }, timeoutMs);
  const res = await main.done;
  clearTimeout(limit);
  main.stop(); // orphans
  return { output: res.output, exitCode: timedOut ? null : res.status, timedOut, companionOutput: {}, deadlock: null, events: [], files: {} };
};

async function checkExercises() {
  let bad = 0;
  for (const spec of EXERCISES) {
    if (!spec.id.includes(filter)) continue;
    const good = await checkExercise(spec, spec.solution, cpythonRunner);
    const starter = await checkExercise(spec, spec.starter, cpythonRunner);
    const ok = good.passed && !starter.passed;
    if (!ok) bad++;
    console.log(`${ok ? "ok  " : "FAIL"} ${spec.id}: solution ${good.passed ? "passes" : "FAILS: " + good.message.en + "\n" + (good.output ?? "")}; starter ${starter.passed ? "PASSES" : "fails: " + starter.message.en}`);
  }
  process.exit(bad ? 1 : 0);
}

async function main() {
  if (args.includes("--exercises")) return checkExercises();
  let failed = 0;
  let passed = 0;
  for (const dir of readdirSync(path.join(root, "content")).sort()) {
    if (!dir.includes(filter)) continue;
    for (const lang of ["en", "zh"]) {
      const file = path.join(root, "content", dir, `${lang}.mdx`);
      if (!existsSync(file)) continue;
      for (const block of extractRunnableBlocks(readFileSync(file, "utf8"), file)) {
        for (let r = 0; r < runs; r++) {
          const work = mkdtempSync(path.join(tmpdir(), "sp-run-"));
          for (const [name, text] of Object.entries(block.files)) {
            mkdirSync(path.dirname(path.join(work, name)), { recursive: true });
            writeFileSync(path.join(work, name), text);
          }
          const res = await runBlock(block, work);
          const where = `${dir}/${lang}.mdx:${block.line}`;
          if (block.expected === null) {
            console.log(`-- ${where} (no output block)\n${res.output}`);
            continue;
          }
          const cmp = compareOutput(block.expected, res.output, { unordered: block.unordered });
          const stopped = block.timeout !== null && res.timedOut;
          const exitOk = block.expectError ? res.status !== 0 : res.status === 0 || stopped || block.companions.length > 0;
          if (cmp.ok && exitOk) passed++;
          else {
            failed++;
            console.log(`FAIL ${where} run ${r + 1} (exit ${res.status}${res.timedOut ? ", timed out" : ""})`);
            if (!cmp.ok) console.log(`  ${cmp.mismatch.reason} at line ${cmp.mismatch.line}\n  expected: ${cmp.mismatch.expected}\n  actual:   ${cmp.mismatch.actual}`);
            console.log(res.output.split("\n").map((l) => "  | " + l).join("\n"));
          }
        }
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

void main();
