/**
 * Memory per idle process in Chromium, where the product runs. Opens /dev/runtime?idle=N (a
 * Machine whose pool of booted interpreters idles until the bench clicks "Start": then a
 * program starts N children that wait on an Event, like bench/runtime/idle_memory.py) and
 * reports the marginal memory of one more idle process two ways:
 * - OS level: the proportional set size (PSS, /proc/PID/smaps_rollup) summed over every
 *   Chromium process, with the pool idle vs with the program's N + 1 processes idle (the
 *   pool refills to the same size), divided by N + 1. Everything the processes cost counts:
 *   renderer and worker heaps, wasm memory, thread stacks, the page's bookkeeping.
 * - Chromium's own view: `performance.measureUserAgentSpecificMemory()` (Chromium gets
 *   --enable-blink-features=ForceEagerMeasureMemory: ~0.3 s instead of ~20 s), one
 *   DedicatedWorkerGlobalScope per process worker, read with the pool idle: a worker whose
 *   process is parked in Atomics.wait never answers the measurement, so only the pool's
 *   booted interpreters appear in it. It counts every SharedArrayBuffer a worker holds in full
 *   in that worker, so the kernel's shared heap and the shared python_stdlib.zip, one copy each
 *   that every worker maps, are subtracted in the row (the console line prints the raw
 *   figures). The wasm memory (~15 MiB resident per process) does not show up in it: the
 *   OS-level row is the real cost.
 * CPython: VmRSS of N idle spawn children (idle_memory.py), same run.
 *
 * Uses the build in $NEXT_DIST_DIR (default .next-runtime), building it first if missing;
 * RUNTIME_BENCH_URL=http://localhost:3200 uses a server that is already running.
 * Run alone: `npx tsx bench/runtime-browser.bench.ts`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../tests/chromium";
import { startNextServer } from "./next-server";
import { report, runBench } from "./report";

const distDir = process.env.NEXT_DIST_DIR || ".next-runtime";
const N = 8;
const FIXTURE = "/dev/runtime";
const MiB = 1 << 20;

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

/** `root` and all its descendants. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent; the command (field 2) may hold spaces: split after ")".
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop() as number;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** PSS (bytes) summed over the Chromium processes this bench started: shared pages count once in total. */
function chromiumPss(): number {
  let kb = 0;
  for (const pid of processTree(process.pid)) {
    try {
      if (!fs.readlinkSync(`/proc/${pid}/exe`).includes("chromium")) continue;
      kb += Number(/^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return kb * 1024;
}

/** measureUserAgentSpecificMemory: bytes per process worker (each DedicatedWorkerGlobalScope). */
async function perWorkerBytes(page: Page): Promise<number[]> {
  const result = await page.evaluate(async () => {
    const perf = performance as unknown as { measureUserAgentSpecificMemory(): Promise<{ bytes: number; breakdown: Breakdown[] }> };
    return perf.measureUserAgentSpecificMemory();
  });
  const out: number[] = [];
  for (const b of result.breakdown) {
    const workers = b.attribution.filter((a) => a.scope === "DedicatedWorkerGlobalScope").length;
    if (workers > 0 && workers === b.attribution.length) for (let i = 0; i < workers; i++) out.push(b.bytes / workers);
  }
  return out;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  const { base, child } = await startServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, "--enable-blink-features=ForceEagerMeasureMemory"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}${FIXTURE}?idle=${N}`);
    const status = page.getByTestId("status");
    await status.filter({ hasText: "ready" }).waitFor({ timeout: 170_000 });
    await page.waitForTimeout(5000); // the pool finishes booting and settles
    const idleBefore = await perWorkerBytes(page);
    const before = chromiumPss();
    await page.getByRole("button", { name: `Start ${N} idle processes` }).click();
    await status.filter({ hasText: `idle ${N}` }).waitFor({ timeout: 120_000 });
    await page.waitForTimeout(5000); // the pool refills (150 ms after each take) and settles
    const after = chromiumPss();
    const workers = await perWorkerBytes(page);
    await page.getByRole("button", { name: "Release" }).click();
    await status.filter({ hasText: "exit 0" }).waitFor({ timeout: 60_000 });

    const kernelHeap = Number(await page.getByTestId("kernel-heap-bytes").getAttribute("data-bytes"));
    const stdlib = fs.statSync(path.join(__dirname, "..", "public", "pyodide", "python_stdlib.zip")).size;
    const marginal = (after - before) / (N + 1) / MiB;
    const raw = idleBefore.length ? mean(idleBefore) / MiB : null;
    const own = raw === null ? null : raw - (kernelHeap + stdlib) / MiB;
    console.error(
      `Chromium: PSS of all processes ${(before / MiB).toFixed(1)} MiB with the pool idle (${idleBefore.length} workers), ` +
        `${(after / MiB).toFixed(1)} MiB with ${N + 1} more idle processes → ${marginal.toFixed(1)} MiB each; ` +
        `measureUserAgentSpecificMemory, raw MiB per worker: pool idle ${idleBefore.map((v) => (v / MiB).toFixed(1)).join(", ")}; ` +
        `with the program idle ${workers.map((v) => (v / MiB).toFixed(1)).join(", ")} (${workers.length} of ${N + 3} workers answered) ` +
        `(includes the shared kernel heap ${(kernelHeap / MiB).toFixed(1)} MiB + shared stdlib zip ${(stdlib / MiB).toFixed(1)} MiB, subtracted in the row)`,
    );
    const cpy = await cpythonIdleMiB(N);
    report({ metric: "memory per idle process, Chromium: added PSS of all its processes ÷ processes (MiB)", ours: marginal, cpython: cpy, target: "< 45 MB", ok: marginal * MiB < 45e6 });
    report({
      metric: "memory per idle pool interpreter, Chromium measureUserAgentSpecificMemory per worker, shared kernel heap + stdlib zip excluded (MiB)",
      ours: own,
      cpython: cpy,
      target: "< 45 MB",
      ok: own !== null && own * MiB < 45e6,
    });
  } finally {
    await browser.close();
    child?.kill();
  }
}

runBench(main);
