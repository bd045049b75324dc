/**
 * The part of the runtime's `Machine` (lib/runtime) that the live editor uses, as a
 * structural interface. The editor depends on this, not on the runtime's internals; a
 * small adapter (runtime-adapter.ts) maps the real Machine onto it. Keeping the seam here
 * lets the UI be tested and reasoned about without booting Python.
 */
import type { KernelEvent } from "@/lib/kernel";

export type ProcessState = "running" | "sleeping" | "blocked" | "zombie" | "exited";

/** One row of the live process panel. */
export interface ProcessRow {
  pid: number;
  ppid: number;
  name: string;
  state: ProcessState;
  /** What a blocked process waits on (lock, queue, join, sleep, socket, input…). */
  blockedOn?: string;
  daemon: boolean;
  /** Re-parented to init (pid 1) because its parent died first. */
  orphan: boolean;
  exitCode: number | null;
}

export type OutputStream = "stdout" | "stderr";

export interface OutputChunk {
  pid: number;
  stream: OutputStream;
  text: string;
}

export type SignalName = "SIGINT" | "SIGTERM" | "SIGKILL";

export interface RunRequest {
  /** Every file of the block, by path relative to the working directory. */
  files: Record<string, string>;
  entry: string;
  argv?: string[];
}

/** A program started by `run`: its main process and everything it spawns. */
export interface RunningProgram {
  readonly pid: number;
  /** Resolves with the main process's exit code once it has exited. */
  readonly exited: Promise<number | null>;
  /** Feeds the program's standard input (what `input()` reads). */
  writeStdin(text: string): void;
  /** End of input: `input()` raises EOFError once the buffer is drained. */
  closeStdin(): void;
}

/** The kernel's event stream (lib/kernel's public `KernelEvent`). */
export type MachineEvent = KernelEvent;

/** An interactive shell attached to a terminal: keys in, ANSI text out (via `write`). */
export interface ShellSession {
  input(data: string): void;
  dispose(): void;
}

export interface PlaygroundMachine {
  run(request: RunRequest): Promise<RunningProgram>;
  onOutput(listener: (chunk: OutputChunk) => void): () => void;
  /** Every kernel event (process lifecycle, blocking calls). */
  onEvent(listener: (event: MachineEvent) => void): () => void;
  signal(pid: number, signal: SignalName): void;
  /** Kills every process of the machine (Stop; leaving the page). */
  stopAll(): Promise<void>;
  /**
   * Opens a shell (lib/shell) on this machine, after writing `files` into its working
   * directory so `python main.py` finds them. Optional: machines without a shell omit it.
   */
  openShell?(files: Record<string, string>, write: (text: string) => void, onRun?: (pid: number) => void): ShellSession;
  /** Number of live Web Workers, for tests that check nothing is left running. */
  workerCount?(): number;
  dispose(): Promise<void> | void;
}
