/**
 * The state of one live example (a runnable block or a playground) while it runs: the
 * programs it started, their terminals, and its rows of the process table. No UI: the
 * React component subscribes to `snapshot()` (useSyncExternalStore) and renders it.
 *
 * The machine is shared by every example of a page, so a session remembers the pids of
 * the programs it started (ProcessModel.adopt) and everything they spawn; output and
 * events of other examples' processes are ignored, and Stop kills only its own.
 */
import { CappedText } from "./capped-text";
import { LineDiscipline } from "./line-discipline";
import { OutputFormatter } from "./output-format";
import { ProcessModel } from "./process-model";
import type { KernelEvent } from "@/lib/kernel";
import { Signal, type MachinePort, type RunHandle, type SignalNumber, type TextChunk } from "@/lib/runtime/port";
import type { ProcessRow } from "./process-model";

/** What a session uses of the page's machine (the runtime's MachinePort). */
export type SessionMachine = Pick<MachinePort, "run" | "onOutput" | "onEvent" | "signal" | "writeStdin" | "closeStdin">;

/** Where a program's terminal output goes (components/terminal's TerminalSink). */
export interface OutputSink {
  write(text: string): void;
  /** Writes what is batched now (before echoing typed input). */
  flushNow(): void;
  clear(): void;
  onInput(listener: (data: string) => void): () => void;
  dispose(): void;
}

export type ProgramStatus = "idle" | "queued" | "starting" | "running" | "exited" | "stopped" | "failed";

export interface ProgramView<S extends OutputSink = OutputSink> {
  entry: string;
  status: ProgramStatus;
  pid: number | null;
  exitCode: number | null;
  sink: S;
  /** Plain stdout + stderr of the run (no echo, no notices), for the expected-output check. */
  output: string;
}

export interface SessionSnapshot<S extends OutputSink = OutputSink> {
  programs: readonly ProgramView<S>[];
  rows: readonly ProcessRow[];
  /** Something to stop: a program queued/starting/running or a process still alive. */
  busy: boolean;
  queued: boolean;
}

export interface SessionMessages {
  exited(code: number | null): string;
  stopped: string;
}

export interface SessionDeps<S extends OutputSink = OutputSink> {
  /** Resolves when the page's machine is booted (the run queue waits on this). */
  machine(): Promise<SessionMachine>;
  /** True when `machine()` would resolve at once (otherwise the run shows as queued). */
  machineReady(): boolean;
  createSink(): S;
  messages: SessionMessages;
  /** Coalesces panel updates (requestAnimationFrame in the browser). */
  schedule(cb: () => void): void;
}

interface Program<S extends OutputSink> {
  entry: string;
  sink: S;
  discipline: LineDiscipline;
  formatter: OutputFormatter;
  status: ProgramStatus;
  pid: number | null;
  handle: RunHandle | null;
  exitCode: number | null;
  output: CappedText;
  /** Bumped on every start/stop so late results of an older run are ignored. */
  generation: number;
  offInput: () => void;
}

/** Notices ("Program exited.") in grey; the terminal raises its contrast to AA. */
const DIM = "\x1b[90m";
const RESET = "\x1b[0m";
const PENDING_CAP = 5000;
const OUTPUT_CAP = 1_000_000;
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
    p.sink.clear();
    p.formatter.reset();
    p.discipline.reset();
    p.output.clear();
    p.exitCode = null;
    p.handle = null;
    p.pid = null;
    this.model.clearFinished();
    this.events = [];
    p.status = this.deps.machineReady() ? "starting" : "queued";
    this.publish();
    let m: SessionMachine;
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
    this.attach(m);
    p.status = "starting";
    this.publish();
    let handle: RunHandle;
    try {
      handle = m.run({ files, entry });
    } catch (err) {
      if (p.generation !== generation) return;
      p.sink.write(`\x1b[31m${err instanceof Error ? err.message : String(err)}${RESET}\n`);
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
    p.sink.write(`${DIM}${this.deps.messages.exited(code)}${RESET}\n`);
    this.publish();
  }

  /** Stop: cancels queued runs and kills every process this example started. */
  async stop(): Promise<void> {
    const active = [...this.programs.values()].filter((p) => p.status === "queued" || p.status === "starting" || p.status === "running");
    for (const p of active) {
      p.generation++;
      p.status = "stopped";
    }
    this.publish();
    await this.killWhile(() => this.model.livePids());
    for (const p of active) p.sink.write(`\r\n${DIM}${this.deps.messages.stopped}${RESET}\n`);
    this.publish();
  }

  /** Kills every live process of this example at once (unmount, leaving the page). */
  killAll(): void {
    for (const pid of this.model.livePids()) this.send(pid, Signal.SIGKILL);
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
      if (p.status === "queued" || p.status === "starting" || p.status === "running") p.status = "stopped";
    }
  }

  resume(): void {
    this.disposed = false;
  }

  private program(entry: string): Program<S> {
    let p = this.programs.get(entry);
    if (!p) {
      const sink = this.deps.createSink();
      const created: Program<S> = {
        entry,
        sink,
        discipline: new LineDiscipline(),
        formatter: new OutputFormatter(),
        status: "idle",
        pid: null,
        handle: null,
        exitCode: null,
        output: new CappedText(OUTPUT_CAP),
        generation: 0,
        offInput: () => {},
      };
      created.offInput = sink.onInput((data) => this.input(created, data));
      this.programs.set(entry, created);
      p = created;
    }
    return p;
  }

  /** Keys typed into a program's terminal, through the tty line discipline. */
  private input(p: Program<S>, data: string): void {
    p.sink.flushNow();
    for (const a of p.discipline.feed(data)) {
      switch (a.type) {
        case "echo":
          p.sink.write(a.text);
          p.sink.flushNow();
          break;
        case "line":
          if (p.status === "running" && p.handle) this.machineRef?.writeStdin(a.text);
          break;
        case "eof":
          if (p.status === "running" && p.handle) this.machineRef?.closeStdin();
          break;
        case "interrupt":
          // Ctrl-C: SIGINT to every process of the program (its foreground process group).
          for (const pid of this.livePidsOf(p)) this.send(pid, Signal.SIGINT);
          break;
      }
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
    p.sink.write(p.formatter.format(chunk, { prefix: this.prefix, nameOf: (pid) => this.model.nameOf(pid) }));
    p.output.append(chunk.text);
    return true;
  }

  private onEvent(e: KernelEvent): void {
    this.model.apply(e);
    if (this.events.length < EVENTS_CAP) this.events.push(e);
    if (this.rowsScheduled) return;
    this.rowsScheduled = true;
    this.deps.schedule(() => {
      this.rowsScheduled = false;
      this.publish();
    });
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
      for (const pid of live) this.send(pid, Signal.SIGKILL);
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
    const programs = [...this.programs.values()].map<ProgramView<S>>((p) => ({
      entry: p.entry,
      status: p.status,
      pid: p.pid,
      exitCode: p.exitCode,
      sink: p.sink,
      output: p.output.value,
    }));
    const rows = this.model.snapshot();
    const active = programs.some((p) => p.status === "queued" || p.status === "starting" || p.status === "running");
    this.snap = {
      programs,
      rows,
      busy: active || rows.some((r) => r.state !== "zombie" && r.state !== "exited"),
      queued: programs.some((p) => p.status === "queued"),
    };
    for (const l of this.listeners) l();
  }
}
