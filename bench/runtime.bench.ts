/**
 * Runtime benchmarks: each bench/runtime/*.py runs with python3 (spawn start method) and on
 * Spawnpoint's Node host in the same run. Run alone: `npx tsx bench/runtime.bench.ts`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createNodeMachine } from "../lib/runtime/node";
import type { Machine } from "../lib/runtime";
import { cpythonJson, oursJson } from "./programs";
import { report, runBench } from "./report";

const DIR = path.join(__dirname, "runtime");
const cpython = (script: string, args: string[]) => cpythonJson(DIR, script, args);
const ours = (machine: Machine, script: string, args: string[], onLine?: (line: string) => void) => oursJson(machine, DIR, script, args, onLine);

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cpythonRssMiB(pids: number[]): number {
  const kb = pids.map((pid) => {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  });
  return kb.reduce((a, b) => a + b, 0) / kb.length / 1024;
}

async function cpythonIdleMemory(n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["idle_memory.py", String(n), "2"], { cwd: DIR });
    let out = "";
    let measured = false;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (!measured && out.includes("\n")) {
        measured = true;
        const { pids } = JSON.parse(out.split("\n")[0]) as { pids: number[] };
        setTimeout(() => resolve(cpythonRssMiB(pids)), 500);
      }
    });
    child.on("error", reject);
  });
}

async function main(): Promise<void> {
  const machine = createNodeMachine({ poolSize: 2 });
  await machine.warm();
  await settle(1000);

  const warmOurs = await ours(machine, "start_latency.py", ["5", "2.5"]);
  const startCpy = cpython("start_latency.py", ["5", "0"]);
  report({ metric: "start() → child's first line, pool warm (ms)", ours: warmOurs.ms, cpython: startCpy.ms, target: "≤ CPython spawn", ok: warmOurs.ms <= startCpy.ms });

  // No waiting worker and none to reuse: every child boots an interpreter (the cold case).
  const cold = createNodeMachine({ poolSize: 0, recycle: false });
  await cold.warm();
  const coldOurs = await ours(cold, "start_latency.py", ["3", "0.5"]);
  cold.dispose();
  report({ metric: "start() → child's first line, pool empty, no worker reused (ms)", ours: coldOurs.ms, cpython: startCpy.ms, target: "< 600 ms", ok: coldOurs.ms < 600 });

  // No waiting worker, but each child after the first runs in the worker of the one before it,
  // put back to its end-of-boot state (worker/recycle.ts).
  const reuse = createNodeMachine({ poolSize: 0 });
  await reuse.warm();
  const reuseOurs = await ours(reuse, "start_latency.py", ["5", "0.2"]);
  reuse.dispose();
  report({ metric: "start() → child's first line, pool empty, the previous child's worker reused (ms, later children)", ours: reuseOurs.warm, cpython: startCpy.warm, target: "≤ CPython spawn", ok: reuseOurs.warm <= startCpy.warm });

  await settle(2000);
  const qOurs = await ours(machine, "queue_rtt.py", ["2000"]);
  const qCpy = cpython("queue_rtt.py", ["2000"]);
  report({ metric: "Queue put→get round trip, 2 processes (µs)", ours: qOurs.us, cpython: qCpy.us, target: "≤ 1.5× CPython", ok: qOurs.us <= 1.5 * qCpy.us });

  // Not in the issue's targets; measured the same way as the Queue for comparison.
  const pOurs = await ours(machine, "pipe_rtt.py", ["2000"]);
  const pCpy = cpython("pipe_rtt.py", ["2000"]);
  report({ metric: "Pipe send→recv round trip, 2 processes (µs)", ours: pOurs.us, cpython: pCpy.us, target: "≤ 1.5× CPython (as Queue)", ok: pOurs.us <= 1.5 * pCpy.us });

  await settle(2000);
  const lOurs = await ours(machine, "lock_uncontended.py", ["100000"]);
  const lCpy = cpython("lock_uncontended.py", ["100000"]);
  report({ metric: "Lock acquire+release, uncontended (µs)", ours: lOurs.us, cpython: lCpy.us, target: "< 5 µs", ok: lOurs.us < 5 });

  // The marginal memory of one more idle process: this Node process's RSS (kernel thread +
  // every worker thread) with the pool idle, then with the program's N + 1 processes idle (the
  // pool refills to the same size), divided by N + 1. A larger N makes the host's own noise (main-thread
  // garbage) smaller per process.
  await settle(3000);
  const N = 16;
  const before = process.memoryUsage().rss;
  let after = before;
  await ours(machine, "idle_memory.py", [String(N), "4"], (line) => {
    if (line.startsWith('{"pids"')) setTimeout(() => (after = process.memoryUsage().rss), 3000);
  });
  const perProcess = (after - before) / (N + 1) / (1 << 20);
  const memCpy = await cpythonIdleMemory(N);
  report({ metric: "memory per idle process, Node: added RSS ÷ processes (worker_threads) (MiB)", ours: perProcess, cpython: memCpy, target: "< 45 MiB", ok: perProcess < 45 });

  await settle(2000);
  const manyOurs = await ours(machine, "many_processes.py", ["32"]);
  const manyCpy = cpython("many_processes.py", ["32"]);
  report({
    metric: "32 processes alive at once: time until all run (ms)",
    ours: manyOurs.alive === 32 && manyOurs.exitcodes_ok ? manyOurs.ms : null,
    cpython: manyCpy.ms,
    target: "all 32 alive, exit 0",
    ok: manyOurs.alive === 32 && manyOurs.exitcodes_ok === 1,
  });
  machine.dispose();
}

runBench(main);
