/**
 * Step mode benchmark (Playwright, headless Chromium, production build): one step in the
 * live editor, from the key press to the lane and gutter marker update painted (the granted
 * process runs on its Pyodide worker to its next scheduling point, the page draws the new
 * choice). Warm: steps of a running controlled program. Cold: Step pressed → first choice
 * (the page's Python already loaded; the controlled run starts its processes).
 *
 *   npx tsx bench/step.bench.ts
 *
 * Uses the build in $NEXT_DIST_DIR (default .next-editor), building it first if missing;
 * EDITOR_BENCH_URL=http://localhost:3400 uses a server that is already running.
 */
import { chromium } from "playwright-core";
import { encodeShare } from "../lib/playground/share";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../tests/chromium";
import { startNextServer } from "./next-server";
import { report } from "./report";

const distDir = process.env.NEXT_DIST_DIR || ".next-editor";
const FIXTURE = "/dev/editor";

// Each step moves the marker between lines 2 and 3.
const PROGRAM = `for i in range(40):
    print("a", i, flush=True)
    print("b", i, flush=True)
`;

/**
 * Resolves with ms from the key press until the panel shows the next choice, the lane's line
 * changed, and a frame was painted after it. A page-side string: tsx's helpers do not exist there.
 */
const KEY_TO_PAINT = `() => new Promise((resolve, reject) => {
  const panel = document.querySelector('[data-step-panel="hello"]');
  const lane = panel.querySelector('[data-step-lane]');
  const steps = panel.getAttribute("data-steps");
  const line = lane.getAttribute("data-line");
  let t0 = null;
  const onKey = (e) => { t0 = performance.now(); window.removeEventListener("keydown", onKey, true); };
  window.addEventListener("keydown", onKey, true);
  const mo = new MutationObserver(() => {
    const l = panel.querySelector('[data-step-lane]');
    if (panel.getAttribute("data-phase") !== "choosing" || panel.getAttribute("data-steps") === steps || l.getAttribute("data-line") === line) return;
    mo.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
  });
  mo.observe(panel, { subtree: true, attributes: true });
  setTimeout(() => reject(new Error("no step within 60 s")), 60000);
})`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { base, child } = await startNextServer({ distDir, probePath: FIXTURE, reuseUrl: process.env.EDITOR_BENCH_URL });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage();
    const fragment = await encodeShare({ blockId: "hello", files: { "main.py": PROGRAM }, entry: "main.py" });
    await page.goto(`${base}${FIXTURE}#${fragment}`);
    const region = page.locator('[data-example-id="hello"]');
    // Load Python first (Run once), so the cold row is the controlled run's own start.
    await region.getByRole("button", { name: "Run", exact: true }).click();
    await page.getByText("b 39").first().waitFor({ timeout: 120_000 });
    const panel = page.locator('[data-step-panel="hello"]');
    const cold: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await region.getByRole("button", { name: "Step", exact: true }).click();
      await panel.and(page.locator('[data-phase="choosing"]')).waitFor({ timeout: 120_000 });
      cold.push(Date.now() - t0);
      await panel.getByRole("button", { name: "Leave step mode" }).click();
    }
    await region.getByRole("button", { name: "Step", exact: true }).click();
    await panel.and(page.locator('[data-phase="choosing"]')).waitFor({ timeout: 120_000 });
    // Two steps so the first process has a line to be on (the first point is its start).
    for (let i = 0; i < 2; i++) {
      const done = page.evaluate(`(${KEY_TO_PAINT})()`);
      await page.keyboard.press("1");
      await done;
    }
    const warm: number[] = [];
    for (let i = 0; i < 15; i++) {
      const done = page.evaluate(`(${KEY_TO_PAINT})()`) as Promise<number>;
      await page.keyboard.press("1");
      warm.push(await done);
    }
    report({ metric: "Step mode: one step, key press → lane + marker painted (ms, median of 15)", ours: median(warm), cpython: null, target: "≤ 50 ms", ok: median(warm) <= 50 });
    report({ metric: "Step mode: Step pressed → first choice, Python loaded (ms, median of 3)", ours: median(cold), cpython: null, target: "reported", ok: null });
  } finally {
    await browser.close();
    child?.kill();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
