/**
 * Safari's engine against Chromium, same machine, same run: WebKitGTK (MiniBrowser under
 * Xvfb, started with JSC_useSharedArrayBuffer=1 so it behaves like Safari) and Chromium open
 * the same production build and run the same in-page measurements:
 * - Run → first output line: the first Run on a freshly opened page (the interpreter
 *   snapshot already cached, as on any visit after the first), and with the runtime booted;
 * - Run → first output when the Run comes 2 s after the page began to load (a reader who
 *   reads first: the runtime starts loading when the page is idle);
 * - Run → the first child's first line (a program that starts one child), runtime booted;
 * - where the time goes: the runtime's User Timing marks (boot phases of each worker, a
 *   process's start, running, first output) per browser, from the Run click;
 * - the parts of a boot (on /dev/parts): compiling Pyodide's 10 MB wasm (twice: is there a
 *   cache?), reading, hashing and sharing the cached snapshot (also next to the compile, as a
 *   cold Run does, and one after the other), starting a worker, handing it
 *   the compiled module, and an Atomics.wait/notify round trip between two workers.
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

/**
 * Clicks Run in `example` and resolves with the ms until the log shows `text` once more, and
 * the runtime's User Timing marks (Platform.mark: boot phases of each worker, a process's
 * start, running and first output) in ms from the click: since the page opened when `all`,
 * else since the click.
 */
const runToText = (example: string, text: string, all = false) => `
  const r = sp.region(${JSON.stringify(example)});
  // Enabled once the page has hydrated: a click on the server's HTML does nothing.
  for (let i = 0; !sp.button(r, "Run") || sp.button(r, "Run").disabled; i++) { if (i > 6000) throw new Error("no enabled Run button"); await new Promise((f) => setTimeout(f, 10)); }
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
  const ms = performance.now() - t0;
  const marks = performance.getEntriesByType("mark")
    .filter((m) => m.name.startsWith("spawnpoint ") && (${all} || m.startTime >= t0))
    .map((m) => [m.name.slice("spawnpoint ".length), Math.round(m.startTime - t0)]);
  return { ms, marks };`;

/** Waits until the example's program has ended (Stop disabled), pressing Stop if asked. */
const settle = (example: string, stop: boolean) => `
  const r = sp.region(${JSON.stringify(example)});
  if (${stop}) sp.button(r, "Stop").click();
  while (!sp.button(r, "Stop").disabled) await new Promise((f) => setTimeout(f, 20));
  await new Promise((f) => setTimeout(f, 300));
  return true;`;

/**
 * The parts of a boot, measured in the page: /dev/parts gives a same-origin worker (the site's
 * CSP refuses blob: workers), and the snapshot the earlier visits left in the Cache API is
 * read, hashed and copied the way lib/runtime/browser.ts and pool.ts do on a cold Run.
 */
const PARTS = `
  for (let i = 0; !window.__spawnpointPartsWorker; i++) { if (i > 3000) throw new Error("no parts fixture"); await new Promise((f) => setTimeout(f, 10)); }
  const time = async (f) => { const t = performance.now(); const v = await f(); return [performance.now() - t, v]; };
  const [compile, module] = await time(() => WebAssembly.compileStreaming(fetch("/pyodide/pyodide.asm.wasm")));
  const [compileAgain] = await time(() => WebAssembly.compileStreaming(fetch("/pyodide/pyodide.asm.wasm")));
  const cache = await caches.open("spawnpoint-snapshot");
  const key = (await cache.keys()).find((k) => k.url.includes("?snapshot="));
  if (!key) throw new Error("no cached snapshot");
  const [snapshotRead, bytes] = await time(async () => new Uint8Array(await (await cache.match(key)).arrayBuffer()));
  const [snapshotDigest] = await time(() => crypto.subtle.digest("SHA-256", bytes.slice().buffer));
  const [snapshotShare] = await time(() => { const s = new Uint8Array(new SharedArrayBuffer(bytes.byteLength)); s.set(bytes); return s; });
  // A cold Run does both at once (pool.ts getSnapshot): together, and one after the other.
  const read = async () => crypto.subtle.digest("SHA-256", await (await cache.match(key)).arrayBuffer());
  const compileWasm = () => WebAssembly.compileStreaming(fetch("/pyodide/pyodide.asm.wasm"));
  const [together] = await time(() => Promise.all([compileWasm(), read()]));
  const [oneThenOther] = await time(async () => { await read(); await compileWasm(); });
  const reply = (w, msg) => new Promise((f, fail) => { w.onmessage = (e) => f(e.data); w.onerror = (e) => fail(new Error("worker error " + (e.message || ""))); w.postMessage(msg); });
  const starts = [];
  const workers = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const w = window.__spawnpointPartsWorker();
    await reply(w, {});
    starts.push(performance.now() - t);
    workers.push(w);
  }
  const t1 = performance.now();
  const got = await reply(workers[0], { module });
  const handOver = performance.now() - t1;
  const n = 2000;
  const sab = new SharedArrayBuffer(4);
  const t2 = performance.now();
  await Promise.all([reply(workers[1], { sab, me: 0, n }), reply(workers[2], { sab, me: 1, n })]);
  const atomics = ((performance.now() - t2) * 1000) / n;
  workers.forEach((w) => w.terminate());
  starts.sort((a, b) => a - b);
  return { compile, compileAgain, snapshotRead, snapshotDigest, snapshotShare, together, oneThenOther, workerStart: starts[2], handOver, moduleImports: got.module, atomics };`;

type Marks = [string, number][];
interface Timed {
  ms: number;
  marks: Marks;
}

interface Parts {
  compile: number;
  compileAgain: number;
  snapshotRead: number;
  snapshotDigest: number;
  snapshotShare: number;
  together: number;
  oneThenOther: number;
  workerStart: number;
  handOver: number;
  moduleImports: number;
  atomics: number;
}

interface Measures {
  runCold: Timed;
  runAfterRead: Timed;
  runWarm: Timed;
  child: Timed;
  parts: Parts;
}

/** The run whose time is the median, with its marks. */
const medianRun = (xs: Timed[]): Timed => [...xs].sort((a, b) => a.ms - b.ms)[Math.floor(xs.length / 2)];

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
  // The snapshot is stored in the background after the boot that made it: wait for it.
  await tab.eval(`for (let i = 0; i < 600; i++) {
    if ((await (await caches.open("spawnpoint-snapshot")).keys()).some((k) => k.url.includes("?snapshot="))) return true;
    await new Promise((f) => setTimeout(f, 100));
  }
  throw new Error("the snapshot was not stored within 60 s");`);
  await tab.goto(`${base}/en`);
  await tab.goto(`${base}${FIXTURE}`);
  const runCold = await tab.eval<Timed>(runToText("hello.py", "Hello from Spawnpoint", true));
  await tab.eval(settle("hello.py", false));
  // A reader who reads first: Run clicked 2 s after the page began to load (the runtime may
  // have started loading when the page went idle).
  await tab.goto(`${base}/en`);
  await tab.goto(`${base}${FIXTURE}`);
  const runAfterRead = await tab.eval<Timed>(`await new Promise((f) => setTimeout(f, Math.max(0, 2000 - performance.now())));\n${runToText("hello.py", "Hello from Spawnpoint", true)}`);
  await tab.eval(settle("hello.py", false));
  const warm: Timed[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    warm.push(await tab.eval<Timed>(runToText("hello.py", "Hello from Spawnpoint")));
    await tab.eval(settle("hello.py", false));
  }
  const child: Timed[] = [];
  for (let i = 0; i < 3; i++) {
    child.push(await tab.eval<Timed>(runToText("zombie.py", "child done")));
    await tab.eval(settle("zombie.py", true));
  }
  await tab.goto(`${base}/dev/parts`);
  const parts = await tab.eval<Parts>(PARTS);
  return { runCold, runAfterRead, runWarm: medianRun(warm), child: medianRun(child), parts };
}

/** One line per mark: its ms from the Run click in each browser (— where it has none). */
function printMarks(what: string, w: Marks, c: Marks): void {
  console.error(`\n${what}: ms from the Run click (WebKit | Chromium)`);
  const names = [...new Set([...w, ...c].map(([n]) => n))];
  const at = (marks: Marks, n: string) => marks.find(([m]) => m === n)?.[1];
  const fmt = (v: number | undefined) => (v === undefined ? "—" : String(v)).padStart(7);
  for (const n of names) console.error(`  ${n.padEnd(36)} ${fmt(at(w, n))} | ${fmt(at(c, n))}`);
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
  printMarks(`cold Run (WebKit ${webkitMs.runCold.ms.toFixed(0)} ms, Chromium ${chromiumMs.runCold.ms.toFixed(0)} ms)`, webkitMs.runCold.marks, chromiumMs.runCold.marks);
  printMarks(`Run 2 s after load (WebKit ${webkitMs.runAfterRead.ms.toFixed(0)} ms, Chromium ${chromiumMs.runAfterRead.ms.toFixed(0)} ms)`, webkitMs.runAfterRead.marks, chromiumMs.runAfterRead.marks);
  printMarks(`warm Run (WebKit ${webkitMs.runWarm.ms.toFixed(0)} ms, Chromium ${chromiumMs.runWarm.ms.toFixed(0)} ms)`, webkitMs.runWarm.marks, chromiumMs.runWarm.marks);
  printMarks(`first child (WebKit ${webkitMs.child.ms.toFixed(0)} ms, Chromium ${chromiumMs.child.ms.toFixed(0)} ms)`, webkitMs.child.marks, chromiumMs.child.marks);
  console.error(`\nparts (ms, Atomics µs): WebKit ${JSON.stringify(webkitMs.parts)}\n                        Chromium ${JSON.stringify(chromiumMs.parts)}\n`);
  const row = (what: string, w: number, c: number, unit = "ms", goal = 1.5) =>
    report({
      metric: `WebKit ÷ Chromium: ${what} (WebKit ${w.toFixed(unit === "µs" ? 1 : 0)} ${unit}, Chromium ${c.toFixed(unit === "µs" ? 1 : 0)} ${unit})`,
      ours: w / c,
      cpython: null,
      target: `≤ ${goal}×`,
      ok: w / c <= goal,
    });
  const part = (what: string, w: number, c: number, unit = "ms") =>
    report({ metric: `WebKit ÷ Chromium, a part: ${what} (WebKit ${w.toFixed(1)} ${unit}, Chromium ${c.toFixed(1)} ${unit})`, ours: w / c, cpython: null, target: "", ok: true });
  row("Run → first output, first Run on a fresh page", webkitMs.runCold.ms, chromiumMs.runCold.ms);
  row("Run → first output, Run clicked 2 s after the page began to load", webkitMs.runAfterRead.ms, chromiumMs.runAfterRead.ms);
  row("Run → first output, runtime booted (median of 5)", webkitMs.runWarm.ms, chromiumMs.runWarm.ms);
  row("Run → the first child's first line, runtime booted (median of 3)", webkitMs.child.ms, chromiumMs.child.ms);
  const [w, c] = [webkitMs.parts, chromiumMs.parts];
  part("compile pyodide.asm.wasm (compileStreaming)", w.compile, c.compile);
  part("compile it again (a cache of compiled code?)", w.compileAgain, c.compileAgain);
  part("read the 30 MB snapshot from the Cache API", w.snapshotRead, c.snapshotRead);
  part("SHA-256 of the snapshot (its integrity check)", w.snapshotDigest, c.snapshotDigest);
  part("copy the snapshot into a SharedArrayBuffer", w.snapshotShare, c.snapshotShare);
  part("compile and read + hash the snapshot at once (as a cold Run does)", w.together, c.together);
  part("read + hash the snapshot, then compile", w.oneThenOther, c.oneThenOther);
  part("worker start → first message (median of 5)", w.workerStart, c.workerStart);
  part("post the compiled module to a worker", w.handOver, c.handOver);
  part("Atomics.wait/notify round trip, worker ↔ worker", w.atomics, c.atomics, "µs");
}

runBench(main);
