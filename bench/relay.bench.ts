/**
 * Relay mode (workers share no memory: lib/runtime/README.md) next to normal mode and CPython,
 * same run, Node host: a Queue round trip between two processes, and start() → the child's
 * first line for the first child of a fresh CLI run (what a user pays: a new process, the
 * snapshot cached on disk) and with the pool warm. Run alone: `npx tsx bench/relay.bench.ts`.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { createNodeMachine } from "../lib/runtime/node";
import { cpythonJson, oursJson } from "./programs";
import { report, runBench } from "./report";

const ROOT = path.join(__dirname, "..");
const DIR = path.join(__dirname, "runtime");
const RUNS = 3;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One fresh CLI run (`npm run -s py`), normal or relay mode: the first child's start, in ms. */
function cliFirst(relay: boolean): number {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "py.ts"), path.join(DIR, "start_latency.py"), "1", "0"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 300_000,
    env: { ...process.env, SPAWNPOINT_RELAY: relay ? "1" : "0" },
  });
  if (r.status !== 0) throw new Error(`py.ts start_latency.py: ${r.stderr}`);
  return (JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "") as { first: number }).first;
}

async function main(): Promise<void> {
  cliFirst(false); // the snapshot and the worker bundle exist on disk, as after a user's first run
  const first = { normal: [] as number[], relay: [] as number[], cpython: [] as number[] };
  // Interleaved, so all three see the same machine load.
  for (let i = 0; i < RUNS; i++) {
    first.normal.push(cliFirst(false));
    first.relay.push(cliFirst(true));
    first.cpython.push(cpythonJson(DIR, "start_latency.py", ["1", "0"]).first);
  }
  console.error(`first child (ms): normal ${first.normal.map((x) => x.toFixed(0))}, relay ${first.relay.map((x) => x.toFixed(0))}, CPython ${first.cpython.map((x) => x.toFixed(0))}`);
  const cpyFirst = median(first.cpython);
  report({ metric: "start() → child's first line, FIRST child of a fresh CLI run, normal mode (ms)", ours: median(first.normal), cpython: cpyFirst, target: "≤ CPython spawn", ok: median(first.normal) <= cpyFirst });
  report({ metric: "start() → child's first line, FIRST child of a fresh CLI run, relay mode (ms)", ours: median(first.relay), cpython: cpyFirst, target: "≤ CPython spawn", ok: median(first.relay) <= cpyFirst });

  const rounds = ["500"];
  const cpyQ = cpythonJson(DIR, "queue_rtt.py", rounds).us;
  for (const relay of [false, true]) {
    const machine = createNodeMachine({ poolSize: 2, relay });
    await machine.warm();
    const warm = await oursJson(machine, DIR, "start_latency.py", ["4", "1.5"]);
    const q = await oursJson(machine, DIR, "queue_rtt.py", rounds);
    machine.dispose();
    const mode = relay ? "relay" : "normal";
    report({ metric: `start() → child's first line, pool warm, ${mode} mode (ms)`, ours: warm.ms, cpython: null, target: "(see runtime.bench)", ok: null });
    report({ metric: `Queue put→get round trip, 2 processes, ${mode} mode (µs)`, ours: q.us, cpython: cpyQ, target: relay ? "≤ 10× CPython (a host hop per op)" : "≤ 1.5× CPython", ok: q.us <= (relay ? 10 : 1.5) * cpyQ });
  }
}

runBench(main);
