/**
 * Start latency in Chromium, as a reader pays it: the same program as bench/spawn.bench.ts
 * (bench/runtime/start_latency.py --imports-at-top: the main script imports json, statistics
 * and time at the top, starts a child, and times start() → the child's first line in Python)
 * runs in the live editor of the /dev/editor fixture, loaded through a share link.
 * - first child, cold: a freshly opened tab (the interpreter snapshot already cached, as on
 *   any visit after the first) whose Run is pressed as soon as the button is there, so the
 *   page's pool may still be booting;
 * - warm: later children of a run on a page whose runtime has booted.
 * CPython spawn runs the same script in the same run, interleaved.
 *
 * Uses the build in $NEXT_DIST_DIR (default .next-test), building it first if missing;
 * SPAWN_BENCH_URL=http://localhost:3114 uses a server that is already running.
 * Run alone: `npx tsx bench/spawn-browser.bench.ts`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { encodeShare } from "../lib/playground/share";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../tests/chromium";
import { startNextServer } from "./next-server";
import { report, runBench } from "./report";

const distDir = process.env.NEXT_DIST_DIR || ".next-test";
const FIXTURE = "/dev/editor";
const BLOCK = "hello";
/** The block's title; a single-file block's file is main.py. */
const TITLE = "hello.py";
const ENTRY = "main.py";
const SCRIPT = path.join(__dirname, "runtime", "start_latency.py");
const RUNS = 3;

interface Sample {
  first: number;
  warm: number | null;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The script with its arguments set in the file (a live editor passes none); a spawned child re-runs the line harmlessly. */
function program(rounds: number, pause: number): string {
  return `import sys\nsys.argv[1:] = ["${rounds}", "${pause}", "--imports-at-top"]\n` + fs.readFileSync(SCRIPT, "utf8");
}

function cpython(rounds: number, pause: number): Sample {
  const r = spawnSync("python3", [SCRIPT, String(rounds), String(pause), "--imports-at-top"], { encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) throw new Error(`python3 start_latency.py: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "") as Sample;
}

/** Opens a new tab on the shared program, presses Run when `waitBooted` says so, and reads the program's JSON line. */
async function runInTab(context: BrowserContext, base: string, rounds: number, pause: number, waitBooted: boolean): Promise<Sample> {
  const hash = await encodeShare({ blockId: BLOCK, files: { [ENTRY]: program(rounds, pause) }, entry: ENTRY });
  const page = await context.newPage();
  try {
    await page.goto(`${base}${FIXTURE}#${hash}`);
    const region = page.getByRole("region", { name: TITLE, exact: true });
    const run = region.getByRole("button", { name: "Run", exact: true });
    await region.getByText("This code came from a shared link").waitFor({ timeout: 120_000 });
    if (waitBooted) {
      // The page boots its runtime when idle: a first run proves it is up, then the pool settles.
      await run.click();
      await region.getByRole("log", { name: "Terminal output" }).filter({ hasText: '"ms":' }).waitFor({ state: "attached", timeout: 180_000 });
      await page.waitForTimeout(3000);
    }
    const log = region.getByRole("log", { name: "Terminal output" });
    if ((await log.count()) > 0) await log.evaluate((el) => (el.textContent = ""));
    await run.click();
    await log.filter({ hasText: '"ms":' }).waitFor({ state: "attached", timeout: 180_000 });
    const text = (await log.textContent()) ?? "";
    const line = text.split("\n").find((l) => l.startsWith('{"first"'));
    if (!line) throw new Error(`no result in ${JSON.stringify(text.slice(-400))}`);
    return JSON.parse(line) as Sample;
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  const { base, child } = await startNextServer({ distDir, probePath: FIXTURE, reuseUrl: process.env.SPAWN_BENCH_URL });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  try {
    const context = await browser.newContext();
    // The first visit makes the snapshot and caches it (Cache API), as a reader's first visit does.
    await runInTab(context, base, 1, 0, true);
    const first: number[] = [];
    const theirs: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      first.push((await runInTab(context, base, 1, 0, false)).first);
      theirs.push(cpython(5, 0.5));
    }
    const warmSample = await runInTab(context, base, 5, 2.5, true);
    const firstCpy = median(theirs.map((s) => s.first));
    const warmCpy = median(theirs.map((s) => s.warm ?? NaN));
    console.error(`Chromium first child: ${first.map((ms) => ms.toFixed(0)).join(", ")} ms; CPython: ${theirs.map((s) => s.first.toFixed(0)).join(", ")} ms`);
    const f = median(first);
    report({ metric: "main imports json+statistics+time: start() → child's first line, FIRST child, Run pressed as a fresh tab opens, Chromium (ms)", ours: f, cpython: firstCpy, target: "≤ CPython spawn", ok: f <= firstCpy });
    const w = warmSample.warm ?? NaN;
    report({ metric: "main imports json+statistics+time: start() → child's first line, runtime booted, Chromium (ms)", ours: w, cpython: warmCpy, target: "≤ CPython spawn", ok: w <= warmCpy });
    await context.close();
  } finally {
    await browser.close();
    child?.kill();
  }
}

runBench(main);
