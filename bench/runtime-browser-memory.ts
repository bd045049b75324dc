/**
 * Memory per idle interpreter in Chromium: opens /dev/runtime (a Machine that runs one
 * multi-process program, then keeps its pool of booted interpreters idle) and reads
 * `performance.measureUserAgentSpecificMemory()` (needs cross-origin isolation; Chromium gets
 * --enable-blink-features=ForceEagerMeasureMemory so the measurement takes ~0.3 s, not ~20 s).
 * Each process worker is one DedicatedWorkerGlobalScope in the breakdown: its bytes are its JS
 * heap + wasm memory + ArrayBuffers, i.e. the marginal memory of one more idle interpreter.
 *
 *   BASE_URL=http://localhost:3250 npx tsx bench/runtime-browser-memory.ts
 * (a server for a production build must be running; this is not part of `npm run bench`.)
 */
import { chromium } from "playwright-core";

interface Breakdown {
  bytes: number;
  attribution: { url: string; scope: string }[];
  types: string[];
}

async function main(): Promise<void> {
  const base = process.env.BASE_URL ?? "http://localhost:3250";
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--enable-blink-features=ForceEagerMeasureMemory"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/dev/runtime`);
    await page.getByTestId("status").filter({ hasText: "exit 0" }).waitFor({ timeout: 170_000 });
    await page.waitForTimeout(5000); // the pool refills after the run
    const result = await page.evaluate(async () => {
      const perf = performance as unknown as { measureUserAgentSpecificMemory(): Promise<{ bytes: number; breakdown: Breakdown[] }> };
      return perf.measureUserAgentSpecificMemory();
    });
    const workers = new Map<string, number>();
    let page_ = 0;
    for (const b of result.breakdown) {
      for (const a of b.attribution) {
        if (a.scope === "DedicatedWorkerGlobalScope") workers.set(a.url + "#" + workers.size, b.bytes / b.attribution.length);
        else if (a.scope === "Window") page_ += b.bytes / b.attribution.length;
      }
    }
    const perWorker = [...workers.values()].map((v) => v / (1 << 20));
    console.log(JSON.stringify({ totalMiB: result.bytes / (1 << 20), pageMiB: page_ / (1 << 20), workers: perWorker.length, perWorkerMiB: perWorker.map((v) => Number(v.toFixed(1))) }));
    for (const b of result.breakdown) if (b.bytes > 1 << 20) console.log((b.bytes / (1 << 20)).toFixed(1), b.types.join(","), b.attribution.map((a) => a.scope).join(","));
  } finally {
    await browser.close();
  }
}

void main();
