/**
 * Safari's engine against Chromium, same machine, same run: WebKitGTK (MiniBrowser under
 * Xvfb, started with JSC_useSharedArrayBuffer=1 so it behaves like Safari) and Chromium open
 * the same production build and run the same in-page measurements:
 * - Run → first output line: the first Run on a freshly opened page (the interpreter
 *   snapshot already cached, as on any visit after the first), and with the runtime booted;
 * - Run → the first child's first line (a program that starts one child), runtime booted;
 * - the parts of a boot: compiling Pyodide's 10 MB wasm, starting a worker, handing it the
 *   compiled module, and an Atomics.wait/notify round trip between two workers.
 * Each row is WebKit ÷ Chromium (goal ≤ 1.5×); both times are in the metric's text.
 *
 *   npx tsx bench/webkit.bench.ts
 *
 * Uses the build in $NEXT_DIST_DIR (default .next-test), building it first if missing;
 * WEBKIT_BENCH_URL=http://localhost:3114 uses a server that is already running.
 */
import { chromium } from "playwright-core";
import { PAGE_HELPERS, type Tab } from "../tests/browsers/tab";
import { openWebKit } from "../tests/browsers/webkit";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../tests/chromium";
import { startNextServer } from "./next-server";
import { report, runBench } from "./report";

const distDir = process.env.NEXT_DIST_DIR || ".next-test";
const FIXTURE = "/dev/editor";
const WARM_RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Clicks Run in `example` and resolves with the ms until the log shows `text` once more. */
const runToText = (example: string, text: string) => `
  const r = sp.region(${JSON.stringify(example)});
  for (let i = 0; !sp.button(r, "Run"); i++) { if (i > 6000) throw new Error("no Run button"); await new Promise((f) => setTimeout(f, 10)); }
  // Run clears the terminal; emptying its screen-reader log first makes "the text is there"
  // mean "this run printed it" even when that clear and the first line share one frame.
  const log = sp.log(r, "Terminal output");
  if (log) log.textContent = "";
  const seen = () => sp.text(sp.log(r, "Terminal output")).includes(${JSON.stringify(text)});
  const t0 = performance.now();
  sp.button(r, "Run").click();
  while (!seen()) {
    if (performance.now() - t0 > 180000) throw new Error("no output within 180 s");
    await new Promise((f) => setTimeout(f, 2));
  }
  return performance.now() - t0;`;

/** Waits until the example's program has ended (Stop disabled), pressing Stop if asked. */
const settle = (example: string, stop: boolean) => `
  const r = sp.region(${JSON.stringify(example)});
  if (${stop}) sp.button(r, "Stop").click();
  while (!sp.button(r, "Stop").disabled) await new Promise((f) => setTimeout(f, 20));
  await new Promise((f) => setTimeout(f, 300));
  return true;`;

/** The parts of a boot, measured in the page. */
const PARTS = `
  const t0 = performance.now();
  const module = await WebAssembly.compileStreaming(fetch("/pyodide/pyodide.asm.wasm"));
  const compile = performance.now() - t0;
  const src = URL.createObjectURL(new Blob([\`
    onmessage = (e) => {
      if (e.data.module) { postMessage("module"); return; }
      if (e.data.sab) {
        const a = new Int32Array(e.data.sab), me = e.data.me, n = e.data.n;
        for (let i = 0; i < n; i++) {
          if (me === 1) { Atomics.wait(a, 0, 2 * i); }
          // Ping (worker 0) writes 2i+1, pong (worker 1) answers 2i+2.
          Atomics.store(a, 0, 2 * i + 1 + me);
          Atomics.notify(a, 0);
          if (me === 0) { Atomics.wait(a, 0, 2 * i + 1); }
        }
        postMessage("done");
        return;
      }
      postMessage("hi");
    };\`], { type: "text/javascript" }));
  // The site's CSP (worker-src 'self') refuses a blob: worker: say so rather than wait forever.
  const reply = (w, msg) => new Promise((f, fail) => { w.onmessage = (e) => f(e.data); w.onerror = () => fail(new Error("blocked")); w.postMessage(msg); });
  const starts = [];
  const workers = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    let w;
    try {
      w = new Worker(src); // WebKit refuses at once, Chromium with an error event
      await reply(w, {});
    } catch {
      return { compile, workerStart: null, handOver: null, atomics: null };
    }
    starts.push(performance.now() - t);
    workers.push(w);
  }
  const t1 = performance.now();
  await reply(workers[0], { module });
  const handOver = performance.now() - t1;
  const n = 2000;
  const sab = new SharedArrayBuffer(4);
  const t2 = performance.now();
  await Promise.all([reply(workers[1], { sab, me: 0, n }), reply(workers[2], { sab, me: 1, n })]);
  const atomics = ((performance.now() - t2) * 1000) / n;
  workers.forEach((w) => w.terminate());
  starts.sort((a, b) => a - b);
  return { compile, workerStart: starts[2], handOver, atomics };`;

interface Measures {
  runCold: number;
  runWarm: number;
  child: number;
  /** null: not measurable on this page (its CSP refuses the blob: worker these use). */
  parts: { compile: number; workerStart: number | null; handOver: number | null; atomics: number | null };
}

async function measure(browser: string, tab0: Pick<Tab, "goto" | "eval">, base: string): Promise<Measures> {
  // Says where it is: a stall in one browser then names its step.
  let step = 0;
  const tab: Pick<Tab, "goto" | "eval"> = {
    goto: (url) => (console.error(`${browser} ${++step}: open ${url}`), tab0.goto(url)),
    eval: <T>(body: string) => (console.error(`${browser} ${++step}: ${body.trim().split("\n")[0].slice(0, 70)}`), tab0.eval<T>(body)),
  };
  // First visit fills the HTTP cache and the snapshot cache; the cold row is the next visit.
  await tab.goto(`${base}${FIXTURE}`);
  await tab.eval(runToText("hello.py", "Hello from Spawnpoint"));
  await tab.eval(settle("hello.py", false));
  await tab.goto(`${base}/en`);
  await tab.goto(`${base}${FIXTURE}`);
  const runCold = await tab.eval<number>(runToText("hello.py", "Hello from Spawnpoint"));
  await tab.eval(settle("hello.py", false));
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    warm.push(await tab.eval<number>(runToText("hello.py", "Hello from Spawnpoint")));
    await tab.eval(settle("hello.py", false));
  }
  const child: number[] = [];
  for (let i = 0; i < 3; i++) {
    child.push(await tab.eval<number>(runToText("zombie.py", "child done")));
    await tab.eval(settle("zombie.py", true));
  }
  const parts = await tab.eval<Measures["parts"]>(PARTS);
  return { runCold, runWarm: median(warm), child: median(child), parts };
}

async function main(): Promise<void> {
  const { base, child } = await startNextServer({ distDir, probePath: FIXTURE, reuseUrl: process.env.WEBKIT_BENCH_URL });
  let chromiumMs: Measures;
  let webkitMs: Measures;
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    chromiumMs = await measure(
      "Chromium",
      {
        goto: async (url) => void (await page.goto(url)),
        eval: <T>(body: string) => page.evaluate(`(async () => { ${PAGE_HELPERS}\n${body}\n})()`) as Promise<T>,
      },
      base,
    );
    await browser.close();
    const webkit = await openWebKit({ sharedArrayBuffer: true, port: Number(process.env.WEBKIT_DRIVER_PORT ?? 4470) });
    try {
      webkitMs = await measure("WebKit", webkit, base);
    } finally {
      await webkit.close();
    }
  } finally {
    child?.kill();
  }
  console.error(`Chromium: ${JSON.stringify(chromiumMs)}\nWebKit:   ${JSON.stringify(webkitMs)}`);
  const row = (what: string, w: number | null, c: number | null, unit = "ms", goal = 1.5) =>
    w === null || c === null
      ? console.error(`not measured: ${what} (the site's CSP, worker-src 'self', refuses the bench's blob: worker)`)
      : report({
          metric: `WebKit ÷ Chromium: ${what} (WebKit ${w.toFixed(unit === "µs" ? 1 : 0)} ${unit}, Chromium ${c.toFixed(unit === "µs" ? 1 : 0)} ${unit})`,
          ours: w / c,
          cpython: null,
          target: `≤ ${goal}×`,
          ok: w / c <= goal,
        });
  row("Run → first output, first Run on a fresh page", webkitMs.runCold, chromiumMs.runCold);
  row("Run → first output, runtime booted (median of 5)", webkitMs.runWarm, chromiumMs.runWarm);
  row("Run → the first child's first line, runtime booted (median of 3)", webkitMs.child, chromiumMs.child);
  row("compile pyodide.asm.wasm (compileStreaming)", webkitMs.parts.compile, chromiumMs.parts.compile);
  row("worker start → first message (median of 5)", webkitMs.parts.workerStart, chromiumMs.parts.workerStart);
  row("post the compiled module to a worker", webkitMs.parts.handOver, chromiumMs.parts.handOver);
  row("Atomics.wait/notify round trip, worker ↔ worker", webkitMs.parts.atomics, chromiumMs.parts.atomics, "µs");
}

runBench(main);
