/**
 * Schedule search on the Node host on several machines: a controlled run moves one process at
 * a time (the host thread and one worker take turns), so one machine keeps about one core
 * busy, and another machine runs other schedules next to it (`search` keeps the result of one
 * machine). Two machines on a 2-core machine that others also load were not faster than one
 * (each schedule cost about a third more CPU), so the default is one machine per two cores.
 * Measured again once DPOR's next schedule ran ahead on the second machine (load average 3.5):
 * warm, the throughput program's third search 54 against 42–48 schedules/s and the locked
 * office 9.4 against 9.6–10.2 s, but from a cold CLI the oversell took 4.0–4.5 against 2.7–3.1 s
 * and the locked office 12.9–15.4 against 12.2–12.7 s (the second machine's boots).
 * The CLI and the bench use it; the page searches on its one port.
 */
import os from "node:os";
import type { Machine } from "@/lib/runtime/machine";
import { createNodeMachine, type NodeMachineOptions } from "@/lib/runtime/node";
import { machineHost, type ControlledHost } from "./explore";

/** Machines a search runs on by default: one per two cores the process may use, at least 1, at most 4. `SPAWNPOINT_SEARCH_MACHINES` overrides it. */
export function defaultSearchMachines(): number {
  const env = Number(process.env.SPAWNPOINT_SEARCH_MACHINES);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, Math.min(4, Math.floor(os.availableParallelism() / 2)));
}

export interface SearchMachines {
  readonly hosts: readonly ControlledHost[];
  /** When the machines this made are warm. */
  readonly ready: Promise<void>;
  /** Ends the machines this made (not `first`). */
  dispose(): void;
}

/** `first` and `count − 1` more machines like it, warming (a schedule on one that is not warm yet waits for its interpreters). */
export function searchMachines(first: Machine, count: number, options: NodeMachineOptions = {}): SearchMachines {
  const more: Machine[] = [];
  const warm: Promise<void>[] = [];
  for (let i = 1; i < count; i++) {
    const m = createNodeMachine({ ...options, poolSize: options.poolSize ?? first.poolSize });
    warm.push(m.warm());
    more.push(m);
  }
  return {
    hosts: [first, ...more].map(machineHost),
    ready: Promise.all(warm).then(() => undefined),
    dispose: () => {
      for (const m of more) m.dispose();
    },
  };
}
