/**
 * Step mode benchmark (Playwright, headless Chromium, production build): one step in the
 * live editor, from the key press to the lane and gutter marker update painted (the granted
 * process runs on its Pyodide worker to its next scheduling point, the page draws the new
 * choice). Warm: steps of a running controlled program. Cold: Step pressed → first choice
 * (the page's Python already loaded; the controlled run starts its processes). Back: the run
 * is stopped and a fresh one replays all decisions but the last.
 *
 *   npx tsx bench/step.bench.ts
 *
 * Uses the build in $NEXT_DIST_DIR (default .next-editor), building it first if missing;
 * EDITOR_BENCH_URL=http://localhost:3400 uses a server that is already running;
 * STEP_BENCH_DEBUG=1 prints each step's phase changes (ms after the key) to stderr.
 * Also: "Find a schedule that breaks this" on the ticket office with no lock
 * (tests/programs/sched_tickets.py), pressed → the oversell found (the search's own time).
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { encodeShare } from "../lib/playground/share";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../tests/chromium";
import { startNextServer } from "./next-server";
import { report, runBench } from "./report";

const distDir = process.env.NEXT_DIST_DIR || ".next-editor";
const FIXTURE = "/dev/editor";

// One process printing on two lines in turn: its marker moves between lines 2 and 3.
const PROGRAM = `for i in range(40):
    print("a", i, flush=True)
    print("b", i, flush=True)
`;

/**
 * Arms a probe that stores in `window.__stepMs` the ms from the next key press until the panel
 * shows the next choice (lanes and markers come from the same snapshot, in the same commit)
 * and a frame was painted after it. A page-side string: tsx's helpers do not exist there.
 */
const ARM = `(() => {
  window.__stepMs = null;
  const panel = document.querySelector('[data-step-panel="hello"]');
  const steps = panel.getAttribute("data-steps");
  let t0 = null;
  const onKey = () => { t0 = performance.now(); window.removeEventListener("keydown", onKey, true); };
  window.addEventListener("keydown", onKey, true);
  window.__stepParts = [];
  const mo = new MutationObserver(() => {
    if (t0 !== null) window.__stepParts.push(panel.getAttribute("data-phase") + "@" + Math.round(performance.now() - t0));
    if (t0 === null || panel.getAttribute("data-phase") !== "choosing" || panel.getAttribute("data-steps") === steps) return;
    mo.disconnect();
    // The frame that shows it: a task posted from its rAF runs once that frame is painted.
    requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => { window.__stepMs = performance.now() - t0; }; ch.port2.postMessage(0); });
  });
  mo.observe(panel, { subtree: true, attributes: true });
})()`;

/** `key`: "1" steps the first lane; "b" goes back one decision (a fresh run replays the rest). */
async function oneStep(page: Page, key = "1"): Promise<number> {
  await page.evaluate(ARM);
  await page.keyboard.press(key);
  // Polled with evaluate: waitForFunction's string predicate would need eval, which the site's CSP forbids.
  for (let waited = 0; waited < 60_000; waited += 5) {
    const ms = (await page.evaluate("window.__stepMs")) as number | null;
    if (ms !== null) {
      if (process.env.STEP_BENCH_DEBUG) console.error(ms, await page.evaluate("window.__stepParts.join(' ')"));
      return ms;
    }
    await page.waitForTimeout(5);
  }
  throw new Error("no step within 60 s");
}

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
    for (let i = 0; i < 2; i++) await oneStep(page);
    const warm: number[] = [];
    for (let i = 0; i < 15; i++) warm.push(await oneStep(page));
    // The marker really follows: the lane's line is drawn in the gutter.
    const line = await panel.locator("[data-step-lane]").first().getAttribute("data-line");
    const marks = await region.locator(".sp-step-mark, .sp-step-overlay").count();
    if (!line || marks === 0) throw new Error(`no gutter marker (lane line ${line}, ${marks} markers)`);
    // Back: the run so far is stopped (its processes, parked at their points, are killed) and a
    // fresh one replays every decision but the last.
    const back: number[] = [];
    for (let i = 0; i < 5; i++) back.push(await oneStep(page, "b"));
    report({ metric: "Step mode: one step, key press → lane + marker painted (ms, median of 15)", ours: median(warm), cpython: null, target: "≤ 50 ms", ok: median(warm) <= 50 });
    report({ metric: "Step mode: back one step after 17, key press → lanes painted (ms, median of 5)", ours: median(back), cpython: null, target: "reported", ok: null });
    report({ metric: "Step mode: Step pressed → first choice, Python loaded (ms, median of 3)", ours: median(cold), cpython: null, target: "reported", ok: null });

    // The search in the page: three buyers, one ticket, no lock.
    const tickets = fs.readFileSync(path.join(__dirname, "..", "tests", "programs", "sched_tickets.py"), "utf8");
    // A new document: only the fragment would change otherwise, and the editor keeps its code.
    await page.goto("about:blank");
    await page.goto(`${base}${FIXTURE}#${await encodeShare({ blockId: "hello", files: { "main.py": tickets }, entry: "main.py" })}`);
    await region.getByRole("button", { name: "Step", exact: true }).click();
    await panel.and(page.locator('[data-phase="choosing"]')).waitFor({ timeout: 120_000 });
    await panel.getByRole("button", { name: "Find a schedule that breaks this" }).click();
    const box = panel.locator('[data-step-search="done"]');
    await box.waitFor({ timeout: 300_000 });
    const text = (await box.textContent()) ?? "";
    if (process.env.STEP_BENCH_DEBUG) console.error(text);
    const found = /Schedule (\d+) failed \(after ([\d.]+) s\).*oversold/.exec(text);
    report({
      metric: `search: ticket oversell found, Chromium (s; ${found ? found[1] : "?"} schedules)`,
      ours: found ? Number(found[2]) : null,
      cpython: null,
      target: "≤ 2 s",
      ok: found !== null && Number(found[2]) <= 2,
    });
  } finally {
    await browser.close();
    child?.kill();
  }
}

runBench(main);
