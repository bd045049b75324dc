/**
 * Loopback network benchmarks: each bench/net/*.py runs with python3 (spawn start method)
 * and on Spawnpoint's Node host in the same run, three times each; the median is reported.
 * Run alone: `npx tsx bench/net.bench.ts` (or `npm run bench -- net`).
 *
 * - echo_rtt.py: 100-byte echo round trip between two processes (target ≤ 1.5× CPython)
 * - bulk.py: 10 MB one way in 64 KB chunks (target ≥ 0.5× CPython's throughput)
 */
import path from "node:path";
import { createNodeMachine } from "../lib/runtime/node";
import type { Machine } from "../lib/runtime";
import { cpythonJson, median, oursJson } from "./programs";
import { report, runBench } from "./report";

const DIR = path.join(__dirname, "net");
const RUNS = 3;
const cpython = (script: string, args: string[]) => cpythonJson(DIR, script, args);
const ours = (machine: Machine, script: string, args: string[]) => oursJson(machine, DIR, script, args);

async function main(): Promise<void> {
  const machine = createNodeMachine({ poolSize: 2 });
  await machine.warm();
  try {
    const rtt = { ours: [] as number[], cpython: [] as number[] };
    const bulk = { ours: [] as number[], cpython: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so a noisy moment of the machine hurts both sides alike.
      rtt.cpython.push(cpython("echo_rtt.py", ["2000"]).rtt_us);
      rtt.ours.push((await ours(machine, "echo_rtt.py", ["2000"])).rtt_us);
      bulk.cpython.push(cpython("bulk.py", []).mb_per_s);
      bulk.ours.push((await ours(machine, "bulk.py", [])).mb_per_s);
    }
    const r = { ours: median(rtt.ours), cpython: median(rtt.cpython) };
    report({ metric: "Socket echo round trip, 100 B, 2 processes (µs)", ...r, target: "≤ 1.5× CPython", ok: r.ours <= 1.5 * r.cpython });
    const b = { ours: median(bulk.ours), cpython: median(bulk.cpython) };
    report({ metric: "Socket throughput, 10 MB in 64 KB chunks (MB/s)", ...b, target: "≥ 0.5× CPython", ok: b.ours >= 0.5 * b.cpython });
  } finally {
    machine.dispose();
  }
}

runBench(main);
