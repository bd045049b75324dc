/**
 * The state of one live example (a runnable block or a playground) while it runs: the
 * programs it started, their terminals, and its rows of the process table. No UI: the
 * React component subscribes to `snapshot()` (useSyncExternalStore) and renders it.
 *
 * The machine is shared by every example of a page, so a session remembers the pids of
 * the programs it started (ProcessModel.adopt) and everything they spawn; output and
 * events of other examples' processes are ignored, and Stop kills only its own.
 * A little over the usual size on purpose: runs, terminals and panel rows change together on
 * every output chunk and kernel event, and one snapshot publishes them at once.
 */
import type { DeadlockReport, KernelEvent } from "@/lib/kernel";
import { Signal, type MachinePort, type RunHandle, type SignalNumber, type TextChunk } from "@/lib/runtime/port";
import { ProcessModel, type ProcessRow } from "./process-model";
import { Program, TERMINAL_SCROLLBACK, type OutputSink, type ProgramView, type TtyRequest } from "./program";

export type { OutputSink, ProgramStatus, ProgramView } from "./program";

/** What a session uses of the page's machine (the runtime's MachinePort). */
export type SessionMachine = Pick<MachinePort, "run" | "onOutput" | "onEvent" | "signal" | "writeStdin" | "closeStdin">;

export interface SessionSnapshot<S extends OutputSink = OutputSink> {
  programs: readonly ProgramView<S>[];
  rows: readonly ProcessRow[];
  /** Something to stop: a program queued/starting/running or a process still alive. */
  busy: boolean;
  queued: boolean;
  /** The kernel's diagnosis of this example's hanging program, until the next Run (lines: headline first). */
  deadlock?: readonly string[] | null;
}

export interface SessionMessages {
  exited(code: number | null): string;
  stopped: string;
  /** After the end notice, when the output took more lines than the terminal keeps: how many scrolled out. */
  scrolledOut(lines: number, kept: number): string;
  /** A deadlock report as lines in the page's language (lib/kernel's formatDeadlock). */
  deadlock?(report: DeadlockReport): string[];
}

export interface SessionDeps<S extends OutputSink = OutputSink> {
  /** Resolves when the page's machine is booted (the run queue waits on this). */
  machine(): Promise<SessionMachine>;
  /** The machine once it is booted; null while `machine()` would wait (the run shows as queued). */
  readyMachine(): SessionMachine | null;
  createSink(): S;
  messages: SessionMessages;
  /** Coalesces panel updates (requestAnimationFrame in the browser). */
  schedule(cb: () => void): void;
}

const PENDING_CAP = 5000;
const EVENTS_CAP = 50_000;

export class ExampleSession<S extends OutputSink = OutputSink> {
  private readonly programs = new Map<string, Program<S>>();
  private readonly model = new ProcessModel();
  private pending: TextChunk[] = [];
  /** Every kernel event since this example's last Run, for "Replay this run". */
  private events: KernelEvent[] = [];
  private machineRef: SessionMachine | null = null;
  private detach: (() => void) | null = null;
  private readonly listeners = new Set<() => void>();
  private snap: SessionSnapshot<S> = { programs: [], rows: [], busy: false, queued: false };
  private rowsScheduled = false;
  private deadlock: string[] | null = null;
  private disposed = false;
  /** Prefix each output line with `[pid name]`. */
  prefix = false;

  constructor(private readonly deps: SessionDeps<S>) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): SessionSnapshot<S> => this.snap;

  /** Runs `entry` (restarting it if it runs already). Queues until the machine is ready. */
  async run(entry: string, files: Record<string, string>): Promise<void> {
    const p = this.program(entry);
    const generation = ++p.generation;
    if (p.pid !== null) await this.killWhile(() => this.livePidsOf(p));
    if (p.generation !== generation) return;
    p.clear();
    this.model.clearFinished();
    this.events = [];
    this.deadlock = null;
    // A booted machine gets the program at once, in the click's own task: the page re-renders
    // for the new run while the worker starts, not before (WebKit: click → start 30 → 4 ms).
    let m = this.deps.readyMachine();
    if (!m) {
      p.status = "queued";
      this.publish();
      try {
        m = await this.deps.machine();
      } catch {
        if (p.generation === generation) {
          p.status = "failed";
          this.publish();
        }
        return;
      }
      if (p.generation !== generation || this.disposed) return;
    }
    this.attach(m);
    p.status = "starting";
    let handle: RunHandle;
    try {
      handle = m.run({ files, entry });
    } catch (err) {
      if (p.generation !== generation) return;
      p.error(err instanceof Error ? err.message : String(err));
      p.status = "failed";
      this.publish();
      return;
    }
    if (p.generation !== generation || this.disposed) {
      this.send(handle.pid, Signal.SIGKILL);
      return;
    }
    p.handle = handle;
    p.pid = handle.pid;
    p.status = "running";
    this.model.adopt(handle.pid);
    const waiting = this.pending;
    this.pending = [];
    for (const c of waiting) if (!this.deliver(c)) this.pending.push(c);
    this.publish();
    const code = await handle.exit;
    if (p.generation !== generation || this.disposed) return;
    p.exitCode = code;
    p.status = "exited";
    p.notice(this.deps.messages.exited(code));
    this.noteScrolledOut(p);
    this.publish();
  }

  /** Stop: cancels queued runs and kills every process this example started. */
  async stop(): Promise<void> {
    const active = [...this.programs.values()].filter((p) => p.active);
    for (const p of active) {
      p.generation++;
      p.status = "stopped";
    }
    this.publish();
    await this.killWhile(() => this.model.livePids());
    for (const p of active) {
      p.notice(this.deps.messages.stopped);
      this.noteScrolledOut(p);
    }
    this.publish();
  }

  /** Says so when the terminal no longer holds the program's first lines (no silent loss). */
  private noteScrolledOut(p: Program<S>): void {
    if (p.linesShown > TERMINAL_SCROLLBACK) p.notice(this.deps.messages.scrolledOut(p.linesShown, TERMINAL_SCROLLBACK));
  }

  /** Kills every live process of this example at once (unmount, leaving the page). */
  killAll(): void {
    for (const pid of this.model.livePids().sort((a, b) => b - a)) this.send(pid, Signal.SIGKILL);
  }

  /** This example's processes' events since its last Run (other examples' filtered out). */
  replayEvents(): KernelEvent[] {
    return this.events.filter((e) => ("pid" in e ? this.model.owns(e.pid) : "pids" in e && e.pids.some((pid) => this.model.owns(pid))));
  }

  /** Starts following the machine's events (before a shell starts programs on it). */
  watch(m: SessionMachine): void {
    if (!this.disposed) this.attach(m);
  }

  /**
   * Shows a program started elsewhere on the machine (e.g. from the Shell tab) in this
   * example's process panel. Its output stays with whoever started it.
   */
  adoptExternal(m: SessionMachine, pid: number): void {
    if (this.disposed) return;
    this.attach(m);
    this.model.adopt(pid);
    this.publish();
  }

  setPrefix(on: boolean): void {
    this.prefix = on;
  }

  /**
   * Unmount: kills every process this example started and stops listening to the
   * machine. `resume()` undoes it (React may mount the same component again).
   */
  dispose(): void {
    this.disposed = true;
    this.killAll();
    this.detach?.();
    this.detach = null;
    this.machineRef = null;
    for (const p of this.programs.values()) {
      p.generation++;
      if (p.active) p.status = "stopped";
    }
  }

  resume(): void {
    this.disposed = false;
  }

  private program(entry: string): Program<S> {
    let p = this.programs.get(entry);
    if (!p) {
      const created: Program<S> = new Program(entry, this.deps.createSink(), (request) => this.tty(created, request));
      this.programs.set(entry, created);
      p = created;
    }
    return p;
  }

  /** What keys typed into a program's terminal ask for. */
  private tty(p: Program<S>, request: TtyRequest): void {
    switch (request.type) {
      // The program's own stdin: other examples of the page run on the same machine.
      case "line":
        if (p.pid !== null) this.machineRef?.writeStdin(request.text + "\n", p.pid);
        break;
      case "eof":
        if (p.pid !== null) this.machineRef?.closeStdin(p.pid);
        break;
      case "interrupt":
        // Ctrl-C: SIGINT to every process of the program (its foreground process group).
        for (const pid of this.livePidsOf(p)) this.send(pid, Signal.SIGINT);
        break;
    }
  }

  private attach(m: SessionMachine): void {
    if (this.machineRef === m) return;
    this.detach?.();
    this.machineRef = m;
    const offOut = m.onOutput((c) => this.onOutput(c));
    const offEv = m.onEvent((e) => this.onEvent(e));
    this.detach = () => {
      offOut();
      offEv();
    };
  }

  private onOutput(chunk: TextChunk): void {
    if (this.deliver(chunk)) return;
    // Output of a program whose pid `run` has not returned yet (or of another example).
    this.pending.push(chunk);
    if (this.pending.length > PENDING_CAP) this.pending.splice(0, this.pending.length - PENDING_CAP);
  }

  private deliver(chunk: TextChunk): boolean {
    const root = this.model.rootOf(chunk.pid);
    if (root === null) return false;
    const p = [...this.programs.values()].find((x) => x.pid === root);
    // Adopted from the shell: its terminal shows the output, not ours.
    if (!p) return true;
    p.show(chunk, { prefix: this.prefix, nameOf: (pid) => this.model.nameOf(pid) });
    return true;
  }

  private onEvent(e: KernelEvent): void {
    if (e.type === "deadlock") this.onDeadlock(e.pid, e.report);
    this.model.apply(e);
    if (this.events.length < EVENTS_CAP) this.events.push(e);
    if (this.rowsScheduled) return;
    this.rowsScheduled = true;
    this.deps.schedule(() => {
      this.rowsScheduled = false;
      this.publish();
    });
  }

  /** The program keeps hanging (as in CPython); its terminal and the panel say who waits for whom. */
  private onDeadlock(root: number, report: DeadlockReport): void {
    const p = [...this.programs.values()].find((x) => x.pid === root);
    const format = this.deps.messages.deadlock;
    if (!p || !format) return;
    const lines = format(report);
    this.deadlock = lines;
    p.error(`\r\n${lines.map((l, i) => (i === 0 ? l : `  ${l}`)).join("\r\n")}`);
  }

  private livePidsOf(p: Program<S>): number[] {
    return this.model.livePids().filter((pid) => p.pid !== null && this.model.rootOf(pid) === p.pid);
  }

  private async killWhile(pids: () => number[]): Promise<void> {
    if (!this.machineRef) return;
    // A process may start a child between the snapshot and the kill: repeat a few times.
    for (let round = 0; round < 20; round++) {
      const live = pids();
      if (live.length === 0) return;
      // Children first (a child's pid is above its parent's): a parent killed first would leave them orphans of init, as the panel shows.
      for (const pid of [...live].sort((a, b) => b - a)) this.send(pid, Signal.SIGKILL);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** kill(2) that tolerates a process already gone (ESRCH) between our snapshot and the call. */
  private send(pid: number, sig: SignalNumber): void {
    try {
      this.machineRef?.signal(pid, sig);
    } catch {
      // Already reaped: nothing to signal.
    }
  }

  private publish(): void {
    if (this.disposed) return;
    const programs = [...this.programs.values()].map((p) => p.view());
    const rows = this.model.snapshot();
    const active = [...this.programs.values()].some((p) => p.active);
    this.snap = {
      programs,
      rows,
      busy: active || rows.some((r) => r.state !== "zombie" && r.state !== "exited"),
      queued: programs.some((p) => p.status === "queued"),
      deadlock: this.deadlock,
    };
    for (const l of this.listeners) l();
  }
}
