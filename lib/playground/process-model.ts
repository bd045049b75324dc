/**
 * Folds the kernel's event stream into the rows of the live process panel. The kernel
 * forgets a process once it is reaped; the panel keeps it as "exited" (with its exit
 * code) so the reader sees the whole run, and remembers who was orphaned.
 */
import type { KernelEvent } from "@/lib/kernel";

/** `stopped`: SIGSTOP/SIGTSTP until SIGCONT (ps state T). */
export type ProcessState = "running" | "sleeping" | "blocked" | "stopped" | "zombie" | "exited";

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

const INIT_PID = 1;

export class ProcessModel {
  private readonly rows = new Map<number, ProcessRow>();
  /** The pids this model shows: roots added by `adopt` and all their descendants. */
  private readonly mine = new Set<number>();
  private readonly originalParent = new Map<number, number>();
  private version = 0;

  private readonly roots = new Set<number>();

  /** Marks `pid` (a program this editor started) and its descendants as shown here. */
  adopt(pid: number): void {
    this.roots.add(pid);
    this.mine.add(pid);
    for (const [child, parent] of this.originalParent) if (this.mine.has(parent)) this.mine.add(child);
    this.version++;
  }

  /** The program (adopted root pid) that `pid` belongs to, following original parents. */
  rootOf(pid: number): number | null {
    let p: number | undefined = pid;
    for (let hops = 0; p !== undefined && hops < 10_000; hops++) {
      if (this.roots.has(p)) return p;
      p = this.originalParent.get(p);
    }
    return null;
  }

  nameOf(pid: number): string {
    return this.rows.get(pid)?.name ?? String(pid);
  }

  owns(pid: number): boolean {
    return this.mine.has(pid);
  }

  apply(e: KernelEvent): void {
    // Network events (net.*) carry no single pid: the panel shows processes only.
    if (!("pid" in e)) return;
    const row = this.rows.get(e.pid);
    switch (e.type) {
      case "spawn":
        this.originalParent.set(e.pid, e.ppid);
        if (this.mine.has(e.ppid)) this.mine.add(e.pid);
        this.rows.set(e.pid, { pid: e.pid, ppid: e.ppid, name: e.name, state: "running", daemon: e.daemon, orphan: false, exitCode: null });
        break;
      case "rename":
        if (row) row.name = e.name;
        break;
      case "state":
        if (!row) break;
        if (e.state === "zombie") row.state = "zombie";
        else if (e.state === "stopped") row.state = "stopped";
        else if (e.state === "blocked") row.state = row.blockedOn === "sleep" ? "sleeping" : "blocked";
        else {
          row.state = "running";
          row.blockedOn = undefined;
        }
        break;
      case "block":
        if (!row) break;
        row.blockedOn = e.on;
        // A stopped process stays T whatever its call does meanwhile (SIGCONT says what it is then).
        if (row.state !== "stopped") row.state = e.on === "sleep" ? "sleeping" : "blocked";
        break;
      case "unblock":
        if (!row || row.state === "zombie" || row.state === "exited") break;
        row.blockedOn = undefined;
        if (row.state !== "stopped") row.state = "running";
        break;
      case "exit":
        if (!row) break;
        row.exitCode = e.exitCode;
        row.blockedOn = undefined;
        row.state = "zombie";
        break;
      case "reparent":
        if (!row) break;
        row.ppid = e.to;
        if (e.to === INIT_PID) row.orphan = true;
        break;
      case "reap":
        if (!row) break;
        row.exitCode = e.exitCode;
        row.state = "exited";
        break;
      case "signal":
        break;
    }
    this.version++;
  }

  /** Rows of this editor's processes, in pid order. */
  snapshot(): ProcessRow[] {
    return [...this.rows.values()].filter((r) => this.mine.has(r.pid)).sort((a, b) => a.pid - b.pid).map((r) => ({ ...r }));
  }

  /** Changes whenever a row may have changed (cheap check before re-rendering). */
  get revision(): number {
    return this.version;
  }

  /** A new run: forget finished processes, keep the ones still alive. */
  clearFinished(): void {
    for (const [pid, r] of this.rows) {
      if (r.state === "exited") {
        this.rows.delete(pid);
        this.mine.delete(pid);
        this.roots.delete(pid);
      }
    }
    this.version++;
  }

  isAlive(pid: number): boolean {
    const r = this.rows.get(pid);
    return r !== undefined && r.state !== "zombie" && r.state !== "exited";
  }

  /** This editor's processes that have not exited: what Stop kills. */
  livePids(): number[] {
    return this.snapshot().filter((r) => r.state !== "zombie" && r.state !== "exited").map((r) => r.pid);
  }

  /** Short text for a state, including what a blocked process waits on. */
  static describe(row: ProcessRow): string {
    switch (row.state) {
      case "blocked":
        return row.blockedOn ? `blocked on ${row.blockedOn}` : "blocked";
      case "exited":
        return "exited";
      case "stopped":
        return "stopped (T)";
      default:
        return row.state;
    }
  }
}
