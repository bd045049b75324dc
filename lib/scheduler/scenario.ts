/**
 * What a scheduler scenario is made of: process scripts (the instructions a lesson's
 * program would execute), external signals, the seed. simulate.ts runs them.
 */
import type { SignalName } from "@/lib/kernel/signals";

/** One instruction of a process script. Targets name another process of the scenario. */
export type Instr =
  /** Use the CPU for `ticks` ticks (the scheduler may preempt in between). */
  | { op: "run"; ticks: number }
  /** `time.sleep(ticks)`: off the CPU until woken. */
  | { op: "sleep"; ticks: number }
  /** `Process(...).start()`; `daemon: true` is `p.daemon = True` before `start()`. */
  | { op: "spawn"; child: ProcessScript }
  /** `p.join()`: block until the child ends, then reap it. */
  | { op: "join"; target: string }
  /** `sys.exit(code)` (or returning: code 0). Runs multiprocessing's exit handling. */
  | { op: "exit"; code: number }
  /** `p.terminate()`: SIGTERM, exit code -15, no exit handling in the target. */
  | { op: "terminate"; target: string }
  /** `p.kill()`: SIGKILL, exit code -9. */
  | { op: "kill"; target: string };

export interface ProcessScript {
  /** Unique within the scenario; what captions and targets use. */
  name: string;
  /** Default false. */
  daemon?: boolean;
  /** Running off the end is `exit(0)`. */
  steps: Instr[];
}

/** The signals a scenario sends: both end the process at once. */
export type FatalSignal = Extract<SignalName, "SIGTERM" | "SIGKILL">;

/** A signal from outside the program, e.g. `kill -9` typed in another terminal. */
export interface ExternalSignal {
  at: number;
  target: string;
  signal: FatalSignal;
}

export interface Scenario {
  /** Seeds the PRNG that breaks ties between events due at the same tick. */
  seed: number;
  main: ProcessScript;
  external?: ExternalSignal[];
  /** Ticks a process may run while others are ready. Default 2. */
  quantum?: number;
  /** pid of the main process; children count up from it. Default 100. */
  firstPid?: number;
}

/** A scenario that asks for something impossible (unknown target, joining a non-child…). */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScenarioError";
  }
}

export const INIT_PID = 1;
