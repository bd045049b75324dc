/**
 * Controlled runs (host-agnostic: Node and browser Machines alike). `startControlled` runs
 * one program on an idle machine with its pids numbered from 2 again (as in the CLI), one
 * process at a time under a policy (lib/kernel/sched), and gives back a `ControlledRecord`:
 * the decisions, output, exits, what failed, and the schedule token. `runControlled` is the
 * same without the handle; `replayToken` runs a token's schedule again exactly.
 */
// Single kernel modules, not its index: the page's port (./port.ts) imports this file.
import type { KernelEvent } from "@/lib/kernel/events";
import { Signal } from "@/lib/kernel/signals";
import type { End } from "@/lib/kernel/sched/controller";
import { decodeToken, deviations, encodeToken, replayPolicy, ScheduleError, defaultPolicy } from "@/lib/kernel/sched/policy";
import type { ControlledOptions, Failure, Policy, RunRecord, Step } from "@/lib/kernel/sched/types";
import type { Machine, RunOptions } from "./machine";

export { ScheduleError, decodeToken, encodeToken, defaultPolicy };

export type ControlledProgram = Pick<RunOptions, "files" | "entry" | "argv">;

export interface ControlledRecord extends RunRecord {
  /** The program's kernel events, stamped with virtual time (`t` in ms): the same for every replay. */
  readonly events: readonly KernelEvent[];
  /** Ended by `stop()`. */
  readonly stopped: boolean;
  readonly seed: number;
}

export interface ControlledRun {
  /** The main process's pid (2 on an idle machine). */
  readonly pid: number;
  /** The run's record once it ended (rejects with a ScheduleError when the policy's decision was not on offer). */
  readonly done: Promise<ControlledRecord>;
  /** The same promise as `done` (the name the step UI's first version reads). */
  readonly record: Promise<ControlledRecord>;
  /** Ends the run now (the step UI's Stop): its processes are killed, `record` resolves. */
  stop(): void;
  /** Steps taken so far. */
  readonly steps: readonly Step[];
}

const TRACEBACK = "Traceback (most recent call last):";

export function startControlled(machine: Machine, program: ControlledProgram, policy: Policy, options: ControlledOptions = {}): ControlledRun {
  const kernel = machine.kernel;
  if (!kernel.table.restartPids()) throw new Error("a controlled run needs a machine with no other program running");
  const seed = (options.seed ?? 0) >>> 0;
  const controlled = machine.sched.control(policy, { seed, lineGrain: options.lineGrain ?? false, maxSteps: options.maxSteps ?? 100_000, onStep: options.onStep, timed: options.timed ?? false });
  const controller = controlled.controller;
  const decoder = new Map<string, TextDecoder>();
  let output = "";
  const stderr = new Map<number, string>();
  const events: KernelEvent[] = [];
  const exits: { proc: number; pid: number; code: number }[] = [];
  let root = -1;
  const mine = (pid: number): boolean => root > 0 && kernel.programOf(pid) === root;
  const offOutput = machine.onOutput((c) => {
    if (!mine(c.pid)) return;
    const key = `${c.pid}:${c.fd}`;
    let d = decoder.get(key);
    if (!d) decoder.set(key, (d = new TextDecoder()));
    const text = d.decode(c.data, { stream: true });
    output += text;
    if (c.fd === 2) stderr.set(c.pid, (stderr.get(c.pid) ?? "") + text);
  });
  const offEvents = machine.onEvent((ev) => {
    if (!("pid" in ev) || !mine(ev.pid)) return;
    events.push({ ...ev, t: controller.clock } as KernelEvent);
    if (ev.type === "exit") exits.push({ proc: controller.procOf(ev.pid) ?? -1, pid: ev.pid, code: ev.exitCode });
  });
  // Files an earlier run (an earlier schedule) wrote would make this run differ from the last.
  machine.resetDisk();
  const handle = machine.run(program);
  root = handle.pid;
  // No one types into a controlled run: input() reads end of file, the same in every replay.
  machine.closeStdin(handle.pid);
  let stopped = false;

  const done = (async (): Promise<ControlledRecord> => {
    let end: End;
    try {
      end = await controlled.end;
      if (end.kind !== "exit") {
        // Deadlocked, out of steps, stopped or refused: nothing more may run; end what is left.
        for (const p of kernel.table.snapshot()) if (p.state !== "zombie" && mine(p.pid)) machine.signal(p.pid, Signal.SIGKILL);
      }
      await handle.exit;
    } finally {
      offOutput();
      offEvents();
    }
    if (end.kind === "error") throw new ScheduleError(end.message);
    const steps = controller.steps;
    return {
      decisions: steps.map((s) => s.decision),
      steps,
      output,
      exits,
      failure: failureOf(end, exits, stderr),
      token: encodeToken(seed, deviations(steps)),
      events,
      stopped,
      seed,
    };
  })();
  return {
    pid: handle.pid,
    done,
    record: done,
    stop: () => {
      stopped = true;
      controller.stop();
    },
    steps: controller.steps,
  };
}

function failureOf(end: End, exits: readonly { proc: number; pid: number; code: number }[], stderr: ReadonlyMap<number, string>): Failure | null {
  if (end.kind === "deadlock") return { kind: "deadlock", report: end.report };
  if (end.kind === "limit") return { kind: "limit", what: "steps" };
  // Killed by a signal (−N) is not a failure: daemons at exit, a terminate() the program asked for.
  for (const e of exits) {
    if (e.code <= 0) continue;
    const err = stderr.get(e.pid) ?? "";
    const at = err.lastIndexOf(TRACEBACK);
    return at >= 0 && e.code === 1 ? { kind: "exception", proc: e.proc, text: err.slice(at) } : { kind: "exit", proc: e.proc, code: e.code };
  }
  return null;
}

/** One controlled run to its end. */
export function runControlled(machine: Machine, program: ControlledProgram, policy: Policy = defaultPolicy, options: ControlledOptions = {}): Promise<ControlledRecord> {
  return startControlled(machine, program, policy, options).done;
}

/** Runs `token`'s schedule again: the same decisions, the same seed, the same run. A token that does not fit the program is a ScheduleError. */
export async function replayToken(machine: Machine, program: ControlledProgram, token: string, options: Omit<ControlledOptions, "seed"> = {}): Promise<ControlledRecord> {
  const { seed, deviations: devs } = decodeToken(token);
  const rec = await runControlled(machine, program, replayPolicy(devs), { ...options, seed });
  const last = Math.max(-1, ...devs.keys());
  if (last >= rec.steps.length && rec.failure?.kind !== "limit") {
    throw new ScheduleError(`this schedule does not fit this program: it decides step ${last}, but the run ended after ${rec.steps.length} steps`);
  }
  return rec;
}
