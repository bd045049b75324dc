/**
 * Controlled mode on the Node host (lib/runtime/controlled.ts): what one scheduling point
 * costs (a point is a round trip to the kernel thread, and the kernel waits for every
 * process to park before it grants the next turn), how many schedules per second a
 * 3-process program of ~30 operations each gets (each schedule's processes run in workers
 * the pool recycled from the previous schedule), and a 30 s sleep on the virtual clock. Run alone:
 * `npx tsx bench/controlled.bench.ts`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { randomPolicy } from "../lib/kernel/sched/policy";
import { runControlled } from "../lib/runtime/controlled";
import { createNodeMachine } from "../lib/runtime/node";
import type { Machine } from "../lib/runtime/machine";
import { report, runBench } from "./report";

const SCRIPT = fs.readFileSync(path.join(__dirname, "runtime", "controlled_points.py"), "utf8");
const program = (n: number, procs: number) => ({ files: { "points.py": SCRIPT }, entry: "points.py", argv: [String(n), String(procs)] });

async function timed(machine: Machine, n: number, procs: number, seed = 0): Promise<{ ms: number; steps: number }> {
  const t0 = performance.now();
  const r = await runControlled(machine, program(n, procs), randomPolicy(seed), { seed });
  if (r.failure) throw new Error(`controlled_points.py failed: ${JSON.stringify(r.failure)}`);
  return { ms: performance.now() - t0, steps: r.steps.length };
}

async function main(): Promise<void> {
  const machine = createNodeMachine({ poolSize: 3 });
  await machine.warm();
  await new Promise((r) => setTimeout(r, 1000));
  // One process: no interpreter boots inside the measurement's difference.
  const base = await timed(machine, 0, 1);
  const many = await timed(machine, 1000, 1);
  const perPoint = (many.ms - base.ms) / (many.steps - base.steps);
  report({ metric: "controlled mode: one scheduling point (lock acquire or release), Node (ms)", ours: Number(perPoint.toFixed(3)), cpython: null, target: "< 0.2 ms", ok: perPoint < 0.2 });

  const runs = 5;
  let total = 0;
  let steps = 0;
  for (let i = 0; i < runs; i++) {
    await new Promise((r) => setTimeout(r, 300)); // let the pool refill as a search would between schedules
    const s = await timed(machine, 15, 3, i);
    total += s.ms;
    steps += s.steps;
  }
  const perSecond = (runs * 1000) / total;
  console.error(`3 processes × 30 lock operations: ${steps / runs} steps per schedule, ${(total / runs).toFixed(0)} ms per schedule`);
  report({ metric: "controlled mode: schedules/s, 3 processes × ~30 operations, Node", ours: Number(perSecond.toFixed(2)), cpython: null, target: "≥ 50", ok: perSecond >= 50 });

  // The gates cost normal runs one boolean test each: the same loop uncontrolled, vs CPython.
  const N = 20_000;
  const oursRun = async (n: number): Promise<number> => {
    await new Promise((r) => setTimeout(r, 500)); // a booted interpreter waits in the pool
    const t = performance.now();
    if ((await machine.run(program(n, 1)).exit) !== 0) throw new Error("uncontrolled loop failed");
    return performance.now() - t;
  };
  const theirsRun = (n: number): number => {
    const t = performance.now();
    const py = spawnSync("python3", ["-c", SCRIPT, String(n), "1"], { encoding: "utf8" });
    if (py.status !== 0) throw new Error(`python3 loop: ${py.stderr}`);
    return performance.now() - t;
  };
  const ours = ((await oursRun(N)) - (await oursRun(0))) * 1000 / N;
  const theirs = (theirsRun(N) - theirsRun(0)) * 1000 / N;
  report({ metric: "uncontrolled (normal run) Lock acquire+release pair, the gates off, Node (µs)", ours: Number(ours.toFixed(2)), cpython: Number(theirs.toFixed(2)), target: "no regression (see runtime.bench.ts)", ok: null });

  const t0 = performance.now();
  const slept = await runControlled(machine, { files: { "s.py": "import time\ntime.sleep(30)\nprint('ok')\n" }, entry: "s.py" });
  const wall = performance.now() - t0;
  if (slept.output !== "ok\n") throw new Error(`sleep program: ${slept.output}`);
  report({ metric: "controlled mode: time.sleep(30) on the virtual clock, wall time, Node (ms)", ours: Math.round(wall), cpython: 30_000, target: "< 1000 ms", ok: wall < 1000 });
  machine.dispose();
}

runBench(main);
