/**
 * The generic trace the scheduler view draws. Both the simulation (simulate.ts) and a
 * real run's kernel event stream (from-kernel.ts) map onto it, so one view serves both.
 */

/** Lifecycle states a process moves through, in the order a reader meets them. */
/** `stopped`: SIGSTOP/SIGTSTP until SIGCONT (ps state T). */
export type ProcessStateName = "new" | "ready" | "running" | "sleeping" | "blocked" | "stopped" | "zombie" | "reaped";

export const PROCESS_STATES: readonly ProcessStateName[] = ["new", "ready", "running", "sleeping", "blocked", "stopped", "zombie", "reaped"];

/** What a sleeping/blocked process waits for. */
export type BlockReason =
  | { type: "sleep"; until?: number }
  | { type: "join"; pid: number }
  /** init (pid 1) waits for any child forever. */
  | { type: "wait-any" }
  /** Anything a real run blocks on that the simulation does not model (a lock, a queue, a socket…). */
  | { type: "other"; what: string };

/** One change to the process table. A frame applies a list of these, in order. */
export type TraceEvent =
  | { type: "spawn"; pid: number; ppid: number; name: string; daemon: boolean; state: ProcessStateName }
  | { type: "state"; pid: number; state: ProcessStateName; blockedOn?: BlockReason }
  /** The process ended: it becomes a zombie that keeps `code` until its parent reaps it. */
  | { type: "exit"; pid: number; code: number }
  | { type: "reap"; pid: number; by: number }
  | { type: "reparent"; pid: number; from: number; to: number }
  | { type: "rename"; pid: number; name: string }
  /** Informational (the state changes through the exit event that follows a fatal one). `from` 0 means outside the program. */
  | { type: "signal"; pid: number; from: number; signal: string };


/** Keys of the localized caption templates in captions.ts. */
export type CaptionKey =
  | "start"
  | "spawn"
  | "spawn-daemon"
  | "admit"
  | "dispatch"
  | "switch"
  | "preempt"
  | "sleep"
  | "wake"
  | "exit-zombie"
  | "exit-zombie-parent-busy"
  | "exit-handling-daemons"
  | "exit-handling-join"
  | "join-block"
  | "join-wake"
  | "join-reap"
  | "reap-on-start"
  | "terminate"
  | "kill"
  | "killed-external"
  | "orphaned"
  | "zombie-adopted"
  | "init-reaps"
  | "init-reaps-at-once"
  | "daemon-no-children"
  | "blocked-other"
  | "state-change"
  | "booted"
  | "unblocked"
  | "signal"
  | "rename"
  | "replay-start"
  | "replay-empty"
  | "step-start"
  | "step-run"
  | "step-advance"
  | "step-choose"
  | "end";

export type CaptionParams = Readonly<Record<string, string | number>>;

export interface Caption {
  key: CaptionKey;
  params: CaptionParams;
}

/** One step of the animation: the events it applies and what to say about it. */
export interface Frame {
  /** Simulated ticks (simulation) or milliseconds since the run started (replay). */
  time: number;
  events: TraceEvent[];
  caption: Caption;
}

export interface Trace {
  /** Unit of Frame.time, shown next to the clock. */
  timeUnit: "tick" | "ms";
  frames: Frame[];
}

/** One process as the view shows it at some step. */
export interface ProcessView {
  pid: number;
  ppid: number;
  /** The parent it had at birth; differs from ppid after re-parenting to init. */
  originalPpid: number;
  name: string;
  daemon: boolean;
  state: ProcessStateName;
  blockedOn?: BlockReason;
  /** Exit status, kept in the zombie; null while alive. */
  exitCode: number | null;
  /** Step at which this process appeared. */
  bornAt: number;
}

/** The whole process table after applying frames 0..step. */
export interface Snapshot {
  step: number;
  time: number;
  caption: Caption;
  /** Every process seen so far (reaped ones included), ordered by pid. */
  processes: ProcessView[];
}
