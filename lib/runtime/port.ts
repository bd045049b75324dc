/**
 * MachinePort: the one interface through which everything outside lib/runtime uses a
 * machine — the live editor (lib/playground), the shell (lib/shell), the lesson checker
 * (lib/lessons) and the page runtime (components/editor). `portOf(machine)` is its one
 * implementation, over the runtime's `Machine`, in Node and in the browser alike.
 *
 * What it adds to `Machine`: output as text. Every consumer of one machine shares one
 * streaming UTF-8 decoder per process and stream (a character may be split across two
 * chunks), so the same bytes are decoded once, not once per listener.
 *
 * This module is light on purpose (types, and the signal table from the kernel's own
 * small module): client components import it without pulling the kernel or the worker
 * pool into a lesson page's first-load JavaScript.
 */
import type { FileSystem, KernelEvent, ProcessInfo } from "@/lib/kernel";
// The table's own module, not the kernel's index (see above).
import { Signal, parseSignal, signalName, isSignal, type SignalName, type SignalNumber } from "@/lib/kernel/signals";
import type { ControlledOptions, Policy } from "@/lib/kernel/sched/types";
import { startControlled, type ControlledProgram, type ControlledRun } from "./controlled";
import type { Machine, RunHandle, RunOptions } from "./machine";

export { Signal, parseSignal, signalName, isSignal, type SignalName, type SignalNumber, type RunHandle, type RunOptions };

/** Text a process wrote: fd 1 is stdout, fd 2 stderr. */
export interface TextChunk {
  readonly pid: number;
  readonly fd: 1 | 2;
  readonly text: string;
}

/** The machine's file system (shared by every process; paths are absolute). */
export type MachineFs = Pick<FileSystem, "exists" | "readFile" | "writeFile" | "unlink" | "list" | "mkdirp">;

export interface MachinePort {
  /** The working directory every program starts in. */
  readonly cwd: string;
  readonly fs: MachineFs;
  /** The kernel clock (ms), the one event timestamps use. */
  now(): number;
  /** Writes files (relative to `cwd`, or absolute), creating folders, without running anything. */
  writeFiles(files: RunOptions["files"]): void;
  /** Writes `files`, then starts `entry` as a child of init; `exit` resolves with −N when killed by signal N. */
  run(options: RunOptions): RunHandle;
  processes(): ProcessInfo[];
  /** kill(2) from init: throws a KernelError with errno ESRCH, EPERM (pid 1) or EINVAL (not a signal). */
  signal(pid: number, sig: SignalNumber): void;
  /** Decoded stdout/stderr, per process, in the order the writes happened. */
  onOutput(listener: (chunk: TextChunk) => void): () => void;
  /** Every kernel event (process lifecycle, blocking calls, signals). */
  onEvent(listener: (event: KernelEvent) => void): () => void;
  /** Feeds the input (what `input()` reads) of `pid`'s program; default: the program started last. Each program has its own. */
  writeStdin(text: string, pid?: number): void;
  /** End of that input: `input()` raises EOFError once the buffer is drained. */
  closeStdin(pid?: number): void;
  /** Kills every process (Stop everything; leaving the page). */
  stopAll(): void;
  /** Frees every worker. */
  dispose(): void;
  /**
   * Runs `program` in controlled mode (./controlled.ts) on this machine, which must have no
   * other program running: one process at a time, `policy` (which may wait for the reader)
   * choosing who moves. Output and events also reach the listeners above.
   */
  startControlled(program: ControlledProgram, policy: Policy, options?: ControlledOptions): ControlledRun;
  /** Step mode opens: the workers its runs will take boot now, side by side, not when its first child asks. */
  prepareControlled(): void;
}

const ports = new WeakMap<Machine, MachinePort>();

/** The port of `machine` (one per machine, so its listeners share one decoder map). */
export function portOf(machine: Machine): MachinePort {
  let port = ports.get(machine);
  if (!port) ports.set(machine, (port = createPort(machine)));
  return port;
}

function createPort(m: Machine): MachinePort {
  const listeners = new Set<(chunk: TextChunk) => void>();
  const decoders = new Map<string, TextDecoder>();
  let offBytes: (() => void) | null = null;
  let offReap: (() => void) | null = null;

  const decode = (pid: number, fd: 1 | 2, data: Uint8Array): void => {
    const key = `${pid}:${fd}`;
    let d = decoders.get(key);
    if (!d) decoders.set(key, (d = new TextDecoder()));
    const text = d.decode(data, { stream: true });
    if (text) for (const l of listeners) l({ pid, fd, text });
  };

  // Subscribed to the machine only while someone listens: an idle port costs nothing.
  const subscribe = (): void => {
    offBytes = m.onOutput(({ pid, fd, data }) => decode(pid, fd, data));
    offReap = m.onEvent((e) => {
      if (e.type !== "reap") return;
      decoders.delete(`${e.pid}:1`);
      decoders.delete(`${e.pid}:2`);
    });
  };
  const unsubscribe = (): void => {
    offBytes?.();
    offReap?.();
    offBytes = offReap = null;
    decoders.clear();
  };

  return {
    cwd: m.cwd,
    fs: m.fs,
    now: () => m.kernel.host.now(),
    writeFiles: (files) => m.writeFiles(files),
    run: (options) => m.run(options),
    processes: () => m.processes(),
    signal: (pid, sig) => m.signal(pid, sig),
    onOutput(listener) {
      if (listeners.size === 0) subscribe();
      listeners.add(listener);
      return () => {
        if (listeners.delete(listener) && listeners.size === 0) unsubscribe();
      };
    },
    onEvent: (listener) => m.onEvent(listener),
    writeStdin: (text, pid) => m.writeStdin(text, pid),
    closeStdin: (pid) => m.closeStdin(pid),
    stopAll: () => m.stopAll(),
    startControlled: (program, policy, options) => startControlled(m, program, policy, options),
    prepareControlled: () => m.prepareControlled(),
    dispose: () => {
      listeners.clear();
      unsubscribe();
      m.dispose();
    },
  };
}
