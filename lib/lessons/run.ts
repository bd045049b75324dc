/**
 * Runs one lesson program (a block, an exercise attempt) on a Python machine and collects
 * what it prints. Host-agnostic: the Node test and the browser's Check button both pass a
 * MachinePort (lib/runtime), so both go through the same timeout, companion and
 * process-tree logic.
 */
import type { DeadlockReport, KernelEvent } from "@/lib/kernel";
import { Signal, type MachinePort } from "@/lib/runtime/port";

/** What a program needs: its files, the one to run, and files to start next to it. */
export interface Program {
  files: Record<string, string>;
  entry: string;
  /** Started, in order, once the entry has printed its first line; each is awaited. */
  companions?: string[];
}

export interface RunResult {
  /** stdout and stderr of the entry's process tree, interleaved as they arrived. */
  output: string;
  /** The entry's exit code (−N for signal N); null when it had to be stopped. */
  exitCode: number | null;
  /** The program was still running after the time limit and was stopped. */
  timedOut: boolean;
  /** Output of each companion, by file name. */
  companionOutput: Record<string, string>;
  /**
   * The kernel's diagnosis when every process of the program waited forever. Such a
   * program would hang until the time limit (as under CPython); it is stopped at once.
   */
  deadlock: DeadlockReport | null;
  /** The program's files as it left them (each file it was given, read back after the run; null if deleted). */
  files: Record<string, string | null>;
  /** Lifecycle events of the entry's process tree (spawn, rename, signal, exit, reparent, reap), in order. */
  events: KernelEvent[];
}

/** The machine operations a run needs. */
export type RunMachine = Pick<MachinePort, "run" | "onOutput" | "onEvent" | "signal" | "fs" | "cwd">;

export interface RunOptions {
  /** Stop the program after this long. Default 20 000 ms. */
  timeoutMs?: number;
  /** With companions: how long the entry may keep running after the last companion ends. Default 500 ms. */
  settleMs?: number;
}

/** The events an exercise may inspect: who started, was signalled, ended and was reaped, when. */
const LIFECYCLE = new Set<KernelEvent["type"]>(["spawn", "rename", "signal", "exit", "reparent", "reap"]);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Tracks the process tree under one root pid, from the kernel's spawn and exit events. */
class ProcessTree {
  readonly members = new Set<number>();
  readonly alive = new Set<number>();
  constructor(root: number) {
    this.members.add(root);
    this.alive.add(root);
  }
  observe(e: KernelEvent): void {
    if (e.type === "spawn" && this.members.has(e.ppid)) {
      this.members.add(e.pid);
      this.alive.add(e.pid);
    } else if (e.type === "exit" || e.type === "reap") {
      this.alive.delete(e.pid);
    }
  }
}

const decoder = new TextDecoder();

function readBack(machine: RunMachine, program: Program): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of Object.keys(program.files)) {
    const abs = name.startsWith("/") ? name : `${machine.cwd.replace(/\/$/, "")}/${name}`;
    try {
      out[name] = machine.fs.exists(abs) ? decoder.decode(machine.fs.readFile(abs)) : null;
    } catch {
      out[name] = null; // a folder now, or unreadable: the checks treat it as gone
    }
  }
  return out;
}

export async function runProgram(machine: RunMachine, program: Program, options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const settleMs = options.settleMs ?? 500;
  // Output and events can arrive before start() resolves with the pid: buffer them.
  const early: { pid: number; text: string }[] = [];
  const earlyEvents: KernelEvent[] = [];
  const trees: { name: string; tree: ProcessTree; out: string }[] = [];
  const treeOf = (pid: number) => trees.find((t) => t.tree.members.has(pid));
  const offOut = machine.onOutput(({ pid, text }) => {
    const t = treeOf(pid);
    if (t) t.out += text;
    else early.push({ pid, text });
  });
  let deadlock: DeadlockReport | null = null;
  const offEv = machine.onEvent((e) => {
    for (const t of trees) t.tree.observe(e);
    earlyEvents.push(e);
    if (e.type === "deadlock" && trees[0]?.tree.members.has(e.pid)) deadlock ??= e.report;
  });
  const adopt = (name: string, pid: number) => {
    const entry = { name, tree: new ProcessTree(pid), out: "" };
    for (const e of earlyEvents) entry.tree.observe(e);
    trees.push(entry);
    for (let i = 0; i < early.length; ) {
      if (entry.tree.members.has(early[i].pid)) {
        entry.out += early[i].text;
        early.splice(i, 1);
      } else i++;
    }
    return entry;
  };

  let timedOut = false;
  const deadline = Date.now() + timeoutMs;
  const kill = (pid: number) => {
    try {
      machine.signal(pid, Signal.SIGKILL);
    } catch {
      // Already gone: nothing to stop.
    }
  };
  const killAll = () => {
    for (const t of trees) for (const pid of t.tree.alive) kill(pid);
  };
  try {
    const main = machine.run({ files: program.files, entry: program.entry });
    const mainTree = adopt(program.entry, main.pid);
    let exitCode: number | null = null;
    let exited = false;
    const exitPromise = main.exit.then((code) => {
      exitCode = code;
      exited = true;
    });
    const companionOutput: Record<string, string> = {};
    if (program.companions && program.companions.length > 0) {
      while (!mainTree.out.includes("\n") && !exited && Date.now() < deadline) await sleep(25);
      for (const name of program.companions) {
        if (exited || Date.now() >= deadline) break;
        const c = machine.run({ files: program.files, entry: name });
        const ct = adopt(name, c.pid);
        await Promise.race([c.exit, sleep(Math.max(0, deadline - Date.now()))]);
        await sleep(20);
        companionOutput[name] = ct.out;
      }
      await Promise.race([exitPromise, sleep(Math.min(settleMs, Math.max(0, deadline - Date.now())))]);
      if (!exited) {
        killAll();
        timedOut = false;
        exitCode = null;
      }
    } else {
      while (!exited && deadlock === null && Date.now() < deadline) await Promise.race([exitPromise, sleep(50)]);
      if (!exited) {
        timedOut = deadlock === null;
        killAll();
      }
    }
    // Let output that was written just before the exit be delivered.
    await sleep(30);
    // Orphans (adopted by init) may outlive the entry; they are part of this run.
    killAll();
    const events = earlyEvents.filter((e) => LIFECYCLE.has(e.type) && "pid" in e && mainTree.tree.members.has(e.pid));
    return { output: mainTree.out, exitCode: exited ? exitCode : null, timedOut, companionOutput, deadlock, events, files: readBack(machine, program) };
  } finally {
    offOut();
    offEv();
  }
}
