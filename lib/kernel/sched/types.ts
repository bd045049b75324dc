/**
 * Controlled mode's contract: what a scheduling point looks like, what a policy chooses from,
 * and what a controlled run records. Shared by the kernel's controller (this folder), the
 * runner (`lib/runtime/controlled.ts`), schedule search and the step UI; types only.
 *
 * A controlled run is one program on a fresh kernel in which exactly one process runs at a
 * time, up to its next scheduling point (an operation another process could observe). There
 * the policy picks which process continues, or advances the virtual clock to the earliest
 * deadline of a blocked operation (a sleep ending, a timeout firing).
 */
import type { DeadlockReport } from "../deadlock";

export type Access = "read" | "write";

export interface Where {
  readonly file: string;
  readonly line: number;
}

/** One process parked at a scheduling point, about to do `op` on `obj`. */
export interface PendingOp {
  /** Process index in creation order within the run: 0 = the main process. */
  readonly proc: number;
  readonly pid: number;
  /** "lock.acquire", "queue.put", "file.open", "sleep", "clock", "start", "exit", "join", "kill", "write", "line", … */
  readonly op: string;
  /** A stable key within the run: `lock:<n>`, `queue:<n>`, `pipe:<n>`, `file:/home/user/x`, `proc:<index>`, `sock:<n>`, `stdout`, `stderr`, `clock`, `line`. */
  readonly obj: string;
  /** Two reads of the same object commute (a clock read, a file read, `Event.is_set`). */
  readonly access: Access;
  /** The innermost frame in the program's own files, when there is one. */
  readonly where?: Where;
}

export type BlockedOp = PendingOp & {
  /** Virtual time (ms) at which the wait ends by itself (sleep, timeout); null: only another process can end it. */
  readonly deadline: number | null;
};

/** What the policy chooses from at one step. `enabled` is sorted by proc index. */
export interface Choice {
  readonly step: number;
  readonly enabled: readonly PendingOp[];
  readonly blocked: readonly BlockedOp[];
  /** Armed ITIMER_REAL timers (alarm, setitimer) by virtual deadline, earliest first; absent when none. */
  readonly timers?: readonly { readonly proc: number; readonly deadline: number }[];
  /** True when some blocked op has a deadline or a timer is armed (in a `timed` run, only when nothing is enabled). With nothing enabled the advance is forced: the policy is not asked, the step records "advance". */
  readonly canAdvance: boolean;
  /** The virtual clock, ms since the run started. */
  readonly clock: number;
  /** The proc that ran the last step (for preemption counting); null at the first step or after an advance. */
  readonly current: number | null;
}

/** A decision: a proc index from `enabled`, or "advance" the clock to the earliest deadline. */
export type Decision = number | "advance";

export interface Policy {
  /** A Promise lets a person decide (the step UI). */
  choose(choice: Choice): Decision | Promise<Decision>;
  /**
   * How many of the steps after `step` this policy is sure to give to the process it chose at
   * `step`, for as long as that process's next operation can go on, whatever those operations
   * are (0 when absent). The process then takes that many points without waiting for the host
   * (worker/sched-gate.ts); the controller still asks the policy at each of them, in order.
   * With `unless`: only until a point that wakes a process blocked on one of those objects
   * (PendingOp.obj), which the policy would then choose instead.
   */
  keeps?(step: number): number | Keeps;
}

/** Policy.keeps with the objects whose change ends the promise. */
export interface Keeps {
  readonly steps: number;
  readonly unless: readonly string[];
}

export type Failure =
  | { readonly kind: "exception"; readonly proc: number; readonly text: string }
  | { readonly kind: "exit"; readonly proc: number; readonly code: number }
  | { readonly kind: "deadlock"; readonly report: DeadlockReport }
  | { readonly kind: "output"; readonly expected: string; readonly actual: string }
  /** The caller's own test of the run's output said no (an exercise's check): `message` says why. */
  | { readonly kind: "check"; readonly message: string }
  /** Ran out of budget: not a failure for search. */
  | { readonly kind: "limit"; readonly what: "steps" | "time" };

export interface Step {
  readonly choice: Choice;
  readonly decision: Decision;
}

export interface RunRecord {
  /** One per step, forced advances included. */
  readonly decisions: readonly Decision[];
  readonly steps: readonly Step[];
  /** Everything all processes wrote to stdout and stderr, in order. */
  readonly output: string;
  readonly exits: readonly { readonly proc: number; readonly pid: number; readonly code: number }[];
  readonly failure: Failure | null;
  /** Seed + decisions, URL-safe (see `token.ts`). */
  readonly token: string;
}

export interface ControlledOptions {
  /** Seeds `random` in every process (with the proc index). Default 0. */
  readonly seed?: number;
  /** Stop with `{kind: "limit", what: "steps"}` after this many steps. Default 100 000. */
  readonly maxSteps?: number;
  /** Every line of the program's own files is a point too (`op: "line"`). Default false. */
  readonly lineGrain?: boolean;
  /** Called after every decision (the step UI draws from it). */
  readonly onStep?: (step: Step) => void;
  /**
   * Time passes only when no process can move: the work between points takes no time, so a
   * sleep or a timeout ends only once every other process waits. Schedules then keep the
   * order that sleeps impose, and differ only in what happens at the same moment (how a
   * lesson's output, arranged with sleeps, is checked). Default false: the clock may also
   * advance while processes could move, as on a machine that stalls one of them, which is
   * how a race hidden behind a sleep is found (for up to 2 s of virtual time per stall: longer,
   * a polling loop's sleeps would starve the process it waits for).
   */
  readonly timed?: boolean;
}
