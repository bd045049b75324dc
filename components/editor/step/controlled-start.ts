/**
 * Loaded on the first Step (never in a lesson page's first-load JavaScript): binds the
 * runner's interactive handle (lib/runtime/controlled.ts) on the page's machine to the step
 * session's `StartControlled`.
 */
import { startControlled } from "@/lib/runtime/controlled";
import type { StartControlled } from "@/lib/playground/step-session";
import type { MachinePort } from "@/lib/runtime/port";
import { machineBehind } from "../boot";

export function controlledStarter(port: MachinePort, program: () => { files: Record<string, string>; entry: string }): StartControlled {
  const machine = machineBehind(port);
  if (!machine) throw new Error("step mode needs the page's own Python machine");
  return (policy, options) => {
    const run = startControlled(machine, program(), policy, options);
    return { done: run.record, stop: () => run.stop() };
  };
}
