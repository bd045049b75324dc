/**
 * Search on a real runtime: each schedule is one controlled run of the program on a host
 * that can start controlled runs, one after another on the same machine. The Node host
 * passes `machineHost(machine)`; the page passes its MachinePort, which has the same
 * `startControlled`. Several hosts (machines, each with its own kernel and workers) run
 * schedules at once, with the result of one (`search`); the Node CLI and bench pass one
 * machine per two cores (`searchMachines`, ./node.ts), the page its one port. The step UI gets a
 * failing schedule's token from the result.
 */
import type { ControlledOptions, Policy, RunRecord } from "@/lib/kernel/sched/types";
import { startControlled, type ControlledProgram } from "@/lib/runtime/controlled";
import type { Machine } from "@/lib/runtime/machine";
import type { MachinePort } from "@/lib/runtime/port";
import { search, type SearchOptions, type SearchProgress, type SearchResult } from "./search";

export interface ControlledHost {
  startControlled(program: ControlledProgram, policy: Policy, options?: ControlledOptions): { readonly done: Promise<RunRecord>; stop(): void };
}

/** The page's port is a host as it is (checked here, so a change to either breaks the build, not the button). */
export const portHost = (port: MachinePort): ControlledHost => port;

export function machineHost(machine: Machine): ControlledHost {
  return { startControlled: (program, policy, options) => startControlled(machine, program, policy, options) };
}

export interface ExploreOptions extends SearchOptions {
  /** Seeds `random` in the program's processes (the same in every schedule). Default 0. */
  readonly programSeed?: number;
  /** Steps per schedule before it counts as cut short (not a failure). Default 20 000. */
  readonly maxSteps?: number;
  /** Time passes only when no process can move (ControlledOptions.timed). Default false. */
  readonly timed?: boolean;
}

export function explore(host: ControlledHost | readonly ControlledHost[], program: ControlledProgram, options: ExploreOptions = {}, onProgress?: (p: SearchProgress) => void): Promise<SearchResult> {
  const runOptions: ControlledOptions = { seed: options.programSeed ?? 0, maxSteps: options.maxSteps ?? 20_000, timed: options.timed ?? false };
  const now = options.now ?? Date.now;
  const endsAt = now() + (options.timeLimitMs ?? 120_000);
  const hosts = "startControlled" in host ? [host] : host;
  return search(
    // A schedule run ahead and dropped (its signal aborted) is let run to its end: stopping a
    // controlled run kills its processes, whose workers then boot again, which costs more than
    // the rest of one schedule (the locked office on two machines: 2.5 times slower when stopped).
    hosts.map((h) => async (policy: Policy): Promise<RunRecord> => {
      const run = h.startControlled(program, policy, runOptions);
      // A schedule that computes without reaching a point is cut at the search's time limit (then counted as cut short, not failed).
      const timer = setTimeout(() => run.stop(), Math.max(0, endsAt - now()));
      try {
        return await run.done;
      } finally {
        clearTimeout(timer);
      }
    }),
    { ...options, now },
    onProgress,
  );
}
