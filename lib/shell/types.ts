/**
 * The narrow slice of a machine the shell needs. `machineForShell` (./machine.ts) maps the
 * runtime's Machine onto it; keeping the seam here lets the shell stay small and testable.
 */
import type { KernelEvent } from "@/lib/kernel";

export type ShellProcessState = "starting" | "running" | "blocked" | "zombie";

export interface ShellProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly name: string;
  readonly state: ShellProcessState;
  readonly startTime: number;
}

/** The signals the kernel delivers: SIGINT, SIGKILL, SIGTERM. */
export type ShellSignal = 2 | 9 | 15;

export interface ShellFs {
  exists(path: string): "file" | "dir" | null;
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: Uint8Array): void;
  unlink(path: string): void;
  /** Every file under `dir`, recursively, as absolute paths. */
  list(dir: string): string[];
}

export interface ShellMachine {
  /** The working directory every program starts in. */
  readonly cwd: string;
  readonly fs: ShellFs;
  /** The kernel clock (ms), the one event timestamps use. */
  now(): number;
  /** Starts `entry` (an absolute path) as a new program; `exit` resolves with its exit code (−N for signal N). */
  run(entry: string, argv: readonly string[], argv0?: string): { readonly pid: number; readonly exit: Promise<number> };
  processes(): ShellProcess[];
  /** Throws an error with `errno` 3 (ESRCH) or 1 (EPERM) like kill(2). */
  signal(pid: number, sig: ShellSignal): void;
  onOutput(listener: (pid: number, fd: 1 | 2, data: Uint8Array) => void): () => void;
  onEvent(listener: (event: KernelEvent) => void): () => void;
  writeStdin(text: string): void;
  closeStdin(): void;
}
