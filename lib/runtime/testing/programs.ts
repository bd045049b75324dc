/**
 * The runtime's program tests run a tests/programs file on a Node-host Machine ("ours") and
 * on python3 (the reference) and compare. Both sides report the same shape, with exit codes
 * in Python's convention: N from sys.exit(N), −N for death by signal N (Process.exitcode's
 * convention, which our Machine follows; Node reports a python3 killed by a signal as
 * status null + the signal's name).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { Machine, RunHandle } from "../machine";
import { createNodeMachine, type NodeMachineOptions } from "../node";

export const PROGRAMS = path.resolve(__dirname, "..", "..", "..", "tests", "programs");

export interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

/** The named programs' sources, keyed by name; with no names, every .py and .txt in tests/programs. */
export function programFiles(...names: string[]): Record<string, string> {
  const chosen = names.length > 0 ? names : fs.readdirSync(PROGRAMS).filter((f) => f.endsWith(".py") || f.endsWith(".txt"));
  return Object.fromEntries(chosen.map((n) => [n, fs.readFileSync(path.join(PROGRAMS, n), "utf8")]));
}

export interface OursOptions {
  /** The project folder the program runs in. Default: the entry file alone. */
  files?: Record<string, string>;
  argv?: string[];
  /** Written to stdin, which is then closed. */
  stdin?: string;
  /** Called with all stdout so far after each chunk. */
  onStdout?: (stdout: string) => void;
  /** Called once the program has its pid. */
  onStart?: (handle: RunHandle) => void;
}

/** Runs `entry` on `machine` to its end and collects its processes' output. */
export async function runOurs(machine: Machine, entry: string, options: OursOptions = {}): Promise<Result> {
  const decoder = new TextDecoder();
  let stdout = "";
  let stderr = "";
  const off = machine.onOutput((c) => {
    const text = decoder.decode(c.data);
    if (c.fd === 1) {
      stdout += text;
      options.onStdout?.(stdout);
    } else stderr += text;
  });
  try {
    const handle = machine.run({ files: options.files ?? programFiles(entry), entry, argv: options.argv });
    options.onStart?.(handle);
    if (options.stdin !== undefined) {
      machine.writeStdin(options.stdin);
      machine.closeStdin();
    }
    const code = await handle.exit;
    return { stdout, stderr, code };
  } finally {
    off();
  }
}

/**
 * Programs whose python3 run takes a name the whole machine shares (a named SharedMemory
 * segment in /dev/shm). Test files run in parallel workers, so two of them running one at once
 * collide (the second gets FileExistsError and prints nothing): those runs take turns.
 */
const MACHINE_WIDE_NAMES = new Set(["shared_memory.py"]);
/** Longer than a python3 run may last (its timeout): a lock this old was left by a killed holder. */
const STALE_LOCK_MS = 90_000;

/** Runs `fn` holding a lock that every process of this machine shares (a directory: mkdir is atomic). */
function takingTurns<T>(name: string, fn: () => T): T {
  const lock = path.join(os.tmpdir(), `spawnpoint-cpython-${name}.lock`);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (const giveUp = Date.now() + 2 * STALE_LOCK_MS; ; ) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (Date.now() > giveUp) throw new Error(`${lock} stayed taken`);
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > STALE_LOCK_MS) fs.rmdirSync(lock);
      } catch {
        // gone meanwhile: try again
      }
      Atomics.wait(nap, 0, 0, 25);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmdirSync(lock);
  }
}

/** Runs `entry` with python3 in tests/programs; null when there is no python3 to compare with, an error when it does not end. */
export function runCPython(entry: string, argv: string[] = []): Result | null {
  const run = () => spawnSync("python3", [entry, ...argv], { cwd: PROGRAMS, encoding: "utf8", timeout: 60_000 });
  const r = MACHINE_WIDE_NAMES.has(entry) ? takingTurns(entry, run) : run();
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") return null;
  // A reference run that hangs must fail the test, not skip the comparison.
  if (r.error) throw new Error(`python3 ${entry}: ${r.error.message}; its output so far:\n${r.stdout}${r.stderr}`);
  const code = r.status ?? (r.signal ? -os.constants.signals[r.signal] : -1);
  return { stdout: r.stdout, stderr: r.stderr, code };
}

/**
 * One warm Node-host Machine shared by a test file (booting one costs seconds): created in
 * beforeAll, disposed in afterAll. Returns its getter.
 */
export function sharedMachine(options: NodeMachineOptions = { poolSize: 2 }): () => Machine {
  let machine: Machine | null = null;
  beforeAll(async () => {
    machine = createNodeMachine(options);
    await machine.warm();
  });
  afterAll(() => machine?.dispose());
  return () => {
    if (!machine) throw new Error("the shared machine is created in beforeAll");
    return machine;
  };
}
