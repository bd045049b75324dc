/**
 * Signal delivery: per-process dispositions, pending signals, stop/continue and the
 * ITIMER_REAL timer (signal(7), sigaction(2), setitimer(2)).
 *
 * What a signal does is decided here, in the kernel, from the process's dispositions
 * (which its Python `signal.signal` calls report through the `sigaction` syscall):
 * - SIGKILL ends the process at once (−9); SIGSTOP stops it; SIGCONT continues it.
 * - ignored: dropped. Default: its default action (terminate with −N, ignore, stop).
 * - a Python handler: the signal is queued for the process. A call parked in the kernel
 *   is answered with EINTR for that signal (the worker runs the handler and retries the
 *   call, PEP 475); otherwise the number goes into the worker's interrupt word, one at a
 *   time: Pyodide picks it up between bytecodes (CPython's `PyErr_SetInterruptEx(signum)`
 *   runs the handler) and every wait inside the worker checks it too.
 *
 * A worker cannot be paused from outside: a stop writes SIGSTOP into its interrupt word and
 * the worker parks itself at its next check (the runtime's own handler for signal 19); while
 * it is stopped, its syscall replies and caught signals are held here. A continue either
 * takes back a SIGSTOP the worker has not seen yet, or writes SIGCONT, which releases it.
 */
import type { KernelEventInput } from "./events";
import { INIT_PID, type ProcessTable } from "./process-table";
import { WaitQueue } from "./wait-queue";
import { IGNORED_BY_PYTHON, Signal, canCatch, defaultAction, stopsByDefault, type Disposition, type SignalNumber } from "./signals";

/** What delivery needs from the kernel. */
export interface SignalTarget {
  readonly table: ProcessTable;
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
  emit(ev: KernelEventInput): void;
  /** Ends the process (exit code −N for a signal). */
  exit(pid: number, code: number): void;
  /** Answers `pid`'s call parked in the kernel with EINTR for `sig`; false when none is parked. */
  interruptCall(pid: number, sig: number): boolean;
  /** Writes `sig` into the worker's interrupt word; false while another one still waits there. */
  interrupt(pid: number, sig: number): boolean;
  /** Takes back what waits in the interrupt word (0: nothing). */
  takeInterrupt(pid: number): number;
  /** The process was stopped / continued: the kernel shows state T and holds its replies meanwhile. */
  setStopped(pid: number, stopped: boolean): void;
  /** The clock `pid`'s itimer runs on when it is not real time (a controlled run's virtual clock), else null. */
  itimerClock?(pid: number): TimerClock | null;
}

/** A clock with timers: real time, or a controlled run's virtual time. */
export interface TimerClock {
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
}

interface ITimer {
  deadline: number;
  intervalMs: number;
  readonly clock: TimerClock;
  cancel: () => void;
}

interface ProcSignals {
  /** Signals whose disposition is not the default (SIGINT starts as CPython's handler). */
  readonly actions: Map<number, Disposition>;
  /** Caught signals not yet written into the worker, oldest first (a standard signal is pending once). */
  readonly pending: number[];
  /** Signals that came while stopped: only SIGKILL and SIGCONT act on a stopped process; these act after SIGCONT. */
  readonly held: SignalNumber[];
  stopped: boolean;
  /** A stop or continue the worker has not been told about yet; written before any pending signal. */
  control: typeof Signal.SIGSTOP | typeof Signal.SIGCONT | null;
  cancelRetry: (() => void) | null;
  itimer: ITimer | null;
  /** The signal mask (sigprocmask(2)): these stay pending, not acted on, until unblocked or taken by sigwait. */
  readonly blocked: Set<number>;
  /** Blocked signals that came, with their senders (a standard signal is pending once). */
  readonly blockedPending: { sig: SignalNumber; from: number }[];
  /** sigwait(2) callers of this process, woken when a blocked signal comes. */
  readonly sigwaiters: WaitQueue;
}

/** sigprocmask(2)'s `how`. */
export const SIG_BLOCK = 0;
export const SIG_UNBLOCK = 1;
export const SIG_SETMASK = 2;

/** How often a signal waiting for the worker's interrupt word retries (the worker takes one within a few ms). */
const RETRY_MS = 2;

export class SignalDelivery {
  private readonly procs = new Map<number, ProcSignals>();

  constructor(private readonly k: SignalTarget) {}

  /** A new process: default dispositions, except that what its parent ignores stays ignored (execve(2)). */
  attach(pid: number, ppid: number): void {
    const actions = new Map<number, Disposition>([[Signal.SIGINT, "handler"], ...IGNORED_BY_PYTHON.map((sig): [number, Disposition] => [sig, "ignore"])]);
    const parent = this.procs.get(ppid);
    for (const [sig, d] of parent?.actions ?? []) if (d === "ignore") actions.set(sig, "ignore");
    // The mask survives fork and execve: a child starts with its parent's.
    const blocked = new Set(parent?.blocked ?? []);
    this.procs.set(pid, { actions, pending: [], held: [], stopped: false, control: null, cancelRetry: null, itimer: null, blocked, blockedPending: [], sigwaiters: new WaitQueue() });
  }

  /**
   * sigprocmask(2): changes the mask (SIGKILL and SIGSTOP are never blocked) and returns the
   * old one; a pending signal the new mask lets through acts now. False for a bad `how`.
   */
  setMask(pid: number, how: number, sigs: readonly number[]): number[] | false {
    const p = this.procs.get(pid);
    if (!p) return [];
    const old = [...p.blocked].sort((a, b) => a - b);
    const valid = sigs.filter((s) => s !== Signal.SIGKILL && s !== Signal.SIGSTOP);
    if (how === SIG_BLOCK) for (const s of valid) p.blocked.add(s);
    else if (how === SIG_UNBLOCK) for (const s of valid) p.blocked.delete(s);
    else if (how === SIG_SETMASK) {
      p.blocked.clear();
      for (const s of valid) p.blocked.add(s);
    } else return false;
    const released = p.blockedPending.filter((e) => !p.blocked.has(e.sig));
    if (released.length > 0) {
      p.blockedPending.splice(0, p.blockedPending.length, ...p.blockedPending.filter((e) => p.blocked.has(e.sig)));
      for (const e of released) if (this.procs.get(pid) === p) this.act(pid, p, e.sig);
    }
    return old;
  }

  /** sigpending(2): blocked signals that came. */
  blockedPending(pid: number): number[] {
    return (this.procs.get(pid)?.blockedPending ?? []).map((e) => e.sig).sort((a, b) => a - b);
  }

  /** sigwait(2)'s take: the lowest pending signal of `set`, with its sender, removed; null if none is pending. */
  takeBlocked(pid: number, set: readonly number[]): { sig: number; from: number } | null {
    const list = this.procs.get(pid)?.blockedPending;
    if (!list) return null;
    let best = -1;
    for (let i = 0; i < list.length; i++) if (set.includes(list[i].sig) && (best < 0 || list[i].sig < list[best].sig)) best = i;
    return best < 0 ? null : list.splice(best, 1)[0];
  }

  /** Where sigwait callers of `pid` wait. */
  sigwaiters(pid: number): WaitQueue | null {
    return this.procs.get(pid)?.sigwaiters ?? null;
  }

  /** The process ended: its timer and pending signals go. */
  detach(pid: number): void {
    const p = this.procs.get(pid);
    if (!p) return;
    p.cancelRetry?.();
    p.itimer?.cancel();
    this.procs.delete(pid);
  }

  disposition(pid: number, sig: number): Disposition {
    return this.procs.get(pid)?.actions.get(sig) ?? "default";
  }

  /** Signals `pid` ignores (a child it spawns starts with them ignored too). */
  ignored(pid: number): number[] {
    return [...(this.procs.get(pid)?.actions ?? [])].filter(([, d]) => d === "ignore").map(([s]) => s);
  }

  isStopped(pid: number): boolean {
    return this.procs.get(pid)?.stopped ?? false;
  }

  /** sigaction(2): returns the previous disposition; false for SIGKILL/SIGSTOP (EINVAL). */
  setDisposition(pid: number, sig: number, d: Disposition): Disposition | false {
    const p = this.procs.get(pid);
    if (!p || !canCatch(sig)) return false;
    const old = p.actions.get(sig) ?? "default";
    if (d === "default") p.actions.delete(sig);
    else p.actions.set(sig, d);
    // Pending and now ignored: discarded, as Linux does.
    if (d === "ignore") {
      this.drop(p.pending, sig);
      this.drop(p.held, sig);
    }
    return old;
  }

  /**
   * kill(2) after the permission checks. `quiet`: a signal the kernel raises itself
   * (SIGCHLD, SIGALRM) is only reported when the process catches it.
   */
  send(pid: number, sig: SignalNumber, from: number, quiet = false): void {
    const p = this.procs.get(pid);
    const e = this.k.table.get(pid);
    if (!p || !e || e.state === "zombie") return; // a zombie takes any signal and does nothing
    const d = this.disposition(pid, sig);
    if (!quiet || d === "handler") this.k.emit({ type: "signal", pid, signal: sig, from });
    if (sig === Signal.SIGKILL) return this.k.exit(pid, -sig);
    if (sig === Signal.SIGCONT) {
      this.cont(pid, p);
      if (d === "handler") {
        if (p.blocked.has(sig)) this.block(p, sig, from);
        else this.queue(pid, p, sig);
      }
      // What came while it was stopped acts now (a SIGTERM ends it only now).
      for (const h of p.held.splice(0)) if (this.procs.get(pid) === p) this.send(pid, h, pid, true);
      return;
    }
    if (p.stopped) {
      // A stopped process is not woken by a signal (wants_signal() in Linux): it waits for SIGCONT.
      if (!stopsByDefault(sig) && !p.held.includes(sig)) p.held.push(sig);
      return;
    }
    if (sig === Signal.SIGSTOP) return this.stop(pid, p);
    if (d === "ignore") return;
    // Blocked: pending until unblocked or taken by sigwait (an ignored one was dropped above, as Linux does).
    if (p.blocked.has(sig)) return this.block(p, sig, from);
    this.act(pid, p, sig);
  }

  private block(p: ProcSignals, sig: SignalNumber, from: number): void {
    if (!p.blockedPending.some((e) => e.sig === sig)) p.blockedPending.push({ sig, from });
    p.sigwaiters.wakeAll();
  }

  /** What a signal that is let through does: its handler, or its default action. */
  private act(pid: number, p: ProcSignals, sig: SignalNumber): void {
    const d = this.disposition(pid, sig);
    if (d === "ignore") return;
    if (d === "handler") return this.queue(pid, p, sig);
    switch (defaultAction(sig)) {
      case "terminate":
        return this.k.exit(pid, -sig);
      case "stop":
        return this.stop(pid, p);
      default:
        return; // SIGCHLD
    }
  }

  /** A child stopped, continued or ended: SIGCHLD to its parent (ignored unless it has a handler). */
  notifyParent(child: number, ppid: number): void {
    if (ppid !== INIT_PID) this.send(ppid, Signal.SIGCHLD, child, true);
  }

  /**
   * setitimer(ITIMER_REAL): SIGALRM after `valueMs` (0 disarms), then every `intervalMs`
   * (0: once). Returns the previous [remaining, interval] in ms.
   */
  setItimer(pid: number, valueMs: number, intervalMs: number): [number, number] {
    const p = this.procs.get(pid);
    if (!p) return [0, 0];
    const old = this.getItimer(pid);
    p.itimer?.cancel();
    p.itimer = null;
    if (valueMs > 0) this.arm(pid, p, valueMs, intervalMs);
    return old;
  }

  getItimer(pid: number): [number, number] {
    const t = this.procs.get(pid)?.itimer;
    return t ? [Math.max(0, t.deadline - t.clock.now()), t.intervalMs] : [0, 0];
  }

  private arm(pid: number, p: ProcSignals, ms: number, intervalMs: number): void {
    const clock = this.k.itimerClock?.(pid) ?? this.k;
    const timer: ITimer = { deadline: clock.now() + ms, intervalMs, clock, cancel: () => {} };
    timer.cancel = clock.setTimer(ms, () => {
      if (p.itimer !== timer) return;
      p.itimer = null;
      if (intervalMs > 0) this.arm(pid, p, intervalMs, intervalMs);
      this.send(pid, Signal.SIGALRM, pid, true);
    });
    p.itimer = timer;
  }

  private stop(pid: number, p: ProcSignals): void {
    if (p.stopped) return;
    p.stopped = true;
    // A continue the worker has not seen yet is simply taken back: it is still parked.
    p.control = p.control === Signal.SIGCONT ? null : Signal.SIGSTOP;
    this.k.setStopped(pid, true);
    this.pump(pid, p);
    this.notifyParent(pid, this.k.table.get(pid)?.ppid ?? INIT_PID);
  }

  private cont(pid: number, p: ProcSignals): void {
    if (!p.stopped) return;
    p.stopped = false;
    if (p.control === Signal.SIGSTOP) p.control = null; // never written: the worker never stopped
    else {
      const waiting = this.k.takeInterrupt(pid);
      if (waiting !== Signal.SIGSTOP) {
        // The worker took the stop and is parked (or parks now): SIGCONT releases it.
        if (waiting !== 0) p.pending.unshift(waiting);
        p.control = Signal.SIGCONT;
      }
    }
    this.k.setStopped(pid, false);
    this.pump(pid, p);
    this.notifyParent(pid, this.k.table.get(pid)?.ppid ?? INIT_PID);
  }

  private queue(pid: number, p: ProcSignals, sig: number): void {
    if (!p.pending.includes(sig)) p.pending.push(sig);
    this.pump(pid, p);
  }

  private drop(list: number[], sig: number): void {
    const i = list.indexOf(sig);
    if (i >= 0) list.splice(i, 1);
  }

  /** Hands the next control word, then pending signals, to the worker; retries while its interrupt word is busy. */
  private pump(pid: number, p: ProcSignals): void {
    p.cancelRetry?.();
    p.cancelRetry = null;
    if (p.control !== null) {
      if (!this.k.interrupt(pid, p.control)) return this.retry(pid, p);
      p.control = null;
    }
    if (p.stopped) return; // caught signals wait for SIGCONT
    while (p.pending.length > 0) {
      const sig = p.pending[0];
      if (this.k.interruptCall(pid, sig)) {
        p.pending.shift();
        continue;
      }
      if (!this.k.interrupt(pid, sig)) return this.retry(pid, p);
      p.pending.shift();
    }
  }

  private retry(pid: number, p: ProcSignals): void {
    p.cancelRetry = this.k.setTimer(RETRY_MS, () => {
      p.cancelRetry = null;
      if (this.procs.get(pid) === p) this.pump(pid, p);
    });
  }
}
