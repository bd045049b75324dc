/**
 * The controller of one controlled program: exactly one of its processes runs at a time.
 * Each process runs to its next scheduling point and parks there (`point`); once none is
 * running the policy picks who continues, or the virtual clock advances to the earliest
 * deadline of a blocked operation. An operation that would block parks as blocked on its
 * object (`point` with `block`) and becomes enabled again when another process's granted
 * operation wrote that object, when the process it joins exits, or when its deadline passes.
 *
 * Pure logic: the kernel side (`syscalls.ts`) feeds it calls and exits and delivers its
 * answers; unit tests drive it directly.
 */
import type { DeadlockReport } from "../deadlock";
import type { BlockOn, UnblockReason } from "../events";
import type { Access, BlockedOp, Choice, Decision, PendingOp, Policy, Step, Where } from "./types";

/** What a process sends at a point. `obj` `pid:N` is turned into `proc:<index of N>`. */
export interface PointOp {
  readonly op: string;
  readonly obj: string;
  readonly access: Access;
  readonly where?: Where;
}

/** The extra half of a point whose operation could not go on: what it waits for and until when. */
export interface BlockInfo {
  /** Virtual ms, or null: until another process changes `obj`. */
  readonly deadline: number | null;
  /** For the event stream and a deadlock report: the kernel's kind and label (`lock#12`, `pid 3`). */
  readonly on: BlockOn;
  readonly label: string;
}

/** The most points a process takes on its own in a row (Grant.keep). */
const MAX_KEEP = 256;
/**
 * Virtual time a process may wait, able to go on, while the clock advances past it (a stalled
 * process, how a race hidden behind a sleep is found). Longer than that, the clock does not
 * advance until it has run: no machine stalls a runnable process for seconds, and a polling
 * loop (`while not done.value: time.sleep(0.01)`) would otherwise starve it until the step limit.
 */
const STALL_MS = 2000;

/** The answer a granted process gets. */
export interface Grant {
  readonly clock: number;
  readonly proc: number;
  /** Its blocked operation's deadline passed (the wait timed out). */
  readonly timedOut: boolean;
  /**
   * How many points after this one the process may take without asking, until one would wait
   * or it spawns a process: the policy gives them to it anyway (Policy.keeps). It reports them,
   * in order, before its next call to the kernel (`points`).
   */
  readonly keep: number;
  /**
   * Objects (as the processes name them: `pid:N`, not `proc:M`) that other processes wait on
   * and the policy would give the turn to once woken: a point that wakes one (its previous
   * operation wrote it, or it names it in `wakes`) asks instead of going on.
   */
  readonly keepUnless?: readonly string[];
}

export type End =
  | { readonly kind: "exit" }
  | { readonly kind: "deadlock"; readonly report: DeadlockReport }
  | { readonly kind: "limit" }
  | { readonly kind: "error"; readonly message: string };

/** What a process blocks on when the kernel would have parked its call (see Kernel.controlled). */
export const KERNEL = "kernel";

export interface ControllerHost {
  grant(pid: number, grant: Grant): void;
  /**
   * A real-time timer (a `timer`'s backstop while its process runs without reaching a point):
   * absent, timers wait for the virtual clock alone.
   */
  setTimer?(ms: number, fn: () => void): () => void;
  blocked(pid: number, on: BlockOn, label: string, deadline: number | null): void;
  unblocked(pid: number, on: BlockOn, reason: UnblockReason): void;
  /** The wait-for graph of the program now (its blocked processes were reported through `blocked`). */
  deadlockReport(): DeadlockReport;
  end(end: End): void;
}

/** A process's ITIMER_REAL on the virtual clock (see `timer`). */
interface VirtualTimer {
  readonly pid: number;
  readonly deadline: number;
  /** Arming order: timers due at the same time fire in it. */
  readonly seq: number;
  readonly fire: () => void;
}

interface Proc {
  readonly proc: number;
  readonly pid: number;
  state: "running" | "enabled" | "blocked";
  op: PendingOp | null;
  block: BlockInfo | null;
  timedOut: boolean;
  /** The clock when it was last seen able to go on and not chosen since (null: it was not). */
  enabledSince: number | null;
}

export class Controller {
  private readonly procs = new Map<number, Proc>();
  private readonly indexOfPid = new Map<number, number>();
  private nextProc = 0;
  clock = 0;
  private current: number | null = null;
  /** The granted operation whose effect is known only at its process's next call: it woke its object's waiters unless it blocked there. */
  private touch: { pid: number; obj: string; access: Access } | null = null;
  private choosing = false;
  /** Processes that changed the kernel's state since their last point (kernelWrite). */
  private readonly kernelTouched = new Set<number>();
  private readonly timers = new Set<VirtualTimer>();
  private timerSeq = 0;
  /** The running process's earliest timer, in real time: fires it if the process computes that long without a point. */
  private cancelBackstop: (() => void) | null = null;
  private ended = false;
  readonly steps: Step[] = [];

  constructor(
    private readonly host: ControllerHost,
    private readonly policy: Policy,
    private readonly maxSteps = 100_000,
    private readonly onStep?: (step: Step) => void,
    /** See ControlledOptions.timed. */
    private readonly timed = false,
  ) {}

  get finished(): boolean {
    return this.ended;
  }

  /** A process of the program was created: it runs (boots) until its first point. */
  spawned(pid: number): number {
    const proc = this.nextProc++;
    this.procs.set(pid, { proc, pid, state: "running", op: null, block: null, timedOut: false, enabledSince: null });
    this.indexOfPid.set(pid, proc);
    return proc;
  }

  procOf(pid: number): number | undefined {
    return this.indexOfPid.get(pid);
  }

  /** `pid` reached a scheduling point (with `block`: its operation would wait). */
  point(pid: number, op: PointOp, block: BlockInfo | null, wakes: readonly string[] = []): void {
    const p = this.procs.get(pid);
    if (!p || this.ended) return;
    this.dropBackstop();
    const obj = this.normalize(op.obj);
    this.settleTouch(pid, block ? obj : null);
    for (const w of wakes) this.wake(this.normalize(w));
    p.op = { proc: p.proc, pid, op: op.op, obj, access: op.access, ...(op.where ? { where: op.where } : {}) };
    if (block && (block.deadline === null || block.deadline > this.clock)) {
      p.state = "blocked";
      p.block = block;
      this.host.blocked(pid, block.on, block.label, block.deadline === null ? null : block.deadline - this.clock);
    } else {
      p.state = "enabled";
      p.timedOut = block !== null;
    }
    this.maybeChoose();
  }

  /**
   * Points `pid` took on its own (Grant.keep), in order: each is a step as if it had asked,
   * the policy is asked at each, and none is granted (the process went on already). A policy
   * that chooses another process at one of them broke its promise: the run ends in error.
   */
  points(pid: number, ops: readonly { readonly op: PointOp; readonly wakes: readonly string[] }[]): void {
    for (const { op, wakes } of ops) {
      if (this.ended) return;
      this.taken = pid;
      try {
        this.point(pid, op, null, wakes);
      } finally {
        this.taken = null;
      }
      if (this.procs.get(pid)?.state !== "running" && !this.ended) {
        this.finish({ kind: "error", message: `the policy took back the turn it gave process ${this.procs.get(pid)?.proc ?? pid} at step ${this.steps.length}` });
        return;
      }
    }
  }

  /** While `points` replays what `pid` did on its own: the turn it took is not granted again. */
  private taken: number | null = null;

  /** `pid` ended (returned, raised, or was killed). */
  exited(pid: number): void {
    const p = this.procs.get(pid);
    if (!p) return;
    this.settleTouch(pid, null);
    if (p.state === "running") this.dropBackstop();
    for (const t of this.timers) if (t.pid === pid) this.timers.delete(t);
    this.procs.delete(pid);
    this.wake(`proc:${p.proc}`);
    this.wake(KERNEL);
    if (this.current === p.proc) this.current = null;
    this.maybeChoose();
  }

  /**
   * The running `pid` changed something in the kernel outside a point (a kernel pipe's send,
   * a socket's close): at its next point, processes waiting in the kernel try again.
   */
  kernelWrite(pid: number): void {
    if (this.procs.has(pid)) this.kernelTouched.add(pid);
  }

  /**
   * A process's exit (or kill) released `objects` (its file locks): processes blocked on them
   * may go on. The exit is the running process's own or its killer's, at the same step in
   * every replay.
   */
  released(objects: readonly string[]): void {
    for (const obj of objects) this.wake(this.normalize(obj));
  }

  /**
   * A signal with a handler reached `pid`: a blocked operation is interrupted (EINTR), so the
   * process becomes enabled; once granted it runs the handler and waits again or raises.
   * The sender is the running process, so this happens at the same step in every replay.
   */
  signalled(pid: number): void {
    const p = this.procs.get(pid);
    if (!p || p.state !== "blocked") return;
    p.state = "enabled";
    p.timedOut = false;
    const on = p.block?.on;
    p.block = null;
    if (on) this.host.unblocked(pid, on, "interrupted");
  }

  /** Ends the run from outside (stop): nothing is granted any more. */
  stop(): void {
    this.finish({ kind: "limit" });
  }

  /**
   * `pid`'s ITIMER_REAL (alarm, setitimer), `ms` of virtual time from now: `fire` (the kernel's
   * SIGALRM) runs when the clock advances to it, as a sleep's deadline does, so a process
   * blocked until its alarm is woken at the same step in every replay, and an armed timer is no
   * deadlock. The clock stands still while a process runs, so a process that computes without
   * reaching a point (a busy loop until the alarm) gets it after as much real time instead, as
   * in CPython, with the clock unchanged (its computation took no virtual time); only such a
   * run depends on timing. Returns the timer's cancel.
   */
  timer(pid: number, ms: number, fire: () => void): () => void {
    if (!this.procs.has(pid) || this.ended) return () => {};
    const t: VirtualTimer = { pid, deadline: this.clock + Math.max(0, ms), seq: this.timerSeq++, fire };
    this.timers.add(t);
    if (this.procs.get(pid)?.state === "running") this.armBackstop(pid);
    return () => {
      this.timers.delete(t);
    };
  }

  /** The earliest timer of `pid` due, or null. */
  private firstTimer(pid: number | null): VirtualTimer | null {
    let first: VirtualTimer | null = null;
    for (const t of this.timers) if ((pid === null || t.pid === pid) && this.procs.has(t.pid) && (!first || t.deadline < first.deadline || (t.deadline === first.deadline && t.seq < first.seq))) first = t;
    return first;
  }

  private armBackstop(pid: number): void {
    this.dropBackstop();
    const set = this.host.setTimer;
    const t = this.firstTimer(pid);
    if (!set || !t) return;
    this.cancelBackstop = set.call(this.host, t.deadline - this.clock, () => {
      this.cancelBackstop = null;
      if (this.ended || this.procs.get(pid)?.state !== "running" || !this.timers.has(t)) return;
      this.timers.delete(t);
      t.fire();
    });
  }

  private dropBackstop(): void {
    this.cancelBackstop?.();
    this.cancelBackstop = null;
  }

  /** Fires the timers the clock reached, earliest first. */
  private fireDue(): boolean {
    let fired = false;
    for (let t = this.firstTimer(null); t && t.deadline <= this.clock; t = this.firstTimer(null)) {
      this.timers.delete(t);
      fired = true;
      t.fire();
    }
    return fired;
  }

  private normalize(obj: string): string {
    if (!obj.startsWith("pid:")) return obj;
    const proc = this.indexOfPid.get(Number(obj.slice(4)));
    return proc === undefined ? obj : `proc:${proc}`;
  }

  private settleTouch(pid: number, blockedOn: string | null): void {
    if (this.kernelTouched.delete(pid)) this.wake(KERNEL);
    const t = this.touch;
    if (!t || t.pid !== pid) return;
    this.touch = null;
    if (t.access === "write" && blockedOn !== t.obj) {
      this.wake(t.obj);
      // A call the kernel would have parked (a socket, a kernel pipe) names no single object
      // another process's point names: any change may let it go on, and it tries again.
      if (t.obj !== KERNEL) this.wake(KERNEL);
    }
  }

  private wake(obj: string): void {
    for (const p of this.procs.values()) {
      if (p.state !== "blocked" || p.op?.obj !== obj) continue;
      p.state = "enabled";
      p.timedOut = false;
      const on = p.block?.on;
      p.block = null;
      if (on) this.host.unblocked(p.pid, on, "ready");
    }
  }

  private sorted(): Proc[] {
    return [...this.procs.values()].sort((a, b) => a.proc - b.proc);
  }

  private choice(): Choice {
    const enabled: PendingOp[] = [];
    const blocked: BlockedOp[] = [];
    let stalled = false;
    for (const p of this.sorted()) {
      if (p.state !== "enabled" || !p.op) p.enabledSince = null;
      if (!p.op) continue;
      if (p.state === "enabled") {
        enabled.push(p.op);
        p.enabledSince ??= this.clock;
        if (this.clock - p.enabledSince >= STALL_MS) stalled = true;
      } else if (p.state === "blocked") blocked.push({ ...p.op, deadline: p.block?.deadline ?? null });
    }
    const alarms: { proc: number; deadline: number }[] = [];
    for (const t of this.timers) {
      const p = this.procs.get(t.pid);
      if (p) alarms.push({ proc: p.proc, deadline: t.deadline });
    }
    alarms.sort((a, b) => a.deadline - b.deadline || a.proc - b.proc);
    const canAdvance = (blocked.some((b) => b.deadline !== null) || alarms.length > 0) && !(this.timed && enabled.length > 0) && !stalled;
    return { step: this.steps.length, enabled, blocked, ...(alarms.length > 0 ? { timers: alarms } : {}), canAdvance, clock: this.clock, current: this.current };
  }

  /** Timers fired at an advance: the next choice waits a microtask (see apply). */
  private firing = false;

  private maybeChoose(): void {
    if (this.choosing || this.firing || this.ended) return;
    for (const p of this.procs.values()) if (p.state === "running") return;
    if (this.procs.size === 0) {
      this.finish({ kind: "exit" });
      return;
    }
    const choice = this.choice();
    if (choice.enabled.length === 0 && !choice.canAdvance) {
      this.finish({ kind: "deadlock", report: this.host.deadlockReport() });
      return;
    }
    if (this.steps.length >= this.maxSteps) {
      this.finish({ kind: "limit" });
      return;
    }
    if (choice.enabled.length === 0) {
      this.apply(choice, "advance");
      return;
    }
    let decided: Decision | Promise<Decision>;
    try {
      decided = this.policy.choose(choice);
    } catch (e) {
      this.finish({ kind: "error", message: e instanceof Error ? e.message : String(e) });
      return;
    }
    if (typeof decided === "object") {
      if (this.taken !== null) {
        this.finish({ kind: "error", message: "a policy that decides later cannot give a process points of its own" });
        return;
      }
      this.choosing = true;
      decided.then(
        (d) => {
          this.choosing = false;
          if (!this.ended) this.apply(choice, d);
        },
        (e: unknown) => {
          this.choosing = false;
          this.finish({ kind: "error", message: e instanceof Error ? e.message : String(e) });
        },
      );
      return;
    }
    this.apply(choice, decided);
  }

  private apply(choice: Choice, decision: Decision): void {
    if (decision === "advance" ? !choice.canAdvance : !choice.enabled.some((o) => o.proc === decision)) {
      this.finish({ kind: "error", message: `this schedule does not fit this program: step ${choice.step} cannot choose ${String(decision)}` });
      return;
    }
    const step: Step = { choice, decision };
    this.steps.push(step);
    this.onStep?.(step);
    if (decision === "advance") {
      if (this.advance()) {
        // A timer's signal may have ended its process: the kernel tells of the exit a
        // microtask later (./table.ts), before which that process must not be chosen.
        this.firing = true;
        void Promise.resolve().then(() => {
          this.firing = false;
          this.maybeChoose();
        });
        return;
      }
      this.maybeChoose();
      return;
    }
    const p = this.sorted().find((x) => x.proc === decision);
    if (!p?.op) return;
    p.state = "running";
    p.enabledSince = null;
    this.current = p.proc;
    this.touch = { pid: p.pid, obj: p.op.obj, access: p.op.access };
    const timedOut = p.timedOut;
    p.timedOut = false;
    if (this.taken !== null) {
      // A point the process took on its own: the same process, and it went on already.
      if (p.pid !== this.taken) this.finish({ kind: "error", message: `the policy took back the turn it gave at step ${step.choice.step}` });
      return;
    }
    this.armBackstop(p.pid);
    this.host.grant(p.pid, { clock: this.clock, proc: p.proc, timedOut, ...this.keep(p) });
  }

  /**
   * Grant.keep for `p`'s turn: what the policy promises, within the step limit, and none for a
   * process's first point (a kept child start compares that answer, worker/checkpoint.ts). A
   * process the turn's owner starts ends its points of its own (the spawn is a call to the
   * kernel): the next choice waits for the new one's first point, as always.
   */
  private keep(p: Proc): { keep: number; keepUnless?: readonly string[] } {
    if (!this.policy.keeps || p.op?.op === "start") return { keep: 0 };
    const promised = this.policy.keeps(this.steps.length - 1);
    const steps = typeof promised === "number" ? promised : promised.steps;
    const keep = Math.max(0, Math.min(steps, this.maxSteps - this.steps.length, MAX_KEEP));
    if (keep === 0 || typeof promised === "number" || promised.unless.length === 0) return { keep };
    // A process waiting in the kernel is woken by any write: no point can be taken safely.
    if (promised.unless.includes(KERNEL)) return { keep: 0 };
    return { keep, keepUnless: promised.unless.map((obj) => this.processName(obj)) };
  }

  /** `proc:M` (the controller's name of a process as an object) as the processes name it, `pid:N`. */
  private processName(obj: string): string {
    if (!obj.startsWith("proc:")) return obj;
    const proc = Number(obj.slice(5));
    for (const q of this.procs.values()) if (q.proc === proc) return `pid:${q.pid}`;
    return obj;
  }

  /** Moves the clock to the earliest deadline or timer; true when a timer fired. */
  private advance(): boolean {
    let next = this.firstTimer(null)?.deadline ?? Infinity;
    for (const p of this.procs.values()) if (p.state === "blocked" && p.block?.deadline != null) next = Math.min(next, p.block.deadline);
    if (next === Infinity) return false;
    this.clock = Math.max(this.clock, next);
    this.current = null;
    for (const p of this.sorted()) {
      if (p.state !== "blocked" || p.block?.deadline == null || p.block.deadline > this.clock) continue;
      p.state = "enabled";
      p.timedOut = true;
      const on = p.block.on;
      p.block = null;
      this.host.unblocked(p.pid, on, "timeout");
    }
    return this.fireDue();
  }

  private finish(end: End): void {
    if (this.ended) return;
    this.ended = true;
    this.dropBackstop();
    this.timers.clear();
    this.host.end(end);
  }
}
