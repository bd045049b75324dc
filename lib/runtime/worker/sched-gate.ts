/**
 * The worker's side of controlled mode: every operation another process could observe
 * first parks here (`point`) until the kernel's controller grants this process its turn;
 * an operation that would wait parks again as blocked (`block`) instead of waiting in
 * the worker, so the controller alone decides who moves and when virtual time passes.
 *
 * One gate per worker (module state: one interpreter per worker). Off in normal runs:
 * every gated path tests `sched.on` once and takes its usual fast path.
 */
import type { SyscallChannel } from "./syscall-channel";

export interface Granted {
  /** The virtual clock (ms since the run started). */
  readonly clock: number;
  /** This process's index in the run (0 = main). */
  readonly proc: number;
  /** The blocked operation's deadline passed: it timed out. */
  readonly timedOut: boolean;
  /** Points this process may take next without asking (lib/kernel/sched/controller.ts, Grant.keep). */
  readonly keep?: number;
  /** …but not one that wakes a process waiting on one of these (Grant.keepUnless). */
  readonly keepUnless?: readonly string[];
  /** A signal's handler raised while the operation waited (`block`): the wait ends, Python raises it. */
  readonly interrupted?: boolean;
}

export interface GateState {
  readonly clock: number;
  readonly proc: number;
  readonly turn: number;
  readonly wakes: readonly string[];
  readonly hint: string;
}

export type WaitOn = "lock" | "queue" | "join" | "sleep" | "socket" | "pipe" | "event" | "barrier";

class SchedGate {
  on = false;
  clock = 0;
  proc = -1;
  /**
   * Counts this process's grants (0: none yet). Between two grants no other process of the
   * run moves (a child still booting to its first point touches no shared object), so what
   * this process learned from the kernel in one turn stays true until its next point.
   */
  turn = 0;
  /** Objects this process changed outside a granted operation (the Queue feeder): sent with the next point. */
  wakes: string[] = [];
  /**
   * Points the process may still take on its own (the last grant's `keep`): the policy would
   * give it each of them anyway, so it goes on at once and reports them, in order, before it
   * next reaches the kernel (`taken`). A point that would wait, and a spawn, end this: the
   * next point asks again (a new process runs to its first point before the next choice).
   * Other calls do not: what they change in the kernel, the controller sees in the same order
   * as when the process asks at every point, and no other process moves meanwhile.
   */
  private keep = 0;
  /** Grant.keepUnless: objects whose change would wake a process the policy prefers. */
  private keepUnless: readonly string[] | null = null;
  /** This process's last point (granted or taken on its own): the controller's next point of it settles that write. */
  private last: { readonly obj: unknown; readonly access: unknown } | null = null;
  private taken: Record<string, unknown>[] = [];
  private channel: SyscallChannel | null = null;
  /** Moves the Queue feeder's backlog into its rings (CPython's feeder thread runs while its process waits). */
  private pump: (() => void) | null = null;
  /** The innermost frame in the program's own files, "line\tfile" ("" when none): set by _spawnpoint.sched. */
  private where: (() => string) | null = null;
  /** Runs the handler of a signal waiting in the interrupt word, if any: true when it raised (Waits.takeInterrupt; set once per worker by boot.ts). */
  takeInterrupt: (() => boolean) | null = null;
  /** Blocks this worker for good (it is about to be ended). Relay mode sets one that needs no SharedArrayBuffer. */
  hang: () => void = () => {
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  };

  /** Turns the gate on for this process (its start args say it belongs to a controlled run). */
  start(channel: SyscallChannel, pump: () => void): void {
    this.channel = channel;
    this.pump = pump;
    this.on = true;
    this.keep = 0;
    this.keepUnless = null;
    this.last = null;
    this.taken = [];
    channel.beforeSend = (name) => this.report(name);
  }

  /**
   * Before any other call (`name`) reaches the kernel: the points taken on their own go first;
   * after a spawn, or a timer armed (a new contender for the policy: the clock), or at the end
   * (no name), the next point asks again.
   */
  private report(name?: string): void {
    if (name === undefined || name === "spawn" || name === "setitimer") this.keep = 0;
    const taken = this.taken;
    if (taken.length === 0) return;
    this.taken = [];
    this.channel?.post("sched_points", JSON.stringify({ points: taken }), null);
  }

  /** Off again (this worker now runs a process of a normal run). */
  stop(): void {
    // The points taken on their own reach the kernel before the process's exit does.
    if (this.on) this.report();
    this.on = false;
    if (this.channel) this.channel.beforeSend = null;
    this.keep = 0;
    this.keepUnless = null;
    this.last = null;
    this.taken = [];
    this.channel = null;
    this.pump = null;
    this.setWhere(null);
    this.wakes = [];
    this.hint = "";
    this.clock = 0;
    this.proc = -1;
    this.turn = 0;
  }

  /** What a process's run left in the gate (a checkpoint keeps it with its line finder, see ./checkpoint.ts). */
  saveState(): GateState {
    return { clock: this.clock, proc: this.proc, turn: this.turn, wakes: [...this.wakes], hint: this.hint };
  }

  /** Puts back what `saveState` returned (the gate is on: `start` ran for this process). */
  restoreState(s: GateState): void {
    this.clock = s.clock;
    this.proc = s.proc;
    this.turn = s.turn;
    this.wakes = [...s.wakes];
    this.hint = s.hint;
  }

  /** `fn` is a PyProxy Python made for this (create_proxy): the gate owns it and destroys the one it replaces, but a kept one. */
  setWhere(fn: (() => string) | null): void {
    const old = this.where as { destroy?: () => void } | null;
    if (old && old !== fn && old !== this.keptWhere) old.destroy?.();
    this.where = fn;
  }

  /**
   * The current line finder belongs to a checkpoint from now on (./checkpoint.ts): its proxy
   * points into the memory the checkpoint keeps, so it is never destroyed here, and the
   * process that goes on from the checkpoint gets it back (`resumeWhere`).
   */
  keepWhere(): (() => string) | null {
    this.keptWhere = this.where;
    return this.where;
  }

  resumeWhere(fn: (() => string) | null): void {
    this.keptWhere = fn;
    this.where = fn;
  }

  private keptWhere: (() => string) | null = null;

  get hasWhere(): boolean {
    return this.where !== null;
  }

  /**
   * Where the next point without a Python frame of its own happened (`sched_hint`): output
   * and file gates run inside I/O calls, where Python has released the GIL and cannot be asked.
   */
  hint = "";

  /** Parks until granted; `op` on `obj` then runs in this process's turn. `frames` false: no Python call (the GIL is not held). */
  point(op: string, obj: string, access: "read" | "write", frames = true): Granted {
    return this.call({ op, obj, access }, frames);
  }

  /**
   * The granted operation cannot go on: parks blocked on `obj` until another process changes
   * it, virtual `deadline` passes, or a signal with a handler arrives (the kernel wakes it as
   * Linux interrupts a wait). Then the handler runs here: if it raised, the wait ends with
   * `interrupted`; else the caller checks its condition and waits again, with its deadline
   * unchanged (PEP 475).
   */
  block(op: string, obj: string, on: WaitOn, label: string, deadline: number | null): Granted {
    const g = this.call({ op, obj, access: "write", block: { deadline, on, label } });
    if (this.takeInterrupt?.()) return { ...g, interrupted: true };
    return g;
  }

  private call(args: Record<string, unknown>, frames = true): Granted {
    const channel = this.channel;
    if (!channel) throw new Error("controlled mode is not started in this worker");
    this.pump?.();
    const here = frames ? (this.where?.() ?? "") : this.hint;
    this.hint = "";
    if (here) {
      const tab = here.indexOf("\t");
      args.where = { line: Number(here.slice(0, tab)), file: here.slice(tab + 1) };
    }
    if (this.wakes.length > 0) {
      args.wakes = this.wakes;
      this.wakes = [];
    }
    const last = this.last;
    this.last = { obj: args.obj, access: args.access };
    if (this.keep > 0 && args.block === undefined && !this.wakesPreferred(last, args.wakes)) {
      // The policy gives this process the turn anyway: go on now, report it later.
      this.keep--;
      this.taken.push(args);
      this.turn++;
      return { clock: this.clock, proc: this.proc, timedOut: false };
    }
    if (this.taken.length > 0) {
      args.before = this.taken;
      this.taken = [];
    }
    // Waiting for a turn is not idleness: a collection here would cost every schedule CPU on a
    // loaded machine (turns come slower), for memory the run gives back at its end anyway.
    if (channel.call("sched_point", JSON.stringify(args), null, false) !== 1) {
      // The run is over (stopped, deadlocked, out of steps): this process is about to be
      // ended and must not take another step meanwhile.
      this.hang();
    }
    const g = JSON.parse(channel.replyJson) as Granted;
    this.turn++;
    this.clock = g.clock;
    this.proc = g.proc;
    this.keep = g.keep ?? 0;
    this.keepUnless = g.keepUnless ?? null;
    return g;
  }

  /** This point would wake a process waiting on one of keepUnless: its last write, or what it names in `wakes`, is one. */
  private wakesPreferred(last: { readonly obj: unknown; readonly access: unknown } | null, wakes: unknown): boolean {
    const unless = this.keepUnless;
    if (unless === null) return false;
    if (last !== null && last.access === "write" && unless.includes(last.obj as string)) return true;
    return Array.isArray(wakes) && wakes.some((w) => unless.includes(w as string));
  }
}

export const sched = new SchedGate();
