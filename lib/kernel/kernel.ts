/**
 * The kernel: owns the process table, the event stream, the shared heap, the handle table,
 * the file system and the syscall registry, and parks blocked calls. Subsystems
 * (processes, queues, pipes, fs, terminal, net) register their syscalls on it.
 * It never touches a worker: everything host-specific goes through `KernelHost`.
 * Longer than most files: parking, waking and cancelling a blocked call, and a process's
 * exit, read and write the same tables, so they stay in this one class; each subsystem's
 * syscalls live in a file of their own.
 */
import { DeadlockDetector } from "./deadlock";
import { Errno, KernelError } from "./errors";
import { Emitter, type BlockOn, type KernelEvent, type KernelEventInput, type UnblockReason } from "./events";
import { HandleTable } from "./handles";
import { INIT_PID, ProcessTable, type ProcessInfo } from "./process-table";
import { SharedHeap } from "./shared-heap";
import { SignalDelivery, type TimerClock } from "./signal-delivery";
import { Signal, isSignal, type SignalNumber } from "./signals";
import {
  SyscallRegistry,
  isBlock,
  isDeferred,
  type BlockSpec,
  type JsonObject,
  type SyscallReply,
  type SyscallResult,
} from "./syscalls";
import { queueIn, WaitQueue, type Waiter } from "./wait-queue";

/** Opaque start data for a process; the runtime defines what is inside. */
export interface ProcessStart {
  readonly args: JsonObject;
  readonly bytes: Uint8Array | null;
}

/** What the kernel needs from its host (worker pool, clock, timers). */
export interface KernelHost {
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
  /** Boot a worker for `pid` and start it. */
  startProcess(pid: number, start: ProcessStart): void;
  /** End `pid`'s worker at once (no Python code runs any more). */
  endProcess(pid: number): void;
  /** Answer `pid`'s pending syscall. */
  reply(pid: number, reply: SyscallReply): void;
  /**
   * Writes signal `sig` into `pid`'s interrupt word, for code that is running (or waiting
   * inside the worker); false while an earlier one still waits there (the kernel retries).
   */
  interrupt(pid: number, sig: number): boolean;
  /** Takes back the signal `interrupt` wrote that the process has not taken yet (0: none). */
  takeInterrupt(pid: number): number;
}

export interface KernelOptions {
  /** Process cap (init excluded). Default 32. */
  readonly maxProcesses?: number;
  /** Shared heap size in bytes. Default 4 MiB. */
  readonly heapBytes?: number;
  /** False: the heap is a plain ArrayBuffer that only the host touches (relay mode, lib/runtime/README.md). Default true. */
  readonly sharedHeap?: boolean;
  /** Bytes of files one program may keep in the shared fs (ENOSPC past it). Default 256 MiB. */
  readonly fsProgramBytes?: number;
  /** Size of one file (EFBIG past it). Default 128 MiB. */
  readonly fsFileBytes?: number;
  /** Bytes of Queue items one program may park in the kernel unread (ENOMEM past it). Default 256 MiB. */
  readonly blobProgramBytes?: number;
  /** A process's wasm memory: growth past it fails (MemoryError). Default 512 MiB. */
  readonly memoryBytes?: number;
}

interface Pending {
  readonly pid: number;
  readonly spec: BlockSpec;
  readonly waiter: Waiter;
  cancelTimer: (() => void) | null;
}

/**
 * The calls after which a call parked in the kernel may go on: data or an end of file for a
 * kernel pipe or socket, room in a kernel queue, a peer's connect or accept. A controlled
 * process's call that would wait parks at its scheduler instead (see `park`), to be woken
 * when another process did one of these.
 */
const KERNEL_WRITES: ReadonlySet<string> = new Set([
  "pipe_send", "handle_close", "queue_put", "queue_get", "queue_task_done", "blob_put", "blob_take",
  "sock_close", "sock_send", "sock_sendall", "sock_recv", "sock_connect", "sock_accept", "sock_shutdown", "sock_listen", "sock_kick",
]);

export class Kernel {
  readonly table: ProcessTable;
  readonly events = new Emitter<KernelEvent>();
  readonly syscalls = new SyscallRegistry();
  readonly handles = new HandleTable();
  readonly heap: SharedHeap;
  private readonly pending = new Map<number, Pending>();
  /** Per-pid wait queue woken when that process ends (waitpid / join). */
  private readonly exitQueues = new Map<number, WaitQueue>();
  /** Per-pid wait queue woken when that process starts running (`waitstarted`: a Pool whose workers are all up). */
  private readonly startQueues = new Map<number, WaitQueue>();
  private readonly exitHooks: ((pid: number) => void)[] = [];
  private readonly programExitHooks: ((program: number) => void)[] = [];
  /**
   * The program each process belongs to: the pid of its main process (a child of init,
   * started by `machine.run`), inherited by every descendant and kept after re-parenting.
   */
  private readonly programs = new Map<number, number>();
  /** Live (not yet exited) processes of each program, and what to free when none is left. */
  private readonly programLive = new Map<number, number>();
  private readonly programFrees = new Map<number, (() => void)[]>();
  /** Replies that completed while their process was stopped: given when it continues. */
  private readonly heldReplies = new Map<number, SyscallReply>();
  /** What each process was doing when it stopped (state T hides it until SIGCONT). */
  private readonly stoppedFrom = new Map<number, "starting" | "running" | "blocked">();
  readonly signals: SignalDelivery;
  /**
   * Whether `pid` belongs to a controlled program (lib/kernel/sched sets it): such a process
   * never waits in the kernel, where only the scheduler may decide when it moves again.
   */
  controlled: ((pid: number) => boolean) | null = null;
  /** `pid` did a call in KERNEL_WRITES (lib/kernel/sched: if it is controlled, a process waiting in the kernel may go on now). */
  onKernelWrite: ((pid: number) => void) | null = null;
  /**
   * `pid`'s exit released what other processes may wait for at their scheduler (its file
   * locks, `flock:<path>`): lib/kernel/sched wakes those of a controlled program.
   */
  onRelease: ((pid: number, objects: readonly string[]) => void) | null = null;
  /** The clock `pid`'s itimer runs on, if not real time (lib/kernel/sched: a controlled program's virtual clock). */
  itimerClock: ((pid: number) => TimerClock | null) | null = null;
  /** A signal was written into `pid`'s interrupt word (lib/kernel/sched wakes a controlled process waiting at its scheduler). */
  onInterrupt: ((pid: number) => void) | null = null;
  /** Always on: watches the events below and reports programs that can never move again. */
  readonly deadlocks: DeadlockDetector;

  constructor(
    readonly host: KernelHost,
    options: KernelOptions = {},
  ) {
    this.table = new ProcessTable(host.now(), { maxProcesses: options.maxProcesses });
    this.heap = new SharedHeap(options.heapBytes, options.sharedHeap ?? true);
    this.signals = new SignalDelivery({
      table: this.table,
      now: () => host.now(),
      setTimer: (ms, fn) => host.setTimer(ms, fn),
      emit: (ev) => this.emit(ev),
      exit: (pid, code) => this.exit(pid, code),
      interruptCall: (pid, sig) => {
        const p = this.pending.get(pid);
        if (!p) return false;
        this.unpark(p, "interrupted", { ok: false, error: KernelError.interrupted(sig).toData() });
        return true;
      },
      interrupt: (pid, sig) => {
        if (!host.interrupt(pid, sig)) return false;
        // A controlled process waits at its scheduler, not in the worker: it must be woken there.
        this.onInterrupt?.(pid);
        return true;
      },
      takeInterrupt: (pid) => host.takeInterrupt(pid),
      setStopped: (pid, stopped) => this.setStopped(pid, stopped),
      itimerClock: (pid) => this.itimerClock?.(pid) ?? null,
    });
    this.deadlocks = new DeadlockDetector({
      table: this.table,
      heap: this.heap,
      setTimer: (ms, fn) => host.setTimer(ms, fn),
      emit: (ev) => this.emit(ev),
      timerArmed: (pid) => this.signals.getItimer(pid)[0] > 0,
    });
  }

  emit(ev: KernelEventInput): void {
    const stamped = { ...ev, t: this.host.now() } as KernelEvent;
    this.deadlocks.observe(stamped);
    this.events.emit(stamped);
  }

  snapshot(): ProcessInfo[] {
    return this.table.snapshot();
  }

  /** Called with the pid of every process that ends, after its handles are released. */
  onProcessExit(hook: (pid: number) => void): void {
    this.exitHooks.push(hook);
  }

  exitQueue(pid: number): WaitQueue {
    return queueIn(this.exitQueues, pid);
  }

  startQueue(pid: number): WaitQueue {
    return queueIn(this.startQueues, pid);
  }

  /** Creates a process and asks the host to start it. Throws EAGAIN at the cap. */
  spawn(ppid: number, name: string, daemon: boolean, start: ProcessStart, inherit: readonly number[] = []): number {
    const entry = this.table.create(ppid, name, daemon, this.host.now());
    const program = ppid === INIT_PID ? entry.pid : (this.programs.get(ppid) ?? entry.pid);
    this.programs.set(entry.pid, program);
    this.programLive.set(program, (this.programLive.get(program) ?? 0) + 1);
    this.signals.attach(entry.pid, ppid);
    for (const h of inherit) this.handles.attach(h, entry.pid);
    this.emit({ type: "spawn", pid: entry.pid, ppid, name, daemon });
    this.host.startProcess(entry.pid, start);
    return entry.pid;
  }

  /** The program `pid` belongs to (the pid of its main process); init is its own. */
  programOf(pid: number): number {
    return this.programs.get(pid) ?? pid;
  }

  /**
   * A process may signal only its own program's processes, as Linux refuses another user's
   * with EPERM; init (the machine, the shell, Ctrl-C) may signal any.
   */
  mayAffect(from: number, pid: number): boolean {
    return from === INIT_PID || this.programOf(from) === this.programOf(pid);
  }

  /**
   * Registers `free` to run when the last process of `pid`'s program exits: rings,
   * semaphores, blobs and shared blocks belong to the program, so a machine that runs many
   * programs does not fill its heap. Init's resources live as long as the machine.
   */
  ownedBy(pid: number, free: () => void): void {
    const program = this.programOf(pid);
    if (program === INIT_PID) return;
    const list = this.programFrees.get(program) ?? [];
    list.push(free);
    this.programFrees.set(program, list);
  }

  private programExited(pid: number): void {
    const program = this.programOf(pid);
    const left = (this.programLive.get(program) ?? 1) - 1;
    if (left > 0) {
      this.programLive.set(program, left);
      return;
    }
    this.programLive.delete(program);
    const frees = this.programFrees.get(program) ?? [];
    this.programFrees.delete(program);
    for (const free of frees) free();
    for (const hook of this.programExitHooks) hook(program);
  }

  /** Whether `program` (its main process's pid) still has a live process. */
  programAlive(program: number): boolean {
    return this.programLive.has(program);
  }

  /** How many processes of `pid`'s program are alive (spawned and not yet exited). */
  programSize(pid: number): number {
    return this.programLive.get(this.programOf(pid)) ?? 0;
  }

  /** Called with a program's pid when its last process has exited. */
  onProgramExit(hook: (program: number) => void): void {
    this.programExitHooks.push(hook);
  }

  /** The worker finished booting and runs Python code. */
  markRunning(pid: number): void {
    const e = this.table.get(pid);
    if (this.stoppedFrom.get(pid) === "starting") this.stoppedFrom.set(pid, "running");
    if (!e || e.state !== "starting") return;
    e.state = "running";
    this.emit({ type: "state", pid, state: "running" });
    this.startQueues.get(pid)?.wakeAll();
    this.startQueues.delete(pid);
  }

  rename(pid: number, name: string): void {
    const e = this.table.get(pid);
    if (!e || e.name === name) return;
    e.name = name;
    this.emit({ type: "rename", pid, name });
  }

  /** Runs one syscall for `pid`. With `wantReply` false (fire-and-forget calls) results and errors are dropped. */
  syscall(pid: number, name: string, args: JsonObject, bytes: Uint8Array | null, wantReply: boolean): void {
    if (!this.table.isAlive(pid)) return;
    const reply = (r: SyscallReply): void => {
      if (wantReply) this.replyTo(pid, r);
    };
    try {
      // What the call allocates in the shared heap belongs to the caller's program (rights.ts in the worker).
      this.heap.owner = this.programOf(pid);
      let outcome;
      try {
        outcome = this.syscalls.get(name)({ pid, args, bytes });
      } finally {
        this.heap.owner = 0;
      }
      if (isDeferred(outcome)) {
        if (!wantReply) throw new Error(`fire-and-forget syscall ${name} cannot be answered later`);
        return;
      }
      if (!isBlock(outcome)) {
        if (KERNEL_WRITES.has(name)) this.onKernelWrite?.(pid);
        reply(ok(outcome));
        return;
      }
      if (!wantReply) throw new Error(`fire-and-forget syscall ${name} tried to block`);
      // A signal flagged while the call was on its way must not be lost in a long wait.
      const sig = this.host.takeInterrupt(pid);
      if (sig !== 0) {
        reply({ ok: false, error: KernelError.interrupted(sig).toData() });
        return;
      }
      this.park(pid, outcome.block);
    } catch (e) {
      if (e instanceof KernelError) reply({ ok: false, error: e.toData() });
      else reply({ ok: false, error: new KernelError("OSError", Errno.EIO, `kernel error in ${name}: ${String(e)}`).toData() });
    }
  }

  private park(pid: number, spec: BlockSpec): void {
    if (spec.timeoutMs === 0) {
      this.answerTimeout(pid, spec);
      return;
    }
    if (this.controlled?.(pid)) {
      const error = { pyType: "OSError", errno: Errno.EAGAIN, message: "would block", wouldBlock: { on: spec.on, object: spec.object } } as const;
      this.replyTo(pid, { ok: false, error });
      return;
    }
    const pending: Pending = {
      pid,
      spec,
      cancelTimer: null,
      waiter: {
        pid,
        on: spec.on,
        retry: () => {
          let result: SyscallResult | undefined;
          try {
            result = spec.check();
          } catch (e) {
            if (!(e instanceof KernelError)) throw e;
            this.unpark(pending, "ready", { ok: false, error: e.toData() });
            return true;
          }
          if (result === undefined) return false;
          this.unpark(pending, "ready", ok(result));
          return true;
        },
      },
    };
    this.pending.set(pid, pending);
    for (const q of spec.queues) q.add(pending.waiter);
    if (spec.timeoutMs !== null) {
      pending.cancelTimer = this.host.setTimer(spec.timeoutMs, () => {
        if (this.pending.get(pid) !== pending) return;
        const r = spec.onTimeout();
        this.unpark(pending, "timeout", r instanceof KernelError ? { ok: false, error: r.toData() } : ok(r));
      });
    }
    this.setBlocked(pid, spec.on, spec.object, spec.timeoutMs);
  }

  /** Answers a call its handler deferred (DEFERRED): controlled mode grants a turn this way. */
  answer(pid: number, result: SyscallResult): void {
    this.replyTo(pid, ok(result));
  }

  private answerTimeout(pid: number, spec: BlockSpec): void {
    const r = spec.onTimeout();
    this.replyTo(pid, r instanceof KernelError ? { ok: false, error: r.toData() } : ok(r));
  }

  /** Answers `pid`'s call, or holds the answer while the process is stopped (it must not run). */
  private replyTo(pid: number, reply: SyscallReply): void {
    if (!this.table.isAlive(pid)) return;
    if (this.signals.isStopped(pid)) this.heldReplies.set(pid, reply);
    else this.host.reply(pid, reply);
  }

  /** SIGSTOP/SIGTSTP (state T) and SIGCONT, from lib/kernel/signal-delivery.ts. */
  private setStopped(pid: number, stopped: boolean): void {
    const e = this.table.get(pid);
    if (!e || e.state === "zombie") return;
    if (stopped) {
      if (e.state === "stopped") return;
      this.stoppedFrom.set(pid, e.state);
      e.state = "stopped";
    } else {
      const back = this.stoppedFrom.get(pid);
      this.stoppedFrom.delete(pid);
      if (back === undefined || e.state !== "stopped") return;
      e.state = back;
      const held = this.heldReplies.get(pid);
      this.heldReplies.delete(pid);
      if (held) this.host.reply(pid, held);
    }
    this.emit({ type: "state", pid, state: e.state });
  }

  /** Removes a parked call; replies with `reply` unless null (the process is gone). */
  private unpark(p: Pending, reason: UnblockReason, reply: SyscallReply | null): void {
    if (this.pending.get(p.pid) !== p) return;
    this.pending.delete(p.pid);
    p.cancelTimer?.();
    for (const q of p.spec.queues) q.remove(p.waiter);
    this.setUnblocked(p.pid, p.spec.on, reason);
    if (reply) this.replyTo(p.pid, reply);
  }

  /** Records a block that happens inside a worker (sleep, lock wait) or in the kernel. */
  setBlocked(pid: number, on: BlockOn, object: string, timeoutMs: number | null): void {
    const e = this.table.get(pid);
    if (!e || e.state === "zombie") return;
    this.emit({ type: "block", pid, on, object, timeoutMs });
    if (e.state === "stopped") this.stoppedFrom.set(pid, "blocked");
    else if (e.state !== "blocked") {
      e.state = "blocked";
      this.emit({ type: "state", pid, state: "blocked" });
    }
  }

  setUnblocked(pid: number, on: BlockOn, reason: UnblockReason): void {
    const e = this.table.get(pid);
    if (!e || e.state === "zombie") return;
    this.emit({ type: "unblock", pid, on, reason });
    if (e.state === "stopped") this.stoppedFrom.set(pid, "running");
    else if (e.state === "blocked") {
      e.state = "running";
      this.emit({ type: "state", pid, state: "running" });
    }
  }

  /** kill(2): what the signal does is decided by the process's dispositions (lib/kernel/signal-delivery.ts). */
  signal(pid: number, sig: SignalNumber, from: number): void {
    if (!isSignal(sig)) throw KernelError.os("EINVAL");
    if (pid === INIT_PID) throw KernelError.os("EPERM");
    if (!this.table.get(pid)) throw KernelError.os("ESRCH");
    if (!this.mayAffect(from, pid)) throw KernelError.os("EPERM");
    this.signals.send(pid, sig, from);
  }

  /**
   * A process ended (returned, sys.exit, uncaught exception, or a fatal signal): it becomes
   * a zombie, its worker is freed, its children go to init, joiners wake, and init reaps
   * what is now its own.
   */
  exit(pid: number, exitCode: number): void {
    const e = this.table.get(pid);
    if (!e || e.state === "zombie" || pid === INIT_PID) return;
    const p = this.pending.get(pid);
    if (p) this.unpark(p, "killed", null);
    this.host.endProcess(pid);
    this.signals.detach(pid);
    this.heldReplies.delete(pid);
    this.stoppedFrom.delete(pid);
    const orphans = this.table.markExited(pid, exitCode, this.host.now());
    this.emit({ type: "exit", pid, exitCode });
    this.emit({ type: "state", pid, state: "zombie" });
    for (const o of orphans) this.emit({ type: "reparent", pid: o.pid, from: pid, to: INIT_PID });
    this.handles.releaseAll(pid);
    for (const hook of this.exitHooks) hook(pid);
    this.programExited(pid);
    this.exitQueues.get(pid)?.wakeAll();
    this.startQueues.get(pid)?.wakeAll();
    this.startQueues.delete(pid);
    this.signals.notifyParent(pid, e.ppid);
    // A waiter woken above may have reaped it already (a wait for any child, from init too).
    if (e.ppid === INIT_PID && this.table.get(pid)) this.reap(pid, INIT_PID);
    for (const o of orphans) if (o.state === "zombie" && this.table.get(o.pid)) this.reap(o.pid, INIT_PID);
  }

  /** waitpid() on a zombie: removes it and returns its exit code. */
  reap(pid: number, by: number): number {
    const e = this.table.reap(pid);
    this.exitQueues.delete(pid);
    this.programs.delete(pid);
    const code = e.exitCode ?? 0;
    this.emit({ type: "reap", pid, by, exitCode: code });
    return code;
  }

  /** SIGKILL to every process (children first), leaving only init. */
  stopAll(): void {
    const live = this.table
      .snapshot()
      .filter((p) => p.pid !== INIT_PID && p.state !== "zombie")
      .sort((a, b) => b.pid - a.pid);
    for (const p of live) this.signal(p.pid, Signal.SIGKILL, INIT_PID);
    // Zombies whose parents still live (none now) or were killed: init reaps them all.
    for (const p of this.table.snapshot()) if (p.pid !== INIT_PID && p.state === "zombie") this.reap(p.pid, INIT_PID);
  }
}

function ok(r: SyscallResult): SyscallReply {
  return { ok: true, value: r.value, bytes: r.bytes ?? null };
}
