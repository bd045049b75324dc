/**
 * Loopback network benchmarks: each bench/net/*.py runs with python3 (spawn start method)
 * and on Spawnpoint's Node host in the same run, three times each; the median is reported.
 * Run alone: `npx tsx bench/net.bench.ts` (or `npm run bench -- net`).
 *
 * - echo_rtt.py: 100-byte echo round trip between two processes (target ≤ 1.5× CPython)
 * - bulk.py: 10 MB one way in 64 KB chunks (target ≥ 0.5× CPython's throughput)
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createNodeMachine } from "../lib/runtime/node";
import type { Machine } from "../lib/runtime";
import { report } from "./report";

const DIR = path.join(__dirname, "net");
const RUNS = 3;
const decoder = new TextDecoder();

function files(): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(DIR).filter((f) => f.endsWith(".py")).map((f) => [f, fs.readFileSync(path.join(DIR, f), "utf8")]));
}

function cpython(script: string, args: string[]): Record<string, number> {
  const r = spawnSync("python3", [script, ...args], { cwd: DIR, encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) throw new Error(`python3 ${script}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, number>;
}

async function ours(machine: Machine, script: string, args: string[]): Promise<Record<string, number>> {
  let out = "";
  let err = "";
  const off = machine.onOutput((c) => {
    if (c.fd === 2) err += decoder.decode(c.data);
    else out += decoder.decode(c.data);
  });
  try {
    const code = await machine.run({ files: files(), entry: script, argv: args }).exit;
    if (code !== 0) throw new Error(`spawnpoint ${script} exited ${code}: ${err}`);
    return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Record<string, number>;
  } finally {
    off();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

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

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
