/**
 * The sandbox's costs, on the Node host:
 * - six children started at once, with and without a 200 MiB file in the working directory
 *   (a new process gets file contents on first open, so the file must not slow its start);
 *   CPython spawn runs the same script next to the same file;
 * - one machine running 1,000 programs that each make 100 Queues and 100 Locks: RSS and the
 *   shared heap before and after (a program's rings and semaphores are freed when it ends).
 * Run alone: `npx tsx bench/sandbox.bench.ts` (`PROGRAMS=n` for fewer programs).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createNodeMachine } from "../lib/runtime/node";
import type { Machine } from "../lib/runtime/machine";
import { report, runBench } from "./report";

const SIX = path.join(__dirname, "runtime", "six_children.py");
const MANY = path.join(__dirname, "..", "tests", "programs", "many_queues.py");
const BIG = 200 * 2 ** 20;
const PROGRAMS = Number(process.env.PROGRAMS ?? 1000);
const decoder = new TextDecoder();

async function runOut(machine: Machine, files: Record<string, string>, entry: string): Promise<string> {
  let out = "";
  const off = machine.onOutput((c) => (out += c.fd === 1 ? decoder.decode(c.data) : ""));
  const code = await machine.run({ files, entry }).exit;
  off();
  if (code !== 0) throw new Error(`${entry} exited ${code}: ${out}`);
  return out;
}

async function sixChildren(machine: Machine): Promise<number> {
  const out = await runOut(machine, { "six_children.py": fs.readFileSync(SIX, "utf8") }, "six_children.py");
  return (JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as { ms: number }).ms;
}

function cpythonSix(withBig: boolean): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-bench-"));
  try {
    fs.copyFileSync(SIX, path.join(dir, "six_children.py"));
    if (withBig) fs.writeFileSync(path.join(dir, "big.bin"), Buffer.alloc(BIG, 1));
    const r = spawnSync("python3", ["six_children.py"], { cwd: dir, encoding: "utf8", timeout: 300_000 });
    if (r.status !== 0) throw new Error(`python3 six_children.py: ${r.stderr}`);
    return (JSON.parse(r.stdout.trim()) as { ms: number }).ms;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (n: number): number => Math.round((n / 2 ** 20) * 10) / 10;

async function main(): Promise<void> {
  const machine = createNodeMachine({ poolSize: 2 });
  await machine.warm();
  await sixChildren(machine); // first run: the pool settles
  const plain: number[] = [];
  const big: number[] = [];
  for (let i = 0; i < 3; i++) plain.push(await sixChildren(machine));
  machine.writeFiles({ "big.bin": new Uint8Array(BIG).fill(1) });
  for (let i = 0; i < 3; i++) big.push(await sixChildren(machine));
  machine.fs.unlink(`${machine.cwd}/big.bin`);
  const cpyPlain = median([0, 1, 2].map(() => cpythonSix(false)));
  const cpyBig = median([0, 1, 2].map(() => cpythonSix(true)));
  console.error(`six children, ours: ${plain.map(Math.round).join(", ")} ms without, ${big.map(Math.round).join(", ")} ms with 200 MiB`);
  report({ metric: "six children started at once → all running, no big file, Node (ms)", ours: median(plain), cpython: cpyPlain, target: "—", ok: null });
  report({ metric: "six children started at once → all running, a 200 MiB file present, Node (ms)", ours: median(big), cpython: cpyBig, target: "≤ 1.5× the same without the file", ok: median(big) <= 1.5 * median(plain) });

  const files = { "many_queues.py": fs.readFileSync(MANY, "utf8") };
  await runOut(machine, files, "many_queues.py");
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = machine.kernel.heap.inUse;
  const t0 = performance.now();
  for (let i = 0; i < PROGRAMS; i++) {
    const out = await runOut(machine, files, "many_queues.py");
    if (out !== "4950 100\n") throw new Error(`program ${i}: ${out}`);
    if ((i + 1) % 100 === 0) console.error(`after ${i + 1} programs: RSS ${mib(process.memoryUsage().rss)} MiB, shared heap in use ${machine.kernel.heap.inUse} bytes`);
  }
  const secs = (performance.now() - t0) / 1000;
  global.gc?.();
  const rss1 = process.memoryUsage().rss;
  const heap1 = machine.kernel.heap.inUse;
  console.error(`${PROGRAMS} programs × 100 Queues in ${secs.toFixed(0)} s: RSS ${mib(rss0)} → ${mib(rss1)} MiB, shared heap in use ${heap0} → ${heap1} bytes`);
  report({ metric: `${PROGRAMS} programs × 100 Queues + 100 Locks on one machine: shared heap in use after − before (bytes)`, ours: heap1 - heap0, cpython: null, target: "0", ok: heap1 === heap0 });
  report({ metric: `${PROGRAMS} programs × 100 Queues + 100 Locks on one machine: host RSS after − before (MiB)`, ours: mib(rss1 - rss0), cpython: null, target: "< 64 MiB", ok: rss1 - rss0 < 64 * 2 ** 20 });
  machine.dispose();
}

runBench(main);
