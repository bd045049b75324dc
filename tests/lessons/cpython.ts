/**
 * Author tool: runs every runnable block of every lesson with the machine's real CPython
 * (spawn start method forced by a sitecustomize, line-buffered like a terminal) and compares
 * with the lesson's output block. This is how the expected outputs were verified; the CI
 * test (lessons.test.ts) runs the same blocks through the Node host instead.
 *
 *   npx tsx tests/lessons/cpython.ts [lesson-dir-substring] [--runs N]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { compareOutput, extractRunnableBlocks } from "../../lib/lessons";

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
        const res = spawnSync("sh", ["-c", `python3 ${block.entry} 2>&1`], {
          cwd: work,
          env: { ...process.env, PYTHONPATH: site, PYTHONUNBUFFERED: "" },
          timeout: (block.timeout ?? 20) * 1000,
          encoding: "utf8",
        });
        const out = res.stdout ?? "";
        const where = `${dir}/${lang}.mdx:${block.line}`;
        if (block.expected === null) {
          console.log(`-- ${where} (no output block)\n${out}`);
          continue;
        }
        const cmp = compareOutput(block.expected, out, { unordered: block.unordered });
        const exitOk = block.expectError ? res.status !== 0 : res.status === 0 || block.timeout !== null;
        if (cmp.ok && exitOk) passed++;
        else {
          failed++;
          console.log(`FAIL ${where} run ${r + 1} (exit ${res.status})`);
          if (!cmp.ok) console.log(`  ${cmp.mismatch.reason} at line ${cmp.mismatch.line}\n  expected: ${cmp.mismatch.expected}\n  actual:   ${cmp.mismatch.actual}`);
          console.log(out.split("\n").map((l) => "  | " + l).join("\n"));
        }
      }
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
