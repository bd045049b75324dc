/**
 * Memory per idle process in Chromium, where the product runs: opens /dev/runtime (a Machine
 * that runs one multi-process program, then keeps its pool of booted interpreters idle) and
 * reads `performance.measureUserAgentSpecificMemory()` (Chromium gets
 * --enable-blink-features=ForceEagerMeasureMemory: ~0.3 s instead of ~20 s). Each process
 * worker is one DedicatedWorkerGlobalScope in the breakdown (its JS heap + wasm memory +
 * buffers): the marginal memory of one more idle interpreter. The shared snapshot and the
 * compiled module are the page's, paid once. CPython: RSS of idle spawn children, same run.
 *
 * Uses the build in $NEXT_DIST_DIR (default .next-runtime), building it first if missing;
 * RUNTIME_BENCH_URL=http://localhost:3200 uses a server that is already running.
 * Run alone: `npx tsx bench/runtime-browser.bench.ts`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { startNextServer } from "./next-server";
import { report } from "./report";

const distDir = process.env.NEXT_DIST_DIR || ".next-runtime";
const FIXTURE = "/dev/runtime";

interface Breakdown {
  bytes: number;
  attribution: { url: string; scope: string }[];
}

function startServer(): Promise<{ base: string; child: ChildProcess | null }> {
  return startNextServer({ distDir, probePath: FIXTURE, reuseUrl: process.env.RUNTIME_BENCH_URL });
}

/** Mean RSS of N idle CPython spawn children (bench/runtime/idle_memory.py). */
function cpythonIdleMiB(n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["idle_memory.py", String(n), "2"], { cwd: path.join(__dirname, "runtime") });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (!out.includes("\n")) return;
      const { pids } = JSON.parse(out.split("\n")[0]) as { pids: number[] };
      out = "";
      setTimeout(() => {
        const kb = pids.map((pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0));
        resolve(kb.reduce((a, b) => a + b, 0) / kb.length / 1024);
      }, 500);
    });
    child.on("error", reject);
  });
}

async function main(): Promise<void> {
  const { base, child } = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--enable-blink-features=ForceEagerMeasureMemory"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}${FIXTURE}`);
    await page.getByTestId("status").filter({ hasText: "exit 0" }).waitFor({ timeout: 170_000 });
    await page.waitForTimeout(5000); // the pool refills after the run
    const result = await page.evaluate(async () => {
      const perf = performance as unknown as { measureUserAgentSpecificMemory(): Promise<{ bytes: number; breakdown: Breakdown[] }> };
      return perf.measureUserAgentSpecificMemory();
    });
    const perWorker: number[] = [];
    for (const b of result.breakdown) {
      const workers = b.attribution.filter((a) => a.scope === "DedicatedWorkerGlobalScope").length;
      if (workers > 0 && workers === b.attribution.length) for (let i = 0; i < workers; i++) perWorker.push(b.bytes / workers / (1 << 20));
    }
    const ours = perWorker.length ? perWorker.reduce((a, b) => a + b, 0) / perWorker.length : null;
    console.error(`Chromium: ${perWorker.length} idle process workers, MiB each: ${perWorker.map((v) => v.toFixed(1)).join(", ")}; total ${(result.bytes / (1 << 20)).toFixed(1)} MiB`);
    const cpy = await cpythonIdleMiB(4);
    report({ metric: "memory per idle process, Chromium worker (MiB)", ours, cpython: cpy, target: "< 45 MB", ok: ours !== null && ours * (1 << 20) < 45e6 });
  } finally {
    await browser.close();
    child?.kill();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
