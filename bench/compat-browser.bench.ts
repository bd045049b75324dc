/**
 * Compatibility mode in the browser, where a reader pays for it: headless Chromium opens the
 * editor fixture once as the site serves it (cross-origin isolated: shared memory) and once
 * without its isolation headers, as a plain host or another site's frame would give it
 * (compatibility mode: workers share no memory, every wait goes through the service worker).
 * Each runs the same two programs that bench/runtime.bench.ts runs on the Node host, typed in
 * as a share link and started with Run: a Queue round trip between two processes, and start()
 * → the child's first line (the first child of the page's first Run, then warm ones). CPython
 * runs the same scripts in the same run.
 *
 *   npx tsx bench/compat-browser.bench.ts
 *
 * Uses the build in $NEXT_DIST_DIR (default .next-test), building it first if missing;
 * COMPAT_BENCH_URL=http://localhost:3110 uses a server that is already running.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { encodeShare } from "../lib/playground/share";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../tests/chromium";
import { withoutIsolation } from "../tests/without-isolation";
import { startNextServer } from "./next-server";
import { cpythonJson } from "./programs";
import { report, runBench } from "./report";

const distDir = process.env.NEXT_DIST_DIR || ".next-test";
const FIXTURE = "/dev/editor";
const DIR = path.join(__dirname, "runtime");

type Sample = Record<string, number>;

/** The script with its command-line arguments set at the top (the editor's Run passes none). */
function program(script: string, args: string[]): string {
  return `import sys\nsys.argv[1:] = ${JSON.stringify(args)}\n${fs.readFileSync(path.join(DIR, script), "utf8")}`;
}

async function openPage(browser: Browser, base: string, compat: boolean): Promise<Page> {
  const context = await browser.newContext();
  // What a host that sends no COOP/COEP gives: the page is not isolated, so no SharedArrayBuffer.
  if (compat) await withoutIsolation(context, (url) => url.pathname.startsWith(FIXTURE));
  return context.newPage();
}

/** Opens the fixture with `code` as its example, presses Run, and returns the program's last JSON line. */
async function run(page: Page, base: string, code: string): Promise<Sample> {
  await page.goto("about:blank");
  await page.goto(`${base}${FIXTURE}#${await encodeShare({ blockId: "hello", files: { "main.py": code }, entry: "main.py" })}`);
  const region = page.locator('[data-example-id="hello"]');
  await region.getByRole("button", { name: "Run", exact: true }).click({ timeout: 120_000 });
  const log = region.getByRole("log", { name: "Terminal output" });
  for (let waited = 0; waited < 300_000; waited += 100) {
    const json = ((await log.textContent()) ?? "").split("\n").find((l) => l.trim().startsWith("{"));
    if (json) return JSON.parse(json.trim()) as Sample;
    await page.waitForTimeout(100);
  }
  throw new Error("no result within 300 s");
}

async function main(): Promise<void> {
  const { base, child } = await startNextServer({ distDir, probePath: FIXTURE, reuseUrl: process.env.COMPAT_BENCH_URL });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  try {
    const results: Record<"shared" | "compat", { start: Sample; queue: Sample }> = {} as never;
    for (const mode of ["shared", "compat"] as const) {
      const page = await openPage(browser, base, mode === "compat");
      // The first Run of the page: its first child is the one a reader waits for.
      const start = await run(page, base, program("start_latency.py", ["4", "0.3"]));
      const queue = await run(page, base, program("queue_rtt.py", ["200"]));
      const isolated = await page.evaluate(() => typeof SharedArrayBuffer === "function" && crossOriginIsolated);
      if (isolated !== (mode === "shared")) throw new Error(`${mode}: the page ${isolated ? "is" : "is not"} isolated`);
      results[mode] = { start, queue };
      console.error(`${mode}: ${JSON.stringify(results[mode])}`);
      await page.context().close();
    }
    const cpyStart = cpythonJson(DIR, "start_latency.py", ["4", "0.3"]);
    const cpyQueue = cpythonJson(DIR, "queue_rtt.py", ["200"]);
    const { shared, compat } = results;
    report({ metric: "compatibility mode, Chromium: Queue round trip (µs)", ours: compat.queue.us, cpython: cpyQueue.us, target: "reported (shared memory: see the next row)", ok: null });
    report({ metric: "shared memory, Chromium: Queue round trip (µs)", ours: shared.queue.us, cpython: cpyQueue.us, target: "reported", ok: null });
    report({ metric: "compatibility mode, Chromium: start() → child's first line, first child of the page's first Run (ms)", ours: compat.start.first, cpython: cpyStart.first, target: "reported", ok: null });
    report({ metric: "shared memory, Chromium: start() → child's first line, first child of the page's first Run (ms)", ours: shared.start.first, cpython: cpyStart.first, target: "reported", ok: null });
    report({ metric: "compatibility mode, Chromium: start() → child's first line, warm (ms)", ours: compat.start.warm, cpython: cpyStart.warm, target: "reported", ok: null });
    report({ metric: "shared memory, Chromium: start() → child's first line, warm (ms)", ours: shared.start.warm, cpython: cpyStart.warm, target: "reported", ok: null });
  } finally {
    await browser.close();
    child?.kill();
  }
}

runBench(main);
