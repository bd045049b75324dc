/**
 * The process table: pids, parent links, zombies and orphans.
 *
 * Rules (waitpid(2), PR_SET_CHILD_SUBREAPER(2const)):
 * - init is pid 1 and never exits; it has no worker.
 * - A process that ends becomes a zombie (keeps pid + exit code) until its parent reaps it.
 * - When a process ends, its children are re-parented to init; init reaps its zombies at once.
 */
import { KernelError } from "./errors";

/** `stopped`: SIGSTOP/SIGTSTP until SIGCONT (ps state T). */
export type ProcessState = "starting" | "running" | "blocked" | "stopped" | "zombie";

export interface ProcessEntry {
  readonly pid: number;
  ppid: number;
  name: string;
  state: ProcessState;
  readonly daemon: boolean;
  exitCode: number | null;
  readonly startTime: number;
  endTime: number | null;
}

/** A read-only copy of an entry, for snapshots that leave the kernel. */
export type ProcessInfo = Readonly<ProcessEntry>;

export const INIT_PID = 1;

export interface ProcessTableOptions {
  /** Most processes alive at once (init excluded; zombies count). Default 32. */
  readonly maxProcesses?: number;
}

export class ProcessTable {
  private readonly entries = new Map<number, ProcessEntry>();
  private nextPid = 2;
  readonly maxProcesses: number;

  constructor(now: number, options: ProcessTableOptions = {}) {
    this.maxProcesses = options.maxProcesses ?? 32;
    this.entries.set(INIT_PID, {
      pid: INIT_PID,
      ppid: 0,
      name: "init",
      state: "running",
      daemon: false,
      exitCode: null,
      startTime: now,
      endTime: null,
    });
  }

  get(pid: number): ProcessEntry | undefined {
    return this.entries.get(pid);
  }

  require(pid: number): ProcessEntry {
    const e = this.entries.get(pid);
    if (!e) throw KernelError.os("ESRCH");
    return e;
  }

  /** Processes other than init (including zombies). */
  get count(): number {
    return this.entries.size - 1;
  }

  /**
   * Numbers the next process 2 again, as on a fresh machine, when only init is left:
   * a controlled run replays with the CLI's pids whatever ran on the machine before.
   */
  restartPids(): boolean {
    if (this.count !== 0) return false;
    this.nextPid = 2;
    return true;
  }

  /** Allocates a pid; `EAGAIN` when the cap is reached, like fork(2) under RLIMIT_NPROC. */
  create(ppid: number, name: string, daemon: boolean, now: number): ProcessEntry {
    if (!this.entries.has(ppid)) throw KernelError.os("ESRCH");
    if (this.count >= this.maxProcesses) throw KernelError.os("EAGAIN");
    const entry: ProcessEntry = {
      pid: this.nextPid++,
      ppid,
      name,
      state: "starting",
      daemon,
      exitCode: null,
      startTime: now,
      endTime: null,
    };
    this.entries.set(entry.pid, entry);
    return entry;
  }

  childrenOf(pid: number): ProcessEntry[] {
    return [...this.entries.values()].filter((e) => e.ppid === pid && e.pid !== INIT_PID);
  }

  isAlive(pid: number): boolean {
    const e = this.entries.get(pid);
    return e !== undefined && e.state !== "zombie";
  }

  /**
   * Marks `pid` ended. Returns the children that were re-parented to init (the caller
   * emits events and lets init reap the zombies among them).
   */
  markExited(pid: number, exitCode: number, now: number): ProcessEntry[] {
    const e = this.require(pid);
    if (e.state === "zombie") return [];
    e.state = "zombie";
    e.exitCode = exitCode;
    e.endTime = now;
    const orphans = this.childrenOf(pid);
    for (const child of orphans) child.ppid = INIT_PID;
    return orphans;
  }

  /** Removes a zombie from the table (waitpid). */
  reap(pid: number): ProcessEntry {
    const e = this.require(pid);
    if (e.state !== "zombie") throw new Error(`reap of live process ${pid}`);
    this.entries.delete(pid);
    return e;
  }

  snapshot(): ProcessInfo[] {
    return [...this.entries.values()].map((e) => ({ ...e }));
  }
}
